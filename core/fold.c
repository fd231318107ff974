/*
 * The deterministic fold of records into set state, its encoding, and its
 * hash. Nothing here reads the store: callers feed records in order
 * (lamport, author, seq) and persist the result.
 */
#include "internal_fold.h"
#include "revans/crypto.h"
#include "revans/error.h"
#include "revans/store.h"

#include <stdlib.h>
#include <string.h>

/* The layout of an encoded state; a stored state of another layout is
 * folded again from the log (setctx.c). 2: members' added and removed times.
 * 3: meetings in date order, a cancelled meeting's reason; attending and
 * apologies replace each other; the quorum changes no contract version;
 * bids' times, slots' parts, held questions. */
#define STATE_FORMAT 3

void rv_state_init(rv_state_t *s, const rv_set_id_t *set) {
  memset(s, 0, sizeof *s);
  s->set = *set;
}

void rv_state_release(rv_state_t *s) {
  free(s->name);
  free(s->topic);
  for (size_t i = 0; i < s->nmembers; i++)
    free(s->members[i].name);
  free(s->members);
  for (size_t i = 0; i < s->nremoved; i++)
    free(s->removed[i].name);
  free(s->removed);
  free(s->epochs);
  rv__programme_release(s);
  memset(s, 0, sizeof *s);
}

void rv_order_key(uint8_t out[RV_ORDER_LEN], const rv_header_t *hd) {
  memcpy(out, hd->set.b, RV_SETID_LEN);
  rv_be64_put(out + RV_SETID_LEN, hd->lamport);
  memcpy(out + RV_SETID_LEN + 8, hd->author.b, RV_ID_LEN);
  rv_be64_put(out + RV_SETID_LEN + 8 + RV_ID_LEN, hd->seq);
}

void rv_set_id_derive(rv_set_id_t *ret, const rv_member_id_t *creator, const uint8_t salt[16]) {
  uint8_t digest[RV_HASH_LEN];
  rv_hash2(digest, creator->b, RV_ID_LEN, salt, 16);
  memcpy(ret->b, digest, RV_SETID_LEN);
}

/* Binary search of a list of members sorted by id. */
static size_t member_index(const rv_member_t *v, size_t n, const rv_member_id_t *id, bool *found) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    int c = memcmp(v[mid].id.b, id->b, RV_ID_LEN);
    if (c == 0) {
      *found = true;
      return mid;
    }
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  *found = false;
  return lo;
}

const rv_member_t *rv_state_member(const rv_state_t *s, const rv_member_id_t *id) {
  bool found;
  size_t i = member_index(s->members, s->nmembers, id, &found);
  return found ? &s->members[i] : NULL;
}

const rv_member_t *rv_state_removed(const rv_state_t *s, const rv_member_id_t *id) {
  bool found;
  size_t i = member_index(s->removed, s->nremoved, id, &found);
  return found ? &s->removed[i] : NULL;
}

const rv_epoch_t *rv_state_epoch(const rv_state_t *s, uint32_t id) {
  for (size_t i = 0; i < s->nepochs; i++)
    if (s->epochs[i].id == id)
      return &s->epochs[i];
  return NULL;
}

const char *rv_fold_why_author(const rv_state_t *s, const rv_member_id_t *author) {
  if (!s->created)
    return "the set has not been created";
  if (rv_state_member(s, author))
    return NULL;
  if (rv_state_removed(s, author))
    return "a removed member no longer writes in the set";
  return "the author is not a member of the set";
}

/* The first 4 bytes, big-endian, of BLAKE2b(tag || set || author || seq). */
static uint32_t position_id(const char *tag, const rv_set_id_t *set, const rv_member_id_t *author,
                            uint64_t seq) {
  uint8_t k[32 + RV_SETID_LEN + RV_ID_LEN + 8], digest[RV_HASH_LEN];
  size_t tn = strlen(tag);
  memcpy(k, tag, tn);
  memcpy(k + tn, set->b, RV_SETID_LEN);
  memcpy(k + tn + RV_SETID_LEN, author->b, RV_ID_LEN);
  rv_be64_put(k + tn + RV_SETID_LEN + RV_ID_LEN, seq);
  rv_hash(digest, k, tn + RV_SETID_LEN + RV_ID_LEN + 8);
  return (uint32_t)digest[0] << 24 | (uint32_t)digest[1] << 16 | (uint32_t)digest[2] << 8 |
         digest[3];
}

