/*
 * Record bodies: the plaintext inside an envelope, a msgpack map whose "t"
 * names the type. The schema of every type (its wire name, its fields,
 * their kinds and bounds) is one table in body.c; a decoded body is one
 * flat struct whose slots each type uses as that table says. Writers fill
 * an rv_body_t and call rv_body_encode(); the fold calls rv_body_decode().
 * A body of a type this version does not know decodes as RV_BODY_UNKNOWN
 * and is ignored by the fold.
 */
#ifndef REVANS_BODY_H
#define REVANS_BODY_H

#include "revans/codec.h"
#include "revans/types.h"
#include <stdbool.h>

enum rv_role { RV_ROLE_NONE = 0, RV_ROLE_MEMBER = 1, RV_ROLE_FACILITATOR = 2 };

/* Objects a set's records create (meetings, questions, actions) are named
 * by the first bytes of BLAKE2b(set id, author, seq) of the creating
 * record: fold.h rv_oid_of(). */
#define RV_OID_LEN 8
typedef struct rv_oid {
  uint8_t b[RV_OID_LEN];
} rv_oid_t;

#define RV_BODY_TYPES(X)                                                                           \
  X(SET_CREATE, "set.create")             /* salt, name, text: topic, text2: creator */            \
  X(MEMBER_ADD, "member.add")             /* member, role */                                       \
  X(MEMBER_JOIN, "member.join")           /* name */                                               \
  X(MEMBER_REMOVE, "member.remove")       /* member, num: new epoch, boxes: its key */             \
  X(SET_TOPIC, "set.topic")               /* text: topic (may be NULL) */                          \
  X(CONTRACT_ADD, "contract.add")         /* text: the rule */                                     \
  X(CONTRACT_QUORUM, "contract.quorum")   /* num: members needed, 0 for none */                    \
  X(CONTRACT_AGREE, "contract.agree")     /* num: the contract version agreed to */                \
  X(MEETING_SCHEDULE, "meeting.schedule") /* num: at (ms), num2: minutes, text: place */           \
  X(MEETING_START, "meeting.start")       /* ref: meeting */                                       \
  X(MEETING_NEXT, "meeting.next")         /* ref: meeting, num: phase, num2: slot now */           \
  X(MEETING_CLOSE, "meeting.close")       /* ref: meeting */                                       \
  X(ATTEND, "attend")                     /* ref: meeting */                                       \
  X(APOLOGISE, "apologise")               /* ref: meeting, text: note */                           \
  X(BID, "bid")                           /* ref: meeting, text: summary, num: minutes */          \
  X(ALLOCATE, "allocate")                 /* ref: meeting, flag: equal, members: order */          \
  X(PRESENT, "present")                   /* ref: meeting */                                       \
  X(ASK, "question.ask")             /* ref: meeting, member: to, text, num: kind, flag: anyway */ \
  X(ANSWER, "question.answer")       /* ref: question, text */                                     \
  X(GROUP, "question.group")         /* refs: questions, name: label */                            \
  X(DISCARD, "question.discard")     /* ref: question */                                           \
  X(FOLLOW_UP, "question.follow-up") /* ref: question, text */                                     \
  X(ACTION_ADD, "action.add")        /* ref: meeting, text, num: due (days), 0: none */            \
  X(REPORT_IN, "action.report")      /* ref: action, num: status, text: note */                    \
  X(FEEDBACK, "feedback")            /* ref: meeting, text: well, text2: better */                 \
  X(MEETING_CANCEL, "meeting.cancel")       /* ref: meeting, text: reason (may be NULL) */         \
  X(CONTRACT_EDIT, "contract.edit")         /* ref: rule, text: the rule as it now reads */        \
  X(CONTRACT_WITHDRAW, "contract.withdraw") /* ref: rule */                                        \
  X(MEETING_PART, "meeting.part") /* ref: meeting, num: slot, num2: part (fold.h rv_part) */

enum rv_body_type {
  RV_BODY_UNKNOWN = 0,
#define RV_BODY_ENUM(name, wire) RV_BODY_##name,
  RV_BODY_TYPES(RV_BODY_ENUM)
#undef RV_BODY_ENUM
      RV_BODY__COUNT
};

#define RV_MAX_REFS 64   /* questions grouped by one record */
#define RV_MAX_ORDER 256 /* presenters one allocate record puts in order */

/* A removal carries the new epoch's key sealed to each remaining member
 * (crypto.h rv_seal_to): the box opens to set id || epoch (4 bytes, BE) ||
 * key, so that a box cannot be moved to another set or epoch. */
#define RV_MAX_BOXES 256
#define RV_KEYBOX_PLAIN (RV_SETID_LEN + 4 + 32)
#define RV_KEYBOX_LEN (RV_KEYBOX_PLAIN + 48) /* + RV_SEAL_OVERHEAD */
typedef struct rv_keybox {
  rv_member_id_t member;
  uint8_t box[RV_KEYBOX_LEN];
} rv_keybox_t;

typedef struct rv_body {
  enum rv_body_type type;
  uint8_t salt[16];
  rv_member_id_t member;
  enum rv_role role;
  rv_oid_t ref;
  rv_oid_t *refs; /* nrefs of them, malloc'd */
  size_t nrefs;
  rv_keybox_t *boxes; /* nboxes of them, malloc'd */
  size_t nboxes;
  rv_member_id_t *members; /* nmembers of them, malloc'd; an optional list, absent when empty */
  size_t nmembers;
  char *name; /* malloc'd strings, NULL when absent */
  char *text;
  char *text2;
  uint64_t num;
  uint64_t num2;
  bool flag;
} rv_body_t;

/* Appends the encoding of b to a reset encoder. RV_EINVAL for a field out
 * of bounds (an empty or too long text, an unknown role). The strings and
 * refs stay the caller's. */
int rv_body_encode(rv_enc_t *enc, const rv_body_t *b);
/* Fills ret; the caller releases it with rv_body_release(). RV_EFORMAT for
 * a malformed body of a known type. */
int rv_body_decode(rv_dec_t *dec, const uint8_t *p, size_t n, rv_body_t *ret);
/* Frees what rv_body_decode() allocated in b. */
void rv_body_release(rv_body_t *b);
/* The wire name of a type ("set.create"), "unknown" for RV_BODY_UNKNOWN. */
const char *rv_body_type_name(enum rv_body_type t);
/* "member", "facilitator", else "none": a static string. */
const char *rv_role_name(enum rv_role r);
/* RV_ROLE_NONE for anything but "member" and "facilitator". */
enum rv_role rv_role_parse(const char *s);

#endif
