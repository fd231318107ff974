/*
 * Tests of the question coach (coach.h): a table of questions as set
 * members really put them, each with the verdict and the kind the coach
 * must give it (advice in its many disguises, leading and judging
 * questions, closed ones, and open questions of each kind, among them every
 * example the practitioners give); the rephrasings offered for a refused or
 * closed question passing as open questions of the kind they are offered
 * as; and input that must be refused (empty, blank, too long). The table
 * also holds spellings that must not matter (case, curly apostrophes,
 * punctuation) and open questions that merely contain an advice word.
 * Reasons quote only what the member wrote. The test sets in data/ (advice
 * and open questions, one a line) are counted and the counts printed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "revans/coach.h"
#include "revans/error.h"
#include "revans/types.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OPEN RV_COACH_OPEN
#define CLOSED RV_COACH_CLOSED
#define ADVICE RV_COACH_ADVICE
#define LEADING RV_COACH_LEADING
#define CLAR RV_QKIND_CLARIFICATION
#define PROB RV_QKIND_PROBING
#define ACT RV_QKIND_ACTION

typedef struct row {
  const char *question;
  enum rv_verdict verdict;
  enum rv_qkind kind;
} row_t;

static const row_t rows[] = {
    /* The practitioners' examples (source documents and PRODUCT.md). */
    {"What happened?", OPEN, CLAR},
    {"What else can explain the situation?", OPEN, PROB},
    {"What makes you say that?", OPEN, CLAR},
    {"What obstacles do you envisage?", OPEN, ACT},
    {"Can you explain?", OPEN, CLAR},
    {"How do you feel?", OPEN, PROB},
    {"What assumption are you making?", OPEN, PROB},
    {"How would you like it to be?", OPEN, PROB},
    {"What are your options now?", OPEN, ACT},
    {"What other possibilities exist?", OPEN, ACT},
    {"Who else might know?", OPEN, ACT},
    {"How could you find out more information?", OPEN, ACT},

    /* Open clarification. */
    {"Who was involved?", OPEN, CLAR},
    {"When did this start?", OPEN, CLAR},
    {"Tell me more about the meeting with your manager.", OPEN, CLAR},
    {"What do you mean by 'difficult'?", OPEN, CLAR},
    {"Can you say more about that?", OPEN, CLAR},
    {"Could you tell me what she actually said?", OPEN, CLAR},
    {"Would you describe the team for us?", OPEN, CLAR},
    {"Could you give us an example?", OPEN, CLAR},
    {"Would you like to say a bit more about the rota?", OPEN, CLAR},
    {"So what happened next", OPEN, CLAR},
    {"Where were you when you heard?", OPEN, CLAR},
    {"How long has this been going on?", OPEN, CLAR},
    {"When you talked to her, what did she say?", OPEN, CLAR},
    {"Perhaps you could tell us more about the budget?", OPEN, CLAR},
    {"I'm curious — what did the email say?", OPEN, CLAR},
    {"Talk me through the last week.", OPEN, CLAR},
    {"When you say the team is resistant, what do you mean?", OPEN, CLAR},
    {"Can I ask what happened next?", OPEN, CLAR},
    {"Take your time. What's on your mind?", OPEN, CLAR},
    {"What about everything she said?", OPEN, CLAR},

    /* Open probing. */
    {"What is stopping you?", OPEN, PROB},
    {"What's stopping you from raising it?", OPEN, PROB},
    {"What does success look like for you?", OPEN, PROB},
    {"What matters most to you here?", OPEN, PROB},
    {"Why is that important to you?", OPEN, PROB},
    {"How did you feel when the board said no?", OPEN, PROB},
    {"What would happen if you did nothing?", OPEN, PROB},
    {"What are you most worried about?", OPEN, PROB},
    {"What have you learned from this so far?", OPEN, PROB},
    {"what else might be going on", OPEN, PROB},
    {"How do you see your own part in it?", OPEN, PROB},
    {"What do you really want?", OPEN, PROB},
    {"In what way is this different from last year?", OPEN, PROB},
    {"What's the worst that could happen?", OPEN, PROB},
    {"Why did you decide to stay?", OPEN, PROB},
    {"What would it mean to you to get this right?", OPEN, PROB},

    /* Open action. */
    {"What will you do?", OPEN, ACT},
    {"What's the first step?", OPEN, ACT},
    {"What support do you need?", OPEN, ACT},
    {"By when?", OPEN, ACT},
    {"By when will you have spoken to her?", OPEN, ACT},
    {"What could you do differently next time?", OPEN, ACT},
    {"Who could help you with this?", OPEN, ACT},
    {"What might get in the way?", OPEN, ACT},
    {"What are you going to do next?", OPEN, ACT},
    {"How will you know it has worked?", OPEN, ACT},
    {"Where could you start?", OPEN, ACT},
    {"Can you think of anyone else who could help?", OPEN, ACT},
    {"What do you think you should do?", OPEN, ACT},
    {"To what extent is this within your control?", OPEN, ACT},
    {"How are you going to approach her?", OPEN, ACT},
    {"What would you do if you were in her shoes?", OPEN, ACT},
    {"What would you like to do?", OPEN, ACT},
    {"What would it take?", OPEN, ACT},

    /* Advice in its many disguises. */
    {"Have you tried talking to her directly?", ADVICE, ACT},
    {"Have you thought about going part-time?", ADVICE, ACT},
    {"Have you considered asking HR?", ADVICE, ACT},
    {"Have you ever thought of delegating the rota?", ADVICE, ACT},
    {"Did you try escalating it?", ADVICE, ACT},
    {"Why don't you just ask him?", ADVICE, ACT},
    {"Why don’t you speak to the director?", ADVICE, ACT},
    {"why dont you delegate", ADVICE, ACT},
    {"Why not ask for a secondment?", ADVICE, ACT},
    {"Wouldn't it be better to wait until April?", ADVICE, ACT},
    {"Would it be easier to start with the small team?", ADVICE, ACT},
    {"Isn't it better to tell them now?", ADVICE, ACT},
    {"Would it be a good idea to put it in writing?", ADVICE, ACT},
    {"You should tell her how you feel.", ADVICE, ACT},
    {"You could always ask for more time?", ADVICE, ACT},
    {"Maybe you could talk to the union?", ADVICE, ACT},
    {"You ought to raise it at the next meeting?", ADVICE, ACT},
    {"You need to set some boundaries, surely?", ADVICE, ACT},
    {"You must push back on this.", ADVICE, ACT},
    {"You might want to check the contract first?", ADVICE, ACT},
    {"I would just say no.", ADVICE, ACT},
    {"I'd go straight to the chief executive.", ADVICE, ACT},
    {"If I were you, I'd resign.", ADVICE, ACT},
    {"I think you should take a break.", ADVICE, ACT},
    {"Don't you think you should tell him?", ADVICE, ACT},
    {"Try talking to her informally?", ADVICE, ACT},
    {"Try to get the team on side first?", ADVICE, ACT},
    {"What about asking your mentor?", ADVICE, ACT},
    {"How about a trial period?", ADVICE, ACT},
    {"How about you meet her halfway?", ADVICE, ACT},
    {"It might help to write it all down?", ADVICE, ACT},
    {"It might be worth speaking to finance?", ADVICE, ACT},
    {"What if you tried a different approach?", ADVICE, ACT},
    {"Could you not just say no?", ADVICE, ACT},
    {"Would you consider a job share?", ADVICE, ACT},
    {"Is there any reason you can't just delegate it?", ADVICE, ACT},
    {"In my experience, a quiet word works best. What do you think?", ADVICE, ACT},
    {"I'd suggest you document everything?", ADVICE, ACT},
    {"Shouldn't you tell your manager?", ADVICE, ACT},
    {"Talk to HR?", ADVICE, ACT},
    {"So, have you tried a rota?", ADVICE, ACT},
    {"HAVE YOU TRIED SAYING NO", ADVICE, ACT},
    {"Personally I'd just leave.", ADVICE, ACT},
    {"Might it be worth asking her directly?", ADVICE, ACT},
    {"Not sure this helps, but why not delegate?", ADVICE, ACT},
    {"Here's an idea: talk to her.", ADVICE, ACT},
    {"A thought: what if you asked her directly?", ADVICE, ACT},
    {"I wonder whether you've thought about leaving?", ADVICE, ACT},
    {"Delegate?", ADVICE, ACT},

    /* Leading and judging questions. */
    {"Don't you think she was out of line?", LEADING, PROB},
    {"Isn't it true that the budget was never there?", LEADING, PROB},
    {"Isn't it the case that nobody asked you?", LEADING, PROB},
    {"Surely that's their problem, not yours?", LEADING, PROB},
    {"Wouldn't you agree that the process failed?", LEADING, PROB},
    {"Isn't that because you were overloaded?", LEADING, PROB},
    {"Doesn't that mean the project is over?", LEADING, PROB},
    {"Wasn't that the real issue?", LEADING, PROB},
    {"Obviously the manager was wrong?", LEADING, PROB},
    {"You must have felt betrayed?", LEADING, PROB},
    {"You must be exhausted?", LEADING, PROB},
    {"Aren't you angry about it?", LEADING, PROB},
    {"It was a difficult meeting, wasn't it?", LEADING, CLAR},
    {"That was the turning point, right?", LEADING, CLAR},
    {"She didn't support you, did she?", LEADING, CLAR},
    {"You felt let down didn't you", LEADING, CLAR},
    {"Is that because you don't trust him?", LEADING, PROB},
    {"Could it be that you're afraid of failing?", LEADING, PROB},
    {"Why didn't you tell anyone sooner?", LEADING, CLAR},
    {"Maybe she's just overworked?", LEADING, PROB},
    {"I think it's really about your confidence?", LEADING, PROB},
    {"Did you not see it coming?", LEADING, PROB},
    {"I wonder if that's the real issue?", LEADING, PROB},
    {"Was it because of the restructure?", LEADING, PROB},
    {"How could you let that happen?", LEADING, CLAR},

    /* Closed questions. */
    {"Did it go well?", CLOSED, CLAR},
    {"Is your manager aware of this?", CLOSED, CLAR},
    {"Were you upset?", CLOSED, CLAR},
    {"Do you feel supported?", CLOSED, PROB},
    {"Have you told anyone?", CLOSED, CLAR},
    {"Has this happened before?", CLOSED, CLAR},
    {"Can you change the deadline?", CLOSED, ACT},
    {"Could you delegate some of it?", CLOSED, ACT},
    {"Will you talk to her this week?", CLOSED, ACT},
    {"Would that be a problem?", CLOSED, CLAR},
    {"Should the team know?", CLOSED, CLAR},
    {"Are there other options?", CLOSED, ACT},
    {"When you raised it, did she listen?", CLOSED, CLAR},
    {"Do you know what you want", CLOSED, PROB},
    {"Was it the budget or the people?", CLOSED, CLAR},
    {"Have you asked her why?", CLOSED, PROB},
    {"Do you have a plan?", CLOSED, ACT},
    {"Could you talk to her?", CLOSED, ACT},
    {"Tell me about it. Was it hard?", OPEN, CLAR},
    /* Closed, not a remedy: no remedy is named, or the presenter's is
     * asked after. */
    {"Would that help?", CLOSED, CLAR},
    {"Could anyone help?", CLOSED, CLAR},
    {"Would the budget cover it?", CLOSED, CLAR},
    {"Did the mediation help?", CLOSED, CLAR},
    {"Will the new rota work?", CLOSED, CLAR},
    {"Is there anyone you could ask?", CLOSED, ACT},
    {"Would that be the first step?", CLOSED, ACT},

    /* Case, curly apostrophes and quotes, stray punctuation and a missing
     * question mark change nothing. */
    {"why dont you ask her", ADVICE, ACT},
    {"WHY DON\xe2\x80\x99T YOU ASK HER?!", ADVICE, ACT},
    {"Why don\xca\xbct you ask her\xe2\x80\xa6", ADVICE, ACT},
    {"  \t\"Why   don't you -- ask her??\"  ", ADVICE, ACT},
    {"\xe2\x80\x9cWhy don\xe2\x80\x98t you ask her?\xe2\x80\x9d", ADVICE, ACT},
    {"what\xe2\x80\x99s stopping you", OPEN, PROB},
    {"Whats stopping you", OPEN, PROB},
    {"It\xe2\x80\x99s hard, isn\xe2\x80\x99t it?", LEADING, CLAR},
    {"It's hard \xe2\x80\x94 isn't it", LEADING, CLAR},
    {"how do you feel...", OPEN, PROB},
    {"Can you explain", OPEN, CLAR},
    {"can you EXPLAIN?", OPEN, CLAR},

    /* Advice words inside open questions, and words inside other words,
     * are no advice. */
    {"What would you try first?", OPEN, ACT},
    {"What have you tried so far?", OPEN, CLAR},
    {"Why not?", OPEN, PROB},
    {"How could you do it differently?", OPEN, ACT},
    {"What would it be like if it worked?", OPEN, PROB},
    {"Who should be involved?", OPEN, CLAR},
    {"What do you need?", OPEN, ACT},
    {"Right, what happened next?", OPEN, CLAR},
    {"Youth work: what drew you to it?", OPEN, CLAR},
    {"Clearly, what happened?", OPEN, CLAR},
    {"How clearly did you explain it?", OPEN, CLAR},
    {"What would happen if you said no?", OPEN, PROB},
    {"What if you were wrong?", OPEN, PROB},
    {"How about you?", OPEN, CLAR},
    {"Would you say more about that?", OPEN, CLAR},
    {"What about now?", OPEN, CLAR},
    {"What about her?", OPEN, CLAR},
};

