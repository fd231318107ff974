/*
 * The only module that includes lmdb.h. It opens one environment per home
 * with every named database, maps LMDB's errors onto RV_E* codes where they
 * enter, and keeps the rest of revans free of MDB_val.
 */
#include "revans/store.h"
#include "revans/error.h"

#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <lmdb.h>
#include <stdlib.h>
#include <string.h>

/* Sparse on Linux: the file grows with what is written, not to this size. */
#define MAP_SIZE ((size_t)16 << 30)

#define FULL_BELOW ((uint64_t)1 << 20) /* free bytes under which a failed write means "full" */

static const char *const db_names[RV_DB__COUNT] = {
    "meta", "secrets", "log", "heads", "order", "state", "forks", "journal", "pos"};

struct rv_store {
  MDB_env *env;
  MDB_dbi dbi[RV_DB__COUNT];
};

struct rv_txn {
  rv_store_t *s;
  MDB_txn *txn;
  bool write;
};

struct rv_cursor {
  MDB_cursor *cur;
};

static int map_err(int e) {
  switch (e) {
  case 0: return 0;
  case MDB_NOTFOUND: return RV_ENOTFOUND;
  case MDB_KEYEXIST: return RV_EEXIST;
  case MDB_MAP_FULL: case ENOSPC: return RV_EFULL;
  case MDB_CORRUPTED: case MDB_PAGE_NOTFOUND: case MDB_INVALID:
  case MDB_VERSION_MISMATCH: case MDB_BAD_TXN: return RV_ECORRUPT;
  case EROFS: case EACCES: return RV_EROFS;
  case ENOMEM: return RV_ENOMEM;
  case MDB_BAD_VALSIZE: return RV_ETOOBIG;
  default: return e > 0 ? RV_EIO : RV_ESTORE;
  }
}

/* Opens the environment; with create, makes every database (a new home),
 * else finds them, in a read-only transaction: opening writes nothing, and
 * a missing database is damage, not something to recreate empty. */
static int store_open(const char *dir, bool create, rv_store_t **ret) {
  rv_store_t *s = calloc(1, sizeof *s);
  MDB_txn *txn = NULL;
  MDB_envinfo info;
  MDB_stat st;
  struct stat fst;
  char path[4096];
  int r;
  if (!s)
    return RV_ENOMEM;
  if ((r = mdb_env_create(&s->env)) != 0)
    goto fail;
  if ((r = mdb_env_set_mapsize(s->env, MAP_SIZE)) != 0 ||
      (r = mdb_env_set_maxdbs(s->env, RV_DB__COUNT + 4)) != 0)
    goto fail;
  if ((r = mdb_env_open(s->env, dir, MDB_NOTLS, 0600)) != 0)
    goto fail;
  /* A file shorter than the pages LMDB says it has been truncated: reading
   * past its end would kill the process. */
  if ((size_t)snprintf(path, sizeof path, "%s/data.mdb", dir) < sizeof path &&
      stat(path, &fst) == 0 && mdb_env_info(s->env, &info) == 0 &&
      mdb_env_stat(s->env, &st) == 0 &&
      (uint64_t)fst.st_size < ((uint64_t)info.me_last_pgno + 1) * st.ms_psize) {
    r = MDB_CORRUPTED;
    goto fail;
  }
  if ((r = mdb_txn_begin(s->env, NULL, create ? 0 : MDB_RDONLY, &txn)) != 0)
    goto fail;
  for (int i = 0; i < RV_DB__COUNT; i++)
    if ((r = mdb_dbi_open(txn, db_names[i], create ? MDB_CREATE : 0, &s->dbi[i])) != 0) {
      r = r == MDB_NOTFOUND ? MDB_CORRUPTED : r;
      goto fail;
    }
  if ((r = mdb_txn_commit(txn)) != 0) {
    txn = NULL;
    goto fail;
  }
  *ret = s;
  return 0;
fail:
  if (txn)
    mdb_txn_abort(txn);
  if (s->env)
    mdb_env_close(s->env);
  free(s);
  return map_err(r);
}

int rv_store_create(const char *dir, rv_store_t **ret) { return store_open(dir, true, ret); }
int rv_store_open(const char *dir, rv_store_t **ret) { return store_open(dir, false, ret); }

void rv_store_close(rv_store_t **s) {
  if (!s || !*s)
    return;
  mdb_env_close((*s)->env);
  free(*s);
  *s = NULL;
}

int rv_txn_begin(rv_store_t *s, bool write, rv_txn_t **ret) {
  rv_txn_t *t = calloc(1, sizeof *t);
  if (!t)
    return RV_ENOMEM;
  int r = mdb_txn_begin(s->env, NULL, write ? 0 : MDB_RDONLY, &t->txn);
  if (r != 0) {
    free(t);
    return map_err(r);
  }
  t->s = s;
  t->write = write;
  *ret = t;
  return 0;
}

/* LMDB reports a short write as EIO: when the disk under the store has
 * (nearly) no room left, that is a full disk, and is said so. */
