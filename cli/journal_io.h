/*
 * The journal's entries in and out of the revans program: as JSON for
 * list and show, and the files of 'journal export' and 'journal import'
 * (revans's JSON, jrnl's JSON export and jrnl's plain-text journal). The
 * domain (tags, wall-clock times, de-duplication, jrnl's rules) is core's;
 * this maps it to JSON and files.
 */
#ifndef REVANS_CLI_JOURNAL_IO_H
#define REVANS_CLI_JOURNAL_IO_H

#include "cli.h"
#include "revans/jrnl.h"

/* {id, at, text, tags, starred} of e. */
jv_t *cli_journal_entry_json(const rv_entry_t *e);
/* {id, at, tags, starred} of e, and {text} last when text is not NULL:
 * the rows and heading people read in list and show. */
jv_t *cli_journal_entry_brief(const rv_entry_t *e, const char *text);

/* One entry object of jrnl's JSON export ({title, body, date, time, tags,
 * starred}) or of revans's own ({at, text, tags, starred}) as j, whose
 * strings borrow from x; *ret_tags (freed by the caller, also on failure)
 * holds j's tags. 0, or RV_EFORMAT (RV_ENOMEM) with *ret_why. */
int cli_journal_json_entry(const jv_t *x, rv_jrnl_entry_t *j, const char ***ret_tags,
                           const char **ret_why);

/* How many entries carry each tag, most first (ties by name). */
typedef struct cli_tag_count {
  char *tag;
  size_t n;
} cli_tag_count_t;
/* Reads the journal (transaction open); *ret (cli_tag_counts_free) holds
 * *ret_n counts. */
int cli_journal_tag_counts(rv_home_t *h, cli_tag_count_t **ret, size_t *ret_n);
void cli_tag_counts_free(cli_tag_count_t *v, size_t n);

/* The commands 'journal export' and 'journal import'. */
int cli_journal_export(cli_t *c);
int cli_journal_import(cli_t *c);

#endif
