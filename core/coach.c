/*
 * The question coach (coach.h). A question is lowered into words and clause
 * boundaries, then read against two tables: the verdict rules (invitations,
 * advice, leading questions, open and closed openings), tried clause by
 * clause in table order, and the kind rules (clarification, probing,
 * action), where the first row to match any clause decides. The rules are
 * data: to teach the coach a new phrase, add a row; the code below only
 * knows how to match a row. The practitioners' own example questions
 * (PRODUCT.md and its source documents) are the tests' fixed points, and
 * tests/unit/data/ holds the test sets every change must keep: questions
 * of advice, each refused as advice, and open questions, each accepted.
 * A refused question's reason quotes the member's own words, the ones the
 * row matched, and never words of its own.
 *
 * Three of those examples sit under a different heading in the source
 * document than here, on purpose: "Can you explain?" is clarification (it
 * asks for more of the story; the document lists it under probing), "What
 * obstacles do you envisage?" is action (it looks ahead to doing; the
 * document lists it under clarification), and "What else can explain the
 * situation?" is probing (it questions the presenter's own account, as
 * "what assumption are you making?" does; the document lists it under
 * clarification).
 */
#include "revans/coach.h"

#include "revans/error.h"
#include "revans/types.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* ------------------------------------------------------------------------
 * Patterns
 *
 * A pattern is a row of items separated by single spaces, matched against
 * consecutive words of one clause. Words are lowercase ASCII with
 * apostrophes removed ("don't" and "dont" are both "dont") and a few
 * contractions spelled out ("what's" is "what is"). An item is:
 *
 *   word         that word
 *   a/b/c        any of these words
 *   *            any one word
 *   *ing         any word ending in "ing" (longer than the ending)
 *   !a/b/c       any one word but these
 *   item?        the item, or nothing
 *   ^            (first only) the clause's start, after any filler words
 *                such as "so", "and", "well", "maybe"
 *   $            (last only) the end of the whole question
 *   ,            a clause boundary (any punctuation between words)
 *
 * Without ^ a pattern may match anywhere in a clause. A match starts in
 * the clause being read; only "," carries it on into the next one.
 * --------------------------------------------------------------------- */

/* Words skipped before a ^ pattern: "So, and why not ask her?" */
static const char fillers[] =
    "so/and/but/well/ok/okay/then/now/also/just/maybe/perhaps/hmm/um/er/erm/"
    "oh/or/anyway/honestly/frankly/personally/actually/look";

/* Contractions written out in full, so that one row covers both spellings.
 * Negative ones ("isnt", "dont") stay single words: rows name them. */
/* A table of data, laid out to be read. */
/* clang-format off */
static const struct {
  const char *word;
  const char *first;
  const char *second;
} expansions[] = {
    {"whats", "what", "is"},   {"whos", "who", "is"},       {"hows", "how", "is"},
    {"wheres", "where", "is"}, {"whens", "when", "is"},     {"whys", "why", "is"},
    {"thats", "that", "is"},   {"theres", "there", "is"},   {"heres", "here", "is"},
    {"shes", "she", "is"},     {"hes", "he", "is"},         {"youre", "you", "are"},
    {"youve", "you", "have"},  {"youll", "you", "will"},    {"theyre", "they", "are"},
    {"im", "i", "am"},         {"ive", "i", "have"},        {"weve", "we", "have"},
    {"mustve", "must", "have"}, {"couldve", "could", "have"}, {"shouldve", "should", "have"},
    {"wouldve", "would", "have"}, {"gonna", "going", "to"}, {"wanna", "want", "to"},
    {"cannot", "cant", NULL},
};
/* clang-format on */

/* ------------------------------------------------------------------------
 * Verdict rules
 * --------------------------------------------------------------------- */

/* Why a question is refused: what the words quoted from the question do.
 * The message reads "\"<the member's words>\" <reason>", or "it <reason>"
 * when no words can be quoted (see write_reason()), so a reason never
 * quotes words of its own: the member may have written others. */
static const char r_tell[] = "tells the presenter what to do: advice, not a question";
static const char r_tried[] = "puts forward a solution: advice dressed as a question";
static const char r_whynot[] = "proposes what to do: advice dressed as a question";
static const char r_better[] =
    "weighs up a solution for the presenter: advice dressed as a question";
static const char r_me[] = "offers your own solution: the presenter finds their own";
static const char r_suggest[] =
    "puts forward a course of action for the presenter to accept: advice dressed as a question";
static const char r_remedy[] =
    "proposes a remedy for the presenter to take up: advice dressed as a question";
static const char r_imper[] = "is an instruction, not a question: advice";
static const char r_agree[] = "asks the presenter to agree with you: a leading question";
static const char r_feel[] = "tells the presenter what they felt or thought: a leading question";
static const char r_surely[] = "presumes the answer: a leading question";
static const char r_cause[] = "hands the presenter a cause or a conclusion: a leading question";
static const char r_view[] = "offers your own reading of the situation: a leading question";
static const char r_blame[] = "judges what the presenter did: questions are non-judgemental";
static const char r_tag[] = "asks the presenter to confirm your view: a leading question";
static const char r_neg[] = "expects the answer yes: a leading question";

/* How to open a closed question. The example is no quotation: it is not
 * what the member wrote. */
static const char h_do[] =
    "a yes/no question: open it with what or how, for example: How did it go?";
static const char h_be[] =
    "a yes/no question: open it with what, how or who, for example: What was hard about it?";
static const char h_have[] =
    "a yes/no question: open it with who, what or when, for example: Who have you told?";
static const char h_will[] =
    "a yes/no question: open it with what, when or how, for example: What will you do?";
static const char h_modal[] =
    "a yes/no question: open it with who, what or how, for example: Who could you ask?";

#define C RV_QKIND_CLARIFICATION
#define P RV_QKIND_PROBING
#define A RV_QKIND_ACTION

/* Word lists that several rows share. */
#define NEG                                                                                        \
  "isnt/arent/wasnt/werent/dont/doesnt/didnt/havent/hasnt/hadnt/wont/wouldnt/cant/"                \
  "couldnt/shouldnt/mustnt/aint"
#define PRON "it/that/this/you/they/he/she/we/there/i"
#define AUX                                                                                        \
  "am/is/are/was/were/do/does/did/have/has/had/can/could/will/would/should/shall/"                 \
  "may/might/must"
#define WH "what/who/whom/whose/which/how/why/when/where"
/* A remedy named in one to four words, starting with none of these (no
 * pronoun, no question word, no word that opens a condition): "a
 * mediator", "mediation", "talking to her first", "HR". */
