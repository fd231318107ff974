/*
 * The private reflection journal: entries that never leave this machine.
 * Each entry is sealed under the home's local key (XChaCha20-Poly1305, the
 * entry id as associated data) in the store's journal database; nothing
 * of it is in any set's log, so no bundle or peer ever carries it.
 */
#ifndef REVANS_JOURNAL_H
#define REVANS_JOURNAL_H

#include "revans/body.h"
#include "revans/home.h"

#define RV_JOURNAL_TEXT_MAX (256 * 1024) /* bytes in one entry */
#define RV_JOURNAL_TAGS_MAX 64
#define RV_JOURNAL_TAG_MAX 64

typedef struct rv_entry {
  rv_oid_t id;       /* random */
  uint64_t at_ms;    /* when it is about (UTC) */
  uint64_t made_ms;  /* when it was written */
  char *text;
  char **tags; /* without '@', lower case, ntags of them */
  size_t ntags;
  bool has_meeting;
  rv_set_id_t set;  /* with has_meeting: the meeting it is linked to */
  rv_oid_t meeting;
  rv_hash_t source; /* for imports: the hash of what was imported, else zero */
} rv_entry_t;

/* Stores e (new, or replacing the entry with its id). Write transaction;
 * home unlocked. RV_EINVAL for an empty or oversized text or bad tags. */
int rv_journal_put(rv_home_t *h, const rv_entry_t *e);
/* Fills ret (the caller releases it). RV_ENOTFOUND. */
int rv_journal_get(rv_home_t *h, const rv_oid_t *id, rv_entry_t *ret);
/* RV_ENOTFOUND when there is no such entry. Write transaction. */
int rv_journal_delete(rv_home_t *h, const rv_oid_t *id);
/* Calls cb with every entry, decrypted, in id order; e is borrowed for the
 * call. A non-zero return stops the walk and is returned. */
typedef int (*rv_entry_cb)(void *ctx, const rv_entry_t *e);
int rv_journal_each(rv_home_t *h, rv_entry_cb cb, void *ctx);
/* Finds an entry by a hex prefix of its id: RV_ENOTFOUND, RV_EAMBIG. */
int rv_journal_find(rv_home_t *h, const char *prefix, rv_oid_t *ret);
void rv_entry_release(rv_entry_t *e);

/* What list and search ask for. Every condition given must hold. */
typedef struct rv_journal_query {
  uint64_t since, until;    /* at_ms within [since, until]; until 0: no end */
  const char *const *tags;  /* carries each of these tags ('@' optional) */
  size_t ntags;
  const char *const *words; /* each word is in the text (ASCII letters in any
                               case) or is one of the entry's tags */
  size_t nwords;
  size_t limit; /* only the last limit matches; 0: all */
} rv_journal_query_t;

typedef struct rv_journal_hit {
  uint64_t at_ms;
  rv_oid_t id;
} rv_journal_hit_t;

/* The entries matching q, oldest first (ties by id): *ret (the caller
 * frees it) holds *ret_n of them. With a limit, memory stays bounded by it
 * however large the journal. Read transaction; home unlocked. */
int rv_journal_query(rv_home_t *h, const rv_journal_query_t *q, rv_journal_hit_t **ret,
                     size_t *ret_n);

#endif
