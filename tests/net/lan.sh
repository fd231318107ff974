#!/usr/bin/env bash
# Three laptops on one LAN, made of network namespaces this test creates:
# three hosts on a bridge (in a fourth namespace), 10.99.0.1-3/24. No
# --peer anywhere: members join by invitation code (the code's address
# hint is the inviting host's), the nodes find each other by beacon on the
# default ports, and every write reaches every host: one state-hash.
# Needs root (ip netns); skipped with a message otherwise.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/netns.sh"
lan_up a b c

hash_of() { on "$1" state-hash 2>/dev/null; }
all_same() {
  local a b c
  a=$(hash_of a) && b=$(hash_of b) && c=$(hash_of c) && [ -n "$a" ] && [ "$a" = "$b" ] && [ "$b" = "$c" ]
}

new_home "$T/a" Ada >/dev/null
new_home "$T/b" Ben >/dev/null
new_home "$T/c" Cy >/dev/null
on a set create "Ward leads" >/dev/null || fail "set create"
start_node a

for h in b c; do
  expect_exit 0 on a set invite --json
  code=$(json "$T/out" 'j["code"]')
  expect_exit 0 on "$h" set join "$code" --timeout 20
  start_node "$h"
done

# Discovery by beacon: of each pair of hosts, the one with the lower member
# id finds the other on 10.99.0.0/24 and connects: three pairs, three finds.
found_all() { [ "$(cat "$T/a.log" "$T/b.log" "$T/c.log" | grep -c "found at tcp://10.99.0")" -ge 3 ]; }
wait_for 15 found_all && ok || fail "not every pair found each other: $(grep -h found "$T"/*.log)"
wait_for 15 all_same && ok || fail "the three hosts did not converge after the joins"

# Writes on every host reach every host.
on a contract add "What is said here stays here" >/dev/null || fail "write on a"
has_rule() { on "$1" contract --json | grep -q "stays here"; }
for h in b c; do
  wait_for 10 has_rule "$h" && ok || fail "$h did not get a's rule: $(tail -n 5 "$T/$h.log")"
  on "$h" contract agree >/dev/null || fail "agree on $h"
done
t0=$(date +%s%N)
wait_for 20 all_same && ok ||
  fail "the three hosts did not converge: $(hash_of a) $(hash_of b) $(hash_of c); $(tail -n 5 "$T/a.log" "$T/b.log" "$T/c.log")"
echo "converged $((($(date +%s%N) - t0) / 1000000)) ms after the last write"
on a contract --json >"$T/contract.json"
same "$(json "$T/contract.json" 'sorted(j["agreed"])')" "['Ben', 'Cy']" "a sees both agreements"
expect_exit 0 on b peers --json
same "$(json "$T/out" 'sum(1 for p in j if p["connected"])')" 2 "b is connected to two peers"

finish
