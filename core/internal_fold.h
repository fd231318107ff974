/*
 * Between fold.c (membership, the state's frame and its encoding) and
 * programme.c (contract, meetings, questions, actions).
 */
#ifndef REVANS_CORE_INTERNAL_FOLD_H
#define REVANS_CORE_INTERNAL_FOLD_H

#include "revans/fold.h"

/* Applies a programme record by a member: 1 applied, 0 ignored (*why),
 * RV_ENOMEM. */
int rv__programme_apply(rv_state_t *s, const rv_header_t *hd, const rv_body_t *b,
                        const rv_member_t *author, const char **why);
/* Frees what the programme holds in s. */
void rv__programme_release(rv_state_t *s);
/* Writes the four map entries "contract", "meetings", "questions",
 * "actions". */
void rv__programme_encode(rv_enc_t *e, const rv_state_t *s);
#define RV__PROGRAMME_KEYS 4
/* Reads them back into s (freshly initialised); RV_EFORMAT, RV_ENOMEM,
 * with whatever was read left for rv__programme_release. */
int rv__programme_decode(rv_val_t map, rv_state_t *s);

#endif
