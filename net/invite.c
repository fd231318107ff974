/*
 * Invitations by code. A facilitator's running node makes a one-time
 * secret and reads out a code: the secret and where to find the node (an
 * IPv4 address and port), in Crockford's base32. Everything else derives
 * from the secret: a beacon key, by which the inviting node's beacons
 * name it to the holder of the code, and an X25519 key pair, with which
 * the joiner's connection is admitted. The joiner proves the secret by
 * completing CURVE with that pair (the secret itself is never sent), then
 * sends its member id with a signature; the inviting node records the
 * membership and answers with the invitation sealed to that member id
 * (the same one `set invite --for` writes to a file). One use; expires
 * after RV_INVITE_TTL_S.
 */
#include "internal.h"

#include "revans/error.h"
#include "revans/set.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define SECRET_LEN 10
#define CODE_BYTES (SECRET_LEN + 4 + 2)
#define JOIN_CONTEXT "revans join v1"
#define KEY_CONTEXT "revans invite key v1"
#define CURVE_CONTEXT "revans invite curve v1"
#define WELCOME_MAX (RV_WIRE_MSG_MAX - 1024)
#define JOIN_PROBE_MS 500 /* the joiner probes for the inviting node this often */

static const char b32[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"; /* Crockford */

static void code_encode(const uint8_t in[CODE_BYTES], char *out, size_t cap) {
  size_t o = 0, bits = 0, group = 0;
  uint32_t acc = 0;
  for (size_t i = 0; i < CODE_BYTES; i++) {
    acc = acc << 8 | in[i];
    bits += 8;
    while (bits >= 5 && o + 2 < cap) {
      if (group == 4) {
        out[o++] = '-';
        group = 0;
      }
      out[o++] = b32[(acc >> (bits - 5)) & 31];
      bits -= 5;
      group++;
    }
  }
  if (bits && o + 2 < cap) {
    if (group == 4)
      out[o++] = '-';
    out[o++] = b32[(acc << (5 - bits)) & 31];
  }
  out[o] = '\0';
}

/* Reads a code, forgiving case, dashes, spaces and the letters people
 * confuse with digits (O, I, L). */
int rv__invite_code_decode(const char *s, uint8_t out[16]) {
  size_t n = 0, bits = 0;
  uint32_t acc = 0;
  for (; *s; s++) {
    char c = *s;
    if (c == '-' || c == ' ')
      continue;
    if (c >= 'a' && c <= 'z')
      c = (char)(c - 'a' + 'A');
    if (c == 'O')
      c = '0';
    if (c == 'I' || c == 'L')
      c = '1';
    const char *at = strchr(b32, c);
    if (!at || !c)
      return RV_EFORMAT;
    acc = acc << 5 | (uint32_t)(at - b32);
    bits += 5;
    if (bits >= 8) {
      if (n == CODE_BYTES)
        return RV_EFORMAT;
      out[n++] = (uint8_t)(acc >> (bits - 8));
      bits -= 8;
    }
  }
  return n == CODE_BYTES && bits < 5 ? 0 : RV_EFORMAT;
}

/* The beacon key and the X25519 pair an invitation's secret gives. */
static void derive(const uint8_t secret[SECRET_LEN], uint8_t key[32], uint8_t pk[32],
                   uint8_t sk[32]) {
  uint8_t seed[32];
  rv_hash2(key, KEY_CONTEXT, strlen(KEY_CONTEXT), secret, SECRET_LEN);
  rv_hash2(seed, CURVE_CONTEXT, strlen(CURVE_CONTEXT), secret, SECRET_LEN);
  rv_curve_from_seed(seed, pk, sk);
  rv_wipe(seed, sizeof seed);
}

/* What the joiner signs: the invitation's public key, the inviter, the joiner. */
static size_t join_message(uint8_t m[128], const uint8_t invite_pk[32],
                           const rv_member_id_t *inviter, const rv_member_id_t *joiner) {
  size_t n = strlen(JOIN_CONTEXT);
  memcpy(m, JOIN_CONTEXT, n);
  memcpy(m + n, invite_pk, 32);
  memcpy(m + n + 32, inviter->b, RV_ID_LEN);
  memcpy(m + n + 64, joiner->b, RV_ID_LEN);
  return n + 96;
}

/* The address the code points to: the first IPv4 interface beacons are
 * sent on that is not loopback, else loopback. */
static uint32_t hint_address(rv_node_t *n) {
  uint32_t a = 0;
  if (n->ops->first_address(&a) < 0)
    a = 0x7f000001;
  return a;
}

int rv__invite_make(rv_node_t *n, const rv_set_id_t *set, int role, char *code, size_t cap,
                    char *why, size_t why_cap) {
  const rv_state_t *s;
  const rv_member_t *me;
  invite_t *iv = NULL;
  uint8_t bytes[CODE_BYTES];
  if (role != RV_ROLE_MEMBER && role != RV_ROLE_FACILITATOR) {
    snprintf(why, why_cap, "no such role");
    return RV_EINVAL;
  }
  if (rv_home_begin(n->home, false) < 0) {
    snprintf(why, why_cap, "cannot read the store");
    return RV_EIO;
  }
  int r = rv_set_state(n->home, set, &s);
  me = r == 0 ? rv_state_member(s, rv_home_self(n->home)) : NULL;
  bool facilitator = me && me->role == RV_ROLE_FACILITATOR; /* s ends with the transaction */
  rv_home_abort(n->home);
  if (!facilitator) {
    snprintf(why, why_cap, "only a facilitator invites");
    return RV_EPERM;
  }
  for (size_t i = 0; i < RV_INVITES_MAX && !iv; i++)
    if (!n->invites[i].live)
      iv = &n->invites[i];
  if (!iv) {
    snprintf(why, why_cap, "%d invitations are open already: use one or wait", RV_INVITES_MAX);
    return RV_EFULL;
  }
  memset(iv, 0, sizeof *iv);
  rv_random(iv->secret, SECRET_LEN);
  derive(iv->secret, iv->key, iv->pk, iv->sk);
  iv->set = *set;
  iv->role = role;
  iv->expires_ms = rv_now_ms() + (uint64_t)RV_INVITE_TTL_S * 1000;
  rv_random(&iv->generation, sizeof iv->generation);
  iv->live = true;
  uint32_t addr = hint_address(n);
  memcpy(bytes, iv->secret, SECRET_LEN);
  bytes[SECRET_LEN] = (uint8_t)(addr >> 24);
  bytes[SECRET_LEN + 1] = (uint8_t)(addr >> 16);
  bytes[SECRET_LEN + 2] = (uint8_t)(addr >> 8);
  bytes[SECRET_LEN + 3] = (uint8_t)addr;
  bytes[SECRET_LEN + 4] = (uint8_t)(n->port >> 8);
  bytes[SECRET_LEN + 5] = (uint8_t)n->port;
  code_encode(bytes, code, cap);
  rv_wipe(bytes, sizeof bytes);
  rv__node_log(n, "an invitation was made (one use, %d minutes)", RV_INVITE_TTL_S / 60);
  return 0;
}

/* 0 when the answer was queued to the joiner. */
static int reply(rv_node_t *n, const uint8_t *rid, size_t rid_len, const char *what,
                 const uint8_t *blob, size_t blen, const char *why) {
  rv_enc_reset(n->enc);
  rv_enc_array(n->enc, 2);
  rv_enc_cstr(n->enc, what);
  if (blob)
    rv_enc_bin(n->enc, blob, blen);
  else
    rv_enc_cstr(n->enc, why);
  size_t len;
  const uint8_t *body = rv_enc_data(n->enc, &len);
  if (rv_enc_status(n->enc) < 0)
    return RV_ENOMEM;
  return rv__sock_send(n->router, rid, rid_len, body, len) == 0 ? 0 : RV_EIO;
}

bool rv__invite_message(rv_node_t *n, const char *user, const uint8_t *rid, size_t rid_len,
                        const uint8_t *body, size_t len) {
  unsigned index = RV_INVITES_MAX, generation = 0;
  int used = 0;
  if (sscanf(user, "invite:%u:%8x%n", &index, &generation, &used) != 2 ||
      (size_t)used != strlen(user))
    return false;
  invite_t *iv = index < RV_INVITES_MAX ? &n->invites[index] : NULL;
  if (iv && iv->generation != generation)
    return false; /* admitted for an invitation that is gone */
  rv_val_t a, f;
  rv_member_id_t who;
  uint8_t sig[64], m[128];
  rv_buf_t blob;
  if (!iv || !iv->live || iv->expires_ms <= rv_now_ms())
    return false;
  if (rv_dec_parse_bounded(n->dec, body, len, 8, &a) < 0 || rv_val_kind(a) != RV_K_ARRAY ||
      rv_val_len(a) != 3 || rv_val_at(a, 0, &f) < 0 || !rv_val_is_str(f, "join") ||
      rv_val_at(a, 1, &f) < 0 || rv_val_bin_fixed(f, who.b, RV_ID_LEN) < 0 ||
      rv_val_at(a, 2, &f) < 0 || rv_val_bin_fixed(f, sig, sizeof sig) < 0) {
    reply(n, rid, rid_len, "refused", NULL, 0, "not a join request");
    return false;
  }
  size_t mn = join_message(m, iv->pk, rv_home_self(n->home), &who);
  if (rv_sign_verify(sig, m, mn, who.b) < 0) {
    reply(n, rid, rid_len, "refused", NULL, 0, "the join request's signature is wrong");
    rv__node_log(n, "an invitation was answered with a bad signature");
    return false;
  }
  rv_buf_init(&blob);
  int r = rv_home_begin(n->home, true);
  if (r == 0)
    r = rv_set_invite(n->home, &iv->set, &who, (enum rv_role)iv->role, &blob);
  /* Too big to send: the membership is not recorded either. */
  if (r == 0 && blob.len > WELCOME_MAX)
    r = RV_ETOOBIG;
  if (r == 0)
    r = rv_home_commit(n->home);
  else
    rv_home_abort(n->home);
  if (r < 0) {
    char why[128];
    snprintf(why, sizeof why, "the inviting node could not invite: %s", rv_strerror(r));
    reply(n, rid, rid_len, "refused", NULL, 0, why);
    rv__node_log(n, "%s", why);
    rv_buf_release_public(&blob);
    return false;
  }
  r = reply(n, rid, rid_len, "welcome", blob.data, blob.len, NULL);
  rv_buf_release_public(&blob);
  if (r < 0) {
    /* The membership is stored; the code stays open so that the joiner
     * can ask again (the invitation is then made afresh). */
    rv__node_log(n, "the invitation could not be sent to the joiner");
    return false;
  }
  rv_wipe(iv, sizeof *iv); /* one use */
  char id[RV_SHORT_ID_SIZE];
  rv__short_id(id, &who);
  rv__node_log(n, "member %s joined by invitation", id);
  return true;
}

/* ---- the joiner's side ------------------------------------------------------ */

int rv__parse_tcp(const char *s, struct sockaddr_in *ret) {
  char host[64];
  unsigned port;
  int used = 0;
  memset(ret, 0, sizeof *ret);
  if (sscanf(s, "tcp://%63[^:]:%u%n", host, &port, &used) != 2 || (size_t)used != strlen(s) ||
      port == 0 || port > 65535)
    return RV_EINVAL;
  if (strcmp(host, "localhost") == 0)
    snprintf(host, sizeof host, "127.0.0.1");
  ret->sin_family = AF_INET;
  ret->sin_port = htons((uint16_t)port);
  return inet_pton(AF_INET, host, &ret->sin_addr) == 1 ? 0 : RV_EINVAL;
}

/* Probes the hinted address and the given peers until a beacon names the
 * inviting node. */
static int find_inviter(const struct sockaddr_in *targets, size_t nt, const uint8_t key[32],
                        double timeout_s, rv_member_id_t *ret_who, char *ret_addr, size_t cap) {
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  rv_enc_t *enc = NULL;
  rv_dec_t *dec = NULL;
  int r = RV_ENOTFOUND;
  if (fd < 0 || rv_enc_new(&enc) < 0 || rv_dec_new(&dec) < 0) {
    r = RV_EIO;
    goto out;
  }
  rv_beacon_t probe;
  memset(&probe, 0, sizeof probe);
  probe.probe = true;
  rv__beacon_encode(enc, &probe);
  size_t plen;
  const uint8_t *probe_bytes = rv_enc_data(enc, &plen);
  uint64_t start = rv_now_ms(), last = 0;
  while ((double)(rv_now_ms() - start) < timeout_s * 1000) {
    if (rv_now_ms() - last >= JOIN_PROBE_MS) {
      for (size_t i = 0; i < nt; i++)
        sendto(fd, probe_bytes, plen, 0, (const struct sockaddr *)&targets[i], sizeof targets[i]);
      last = rv_now_ms();
    }
    struct pollfd pfd = {.fd = fd, .events = POLLIN};
    if (poll(&pfd, 1, 200) <= 0)
      continue;
    uint8_t buf[RV_BEACON_MAX + 1];
    struct sockaddr_in from;
    socklen_t fl = sizeof from;
    ssize_t got = recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl);
    rv_beacon_t b;
    if (got <= 0 || rv__beacon_decode(dec, buf, (size_t)got, &b) < 0 || b.probe)
      continue;
    for (size_t i = 0; i < b.nentries; i++)
      if (rv__beacon_match(&b, i, key, (uint64_t)time(NULL), ret_who) == 0) {
        char ip[INET_ADDRSTRLEN];
        inet_ntop(AF_INET, &from.sin_addr, ip, sizeof ip);
        snprintf(ret_addr, cap, "tcp://%s:%u", ip, (unsigned)b.port);
        r = 0;
        goto out;
      }
  }
out:
  if (fd >= 0)
    close(fd);
  rv_enc_destroy(&enc);
  rv_dec_destroy(&dec);
  return r;
}