uint32_t rv_epoch_derive(const rv_set_id_t *set, const rv_member_id_t *author, uint64_t seq) {
  return position_id("revans epoch v1", set, author, seq);
}

static rv_member_t *member_insert(rv_state_t *s, const rv_member_id_t *id) {
  bool found;
  size_t i = member_index(s->members, s->nmembers, id, &found);
  if (found)
    return &s->members[i];
  rv_member_t *m = realloc(s->members, (s->nmembers + 1) * sizeof *m);
  if (!m)
    return NULL;
  s->members = m;
  memmove(&m[i + 1], &m[i], (s->nmembers - i) * sizeof *m);
  memset(&m[i], 0, sizeof *m);
  m[i].id = *id;
  s->nmembers++;
  return &m[i];
}

/* Replaces *dst with a copy of src (which may be NULL). */
static int set_text(char **dst, const char *src) {
  char *c = NULL;
  if (src && !(c = strdup(src)))
    return RV_ENOMEM;
  free(*dst);
  *dst = c;
  return 0;
}

/* Appends an epoch to the set's list. */
static int epoch_add(rv_state_t *s, uint32_t id, enum rv_epoch_kind kind, uint32_t a, uint32_t b) {
  rv_epoch_t *v = realloc(s->epochs, (s->nepochs + 1) * sizeof *v);
  if (!v)
    return RV_ENOMEM;
  s->epochs = v;
  v[s->nepochs++] = (rv_epoch_t){.id = id, .kind = kind, .a = a, .b = b};
  return 0;
}

/* Moves member i from the members to the removed, keeping both sorted. */
static int member_move_out(rv_state_t *s, size_t i) {
  bool found;
  rv_member_t *v = realloc(s->removed, (s->nremoved + 1) * sizeof *v);
  if (!v)
    return RV_ENOMEM;
  s->removed = v;
  size_t j = member_index(s->removed, s->nremoved, &s->members[i].id, &found);
  memmove(&v[j + 1], &v[j], (s->nremoved - j) * sizeof *v);
  v[j] = s->members[i];
  s->nremoved++;
  memmove(&s->members[i], &s->members[i + 1], (s->nmembers - i - 1) * sizeof *s->members);
  s->nmembers--;
  return 0;
}

/* Checks the key boxes of a removal: each for someone the set knows
 * (a member, or, when the removal crossed another, a member removed
 * since), none for the member removed, one per member at most. */
static const char *check_boxes(const rv_state_t *s, const rv_body_t *b, bool crossing) {
  for (size_t i = 0; i < b->nboxes; i++) {
    const rv_member_id_t *to = &b->boxes[i].member;
    if (memcmp(to->b, b->member.b, RV_ID_LEN) == 0)
      return "the removed member would get the new key";
    if (!rv_state_member(s, to) && !(crossing && rv_state_removed(s, to)))
      return "a key box is for someone who is not a member";
    for (size_t j = 0; j < i; j++)
      if (memcmp(b->boxes[j].member.b, to->b, RV_ID_LEN) == 0)
        return "two key boxes for one member";
  }
  return NULL;
}

/* member.remove: see docs/format.md, "Removal and key epochs". A removal
 * written under the current epoch starts its own epoch. One written under
 * another epoch crossed a removal its author had not seen (a partition):
 * each key then reached a member the other side removed, so the set moves
 * to a merged epoch whose key only those who hold both keys can derive. */
