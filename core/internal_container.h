/*
 * The container format of bundle and invite files (container.c): a
 * msgpack array [magic, version, fields..., records, checksum] whose
 * checksum covers the file with each record standing as its hash
 * (docs/format.md, "Containers").
 */
#ifndef REVANS_CORE_INTERNAL_CONTAINER_H
#define REVANS_CORE_INTERNAL_CONTAINER_H

#include "internal.h"

/* Writing a container: rv__cw_begin() on a reset encoder writes the
 * array's header, the magic and the version; the caller writes the other
 * leading fields with the encoder and the records' array header, each
 * record with rv__cw_record(), then rv__cw_end() appends the checksum and
 * copies the whole file to out (RV_ENOMEM, or the encoder's error). */
typedef struct rv_cwriter {
  rv_enc_t *enc;
  rv_hash_state_t st;
  size_t done; /* bytes of enc already hashed */
} rv_cwriter_t;
void rv__cw_begin(rv_cwriter_t *w, rv_enc_t *enc, const char *magic, uint32_t nfields);
void rv__cw_record(rv_cwriter_t *w, const uint8_t *raw, size_t n);
int rv__cw_end(rv_cwriter_t *w, rv_buf_t *out);

/* Parses a container whose records are element records_at, and computes
 * its checksum into ret_sum, filling each record's hash. *ret (release
 * with rv__container_free) borrows from p; *ret_root is valid while dec
 * is not reused. RV_EFORMAT. */
int rv__container_parse(rv_dec_t *dec, const uint8_t *p, size_t n, uint32_t records_at,
                        rv_val_t *ret_root, rv_raw_t **ret, size_t *ret_n,
                        uint8_t ret_sum[RV_HASH_LEN]);
/* Opens a container file after checking its magic, version (RV_EVERSION),
 * field count and checksum (RV_EFORMAT), parsed with the home's container
 * decoder: *ret_root is valid while that decoder is not reused. */
int rv__container_open(rv_home_t *h, const char *magic, const uint8_t *p, size_t n,
                       uint32_t nfields, uint32_t records_at, rv_val_t *ret_root, rv_raw_t **ret,
                       size_t *ret_n);
void rv__container_free(rv_raw_t *raws, size_t n);

#endif
