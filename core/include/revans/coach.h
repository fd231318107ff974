/*
 * The question coach: reads a question a set member is about to put to the
 * presenter and says whether it keeps the set's rules about questions (open,
 * non-judgemental, never advice), which of the three kinds it is
 * (clarification, probing, action), and, when it falls short, why and what
 * open questions could take its place. `revans ask` refuses advice and
 * leading questions unless --anyway, accepts a closed (yes/no) question with
 * a hint, and infers --kind when it is left out.
 *
 * A pure function of the text: no I/O, no allocation, no state, nothing
 * beyond libc. The reason is held in the result itself; every other string
 * it returns is static and lives for the whole program; the caller frees
 * nothing.
 */
#ifndef REVANS_COACH_H
#define REVANS_COACH_H

/* The three kinds of question the practitioners name. 0 is "no kind". */
enum rv_qkind {
  RV_QKIND_CLARIFICATION = 1, /* what happened, who, when, what do you mean */
  RV_QKIND_PROBING,           /* feelings, assumptions, what matters, why */
  RV_QKIND_ACTION             /* options, next steps, obstacles, support */
};

enum rv_verdict {
  RV_COACH_OPEN,   /* an open question: fine as it is */
  RV_COACH_CLOSED, /* a yes/no question: accepted, with a hint to open it */
  RV_COACH_ADVICE, /* advice dressed as a question: refused */
  RV_COACH_LEADING /* a leading or judging question: refused */
};

/* At most this many bytes of the question are quoted in a reason, and a
 * reason takes at most RV_COACH_REASON_MAX bytes with its terminating
 * NUL. */
#define RV_COACH_QUOTE_MAX 80
#define RV_COACH_REASON_MAX 200

typedef struct rv_coach {
  /* ADVICE and LEADING are refused by `revans ask` unless --anyway. */
  enum rv_verdict verdict;
  /* The inferred kind; always set. For a refused question it is the kind
   * of the first rephrasing offered. */
  enum rv_qkind kind;
  /* Why the question is refused (ADVICE, LEADING); else "". It quotes
   * only words of the question, as the member wrote them (runs of blanks
   * and double quotes as one space), and says what they do: "\"Have you considered\" puts
   * forward a solution: advice dressed as a question". */
  char reason[RV_COACH_REASON_MAX];
  /* Static. For CLOSED, how to open it (with an example that is no
   * quotation); else NULL. */
  const char *hint;
  /* Static open questions for ADVICE, LEADING and CLOSED, one of each
   * kind, the first of `kind`: each passes rv_coach_check() as OPEN with
   * the kind it is offered as. All NULL for an OPEN question. */
  const char *rephrasings[3];
} rv_coach_t;

/* Checks question (UTF-8 text, at most RV_TEXT_MAX bytes) and fills
 * *ret. Case-insensitive; tolerant of punctuation, curly apostrophes and
 * quotes, and a missing question mark. Returns 0, or RV_EINVAL when
 * question or ret is NULL, when question holds no word (empty, whitespace
 * or punctuation only) or when it is longer than RV_TEXT_MAX bytes; *ret is
 * untouched on failure. Uses about 41 KiB of stack. */
int rv_coach_check(const char *question, rv_coach_t *ret);

/* "clarification", "probing" or "action"; "unknown" for any other value.
 * Static; never NULL. */
const char *rv_qkind_name(enum rv_qkind k);

/* The kind named s (case-insensitive: "clarification" or "clarifying",
 * "probing", "action"); 0 when s is NULL or names no kind. */
enum rv_qkind rv_qkind_parse(const char *s);

#endif
