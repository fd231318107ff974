/*
 * Text helpers shared by the journal's tag rule and jrnl's format: UTF-8
 * decoding and white space as Python (and so jrnl) knows it.
 */
#ifndef REVANS_JOURNAL_TEXT_H
#define REVANS_JOURNAL_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* The code point at s (n > 0 bytes left) and its length in *ret_len; -1
 * with *ret_len = 1 for a byte that starts no valid UTF-8 sequence. */
long rv__utf8_decode(const unsigned char *s, size_t n, size_t *ret_len);
/* Whether code point cp is white space for Python's \s and str.strip(). */
bool rv__py_space(long cp);

#endif
