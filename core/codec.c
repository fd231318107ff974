/*
 * The only module that includes msgpack.h. Encoding goes through a
 * msgpack_packer writing into an rv_buf_t; decoding first scans the bytes
 * with rv_dec_scan() (every container's claimed count must fit in the bytes
 * that remain, nesting is bounded, ext types are refused) and only then lets
 * msgpack-c build its object tree in a zone that is reused between parses.
 */
#include "revans/codec.h"
#include "revans/crypto.h"
#include "revans/error.h"

#include <msgpack.h>
#include <stdlib.h>
#include <string.h>

struct rv_enc {
  msgpack_packer pk;
  rv_buf_t buf;
  int status;
};

struct rv_dec {
  msgpack_zone zone;
  msgpack_object root;
};

#define OBJ(v) ((const msgpack_object *)(v).p)

/* ---- encoding ------------------------------------------------------ */

static int enc_write(void *data, const char *buf, size_t len) {
  struct rv_enc *e = data;
  if (rv_buf_append(&e->buf, buf, len) < 0) {
    e->status = RV_ENOMEM;
    return -1;
  }
  return 0;
}

int rv_enc_new(rv_enc_t **ret) {
  struct rv_enc *e = calloc(1, sizeof *e);
  if (!e)
    return RV_ENOMEM;
  rv_buf_init(&e->buf);
  msgpack_packer_init(&e->pk, e, enc_write);
  *ret = e;
  return 0;
}

void rv_enc_destroy(rv_enc_t **e) {
  if (!e || !*e)
    return;
  rv_buf_release(&(*e)->buf);
  free(*e);
  *e = NULL;
}

void rv_enc_reset(rv_enc_t *e) {
  rv_buf_clear(&e->buf);
  e->status = 0;
}

void rv_enc_array(rv_enc_t *e, uint32_t n) { msgpack_pack_array(&e->pk, n); }
void rv_enc_map(rv_enc_t *e, uint32_t n) { msgpack_pack_map(&e->pk, n); }
void rv_enc_uint(rv_enc_t *e, uint64_t v) { msgpack_pack_uint64(&e->pk, v); }
void rv_enc_nil(rv_enc_t *e) { msgpack_pack_nil(&e->pk); }

void rv_enc_bool(rv_enc_t *e, bool v) {
  if (v)
    msgpack_pack_true(&e->pk);
  else
    msgpack_pack_false(&e->pk);
}

void rv_enc_str(rv_enc_t *e, const char *s, size_t n) {
  msgpack_pack_str(&e->pk, n);
  msgpack_pack_str_body(&e->pk, s, n);
}

void rv_enc_cstr(rv_enc_t *e, const char *s) {
  if (s)
    rv_enc_str(e, s, strlen(s));
  else
    rv_enc_nil(e);
}

void rv_enc_bin(rv_enc_t *e, const void *p, size_t n) {
  msgpack_pack_bin(&e->pk, n);
  msgpack_pack_bin_body(&e->pk, p, n);
}

void rv_enc_raw(rv_enc_t *e, const void *p, size_t n) { enc_write(e, p, n); }

int rv_enc_status(const rv_enc_t *e) { return e->status; }

void rv_enc_wipe(rv_enc_t *e) {
  rv_wipe(e->buf.data, e->buf.cap);
  rv_enc_reset(e);
}

const uint8_t *rv_enc_data(const rv_enc_t *e, size_t *ret_len) {
  *ret_len = e->buf.len;
  return e->buf.data;
}

/* ---- bounded scan -------------------------------------------------- */

static uint64_t be(const uint8_t *p, int n) {
  uint64_t v = 0;
  for (int i = 0; i < n; i++)
    v = v << 8 | p[i];
  return v;
}

int rv_dec_scan(const uint8_t *p, size_t n) { return rv_dec_scan_count(p, n, NULL); }

static int scan(const uint8_t *p, size_t n, size_t *ret_values, size_t *ret_len);

int rv_dec_scan_count(const uint8_t *p, size_t n, size_t *ret_values) {
  return scan(p, n, ret_values, NULL);
}

int rv_dec_scan_prefix(const uint8_t *p, size_t n, size_t *ret_len) {
  return scan(p, n, NULL, ret_len);
}

/* What follows the marker byte b at p[*i]: bytes to skip (a string's or
 * bin's payload, a number's bytes) and items to read (a container's
 * elements). Moves *i past any length field. RV_EFORMAT for a marker
 * revans never writes (0xc1, every ext type) or a length past n. */
