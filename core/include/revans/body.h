/*
 * Record bodies: the plaintext inside an envelope, a msgpack map whose "t"
 * names the type. This header is the schema: every type, its fields and
 * their bounds. Writers fill an rv_body_t and call rv_body_encode(); the fold
 * calls rv_body_decode(). A body of a type this version does not know
 * decodes as RV_BODY_UNKNOWN and is ignored by the fold.
 */
#ifndef REVANS_BODY_H
#define REVANS_BODY_H

#include "revans/codec.h"
#include "revans/types.h"

enum rv_role { RV_ROLE_NONE = 0, RV_ROLE_MEMBER = 1, RV_ROLE_FACILITATOR = 2 };

enum rv_body_type {
  RV_BODY_UNKNOWN = 0,
  RV_BODY_SET_CREATE,  /* "set.create": the genesis record of a set */
  RV_BODY_MEMBER_ADD,  /* "member.add": a facilitator admits a member */
  RV_BODY_MEMBER_JOIN, /* "member.join": a member introduces themselves */
  RV_BODY_SET_TOPIC,   /* "set.topic": a facilitator changes the topic */
};

typedef struct rv_body {
  enum rv_body_type type;
  union {
    struct {
      uint8_t salt[16];
      char *name;         /* the set's name, 1..RV_NAME_MAX bytes */
      char *topic;        /* may be NULL; up to RV_TEXT_MAX bytes */
      char *creator_name; /* the facilitator's own name */
    } create;
    struct {
      rv_member_id_t member;
      enum rv_role role;
    } add;
    struct {
      char *name;
    } join;
    struct {
      char *topic;
    } topic;
  } u;
} rv_body_t;

/* Appends the encoding of b to a reset encoder. RV_EINVAL for a field out
 * of bounds (an empty or too long name, an unknown role). */
int rv_body_encode(rv_enc_t *enc, const rv_body_t *b);
/* Fills ret; the caller releases it with rv_body_release(). RV_EFORMAT for
 * a malformed body of a known type. */
int rv_body_decode(rv_dec_t *dec, const uint8_t *p, size_t n, rv_body_t *ret);
void rv_body_release(rv_body_t *b);
/* The wire name of a type ("set.create"), "unknown" for RV_BODY_UNKNOWN. */
const char *rv_body_type_name(enum rv_body_type t);
const char *rv_role_name(enum rv_role r);
/* RV_ROLE_NONE for anything but "member" and "facilitator". */
enum rv_role rv_role_parse(const char *s);

#endif
