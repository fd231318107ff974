/*
 * The programme record as a document people read: Markdown, or one
 * self-contained HTML page (export_doc.c). cmd_export.c computes the
 * evaluation, writes the JSON form itself, and hands the rest here.
 */
#ifndef REVANS_CLI_EXPORT_DOC_H
#define REVANS_CLI_EXPORT_DOC_H

#include "cli.h"
#include "revans/evaluation.h"

/* What one record is made from; everything borrowed from the caller. */
typedef struct cli_record {
  const rv_state_t *s;
  const rv_evaluation_t *ev;
  bool with_q;      /* the questions' texts too */
  uint64_t made_ms; /* when the record is made (the machine's clock) */
} cli_record_t;

/* Appends the record to b, as Markdown or as an HTML page. Out of memory,
 * b holds what fitted (rv_buf_t keeps no error of its own). */
void cli_record_markdown(rv_buf_t *b, const cli_record_t *r);
void cli_record_html(rv_buf_t *b, const cli_record_t *r);

/* The number people know meeting id by (its place in the state's meeting
 * list, from 1), 0 for a meeting not in it. */
size_t cli_record_meeting_number(const rv_evaluation_t *ev, const rv_oid_t *id);

/* "YYYY-MM-DD" of ms on the local calendar (out: 11 bytes). */
void cli_record_date(char *out, uint64_t ms);

#endif
