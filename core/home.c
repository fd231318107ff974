/*
 * A home's lifecycle: creating the directory and the sealed identity,
 * opening and unlocking it, and transactions, which save and drop the
 * per-set contexts (setctx.c) they cached when they end.
 */
#include "internal.h"
#include "internal_setctx.h"
#include "revans/crypto.h"
#include "revans/error.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define IDENTITY_KEY "identity"
#define SELF_KEY "self"
#define AD_IDENTITY "revans identity v1"

/* mkdir -p with mode 0700 for every directory it creates. A directory that
 * existed keeps its mode (the store's files are 0600 whatever it is). */
static int make_dirs(const char *dir) {
  char *p;
  int r = 0;
  if (!dir[0])
    return RV_EINVAL;
  if (!(p = strdup(dir)))
    return RV_ENOMEM;
  for (char *s = p + 1;; s++) {
    if (*s == '/' || *s == '\0') {
      char c = *s;
      *s = '\0';
      if (mkdir(p, 0700) != 0 && errno != EEXIST) {
        r = errno == EROFS || errno == EACCES ? RV_EROFS : RV_EIO;
        break;
      }
      *s = c;
      if (c == '\0')
        break;
    }
  }
  free(p);
  return r;
}

/* A home's directory must be this user's and writable by no one else:
 * otherwise another user could move the store away or put another in its
 * place (its files stay unreadable, but the home would not be this
 * person's). RV_EUNSAFE, or RV_ENOTFOUND when it is not a directory. */
static int check_dir(const char *dir) {
  struct stat st;
  if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
    return RV_ENOTFOUND;
  if (st.st_uid != geteuid() || (st.st_mode & (S_IWGRP | S_IWOTH)))
    return RV_EUNSAFE;
  return 0;
}

static bool dir_is_empty(const char *dir) {
  DIR *d = opendir(dir);
  struct dirent *e;
  bool empty = true;
  if (!d)
    return false;
  while (empty && (e = readdir(d)))
    empty = strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0;
  closedir(d);
  return empty;
}

static int home_alloc(const char *dir, bool create, rv_home_t **ret) {
  rv_home_t *h = calloc(1, sizeof *h);
  int r = RV_ENOMEM;
  if (!h || !(h->dir = strdup(dir)))
    goto fail;
  if ((r = rv_enc_new(&h->enc)) < 0 || (r = rv_enc_new(&h->enc_plain)) < 0 ||
      (r = rv_dec_new(&h->dec)) < 0 || (r = rv_dec_new(&h->dec_container)) < 0)
    goto fail;
  if ((r = (create ? rv_store_create : rv_store_open)(dir, &h->store)) < 0)
    goto fail;
  *ret = h;
  return 0;
fail:
  rv_home_close(&h);
  return r;
}

/* The identity box is bound to its owner and to the salt and costs stored
 * beside it, so that none of them can be changed on disk unnoticed. */
static size_t identity_ad(uint8_t ad[128], const rv_home_t *h, const uint8_t salt[RV_SALT_LEN],
                          uint64_t ops, uint64_t mem) {
  size_t n = rv__box_ad(ad, AD_IDENTITY, h->self.b, RV_ID_LEN);
  memcpy(ad + n, salt, RV_SALT_LEN);
  rv_be64_put(ad + n + RV_SALT_LEN, ops);
  rv_be64_put(ad + n + RV_SALT_LEN + 8, mem);
  return n + RV_SALT_LEN + 16;
}

