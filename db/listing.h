/* listing.h: the listings a station and the plant print alike: the loads,
 * the RV visits and the month report.
 *
 * One query each, for both: the station runs it on its own tables
 * (listing_station: db/store_list.c), the plant on its copy of every
 * station's record, the rec_* tables keyed by station (potw/store_list.c,
 * whose source names the prefix and the station column).  Where there is a
 * station column it is listed first, as "station", and can be filtered on;
 * every other column, its name, kind and order, is the station's own, so
 * the plant prints what the station prints.  The rows are read into a
 * struct table (core/table.h) by listing_fill(), which every listing of the
 * station uses too.  Filters are bound parameters; the SQL is put together
 * from constant fragments and the source's names only. */
#ifndef DB_LISTING_H
#define DB_LISTING_H

#include <stddef.h>
#include "../core/hg.h"
#include "../core/table.h"

struct sqlite3;		/* sqlite3.h's, for those who read it */
struct sqlite3_stmt;

enum listing_kind {
	LISTING_LOADS = 0,	/* load_no decided hauler_id company permit truck waste gallons
				 * verdict reasons flagged bottle measured discharge_end meter */
	LISTING_RV,		/* id signed_in name plate state lang declared done */
	LISTING_MONTH,		/* company permit loads septage portable grease industrial
				 * gallons samples refusals: per hauler, one month */
	LISTING_DAYS,		/* day waste loads gallons refusals samples: per day and
				 * waste type (gallons of the loads not refused) */
	LISTING_HAULERS,	/* id company contact phone permit permit_from permit_to
				 * status waste_allowed analysis_date cards trucks: the
				 * roster's haulers (`haulgate hauler list`) */
	LISTING_HAULER_LOADS	/* hauler_id loads gallons samples refusals first last:
				 * per hauler, every day or from..to */
};

#define LISTING_TEXT_MAX 80		/* characters of the free text */
/* The wide columns of the loads (f->wide), after the station's own:
 * "towns", "sources" (each source's name and address), "industry",
 * "characteristics", "constituents", "rcra", "decided_at" (Unix seconds:
 * the page's key).  "sources", "industry" and "constituents" are of
 * fields confidential (core/record.h's record_confidential()): left out
 * unless f->confidential. */
#define LISTING_WIDE 7

/* What a listing is asked for.  Days are the station's local days,
 * inclusive, as its tables hold them. */
struct listing_filter {
	char from[LIM_DATE + 1];	/* loads, RV visits: "" = any */
	char to[LIM_DATE + 1];		/* "" = any */
	long long hauler_id;		/* loads: 0 = any */
	int flagged;			/* loads: only those flagged for sampling or by the meter */
	int year, month;		/* the month report */
	const char *station;		/* with a station column: only this station's rows;
					 * NULL or "" every station's */
	int totals;			/* the month report, the days with a station column:
					 * summed over the stations (per company and permit, per
					 * day and waste type), no station column */
	/* the loads, more filters (the plant's pages, potw/page_loads.c) */
	char waste[16];			/* a waste code ("septage"), "" any */
	char verdict[16];		/* "accepted", "refused", "sample-hold", "" any */
	int sampled;			/* 1 held for a sample, -1 not, 0 any */
	int meter;			/* 1 flagged by the meter, -1 not, 0 any */
	char town[HG_BUF(LIM_TOWN)];	/* a source's town or ZIP (any case), "" any */
	char text[HG_BUF(LISTING_TEXT_MAX)];	/* loads: found in the load number, company,
					 * driver, permit, truck, signer, bottle, a source's
					 * town; with confidential also in the sources'
					 * names, addresses and industries, the constituents.
					 * RV visits: in the name, plate or state */
	int confidential;		/* the reader may see confidential fields
					 * (core/record.h's record_confidential[]): the text
					 * searches them, the wide columns hold them; else
					 * those columns are left out whole */
	/* the page: newest first (loads: decided, station, load number;
	 * RV visits: signed in, station, id; all descending), at most limit
	 * rows (0: all; every kind), after the key given (loads: the whole
	 * key; RV visits: station and id in load_no, its time read from it) */
	int newest;
	int wide;			/* the wide columns after the station's (LISTING_WIDE) */
	long long limit;
	struct listing_key {
		hg_time decided;		/* 0: from the first (newest) row */
		char station[32];
		long long load_no;
	} after;
};