static int marker(uint8_t b, const uint8_t *p, size_t n, size_t *i, uint64_t *ret_skip,
                  uint64_t *ret_items) {
  int lenbytes = 0;
  if (b <= 0x7f || b >= 0xe0 || (b >= 0xc0 && b <= 0xc3 && b != 0xc1))
    return 0; /* fixint, nil, bool: nothing follows */
  if (b >= 0x80 && b <= 0x8f) {
    *ret_items = 2u * (b & 0x0f);
    return 0;
  }
  if (b >= 0x90 && b <= 0x9f) {
    *ret_items = b & 0x0f;
    return 0;
  }
  if (b >= 0xa0 && b <= 0xbf) {
    *ret_skip = b & 0x1f;
    return 0;
  }
  /* clang-format off */
  switch (b) {
  case 0xc4: case 0xd9: lenbytes = 1; break; /* bin8, str8 */
  case 0xc5: case 0xda: lenbytes = 2; break;
  case 0xc6: case 0xdb: lenbytes = 4; break;
  case 0xca: *ret_skip = 4; return 0; /* float32 */
  case 0xcb: *ret_skip = 8; return 0;
  case 0xcc: case 0xd0: *ret_skip = 1; return 0;
  case 0xcd: case 0xd1: *ret_skip = 2; return 0;
  case 0xce: case 0xd2: *ret_skip = 4; return 0;
  case 0xcf: case 0xd3: *ret_skip = 8; return 0;
  case 0xdc: case 0xde: lenbytes = 2; break; /* array16, map16 */
  case 0xdd: case 0xdf: lenbytes = 4; break;
  default: return RV_EFORMAT; /* 0xc1 and every ext type */
  }
  /* clang-format on */
  if ((size_t)lenbytes > n - *i)
    return RV_EFORMAT;
  uint64_t len = be(p + *i, lenbytes);
  *i += (size_t)lenbytes;
  if (b >= 0xdc)
    *ret_items = b >= 0xde ? 2 * len : len;
  else
    *ret_skip = len;
  return 0;
}

/* With ret_len, the value may be followed by other bytes: its length. */
static int scan(const uint8_t *p, size_t n, size_t *ret_values, size_t *ret_len) {
  size_t values = 0;
  /* pending[d]: values still to read at depth d. */
  uint64_t pending[RV_DEC_MAX_DEPTH + 1];
  int depth = 0;
  size_t i = 0;
  pending[0] = 1;
  while (depth >= 0) {
    if (pending[depth] == 0) {
      depth--;
      continue;
    }
    if (i >= n)
      return RV_EFORMAT;
    pending[depth]--;
    values++;
    uint8_t b = p[i++];
    uint64_t skip = 0, items = 0;
    int r = marker(b, p, n, &i, &skip, &items);
    if (r < 0)
      return r;
    if (skip > n - i)
      return RV_EFORMAT;
    i += (size_t)skip;
    if (b >= 0x80 && (b <= 0x9f || (b >= 0xdc && b <= 0xdf))) {
      /* A container, empty or not, counts towards the nesting limit. */
      if (depth == RV_DEC_MAX_DEPTH)
        return RV_EFORMAT;
      /* Every value takes at least one byte. */
      if (items > n - i)
        return RV_EFORMAT;
      if (items)
        pending[++depth] = items;
    }
  }
  if (ret_len)
    *ret_len = i;
  else if (i != n)
    return RV_EFORMAT;
  if (ret_values)
    *ret_values = values;
  return 0;
}

/* ---- decoding ------------------------------------------------------ */

int rv_dec_new(rv_dec_t **ret) {
  struct rv_dec *d = calloc(1, sizeof *d);
  if (!d)
    return RV_ENOMEM;
  if (!msgpack_zone_init(&d->zone, 4096)) {
    free(d);
    return RV_ENOMEM;
  }
  *ret = d;
  return 0;
}

void rv_dec_destroy(rv_dec_t **d) {
  if (!d || !*d)
    return;
  msgpack_zone_destroy(&(*d)->zone);
  free(*d);
  *d = NULL;
}

int rv_dec_parse(rv_dec_t *d, const uint8_t *p, size_t n, rv_val_t *ret) {
  return rv_dec_parse_bounded(d, p, n, SIZE_MAX, ret);
}

int rv_dec_parse_bounded(rv_dec_t *d, const uint8_t *p, size_t n, size_t max_values,
                         rv_val_t *ret) {
  size_t values;
  int r = rv_dec_scan_count(p, n, &values);
  if (r < 0)
    return r;
  if (values > max_values)
    return RV_EFORMAT;
  msgpack_zone_clear(&d->zone);
  size_t off = 0;
  msgpack_unpack_return ur = msgpack_unpack((const char *)p, n, &off, &d->zone, &d->root);
  if (ur == MSGPACK_UNPACK_NOMEM_ERROR)
    return RV_ENOMEM;
  if (ur != MSGPACK_UNPACK_SUCCESS || off != n)
    return RV_EFORMAT;
  ret->p = &d->root;
  return 0;
}

enum rv_kind rv_val_kind(rv_val_t v) {
  switch (OBJ(v)->type) {
  case MSGPACK_OBJECT_NIL: return RV_K_NIL;
  case MSGPACK_OBJECT_BOOLEAN: return RV_K_BOOL;
  case MSGPACK_OBJECT_POSITIVE_INTEGER: return RV_K_UINT;
  case MSGPACK_OBJECT_NEGATIVE_INTEGER: return RV_K_INT;
  case MSGPACK_OBJECT_FLOAT32:
  case MSGPACK_OBJECT_FLOAT64: return RV_K_FLOAT;
  case MSGPACK_OBJECT_STR: return RV_K_STR;
  case MSGPACK_OBJECT_BIN: return RV_K_BIN;
  case MSGPACK_OBJECT_ARRAY: return RV_K_ARRAY;
  case MSGPACK_OBJECT_MAP: return RV_K_MAP;
  default: return RV_K_OTHER;
  }
}