static const char *verdict_name(enum rv_verdict v) {
  switch (v) {
  case RV_COACH_OPEN: return "open";
  case RV_COACH_CLOSED: return "closed";
  case RV_COACH_ADVICE: return "advice";
  case RV_COACH_LEADING: return "leading";
  }
  return "?";
}

/* Every row gets its verdict and kind; a failure names every wrong row. */
static void test_table(void **state) {
  (void)state;
  size_t n = sizeof rows / sizeof rows[0], bad = 0;
  assert_true(n >= 60);
  for (size_t i = 0; i < n; i++) {
    rv_coach_t c;
    int rc = rv_coach_check(rows[i].question, &c);
    if (rc != 0) {
      print_error("row %zu \"%s\": returned %s\n", i, rows[i].question, rv_strerror(rc));
      bad++;
      continue;
    }
    if (c.verdict != rows[i].verdict || c.kind != rows[i].kind) {
      print_error("row %zu \"%s\": got %s/%s, want %s/%s\n", i, rows[i].question,
                  verdict_name(c.verdict), rv_qkind_name(c.kind), verdict_name(rows[i].verdict),
                  rv_qkind_name(rows[i].kind));
      bad++;
    }
  }
  if (bad)
    fail_msg("%zu of %zu questions misjudged", bad, n);
}

