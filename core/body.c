/*
 * Encoding and decoding of record bodies. The schema is data: one row per
 * type listing its fields, each with the slot of rv_body_t it fills, its
 * kind and its bound. Every string read from a body is bounded and copied,
 * so that a decoded body owns its memory and outlives its plaintext.
 */
#include "revans/body.h"
#include "revans/error.h"

#include <stdlib.h>
#include <string.h>

static const char *const type_names[RV_BODY__COUNT] = {[RV_BODY_UNKNOWN] = "unknown",
#define RV_BODY_NAME(name, wire) [RV_BODY_##name] = wire,
                                                       RV_BODY_TYPES(RV_BODY_NAME)
#undef RV_BODY_NAME
};

/* Where a field lives in rv_body_t, and what it is on the wire. */
enum slot {
  S_NONE,
  S_NAME,
  S_TEXT,
  S_TEXT2,
  S_MEMBER,
  S_ROLE,
  S_SALT,
  S_REF,
  S_REFS,
  S_NUM,
  S_NUM2,
  S_FLAG,
  S_BOXES,
  S_MEMBERS
};

typedef struct field {
  const char *key;
  enum slot slot;
  size_t max;    /* strings: most bytes; numbers: largest value (0: any) */
  bool optional; /* strings: may be nil or absent (NULL); else 1..max bytes; member lists: left
                    out when empty, so that a body without one encodes as before it existed */
} field_t;

#define MAX_FIELDS 5
#define NAME RV_NAME_MAX
#define TEXT RV_TEXT_MAX

static const field_t schema[RV_BODY__COUNT][MAX_FIELDS] = {
    [RV_BODY_SET_CREATE] = {{"salt", S_SALT, 0, false},
                            {"name", S_NAME, NAME, false},
                            {"topic", S_TEXT, TEXT, true},
                            {"creator", S_TEXT2, NAME, false}},
    [RV_BODY_MEMBER_ADD] = {{"member", S_MEMBER, 0, false}, {"role", S_ROLE, 0, false}},
    [RV_BODY_MEMBER_JOIN] = {{"name", S_NAME, NAME, false}},
    [RV_BODY_MEMBER_REMOVE] = {{"member", S_MEMBER, 0, false},
                               {"epoch", S_NUM, UINT32_MAX, false},
                               {"keys", S_BOXES, RV_MAX_BOXES, false}},
    [RV_BODY_SET_TOPIC] = {{"topic", S_TEXT, TEXT, true}},
    [RV_BODY_CONTRACT_ADD] = {{"rule", S_TEXT, TEXT, false}},
    [RV_BODY_CONTRACT_QUORUM] = {{"quorum", S_NUM, 1000, false}},
    [RV_BODY_CONTRACT_AGREE] = {{"version", S_NUM, 0, false}},
    [RV_BODY_MEETING_SCHEDULE] = {{"at", S_NUM, 0, false},
                                  {"minutes", S_NUM2, 24 * 60, false},
                                  {"place", S_TEXT, TEXT, true}},
    [RV_BODY_MEETING_START] = {{"meeting", S_REF, 0, false}},
    [RV_BODY_MEETING_NEXT] = {{"meeting", S_REF, 0, false},
                              {"phase", S_NUM, 100, false},
                              {"slot", S_NUM2, 1000, false}},
    [RV_BODY_MEETING_CLOSE] = {{"meeting", S_REF, 0, false}},
    [RV_BODY_ATTEND] = {{"meeting", S_REF, 0, false}},
    [RV_BODY_APOLOGISE] = {{"meeting", S_REF, 0, false}, {"note", S_TEXT, TEXT, true}},
    [RV_BODY_BID] = {{"meeting", S_REF, 0, false},
                     {"summary", S_TEXT, TEXT, false},
                     {"minutes", S_NUM, 24 * 60, false}},
    [RV_BODY_ALLOCATE] = {{"meeting", S_REF, 0, false},
                          {"equal", S_FLAG, 0, false},
                          {"order", S_MEMBERS, RV_MAX_ORDER, true}},
    [RV_BODY_PRESENT] = {{"meeting", S_REF, 0, false}},
    [RV_BODY_ASK] = {{"meeting", S_REF, 0, false},
                     {"to", S_MEMBER, 0, false},
                     {"text", S_TEXT, TEXT, false},
                     {"kind", S_NUM, 3, false},
                     {"anyway", S_FLAG, 0, false}},
    [RV_BODY_ANSWER] = {{"question", S_REF, 0, false}, {"text", S_TEXT, TEXT, false}},
    [RV_BODY_GROUP] = {{"questions", S_REFS, RV_MAX_REFS, false}, {"label", S_NAME, NAME, false}},
    [RV_BODY_DISCARD] = {{"question", S_REF, 0, false}},
    [RV_BODY_FOLLOW_UP] = {{"question", S_REF, 0, false}, {"text", S_TEXT, TEXT, false}},
    [RV_BODY_ACTION_ADD] = {{"meeting", S_REF, 0, false},
                            {"text", S_TEXT, TEXT, false},
                            {"due", S_NUM, 0, false}},
    [RV_BODY_REPORT_IN] = {{"action", S_REF, 0, false},
                           {"status", S_NUM, 10, false},
                           {"note", S_TEXT, TEXT, true}},
    [RV_BODY_FEEDBACK] = {{"meeting", S_REF, 0, false},
                          {"well", S_TEXT, TEXT, false},
                          {"better", S_TEXT2, TEXT, false}},
    [RV_BODY_MEETING_CANCEL] = {{"meeting", S_REF, 0, false}, {"reason", S_TEXT, TEXT, true}},
    [RV_BODY_CONTRACT_EDIT] = {{"rule", S_REF, 0, false}, {"text", S_TEXT, TEXT, false}},
    [RV_BODY_CONTRACT_WITHDRAW] = {{"rule", S_REF, 0, false}},
    [RV_BODY_MEETING_PART] = {{"meeting", S_REF, 0, false},
                              {"slot", S_NUM, 1000, false},
                              {"part", S_NUM2, 2, false}},
};

