/* store_disputes.h: what the receipt check (/r) reads, and the disputes a
 * hauler raises there.
 *
 * A dispute is kept beside the record, never in it: the load's rows and
 * events are not touched by raising or answering one.  Raising one
 * (anyone holding a genuine receipt, no account: actor
 * POTW_DISPUTE_ACTOR) and answering it (a coordinator) are each one
 * transaction with their entry of the staff log (store_users.h), so the
 * hash chain holds who did what.  The SQL is potw/store_disputes.c's, on
 * store_sqlite.c's connection; the table comes with schema version
 * POTW_DISPUTES_VERSION (a new database has it, an older one is brought to
 * it on open).  Errors: 0 or a negative HG_E* code, the words in
 * hg_error_text(). */
#ifndef POTW_STORE_DISPUTES_H
#define POTW_STORE_DISPUTES_H

#include <sqlite3.h>

#include "store.h"
#include "store_users.h"
#include "../core/qr.h"
#include "../core/record.h"

#define POTW_DISPUTES_VERSION 7		/* the schema version that brings the table */
#define POTW_DISPUTE_WHAT_MAX 1000	/* characters of what the hauler says is wrong */
#define POTW_DISPUTE_CONTACT_MAX 120	/* characters of how to reach them */
#define POTW_DISPUTE_ANSWER_MAX 2000	/* characters of the coordinator's answer */
#define POTW_DISPUTE_WINDOW 3600	/* seconds disputes are counted over, per address */
#define POTW_DISPUTE_PER_ADDR 5		/* disputes from one address in the window */
#define POTW_DISPUTE_ACTOR "public via /r"	/* the staff log's actor of a raise */

enum potw_outcome {
	POTW_OUTCOME_OPEN = 0,	/* not answered yet */
	POTW_OUTCOME_STANDS,	/* the record stands */
	POTW_OUTCOME_WRONG	/* the record is found wrong (it is still not changed) */
};

struct potw_dispute {
	long long id;
	char station[POTW_STATION_ID_MAX + 1];
	long long load_no;
	char receipt[QR_MAX];			/* the receipt's text as checked */
	char what[HG_BUF(POTW_DISPUTE_WHAT_MAX)];
	char contact[HG_BUF(POTW_DISPUTE_CONTACT_MAX)];
	char addr[POTW_ADDR_MAX];		/* where it came from */
	hg_time raised;
	enum potw_outcome outcome;
	char answer[HG_BUF(POTW_DISPUTE_ANSWER_MAX)];
	char answered_by[POTW_ACTOR_MAX + 1];
	hg_time answered;			/* 0: open */
};

/* "open", "stands", "wrong" ("" for another value). */
const char *potw_outcome_name(enum potw_outcome o);
/* The outcome named s (an answer's: "stands" or "wrong"), or
 * POTW_OUTCOME_OPEN. */
enum potw_outcome potw_outcome_parse(const char *s);

/* Record d (station, load_no, receipt, what, contact, addr) as raised at
 * now, and its staff log entry "dispute.raise" by POTW_DISPUTE_ACTOR, in
 * one transaction; *id its number.  HG_EINVAL when what or contact is
 * empty, too long or not text. */
int potw_dispute_add(struct potw_store *st, const struct potw_dispute *d, hg_time now,
		     long long *id);
/* Answer dispute id: outcome (stands or wrong), answer, by login at now,
 * with the staff log entry "dispute.answer", in one transaction.
 * HG_ENOTFOUND (no such dispute), HG_EEXIST (answered already: nothing
 * changes), HG_EINVAL (a bad outcome or answer). */
int potw_dispute_answer(struct potw_store *st, long long id, enum potw_outcome outcome,
			const char *answer, const char *login, hg_time now);
/* The dispute id into *out.  HG_ENOTFOUND. */
int potw_dispute_get(struct potw_store *st, long long id, struct potw_dispute *out);
/* fn for every dispute (only the open ones with open_only), oldest first,
 * until it returns non-zero (returned). */
int potw_disputes_each(struct potw_store *st, int open_only,
		       int (*fn)(const struct potw_dispute *d, void *ctx), void *ctx);
/* Disputes raised from addr after since, into *n. */
int potw_disputes_from(struct potw_store *st, const char *addr, hg_time since, long long *n);

/* What the receipt check compares: the load of station's number load_no
 * as the plant's copy holds it (rec_loads): station, load_no, t.decided,
 * m.gallons, m.waste, m.permit, the rest zero.  HG_ENOTFOUND. */
int potw_receipt_load(struct potw_store *st, const char *station, long long load_no,
		      struct load_rec *out);
/* The number of station's event of type for load_no (the first, when
 * there are several) into *seq.  HG_ENOTFOUND. */
int potw_receipt_event(struct potw_store *st, const char *station, long long load_no,
		       const char *type, long long *seq);

/* For store_sqlite.c: the CREATE statements, and the migration from
 * POTW_DISPUTES_VERSION - 1 (path: for the words), one transaction; a
 * file another process migrated first is taken as it is. */
extern const char potw_disputes_schema[];
int potw_sq_disputes_migrate(sqlite3 *db, const char *path);

#endif