#define REMEDY                                                                                     \
  "!" WH "/" PRON "/anyone/anybody/anything/someone/somebody/something/nobody/nothing/"            \
  "everyone/everybody/everything/any/all/her/him/them/me/us/not/so/and/but/or/if/then/now/"        \
  "just/maybe/perhaps/really/else/ever/when/since/because/although/though/as/once/unless/"         \
  "until/whether/while/even/given/knowing/assuming/supposing/provided/imagine *? *? *?"
#define MODAL "could/would/might/may/will/can/should"
/* What a remedy is said to do. */
#define WORKS                                                                                      \
  "help/work/solve/fix/sort/resolve/settle/ease/improve/unblock/step/mediate/handle/clear"
#define BETTER "better/best/easier/simpler/quicker/safer/wiser/kinder/fairer/cheaper/worth"
/* What a remedy is said to be: "an option", "the obvious next step". */
#define OPTION_ADJ "good/obvious/natural/sensible/logical/next/first/useful/real?"
#define OPTION                                                                                     \
  "a/an/one/another/the " OPTION_ADJ " " OPTION_ADJ                                                \
  " option/answer/solution/possibility/way/fix/key/start/step/move/idea"
/* What a member might find for the presenter: "a mentor you could ask". */
#define USE "use/try/ask/call/contact/approach/join/read/talk/speak/turn/lean"
/* Whom "how about...?" asks after, and when "what about...?" asks. */
#define ABOUT_WHOM                                                                                 \
  "you/yourself/it/that/this/them/him/her/me/us/everyone/everybody/others/now/then/today/"         \
  "tomorrow/later/next/before/after"
/* What "could you not...?" asks, when it is no proposal. */
#define NOT_A_PROPOSAL                                                                             \
  "agree/say/think/feel/believe/see/know/remember/want/like/imagine/understand/tell/explain/"      \
  "describe"

typedef struct verdict_rule {
  const char *pattern;
  enum rv_verdict verdict;
  enum rv_qkind kind; /* for refused ones; 0: inferred from the kind rules */
  const char *why;    /* the reason (ADVICE, LEADING) or the hint (CLOSED) */
} verdict_rule_t;

/* Tried clause by clause; in each clause the first matching row decides.
 * Invitations come first so that "perhaps you could tell us more" is not
 * taken for "you could...", then advice, then leading questions, then the
 * openings that make a clause open or closed. */
