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
#include "revans/wallclock.h"

#define RV_JOURNAL_TEXT_MAX (256 * 1024) /* bytes in one entry */
#define RV_JOURNAL_TAGS_MAX 64
#define RV_JOURNAL_TAG_MAX 128 /* bytes in one tag, its symbol included */

typedef struct rv_entry {
  rv_oid_t id;      /* random */
  int64_t at_ms;    /* when it is about: wall-clock time as written (wallclock.h) */
  uint64_t made_ms; /* when it was written (UTC) */
  char *text;
  char **tags; /* each with its symbol ('@' or '#'), in lower case; ntags of them */
  size_t ntags;
  bool starred;
  bool has_meeting;
  rv_set_id_t set; /* with has_meeting: the meeting it is linked to */
  rv_oid_t meeting;
  rv_hash_t source; /* for imports: the hash of what was imported, else zero */
} rv_entry_t;

/* Stores e (new, or replacing the entry with its id). Write transaction;
 * home unlocked. RV_EINVAL for an empty or oversized text or bad tags
 * (see rv_entry_check). */
int rv_journal_put(rv_home_t *h, const rv_entry_t *e);
/* 0 when rv_journal_put would take e, else RV_EINVAL with a reason for a
 * person in *ret_why (static text). */
int rv_entry_check(const rv_entry_t *e, const char **ret_why);
/* Fills ret (the caller releases it). RV_ENOTFOUND. Entries stored
 * before wall-clock times (encoding version 1: UTC, tags without their
 * symbol) read as wall-clock times in this machine's time zone, tags as
 * '@' tags. */
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
  bool has_since, has_until;
  int64_t since, until;    /* at_ms within [since, until], where given */
  const char *const *tags; /* carries each of these tags: "@x" and "#x" as
                              written, "x" either of them; any case */
  size_t ntags;
  bool starred;             /* only starred entries */
  const char *const *words; /* each word is in the text (ASCII letters in any
                               case) or is one of the entry's tags */
  size_t nwords;
  size_t limit; /* only the last limit matches; 0: all */
} rv_journal_query_t;

typedef struct rv_journal_hit {
  int64_t at_ms;
  rv_oid_t id;
} rv_journal_hit_t;

/* The entries matching q, oldest first (ties by id): *ret (the caller
 * frees it) holds *ret_n of them. With a limit, memory stays bounded by it
 * however large the journal. Read transaction; home unlocked. */
int rv_journal_query(rv_home_t *h, const rv_journal_query_t *q, rv_journal_hit_t **ret,
                     size_t *ret_n);

/* ---- tags (journal_tags.c) ----------------------------------------------
 * One rule, jrnl's: a tag is '@' or '#' at the start of the text or after
 * white space, then one or more tag characters: letters and digits of any
 * script, '_', '-', '+', '*', '#', '/'. It ends at anything else (white
 * space, '.', ',', '!', '?', ':', ';', quotes, brackets, emoji...), so
 * "@os/2", "@c++", "@c#" and "@café" are tags whole, and an e-mail address
 * "a@b.org" is none. One departure: a tag needs a letter, digit or '_'
 * ("##" opening a Markdown heading is none). Tags are kept with their
 * symbol, in lower case. */

/* The length in bytes of the tag starting at text + i (at its symbol), or 0
 * when none starts there. */
size_t rv_journal_tag_at(const char *text, size_t i);
/* Adds tag t (n bytes) to e, unless e carries it: a tag given without a
 * symbol is an '@' tag. Lower case is ASCII, Latin-1, Latin Extended-A,
 * Greek and Cyrillic; other letters are kept as written. RV_EINVAL for an
 * empty or too long tag or more than RV_JOURNAL_TAGS_MAX; RV_ENOMEM. */
int rv_entry_add_tag(rv_entry_t *e, const char *t, size_t n);
/* Adds every tag in text to e, as rv_entry_add_tag. */
int rv_entry_add_text_tags(rv_entry_t *e, const char *text);
/* Whether e carries tag t: "@x" or "#x" exactly (any case), "x" either. */
bool rv_entry_has_tag(const rv_entry_t *e, const char *t);

/* ---- import (journal_import.c) -------------------------------------------
 * An import keeps every entry of the file: two identical entries in it are
 * two entries. What it leaves out is an entry an earlier import already
 * brought: each imported entry keeps the hash of what was imported (its
 * time to the minute, text, tags and star) as its source, and an entry
 * whose hash the file holds k times and the journal n times is added
 * k - n times (none when n >= k). An entry written here counts under the
 * hash of what it holds, so that one's own export imported again adds
 * nothing. */
typedef struct rv_journal_import rv_journal_import_t;
/* Reads the sources in the journal. Write transaction (held until
 * rv_journal_import_destroy); home unlocked. */
int rv_journal_import_new(rv_home_t *h, rv_journal_import_t **ret);
/* Stores e (its id, made_ms and source are set here) unless it is already
 * here: *ret_added says which. Errors as rv_journal_put. */
int rv_journal_import_put(rv_journal_import_t *im, rv_entry_t *e, bool *ret_added);
void rv_journal_import_destroy(rv_journal_import_t **p);

#endif
