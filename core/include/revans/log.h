/*
 * The log: appending this person's records and reading records back
 * (log.c), ingesting other members' records, chain-verified in bulk
 * (ingest.c), version vectors and what another node lacks (log.c), and
 * full verification (verify.c). All of it runs inside a transaction of
 * the home (home.h): every pointer a call hands out borrowed is valid
 * until that transaction ends, unless said otherwise. Errors are negative
 * RV_E* codes (error.h).
 */
#ifndef REVANS_LOG_H
#define REVANS_LOG_H

#include "revans/body.h"
#include "revans/home.h"
#include "revans/record.h"

/* Seals body as this person's next record in set and folds it. RV_EPERM
 * when the fold would ignore it (*ret_why, a static phrase, says why; the
 * caller should abort); RV_EFORK once this identity has forked (its later
 * records would be kept out); RV_EKEY without the current epoch's key;
 * RV_ETOOBIG when a counter is exhausted; RV_EINVAL outside a write
 * transaction. body stays the caller's. Home unlocked. */
int rv_log_append(rv_home_t *h, const rv_set_id_t *set, const rv_body_t *body,
                  const char **ret_why);

/* One record as bytes, borrowed from the caller, with its hash when the
 * caller has already computed it (a container's checksum needs them). */
typedef struct rv_raw {
  const uint8_t *p;
  size_t n;
  bool hashed;
  rv_hash_t hash;
} rv_raw_t;

typedef struct rv_ingest_report {
  size_t received;   /* envelopes offered */
  size_t added;      /* new records stored */
  size_t duplicates; /* already held */
  size_t forks;      /* valid records that conflict with a held one */
  size_t foreign;    /* of sets this home holds no key for */
  size_t unreadable; /* not stored: of a key epoch this home holds no key for */
  size_t refolded;   /* records folded again because some came before them in fold order */
  size_t unvouched;  /* not stored: above the last record of their run whose signature verifies */
  size_t forks_new;  /* forks newly recorded (rv_log_forks): a known fork's other branch
                        arriving again is counted in forks, not here */
  uint64_t kept_out; /* records kept out of the state by this batch: the growth of the
                        `ignored` count (fold.h) of each set it touched */
} rv_ingest_report_t;

/* Ingests envelopes of any sets in any order. Within one author's run the
 * hash links are checked down to the held head and only the last record's
 * signature is verified (when it fails, the run is cut back to the newest
 * record whose own signature verifies, the rest counted unvouched, or
 * refused when none does); every body must open under the set's key
 * (which only members hold). RV_EFORMAT, RV_EAUTH, RV_ECHAIN refuse the
 * whole batch and store nothing (the caller aborts); RV_ELOCKED, and
 * RV_EINVAL outside a write transaction. recs are read during the call
 * only. *ret (when not NULL) is filled on success. */
int rv_log_ingest(rv_home_t *h, const rv_raw_t *recs, size_t n, rv_ingest_report_t *ret);

/* A version vector entry: what a node holds of one author in one set. */
typedef struct rv_vv {
  rv_member_id_t author;
  uint64_t seq;
  rv_hash_t head;
} rv_vv_t;

/* This home's version vector for set, one entry per author held; caller
 * frees *ret (NULL when *ret_n is 0). RV_ECORRUPT. */
int rv_log_vv(rv_home_t *h, const rv_set_id_t *set, rv_vv_t **ret, size_t *ret_n);

/* Calls cb with every record of set that a node holding `theirs` lacks, one
 * author's run at a time in sequence order. The raw bytes are borrowed for
 * the duration of the call. A non-zero return from cb stops the walk and is
 * returned. */
typedef int (*rv_record_cb)(void *ctx, const uint8_t *raw, size_t n);
int rv_log_missing(rv_home_t *h, const rv_set_id_t *set, const rv_vv_t *theirs, size_t ntheirs,
                   rv_record_cb cb, void *ctx);

/* Full verification of every set: each signature, each chain link, each
 * head, each body opens under its epoch's key, the order index, forks. */
typedef struct rv_fault {
  rv_set_id_t set;
  rv_member_id_t author;
  uint64_t seq;
  int code;         /* RV_E* */
  const char *what; /* static phrase */
} rv_fault_t;
typedef void (*rv_fault_cb)(void *ctx, const rv_fault_t *f);
/* vouched: records whose own signature fails, each vouched for by a later
 * signature of its author through an unbroken chain (format.md, "Which
 * records are authentic"): not faults. */
typedef struct rv_verify_report {
  size_t sets, records, faults, forks, vouched;
} rv_verify_report_t;
/* Walks every set (cb, which may be NULL, gets each fault as found; the
 * fault is borrowed for the call) and fills *ret. Faults are findings, not
 * errors: 0 unless the walk itself fails (RV_ENOMEM, RV_EINVAL without a
 * transaction). Changes nothing. */
int rv_log_verify(rv_home_t *h, rv_fault_cb cb, void *ctx, rv_verify_report_t *ret);

/* Calls cb for the records of set in fold order (newest first when
 * reverse), at most limit of them (0: all). body is NULL when it could not
 * be opened; both pointers are borrowed for the call. */
typedef int (*rv_each_cb)(void *ctx, const rv_header_t *hdr, const rv_body_t *body);
int rv_log_each(rv_home_t *h, const rv_set_id_t *set, bool reverse, size_t limit, rv_each_cb cb,
                void *ctx);

/* A contested record whose own signature fails is proved by at most this
 * many of its author's next records, which a fork's evidence carries after
 * it (format.md, "Forks"). */
#define RV_VOUCHERS_MAX 8

/* Known forks of a set: calls cb once per fork, with the conflicting
 * envelope, followed, back to back, by the author's records that vouch for
 * it when its own signature fails (format.md, "Forks"). */
int rv_log_forks(rv_home_t *h, const rv_set_id_t *set, rv_record_cb cb, void *ctx);
/* Calls cb with each envelope of one fork's bytes in turn (the first is
 * the conflicting record); stops at a cb that returns non-zero, and
 * returns that. RV_ECORRUPT. */
int rv_log_fork_split(const uint8_t *raw, size_t n, rv_record_cb cb, void *ctx);

#endif