#define JOIN_TARGETS_MAX 9 /* the code's address, and up to 8 --peer */

/* Where to probe for the inviting node: the address the code gives, then
 * the peers given (those that parse). The number of targets. */
static size_t join_targets(const uint8_t bytes[CODE_BYTES], const char *const *peers, size_t npeers,
                           struct sockaddr_in targets[JOIN_TARGETS_MAX]) {
  size_t nt = 1;
  memset(&targets[0], 0, sizeof targets[0]);
  targets[0].sin_family = AF_INET;
  memcpy(&targets[0].sin_addr.s_addr, bytes + SECRET_LEN, 4);
  memcpy(&targets[0].sin_port, bytes + SECRET_LEN + 4, 2);
  for (size_t i = 0; i < npeers && nt < JOIN_TARGETS_MAX; i++)
    if (rv__parse_tcp(peers[i], &targets[nt]) == 0)
      nt++;
  return nt;
}

/* The join request, ["join", member id, signature], into enc. */
static int join_request(rv_home_t *home, const uint8_t invite_pk[32], const rv_member_id_t *inviter,
                        rv_enc_t *enc) {
  uint8_t sig[64], m[128];
  size_t mn = join_message(m, invite_pk, inviter, rv_home_self(home));
  int r = rv_peer_sign(home, m, mn, sig);
  if (r < 0)
    return r;
  rv_enc_array(enc, 3);
  rv_enc_cstr(enc, "join");
  rv_enc_bin(enc, rv_home_self(home)->b, RV_ID_LEN);
  rv_enc_bin(enc, sig, sizeof sig);
  return rv_enc_status(enc);
}