static int apply_remove(rv_state_t *s, const rv_header_t *hd, const rv_body_t *b,
                        const rv_member_t *author, const char **why) {
  bool crossing = hd->epoch != s->epoch;
  bool found, gone = false;
  size_t i;
  int r;
  if (author->role != RV_ROLE_FACILITATOR) {
    *why = "only a facilitator removes members";
    return 0;
  }
  if (b->num > UINT32_MAX || (uint32_t)b->num != rv_epoch_derive(&s->set, &hd->author, hd->seq)) {
    *why = "the new key epoch is not the one the record's position gives";
    return 0;
  }
  if (rv_state_epoch(s, (uint32_t)b->num)) {
    *why = "the new key epoch is already in use";
    return 0;
  }
  if (s->nepochs + 2 > RV_EPOCHS_MAX) {
    *why = "the set has too many key epochs";
    return 0;
  }
  i = member_index(s->members, s->nmembers, &b->member, &found);
  if (!found) {
    /* Removed on both sides of a partition: removed once, and the
     * crossing removal's key still counts (below). */
    gone = crossing && rv_state_removed(s, &b->member);
    if (!gone) {
      *why = rv_state_removed(s, &b->member) ? "the member has already been removed"
                                             : "no such member";
      return 0;
    }
  }
  if (found && s->members[i].role == RV_ROLE_FACILITATOR) {
    size_t fac = 0;
    for (size_t k = 0; k < s->nmembers; k++)
      fac += s->members[k].role == RV_ROLE_FACILITATOR;
    if (fac == 1) {
      *why = "the set's last facilitator cannot be removed";
      return 0;
    }
  }
  if ((*why = check_boxes(s, b, crossing)))
    return 0;
  if (!gone) {
    s->members[i].removed_ms = hd->time_ms;
    if ((r = member_move_out(s, i)) < 0)
      return r;
  }
  uint32_t e = (uint32_t)b->num;
  if ((r = epoch_add(s, e, RV_EPOCH_ROTATED, hd->epoch, 0)) < 0)
    return r;
  if (!crossing) {
    s->epoch = e;
    return 1;
  }
  /* The merged epoch's id comes from the same position; the first free
   * number from there, so that it never clashes with one in use. */
  uint32_t m = position_id("revans merged epoch v1", &s->set, &hd->author, hd->seq);
  while (m == 0 || rv_state_epoch(s, m))
    m++;
  if ((r = epoch_add(s, m, RV_EPOCH_MERGED, s->epoch, e)) < 0)
    return r;
  s->epoch = m;
  return 1;
}

static int apply(rv_state_t *s, const rv_header_t *hd, const rv_body_t *b, const char **why) {
  const rv_member_t *author = rv_state_member(s, &hd->author);
  rv_member_t *m;
  int r;

  if (b->type == RV_BODY_SET_CREATE) {
    rv_set_id_t derived;
    if (s->created) {
      *why = "the set already exists";
      return 0;
    }
    rv_set_id_derive(&derived, &hd->author, b->salt);
    if (memcmp(derived.b, s->set.b, RV_SETID_LEN) != 0 || hd->seq != 1 || hd->epoch != 0) {
      *why = "only the set's creator can write its first record";
      return 0;
    }
    if (!(m = member_insert(s, &hd->author)))
      return RV_ENOMEM;
    if ((r = set_text(&s->name, b->name)) < 0 || (r = set_text(&s->topic, b->text)) < 0 ||
        (r = set_text(&m->name, b->text2)) < 0)
      return r;
    m->role = RV_ROLE_FACILITATOR;
    m->joined = true;
    m->added_ms = hd->time_ms;
    if ((r = epoch_add(s, 0, RV_EPOCH_GENESIS, 0, 0)) < 0)
      return r;
    s->created = true;
    s->created_ms = hd->time_ms;
    s->creator = hd->author;
    s->epoch = 0;
    return 1;
  }
  if ((*why = rv_fold_why_author(s, &hd->author)))
    return 0;
  /* Any epoch the set has had: a member who has not yet heard of a removal
   * still writes under the key before it, and what they wrote counts (their
   * membership is what gives them the right to write, not the key). */
  if (!rv_state_epoch(s, hd->epoch)) {
    *why = "the record was written under a key epoch the set does not have";
    return 0;
  }
  switch (b->type) {
  case RV_BODY_MEMBER_ADD:
    if (author->role != RV_ROLE_FACILITATOR) {
      *why = "only a facilitator can invite";
      return 0;
    }
    if (rv_state_removed(s, &b->member)) {
      *why = "a removed member cannot be added again";
      return 0;
    }
    if (!(m = member_insert(s, &b->member)))
      return RV_ENOMEM;
    if (!m->added_ms)
      m->added_ms = hd->time_ms;
    if (b->role > m->role)
      m->role = b->role;
    return 1;
  case RV_BODY_MEMBER_JOIN:
    m = (rv_member_t *)author;
    if ((r = set_text(&m->name, b->name)) < 0)
      return r;
    m->joined = true;
    return 1;
  case RV_BODY_MEMBER_REMOVE: return apply_remove(s, hd, b, author, why);
  case RV_BODY_SET_TOPIC:
    if (author->role != RV_ROLE_FACILITATOR) {
      *why = "only a facilitator can change the topic";
      return 0;
    }
    if ((r = set_text(&s->topic, b->text)) < 0)
      return r;
    return 1;
  case RV_BODY_UNKNOWN: *why = "the record's type is not known to this version"; return 0;
  default: return rv__programme_apply(s, hd, b, author, why);
  }
}