const char *rv_body_type_name(enum rv_body_type t) {
  if ((size_t)t >= RV_BODY__COUNT)
    return "unknown";
  return type_names[t];
}

const char *rv_role_name(enum rv_role r) {
  switch (r) {
  case RV_ROLE_MEMBER: return "member";
  case RV_ROLE_FACILITATOR: return "facilitator";
  default: return "none";
  }
}

enum rv_role rv_role_parse(const char *s) {
  if (s && strcmp(s, "member") == 0)
    return RV_ROLE_MEMBER;
  if (s && strcmp(s, "facilitator") == 0)
    return RV_ROLE_FACILITATOR;
  return RV_ROLE_NONE;
}

static size_t nfields(enum rv_body_type t) {
  size_t n = 0;
  while (n < MAX_FIELDS && schema[t][n].key)
    n++;
  return n;
}

static char **str_slot(rv_body_t *b, enum slot s) {
  return s == S_NAME ? &b->name : s == S_TEXT ? &b->text : &b->text2;
}

static uint64_t *num_slot(rv_body_t *b, enum slot s) { return s == S_NUM ? &b->num : &b->num2; }

/* ---- encoding ------------------------------------------------------ */

static int encode_field(rv_enc_t *enc, const field_t *f, const rv_body_t *b) {
  rv_body_t *m = (rv_body_t *)b; /* only read through the slot helpers */
  rv_enc_cstr(enc, f->key);
  switch (f->slot) {
  case S_NAME:
  case S_TEXT:
  case S_TEXT2: {
    const char *s = *str_slot(m, f->slot);
    size_t n = s ? strlen(s) : 0;
    if ((!s && !f->optional) || (s && n == 0 && !f->optional) || n > f->max)
      return RV_EINVAL;
    rv_enc_cstr(enc, s);
    return 0;
  }
  case S_MEMBER: rv_enc_bin(enc, b->member.b, RV_ID_LEN); return 0;
  case S_ROLE:
    if (b->role != RV_ROLE_MEMBER && b->role != RV_ROLE_FACILITATOR)
      return RV_EINVAL;
    rv_enc_cstr(enc, rv_role_name(b->role));
    return 0;
  case S_SALT: rv_enc_bin(enc, b->salt, sizeof b->salt); return 0;
  case S_REF: rv_enc_bin(enc, b->ref.b, RV_OID_LEN); return 0;
  case S_REFS:
    if (b->nrefs == 0 || b->nrefs > f->max)
      return RV_EINVAL;
    rv_enc_array(enc, (uint32_t)b->nrefs);
    for (size_t i = 0; i < b->nrefs; i++)
      rv_enc_bin(enc, b->refs[i].b, RV_OID_LEN);
    return 0;
  case S_NUM:
  case S_NUM2: {
    uint64_t v = *num_slot(m, f->slot);
    if (f->max && v > f->max)
      return RV_EINVAL;
    rv_enc_uint(enc, v);
    return 0;
  }
  case S_FLAG: rv_enc_bool(enc, b->flag); return 0;
  case S_BOXES:
    if (b->nboxes > f->max)
      return RV_EINVAL;
    rv_enc_array(enc, (uint32_t)b->nboxes);
    for (size_t i = 0; i < b->nboxes; i++) {
      rv_enc_array(enc, 2);
      rv_enc_bin(enc, b->boxes[i].member.b, RV_ID_LEN);
      rv_enc_bin(enc, b->boxes[i].box, RV_KEYBOX_LEN);
    }
    return 0;
  case S_MEMBERS:
    if (b->nmembers == 0 || b->nmembers > f->max)
      return RV_EINVAL;
    rv_enc_array(enc, (uint32_t)b->nmembers);
    for (size_t i = 0; i < b->nmembers; i++)
      rv_enc_bin(enc, b->members[i].b, RV_ID_LEN);
    return 0;
  default: return RV_EINVAL;
  }
}

