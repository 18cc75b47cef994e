/* loads_query.h: the loads pages' filter as a query string and back
 * (potw/loads_query.c): GET /loads?from=...&decision=refused&after=...,
 * read into db/listing.h's struct listing_filter and written again into
 * the links of the page (the next page, the CSV of the same filter).
 * Pure: no store, no connection; tests/unit/test_potw_loads_query.c. */
#ifndef POTW_LOADS_QUERY_H
#define POTW_LOADS_QUERY_H

#include "html.h"
#include "store.h"
#include "../db/listing.h"

#define LOADS_ROWS 50		/* rows of a page */
#define LOADS_ROWS_MAX 500

/* The filter asked for, as the page shows it again in its form. */
struct loads_query {
	struct listing_filter f;	/* f.station points at station below */
	char station[POTW_STATION_ID_MAX + 1];
	char sampled[4], meter[4];	/* "yes", "no", "" */
	int rows;			/* rows of a page: LOADS_ROWS unless n= says */
	char bad[16];			/* the first parameter refused, "" none */
};

/* Read query (what followed '?', NULL for none) into *q (zeroed here):
 * from, to (YYYY-MM-DD, from not after to), station (an id), hauler (a
 * number), waste (a waste code), decision (accepted, refused,
 * sample-hold), sampled and meter (yes, no), town, q (the free text, at
 * most LISTING_TEXT_MAX characters), after (a page's key, as
 * loads_query_key() writes it), n (rows of a page, 1 to LOADS_ROWS_MAX);
 * an empty value is no filter, an unknown
 * parameter is ignored (lang).  confidential: the reader may see
 * confidential fields (f.confidential).  The filter is newest first and
 * wide.  0, or -1 with q->bad naming the parameter refused. */
int loads_query_parse(const char *query, int confidential, struct loads_query *q);

/* The key of a row ("1790000000.north-01.12": decided, station, load
 * number) into out[cap], and back.  0 or -1. */
int loads_query_key(const struct listing_key *k, char *out, size_t cap);
int loads_query_key_parse(const char *s, struct listing_key *k);

/* path and q's filter as a URL ("/loads.csv?from=2026-11-01&waste=grease"),
 * every value escaped (html_url_arg()), and after it the key after (NULL:
 * none), into h as an attribute's value. */
void loads_query_url(struct html *h, const char *path, const struct loads_query *q,
		     const struct listing_key *after);

#endif
