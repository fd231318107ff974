/*
 * Bundles: every record of every set this home holds (and the evidence of
 * any fork it knows of), in one file, for
 * carrying between machines without a network. The file is a msgpack array
 * ["revans-bundle", version, created_ms, [envelope...], checksum]; see
 * rv_bundle_checksum() and docs/format.md.
 */
#ifndef REVANS_BUNDLE_H
#define REVANS_BUNDLE_H

#include "revans/home.h"
#include "revans/log.h"

#define RV_BUNDLE_MAX ((size_t)1 << 31) /* bytes in a bundle file */

/* Appends the bundle's bytes to out (the caller's buffer; ret_records may
 * be NULL, else it counts the envelopes). RV_ETOOBIG, RV_ENOMEM,
 * RV_ECORRUPT when the log's indexes disagree, RV_EINVAL outside a
 * transaction (read or write). */
int rv_bundle_create(rv_home_t *h, rv_buf_t *out, size_t *ret_records);

/* Computes the checksum a container file (bundle or invitation, whose
 * records array is element records_at: 3 for bundles, 5 for invitations)
 * must end with: BLAKE2b-256 of every byte before the checksum element,
 * with each record replaced by its own BLAKE2b-256 hash. RV_EFORMAT when
 * p is not such a container, RV_ENOMEM. Needs no home. */
int rv_bundle_checksum(const uint8_t *p, size_t n, uint32_t records_at, uint8_t ret[RV_HASH_LEN]);

/* Checks the file's structure and checksum, then ingests it (log.h). All or
 * nothing. RV_EFORMAT for a damaged or truncated file, RV_EVERSION for a
 * later format, RV_ETOOBIG over RV_BUNDLE_MAX, RV_EAUTH when a chain in it
 * is cut back (a bundle holds each chain whole), RV_EFOREIGN when no
 * record belongs to a set held here, and ingest's codes. p is read during
 * the call only; *ret (when not NULL) gets ingest's report. Write
 * transaction; home unlocked. */
int rv_bundle_apply(rv_home_t *h, const uint8_t *p, size_t n, rv_ingest_report_t *ret);

#endif