/* A refused or closed question says why or how to open it, and offers
 * open questions of all three kinds, the first of its own kind; each of
 * them passes the coach as an open question of the kind it is offered as.
 * An open question carries none of that. */
static void test_explanations(void **state) {
  (void)state;
  size_t bad = 0;
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    rv_coach_t c;
    assert_int_equal(0, rv_coach_check(rows[i].question, &c));
    const char *q = rows[i].question;
    if (c.verdict == RV_COACH_OPEN) {
      if (c.reason[0] || c.hint || c.rephrasings[0]) {
        print_error("row %zu \"%s\": open, yet with a reason, hint or rephrasing\n", i, q);
        bad++;
      }
      continue;
    }
    bool refused = c.verdict != RV_COACH_CLOSED;
    if (refused ? !c.reason[0] || c.hint : !c.hint || c.reason[0]) {
      print_error("row %zu \"%s\": %s without its %s\n", i, q, verdict_name(c.verdict),
                  refused ? "reason" : "hint");
      bad++;
    }
    size_t offered = 0;
    for (int k = 0; k < 3 && c.rephrasings[k]; k++) {
      enum rv_qkind want = (enum rv_qkind)((c.kind - 1 + k) % 3 + 1);
      rv_coach_t r;
      offered++;
      if (rv_coach_check(c.rephrasings[k], &r) != 0 || r.verdict != RV_COACH_OPEN ||
          r.kind != want) {
        print_error("row %zu \"%s\": rephrasing \"%s\" is not an open %s question\n", i, q,
                    c.rephrasings[k], rv_qkind_name(want));
        bad++;
      }
    }
    if (offered < 2) {
      print_error("row %zu \"%s\": %zu rephrasings offered\n", i, q, offered);
      bad++;
    }
  }
  if (bad)
    fail_msg("%zu problems", bad);
}