int rv_fold_apply(rv_state_t *s, const rv_header_t *hd, const rv_body_t *b, const char **ret_why) {
  const char *why = NULL;
  int r = apply(s, hd, b, &why);
  if (r < 0)
    return r;
  if (hd->lamport > s->lamport_max)
    s->lamport_max = hd->lamport;
  rv_order_key(s->last, hd);
  s->has_last = true;
  if (r == 1)
    s->folded++;
  else
    s->ignored++;
  if (ret_why)
    *ret_why = why;
  return r;
}

void rv_fold_skip(rv_state_t *s, const rv_header_t *hd) {
  if (hd->lamport > s->lamport_max)
    s->lamport_max = hd->lamport;
  rv_order_key(s->last, hd);
  s->has_last = true;
  s->ignored++;
}

/* ---- encoding ------------------------------------------------------ */

int rv_state_encode(rv_enc_t *enc, const rv_state_t *s, bool full) {
  rv_enc_map(enc, (full ? 17 : 11) + RV__PROGRAMME_KEYS);
  rv_enc_cstr(enc, "set");
  rv_enc_bin(enc, s->set.b, RV_SETID_LEN);
  rv_enc_cstr(enc, "created");
  rv_enc_bool(enc, s->created);
  rv_enc_cstr(enc, "name");
  rv_enc_cstr(enc, s->name);
  rv_enc_cstr(enc, "topic");
  rv_enc_cstr(enc, s->topic);
  rv_enc_cstr(enc, "created_ms");
  rv_enc_uint(enc, s->created_ms);
  rv_enc_cstr(enc, "creator");
  rv_enc_bin(enc, s->creator.b, RV_ID_LEN);
  rv_enc_cstr(enc, "epoch");
  rv_enc_uint(enc, s->epoch);
  rv_enc_cstr(enc, "members");
  rv_enc_array(enc, (uint32_t)s->nmembers);
  for (size_t i = 0; i < s->nmembers; i++) {
    const rv_member_t *m = &s->members[i];
    rv_enc_array(enc, 6);
    rv_enc_bin(enc, m->id.b, RV_ID_LEN);
    rv_enc_cstr(enc, m->name);
    rv_enc_uint(enc, m->role);
    rv_enc_bool(enc, m->joined);
    rv_enc_uint(enc, m->agreed);
    rv_enc_uint(enc, m->added_ms);
  }
  rv_enc_cstr(enc, "removed");
  rv_enc_array(enc, (uint32_t)s->nremoved);
  for (size_t i = 0; i < s->nremoved; i++) {
    const rv_member_t *m = &s->removed[i];
    rv_enc_array(enc, 5);
    rv_enc_bin(enc, m->id.b, RV_ID_LEN);
    rv_enc_cstr(enc, m->name);
    rv_enc_uint(enc, m->role);
    rv_enc_uint(enc, m->added_ms);
    rv_enc_uint(enc, m->removed_ms);
  }
  rv_enc_cstr(enc, "epochs");
  rv_enc_array(enc, (uint32_t)s->nepochs);
  for (size_t i = 0; i < s->nepochs; i++) {
    rv_enc_array(enc, 4);
    rv_enc_uint(enc, s->epochs[i].id);
    rv_enc_uint(enc, s->epochs[i].kind);
    rv_enc_uint(enc, s->epochs[i].a);
    rv_enc_uint(enc, s->epochs[i].b);
  }
  rv__programme_encode(enc, s);
  rv_enc_cstr(enc, "format");
  rv_enc_uint(enc, STATE_FORMAT);
  if (full) {
    rv_enc_cstr(enc, "lamport_max");
    rv_enc_uint(enc, s->lamport_max);
    rv_enc_cstr(enc, "folded");
    rv_enc_uint(enc, s->folded);
    rv_enc_cstr(enc, "ignored");
    rv_enc_uint(enc, s->ignored);
    rv_enc_cstr(enc, "has_last");
    rv_enc_bool(enc, s->has_last);
    rv_enc_cstr(enc, "last");
    rv_enc_bin(enc, s->last, RV_ORDER_LEN);
    rv_enc_cstr(enc, "refold_id");
    rv_enc_uint(enc, s->refold_id);
  }
  return rv_enc_status(enc);
}