/* One message from the inviting node: 1 when it is no answer (wait on);
 * 0 when it was the invitation and the set is joined (a write transaction
 * here); RV_EPERM when refused, or rv_set_join's error, with why. */
static int join_answer(rv_home_t *home, rv_dec_t *dec, const rv_buf_t *body, rv_set_id_t *ret_set,
                       char *why, size_t why_cap) {
  rv_val_t a, f;
  const uint8_t *blob;
  size_t blen;
  int r;
  if (rv_dec_parse_bounded(dec, body->data, body->len, 8, &a) < 0 || rv_val_kind(a) != RV_K_ARRAY ||
      rv_val_len(a) != 2 || rv_val_at(a, 0, &f) < 0)
    return 1;
  if (rv_val_is_str(f, "refused")) {
    const char *reason;
    size_t rlen;
    rv_val_at(a, 1, &f);
    if (rv_val_str(f, &reason, &rlen) == 0)
      snprintf(why, why_cap, "refused: %.*s", (int)(rlen < 100 ? rlen : 100), reason);
    return RV_EPERM;
  }
  if (!rv_val_is_str(f, "welcome") || rv_val_at(a, 1, &f) < 0 || rv_val_bin(f, &blob, &blen) < 0)
    return 1;
  if ((r = rv_home_begin(home, true)) == 0 && (r = rv_set_join(home, blob, blen, ret_set)) == 0)
    r = rv_home_commit(home);
  if (r < 0) {
    rv_home_abort(home);
    snprintf(why, why_cap, "cannot join with the invitation received: %s", rv_strerror(r));
  }
  return r;
}