/* Whether every stretch of msg between double quotes is in q, once each
 * run of blanks and double quotes in q is one space: a message quotes
 * only what the member wrote. */
static bool quotes_only(const char *q, const char *msg) {
  char flat[RV_TEXT_MAX + 1];
  size_t n = 0;
  for (size_t i = 0; q[i] && n < RV_TEXT_MAX; i++) {
    bool blank = (unsigned char)q[i] <= ' ' || q[i] == '"';
    if (!blank)
      flat[n++] = q[i];
    else if (q[i + 1] && (unsigned char)q[i + 1] > ' ' && q[i + 1] != '"')
      flat[n++] = ' ';
  }
  flat[n] = '\0';
  for (const char *open = strchr(msg, '"'); open; open = strchr(open, '"')) {
    const char *close = strchr(open + 1, '"');
    if (!close)
      return false;
    char quote[RV_COACH_REASON_MAX];
    size_t len = (size_t)(close - open - 1);
    memcpy(quote, open + 1, len);
    quote[len] = '\0';
    if (len == 0 || !strstr(flat, quote))
      return false;
    open = close + 1;
  }
  return true;
}

/* Reasons quote the words of the question that show what is wrong (from
 * there to the end of their clause), and never words the member did not
 * write; hints quote nothing. */
static void test_quotes(void **state) {
  (void)state;
  size_t bad = 0;
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    rv_coach_t c;
    assert_int_equal(0, rv_coach_check(rows[i].question, &c));
    const char *msg = c.reason[0] ? c.reason : c.hint ? c.hint : "";
    if (!quotes_only(rows[i].question, msg)) {
      print_error("row %zu \"%s\": message quotes other words: %s\n", i, rows[i].question, msg);
      bad++;
    }
  }
  if (bad)
    fail_msg("%zu messages quote words the member did not write", bad);

  static const struct {
    const char *question, *reason;
  } quoted[] = {
      {"Have you considered asking HR?",
       "\"Have you considered asking HR\" puts forward a solution: advice dressed as a question"},
      {"Why don\xe2\x80\x99t you speak to the director?",
       "\"Why don\xe2\x80\x99t you speak to the director\" proposes"},
      {"If I were you,   I'd resign.", "\"If I were you\" offers your own solution"},
      {"You\tshould\n  tell her.", "\"You should tell her\" tells the presenter what to do"},
      {"Surely that's their problem?", "\"Surely that's their problem\" presumes the answer"},
      {"You should \"just\" tell her.", "\"You should just tell her\" tells the presenter"},
  };
  for (size_t i = 0; i < sizeof quoted / sizeof quoted[0]; i++) {
    rv_coach_t c;
    assert_int_equal(0, rv_coach_check(quoted[i].question, &c));
    if (strncmp(c.reason, quoted[i].reason, strlen(quoted[i].reason)) != 0)
      fail_msg("\"%s\": reason \"%s\", want \"%s...\"", quoted[i].question, c.reason,
               quoted[i].reason);
  }

  /* A quote holds whole words, within RV_COACH_QUOTE_MAX bytes; a first
   * word longer than that is not quoted at all. */
  char q[RV_COACH_QUOTE_MAX + 64];
  memset(q, 'a', sizeof q);
  memcpy(q, "Perhaps ", 8);
  memcpy(q + sizeof q - 2, "?", 2);
  rv_coach_t c;
  assert_int_equal(0, rv_coach_check(q, &c));
  assert_int_equal(RV_COACH_LEADING, c.verdict);
  assert_string_equal("\"Perhaps\" offers your own reading of the situation: a leading question",
                      c.reason);
  memset(q, 'a', sizeof q);
  memcpy(q + sizeof q - 12, ", isn't it?", 12);
  assert_int_equal(0, rv_coach_check(q, &c));
  assert_int_equal(RV_COACH_LEADING, c.verdict);
  assert_string_equal("it asks the presenter to confirm your view: a leading question", c.reason);
}

