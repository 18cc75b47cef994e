/* store_fees.h: the plant's fee schedule and the monthly statement of a
 * hauler (potw/store_fees.c; the table: store_lab_sqlite.c).
 *
 * A schedule row is a waste type's base per load and rate per gallon from
 * a day on (fees.h: cents and ten-thousandths of a dollar); a load is
 * billed by the row in force on its day.  A statement reads the stations'
 * record (rec_loads, never edited here): the hauler's loads of the month
 * that discharged (a discharge end recorded: a refused load, or one given
 * up at its sample hold, is not billed), on every station or one.  The
 * hauler is its id in the loads (the plant's id where the stations take
 * the plant's roster).  Errors: 0 or a negative HG_E* code, the words in
 * hg_error_text(). */
#ifndef POTW_STORE_FEES_H
#define POTW_STORE_FEES_H

#include "fees.h"
#include "store.h"

/* A schedule row. */
struct potw_fee {
	const char *waste, *effective, *changed_by;
	long long base_cents, rate;
	hg_time changed;
};

/* A statement's line: one load. */
struct potw_fee_line {
	const char *station, *day, *waste, *company, *permit, *truck;
	long long load_no;
	long declared, measured, billed;
	enum fee_basis basis;
	int priced;			/* 0: no schedule row for its waste and day */
	long long base_cents, rate, cents;
};

/* fn for every schedule row, by waste type, the newest first. */
int potw_fees_each(struct potw_store *st, int (*fn)(const struct potw_fee *f, void *ctx),
		   void *ctx);
/* Set waste's base and rate from the day effective ("YYYY-MM-DD") on
 * (the row of that day replaced) and log it ("fee.schedule").  HG_EINVAL
 * for an unknown waste type, a bad day, or an amount past fees.h's caps. */
int potw_fee_set(struct potw_store *st, const char *waste, const char *effective,
		 long long base_cents, long long rate, const char *actor, hg_time now);
/* fn for each load of hauler_id billed in year-month (at station, or at
 * every station when NULL or ""), by day, station and number.  HG_EINVAL
 * for a bad month. */
int potw_fee_statement(struct potw_store *st, long long hauler_id, const char *station,
		       int year, int month,
		       int (*fn)(const struct potw_fee_line *l, void *ctx), void *ctx);

#endif