static const verdict_rule_t verdict_rules[] = {
    /* Invitations to say more: open, whatever their grammar. */
    {"^ can/could/would/will you please/maybe/perhaps/possibly? "
     "explain/describe/clarify/elaborate/expand/outline/"
     "unpack/define/illustrate/summarise/summarize/recall/identify/list/name",
     RV_COACH_OPEN, 0, NULL},
    {"^ can/could/would/will you please/maybe/perhaps/possibly? say/tell/talk/describe/explain "
     "me/us/more/what/how/"
     "why/who/whom/when/where/which/a/something/anything/about/through/again",
     RV_COACH_OPEN, 0, NULL},
    {"^ can/could/would/will you please/maybe/perhaps/possibly? give/show/walk/take/run/help me/us",
     RV_COACH_OPEN, 0, NULL},
    {"^ can/could/would you please/maybe/perhaps/possibly? think of", RV_COACH_OPEN, 0, NULL},
    {"^ you could/might/can please/maybe/perhaps? "
     "tell/say/talk/explain/describe/walk/take/give/run/help "
     "me/us/more/what/how/why/who/when/where/a/about/through",
     RV_COACH_OPEN, 0, NULL},
    {"^ would/do you like/want/care to? say/tell/talk me/us/more/about/through/what/how/a",
     RV_COACH_OPEN, 0, NULL},
    {"^ would/do you like/want/care to? explain/describe/expand/elaborate/add/clarify",
     RV_COACH_OPEN, 0, NULL},
    {"^ would/do you mind explaining/telling/saying/describing/expanding/elaborating/"
     "clarifying/talking/walking/going",
     RV_COACH_OPEN, 0, NULL},
    {"^ tell me/us/more", RV_COACH_OPEN, 0, NULL},
    {"^ say more/a", RV_COACH_OPEN, 0, NULL},
    {"^ talk/walk/take/run me/us through", RV_COACH_OPEN, 0, NULL},
    {"^ help me/us understand/see/get/picture", RV_COACH_OPEN, 0, NULL},
    {"^ give me/us", RV_COACH_OPEN, 0, NULL},
    {"^ go on", RV_COACH_OPEN, 0, NULL},
    {"^ explain/describe/elaborate/expand/clarify/outline/unpack/illustrate/summarise/"
     "summarize/recall/imagine/suppose/picture",
     RV_COACH_OPEN, 0, NULL},
    {"^ think back", RV_COACH_OPEN, 0, NULL},
    {"^ i am? wonder/wondering " WH, RV_COACH_OPEN, 0, NULL},
    {"^ i am curious/interested", RV_COACH_OPEN, 0, NULL},
    {"^ can/could/may i please? ask/check " WH, RV_COACH_OPEN, 0, NULL},
    {"^ i would like/love to know/hear/understand/learn", RV_COACH_OPEN, 0, NULL},
    {"^ id like/love to know/hear/understand/learn", RV_COACH_OPEN, 0, NULL},
    {"^ i would be interested/curious", RV_COACH_OPEN, 0, NULL},
    /* Kind words that are no advice, and nouns that only look like "doing". */
    {"^ take your time", RV_COACH_OPEN, 0, NULL},
    {"^ no rush/hurry", RV_COACH_OPEN, 0, NULL},
    {"^ what/how about something/anything/everything/nothing/thing/things/meeting/morning/"
     "evening/feeling/funding/timing/staffing/building/wedding/spring/king",
     RV_COACH_OPEN, 0, NULL},
    {"^ what/how about the others/rest", RV_COACH_OPEN, 0, NULL},
    {"^ id be interested/curious", RV_COACH_OPEN, 0, NULL},

    /* Advice: telling the presenter what to do, in its many disguises. */
    {"^ you should/shouldnt/ought", RV_COACH_ADVICE, A, r_tell},
    {"^ you need/have/got to", RV_COACH_ADVICE, A, r_tell},
    {"^ you gotta", RV_COACH_ADVICE, A, r_tell},
    {"^ you must !have/be/feel/know/see/realise/realize/think/admit/agree/mean/of", RV_COACH_ADVICE,
     A, r_tell},
    {"^ you could !be/have", RV_COACH_ADVICE, A, r_tell},
    {"^ you might/may want/wish/like/try/consider/need/think/prefer", RV_COACH_ADVICE, A, r_tell},
    {"^ you/youd better/best", RV_COACH_ADVICE, A, r_tell},
    {"^ youd be better/best/wise/wiser/smart/well", RV_COACH_ADVICE, A, r_tell},
    {"^ you would/had be? better/best/wise/wiser/smart/well", RV_COACH_ADVICE, A, r_tell},
    {"^ you are better/best off", RV_COACH_ADVICE, A, r_tell},
    {"maybe/perhaps you could/should/shouldnt/might/need/ought/can", RV_COACH_ADVICE, A, r_tell},
    {"^ !" WH " *? *? *? *? you could/might always/just/try/perhaps/maybe/consider",
     RV_COACH_ADVICE, A, r_tell},
    {"i think/feel/believe/reckon/suspect/guess you should/shouldnt/could/need/ought/must/might",
     RV_COACH_ADVICE, A, r_me},
    {"dont you think/feel/believe you should/shouldnt/could/need/ought/must", RV_COACH_ADVICE, A,
     r_suggest},
    {"^ do you not? think/feel/believe you should/shouldnt/ought/need/must", RV_COACH_ADVICE, A,
     r_suggest},
    {"^ ever? thought about/of", RV_COACH_ADVICE, A, r_tried},
    {"^ ever tried/considered/looked/explored", RV_COACH_ADVICE, A, r_tried},
    {"^ have/havent/had/hadnt you ever? tried/considered/thought/looked/explored/investigated",
     RV_COACH_ADVICE, A, r_tried},
    {"^ did/didnt you ever? try/consider/explore/investigate", RV_COACH_ADVICE, A, r_tried},
    {"^ did/didnt you ever? think/look about/of/into/at", RV_COACH_ADVICE, A, r_tried},
    {"why dont/wouldnt you/we", RV_COACH_ADVICE, A, r_whynot},
    {"why not just/simply/try", RV_COACH_ADVICE, A, r_whynot},
    {"^ why not *", RV_COACH_ADVICE, A, r_whynot},
    {"why cant/couldnt you just/simply", RV_COACH_ADVICE, A, r_whynot},
    {"^ would/wouldnt/might/could/isnt/is it not? be? better/best/easier/wiser/simpler/smarter/"
     "sensible/quicker/safer/kinder/fairer/cheaper/helpful/useful/worth/wise just/simply? "
     "to/if/*ing",
     RV_COACH_ADVICE, A, r_better},
    {"^ would/wouldnt/might/could/isnt/is it not? be? a good/better/wise/sensible idea",
     RV_COACH_ADVICE, A, r_better},
    {"^ would/wouldnt/might/could/will it not? help to/if/*ing", RV_COACH_ADVICE, A, r_better},
    {"^ would/wouldnt/might/could/will it not? make sense to/if/for", RV_COACH_ADVICE, A, r_better},
    {"^ would/wouldnt/might/could/isnt/is it not? be? high? time to", RV_COACH_ADVICE, A, r_better},
    {"^ high? time to !" WH, RV_COACH_ADVICE, A, r_better},
    {"the best/simplest/easiest/quickest/obvious/sensible thing/way/option/move not? be/is to",
     RV_COACH_ADVICE, A, r_better},
    {"it might/may/could/would help to/if/*ing", RV_COACH_ADVICE, A, r_better},
    {"it might/may/could/would be worth/better/best/wise/helpful/useful/good/nice/easier/"
     "simpler/sensible/smart to/if/*ing",
     RV_COACH_ADVICE, A, r_better},
    {"it might/may/could/would be a/an good? idea", RV_COACH_ADVICE, A, r_better},
    {"it might/may/could/would make sense to/if", RV_COACH_ADVICE, A, r_better},
    {"^ it is worth/best/better/wise/sensible to/if/*ing", RV_COACH_ADVICE, A, r_better},
    {"^ its worth/best/better/wise/sensible to/if/*ing", RV_COACH_ADVICE, A, r_better},
    {"^ better/best/easier/wiser/safer just/simply? to", RV_COACH_ADVICE, A, r_better},
    {"^ it? cant/wont/doesnt/wouldnt/couldnt hurt to/if/*ing", RV_COACH_ADVICE, A, r_better},
    {"^ there is/would? be? no harm in", RV_COACH_ADVICE, A, r_better},
    {"^ nothing to lose by *ing", RV_COACH_ADVICE, A, r_better},
#define NOT_ADVICE                                                                                 \
  "!like/love/be/want/wonder/welcome/appreciate/value/imagine/guess/say/"                          \
  "think/have/hope/expect"
    {"^ i would " NOT_ADVICE, RV_COACH_ADVICE, A, r_me},
    {"^ id " NOT_ADVICE, RV_COACH_ADVICE, A, r_me},
#undef NOT_ADVICE
    {"^ i wouldnt *", RV_COACH_ADVICE, A, r_me},
    {"if i were/was you/in", RV_COACH_ADVICE, A, r_me},
    {"if it were/was me", RV_COACH_ADVICE, A, r_me},
    {"in your shoes/position/place i/id", RV_COACH_ADVICE, A, r_me},
    {"what i would do", RV_COACH_ADVICE, A, r_me},
    {"what id do", RV_COACH_ADVICE, A, r_me},
    {"what i did/do was/is/when/in", RV_COACH_ADVICE, A, r_me},
    {"what worked for me", RV_COACH_ADVICE, A, r_me},
    {"in my experience", RV_COACH_ADVICE, A, r_me},
    {"happened to me", RV_COACH_ADVICE, A, r_me},
    {"i had the/a same/similar", RV_COACH_ADVICE, A, r_me},
    {"i *? suggest/recommend/advise/propose", RV_COACH_ADVICE, A, r_suggest},
    {"id suggest/recommend/advise/propose", RV_COACH_ADVICE, A, r_suggest},
    {"my advice/suggestion/recommendation/tip", RV_COACH_ADVICE, A, r_suggest},
    {"what/how about *ing", RV_COACH_ADVICE, A, r_remedy},
    {"^ what/how about you/we/i *", RV_COACH_ADVICE, A, r_remedy},
    {"^ what/how about a/an/some", RV_COACH_ADVICE, A, r_remedy},
    {"^ how about !" ABOUT_WHOM, RV_COACH_ADVICE, A, r_remedy},
    {"^ what about !" ABOUT_WHOM "/the/your/my/his/their/our $", RV_COACH_ADVICE, A, r_remedy},
    {"what is/would be? wrong with just/simply? *ing", RV_COACH_ADVICE, A, r_suggest},
    {"what is/would be? the harm in just/simply? *ing", RV_COACH_ADVICE, A, r_suggest},
    /* A remedy named as what might help: "Might a mediator help?",
     * "Perhaps HR could step in?", "Is mediation an option?". */
    {"^ would/wouldnt/could/couldnt/might/may " REMEDY " not? " WORKS, RV_COACH_ADVICE, A,
     r_remedy},
    {"^ do/dont you think/reckon/suppose " REMEDY " " MODAL " not? " WORKS, RV_COACH_ADVICE, A,
     r_remedy},
    {"^ " REMEDY " " MODAL " not? " WORKS, RV_COACH_ADVICE, A, r_remedy},
    {"^ would/wouldnt/could/couldnt/might/may " REMEDY " not? be " BETTER, RV_COACH_ADVICE, A,
     r_remedy},
    {"^ " REMEDY " " MODAL " not? be " BETTER, RV_COACH_ADVICE, A, r_remedy},
    {"^ is/isnt/would/wouldnt/could/couldnt/might " REMEDY " not? be? " OPTION, RV_COACH_ADVICE, A,
     r_remedy},
    {"^ " REMEDY " " MODAL " not? be " OPTION, RV_COACH_ADVICE, A, r_remedy},
    {"^ is/isnt there a/an/some *? *? * you could/might/can " USE, RV_COACH_ADVICE, A, r_remedy},
    {"^ have/havent you got? a/an/some *? *? * you could/might/can " USE, RV_COACH_ADVICE, A,
     r_remedy},
    {"what if you/we tried/asked/talked/spoke/told/went/started/stopped/called/offered/"
     "delegated/got/made/gave/took/let/just/sat/met/wrote/sent/set/put/moved/changed/said/"
     "raised/escalated/explained/involved/shared/looked/left/quit/pushed/dropped/used/brought/"
     "approached/contacted/emailed/phoned/booked/arranged/split/handed/agreed/accepted/"
     "refused/ignored/focused/reached/turned/asked/didnt/simply/stepped/waited/postponed/paused/"
     "delayed/swapped/trialled/piloted/rang/texted/insisted/negotiated/hired/applied/requested/"
     "volunteered/declined/resigned/complained/reported/challenged/confronted/apologised/"
     "apologized/listened/prioritised/prioritized/scheduled/cancelled/canceled/wrote/kept",
     RV_COACH_ADVICE, A, r_suggest},
    {"what if you/we were to", RV_COACH_ADVICE, A, r_suggest},
    {"^ would/could/will/can/wouldnt/couldnt you ever/maybe/perhaps/not? consider/try",
     RV_COACH_ADVICE, A, r_suggest},
    {"^ would/could/will you ever/maybe/perhaps/not? think about/of *ing", RV_COACH_ADVICE, A,
     r_suggest},
    {"^ can/could/would/will/might you maybe/perhaps/possibly/not? just/simply", RV_COACH_ADVICE, A,
     r_suggest},
    {"^ can/could/might/should you maybe/perhaps/possibly *", RV_COACH_ADVICE, A, r_suggest},
    {"^ can/could/would/will/should you not !" NOT_A_PROPOSAL, RV_COACH_ADVICE, A, r_suggest},
    {"^ is/isnt/would/wouldnt *? *? *? something/someone/somebody you/youd would/might/could/"
     "can? consider/try/explore/ask",
     RV_COACH_ADVICE, A, r_suggest},
    {"^ any chance of *ing", RV_COACH_ADVICE, A, r_suggest},
    {"^ any chance you/we could/can/might/would", RV_COACH_ADVICE, A, r_suggest},
    {"^ would/could/will you be willing/prepared/open", RV_COACH_ADVICE, A, r_suggest},
    {"^ couldnt/shouldnt you", RV_COACH_ADVICE, A, r_suggest},
    {"^ cant/wont you just/simply/try/ask/talk/tell/say/go/speak/get/let", RV_COACH_ADVICE, A,
     r_suggest},
    {"can/could you not just/simply/try", RV_COACH_ADVICE, A, r_suggest},
    {"can/could/would you just? say no/sorry", RV_COACH_ADVICE, A, r_suggest},
    {"any/some reason why? you cant/couldnt/wouldnt/dont/shouldnt/wont/mustnt", RV_COACH_ADVICE, A,
     r_suggest},
    {"any/some reason not to", RV_COACH_ADVICE, A, r_suggest},
    {"is/isnt? there a/any/no way you could/can/might", RV_COACH_ADVICE, A, r_suggest},
    {"wonder/wondering if/whether you could/might/should/can/shouldnt/ought/need", RV_COACH_ADVICE,
     A, r_suggest},
    {"wonder/wondering if/whether you have thought/tried/considered/looked/explored",
     RV_COACH_ADVICE, A, r_tried},
#define IMPERATIVE                                                                                 \
  "try/ask/call/phone/ring/email/consider/delegate/escalate/stop/start/"                           \
  "get/make/give/take/focus/use/schedule/find/check/contact/push/raise/"                           \
  "offer/apologise/apologize/quit/leave/speak/challenge/confront/"                                 \
  "prioritise/prioritize/hire/arrange/organise/organize/invite/involve/"                           \
  "ignore/accept/forget/keep/avoid/write/sleep/relax/insist/negotiate/"                            \
  "refuse/resign/complain/meet/stand/walk/step/pick/hand/share/send/"                              \
  "trust"
    {"^ " IMPERATIVE " !me/us", RV_COACH_ADVICE, A, r_imper},
    {"^ " IMPERATIVE " $", RV_COACH_ADVICE, A, r_imper},
#undef IMPERATIVE
    {"^ have a think/go/look/word/chat/conversation", RV_COACH_ADVICE, A, r_imper},
    {"^ talk to/with", RV_COACH_ADVICE, A, r_imper},
    {"^ tell !me/us", RV_COACH_ADVICE, A, r_imper},
    {"^ say no/yes/sorry/something/nothing", RV_COACH_ADVICE, A, r_imper},
    {"^ look at/into/for/ahead/elsewhere", RV_COACH_ADVICE, A, r_imper},
    {"^ go to/and/back/for/with/ahead/see/talk/ask/home/over/direct/straight", RV_COACH_ADVICE, A,
     r_imper},
    {"^ let !me/us", RV_COACH_ADVICE, A, r_imper},
    {"^ lets try/ask/talk/go/get/make/just/call/do/tell/say/write/book/set/start/look/think",
     RV_COACH_ADVICE, A, r_imper},
    {"^ dont !you/know/we", RV_COACH_ADVICE, A, r_imper},
    {"^ the answer/solution/trick/key/fix is/would/might/could", RV_COACH_ADVICE, A, r_suggest},
    {"^ the best thing/way/option/approach/bet/move/plan", RV_COACH_ADVICE, A, r_suggest},
    {"^ one/another/an option/idea/way/approach/solution/thought could/would/might/is/may",
     RV_COACH_ADVICE, A, r_suggest},
    {"^ a good/better idea/option/approach/way/move/plan would/might/is/could/may", RV_COACH_ADVICE,
     A, r_suggest},

    /* Leading: the answer, the feeling or the judgement comes with the question. */
    {"dont/doesnt you think/agree/feel/believe/reckon/see", RV_COACH_LEADING, P, r_agree},
    {"do/did you not think/agree/feel/believe/see/reckon", RV_COACH_LEADING, P, r_agree},
    {"wouldnt you agree/say", RV_COACH_LEADING, P, r_agree},
    {"would you not agree/say", RV_COACH_LEADING, P, r_agree},
    {"^ would/do you agree", RV_COACH_LEADING, P, r_agree},
    {"it be? fair to say", RV_COACH_LEADING, P, r_agree},
    {"you must have/be/feel/know/see/realise/realize/think/admit/agree/mean/of", RV_COACH_LEADING,
     P, r_feel},
    {"you probably/surely/obviously/clearly/certainly/definitely felt/feel/were/are/think/"
     "thought/know/knew/wanted/want",
     RV_COACH_LEADING, P, r_feel},
    {"i bet/imagine you/that/it/she/he/they", RV_COACH_LEADING, P, r_feel},
    {"surely/obviously/evidently/undoubtedly/unquestionably", RV_COACH_LEADING, P, r_surely},
    {"^ clearly/naturally *", RV_COACH_LEADING, P, r_surely},
    {"^ of course", RV_COACH_LEADING, P, r_surely},
    {"isnt/wasnt it/that/this obvious/clear/plain/evident/true/right/fair/undeniable",
     RV_COACH_LEADING, P, r_surely},
    {"is/was it/that/this not obvious/clear/plain/evident/true/right/fair", RV_COACH_LEADING, P,
     r_surely},
    {"is/was/isnt/wasnt it not? true that", RV_COACH_LEADING, P, r_surely},
    {"is/was/isnt/wasnt it not? the case", RV_COACH_LEADING, P, r_surely},
    {"it is/its obvious/clear/plain/evident/undeniable/true that", RV_COACH_LEADING, P, r_surely},
    {"is/was/isnt/wasnt/could/might/would/can it/that/this not? be? because/why", RV_COACH_LEADING,
     P, r_cause},
    {"could/might it/that be that", RV_COACH_LEADING, P, r_cause},
    {"is/was it possible/likely/conceivable that", RV_COACH_LEADING, P, r_cause},
    {"doesnt/didnt/wouldnt that/this/it mean/show/prove/suggest/imply/tell", RV_COACH_LEADING, P,
     r_cause},
    {"does/did/would that/this/it not mean/show/prove/suggest/imply/tell", RV_COACH_LEADING, P,
     r_cause},
    {"^ maybe/perhaps *", RV_COACH_LEADING, P, r_view},
    {"^ why didnt/havent/hasnt/hadnt/wasnt/werent/arent/wont/cant/couldnt/shouldnt you",
     RV_COACH_LEADING, C, r_blame},
    {"^ why did you not", RV_COACH_LEADING, C, r_blame},
    {"^ why did/would you ever/even", RV_COACH_LEADING, C, r_blame},
    {"^ why on earth", RV_COACH_LEADING, C, r_blame},
    {"^ how could you let/not/possibly/ever", RV_COACH_LEADING, C, r_blame},
    {"^ " NEG " " PRON " $", RV_COACH_LEADING, C, r_tag},
    {"!" WH " " NEG " " PRON " $", RV_COACH_LEADING, C, r_tag},
    {"* , " AUX "/" NEG " " PRON " $", RV_COACH_LEADING, C, r_tag},
    {"^ " NEG " it/that so/right/true $", RV_COACH_LEADING, C, r_tag},
    {"^ right/correct/true/yes/no/agreed/yeah/eh/innit/ok/okay/surely $", RV_COACH_LEADING, C,
     r_tag},
    {"^ " NEG " *", RV_COACH_LEADING, P, r_neg},
    {"^ " AUX " " PRON " not", RV_COACH_LEADING, P, r_neg},
    {"^ i think/believe/reckon/suspect/guess/sense/feel/expect/assume/gather/bet !i/we/" WH
     "/whether/if/about/so",
     RV_COACH_LEADING, P, r_view},
    {"^ it sounds/seems/looks/feels like/as", RV_COACH_LEADING, P, r_view},
    {"^ i am? wonder/wondering if/whether", RV_COACH_LEADING, P, r_view},

    /* Openings: a question word opens a clause, an auxiliary closes it. A
     * "when" or "where" clause is a question only with the verb turned
     * round ("when did you...", not "when you talked to her, ..."). */
    {"^ what/who/whom/whose/which/how/why", RV_COACH_OPEN, 0, NULL},
    {"^ when/where/whereabouts " AUX "/else/exactly/specifically/then/now/in/on/at/abouts",
     RV_COACH_OPEN, 0, NULL},
    {"^ when/where/whereabouts $", RV_COACH_OPEN, 0, NULL},
    {"^ in/to/from/with/for/at/on/by/of/about/under/since/until/after/before/between/during/"
     "through/against/among/toward/towards/beyond " WH,
     RV_COACH_OPEN, 0, NULL},
    {"^ do/does/did *", RV_COACH_CLOSED, 0, h_do},
    {"^ am/is/are/was/were *", RV_COACH_CLOSED, 0, h_be},
    {"^ have/has/had *", RV_COACH_CLOSED, 0, h_have},
    {"^ will/would/shall *", RV_COACH_CLOSED, 0, h_will},
    {"^ can/could/may/might/must/should *", RV_COACH_CLOSED, 0, h_modal},
};