static int seal_identity(rv_home_t *h, const char *pass, size_t passlen, uint64_t ops, uint64_t mem,
                         rv_buf_t *out) {
  uint8_t salt[RV_SALT_LEN], ad[128];
  uint8_t *pwkey = rv_secure_alloc(RV_KEY_LEN);
  rv_buf_t box;
  int r;
  if (!pwkey)
    return RV_ENOMEM;
  rv_buf_init(&box);
  rv_random(salt, sizeof salt);
  uint64_t t0 = rv_pwhash_clock_ms();
  if ((r = rv_pwhash(pwkey, pass, passlen, salt, ops, mem)) < 0)
    goto out;
  uint64_t ms = rv_pwhash_clock_ms() - t0;
  rv_enc_reset(h->enc_plain);
  rv_enc_array(h->enc_plain, 3);
  rv_enc_bin(h->enc_plain, h->sec->sk, RV_SK_LEN);
  rv_enc_bin(h->enc_plain, h->sec->local, RV_KEY_LEN);
  rv_enc_cstr(h->enc_plain, h->name);
  size_t n, adn = identity_ad(ad, h, salt, ops, mem);
  const uint8_t *plain = rv_enc_data(h->enc_plain, &n);
  if ((r = rv_enc_status(h->enc_plain)) < 0 ||
      (r = rv_box_seal(&box, plain, n, ad, adn, pwkey)) < 0)
    goto out;
  rv_enc_reset(h->enc);
  rv_enc_map(h->enc, 6);
  rv_enc_cstr(h->enc, "v");
  rv_enc_uint(h->enc, 1);
  rv_enc_cstr(h->enc, "salt");
  rv_enc_bin(h->enc, salt, sizeof salt);
  rv_enc_cstr(h->enc, "ops");
  rv_enc_uint(h->enc, ops);
  rv_enc_cstr(h->enc, "mem");
  rv_enc_uint(h->enc, mem);
  rv_enc_cstr(h->enc, "box");
  rv_enc_bin(h->enc, box.data, box.len);
  /* Not bound to the box: only what `whoami` shows of the stretch. */
  rv_enc_cstr(h->enc, "ms");
  rv_enc_uint(h->enc, ms);
  const uint8_t *enc = rv_enc_data(h->enc, &n);
  if ((r = rv_enc_status(h->enc)) == 0)
    r = rv_buf_append(out, enc, n);
  if (r == 0) {
    memcpy(h->sec->unlock, pwkey, RV_KEY_LEN);
    h->pw_ops = ops;
    h->pw_mem = mem;
    h->pw_ms = ms;
  }
out:
  rv_enc_wipe(h->enc_plain);
  rv_buf_release(&box);
  rv_secure_free(pwkey);
  return r;
}

int rv_home_create(const char *dir, const char *name, const char *pass, size_t passlen,
                   uint64_t ops, uint64_t mem, rv_home_t **ret) {
  rv_home_t *h = NULL;
  rv_buf_t blob;
  const uint8_t *v;
  size_t vn;
  int r;
  if (!name || !*name || strlen(name) > RV_NAME_MAX)
    return RV_EINVAL;
  uint64_t dops, dmem;
  if (!ops && !mem)
    rv_pwhash_calibrate(RV_PWHASH_TARGET_MS, &dops, &dmem);
  else
    rv_pwhash_defaults(&dops, &dmem);
  ops = ops ? ops : dops;
  mem = mem ? mem : dmem;
  rv_buf_init(&blob);
  if ((r = make_dirs(dir)) < 0)
    return r;
  /* An empty directory made ahead for the home becomes private like one
   * made here; a directory that already holds anything keeps its mode. */
  if (dir_is_empty(dir) && chmod(dir, 0700) != 0)
    return errno == EPERM ? RV_EUNSAFE : errno == EROFS ? RV_EROFS : RV_EIO; /* EPERM: not ours */
  if ((r = check_dir(dir)) < 0 || (r = home_alloc(dir, true, &h)) < 0)
    return r;
  if ((r = rv_txn_begin(h->store, true, &h->txn)) < 0)
    goto fail;
  if (rv_get(h->txn, RV_DB_META, SELF_KEY, strlen(SELF_KEY), &v, &vn) == 0) {
    r = RV_EEXIST;
    goto fail;
  }
  if (!(h->sec = rv_secure_alloc(sizeof *h->sec)) || !(h->name = strdup(name))) {
    r = RV_ENOMEM;
    goto fail;
  }
  rv_sign_keypair(h->self.b, h->sec->sk);
  rv_random(h->sec->local, RV_KEY_LEN);
  if ((r = seal_identity(h, pass, passlen, ops, mem, &blob)) < 0 ||
      (r = rv_put(h->txn, RV_DB_SECRETS, IDENTITY_KEY, strlen(IDENTITY_KEY), blob.data, blob.len)) <
          0 ||
      (r = rv_put(h->txn, RV_DB_META, SELF_KEY, strlen(SELF_KEY), h->self.b, RV_ID_LEN)) < 0)
    goto fail;
  r = rv_txn_commit(&h->txn);
  if (r < 0)
    goto fail;
  rv_buf_release(&blob);
  *ret = h;
  return 0;
fail:
  rv_buf_release(&blob);
  rv_home_close(&h);
  return r;
}

