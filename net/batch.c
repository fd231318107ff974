/*
 * One batch of what a peer lacks (internal.h, batch_t): gathered from
 * rv_log_missing into the node's batch encoder, ended where the peer can
 * verify it, the belief's heads hashed once it is whole, and sent as one
 * "recs" message through the node's send operation (no socket here).
 */
#include "internal.h"

#include "revans/error.h"

#include <string.h>

void rv__batch_init(batch_t *b, rv_node_t *n) {
  memset(b, 0, sizeof *b);
  b->node = n;
  rv_enc_reset(n->batch);
}

static bool batch_full(const batch_t *b, size_t len) {
  return b->count && (b->count >= RV_SYNC_BATCH_RECORDS || b->bytes + len > RV_SYNC_BATCH_BYTES);
}

/* True when the batch may end on its last record, that is when the next
 * record (of author a) does not continue its run, or the last record's
 * own signature verifies, or nothing more would fit. */
static bool batch_may_end(batch_t *b, const rv_member_id_t *a, size_t len) {
  if (memcmp(b->last[b->cur].author.b, a->b, RV_ID_LEN) != 0)
    return true;
  if (b->count >= RV_SYNC_RECS_MAX || b->bytes + len > RV_SYNC_BYTES_MAX)
    return true; /* a run of bad signatures this long is refused (protocol.md) */
  size_t blen;
  const uint8_t *data = rv_enc_data(b->node->batch, &blen);
  return rv_peer_record_signed(b->node->place_dec, data + b->last_at[b->cur],
                               b->last_len[b->cur]) != RV_EAUTH;
}

int rv__batch_add(void *ctx, const uint8_t *raw, size_t len) {
  batch_t *b = ctx;
  rv_set_id_t set;
  rv_vv_t place;
  if (rv_peer_record_author(b->node->place_dec, raw, len, &set, &place) < 0)
    return RV_ECORRUPT;
  if (batch_full(b, len) && batch_may_end(b, &place.author, len))
    return 1; /* full: the rest goes in the next batch */
  size_t i = 0;
  while (i < b->nlast && memcmp(b->last[i].author.b, place.author.b, RV_ID_LEN) != 0)
    i++;
  if (i == b->nlast) {
    if (b->nlast == RV_BATCH_AUTHORS_MAX)
      return 1;
    b->nlast++;
  }
  rv_enc_bin(b->node->batch, raw, len);
  size_t end;
  rv_enc_data(b->node->batch, &end);
  b->last[i] = place;
  b->last_at[i] = end - len; /* the bytes follow the bin's header */
  b->last_len[i] = len;
  b->cur = i;
  b->count++;
  b->bytes += len;
  return 0;
}

int rv__batch_heads(batch_t *b) {
  size_t blen;
  const uint8_t *data = rv_enc_data(b->node->batch, &blen);
  for (size_t i = 0; i < b->nlast; i++)
    if (b->last_at[i] + b->last_len[i] > blen ||
        rv_peer_record_hash(b->node->place_dec, data + b->last_at[i], b->last_len[i],
                            &b->last[i].head) < 0)
      return RV_ECORRUPT;
  return 0;
}

int rv__batch_send(rv_node_t *n, peer_t *p, const rv_set_id_t *set, size_t count) {
  size_t blen, len;
  const uint8_t *records = rv_enc_data(n->batch, &blen);
  rv_enc_reset(n->enc);
  rv_enc_array(n->enc, 3);
  rv_enc_cstr(n->enc, "recs");
  rv_enc_bin(n->enc, set->b, RV_SETID_LEN);
  rv_enc_array(n->enc, (uint32_t)count);
  rv_enc_raw(n->enc, records, blen);
  const uint8_t *body = rv_enc_data(n->enc, &len);
  if (rv_enc_status(n->enc) < 0)
    return RV_ENOMEM;
  return n->ops->send(n, p, body, len);
}