#undef NEG
#undef PRON
#undef AUX
#undef WH
#undef REMEDY
#undef MODAL
#undef WORKS
#undef BETTER
#undef OPTION
#undef OPTION_ADJ
#undef USE
#undef ABOUT_WHOM
#undef NOT_A_PROPOSAL

/* ------------------------------------------------------------------------
 * Kind rules
 * --------------------------------------------------------------------- */

typedef struct kind_rule {
  const char *pattern;
  enum rv_qkind kind;
} kind_rule_t;

/* The first row to match any clause of the question decides; a question
 * no row matches is clarification. Strong phrases come first so
 * that "what happened next" stays clarification and "how will you feel"
 * stays probing. */
static const kind_rule_t kind_rules[] = {
    /* Clear asks for the facts. */
    {"makes/made you say/think", C},
    {"do/did you mean", C},
    {"what has/is/had? happened", C},
    {"tell me/us", C},
    {"talk/walk/take/run me/us through", C},
    {"say more", C},
    {"who was/were/is/are involved", C},
    {"an/for example", C},

    /* Looking beneath the surface. */
    {"assumption/assumptions/assuming/assume/assumed/assumes", P},
    {"like/want it to be", P},
    {"ideal/ideally", P},
    {"success/successful/succeed/succeeded", P},
    {"matters/matter", P},
    {"important/importance", P},
    {"stopping/stops/stop you", P},
    {"holding/holds you back", P},
    {"else *? *? explain/explains/explanation/explanations", P},
    {"else might/could/may be going on", P},
    {"your own? part/role in", P},
    {"another/other/alternative explanation/explanations/reason/reasons", P},
    {"why", P},
    {"how come", P},
    {"feel/feels/feeling/feelings/felt/emotion/emotions/emotional/emotionally", P},

    /* Looking ahead to doing. */
    {"option/options/possibility/possibilities/alternative/alternatives", A},
    {"obstacle/obstacles/barrier/barriers/hurdle/hurdles/envisage/anticipate/foresee", A},
    {"get/gets/getting in the way", A},
    {"find out", A},
    {"learn more", A},
    {"more information", A},
    {"first/next step/steps/move", A},
    {"support/help/resources do/would/will/might you need/want", A},
    {"who could/can/might/would/will help/support", A},
    {"who else might/could/can/would/may/will/should", A},
    {"by when", A},
    {"when will/would/could/can you", A},
    {"how soon", A},
    {"deadline/deadlines/timescale/timescales/timeline/timeframe", A},
    {"will you do", A},
    {"are you going to", A},
    {"going to do", A},
    {"plan/plans/planning/commit/committed/commitment/priority/priorities/prioritise/"
     "prioritize",
     A},
    {"could/should/can/might/will/would/shall you? do", A},
    {"could/should/can/might/will/would/shall you try/change/ask/approach/test/stop/start/keep/"
     "handle/tackle/respond/deal/go/involve/talk",
     A},
    {"you should/ought/must", A},
    {"must/should/ought/needs/has to? happen", A},
    {"like/want/hope to do/involve/try/start/change", A},
    {"good/best/right time", A},
    {"better/best/easier way/approach/option", A},
    {"make it easier/better/work/happen", A},
    {"would it take", A},
    {"need/have/got to do", A},
    {"you could/might", A},
    {"prepared/willing/ready to", A},
    {"step/steps", A},
    {"way forward/through/out/round/around", A},
    {"resources/control/influence/experiment/experiments/trial", A},
    {"^ will/shall you", A},
    {"^ can/could/should/might you !explain/describe/clarify/elaborate/expand/say/tell/"
     "give/walk/take/show/help/think/remember/recall/imagine/picture/list/name/identify/"
     "outline/summarise/summarize/unpack/define/illustrate/run/be",
     A},
    {"how could/can/might/will you", A},
    {"who could/can/might/will you", A},
    {"where could/can/might/will/would you", A},
    {"differently", A},
    {"next", A},
    {"you need", A},

    /* Reflection, hopes and fears. */
    {"what if", P},
    {"it/that/be like", P},
    {"look/looks like", P},
    {"like/want/hope/hoping to happen/achieve/see/feel", P},
    {"worst/stake/gut/instinct/instincts/intuition/outcome/outcomes/goal/goals", P},
    {"imagine/suppose/magic", P},
    {"happen if", P},
    {"best case", P},
    {"risk/risks/worry/worries/worried/worrying/afraid/fear/fears/scared/anxious/nervous", P},
    {"concern/concerns/concerned", P},
    {"want/wants/wanted/hope/hoping/hopes/wish", P},
    {"learn/learned/learnt/learning", P},
    {"really", P},
    {"think about/of", P},
    {"make of", P},
    {"see/sees/saw it/this/that/things/yourself", P},
    {"yourself/consequence/consequences/impact/realistic/likely", P},
    {"mean to/for you", P},
    {"different/difference/change", P},
    {"cost/costs/gain/lose", P},
    {"pattern/patterns/evidence", P},
    {"how do you know", P},
    {"believe/belief/beliefs/values", P},
    {"sure/certain/confident/confidence", P},
    {"responsible/responsibility", P},
    {"expect/expected/expectation/expectations/surprise/surprised", P},

    /* The rest of the facts. */
    {"explain/describe/clarify/elaborate/mean/meant/involved/who/when/where", C},
};