int rv_home_open(const char *dir, rv_home_t **ret) {
  char path[4096];
  struct stat st;
  rv_home_t *h = NULL;
  const uint8_t *v;
  size_t vn;
  int r;
  if ((size_t)snprintf(path, sizeof path, "%s/data.mdb", dir) >= sizeof path)
    return RV_EINVAL;
  if (stat(path, &st) != 0)
    return RV_ENOTFOUND;
  if ((r = check_dir(dir)) < 0 || (r = home_alloc(dir, false, &h)) < 0)
    return r;
  if ((r = rv_txn_begin(h->store, false, &h->txn)) < 0)
    goto fail;
  r = rv_get(h->txn, RV_DB_META, SELF_KEY, strlen(SELF_KEY), &v, &vn);
  if (r == 0 && vn != RV_ID_LEN)
    r = RV_ECORRUPT;
  if (r < 0)
    goto fail;
  memcpy(h->self.b, v, RV_ID_LEN);
  rv_txn_abort(&h->txn);
  *ret = h;
  return 0;
fail:
  rv_home_close(&h);
  return r;
}

/* The sealed identity as stored: its salt and costs, and the box, which
 * points into copy. */
typedef struct sealed_identity {
  rv_buf_t copy;
  uint8_t salt[RV_SALT_LEN];
  uint64_t ops, mem, ms;
  const uint8_t *box;
  size_t boxn;
} sealed_identity_t;

static int read_identity(rv_home_t *h, sealed_identity_t *id) {
  rv_txn_t *txn = NULL;
  rv_val_t m, boxv;
  const uint8_t *blob;
  size_t bn;
  uint64_t ver;
  int r;
  if ((r = rv_txn_begin(h->store, false, &txn)) < 0)
    return r;
  r = rv_get(txn, RV_DB_SECRETS, IDENTITY_KEY, strlen(IDENTITY_KEY), &blob, &bn);
  if (r == RV_ENOTFOUND)
    r = RV_ECORRUPT;
  if (r == 0)
    r = rv_buf_append(&id->copy, blob, bn);
  rv_txn_abort(&txn);
  if (r < 0)
    return r;
  if (rv_dec_parse(h->dec, id->copy.data, id->copy.len, &m) < 0 || rv_get_uint(m, "v", &ver) < 0 ||
      ver != 1 || rv_get_bin_fixed(m, "salt", id->salt, sizeof id->salt) < 0 ||
      rv_get_uint(m, "ops", &id->ops) < 0 || rv_get_uint(m, "mem", &id->mem) < 0 ||
      rv_val_get(m, "box", &boxv) < 0 || rv_val_bin(boxv, &id->box, &id->boxn) < 0)
    return RV_ECORRUPT;
  /* "ms": absent from homes made before it was kept. */
  rv_val_t msv;
  if (rv_val_get(m, "ms", &msv) == 0 && rv_val_uint(msv, &id->ms) < 0)
    return RV_ECORRUPT;
  /* Costs far above what revans writes would only make unlocking hang. */
  if (id->ops > RV_PWHASH_OPS_MAX || id->mem > RV_PWHASH_MEM_MAX)
    return RV_ECORRUPT;
  return 0;
}