uint32_t rv_val_len(rv_val_t v) {
  const msgpack_object *o = OBJ(v);
  if (o->type == MSGPACK_OBJECT_ARRAY)
    return o->via.array.size;
  if (o->type == MSGPACK_OBJECT_MAP)
    return o->via.map.size;
  return 0;
}

int rv_val_at(rv_val_t v, uint32_t i, rv_val_t *ret) {
  const msgpack_object *o = OBJ(v);
  if (o->type != MSGPACK_OBJECT_ARRAY || i >= o->via.array.size)
    return RV_EFORMAT;
  ret->p = &o->via.array.ptr[i];
  return 0;
}

int rv_val_pair(rv_val_t v, uint32_t i, rv_val_t *ret_k, rv_val_t *ret_v) {
  const msgpack_object *o = OBJ(v);
  if (o->type != MSGPACK_OBJECT_MAP || i >= o->via.map.size)
    return RV_EFORMAT;
  ret_k->p = &o->via.map.ptr[i].key;
  ret_v->p = &o->via.map.ptr[i].val;
  return 0;
}

int rv_val_get(rv_val_t map, const char *key, rv_val_t *ret) {
  const msgpack_object *o = OBJ(map);
  if (o->type != MSGPACK_OBJECT_MAP)
    return RV_EFORMAT;
  size_t kn = strlen(key);
  for (uint32_t i = 0; i < o->via.map.size; i++) {
    const msgpack_object *k = &o->via.map.ptr[i].key;
    if (k->type == MSGPACK_OBJECT_STR && k->via.str.size == kn &&
        memcmp(k->via.str.ptr, key, kn) == 0) {
      ret->p = &o->via.map.ptr[i].val;
      return 0;
    }
  }
  return RV_ENOTFOUND;
}

int rv_val_uint(rv_val_t v, uint64_t *ret) {
  const msgpack_object *o = OBJ(v);
  if (o->type != MSGPACK_OBJECT_POSITIVE_INTEGER)
    return RV_EFORMAT;
  *ret = o->via.u64;
  return 0;
}

int rv_val_bool(rv_val_t v, bool *ret) {
  const msgpack_object *o = OBJ(v);
  if (o->type != MSGPACK_OBJECT_BOOLEAN)
    return RV_EFORMAT;
  *ret = o->via.boolean;
  return 0;
}

int rv_val_bin(rv_val_t v, const uint8_t **ret_p, size_t *ret_n) {
  const msgpack_object *o = OBJ(v);
  if (o->type != MSGPACK_OBJECT_BIN)
    return RV_EFORMAT;
  *ret_p = (const uint8_t *)o->via.bin.ptr;
  *ret_n = o->via.bin.size;
  return 0;
}

int rv_val_bin_fixed(rv_val_t v, void *out, size_t n) {
  const uint8_t *p;
  size_t len;
  if (rv_val_bin(v, &p, &len) < 0 || len != n)
    return RV_EFORMAT;
  memcpy(out, p, n);
  return 0;
}

int rv_val_str(rv_val_t v, const char **ret_p, size_t *ret_n) {
  const msgpack_object *o = OBJ(v);
  if (o->type != MSGPACK_OBJECT_STR)
    return RV_EFORMAT;
  *ret_p = o->via.str.ptr;
  *ret_n = o->via.str.size;
  return 0;
}

int rv_val_strdup(rv_val_t v, size_t max, char **ret) {
  const char *p;
  size_t n;
  if (rv_val_str(v, &p, &n) < 0 || memchr(p, '\0', n))
    return RV_EFORMAT;
  if (n > max)
    return RV_ETOOBIG;
  char *s = malloc(n + 1);
  if (!s)
    return RV_ENOMEM;
  memcpy(s, p, n);
  s[n] = '\0';
  *ret = s;
  return 0;
}

bool rv_val_is_str(rv_val_t v, const char *s) {
  const char *p;
  size_t n;
  return rv_val_str(v, &p, &n) == 0 && n == strlen(s) && memcmp(p, s, n) == 0;
}

int rv_get_uint(rv_val_t map, const char *key, uint64_t *ret) {
  rv_val_t v;
  int r = rv_val_get(map, key, &v);
  return r < 0 ? RV_EFORMAT : rv_val_uint(v, ret);
}

int rv_get_strdup(rv_val_t map, const char *key, size_t max, char **ret) {
  rv_val_t v;
  int r = rv_val_get(map, key, &v);
  return r < 0 ? RV_EFORMAT : rv_val_strdup(v, max, ret);
}

int rv_get_bin_fixed(rv_val_t map, const char *key, void *out, size_t n) {
  rv_val_t v;
  int r = rv_val_get(map, key, &v);
  return r < 0 ? RV_EFORMAT : rv_val_bin_fixed(v, out, n);
}
