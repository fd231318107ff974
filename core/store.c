/*
 * The only module that includes lmdb.h. It opens one environment per home
 * with every named database, maps LMDB's errors onto RV_E* codes where they
 * enter, and keeps the rest of revans free of MDB_val.
 *
 * LMDB keeps no checksums: a damaged data.mdb is found by checking its two
 * meta pages when the store opens, by LMDB's own errors, and by its
 * assertions, which end the process (LMDB aborts once its callback
 * returns): the program's damage hook says so first.
 */
#include "revans/store.h"
#include "revans/error.h"

#include <errno.h>
#include <lmdb.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

/* Sparse on Linux: the file grows with what is written, not to this size. */
#define MAP_SIZE ((size_t)16 << 30)

#define FULL_BELOW ((uint64_t)1 << 20) /* free bytes under which a failed write means "full" */

static const char *const db_names[RV_DB__COUNT] = {"meta",  "secrets", "log",     "heads", "order",
                                                   "state", "forks",   "journal", "pos"};

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
  case MDB_MAP_FULL:
  case ENOSPC: return RV_EFULL;
  case MDB_CORRUPTED:
  case MDB_PAGE_NOTFOUND:
  case MDB_INVALID:
  case MDB_VERSION_MISMATCH:
  case MDB_BAD_TXN: return RV_ECORRUPT;
  case EROFS:
  case EACCES: return RV_EROFS;
  case ENOMEM: return RV_ENOMEM;
  case MDB_BAD_VALSIZE: return RV_ETOOBIG;
  default: return e > 0 ? RV_EIO : RV_ESTORE;
  }
}

/* ---- the meta pages ------------------------------------------------------ */

/* LMDB 0.9 (data format 1) begins data.mdb with two meta pages, laid out
 * as below (mdb.c's MDB_page header and MDB_meta; lmdb.h does not describe
 * them). A commit writes the page its transaction id's parity names; a
 * reader takes the one with the higher id. LMDB checks their magic and
 * version, nothing else: an id, a root or a page count changed on disk
 * would show an earlier transaction, send reads to pages that hold
 * something else, or let a write reuse pages still in use. */
struct lmdb_db {
  uint32_t pad; /* in the free database's: the page size */
  uint16_t flags, depth;
  size_t branch, leaf, overflow, entries, root;
};

struct lmdb_meta {
  size_t pgno; /* the page header */
  uint16_t pad, flags, lower, upper;
  uint32_t magic, version; /* the meta */
  void *address;
  size_t mapsize;
  struct lmdb_db db[2]; /* the free pages' database, the main database */
  size_t last_pg, txnid;
};

_Static_assert(sizeof(void *) != 8 ||
                   (offsetof(struct lmdb_meta, magic) == 16 && sizeof(struct lmdb_meta) == 152),
               "LMDB's meta page on a 64-bit machine");

#define LMDB_NO_PAGE ((size_t)-1)
#define LMDB_MAX_DEPTH 32 /* mdb.c's CURSOR_STACK */

/* A database's root, depth and page counts agree, within pages pages. */
static bool db_sane(const struct lmdb_db *d, size_t pages) {
  if (d->root == LMDB_NO_PAGE)
    return d->depth == 0 && d->entries == 0 && d->branch == 0 && d->leaf == 0 && d->overflow == 0;
  return d->root >= 2 && d->root < pages && d->depth >= 1 && d->depth <= LMDB_MAX_DEPTH &&
         d->leaf >= 1 && d->branch >= (size_t)d->depth - 1 && d->branch < pages &&
         d->leaf < pages && d->overflow < pages && d->branch + d->leaf + d->overflow < pages;
}

/* MDB_CORRUPTED unless both meta pages hold consecutive transaction ids,
 * each on the page its parity names, and the newer one describes a store
 * that fits in the file: its page size, its last page, its two databases.
 * A new environment has two meta pages of transaction 0; with fresh they
 * are accepted. The meta pages are read before the file's size: a commit
 * in between only makes the file longer. */