/* Sends the request on s (as soon as its queue takes it) and waits up to
 * timeout_s for the answer: join_answer's result, or RV_ENOTFOUND. */
static int join_exchange(rv_home_t *home, rv_sock_t *s, rv_dec_t *dec, const rv_enc_t *req,
                         double timeout_s, rv_set_id_t *ret_set, char *why, size_t why_cap) {
  rv_wire_msg_t msg;
  size_t len;
  const uint8_t *body = rv_enc_data(req, &len);
  uint64_t start = rv_now_ms();
  bool sent = false;
  int r = RV_ENOTFOUND;
  rv_buf_init(&msg.body);
  snprintf(why, why_cap, "the inviting node did not answer (the code may be used or expired)");
  while ((double)(rv_now_ms() - start) < timeout_s * 1000) {
    bool in, out;
    if (!sent)
      sent = rv__sock_send(s, NULL, 0, body, len) == 0;
    rv__sock_events(s, &in, &out);
    if (!in) {
      struct pollfd pfd = {.fd = rv__sock_fd(s), .events = POLLIN};
      poll(&pfd, 1, 100);
      continue;
    }
    if (rv__sock_recv(s, &msg) != 0)
      continue;
    int k = join_answer(home, dec, &msg.body, ret_set, why, why_cap);
    if (k != 1) {
      r = k;
      break;
    }
  }
  rv_buf_release(&msg.body);
  return r;
}