#undef C
#undef P
#undef A

/* The open questions offered instead, by what was wrong and by kind (in
 * enum order: clarification, probing, action). Each passes the coach as
 * OPEN with the kind it is offered as; the tests hold it to that. */
static const char *const rephrasings[3][3] = {
    /* CLOSED */
    {"What happened?", "How do you feel about it?", "What will you do next?"},
    /* ADVICE */
    {"What have you tried so far?", "What is stopping you?", "What are your options now?"},
    /* LEADING */
    {"What makes you say that?", "What assumption are you making?",
     "What other possibilities exist?"},
};

/* ------------------------------------------------------------------------
 * Lowering the text into words
 * --------------------------------------------------------------------- */

typedef struct tok {
  uint16_t off;      /* into text_t.buf */
  uint16_t len;      /* 0: a clause boundary */
  uint16_t from, to; /* the bytes of the question it was read from */
} tok_t;

/* Each token is owed to a distinct byte of the input (a word to its first
 * byte, an expansion's second word to the word's second byte, a boundary to
 * its punctuation), so RV_TEXT_MAX tokens are enough; an expansion at most
 * doubles a word, so the words fit in twice the input. */
typedef struct text {
  char buf[2 * RV_TEXT_MAX + 16];
  size_t used;
  tok_t tok[RV_TEXT_MAX + 1];
  size_t n;
  size_t word_start; /* of the word being read, in buf */
  size_t src_start;  /* of the word being read, in the question */
  size_t src_end;    /* just past the last letter read */
  bool in_word;
  bool boundary_due; /* punctuation seen since the last word */
} text_t;