/* Opens the identity's box with the stretched passphrase. */
static int open_identity(rv_home_t *h, const sealed_identity_t *id, const uint8_t *pwkey) {
  uint8_t ad[128];
  rv_val_t a, f;
  rv_buf_t plain;
  int r = RV_ECORRUPT;
  rv_buf_init(&plain);
  size_t adn = identity_ad(ad, h, id->salt, id->ops, id->mem);
  if (rv_box_open(&plain, id->box, id->boxn, ad, adn, pwkey) < 0) {
    rv_buf_release(&plain);
    return RV_EPASS;
  }
  if (!(h->sec = rv_secure_alloc(sizeof *h->sec))) {
    rv_buf_release(&plain);
    return RV_ENOMEM;
  }
  if (rv_dec_parse(h->dec, plain.data, plain.len, &a) < 0 || rv_val_len(a) != 3 ||
      rv_val_at(a, 0, &f) < 0 || rv_val_bin_fixed(f, h->sec->sk, RV_SK_LEN) < 0 ||
      rv_val_at(a, 1, &f) < 0 || rv_val_bin_fixed(f, h->sec->local, RV_KEY_LEN) < 0 ||
      rv_val_at(a, 2, &f) < 0 || rv_val_strdup(f, RV_NAME_MAX, &h->name) < 0 ||
      memcmp(h->sec->sk + 32, h->self.b, RV_ID_LEN) != 0) {
    rv_secure_free(h->sec);
    h->sec = NULL;
  } else {
    memcpy(h->sec->unlock, pwkey, RV_KEY_LEN);
    h->pw_ops = id->ops;
    h->pw_mem = id->mem;
    h->pw_ms = id->ms;
    r = 0;
  }
  rv_buf_release(&plain);
  return r;
}

int rv_home_unlock(rv_home_t *h, const char *pass, size_t passlen) {
  sealed_identity_t id;
  uint8_t *pwkey = NULL;
  int r;
  if (h->sec)
    return 0;
  memset(&id, 0, sizeof id);
  rv_buf_init(&id.copy);
  if ((r = read_identity(h, &id)) < 0)
    goto out;
  if (!(pwkey = rv_secure_alloc(RV_KEY_LEN))) {
    r = RV_ENOMEM;
    goto out;
  }
  if ((r = rv_pwhash(pwkey, pass, passlen, id.salt, id.ops, id.mem)) < 0)
    goto out;
  r = open_identity(h, &id, pwkey);
out:
  rv_secure_free(pwkey);
  rv_buf_release(&id.copy);
  return r;
}

int rv_home_passphrase_change(rv_home_t *h, const char *pass, size_t passlen, uint64_t ops,
                              uint64_t mem) {
  rv_buf_t blob;
  rv_txn_t *txn = NULL;
  int r;
  if (!h->sec)
    return RV_ELOCKED;
  if (h->txn)
    return RV_EINVAL;
  if (!ops && !mem)
    rv_pwhash_calibrate(RV_PWHASH_TARGET_MS, &ops, &mem);
  rv_buf_init(&blob);
  uint8_t old[RV_KEY_LEN];
  memcpy(old, h->sec->unlock, RV_KEY_LEN);
  uint64_t old_costs[3] = {h->pw_ops, h->pw_mem, h->pw_ms};
  if ((r = seal_identity(h, pass, passlen, ops, mem, &blob)) == 0 &&
      (r = rv_txn_begin(h->store, true, &txn)) == 0 &&
      (r = rv_put(txn, RV_DB_SECRETS, IDENTITY_KEY, strlen(IDENTITY_KEY), blob.data, blob.len)) ==
          0)
    r = rv_txn_commit(&txn);
  rv_txn_abort(&txn);
  if (r < 0) { /* the stored identity is unchanged: so is what it unlocks with */
    memcpy(h->sec->unlock, old, RV_KEY_LEN);
    h->pw_ops = old_costs[0];
    h->pw_mem = old_costs[1];
    h->pw_ms = old_costs[2];
  }
  rv_wipe(old, sizeof old);
  rv_buf_release(&blob);
  return r;
}

