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

/* Appends the bundle's bytes to out; *ret_records counts the envelopes.
 * Read or write transaction. */
int rv_bundle_create(rv_home_t *h, rv_buf_t *out, size_t *ret_records);

/* Computes the checksum a container file (bundle or invitation, whose
 * records array is element records_at: 3 for bundles, 5 for invitations)
 * must end with: BLAKE2b-256 of every byte before the checksum element,
 * with each record replaced by its own BLAKE2b-256 hash. */
int rv_bundle_checksum(const uint8_t *p, size_t n, uint32_t records_at, uint8_t ret[RV_HASH_LEN]);

/* Checks the file's structure and checksum, then ingests it (log.h). All or
 * nothing. RV_EFORMAT for a damaged or truncated file, RV_EFOREIGN when no
 * record belongs to a set held here. Write transaction; home unlocked. */
int rv_bundle_apply(rv_home_t *h, const uint8_t *p, size_t n, rv_ingest_report_t *ret);

#endif