enum ch { CH_SPACE, CH_WORD, CH_APOS, CH_HYPHEN, CH_BOUNDARY };

/* Non-ASCII characters that are not letters of a word. */
static const struct {
  const char *utf8;
  enum ch cls;
} multibyte[] = {
    {"\xe2\x80\x98", CH_APOS},  /* left single quotation mark */
    {"\xe2\x80\x99", CH_APOS},  /* right single quotation mark, as in "don’t" */
    {"\xe2\x80\x9b", CH_APOS},  /* single high-reversed-9 */
    {"\xca\xbc", CH_APOS},      /* modifier letter apostrophe */
    {"\xc2\xb4", CH_APOS},      /* acute accent */
    {"\xe2\x80\x9c", CH_SPACE}, /* left double quotation mark */
    {"\xe2\x80\x9d", CH_SPACE}, /* right double quotation mark */
    {"\xc2\xab", CH_SPACE},     /* guillemets */
    {"\xc2\xbb", CH_SPACE},        {"\xc2\xa0", CH_SPACE}, /* no-break space */
    {"\xe2\x80\xaf", CH_SPACE},                            /* narrow no-break space */
    {"\xe2\x80\x89", CH_SPACE},                            /* thin space */
    {"\xe2\x80\xa6", CH_BOUNDARY},                         /* ellipsis */
    {"\xe2\x80\x93", CH_BOUNDARY},                         /* en dash */
    {"\xe2\x80\x94", CH_BOUNDARY},                         /* em dash */
    {"\xc2\xbf", CH_BOUNDARY},                             /* inverted question mark */
    {"\xc2\xa1", CH_BOUNDARY},                             /* inverted exclamation mark */
};

