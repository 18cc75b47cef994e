/* cmdline_values.h: a command line's values checked (text, card UIDs,
 * dates, numbers, a table of a command's fields) and new PINs read and
 * hashed: what the station's roster commands (cli/) and the plant's
 * (potw/) share, so both take and refuse exactly the same input.  Errors
 * are said on stderr through host/cmdline.h's cli_error(). */
#ifndef HOST_CMDLINE_VALUES_H
#define HOST_CMDLINE_VALUES_H

#include <stddef.h>
#include "cmdline.h"
#include "../core/hg.h"
#include "../core/i18n.h"
#include "../core/keys.h"
#include "../core/roster.h"

/* Check text given for what (an option "--company" or an argument) against
 * text_check() with at most max characters, and copy it into dst[cap].
 * On a fault says which and returns -1; nothing is copied. */
int cli_text(const char *what, const char *val, int max, int required, char *dst, size_t cap);
/* A card UID, normalised (text_uid_norm). */
int cli_uid(const char *what, const char *val, char out[LIM_UID + 1]);
/* A calendar date "YYYY-MM-DD" into out[LIM_DATE + 1], normalised. */
int cli_date(const char *what, const char *val, char out[LIM_DATE + 1]);
/* A whole number in [min, max]. */
int cli_long(const char *what, const char *val, long min, long max, long *out);
/* A row id (1 and up). */
int cli_id(const char *what, const char *val, long long *out);

/* One option of a command, how to check it and where it goes. */
enum cli_kind {
	CF_TEXT,	/* char dst[cap], at most max characters (text_check) */
	CF_DATE,	/* char dst[LIM_DATE + 1] */
	CF_UID,		/* char dst[LIM_UID + 1], normalised */
	CF_ID,		/* long long dst, 1 and up */
	CF_LONG		/* long dst in [min, max] */
};

struct cli_field {
	const char *opt;	/* option name, without the dashes */
	enum cli_kind kind;
	int required;
	long min, max;
	void *dst;
	size_t cap;
};

/* Take the n fields of f from a: first every required option must be there
 * (else CLI_EUSAGE), then each value given is checked and stored in order
 * (else -1, said on stderr).  Options not given leave dst as it was. */
int cli_take(const struct cli_args *a, const struct cli_field *f, size_t n);

/* Read a new PIN for a card of this kind (pin_new_ok: a hauler's 4 to 12
 * digits, an operator's 6 to 12): twice without echo from /dev/tty when
 * stdin is a terminal, else one line of stdin.  A PIN that breaks the rule is
 * refused with the rule (an operator's too-short PIN in English and Spanish);
 * -1, nothing is kept. */
int cli_read_pin(enum card_kind kind, char pin[LIM_PIN + 1]);
/* The rule of a new PIN for a card of this kind (pin_new_ok), checked as
 * cli_read_pin() checks what it read: 0, or -1 with the rule said. */
int cli_pin_check(enum card_kind kind, const char *pin);
/* Hash pin for the store with kp's PIN key (core/pin.c: keyed BLAKE2b, then
 * Argon2id with opslimit 4, memlimit 16 MiB) into hash[PIN_HASH_MAX]. */
int cli_pin_hash(const struct keypair *kp, const char *pin, char hash[PIN_HASH_MAX]);
/* The string of key in lang (i18n_text) with its "%s" replaced by v; lives
 * until the next call for the same lang. */
const char *cli_tr(const char *key, enum lang lang, const char *v);

/* Make the folder that holds path (mode 0700: it holds the station's
 * private files) and its missing parents (mode 0755).  An existing folder
 * is left as it is. */
int cli_mkdir_parent(const char *path);

#endif
