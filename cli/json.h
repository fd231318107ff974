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
/* A human rendering: objects as "key: value" lines, arrays of objects as
 * aligned columns. */
int jv_print_human(FILE *f, const jv_t *v);

#endif
