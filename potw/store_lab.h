/* store_lab.h: the plant's own lab records: parameters and their limits,
 * results of sampled loads, the violations they mark and the Notices of
 * Violation they draft (potw/store_lab.c; the tables are schema version 6,
 * potw/store_lab_sqlite.c).
 *
 * The loads themselves are the stations' record (rec_loads, never edited
 * here); a result names one by its station and number.  Every change is
 * one transaction with its staff log entry (store_users.h), the actor
 * given.  Errors: 0 or a negative HG_E* code, the words in
 * hg_error_text(); a value refused is HG_EINVAL with a lab.h reason, so
 * the page can say it in the person's language. */
#ifndef POTW_STORE_LAB_H
#define POTW_STORE_LAB_H

#include "lab.h"
#include "store.h"

#define POTW_NOV_LINK_MAX 64		/* bytes of a path such as /samples/ST/N */

/* A parameter as kept: its limits, who changed them last. */
struct potw_lab_param {
	struct lab_param p;
	hg_time changed;		/* 0: as the ordinance seeded it */
	char changed_by[POTW_ACTOR_MAX + 1];
};

/* A load as the lab pages show it: the station's record, read. */
struct potw_lab_load {
	char station[POTW_STATION_ID_MAX + 1];
	long long load_no, hauler_id;
	char day[LIM_DATE + 1];
	char company[HG_BUF(LIM_COMPANY)], company_address[HG_BUF(LIM_ADDRESS)];
	char driver[HG_BUF(LIM_NAME)], permit[HG_BUF(LIM_PERMIT)], truck[HG_BUF(LIM_NAME)];
	char waste[16], bottle[HG_BUF(LIM_BOTTLE)], verdict[16];
	long gallons, measured;
	int sampled;
	hg_time t_sampled;
};

/* A result entered, as typed (the page's form or the CLI's options). */
struct potw_lab_entry {
	const char *station;
	long long load_no;
	const char *param, *value, *unit, *method, *lab, *analysed;
};

/* A result as kept. */
struct potw_lab_result {
	long long id, nov_id;
	const char *param, *unit, *method, *lab, *analysed, *section, *entered_by;
	long long value, min, max;
	int has_min, has_max, exceeds;
	hg_time entered;
};

/* A sampled load of the worklist. */
struct potw_lab_sample {
	const char *station, *day, *company, *bottle, *waste;
	long long load_no, hauler_id;
	hg_time t_sampled;
	int results, exceeding;
	long long nov_id;		/* the latest notice of the load, 0 none */
	const char *nov_state;		/* "draft", "issued", "" */
};

/* A Notice of Violation. */
struct potw_nov {
	long long id, load_no, hauler_id;
	char station[POTW_STATION_ID_MAX + 1];
	char company[HG_BUF(LIM_COMPANY)];
	char state[8];			/* "draft" or "issued" */
	hg_time drafted, issued;
	char drafted_by[POTW_ACTOR_MAX + 1], issued_by[POTW_ACTOR_MAX + 1];
};

/* An exceeding result with what it marked (haulgate-potw violations). */
struct potw_violation {
	long long nov_id, load_no, hauler_id, result_id;
	const char *nov_state, *station, *day, *company, *sources, *param, *unit, *section;
	long long value, min, max;
	int has_min, has_max;
	hg_time entered;
};

/* What adding a result did. */
struct potw_lab_outcome {
	enum lab_why why;		/* LAB_OK, or why the entry was refused */
	enum lab_verdict verdict;	/* against the parameter's limits */
	long long result_id, nov_id;	/* nov_id 0: no notice (within the limits) */
	int marked;			/* violation rows written: load, hauler, sources */
};

/* fn for every parameter, by name, until it returns non-zero. */
int potw_lab_params_each(struct potw_store *st,
			 int (*fn)(const struct potw_lab_param *p, void *ctx), void *ctx);
/* The parameter named name.  HG_ENOTFOUND. */
int potw_lab_param_get(struct potw_store *st, const char *name, struct potw_lab_param *out);
/* Define or change a parameter (its unit, limits, section) and log it
 * ("lab.limit").  A new parameter needs a unit; a unit changed while
 * results carry the old one is refused (HG_EEXIST).  HG_EINVAL with
 * *why for a bad name, text, or a minimum above the maximum. */
int potw_lab_param_set(struct potw_store *st, const struct lab_param *p, const char *actor,
		       hg_time now, enum lab_why *why);

/* The station's load load_no.  HG_ENOTFOUND. */
int potw_lab_load_get(struct potw_store *st, const char *station, long long load_no,
		      struct potw_lab_load *out);
/* The load that holds bottle (its station and number).  HG_ENOTFOUND, or
 * HG_EEXIST when loads of several stations hold that bottle id. */
int potw_lab_bottle_find(struct potw_store *st, const char *bottle,
			 char station[POTW_STATION_ID_MAX + 1], long long *load_no);
/* fn for each source of the load ("name, address, town"), in order. */
int potw_lab_sources_each(struct potw_store *st, const char *station, long long load_no,
			  int (*fn)(const char *name, const char *address, const char *town,
				    void *ctx), void *ctx);

/* Enter a result of a sampled load, judged against its parameter's limits
 * as they stand (today: the plant's "YYYY-MM-DD", for the date's check).
 * Within the limits: the result alone.  Exceeding: the result, a
 * violation row for the load, its hauler and each of its sources, and the
 * load's draft Notice of Violation (a new one when it has none in draft),
 * all with the staff log entry "lab.result", in one transaction.  HG_OK;
 * HG_ENOTFOUND (no such load), HG_EREFUSED (the load was not sampled),
 * HG_EINVAL with out->why (a value, unit, date or text refused): nothing
 * kept then. */
int potw_lab_result_add(struct potw_store *st, const struct potw_lab_entry *e,
			const char *actor, hg_time now, const char *today,
			struct potw_lab_outcome *out);
/* fn for every result of the load (nov_id 0), or of the notice nov_id,
 * oldest first. */
int potw_lab_results_each(struct potw_store *st, const char *station, long long load_no,
			  long long nov_id,
			  int (*fn)(const struct potw_lab_result *r, void *ctx), void *ctx);

/* fn for the sampled loads, those without a result first, then the newest
 * first; at most limit (0: all).  *total (may be NULL): how many there are. */
int potw_lab_samples_each(struct potw_store *st, int limit, long long *total,
			  int (*fn)(const struct potw_lab_sample *s, void *ctx), void *ctx);

/* The notice id.  HG_ENOTFOUND. */
int potw_nov_get(struct potw_store *st, long long id, struct potw_nov *out);
/* Set the notice's state ("draft" or "issued") and log it ("nov.state").
 * HG_ENOTFOUND; HG_EINVAL for another word. */
int potw_nov_set_state(struct potw_store *st, long long id, const char *state,
		       const char *actor, hg_time now);
/* fn for every exceeding result, the newest first. */
int potw_violations_each(struct potw_store *st,
			 int (*fn)(const struct potw_violation *v, void *ctx), void *ctx);
/* Is the hauler (of station), or the load, marked in violation?  1/0, or
 * an error.  subject: "hauler" (id a hauler id) or "load" (a load number). */
int potw_lab_marked(struct potw_store *st, const char *subject, const char *station,
		    long long id);

#endif