/* ------------------------------------------------------------------------
 * The test sets: tests/unit/data/coach_advice.txt and coach_open.txt
 * --------------------------------------------------------------------- */

/* Checks every question of the file name (in UNIT_DATA; one a line, # for
 * comments) for verdict want, naming each one misjudged and each message
 * quoting other words; *ret_judged and *ret_total count the questions. */
static void check_set(const char *name, enum rv_verdict want, size_t *ret_judged,
                      size_t *ret_total) {
  char path[512], line[RV_TEXT_MAX + 2];
  snprintf(path, sizeof path, "%s/%s", UNIT_DATA, name);
  FILE *f = fopen(path, "r");
  if (!f)
    fail_msg("cannot open %s", path);
  size_t judged = 0, total = 0;
  while (fgets(line, sizeof line, f)) {
    line[strcspn(line, "\r\n")] = '\0';
    if (line[0] == '\0' || line[0] == '#')
      continue;
    total++;
    rv_coach_t c;
    if (rv_coach_check(line, &c) != 0) {
      print_error("%s: \"%s\": not read\n", name, line);
      continue;
    }
    if (c.verdict != want)
      print_error("%s: \"%s\": %s, want %s\n", name, line, verdict_name(c.verdict),
                  verdict_name(want));
    else if (!quotes_only(line, c.reason[0] ? c.reason : c.hint ? c.hint : ""))
      print_error("%s: \"%s\": message quotes other words: %s\n", name, line, c.reason);
    else
      judged++;
  }
  fclose(f);
  *ret_judged = judged;
  *ret_total = total;
}

