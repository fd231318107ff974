/*
 * msgpack in and out, behind revans's own types. An rv_enc_t builds one
 * message at a time; an rv_dec_t parses one message and hands out rv_val_t
 * handles to walk it. Parsing is bounded: the input is scanned first so that
 * no container may claim more elements than there are bytes left, and
 * nesting is limited. codec.c is the only file that includes msgpack.h.
 */
#ifndef REVANS_CODEC_H
#define REVANS_CODEC_H

#include "revans/types.h"
#include <stdbool.h>

#define RV_DEC_MAX_DEPTH 16

typedef struct rv_enc rv_enc_t;
typedef struct rv_dec rv_dec_t;

/* A borrowed handle to one parsed value: valid until the next
 * rv_dec_parse() on the same decoder, its destruction, or until the input
 * bytes it was parsed from are freed (strings and bins point into them). */
typedef struct rv_val {
  const void *p;
} rv_val_t;

enum rv_kind {
  RV_K_NIL,
  RV_K_BOOL,
  RV_K_UINT,
  RV_K_INT,
  RV_K_FLOAT,
  RV_K_STR,
  RV_K_BIN,
  RV_K_ARRAY,
  RV_K_MAP,
  RV_K_OTHER
};

/* Encoder. Writes never fail individually: an allocation failure is
 * remembered and reported by rv_enc_status(). rv_enc_new: RV_ENOMEM; the
 * caller owns *ret and frees it with rv_enc_destroy (accepts NULL, sets
 * *e to NULL). rv_enc_reset starts a new message, keeping the memory. */
int rv_enc_new(rv_enc_t **ret);
void rv_enc_destroy(rv_enc_t **e);
void rv_enc_reset(rv_enc_t *e);
/* Headers of an array of n elements or a map of n pairs, and scalars. */
void rv_enc_array(rv_enc_t *e, uint32_t n);
void rv_enc_map(rv_enc_t *e, uint32_t n);
void rv_enc_uint(rv_enc_t *e, uint64_t v);
void rv_enc_bool(rv_enc_t *e, bool v);
void rv_enc_nil(rv_enc_t *e);
void rv_enc_str(rv_enc_t *e, const char *s, size_t n);
void rv_enc_cstr(rv_enc_t *e, const char *s); /* NULL encodes nil */
void rv_enc_bin(rv_enc_t *e, const void *p, size_t n);
/* Appends bytes that are already a msgpack encoding of one value. */
void rv_enc_raw(rv_enc_t *e, const void *p, size_t n);
int rv_enc_status(const rv_enc_t *e); /* 0 or RV_ENOMEM */
/* Wipes the bytes written so far (after encoding a secret) and resets. */
void rv_enc_wipe(rv_enc_t *e);
/* The bytes so far; borrowed until the next write or reset. */
const uint8_t *rv_enc_data(const rv_enc_t *e, size_t *ret_len);

/* Decoder. rv_dec_new: RV_ENOMEM; the caller owns *ret and frees it with
 * rv_dec_destroy (accepts NULL, sets *d to NULL), which ends every value
 * handle it gave. */
int rv_dec_new(rv_dec_t **ret);
void rv_dec_destroy(rv_dec_t **d);
/* Parses exactly one value filling all n bytes. RV_EFORMAT for anything
 * else (trailing bytes, truncation, ext types, too deep, oversized counts). */
int rv_dec_parse(rv_dec_t *d, const uint8_t *p, size_t n, rv_val_t *ret);
/* The same, refusing input of more than max_values values in all (a bound
 * on the tree the parser would build). */
int rv_dec_parse_bounded(rv_dec_t *d, const uint8_t *p, size_t n, size_t max_values, rv_val_t *ret);
/* The same bound checks without building a tree; the second also counts
 * the values (every element of every container, and the root), so that a
 * caller can refuse input that would build too large a tree. */
int rv_dec_scan(const uint8_t *p, size_t n);
int rv_dec_scan_count(const uint8_t *p, size_t n, size_t *ret_values);
/* The same for the first value of p, which may be followed by other bytes:
 * its length. */
int rv_dec_scan_prefix(const uint8_t *p, size_t n, size_t *ret_len);

/* Walking a parsed value. Every getter returns RV_EFORMAT when the value
 * is not of its kind (or the index is out of range), leaving *ret as it
 * was; pointers handed out borrow from the input bytes. */
enum rv_kind rv_val_kind(rv_val_t v);
/* Elements of an array, pairs of a map, 0 for anything else. */
uint32_t rv_val_len(rv_val_t v);
int rv_val_at(rv_val_t v, uint32_t i, rv_val_t *ret);                      /* array element */
int rv_val_pair(rv_val_t v, uint32_t i, rv_val_t *ret_k, rv_val_t *ret_v); /* map pair */
int rv_val_get(rv_val_t map, const char *key, rv_val_t *ret);              /* RV_ENOTFOUND */
int rv_val_uint(rv_val_t v, uint64_t *ret); /* a non-negative integer */
int rv_val_bool(rv_val_t v, bool *ret);
int rv_val_bin(rv_val_t v, const uint8_t **ret_p, size_t *ret_n);
/* A bin of exactly n bytes, copied to out. */
int rv_val_bin_fixed(rv_val_t v, void *out, size_t n);
int rv_val_str(rv_val_t v, const char **ret_p, size_t *ret_n);
/* A string of at most max bytes without NUL, copied NUL-terminated into a
 * new malloc'd string the caller owns. RV_ETOOBIG if longer. */
int rv_val_strdup(rv_val_t v, size_t max, char **ret);
/* True when v is a string equal to s. */
bool rv_val_is_str(rv_val_t v, const char *s);

/* Convenience for maps: field must exist with the given type
 * (RV_EFORMAT otherwise, RV_ETOOBIG for a string longer than max). */
int rv_get_uint(rv_val_t map, const char *key, uint64_t *ret);
int rv_get_strdup(rv_val_t map, const char *key, size_t max, char **ret);
int rv_get_bin_fixed(rv_val_t map, const char *key, void *out, size_t n);

#endif