static int opt_text(rv_val_t m, const char *key, size_t max, char **ret) {
  rv_val_t v;
  if (rv_val_get(m, key, &v) < 0)
    return RV_EFORMAT;
  if (rv_val_kind(v) == RV_K_NIL) {
    *ret = NULL;
    return 0;
  }
  return rv_val_strdup(v, max, ret);
}

static int decode_removed(rv_val_t m, rv_state_t *s) {
  rv_val_t a, v, f;
  uint64_t role;
  if (rv_val_get(m, "removed", &a) < 0 || rv_val_kind(a) != RV_K_ARRAY)
    return RV_EFORMAT;
  uint32_t n = rv_val_len(a);
  if (n && !(s->removed = calloc(n, sizeof *s->removed)))
    return RV_ENOMEM;
  for (uint32_t i = 0; i < n; i++) {
    rv_member_t *mem = &s->removed[i];
    rv_val_at(a, i, &v);
    if (rv_val_kind(v) != RV_K_ARRAY || rv_val_len(v) != 5)
      return RV_EFORMAT;
    s->nremoved = i + 1;
    rv_val_at(v, 0, &f);
    if (rv_val_bin_fixed(f, mem->id.b, RV_ID_LEN) < 0)
      return RV_EFORMAT;
    rv_val_at(v, 1, &f);
    if (rv_val_kind(f) != RV_K_NIL && rv_val_strdup(f, RV_NAME_MAX, &mem->name) < 0)
      return RV_EFORMAT;
    rv_val_at(v, 2, &f);
    if (rv_val_uint(f, &role) < 0 || role > RV_ROLE_FACILITATOR)
      return RV_EFORMAT;
    mem->role = (enum rv_role)role;
    rv_val_at(v, 3, &f);
    if (rv_val_uint(f, &mem->added_ms) < 0)
      return RV_EFORMAT;
    rv_val_at(v, 4, &f);
    if (rv_val_uint(f, &mem->removed_ms) < 0)
      return RV_EFORMAT;
  }
  return 0;
}

static int decode_epochs(rv_val_t m, rv_state_t *s) {
  rv_val_t a, v, f;
  if (rv_val_get(m, "epochs", &a) < 0 || rv_val_kind(a) != RV_K_ARRAY ||
      rv_val_len(a) > RV_EPOCHS_MAX)
    return RV_EFORMAT;
  uint32_t n = rv_val_len(a);
  if (n && !(s->epochs = calloc(n, sizeof *s->epochs)))
    return RV_ENOMEM;
  for (uint32_t i = 0; i < n; i++) {
    uint64_t x[4];
    rv_val_at(a, i, &v);
    if (rv_val_kind(v) != RV_K_ARRAY || rv_val_len(v) != 4)
      return RV_EFORMAT;
    for (uint32_t k = 0; k < 4; k++) {
      rv_val_at(v, k, &f);
      if (rv_val_uint(f, &x[k]) < 0 || x[k] > UINT32_MAX)
        return RV_EFORMAT;
    }
    if (x[1] > RV_EPOCH_MERGED)
      return RV_EFORMAT;
    s->epochs[i] = (rv_epoch_t){.id = (uint32_t)x[0],
                                .kind = (enum rv_epoch_kind)x[1],
                                .a = (uint32_t)x[2],
                                .b = (uint32_t)x[3]};
    s->nepochs = i + 1;
  }
  return 0;
}

