/*
 * Small helpers with no dependency, at the bottom of core: the error
 * strings generated from the X-macro list in error.h, the wall clock,
 * wiping and large allocations, the byte buffer, and UTF-8 decoding.
 */
#include "revans/error.h"
#include "revans/types.h"

#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

const char *rv_strerror(int code) {
  switch (code) {
  case RV_OK: return "success";
#define RV_ERR_CASE(name, msg)                                                                     \
  case RV_##name: return msg;
    RV_ERRNO_MAP(RV_ERR_CASE)
#undef RV_ERR_CASE
  default: return "unknown error";
  }
}

uint64_t rv_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* ---- memory -------------------------------------------------------- */

void rv_wipe(void *p, size_t n) {
  if (!p || n == 0)
    return;
  memset(p, 0, n);
  /* The empty asm statement claims to read the memory at p: the zeroes
   * are not a dead store the compiler may drop (libsodium's own fallback
   * for sodium_memzero). */
  __asm__ __volatile__("" : : "r"(p) : "memory");
}

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

/* ---- UTF-8 ---------------------------------------------------------- */

long rv_utf8_decode(const unsigned char *s, size_t n, size_t *len) {
  static const unsigned char lead_min[] = {0, 0xc2, 0xe0, 0xf0};
  static const long cp_min[] = {0, 0x80, 0x800, 0x10000};
  *len = 1;
  if (s[0] < 0x80)
    return s[0];
  size_t k = s[0] >= 0xf0 && s[0] <= 0xf4 ? 3 : s[0] >= 0xe0 ? 2 : s[0] >= 0xc2 ? 1 : 0;
  if (k == 0 || s[0] < lead_min[k] || k >= n || (k == 2 && s[0] > 0xef))
    return -1;
  long cp = s[0] & (0x3f >> k);
  for (size_t i = 1; i <= k; i++) {
    if ((s[i] & 0xc0) != 0x80)
      return -1;
    cp = cp << 6 | (s[i] & 0x3f);
  }
  if (cp < cp_min[k] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
    return -1;
  *len = k + 1;
  return cp;
}

bool rv_utf8_valid(const char *s, size_t n) {
  size_t len;
  for (size_t i = 0; i < n; i += len)
    if (rv_utf8_decode((const unsigned char *)s + i, n - i, &len) < 0)
      return false;
  return true;
}