static int full_or_io(rv_store_t *s, int r) {
  const char *path = NULL;
  struct statvfs v;
  if (r != EIO || mdb_env_get_path(s->env, &path) != 0 || !path || statvfs(path, &v) != 0)
    return r;
  return (uint64_t)v.f_bavail * v.f_frsize < FULL_BELOW ? ENOSPC : r;
}

int rv_txn_commit(rv_txn_t **t) {
  int r = mdb_txn_commit((*t)->txn);
  r = full_or_io((*t)->s, r);
  free(*t);
  *t = NULL;
  return map_err(r);
}

void rv_txn_abort(rv_txn_t **t) {
  if (!t || !*t)
    return;
  mdb_txn_abort((*t)->txn);
  free(*t);
  *t = NULL;
}

bool rv_txn_writable(const rv_txn_t *t) { return t->write; }

int rv_get(rv_txn_t *t, enum rv_db db, const void *k, size_t kn, const uint8_t **ret_v,
           size_t *ret_vn) {
  MDB_val key = {kn, (void *)k}, val;
  int r = mdb_get(t->txn, t->s->dbi[db], &key, &val);
  if (r != 0)
    return map_err(r);
  *ret_v = val.mv_data;
  *ret_vn = val.mv_size;
  return 0;
}

int rv_put(rv_txn_t *t, enum rv_db db, const void *k, size_t kn, const void *v, size_t vn) {
  MDB_val key = {kn, (void *)k}, val = {vn, (void *)v};
  return map_err(mdb_put(t->txn, t->s->dbi[db], &key, &val, 0));
}

int rv_append(rv_txn_t *t, enum rv_db db, const void *k, size_t kn, const void *v, size_t vn) {
  MDB_val key = {kn, (void *)k}, val = {vn, (void *)v};
  return map_err(mdb_put(t->txn, t->s->dbi[db], &key, &val, MDB_APPEND));
}

int rv_del(rv_txn_t *t, enum rv_db db, const void *k, size_t kn) {
  MDB_val key = {kn, (void *)k};
  return map_err(mdb_del(t->txn, t->s->dbi[db], &key, NULL));
}

int rv_cursor_open(rv_txn_t *t, enum rv_db db, rv_cursor_t **ret) {
  rv_cursor_t *c = calloc(1, sizeof *c);
  if (!c)
    return RV_ENOMEM;
  int r = mdb_cursor_open(t->txn, t->s->dbi[db], &c->cur);
  if (r != 0) {
    free(c);
    return map_err(r);
  }
  *ret = c;
  return 0;
}

void rv_cursor_close(rv_cursor_t **c) {
  if (!c || !*c)
    return;
  mdb_cursor_close((*c)->cur);
  free(*c);
  *c = NULL;
}

static int cursor_get(rv_cursor_t *c, MDB_val *key, MDB_cursor_op op, rv_kv_t *ret) {
  MDB_val val;
  int r = mdb_cursor_get(c->cur, key, &val, op);
  if (r != 0)
    return map_err(r);
  ret->k = key->mv_data;
  ret->kn = key->mv_size;
  ret->v = val.mv_data;
  ret->vn = val.mv_size;
  return 0;
}

int rv_cursor_seek(rv_cursor_t *c, const void *k, size_t kn, rv_kv_t *ret) {
  MDB_val key = {kn, (void *)k};
  return cursor_get(c, &key, k ? MDB_SET_RANGE : MDB_FIRST, ret);
}

int rv_cursor_next(rv_cursor_t *c, rv_kv_t *ret) {
  MDB_val key;
  return cursor_get(c, &key, MDB_NEXT, ret);
}

int rv_cursor_prev(rv_cursor_t *c, rv_kv_t *ret) {
  MDB_val key;
  return cursor_get(c, &key, MDB_PREV, ret);
}

int rv_cursor_last_with(rv_cursor_t *c, const void *prefix, size_t pn, rv_kv_t *ret) {
  /* Seek to the first key after every key with this prefix, step back one. */
  uint8_t after[128];
  size_t n = pn;
  MDB_val key;
  int r;
  if (pn > sizeof after)
    return RV_EINVAL;
  memcpy(after, prefix, pn);
  while (n > 0 && after[n - 1] == 0xff)
    n--;
  r = RV_ENOTFOUND;
  if (n > 0) {
    after[n - 1]++;
    r = rv_cursor_seek(c, after, n, ret);
    if (r == 0)
      r = rv_cursor_prev(c, ret);
  }
  if (r == RV_ENOTFOUND)
    r = cursor_get(c, &key, MDB_LAST, ret);
  if (r < 0)
    return r;
  if (ret->kn < pn || memcmp(ret->k, prefix, pn) != 0)
    return RV_ENOTFOUND;
  return 0;
}

void rv_be64_put(uint8_t *p, uint64_t v) {
  for (int i = 7; i >= 0; i--) {
    p[i] = (uint8_t)v;
    v >>= 8;
  }
}

uint64_t rv_be64_get(const uint8_t *p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; i++)
    v = v << 8 | p[i];
  return v;
}