/* Whether the body leaves field f out: an optional member list when empty. */
static bool left_out(const field_t *f, const rv_body_t *b) {
  return f->slot == S_MEMBERS && f->optional && b->nmembers == 0;
}

int rv_body_encode(rv_enc_t *enc, const rv_body_t *b) {
  if (b->type <= RV_BODY_UNKNOWN || b->type >= RV_BODY__COUNT)
    return RV_EINVAL;
  size_t n = nfields(b->type), written = 0;
  for (size_t i = 0; i < n; i++)
    written += !left_out(&schema[b->type][i], b);
  rv_enc_map(enc, (uint32_t)(written + 1));
  rv_enc_cstr(enc, "t");
  rv_enc_cstr(enc, type_names[b->type]);
  for (size_t i = 0; i < n; i++) {
    if (left_out(&schema[b->type][i], b))
      continue;
    int r = encode_field(enc, &schema[b->type][i], b);
    if (r < 0)
      return r;
  }
  return rv_enc_status(enc);
}

/* ---- decoding ------------------------------------------------------ */

/* A list of 1..max ids of len bytes each (rv_oid_t, rv_member_id_t: the
 * bytes alone) into *ret (malloc'd) and *ret_n. */
static int decode_ids(rv_val_t v, size_t max, size_t len, void **ret, size_t *ret_n) {
  uint32_t n = rv_val_len(v);
  uint8_t *ids;
  if (rv_val_kind(v) != RV_K_ARRAY || n == 0 || n > max)
    return RV_EFORMAT;
  if (!(ids = calloc(n, len)))
    return RV_ENOMEM;
  *ret = ids; /* released with the body, whatever follows */
  *ret_n = n;
  for (uint32_t i = 0; i < n; i++) {
    rv_val_t e;
    rv_val_at(v, i, &e);
    if (rv_val_bin_fixed(e, ids + i * len, len) < 0)
      return RV_EFORMAT;
  }
  return 0;
}