int rv_state_decode(rv_dec_t *dec, const uint8_t *p, size_t n, rv_state_t *ret) {
  rv_val_t m, v, mv, f;
  rv_state_t s;
  uint64_t u, fmt;
  bool created, has_last;
  int r;
  memset(&s, 0, sizeof s);
  if ((r = rv_dec_parse(dec, p, n, &m)) < 0)
    return r;
  r = RV_EFORMAT;
  if (rv_get_bin_fixed(m, "set", s.set.b, RV_SETID_LEN) < 0 || rv_val_get(m, "created", &v) < 0 ||
      rv_val_bool(v, &created) < 0 || opt_text(m, "name", RV_NAME_MAX, &s.name) < 0 ||
      opt_text(m, "topic", RV_TEXT_MAX, &s.topic) < 0 ||
      rv_get_uint(m, "created_ms", &s.created_ms) < 0 ||
      rv_get_bin_fixed(m, "creator", s.creator.b, RV_ID_LEN) < 0 ||
      rv_get_uint(m, "format", &fmt) < 0 || fmt != STATE_FORMAT ||
      rv_get_uint(m, "epoch", &u) < 0 || u > UINT32_MAX ||
      rv_get_uint(m, "lamport_max", &s.lamport_max) < 0 ||
      rv_get_uint(m, "folded", &s.folded) < 0 || rv_get_uint(m, "ignored", &s.ignored) < 0 ||
      rv_val_get(m, "has_last", &v) < 0 || rv_val_bool(v, &has_last) < 0 ||
      rv_get_bin_fixed(m, "last", s.last, RV_ORDER_LEN) < 0 || rv_val_get(m, "members", &mv) < 0 ||
      rv_val_kind(mv) != RV_K_ARRAY)
    goto fail;
  /* refold_id: absent from states stored before it was kept (read as 0) */
  if (rv_val_get(m, "refold_id", &v) == 0 && rv_val_uint(v, &s.refold_id) < 0)
    goto fail;
  s.created = created;
  s.has_last = has_last;
  s.epoch = (uint32_t)u;
  uint32_t nm = rv_val_len(mv);
  if (nm && !(s.members = calloc(nm, sizeof *s.members))) {
    r = RV_ENOMEM;
    goto fail;
  }
  for (uint32_t i = 0; i < nm; i++) {
    rv_member_t *mem = &s.members[i];
    uint64_t role;
    bool joined;
    rv_val_at(mv, i, &v);
    if (rv_val_kind(v) != RV_K_ARRAY || rv_val_len(v) != 6)
      goto fail;
    s.nmembers = i + 1;
    rv_val_at(v, 0, &f);
    if (rv_val_bin_fixed(f, mem->id.b, RV_ID_LEN) < 0)
      goto fail;
    rv_val_at(v, 1, &f);
    if (rv_val_kind(f) != RV_K_NIL && rv_val_strdup(f, RV_NAME_MAX, &mem->name) < 0)
      goto fail;
    rv_val_at(v, 2, &f);
    if (rv_val_uint(f, &role) < 0 || role > RV_ROLE_FACILITATOR)
      goto fail;
    mem->role = (enum rv_role)role;
    rv_val_at(v, 3, &f);
    if (rv_val_bool(f, &joined) < 0)
      goto fail;
    mem->joined = joined;
    rv_val_at(v, 4, &f);
    if (rv_val_uint(f, &mem->agreed) < 0)
      goto fail;
    rv_val_at(v, 5, &f);
    if (rv_val_uint(f, &mem->added_ms) < 0)
      goto fail;
  }
  if ((r = decode_removed(m, &s)) < 0 || (r = decode_epochs(m, &s)) < 0 ||
      (r = rv__programme_decode(m, &s)) < 0)
    goto fail;
  *ret = s;
  return 0;
fail:
  rv_state_release(&s);
  return r;
}

int rv_state_hash(rv_enc_t *enc, const rv_state_t *s, rv_hash_t *ret) {
  rv_enc_reset(enc);
  int r = rv_state_encode(enc, s, false);
  if (r < 0)
    return r;
  size_t n;
  const uint8_t *p = rv_enc_data(enc, &n);
  rv_hash(ret->b, p, n);
  return 0;
}
