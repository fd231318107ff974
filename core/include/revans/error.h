/*
 * Error codes shared by every part of revans. Functions that can fail return
 * 0 on success or one of the negative RV_E* codes below; rv_strerror() turns
 * a code into the lowercase phrase the command line prints after "revans: ".
 * The list is one X-macro so that the enum and the messages cannot drift.
 */
#ifndef REVANS_ERROR_H
#define REVANS_ERROR_H

#define RV_ERRNO_MAP(X)                                                                            \
  X(EINVAL, "invalid argument")                                                                    \
  X(ENOMEM, "out of memory")                                                                       \
  X(EFORMAT, "malformed data")                                                                     \
  X(EAUTH, "signature or authentication check failed")                                             \
  X(ECHAIN, "broken hash chain")                                                                   \
  X(EFORK, "two different records at one position (fork)")                                         \
  X(ENOTFOUND, "not found")                                                                        \
  X(EEXIST, "already exists")                                                                      \
  X(EPASS, "wrong passphrase")                                                                     \
  X(EKEY, "no key held for this set or epoch")                                                     \
  X(EPERM, "not permitted")                                                                        \
  X(EIO, "input/output error")                                                                     \
  X(ESTORE, "store error")                                                                         \
  X(EFULL, "store or disk is full")                                                                \
  X(ETOOBIG, "too large")                                                                          \
  X(EAMBIG, "ambiguous name or prefix")                                                            \
  X(EFOREIGN, "nothing in it belongs to a set held here")                                          \
  X(ECORRUPT, "store is damaged")                                                                  \
  X(EVERSION, "unsupported format version")                                                        \
  X(ELOCKED, "identity is locked")                                                                 \
  X(EROFS, "home is read-only")                                                                    \
  X(EUNSAFE, "not this user's alone: another user could change it or stand in for it")

enum rv_errno {
  RV_OK = 0,
#define RV_ERR_ENUM(name, msg) RV_##name,
  RV__EFIRST = -100,
  RV_ERRNO_MAP(RV_ERR_ENUM)
#undef RV_ERR_ENUM
      RV__ELAST
};

/* Returns a static string describing code; never NULL. */
const char *rv_strerror(int code);

#endif
