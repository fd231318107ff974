/*
 * The agent: how the same user's commands reach a running node through a
 * Unix socket in the home (mode 0600, in a 0700 directory; the node also
 * checks the caller's uid). Each connection carries one request and one
 * answer, each a 4-byte big-endian length and a msgpack array:
 *   ["unlock"]            -> [0, unlock key]
 *   ["peers"]             -> [0, port, [[id, address, connected, sets,
 *                              last sync ms, received, sent, refused]...]]
 *   ["invite", set, role] -> [0, code]
 * and [1, why] when the node cannot. The node side answers here; the
 * command side is agent_client.c.
 */
#include "internal.h"

#include "revans/error.h"

#include <stdio.h>
#include <string.h>

/* ---- the node's side ---------------------------------------------------- */

static void answer_error(rv_enc_t *out, const char *why) {
  rv_enc_reset(out);
  rv_enc_array(out, 2);
  rv_enc_uint(out, 1);
  rv_enc_cstr(out, why);
}

int rv__agent_answer(rv_node_t *n, const uint8_t *req, size_t len, rv_enc_t *out) {
  rv_val_t a, f;
  rv_enc_reset(out);
  if (rv_dec_parse_bounded(n->dec, req, len, 16, &a) < 0 || rv_val_kind(a) != RV_K_ARRAY ||
      rv_val_len(a) < 1 || rv_val_at(a, 0, &f) < 0) {
    answer_error(out, "not a request");
    return 0;
  }
  if (rv_val_is_str(f, "unlock")) {
    uint8_t key[32];
    if (rv_home_unlock_key_get(n->home, key) < 0) {
      answer_error(out, "the node is locked");
      return 0;
    }
    rv_enc_array(out, 2);
    rv_enc_uint(out, 0);
    rv_enc_bin(out, key, sizeof key);
    rv_wipe(key, sizeof key);
  } else if (rv_val_is_str(f, "peers")) {
    uint64_t now = rv_now_ms();
    rv_enc_array(out, 3);
    rv_enc_uint(out, 0);
    rv_enc_uint(out, n->port);
    rv_enc_array(out, (uint32_t)n->npeers);
    for (size_t i = 0; i < n->npeers; i++) {
      const peer_t *p = n->peers[i];
      rv_enc_array(out, 8);
      rv_enc_bin(out, p->id.b, RV_ID_LEN);
      rv_enc_cstr(out, p->address);
      rv_enc_bool(out, rv__peer_live(p, now));
      rv_enc_uint(out, p->nsets);
      rv_enc_uint(out, p->last_sync_ms);
      rv_enc_uint(out, p->received);
      rv_enc_uint(out, p->sent);
      rv_enc_cstr(out, p->refused);
    }
  } else if (rv_val_is_str(f, "invite")) {
    rv_set_id_t set;
    uint64_t role;
    char code[RV_INVITE_CODE_MAX], why[160];
    if (rv_val_len(a) != 3 || rv_val_at(a, 1, &f) < 0 ||
        rv_val_bin_fixed(f, set.b, RV_SETID_LEN) < 0 || rv_val_at(a, 2, &f) < 0 ||
        rv_val_uint(f, &role) < 0 || role > 8) {
      answer_error(out, "not a request");
      return 0;
    }
    if (rv__invite_make(n, &set, (int)role, code, sizeof code, why, sizeof why) < 0) {
      answer_error(out, why);
      return 0;
    }
    rv_enc_array(out, 2);
    rv_enc_uint(out, 0);
    rv_enc_cstr(out, code);
  } else {
    answer_error(out, "not a request");
  }
  return rv_enc_status(out);
}