/* Where the rows are. */
struct listing_source {
	const char *prefix;		/* before every table's and index's name: "" or "rec_" */
	const char *station_col;	/* NULL: one station's own tables; else the column
					 * that says each row's station */
	const char *day_sums;		/* NULL; or a table of the loads' sums kept per day,
					 * station and waste type (columns day, the station
					 * column, waste, loads, gallons, refusals, samples:
					 * the plant's load_days), which LISTING_DAYS reads
					 * when filtered by days and station only */
};

/* A station's own tables. */
extern const struct listing_source listing_station;

/* A column of a listing: its name and how its values are shown. */
enum listing_col_kind {
	LISTING_TEXT = 0,
	LISTING_NUM,		/* numeric (table_numeric) */
	LISTING_TIME,		/* Unix seconds shown as local "YYYY-MM-DD hh:mm", 0 or NULL as "" */
	/* a load's sources' towns, "name, address"es, industries, each joined
	 * by "; " in the form's order: no column of the query, read per row
	 * by listing_run()'s second statement (the loads' wide columns) */
	LISTING_SRC_TOWN,
	LISTING_SRC_NAME,
	LISTING_SRC_INDUSTRY
};

struct listing_col {
	const char *name;
	enum listing_col_kind kind;
};

/* Check f for kind: its dates, the month (1970-01 to 9999-12).  HG_OK or
 * HG_EINVAL with the words ("from date '2025-02-31' is not a date ..."). */
int listing_check(enum listing_kind kind, const struct listing_filter *f);

/* The SQL of listing kind from src with f's filters into sql[cap], and its
 * columns (the station column first where src has one) into cols[max],
 * their number into *ncols.  HG_OK, HG_EINVAL (listing_check()),
 * HG_ETOOLONG. */
int listing_sql(enum listing_kind kind, const struct listing_source *src,
		const struct listing_filter *f, char *sql, size_t cap,
		struct listing_col *cols, int max, int *ncols);

/* The pattern of LIKE ... ESCAPE '\\' matching text anywhere: "%" text
 * "%", with % _ and \\ in text escaped, into out[cap].  HG_OK or
 * HG_ETOOLONG. */
int listing_like(const char *text, char *out, size_t cap);

/* The indexes the plant's loads pages read (schema 6 of the plant: the
 * newest first, and each filter that may pick few rows: station, hauler,
 * decision, waste type, sampled, meter flag, a source's town), as CREATE
 * INDEX IF NOT EXISTS statements into sql[cap].  HG_OK or HG_ETOOLONG. */
int listing_page_indexes(const struct listing_source *src, char *sql, size_t cap);

/* The indexes the listings of a source with a station column read
 * (INDEXED BY in the month report), as CREATE INDEX statements into
 * sql[cap], for that database's schema: "<prefix>loads_month" and
 * "<prefix>rv_visits_day", each by day.  (A station's own are in its
 * migrations, db/schema.c.)  HG_OK or HG_ETOOLONG. */
int listing_indexes(const struct listing_source *src, char *sql, size_t cap);

/* Step s, a query whose result columns are cols[0..n), to its end, one row
 * of a new table per result row, into *out (the caller's to table_free();
 * NULL on failure).  s is reset, not finalized.  db is s's connection, for
 * the words of an error.  cols of the LISTING_SRC_* kinds are listing_run()'s
 * alone (HG_EINVAL here).  HG_OK, HG_ENOMEM (more than TABLE_MAX_ROWS rows),
 * or the database's error. */
int listing_fill(struct sqlite3 *db, struct sqlite3_stmt *s, const struct listing_col *cols, int n,
		 struct table **out);

/* listing_sql(), prepared on db, f's values bound, listing_fill(); the
 * loads' wide columns of their sources read by one more statement, a
 * load at a time (an index lookup each, where a subquery per column took
 * three).  *out as listing_fill()'s. */
int listing_run(struct sqlite3 *db, enum listing_kind kind, const struct listing_source *src,
		const struct listing_filter *f, struct table **out);

#endif