static int check_meta(MDB_env *env, bool fresh) {
  struct lmdb_meta m[2];
  MDB_stat st;
  struct stat fst;
  int fd;
  if (mdb_env_get_fd(env, &fd) != 0 || mdb_env_stat(env, &st) != 0)
    return MDB_CORRUPTED;
  for (int i = 0; i < 2; i++) {
    ssize_t n = pread(fd, &m[i], sizeof m[i], (off_t)i * st.ms_psize);
    if (n < 0)
      return errno;
    if ((size_t)n != sizeof m[i])
      return MDB_CORRUPTED;
  }
  if (fstat(fd, &fst) != 0)
    return errno;
  if (fresh && m[0].txnid == 0 && m[1].txnid == 0)
    return 0;
  if (m[0].txnid % 2 != 0 || m[1].txnid % 2 != 1 ||
      (m[0].txnid != m[1].txnid + 1 && m[1].txnid != m[0].txnid + 1))
    return MDB_CORRUPTED;
  const struct lmdb_meta *cur = &m[m[1].txnid > m[0].txnid];
  size_t pages = cur->last_pg + 1;
  if (cur->db[0].pad != st.ms_psize || cur->last_pg < 1 ||
      pages > (uint64_t)fst.st_size / st.ms_psize || cur->db[0].flags != MDB_INTEGERKEY ||
      cur->db[1].flags != 0 || !db_sane(&cur->db[0], pages) || !db_sane(&cur->db[1], pages))
    return MDB_CORRUPTED;
  return 0;
}

/* A commit by another process (a node) may rewrite a meta page while it is
 * read: a check that fails is made again while holding LMDB's writer lock
 * (a write transaction begun and aborted writes nothing). */
static int check_meta_locked(MDB_env *env, bool fresh) {
  MDB_txn *txn;
  int r = check_meta(env, fresh);
  if (r != MDB_CORRUPTED || mdb_txn_begin(env, NULL, 0, &txn) != 0)
    return r;
  r = check_meta(env, fresh);
  mdb_txn_abort(txn);
  return r;
}

static void (*damage_hook)(const char *what);

void rv_store_on_damage(void (*fn)(const char *what)) { damage_hook = fn; }

/* LMDB's assertions check its pages as it walks them; one that fails on a
 * damaged file would abort() once this returns. No transaction has been
 * committed: a write transaction's pages are the process's own until its
 * commit writes the meta page. */
static void on_lmdb_assert(MDB_env *env, const char *msg) {
  (void)env;
  if (damage_hook)
    damage_hook(msg);
  _exit(1);
}

/* ---- opening and closing -------------------------------------------------- */

/* Opens the environment; with create, makes every database (a new home),
 * else finds them, in a read-only transaction: opening writes nothing, and
 * a missing database is damage, not something to recreate empty. */
static int store_open(const char *dir, bool create, rv_store_t **ret) {
  rv_store_t *s = calloc(1, sizeof *s);
  MDB_txn *txn = NULL;
  int r;
  if (!s)
    return RV_ENOMEM;
  if ((r = mdb_env_create(&s->env)) != 0)
    goto fail;
  if ((r = mdb_env_set_mapsize(s->env, MAP_SIZE)) != 0 ||
      (r = mdb_env_set_maxdbs(s->env, RV_DB__COUNT + 4)) != 0 ||
      (r = mdb_env_set_assert(s->env, on_lmdb_assert)) != 0)
    goto fail;
  if ((r = mdb_env_open(s->env, dir, MDB_NOTLS, 0600)) != 0)
    goto fail;
  /* Among other things, a file shorter than the pages its meta page counts
   * has been truncated: reading past its end would kill the process. */
  if ((r = check_meta_locked(s->env, create)) != 0)
    goto fail;
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
