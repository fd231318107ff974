/*
 * Text helpers shared by the journal's tag rule and jrnl's format: white
 * space as Python (and so jrnl) knows it (UTF-8 decoding is util.c's,
 * declared in types.h).
 */
#ifndef REVANS_JOURNAL_TEXT_H
#define REVANS_JOURNAL_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Whether code point cp is white space for Python's \s and str.strip(). */
bool rv__py_space(long cp);

#endif
