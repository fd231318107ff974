#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpus (tests/fuzz/corpus/TARGET/*):
real bundles, invitations and records made with the revans program, and
hand-made protocol messages, beacons, codes, agent requests and journal
exports. Usage: make_corpus.py REVANS. Run again only to refresh seeds."""
import json, os, struct, subprocess, sys, tempfile

REVANS = sys.argv[1]
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "corpus")

def pack(v):
    """A minimal msgpack encoder for the seeds."""
    if v is None: return b"\xc0"
    if v is True: return b"\xc3"
    if v is False: return b"\xc2"
    if isinstance(v, int):
        if 0 <= v < 128: return bytes([v])
        if v < 2**16: return b"\xcd" + struct.pack(">H", v)
        return b"\xcf" + struct.pack(">Q", v)
    if isinstance(v, str):
        b = v.encode(); return (bytes([0xa0 | len(b)]) if len(b) < 32 else b"\xd9" + bytes([len(b)])) + b
    if isinstance(v, bytes):
        return (b"\xc4" + bytes([len(v)]) if len(v) < 256 else b"\xc5" + struct.pack(">H", len(v))) + v
    if isinstance(v, list):
        return (bytes([0x90 | len(v)]) if len(v) < 16 else b"\xdc" + struct.pack(">H", len(v))) + b"".join(pack(x) for x in v)
    raise TypeError(v)

def bins(data, least=200):
    """Every bin of at least `least` bytes in a msgpack document (envelopes)."""
    found, i = [], 0
    while i < len(data):
        t = data[i]
        if t in (0xc4, 0xc5, 0xc6):
            w = {0xc4: 1, 0xc5: 2, 0xc6: 4}[t]
            n = int.from_bytes(data[i + 1:i + 1 + w], "big")
            if n >= least and i + 1 + w + n <= len(data):
                found.append(data[i + 1 + w:i + 1 + w + n]); i += 1 + w + n; continue
        i += 1
    return found

def put(target, name, data):
    d = os.path.join(OUT, target); os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f: f.write(data if isinstance(data, bytes) else data.encode())

def rv(home, *args):
    env = dict(os.environ, REVANS_PASSPHRASE="seed")
    return subprocess.run([REVANS, "--home", home, *args], env=env, check=True, capture_output=True).stdout

with tempfile.TemporaryDirectory() as t:
    a, b = os.path.join(t, "a"), os.path.join(t, "b")
    rv(a, "init", "--name", "Ada")
    bid = json.loads(rv(b, "init", "--name", "Ben", "--json"))["id"]
    rv(a, "set", "create", "Seeds", "--topic", "a topic")
    rv(a, "set", "invite", "--for", bid, "--out", os.path.join(t, "b.invite"))
    rv(a, "contract", "add", "A rule")
    rv(a, "meeting", "schedule", "--at", "2026-12-01 09:30")
    rv(a, "bundle", "create", "--out", os.path.join(t, "a.bundle"))
    bundle = open(os.path.join(t, "a.bundle"), "rb").read()
    invite = open(os.path.join(t, "b.invite"), "rb").read()
    put("bundle", "bundle", bundle); put("bundle", "invite", invite)
    envs = bins(bundle)
    for k, e in enumerate(envs[:6]):
        put("record", "envelope-%d" % k, e)
    put("record", "map", pack([1, 2, [b"x" * 16, "text"]]))
    setid = bytes(16); author = bytes(range(32)); head = bytes(32)
    put("wire", "hello", pack(["hello", 1, True]))
    put("wire", "vv", pack(["vv", setid, [[author, 3, head]]]))
    put("wire", "recs", pack(["recs", setid, envs[:2]]))
    put("wire", "other", pack(["bye"]))
    put("beacon", "beacon", pack(["rvb", 1, 7390, bytes(16), [[bytes(16), bytes(72)]]]))
    put("beacon", "probe", pack(["rvp", 1]))
    put("code", "code", "7KQM-2XPA-TK5Q-706T-FW00-00A3-XR")
    put("code", "lower", "7kqm 2xpa tk5q 706t fw00 00a3 xr")
    put("agent", "unlock", pack(["unlock"]))
    put("agent", "peers", pack(["peers"]))
    put("agent", "invite", pack(["invite", setid, 1]))
    put("import", "jrnl", json.dumps({"tags": {"@work": 1}, "entries": [
        {"title": "A day.", "body": "Felt heard @work", "date": "2026-01-02", "time": "09:15",
         "tags": ["@work"], "starred": True}]}))
    put("import", "revans", json.dumps([{"at": "2026-01-02 09:15", "text": "An entry", "tags": ["x"]}]))
    put("import", "jrnl-txt", "[2026-01-02 09:15] A day. *\nFelt heard @work, @os/2 #c# a@b.org\n"
        "\n[1969-07-20 20:17] One line. The Eagle \u3002 @caf\u00e9\r\n [2026-01-03 10:00] set off\n"
        "[2026-03-29 02:30] no newline at the end")
print("corpus written to", OUT)