/* At least 40 advice-like questions, every one refused as advice, and at
 * least 40 open questions, every one accepted as open. The counts are
 * printed on one line: "coach: advice refused N/N, open accepted M/M". */
static void test_sets(void **state) {
  (void)state;
  size_t refused, advice, accepted, open;
  check_set("coach_advice.txt", RV_COACH_ADVICE, &refused, &advice);
  check_set("coach_open.txt", RV_COACH_OPEN, &accepted, &open);
  print_message("coach: advice refused %zu/%zu, open accepted %zu/%zu\n", refused, advice, accepted,
                open);
  assert_true(advice >= 40);
  assert_true(open >= 40);
  assert_int_equal(refused, advice);
  assert_int_equal(accepted, open);
}

/* Empty, blank, punctuation-only and oversized input is RV_EINVAL and
 * leaves the result untouched; exactly RV_TEXT_MAX bytes is accepted. */
static void test_invalid(void **state) {
  (void)state;
  rv_coach_t c;
  memset(&c, 0x5a, sizeof c);
  rv_coach_t before = c;
  assert_int_equal(RV_EINVAL, rv_coach_check("", &c));
  assert_int_equal(RV_EINVAL, rv_coach_check("   \t\n  ", &c));
  assert_int_equal(RV_EINVAL, rv_coach_check("\xc2\xa0 \xc2\xa0", &c)); /* no-break spaces */
  assert_int_equal(RV_EINVAL, rv_coach_check(" ?! ... ", &c));
  assert_int_equal(RV_EINVAL, rv_coach_check(NULL, &c));
  assert_int_equal(RV_EINVAL, rv_coach_check("What happened?", NULL));
  assert_memory_equal(&c, &before, sizeof c);

  char *big = malloc(RV_TEXT_MAX + 2);
  assert_non_null(big);
  /* "im " repeated: every word is a contraction the coach spells out. */
  for (size_t i = 0; i < RV_TEXT_MAX + 1; i++)
    big[i] = "im "[i % 3];
  big[RV_TEXT_MAX + 1] = '\0';
  assert_int_equal(RV_EINVAL, rv_coach_check(big, &c));
  assert_memory_equal(&c, &before, sizeof c);
  big[RV_TEXT_MAX] = '\0';
  assert_int_equal(0, rv_coach_check(big, &c));
  /* The longest question of one-letter clauses, ending in a tag. */
  for (size_t i = 0; i < RV_TEXT_MAX; i++)
    big[i] = "a,"[i % 2];
  memcpy(big + RV_TEXT_MAX - 10, ", isnt it?", 10);
  assert_int_equal(0, rv_coach_check(big, &c));
  assert_int_equal(RV_COACH_LEADING, c.verdict);
  free(big);
}

static void test_kind_names(void **state) {
  (void)state;
  assert_string_equal("clarification", rv_qkind_name(RV_QKIND_CLARIFICATION));
  assert_string_equal("probing", rv_qkind_name(RV_QKIND_PROBING));
  assert_string_equal("action", rv_qkind_name(RV_QKIND_ACTION));
  assert_string_equal("unknown", rv_qkind_name((enum rv_qkind)0));
  assert_int_equal(RV_QKIND_CLARIFICATION, rv_qkind_parse("clarification"));
  assert_int_equal(RV_QKIND_CLARIFICATION, rv_qkind_parse("Clarifying"));
  assert_int_equal(RV_QKIND_PROBING, rv_qkind_parse("PROBING"));
  assert_int_equal(RV_QKIND_ACTION, rv_qkind_parse("action"));
  assert_int_equal(0, rv_qkind_parse("advice"));
  assert_int_equal(0, rv_qkind_parse(""));
  assert_int_equal(0, rv_qkind_parse(NULL));
  for (int k = RV_QKIND_CLARIFICATION; k <= RV_QKIND_ACTION; k++)
    assert_int_equal(k, rv_qkind_parse(rv_qkind_name((enum rv_qkind)k)));
}

int main(void) {
  /* One test a line. */
  /* clang-format off */
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_table),
      cmocka_unit_test(test_explanations),
      cmocka_unit_test(test_quotes),
      cmocka_unit_test(test_sets),
      cmocka_unit_test(test_invalid),
      cmocka_unit_test(test_kind_names),
  };
  /* clang-format on */
  return cmocka_run_group_tests(tests, NULL, NULL);
}
