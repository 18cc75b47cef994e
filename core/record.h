/* record.h: what is kept of a load and of an RV visit, and the projection
 * of the event log onto the tables (core/record.c).
 *
 * The session fills struct load_rec and struct rv_rec; the store commits them
 * (db/store_load.c) as their events in one transaction; the receipt is composed
 * from them.  record_project() turns one event of the log into the row
 * changes it makes: the store writes its rows with it (db/store_write.c), and
 * the station's `verify` (db/store_replay.c) and the plant's server rebuild
 * their tables from the events with it.  It speaks no SQL and does no I/O. */
#ifndef RECORD_H
#define RECORD_H

#include "hg.h"
#include "manifest.h"
#include "policy.h"

/* When each step of a load happened (0 = did not happen). */
struct load_times {
	hg_time card;		/* card accepted */
	hg_time pin;		/* right PIN */
	hg_time form;		/* first field of the form */
	hg_time certified;	/* 4.5 certification signed */
	hg_time decided;	/* decision taken (the load's date) */
	hg_time sampled;	/* bottle recorded */
	hg_time discharge_start;
	hg_time discharge_end;
};

struct load_rec {
	long long load_no;	/* station-wide load number, given by the store */
	char station[32];
	struct manifest m;
	enum lang lang;		/* language the hauler certified in */
	struct decision d;
	char bottle[HG_BUF(LIM_BOTTLE)];	/* "" until sampled */
	long long sampled_by;	/* operators.id */
	char sampler[HG_BUF(LIM_NAME)];
	int manual_flag;	/* an operator flagged it for sampling */
	struct load_times t;
	long gallons_measured;	/* counted by the flow meter while the valve was open; 0 = no meter */
	enum reason meter_flag;	/* R_NONE, R_METER_MISMATCH or R_METER_FAILED (core/session.c) */
	int interrupted;	/* the station stopped with the valve open; its next start
				 * closed the discharge (discharge_end_why "interrupted") */
	uint8_t record_sha[32];	/* SHA-256 of record[] as certified */
	char record[MANIFEST_RECORD_MAX];	/* the copy of record */
};

struct rv_rec {
	long long id;
	char name[HG_BUF(LIM_NAME)];
	char plate[HG_BUF(LIM_PLATE)];
	char plate_state[HG_BUF(LIM_STATE)];
	enum lang lang;
	hg_time signed_in;
	hg_time rules_accepted;
	hg_time declared;	/* no chemicals declared */
	hg_time done;
};

/* ---- the projection: events -> rows ---- */

/* A column of the record: 'i' an integer, 't' text, 'z' an integer where 0 is
 * stored as NULL (a time that did not happen, an optional reference). */
struct rec_col {
	const char *name;
	char kind;
};

/* A table of the record: its columns (the key ones first), how many form
 * the key, and a UNIQUE constraint an upsert names (NULL = none). */
struct rec_table {
	const char *name;
	const struct rec_col *cols;
	int ncols;
	int nkey;
	const char *unique;	/* "hauler_id, name, address" or NULL */
};

/* Every table the log explains, in the order verify reports them; the
 * columns not listed (the PIN hashes) are outside the record
 * (docs/SCHEMA.md, "Outside the record"). */
extern const struct rec_table record_tables[];
extern const int record_ntables;

enum rec_op {
	REC_INSERT,	/* a new row: every value */
	REC_UPDATE,	/* the row whose first nkey values match: set the others */
	REC_UPSERT	/* insert; if the first nkey values (a UNIQUE) exist, set the others */
};

enum rec_kind { REC_NULL, REC_INT, REC_TEXT };

struct rec_val {
	const char *col;
	enum rec_kind kind;
	long long i;
	const char *s;	/* REC_TEXT: points into struct rec_out (its JSON or arena) */
};

#define REC_MAX_VALS 48
#define REC_MAX_CHANGES (2 * HG_MAX_SOURCES + 4)
#define REC_ARENA 4096

struct rec_change {
	const struct rec_table *table;
	enum rec_op op;
	int nkey;		/* the first nkey values are the key (UPDATE, UPSERT) */
	int n;
	struct rec_val v[REC_MAX_VALS];
};

/* One event of the log, as read back. */
struct rec_event {
	long long seq;
	hg_time ts;
	const char *type;
	long long load_no;
	const char *actor;
	const char *detail;	/* JSON object text, "" or NULL for none */
};

/* The row changes of one event.  Owns the parsed detail: free with
 * record_out_free() (also after a failure). */
struct rec_out {
	int n;
	struct rec_change c[REC_MAX_CHANGES];
	void *json;		/* the parsed detail (cJSON) the texts point into */
	size_t used;
	char arena[REC_ARENA];	/* texts made here (joined reason codes) */
	char why[200];		/* on failure: what is wrong with the event */
};

/* The row changes event ev makes, into *out (initialised here).  An event
 * that changes no row (a card tap, a relay, a print) gives none.  Returns
 * HG_OK, or HG_ECORRUPT with out->why naming the event and what it lacks (a
 * detail that is not JSON, a field missing or of the wrong type: an edited
 * log, or one written by a haulgate before the events carried whole rows).
 * Pure: no I/O, no SQL, no clock. */
int record_project(const struct rec_event *ev, struct rec_out *out);
void record_out_free(struct rec_out *out);

/* The columns of the station's tables that no event carries, as
 * "table.column", each with why (docs/SCHEMA.md, "Outside the record");
 * NULL-terminated.  Every other column of every table but the log itself is
 * in record_tables (tests/unit/test_store_replay.c checks the schema). */
struct rec_outside {
	const char *column;
	const char *why;
};
extern const struct rec_outside record_outside[];

/* Confidential business information (section 2.5 of the ordinance): the
 * fields of the record shown only to those who may read them (the plant's
 * coordinators: docs/WEB.md), never to an auditor nor in an auditor's
 * export.  The record carries no marking of its own, so the fields are
 * these, by table and column (docs/DECISIONS.md): who the hauler's
 * customers are (a source's name, street address, industry), the
 * constituents the hauler declared, and the copy of record that holds them.
 * The towns, waste types, volumes, characteristics and every decision are
 * not: they are what the plant audits, and effluent data is never
 * confidential (2.5). */
extern const char *const record_confidential_fields[];
/* Is column col of table (a name of record_tables[]) confidential?  1 or 0. */
int record_confidential(const char *table, const char *col);

/* The table of the record called name, or NULL. */
const struct rec_table *record_table(const char *name);

#endif
