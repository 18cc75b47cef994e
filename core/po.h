/* po.h: a strict reader of gettext PO files into a table of key → text.
 *
 * haulgate's strings live in assets/i18n/<lang>.po (docs/TRANSLATING.md).
 * Each msgid there is a stable key ("reason.pin_wrong", "ui.start.title"),
 * each msgstr the text in that file's language.  po_parse() reads a whole
 * file once into one block of memory, sorted by key; po_get() is then a
 * binary search that allocates nothing.  No gettext runtime and no system
 * locale are involved.
 *
 * What is accepted: a header entry first (msgid "" with Content-Type:
 * text/plain; charset=UTF-8, and a Language: field), then entries of
 * comments, msgid "..." and msgstr "...", each string possibly continued on
 * "..." lines; escapes \" \\ \n; comments "# ", "#.", "#:", "#,", "#|", and
 * obsolete "#~" entries (skipped).  What is refused, with the line number:
 * text that is not UTF-8 or holds a control character (tabs included), an
 * unknown escape, msgctxt and plural forms, a msgid without msgstr, a
 * msgstr without msgid, a duplicate key, a key that is not
 * [A-Za-z][A-Za-z0-9_.-]*, a line over PO_LINE_MAX bytes. */
#ifndef PO_H
#define PO_H

#include <stddef.h>

#define PO_LINE_MAX 4096	/* bytes in one line of a PO file */
#define PO_KEY_MAX 96		/* bytes in one key */
#define PO_FILE_MAX (1L << 20)	/* bytes in one PO text or file */

/* Flags from a "#, ..." line (other gettext flags are accepted and ignored). */
enum {
	PO_SAME = 1u << 0,	/* "same": the text is the same in both languages on purpose ("OK") */
	PO_FUZZY = 1u << 1	/* "fuzzy": a translation marked for review */
};

/* One entry, as po_at() and po_find() show it.  Everything points into the
 * table and lives as long as it. */
struct po_entry {
	const char *key;	/* the msgid */
	const char *value;	/* the msgstr (may be "": not translated) */
	const char *note;	/* the "#." lines joined by '\n' ("" if none) */
	unsigned flags;		/* PO_SAME | PO_FUZZY */
	int line;		/* line of the msgid */
};

/* Why a parse failed: line 0 when it is about the whole file. */
struct po_error {
	int line;
	char msg[200];
};

struct po;

/* Parse len bytes of PO text (it need not be NUL-terminated).  On success
 * *out is a new table the caller frees with po_free(); on failure *out is
 * NULL and *err (if not NULL) says why and where.
 * Returns HG_OK, HG_EINVAL (not a valid PO file, or over PO_FILE_MAX bytes)
 * or HG_ENOMEM. */
int po_parse(const char *text, size_t len, struct po **out, struct po_error *err);

/* Free a table (NULL is fine). */
void po_free(struct po *po);

/* The value of key, or NULL when the key is not there.  No allocation. */
const char *po_get(const struct po *po, const char *key);

/* The entry of key, or NULL. */
const struct po_entry *po_find(const struct po *po, const char *key);

/* Number of entries (the header not counted), and entry i in key order
 * (NULL when i is out of range). */
size_t po_count(const struct po *po);
const struct po_entry *po_at(const struct po *po, size_t i);

/* The header's Language: value ("en", "es"). */
const char *po_language(const struct po *po);

#endif