static int decode_field(rv_val_t m, const field_t *f, rv_body_t *b) {
  rv_val_t v;
  int r;
  bool present = rv_val_get(m, f->key, &v) == 0 && rv_val_kind(v) != RV_K_NIL;
  if (!present)
    return f->optional ? 0 : RV_EFORMAT;
  switch (f->slot) {
  case S_NAME:
  case S_TEXT:
  case S_TEXT2: {
    char **dst = str_slot(b, f->slot);
    if ((r = rv_val_strdup(v, f->max, dst)) < 0)
      return r;
    return (*dst)[0] || f->optional ? 0 : RV_EFORMAT;
  }
  case S_MEMBER: return rv_val_bin_fixed(v, b->member.b, RV_ID_LEN);
  case S_ROLE: {
    char *role = NULL;
    if ((r = rv_val_strdup(v, 16, &role)) < 0)
      return r;
    b->role = rv_role_parse(role);
    free(role);
    return b->role == RV_ROLE_NONE ? RV_EFORMAT : 0;
  }
  case S_SALT: return rv_val_bin_fixed(v, b->salt, sizeof b->salt);
  case S_REF: return rv_val_bin_fixed(v, b->ref.b, RV_OID_LEN);
  case S_REFS: return decode_ids(v, f->max, RV_OID_LEN, (void **)&b->refs, &b->nrefs);
  case S_NUM:
  case S_NUM2: {
    uint64_t *dst = num_slot(b, f->slot);
    if ((r = rv_val_uint(v, dst)) < 0)
      return r;
    return f->max && *dst > f->max ? RV_EFORMAT : 0;
  }
  case S_FLAG: return rv_val_bool(v, &b->flag);
  case S_BOXES: {
    /* May be empty: removing the last member but oneself leaves one box,
     * and a facilitator removing themselves may leave none they can seal. */
    uint32_t n = rv_val_len(v);
    if (rv_val_kind(v) != RV_K_ARRAY || n > f->max)
      return RV_EFORMAT;
    if (n && !(b->boxes = calloc(n, sizeof *b->boxes)))
      return RV_ENOMEM;
    b->nboxes = n;
    for (uint32_t i = 0; i < n; i++) {
      rv_val_t e, x;
      rv_val_at(v, i, &e);
      if (rv_val_kind(e) != RV_K_ARRAY || rv_val_len(e) != 2 || rv_val_at(e, 0, &x) < 0 ||
          rv_val_bin_fixed(x, b->boxes[i].member.b, RV_ID_LEN) < 0 || rv_val_at(e, 1, &x) < 0 ||
          rv_val_bin_fixed(x, b->boxes[i].box, RV_KEYBOX_LEN) < 0)
        return RV_EFORMAT;
    }
    return 0;
  }
  case S_MEMBERS: return decode_ids(v, f->max, RV_ID_LEN, (void **)&b->members, &b->nmembers);
  default: return RV_EFORMAT;
  }
}

int rv_body_decode(rv_dec_t *dec, const uint8_t *p, size_t n, rv_body_t *ret) {
  rv_val_t m, t;
  rv_body_t b;
  int r;
  memset(&b, 0, sizeof b);
  if ((r = rv_dec_parse(dec, p, n, &m)) < 0)
    return r;
  if (rv_val_kind(m) != RV_K_MAP || rv_val_get(m, "t", &t) < 0 || rv_val_kind(t) != RV_K_STR)
    return RV_EFORMAT;
  const char *tp;
  size_t tn;
  rv_val_str(t, &tp, &tn);
  for (size_t i = 1; i < RV_BODY__COUNT && !b.type; i++)
    if (strlen(type_names[i]) == tn && memcmp(type_names[i], tp, tn) == 0)
      b.type = (enum rv_body_type)i;
  size_t nf = b.type ? nfields(b.type) : 0;
  for (size_t i = 0; i < nf; i++)
    if ((r = decode_field(m, &schema[b.type][i], &b)) < 0) {
      rv_body_release(&b);
      return r == RV_ENOMEM ? r : RV_EFORMAT;
    }
  *ret = b;
  return 0;
}

void rv_body_release(rv_body_t *b) {
  free(b->name);
  free(b->text);
  free(b->text2);
  free(b->refs);
  free(b->boxes);
  free(b->members);
  memset(b, 0, sizeof *b);
}
