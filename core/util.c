/*
 * Small helpers with no dependency: the byte buffer, hex, and the error
 * strings generated from the X-macro list in error.h.
 */
#include "revans/error.h"
#include "revans/crypto.h"
#include "revans/types.h"

#include <stdlib.h>
#include <string.h>

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

void rv_buf_init(rv_buf_t *b) { memset(b, 0, sizeof *b); }

void rv_buf_release(rv_buf_t *b) {
  if (b->data) {
    rv_wipe(b->data, b->cap);
    free(b->data);
  }
  rv_buf_init(b);
}

void rv_buf_clear(rv_buf_t *b) { b->len = 0; }

int rv_buf_reserve(rv_buf_t *b, size_t extra) {
  if (extra > SIZE_MAX / 2 - b->len)
    return RV_ENOMEM;
  size_t need = b->len + extra;
  if (need <= b->cap)
    return 0;
  size_t cap = b->cap ? b->cap : 64;
  while (cap < need)
    cap *= 2;
  /* Not realloc: the old bytes may be plaintext and must be wiped. */
  uint8_t *p = malloc(cap);
  if (!p)
    return RV_ENOMEM;
  if (b->data) {
    memcpy(p, b->data, b->len);
    rv_wipe(b->data, b->cap);
    free(b->data);
  }
  b->data = p;
  b->cap = cap;
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
