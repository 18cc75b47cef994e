/* manifest.h: the waste-tracking form of ordinance section 9.1, one per load.
 *
 * The form holds who (hauler person and company, address, permit, truck), from
 * where (one or more sources with name, address, town or ZIP code and type of
 * industry), what
 * (waste type, volume, characteristics, known or suspected constituents, RCRA
 * hazardous yes/no/unknown) and the 4.5 certification signed with a typed name.
 * manifest_record() renders the copy of record: the exact plain text the hauler
 * reviews and certifies, whose SHA-256 is stored with the load. */
#ifndef MANIFEST_H
#define MANIFEST_H

#include "hg.h"
#include "i18n.h"

enum waste_type {
	WASTE_NONE = 0,
	WASTE_SEPTAGE,		/* "septage": septic tank waste */
	WASTE_PORTABLE,		/* "portable": portable / chemical toilets */
	WASTE_GREASE,		/* "grease": grease trap / interceptor */
	WASTE_INDUSTRIAL,	/* "industrial": industrial process waste */
	WASTE_COUNT
};
#define WASTE_ALL (((1u << WASTE_COUNT) - 1) & ~1u)

enum rcra { RCRA_UNANSWERED = 0, RCRA_NO, RCRA_YES, RCRA_UNKNOWN };

struct source {
	char name[HG_BUF(LIM_COMPANY)];
	char address[HG_BUF(LIM_ADDRESS)];
	char industry[HG_BUF(LIM_INDUSTRY)];	/* type of industry: "residential", "restaurant" */
	char town[HG_BUF(LIM_TOWN)];	/* town or ZIP code, matched whole against the service area */
};

struct manifest {
	/* who: filled from the roster when the card is accepted */
	long long hauler_id;
	char company[HG_BUF(LIM_COMPANY)];
	char company_address[HG_BUF(LIM_ADDRESS)];
	char driver[HG_BUF(LIM_NAME)];	/* the individual person */
	char permit[HG_BUF(LIM_PERMIT)];
	long long card_id;
	long long truck_id;
	char truck[HG_BUF(LIM_PLATE)];
	int truck_capacity;
	/* from where */
	int n_sources;
	struct source sources[HG_MAX_SOURCES];
	/* what */
	enum waste_type waste;
	long gallons;		/* declared; 0 = not yet given */
	char characteristics[HG_BUF(LIM_TEXT)];
	char constituents[HG_BUF(LIM_TEXT)];	/* "" or "none" = none declared */
	enum rcra rcra;
	/* 4.5 certification */
	char signer[HG_BUF(LIM_NAME)];
};

/* The 4.5 certification statement in lang. */
const char *manifest_cert_text(enum lang lang);

/* Stable code of a waste type ("septage"), NULL for WASTE_NONE. */
const char *waste_code(enum waste_type w);
/* Parse a waste code; WASTE_NONE when unknown. */
enum waste_type waste_parse(const char *code);
/* Parse "septage,grease" into a mask (1u << type).  HG_EINVAL on an unknown code. */
int waste_parse_list(const char *list, unsigned *mask);
/* Human name of a waste type in lang ("Septic tank waste"). */
const char *waste_name(enum waste_type w, enum lang lang);

const char *rcra_code(enum rcra r);	/* "no", "yes", "unknown", "" */
enum rcra rcra_parse(const char *s);	/* RCRA_UNANSWERED when unknown */

/* Do the constituents declare anything? ("", "none", "ninguno" = no) */
int manifest_has_constituents(const struct manifest *m);

/* Set one field of the form by its stable name (docs/SCENARIOS.md lists them:
 * source_name, source_address, source_industry, source_town are the source being edited,
 * passed as src; gallons, waste, characteristics, constituents, rcra, signer).
 * The value is checked (UTF-8, control characters, length, number range); on
 * a fault nothing changes and *why says what to tell the person.
 * Returns HG_OK, HG_EINVAL (why set) or HG_ENOTFOUND (no such field). */
int manifest_set(struct manifest *m, struct source *src, const char *field,
		 const char *value, enum reason *why);

/* Has every source of the form its town or ZIP code? */
int manifest_sources_have_towns(const struct manifest *m);

/* Is the form complete enough to review?  Returns R_NONE or the first gap
 * (R_INPUT_EMPTY with *field naming it). */
enum reason manifest_complete(const struct manifest *m, const char **field);

/* Render the copy of record in lang into buf[cap]: every field of the form in
 * plain words, then the certification statement.  Deterministic: the same form
 * gives the same bytes.  Returns the length, or HG_ETOOLONG. */
int manifest_record(const struct manifest *m, enum lang lang, char *buf, size_t cap);

/* The character limit of a text field of the form, 0 if not a text field. */
int manifest_field_limit(const char *field);

/* Largest volume a person may declare; more is a typo, not a load. */
#define MANIFEST_MAX_GALLONS 100000

/* Largest possible copy of record, for buffers. */
#define MANIFEST_RECORD_MAX 32768

#endif
