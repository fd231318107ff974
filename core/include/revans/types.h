/*
 * The small fixed-size value types every module speaks: member ids (Ed25519
 * public keys), set ids, hashes, and a growable byte buffer; with the
 * helpers at the bottom of core that need no dependency (util.c): memory,
 * wiping, the clock. No dependency's type appears here. Functions that can
 * fail return 0 or a negative RV_E* code (error.h).
 */
#ifndef REVANS_TYPES_H
#define REVANS_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RV_ID_LEN 32    /* member id: an Ed25519 public key */
#define RV_SETID_LEN 16 /* set id: BLAKE2b(creator id, salt), truncated */
#define RV_HASH_LEN 32  /* BLAKE2b-256 */
#define RV_KEY_LEN 32   /* symmetric keys */
#define RV_SIG_LEN 64   /* Ed25519 signature */
#define RV_SK_LEN 64    /* Ed25519 secret key (seed and public key) */
#define RV_NONCE_LEN 24 /* XChaCha20-Poly1305 nonce */
#define RV_MAC_LEN 16   /* Poly1305 tag */

#define RV_NAME_MAX 64   /* bytes in a person's or a set's name */
#define RV_TEXT_MAX 4096 /* bytes in a free-text field such as a topic */

typedef struct rv_member_id {
  uint8_t b[RV_ID_LEN];
} rv_member_id_t;
typedef struct rv_set_id {
  uint8_t b[RV_SETID_LEN];
} rv_set_id_t;
typedef struct rv_hash {
  uint8_t b[RV_HASH_LEN];
} rv_hash_t;

/* A growable byte buffer. rv_buf_init() on caller storage, rv_buf_release()
 * frees the bytes (wiping them first: buffers often hold plaintext) and
 * leaves it empty, ready for use again. data belongs to the buffer: a
 * pointer into it is valid until the next reserve, append or release. */
typedef struct rv_buf {
  uint8_t *data;
  size_t len;
  size_t cap;
  bool mapped; /* a large buffer: mapped with rv_mem_alloc() */
} rv_buf_t;

/* An empty buffer, owning nothing. */
void rv_buf_init(rv_buf_t *b);
/* Wipes the bytes held, frees them and leaves b empty. */
void rv_buf_release(rv_buf_t *b);
/* Frees without wiping: for buffers that held nothing secret (ciphertext,
 * files), or whose secret part the caller has wiped. */
void rv_buf_release_public(rv_buf_t *b);
void rv_buf_clear(rv_buf_t *b); /* len = 0, keeps the memory */
/* Makes room for extra more bytes after len (the old bytes are copied and
 * wiped, never realloc'd); RV_ENOMEM, leaving b as it was. */
int rv_buf_reserve(rv_buf_t *b, size_t extra);
/* Appends n bytes of p; RV_ENOMEM, leaving b as it was. */
int rv_buf_append(rv_buf_t *b, const void *p, size_t n);

/* Zeroed memory for large working sets (bulk ingest, bundle files): from
 * 1 MiB up it is mapped with every page faulted in at once, which on
 * virtual machines costs a fifth of taking the faults one page at a time.
 * NULL on failure; release with rv_mem_free(p, n, wipe), wiping it first
 * when it held anything secret. */
void *rv_mem_alloc(size_t n);
void rv_mem_free(void *p, size_t n, bool wipe);
/* Zeroes n bytes of secret memory in a way the compiler cannot drop as a
 * dead store. p may be NULL when n is 0. */
void rv_wipe(void *p, size_t n);
/* Faults in `bytes` of the C heap ahead of many small allocations (the
 * store's dirty pages during a bulk write), and keeps freed heap memory in
 * the process rather than returning it. Tunes the process's allocator. */
void rv_mem_prefault_heap(size_t bytes);

/* The wall clock, ms since 1970-01-01 UTC. */
uint64_t rv_now_ms(void);

/* Ids as text: lowercase hex of n bytes into out (2n+1 bytes,
 * NUL-terminated). Implemented in crypto.c over libsodium's own. */
void rv_hex(char *out, const void *bin, size_t n);
/* Parses exactly 2*n hex digits of s (either case) into out; RV_EFORMAT
 * otherwise, when out may have been written. */
int rv_unhex(void *out, size_t n, const char *s);

/* The code point at s (n > 0 bytes left) and its length in *ret_len; -1
 * with *ret_len = 1 for a byte that starts no valid UTF-8 sequence
 * (overlong forms, surrogates and code points past U+10FFFF included). */
long rv_utf8_decode(const unsigned char *s, size_t n, size_t *ret_len);
/* Whether the n bytes at s are valid UTF-8 throughout. */
bool rv_utf8_valid(const char *s, size_t n);

#endif
