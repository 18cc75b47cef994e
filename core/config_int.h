/* config_int.h: what core/config.c (the file, its key table and reader) and
 * core/config_value.c (a parser per kind of value) share, and what
 * tests/unit/test_config_keys.c walks.  Not for anyone else: the interface
 * is core/config.h.  A new key is a row of config.c's keys[] (with a new
 * enum kind and its parser only if no kind fits), a line of
 * station.ini.example and a row of docs/CONFIG.md; the tests fail without
 * the last two. */
#ifndef CONFIG_INT_H
#define CONFIG_INT_H

#include <stdio.h>

#include "config.h"

#define CFG_LINE_CAP 4096	/* longest physical line looked at */
#define CFG_QUOTE_MAX 40	/* characters of a bad value quoted in a message */
#define CFG_QUOTE_CAP (CFG_QUOTE_MAX * 4 + 8)	/* bytes of such a quote */
#define CFG_MAX_KEYS 64		/* rows of config.c's keys[] at the most */
#define CFG_RELAY_ADDR_MAX 65535	/* largest coil or line number */
#define CFG_WASTE_HELP "septage, portable, grease, industrial"

enum kind {
	K_ID,			/* station id: letters, digits, '-' */
	K_TEXT,			/* free text of at most max characters */
	K_URL,			/* http(s) prefix of the QR text */
	K_ZONE,			/* time zone name, "" = the machine's */
	K_PATH,			/* file path, relative to the config file */
	K_LANG,			/* en | es */
	K_HOURS,		/* "HH:MM-HH:MM" | closed; min = weekday (0 = Sunday) */
	K_CLOSED,		/* list of YYYY-MM-DD */
	K_WASTE,		/* list of waste types, at least one */
	K_WASTE_SAMPLE,		/* list of waste types, may be empty */
	K_NO_ANALYSIS,		/* refuse | sample */
	K_LONG,			/* whole number in [min, max], long field */
	K_INT,			/* whole number in [min, max], int field */
	K_AREA,			/* list of towns or ZIP codes */
	K_INDUSTRY,		/* list of types of industry, may be empty */
	K_RCRA,			/* refuse, and nothing else */
	K_BOOL,			/* yes | no */
	K_RATE,			/* 0..1 or 0%..100% */
	K_DURATION,		/* seconds in [min, max], long field */
	K_HW,			/* "<backend>:<argument>" */
	K_HW_OPT,		/* the same, or "" for no such device */
	K_SPEECH_OUT,		/* play | wav:<folder> */
	K_RENDERER,		/* software | auto */
	K_PANEL,		/* auto | <W>x<H>mm | <D>in */
	K_SYNC_URL,		/* https://host[:port][/path], or "" */
	K_PIN,			/* sha256//BASE64[;sha256//BASE64...], or "" */
	K_NOTE_KEY,		/* a signed-note verifier key name+hex8+base64, or "" */
	K_COUNT			/* kinds in all */
};

struct key {
	const char *section;
	const char *name;
	enum kind kind;
	size_t off;		/* the field in struct config */
	size_t size;		/* its size */
	long min, max;		/* K_INT, K_LONG, K_DURATION: the range; K_TEXT: max
				 * characters; K_HOURS: min is the weekday */
};

struct loader {
	struct config *cfg;
	struct config_errors *errs;
	int nerr;			/* errors found, also past CFG_MAX_ERRORS */
	const char *text;		/* the file's text (not NUL-terminated) */
	size_t len, pos;		/* its length; how far read_line() is */
	config_zone_fn *zone_exists;	/* NULL: any well-formed zone name */
	char dir[CFG_PATH];		/* folder of the file; "" = current */
	int line;			/* physical line last read */
	int cont;			/* that line continues the last key's list */
	int prev_list;			/* the last key line was of a list key */
	char sect[64];			/* section the reader is in */
	int seen[CFG_MAX_KEYS];	/* line each key was set on, 0 = not yet */
	int relay_line[CFG_MAX_RELAYS];	/* line each relay was set on */
	int waste_line;			/* line of [policy] waste_types */
	int sync_line;			/* line of [sync] url when it is set */
};

/* A kind's parser: check v for key k and store it in k's field of ld->cfg.
 * ld->cont: v continues a list (append); otherwise a list starts over.
 * 0, or -1 with why[wcap] set (what v must be, and v quoted). */
typedef int cfg_set_fn(struct loader *ld, const struct key *k, const char *v, char *why,
		       size_t wcap);

/* One kind of value: config_value.c's kinds[] has one per enum kind. */
struct cfg_kind {
	const char *name;	/* what it takes, in a word or two: "duration" */
	int list;		/* a list: may go on over indented lines */
	size_t size;		/* the field it writes; 0: a text buffer of the key's size */
	cfg_set_fn *set;
};

/* Row i of config.c's key table, or NULL past its end: for the tests that
 * walk it (tests/unit/test_config_keys.c). */
const struct key *cfg_key_at(size_t i);
/* Section i of the file ("station" ...; "relays", whose keys are relay
 * names, has no rows in the key table), or NULL past the last. */
const char *cfg_section_at(size_t i);

/* Record one error at line (0: not tied to a line).  The last slot says
 * that more were left out. (config.c) */
void cfg_add_error(struct loader *ld, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* v as it may be quoted in a message into out[cap] (CFG_QUOTE_CAP): at most
 * CFG_QUOTE_MAX characters, control characters as '?', "..." when cut. */
void cfg_quote(const char *v, char *out, size_t cap);
/* The kind's row, or NULL for a kind without a parser (a bug the unit
 * tests look for). (config_value.c) */
const struct cfg_kind *cfg_kind(enum kind kind);
/* Check v for key k and store it in ld->cfg: k's kind's parser, with
 * ld->cont saying whether v continues a list.  0, or -1 with why[wcap] set. */
int cfg_set_value(struct loader *ld, const struct key *k, const char *v, char *why, size_t wcap);
/* A [relays] key: name = the relay's backend argument; errors added to ld. */
void cfg_set_relay(struct loader *ld, const char *name, const char *v);
/* Once the file is read: every relay's coil or line number well written
 * (unless the relays are simulated), and no two relays on one coil or line,
 * however spelled ("1" and "0x1", "17" and "17,active-low").  Errors added
 * to ld with the later line. */
void cfg_check_relays(struct loader *ld);
/* Is name shaped like a zone name: no "..", not absolute, only the
 * characters zone names use?  (Whether it exists is the host's to say.) */
int cfg_zone_name_ok(const char *name);

#endif