void rv_home_pwhash_costs(const rv_home_t *h, uint64_t *ret_ops, uint64_t *ret_mem,
                          uint64_t *ret_ms) {
  *ret_ops = h->pw_ops;
  *ret_mem = h->pw_mem;
  *ret_ms = h->pw_ms;
}

int rv_home_unlock_key(rv_home_t *h, const uint8_t key[RV_KEY_LEN]) {
  sealed_identity_t id;
  int r;
  if (h->sec)
    return 0;
  memset(&id, 0, sizeof id);
  rv_buf_init(&id.copy);
  if ((r = read_identity(h, &id)) == 0)
    r = open_identity(h, &id, key);
  rv_buf_release(&id.copy);
  return r;
}

int rv_home_unlock_key_get(const rv_home_t *h, uint8_t ret[RV_KEY_LEN]) {
  if (!h->sec)
    return RV_ELOCKED;
  memcpy(ret, h->sec->unlock, RV_KEY_LEN);
  return 0;
}

int rv_home_curve_keys(const rv_home_t *h, uint8_t ret_pk[RV_KEY_LEN], uint8_t ret_sk[RV_KEY_LEN]) {
  if (!h->sec)
    return RV_ELOCKED;
  return rv_sign_to_curve(h->self.b, h->sec->sk, ret_pk, ret_sk);
}

bool rv_home_unlocked(const rv_home_t *h) { return h->sec != NULL; }

void rv_home_close(rv_home_t **hp) {
  rv_home_t *h = hp ? *hp : NULL;
  if (!h)
    return;
  rv__setctx_drop_all(h);
  rv_txn_abort(&h->txn);
  rv__snaps_free(h);
  rv_store_close(&h->store);
  rv_secure_free(h->sec);
  if (h->name) {
    rv_wipe(h->name, strlen(h->name));
    free(h->name);
  }
  rv_enc_destroy(&h->enc);
  rv_enc_destroy(&h->enc_plain);
  rv_dec_destroy(&h->dec);
  rv_dec_destroy(&h->dec_container);
  free(h->dir);
  free(h);
  *hp = NULL;
}

const rv_member_id_t *rv_home_self(const rv_home_t *h) { return &h->self; }
const char *rv_home_name(const rv_home_t *h) { return h->sec ? h->name : NULL; }
const char *rv_home_dir(const rv_home_t *h) { return h->dir; }

/* ---- transactions -------------------------------------------------- */

int rv_home_begin(rv_home_t *h, bool write) {
  if (h->txn)
    return RV_EINVAL;
  h->next_rec = 0;
  return rv_txn_begin(h->store, write, &h->txn);
}

int rv_home_commit(rv_home_t *h) {
  int r = 0;
  if (!h->txn)
    return RV_EINVAL;
  r = rv__setctx_save_dirty(h);
  rv__setctx_drop_all(h);
  bool write = rv_txn_writable(h->txn);
  if (r < 0 || (r = rv_txn_commit(&h->txn)) < 0) {
    rv_txn_abort(&h->txn);
    rv__snaps_end(h, false);
    return r;
  }
  rv__snaps_end(h, true);
  h->commits += write;
  return 0;
}

void rv_home_abort(rv_home_t *h) {
  rv__setctx_drop_all(h);
  rv_txn_abort(&h->txn);
  rv__snaps_end(h, false);
}
