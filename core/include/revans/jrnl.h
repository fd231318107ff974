/*
 * jrnl, the command-line journal: its entries and its plain-text journal
 * file, converted to and from journal entries. No JSON here: a front end
 * maps jrnl's JSON export ({"tags": {...}, "entries": [{date, time, title,
 * body, tags, starred}]}) to rv_jrnl_entry_t and back.
 *
 * An entry's text is jrnl's title, then a newline and the body when there
 * is one; going back, the title is the text's first line and the body the
 * rest, as jrnl reads its own file. Times are wall-clock times as written.
 *
 * jrnl's file: each entry opens at the start of a line with
 * "[YYYY-MM-DD HH:MM] " (its default time format; other bracketed dates,
 * which jrnl may read fuzzily, open no entry here) and runs to the newline
 * before the next. A first line ending in '*' marks a star (the stars and
 * spaces around that line are dropped). The title is the first line when
 * the text has a newline, else its first sentence; the rest, stripped, is
 * the body; the tags are those of the entry's text as written (journal.h).
 */
#ifndef REVANS_JRNL_H
#define REVANS_JRNL_H

#include "revans/journal.h"

/* One jrnl entry. Every pointer is borrowed. */
typedef struct rv_jrnl_entry {
  const char *date; /* "YYYY-MM-DD", or "YYYY-MM-DD HH:MM" with time NULL */
  const char *time; /* "HH:MM", or NULL */
  const char *title;
  const char *body;        /* NULL for none */
  const char *const *tags; /* with their symbols; "x" is "@x" */
  size_t ntags;
  const char *tag_text; /* a text whose tags the entry carries too, or NULL */
  bool starred;
} rv_jrnl_entry_t;

/* The journal entry of j into ret (released by the caller, also on
 * failure): RV_EFORMAT for a date or time that is none, RV_EINVAL for an
 * entry the journal cannot hold (rv_entry_check), RV_ENOMEM; *ret_why says
 * why for a person (static text). id, made_ms and source are left zero. */
int rv_jrnl_to_entry(const rv_jrnl_entry_t *j, rv_entry_t *ret, const char **ret_why);

/* An entry as jrnl shows it: the title and body are malloc'd, released by
 * rv_jrnl_view_release. */
typedef struct rv_jrnl_view {
  char date[11], time[6];
  char *title, *body;
} rv_jrnl_view_t;
int rv_jrnl_view_init(rv_jrnl_view_t *v, const rv_entry_t *e);
void rv_jrnl_view_release(rv_jrnl_view_t *v);

/* Calls cb with each entry of jrnl's file buf (n bytes, NUL-terminated or
 * not), numbered from 0; j is valid for the call. Text before the first
 * entry is no entry: *ret_skipped says how many bytes of it there were. A
 * non-zero return of cb stops the walk and is returned; RV_ENOMEM. */
typedef int (*rv_jrnl_cb)(void *ctx, const rv_jrnl_entry_t *j, size_t index);
int rv_jrnl_txt_parse(const char *buf, size_t n, rv_jrnl_cb cb, void *ctx, size_t *ret_skipped);

/* Appends e to out as jrnl writes it to its file, a blank line before it
 * unless first. A body line jrnl would read as opening an entry ('[' and
 * more than six characters to "] ") is written after one space. 0 or
 * RV_ENOMEM. */
int rv_jrnl_txt_append(rv_buf_t *out, const rv_entry_t *e, bool first);

#endif
