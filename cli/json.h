/*
 * The JSON values the commands print, behind our own names. json.c is the
 * only file that includes jansson.h. Builders take ownership of the values
 * passed to them ("steal"), so a document is freed once, from its root.
 */
#ifndef REVANS_CLI_JSON_H
#define REVANS_CLI_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

typedef struct jv jv_t;

/* New values, owned by the caller until stolen by jv_set or jv_push, or
 * freed with jv_free; NULL when out of memory (jv_set and jv_push store a
 * NULL value as JSON null). */
jv_t *jv_obj(void);
jv_t *jv_arr(void);
jv_t *jv_str(const char *s); /* NULL gives null */
jv_t *jv_int(int64_t v);
jv_t *jv_bool(bool v);
jv_t *jv_null(void);
/* obj[key] = v, stealing v. Returns obj. */
jv_t *jv_set(jv_t *obj, const char *key, jv_t *v);
/* Appends v, stealing it. Returns arr. */
jv_t *jv_push(jv_t *arr, jv_t *v);
void jv_free(jv_t *v);

/* One compact JSON document and a newline. 0, or -1 on a write error. */
int jv_print_json(FILE *f, const jv_t *v);
/* One compact JSON document and a newline, as a malloc'd string; NULL when
 * out of memory. */
char *jv_dump(const jv_t *v);
/* Parsing (journal import): a document from bytes, or NULL with a message
 * in err. Accessors return NULL (or 0, false) for a wrong kind. */
jv_t *jv_parse(const char *buf, size_t n, char *err, size_t errn);
jv_t *jv_get(const jv_t *obj, const char *key); /* borrowed */
size_t jv_len(const jv_t *arr);
jv_t *jv_at(const jv_t *arr, size_t i); /* borrowed */
const char *jv_string(const jv_t *v);
bool jv_is_true(const jv_t *v);
bool jv_is_array(const jv_t *v);
bool jv_is_object(const jv_t *v);

/* A human rendering: objects as "key: value" lines, arrays of objects as
 * aligned columns. */
int jv_print_human(FILE *f, const jv_t *v);
/* The columns s takes on a terminal, as the human rendering counts them
 * (a CJK character or an emoji two, a combining mark none). */
size_t jv_width(const char *s);

#endif
