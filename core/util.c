/*
 * Small helpers with no dependency: the byte buffer, hex, and the error
 * strings generated from the X-macro list in error.h.
 */
#include "revans/error.h"
#include "revans/crypto.h"
#include "revans/types.h"

#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

const char *rv_strerror(int code) {
  switch (code) {
  case RV_OK:
    return "success";
#define RV_ERR_CASE(name, msg) \
  case RV_##name:              \
    return msg;
    RV_ERRNO_MAP(RV_ERR_CASE)
#undef RV_ERR_CASE
  default:
    return "unknown error";
  }
}

/* ---- memory -------------------------------------------------------- */

#define MAPPED_MIN ((size_t)1 << 20)

static size_t page_round(size_t n) {
  size_t ps = (size_t)sysconf(_SC_PAGESIZE);
  return (n + ps - 1) / ps * ps;
}

void *rv_mem_alloc(size_t n) {
  if (n < MAPPED_MIN)
    return calloc(1, n ? n : 1);
  void *p = mmap(NULL, page_round(n), PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
  return p == MAP_FAILED ? NULL : p;
}

void rv_mem_free(void *p, size_t n, bool wipe) {
  if (!p)
    return;
  if (wipe)
    rv_wipe(p, n);
  if (n < MAPPED_MIN)
    free(p);
  else
    munmap(p, page_round(n));
}

void rv_mem_prefault_heap(size_t bytes) {
  /* Chunks below the mmap threshold come from the heap; once freed they
   * stay there, faulted in, for the allocations that follow. */
  enum { CHUNK = 16 << 20 };
  void *chunks[64];
  size_t n = 0;
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, -1);
  while (bytes > 0 && n < sizeof chunks / sizeof chunks[0]) {
    size_t want = bytes < CHUNK ? bytes : CHUNK;
    uint8_t *p = malloc(want);
    if (!p)
      break;
    size_t ps = (size_t)sysconf(_SC_PAGESIZE);
    uintptr_t start = ((uintptr_t)p + ps - 1) / ps * ps;
    uintptr_t end = ((uintptr_t)p + want) / ps * ps;
    if (end > start)
      madvise((void *)start, end - start, MADV_POPULATE_WRITE);
    chunks[n++] = p;
    bytes -= want;
  }
  while (n > 0)
    free(chunks[--n]);
}

/* ---- byte buffers -------------------------------------------------- */

void rv_buf_init(rv_buf_t *b) { memset(b, 0, sizeof *b); }

static void buf_free(rv_buf_t *b) {
  if (!b->data)
    return;
  if (b->mapped) {
    rv_mem_free(b->data, b->cap, true);
  } else {
    rv_wipe(b->data, b->cap);
    free(b->data);
  }
}

void rv_buf_release(rv_buf_t *b) {
  buf_free(b);
  rv_buf_init(b);
}

void rv_buf_release_public(rv_buf_t *b) {
  if (b->mapped)
    rv_mem_free(b->data, b->cap, false);
  else
    free(b->data);
  rv_buf_init(b);
}

void rv_buf_clear(rv_buf_t *b) { b->len = 0; }

int rv_buf_reserve(rv_buf_t *b, size_t extra) {
  if (extra > SIZE_MAX / 2 - b->len)
    return RV_ENOMEM;
  size_t need = b->len + extra;
  if (need <= b->cap)
    return 0;
  /* Doubling, but a large first request gets exactly what it asks. */
  size_t cap = b->cap ? 2 * b->cap : 64;
  if (cap < need)
    cap = need;
  /* Not realloc: the old bytes may be plaintext and must be wiped. */
  bool mapped = cap >= MAPPED_MIN;
  uint8_t *p = mapped ? rv_mem_alloc(cap) : malloc(cap);
  if (!p)
    return RV_ENOMEM;
  if (b->data)
    memcpy(p, b->data, b->len);
  buf_free(b);
  b->data = p;
  b->cap = cap;
  b->mapped = mapped;
  return 0;
}

int rv_buf_append(rv_buf_t *b, const void *p, size_t n) {
  int r = rv_buf_reserve(b, n);
  if (r < 0)
    return r;
  if (n)
    memcpy(b->data + b->len, p, n);
  b->len += n;
  return 0;
}

void rv_hex(char *out, const void *bin, size_t n) {
  static const char digits[] = "0123456789abcdef";
  const uint8_t *p = bin;
  for (size_t i = 0; i < n; i++) {
    out[2 * i] = digits[p[i] >> 4];
    out[2 * i + 1] = digits[p[i] & 15];
  }
  out[2 * n] = '\0';
}

static int nibble(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

int rv_unhex(void *out, size_t n, const char *s) {
  uint8_t *p = out;
  if (strlen(s) != 2 * n)
    return RV_EFORMAT;
  for (size_t i = 0; i < n; i++) {
    int hi = nibble(s[2 * i]), lo = nibble(s[2 * i + 1]);
    if (hi < 0 || lo < 0)
      return RV_EFORMAT;
    p[i] = (uint8_t)(hi << 4 | lo);
  }
  return 0;
}