static bool is_alnum(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* The class of the character at s[0] (of n bytes left), and its length. */
static enum ch classify(const char *s, size_t n, size_t *ret_len) {
  unsigned char c = (unsigned char)s[0];
  *ret_len = 1;
  if (is_alnum(c))
    return CH_WORD;
  if (c >= 0x80) {
    for (size_t i = 0; i < sizeof multibyte / sizeof multibyte[0]; i++) {
      size_t m = strlen(multibyte[i].utf8);
      if (m <= n && memcmp(s, multibyte[i].utf8, m) == 0) {
        *ret_len = m;
        return multibyte[i].cls;
      }
    }
    return CH_WORD; /* a letter of some other script, kept as it is */
  }
  if (c == '\'' || c == '`')
    return CH_APOS;
  if (c == '-')
    return CH_HYPHEN;
  if (c != '\0' && strchr(".,;:!?()[]{}", c))
    return CH_BOUNDARY;
  return CH_SPACE;
}

/* A word is read from its first letter to its last (both words of an
 * expansion from the whole contraction); a boundary from nothing, as no
 * match starts or ends with one. */
static void push_tok(text_t *t, size_t off, size_t len) {
  if (t->n < sizeof t->tok / sizeof t->tok[0]) {
    size_t from = len ? t->src_start : t->src_end;
    t->tok[t->n] = (tok_t){.off = (uint16_t)off,
                           .len = (uint16_t)len,
                           .from = (uint16_t)from,
                           .to = (uint16_t)t->src_end};
    t->n++;
  }
}

static void put_word(text_t *t, const char *w) {
  size_t m = strlen(w);
  memcpy(t->buf + t->used, w, m);
  push_tok(t, t->used, m);
  t->used += m;
}

/* Ends the word being read: spells out a contraction or keeps it. */
static void end_word(text_t *t) {
  if (!t->in_word)
    return;
  t->in_word = false;
  size_t start = t->word_start, len = t->used - start;
  if (len == 0)
    return; /* only apostrophes */
  for (size_t i = 0; i < sizeof expansions / sizeof expansions[0]; i++) {
    if (strlen(expansions[i].word) == len && memcmp(t->buf + start, expansions[i].word, len) == 0) {
      t->used = start;
      put_word(t, expansions[i].first);
      if (expansions[i].second)
        put_word(t, expansions[i].second);
      return;
    }
  }
  push_tok(t, start, len);
}

/* Begins a word at byte at of the question, if none is being read. */
static void begin_word(text_t *t, size_t at) {
  if (t->in_word)
    return;
  if (t->boundary_due && t->n > 0)
    push_tok(t, t->used, 0);
  t->boundary_due = false;
  t->in_word = true;
  t->word_start = t->used;
  t->src_start = at;
}

/* Lowers s (n <= RV_TEXT_MAX bytes) into t: lowercase ASCII words without
 * apostrophes, contractions spelled out, and single boundary tokens between
 * clauses (never first or last). */
static void lower_text(const char *s, size_t n, text_t *t) {
  t->used = 0;
  t->n = 0;
  t->in_word = false;
  t->boundary_due = false;
  t->src_end = 0;
  for (size_t i = 0; i < n;) {
    size_t m;
    enum ch c = classify(s + i, n - i, &m);
    switch (c) {
    case CH_WORD:
      begin_word(t, i);
      for (size_t k = 0; k < m; k++) {
        unsigned char b = (unsigned char)s[i + k];
        t->buf[t->used++] = (char)(b >= 'A' && b <= 'Z' ? b - 'A' + 'a' : b);
      }
      t->src_end = i + m;
      break;
    case CH_APOS: break; /* "don't" reads as "dont"; a quoted 'word' as word */
    case CH_HYPHEN:
      /* "follow-up" is two words; a dash between words splits clauses. */
      end_word(t);
      if (!(i > 0 && is_alnum((unsigned char)s[i - 1]) && i + 1 < n &&
            is_alnum((unsigned char)s[i + 1])))
        t->boundary_due = true;
      break;
    case CH_BOUNDARY:
      end_word(t);
      t->boundary_due = true;
      break;
    case CH_SPACE: end_word(t); break;
    }
    i += m;
  }
  end_word(t);
}

/* ------------------------------------------------------------------------
 * Matching
 * --------------------------------------------------------------------- */

static const char *skip_spaces(const char *p) {
  while (*p == ' ')
    p++;
  return p;
}

static size_t item_len(const char *p) {
  size_t n = 0;
  while (p[n] && p[n] != ' ')
    n++;
  return n;
}

static bool alt_matches(const char *alt, size_t n, const char *w, size_t wn) {
  if (n == 1 && alt[0] == '*')
    return true;
  if (n > 1 && alt[0] == '*')
    return wn > n - 1 && memcmp(w + wn - (n - 1), alt + 1, n - 1) == 0;
  return n == wn && memcmp(alt, w, n) == 0;
}

/* Whether word w matches item (n bytes, without a trailing '?'). */
static bool item_matches(const char *item, size_t n, const char *w, size_t wn) {
  bool negated = n > 0 && item[0] == '!';
  if (negated) {
    item++;
    n--;
  }
  bool hit = false;
  for (size_t a = 0; a < n && !hit;) {
    size_t b = a;
    while (b < n && item[b] != '/')
      b++;
    hit = alt_matches(item + a, b - a, w, wn);
    a = b + 1;
  }
  return negated ? !hit : hit;
}

static bool is_filler(const text_t *t, size_t i) {
  return t->tok[i].len > 0 &&
         item_matches(fillers, sizeof fillers - 1, t->buf + t->tok[i].off, t->tok[i].len);
}

/* Whether the items of p match the words from i on; if so, *ret_end is
 * where the match ends. Recursion depth is the number of items in a row. */
static bool match_from(const text_t *t, const char *p, size_t i, size_t *ret_end) {
  p = skip_spaces(p);
  if (*p == '\0') {
    *ret_end = i;
    return true;
  }
  size_t n = item_len(p);
  const char *rest = p + n;
  if (n == 1 && p[0] == '$') {
    *ret_end = i;
    return i == t->n;
  }
  if (n == 1 && p[0] == ',')
    return i < t->n && t->tok[i].len == 0 && match_from(t, rest, i + 1, ret_end);
  bool optional = n > 1 && p[n - 1] == '?';
  if (optional && match_from(t, rest, i, ret_end))
    return true;
  if (i < t->n && t->tok[i].len > 0 &&
      item_matches(p, optional ? n - 1 : n, t->buf + t->tok[i].off, t->tok[i].len))
    return match_from(t, rest, i + 1, ret_end);
  return false;
}

/* The words a rule matched: tokens [from, to). */
typedef struct span {
  size_t from, to;
} span_t;

/* Whether pattern matches inside the clause of words [from, to); if so,
 * *ret holds the words it matched, with the filler words a ^ skipped. */
static bool rule_matches(const text_t *t, const char *pattern, size_t from, size_t to,
                         span_t *ret) {
  pattern = skip_spaces(pattern);
  if (pattern[0] == '^' && (pattern[1] == ' ' || pattern[1] == '\0')) {
    for (size_t j = from;; j++) {
      if (match_from(t, pattern + 1, j, &ret->to)) {
        ret->from = from;
        return true;
      }
      if (j >= to || !is_filler(t, j))
        return false;
    }
  }
  for (size_t i = from; i < to; i++)
    if (match_from(t, pattern, i, &ret->to)) {
      ret->from = i;
      return true;
    }
  return false;
}

/* The first verdict rule matching the clause [from, to), or NULL; *ret
 * holds the words it matched. */
static const verdict_rule_t *clause_rule(const text_t *t, size_t from, size_t to, span_t *ret) {
  for (size_t r = 0; r < sizeof verdict_rules / sizeof verdict_rules[0]; r++)
    if (rule_matches(t, verdict_rules[r].pattern, from, to, ret))
      return &verdict_rules[r];
  return NULL;
}

/* The end of the clause that starts at from. */
static size_t clause_end(const text_t *t, size_t from) {
  while (from < t->n && t->tok[from].len > 0)
    from++;
  return from;
}

static enum rv_qkind infer_kind(const text_t *t) {
  for (size_t r = 0; r < sizeof kind_rules / sizeof kind_rules[0]; r++)
    for (size_t from = 0, to; from < t->n; from = to + 1) {
      to = clause_end(t, from);
      span_t matched;
      if (rule_matches(t, kind_rules[r].pattern, from, to, &matched))
        return kind_rules[r].kind;
    }
  return RV_QKIND_CLARIFICATION;
}

/* ------------------------------------------------------------------------
 * The coach
 * --------------------------------------------------------------------- */

/* Blanks, and the double quotes that would end a quote early. */
static bool is_blank(unsigned char c) { return c <= ' ' || c == 0x7f || c == '"'; }

/* Writes into buf (RV_COACH_REASON_MAX bytes) why the question is refused:
 * the words from where the rule matched to the end of that clause, in
 * quotes and as the member wrote them (each run of blanks and double
 * quotes as one space),
 * then why. A quote holds whole words, as
 * many as fit in RV_COACH_QUOTE_MAX bytes; with none, the reason begins
 * "it" instead. */
static void write_reason(const char *question, const text_t *t, span_t words, const char *why,
                         char *buf) {
  size_t start = t->tok[words.from].from, stop = start;
  for (size_t k = words.from; k < words.to; k++) {
    if (t->tok[k].len == 0)
      continue;
    if (t->tok[k].to - start > RV_COACH_QUOTE_MAX)
      break;
    stop = t->tok[k].to;
  }
  if (stop == start) {
    snprintf(buf, RV_COACH_REASON_MAX, "it %s", why);
    return;
  }
  size_t n = 0;
  buf[n++] = '"';
  for (size_t i = start; i < stop; i++) {
    unsigned char c = (unsigned char)question[i];
    if (!is_blank(c))
      buf[n++] = (char)c;
    else if (!is_blank((unsigned char)question[i + 1]))
      buf[n++] = ' ';
  }
  snprintf(buf + n, RV_COACH_REASON_MAX - n, "\" %s", why);
}

int rv_coach_check(const char *question, rv_coach_t *ret) {
  if (!question || !ret)
    return RV_EINVAL;
  size_t n = strnlen(question, RV_TEXT_MAX + 1);
  if (n > RV_TEXT_MAX)
    return RV_EINVAL;
  text_t t;
  lower_text(question, n, &t);
  if (t.n == 0)
    return RV_EINVAL;

  /* Each clause gets its own verdict; advice anywhere outweighs a leading
   * clause, which outweighs the rest. One open clause makes the question
   * open ("What happened, and did it surprise you?"); otherwise one closed
   * clause makes it closed. */
  const verdict_rule_t *found[4] = {NULL, NULL, NULL, NULL};
  span_t words[4];
  for (size_t from = 0, to; from < t.n; from = to + 1) {
    to = clause_end(&t, from);
    span_t w;
    const verdict_rule_t *r = clause_rule(&t, from, to, &w);
    if (r && !found[r->verdict]) {
      found[r->verdict] = r;
      words[r->verdict] = (span_t){w.from, clause_end(&t, w.to)};
    }
  }
  enum rv_verdict v = found[RV_COACH_ADVICE]    ? RV_COACH_ADVICE
                      : found[RV_COACH_LEADING] ? RV_COACH_LEADING
                      : found[RV_COACH_OPEN]    ? RV_COACH_OPEN
                                                : RV_COACH_CLOSED;
  const verdict_rule_t *r = found[v];

  rv_coach_t out = {.verdict = r ? v : RV_COACH_OPEN};
  out.kind = r && r->kind ? r->kind : infer_kind(&t);
  if (out.verdict == RV_COACH_ADVICE || out.verdict == RV_COACH_LEADING)
    write_reason(question, &t, words[v], r->why, out.reason);
  else if (out.verdict == RV_COACH_CLOSED)
    out.hint = r->why;
  if (out.verdict != RV_COACH_OPEN) {
    const char *const *offer = rephrasings[out.verdict - RV_COACH_CLOSED];
    for (size_t i = 0; i < 3; i++)
      out.rephrasings[i] = offer[((size_t)out.kind - 1 + i) % 3];
  }
  *ret = out;
  return 0;
}

static const char *const kind_names[] = {NULL, "clarification", "probing", "action"};

const char *rv_qkind_name(enum rv_qkind k) {
  if (k >= RV_QKIND_CLARIFICATION && k <= RV_QKIND_ACTION)
    return kind_names[k];
  return "unknown";
}

enum rv_qkind rv_qkind_parse(const char *s) {
  if (!s)
    return 0;
  for (int k = RV_QKIND_CLARIFICATION; k <= RV_QKIND_ACTION; k++)
    if (strcasecmp(s, kind_names[k]) == 0)
      return (enum rv_qkind)k;
  if (strcasecmp(s, "clarifying") == 0) /* the word PRODUCT.md uses */
    return RV_QKIND_CLARIFICATION;
  return 0;
}