int rv_node_join(rv_home_t *home, const char *code, const char *const *peers, size_t npeers,
                 double timeout_s, rv_set_id_t *ret_set, char ret_address[RV_NODE_ADDRESS_MAX],
                 char *why, size_t why_cap) {
  /* The code's secret and what it gives, in guarded memory. */
  struct join_secrets {
    uint8_t bytes[CODE_BYTES], key[32], sk[32];
  } *sec = rv_secure_alloc(sizeof *sec);
  uint8_t pk[32], server_pk[32];
  struct sockaddr_in targets[JOIN_TARGETS_MAX];
  rv_member_id_t inviter;
  char address[RV_NODE_ADDRESS_MAX];
  rv_wire_t *wire = NULL;
  rv_sock_t *s = NULL;
  rv_enc_t *req = NULL;
  rv_dec_t *dec = NULL;
  int r;
  if (!sec)
    return RV_ENOMEM;
  if (rv__invite_code_decode(code, sec->bytes) < 0) {
    snprintf(why, why_cap, "'%s' is not an invitation code", code);
    rv_secure_free(sec);
    return RV_EFORMAT;
  }
  derive(sec->bytes, sec->key, pk, sec->sk);
  size_t nt = join_targets(sec->bytes, peers, npeers, targets);
  snprintf(why, why_cap,
           "no node answered the invitation: it may be used or expired, or the "
           "inviting node is not running or not reachable (try --peer)");
  if ((r = find_inviter(targets, nt, sec->key, timeout_s, &inviter, address, sizeof address)) < 0)
    goto out;
  if ((r = rv_sign_to_curve(inviter.b, NULL, server_pk, NULL)) < 0 ||
      (r = rv__wire_new(&wire)) < 0 ||
      (r = rv__wire_connect(wire, address, server_pk, pk, sec->sk, &s)) < 0 ||
      (r = rv_enc_new(&req)) < 0 || (r = rv_dec_new(&dec)) < 0 ||
      (r = join_request(home, pk, &inviter, req)) < 0)
    goto out;
  r = join_exchange(home, s, dec, req, timeout_s, ret_set, why, why_cap);
  if (r == 0)
    snprintf(ret_address, RV_NODE_ADDRESS_MAX, "%s", address);
out:
  rv_secure_free(sec);
  rv__sock_close(&s);
  rv__wire_destroy(&wire);
  rv_enc_destroy(&req);
  rv_dec_destroy(&dec);
  return r;
}
