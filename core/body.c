/*
 * Encoding and decoding of record bodies (the schema is body.h). Every
 * string read from a body is bounded and copied, so that a decoded body
 * owns its memory and outlives the plaintext it came from.
 */
#include "revans/body.h"
#include "revans/error.h"

#include <stdlib.h>
#include <string.h>

static const char *const type_names[] = {
    [RV_BODY_UNKNOWN] = "unknown",
    [RV_BODY_SET_CREATE] = "set.create",
    [RV_BODY_MEMBER_ADD] = "member.add",
    [RV_BODY_MEMBER_JOIN] = "member.join",
    [RV_BODY_SET_TOPIC] = "set.topic",
};

const char *rv_body_type_name(enum rv_body_type t) {
  if ((size_t)t >= sizeof type_names / sizeof type_names[0])
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

static bool text_ok(const char *s, size_t max, bool may_be_empty) {
  if (!s)
    return may_be_empty;
  size_t n = strlen(s);
  return (n > 0 || may_be_empty) && n <= max;
}

int rv_body_encode(rv_enc_t *enc, const rv_body_t *b) {
  switch (b->type) {
  case RV_BODY_SET_CREATE:
    if (!text_ok(b->u.create.name, RV_NAME_MAX, false) ||
        !text_ok(b->u.create.topic, RV_TEXT_MAX, true) ||
        !text_ok(b->u.create.creator_name, RV_NAME_MAX, false))
      return RV_EINVAL;
    rv_enc_map(enc, 5);
    rv_enc_cstr(enc, "t");
    rv_enc_cstr(enc, "set.create");
    rv_enc_cstr(enc, "salt");
    rv_enc_bin(enc, b->u.create.salt, sizeof b->u.create.salt);
    rv_enc_cstr(enc, "name");
    rv_enc_cstr(enc, b->u.create.name);
    rv_enc_cstr(enc, "topic");
    rv_enc_cstr(enc, b->u.create.topic);
    rv_enc_cstr(enc, "creator");
    rv_enc_cstr(enc, b->u.create.creator_name);
    break;
  case RV_BODY_MEMBER_ADD:
    if (b->u.add.role != RV_ROLE_MEMBER && b->u.add.role != RV_ROLE_FACILITATOR)
      return RV_EINVAL;
    rv_enc_map(enc, 3);
    rv_enc_cstr(enc, "t");
    rv_enc_cstr(enc, "member.add");
    rv_enc_cstr(enc, "member");
    rv_enc_bin(enc, b->u.add.member.b, RV_ID_LEN);
    rv_enc_cstr(enc, "role");
    rv_enc_cstr(enc, rv_role_name(b->u.add.role));
    break;
  case RV_BODY_MEMBER_JOIN:
    if (!text_ok(b->u.join.name, RV_NAME_MAX, false))
      return RV_EINVAL;
    rv_enc_map(enc, 2);
    rv_enc_cstr(enc, "t");
    rv_enc_cstr(enc, "member.join");
    rv_enc_cstr(enc, "name");
    rv_enc_cstr(enc, b->u.join.name);
    break;
  case RV_BODY_SET_TOPIC:
    if (!text_ok(b->u.topic.topic, RV_TEXT_MAX, true))
      return RV_EINVAL;
    rv_enc_map(enc, 2);
    rv_enc_cstr(enc, "t");
    rv_enc_cstr(enc, "set.topic");
    rv_enc_cstr(enc, "topic");
    rv_enc_cstr(enc, b->u.topic.topic);
    break;
  default:
    return RV_EINVAL;
  }
  return rv_enc_status(enc);
}

/* A string field that may be nil. */
static int get_opt_text(rv_val_t m, const char *key, size_t max, char **ret) {
  rv_val_t v;
  if (rv_val_get(m, key, &v) < 0 || rv_val_kind(v) == RV_K_NIL) {
    *ret = NULL;
    return 0;
  }
  return rv_val_strdup(v, max, ret);
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
  for (size_t i = 1; i < sizeof type_names / sizeof type_names[0]; i++)
    if (rv_val_is_str(t, type_names[i]))
      b.type = (enum rv_body_type)i;
  r = 0;
  switch (b.type) {
  case RV_BODY_SET_CREATE:
    if ((r = rv_get_bin_fixed(m, "salt", b.u.create.salt, sizeof b.u.create.salt)) < 0 ||
        (r = rv_get_strdup(m, "name", RV_NAME_MAX, &b.u.create.name)) < 0 ||
        (r = get_opt_text(m, "topic", RV_TEXT_MAX, &b.u.create.topic)) < 0 ||
        (r = rv_get_strdup(m, "creator", RV_NAME_MAX, &b.u.create.creator_name)) < 0)
      break;
    if (!b.u.create.name[0] || !b.u.create.creator_name[0])
      r = RV_EFORMAT;
    break;
  case RV_BODY_MEMBER_ADD: {
    char *role = NULL;
    if ((r = rv_get_bin_fixed(m, "member", b.u.add.member.b, RV_ID_LEN)) < 0 ||
        (r = rv_get_strdup(m, "role", 16, &role)) < 0)
      break;
    b.u.add.role = rv_role_parse(role);
    free(role);
    if (b.u.add.role == RV_ROLE_NONE)
      r = RV_EFORMAT;
    break;
  }
  case RV_BODY_MEMBER_JOIN:
    if ((r = rv_get_strdup(m, "name", RV_NAME_MAX, &b.u.join.name)) == 0 && !b.u.join.name[0])
      r = RV_EFORMAT;
    break;
  case RV_BODY_SET_TOPIC:
    r = get_opt_text(m, "topic", RV_TEXT_MAX, &b.u.topic.topic);
    break;
  default:
    break;
  }
  if (r < 0) {
    rv_body_release(&b);
    return r == RV_ENOMEM ? r : RV_EFORMAT;
  }
  *ret = b;
  return 0;
}

void rv_body_release(rv_body_t *b) {
  switch (b->type) {
  case RV_BODY_SET_CREATE:
    free(b->u.create.name);
    free(b->u.create.topic);
    free(b->u.create.creator_name);
    break;
  case RV_BODY_MEMBER_JOIN:
    free(b->u.join.name);
    break;
  case RV_BODY_SET_TOPIC:
    free(b->u.topic.topic);
    break;
  default:
    break;
  }
  memset(b, 0, sizeof *b);
}
