/* loads_query.c: the loads pages' filter read from a query string, and
 * written again as a link (potw/loads_query.h).
 *
 * Every parameter is checked here, the way the page says it: a date, a
 * station id, a number, a code of a list, text of a bounded length with
 * no control or invisible character (core/text.h's text_check()).  The
 * values end in db/listing.c's filter, which binds them as parameters: no
 * value is ever spelled into SQL.  Start reading at loads_query_parse(). */
#include <stdio.h>
#include <string.h>

#include "loads_query.h"
#include "../core/manifest.h"
#include "../core/policy.h"
#include "../core/text.h"

/* The value of name in query into out[cap]: 1 there and not empty, 0 not
 * there or empty, -1 bad (an escape, a NUL, too long). */
static int arg(const char *query, const char *name, char *out, size_t cap)
{
	int r;

	out[0] = '\0';
	if (!query)
		return 0;
	r = html_form_get(query, strlen(query), name, out, cap);
	if (r == 1)
		text_trim(out);
	return r < 0 ? -1 : out[0] != '\0';
}

static int refuse(struct loads_query *q, const char *name)
{
	snprintf(q->bad, sizeof q->bad, "%s", name);
	return -1;
}

static int date_arg(const char *query, const char *name, char *out, size_t cap,
		    struct loads_query *q)
{
	int y, m, d, r = arg(query, name, out, cap);

	if (r < 0 || (r && text_parse_date(out, &y, &m, &d) < 0))
		return refuse(q, name);
	return 0;
}

/* yes / no into *v (1 / -1) and word */
static int yes_no(const char *query, const char *name, char word[4], int *v,
		  struct loads_query *q)
{
	int r = arg(query, name, word, 4);

	*v = 0;
	if (r < 0)
		return refuse(q, name);
	if (r && !strcmp(word, "yes"))
		*v = 1;
	else if (r && !strcmp(word, "no"))
		*v = -1;
	else if (r)
		return refuse(q, name);
	return 0;
}

int loads_query_parse(const char *query, int confidential, struct loads_query *q)
{
	struct listing_filter *f = &q->f;
	char num[24], key[80];
	long n;
	int r;

	memset(q, 0, sizeof *q);
	f->newest = 1;
	f->wide = 1;
	f->confidential = confidential;
	if (date_arg(query, "from", f->from, sizeof f->from, q) ||
	    date_arg(query, "to", f->to, sizeof f->to, q))
		return -1;
	if (f->from[0] && f->to[0] && strcmp(f->from, f->to) > 0)
		return refuse(q, "to");
	r = arg(query, "station", q->station, sizeof q->station);
	if (r < 0 || (r && !potw_station_id_ok(q->station)))
		return refuse(q, "station");
	f->station = q->station;
	r = arg(query, "hauler", num, sizeof num);
	if (r < 0 || (r && text_parse_long(num, 1, 999999999L, &n) < 0))
		return refuse(q, "hauler");
	f->hauler_id = r ? n : 0;
	r = arg(query, "waste", f->waste, sizeof f->waste);
	if (r < 0 || (r && waste_parse(f->waste) == WASTE_NONE))
		return refuse(q, "waste");
	r = arg(query, "decision", f->verdict, sizeof f->verdict);
	if (r < 0 || (r && verdict_parse(f->verdict) == VERDICT_NONE))
		return refuse(q, "decision");
	if (yes_no(query, "sampled", q->sampled, &f->sampled, q) ||
	    yes_no(query, "meter", q->meter, &f->meter, q))
		return -1;
	r = arg(query, "town", f->town, sizeof f->town);
	if (r < 0 || (r && text_check(f->town, LIM_TOWN, 0) != TEXT_OK))
		return refuse(q, "town");
	r = arg(query, "q", f->text, sizeof f->text);
	if (r < 0 || (r && text_check(f->text, LISTING_TEXT_MAX, 0) != TEXT_OK))
		return refuse(q, "q");
	r = arg(query, "n", num, sizeof num);
	if (r < 0 || (r && text_parse_long(num, 1, LOADS_ROWS_MAX, &n) < 0))
		return refuse(q, "n");
	q->rows = r ? (int)n : LOADS_ROWS;
	r = arg(query, "after", key, sizeof key);
	if (r < 0 || (r && loads_query_key_parse(key, &f->after) < 0))
		return refuse(q, "after");
	return 0;
}

int loads_query_key(const struct listing_key *k, char *out, size_t cap)
{
	int n = snprintf(out, cap, "%lld.%s.%lld", (long long)k->decided, k->station, k->load_no);

	return n < 0 || (size_t)n >= cap ? -1 : 0;
}

int loads_query_key_parse(const char *s, struct listing_key *k)
{
	const char *a = strchr(s, '.'), *b = a ? strrchr(s, '.') : NULL;
	char part[32];
	long n;

	memset(k, 0, sizeof *k);
	if (!a || b == a || (size_t)(a - s) >= sizeof part || (size_t)(b - a - 1) >= sizeof k->station)
		return -1;
	snprintf(part, sizeof part, "%.*s", (int)(a - s), s);
	if (text_parse_long(part, 1, 999999999999L, &n) < 0)
		return -1;
	k->decided = n;
	snprintf(k->station, sizeof k->station, "%.*s", (int)(b - a - 1), a + 1);
	if (!potw_station_id_ok(k->station) || text_parse_long(b + 1, 1, 999999999999L, &n) < 0)
		return -1;
	k->load_no = n;
	return 0;
}

static void put(struct html *h, int *first, const char *name, const char *value)
{
	if (!value || !value[0])
		return;
	html_raw(h, *first ? "?" : "&amp;");
	*first = 0;
	html_raw(h, name);
	html_raw(h, "=");
	html_url_arg(h, value);
}

void loads_query_url(struct html *h, const char *path, const struct loads_query *q,
		     const struct listing_key *after)
{
	const struct listing_filter *f = &q->f;
	char num[24], key[80];
	int first = 1;

	html_attr(h, path);
	put(h, &first, "from", f->from);
	put(h, &first, "to", f->to);
	put(h, &first, "station", q->station);
	num[0] = '\0';
	if (f->hauler_id)
		snprintf(num, sizeof num, "%lld", f->hauler_id);
	put(h, &first, "hauler", num);
	put(h, &first, "waste", f->waste);
	put(h, &first, "decision", f->verdict);
	put(h, &first, "sampled", q->sampled);
	put(h, &first, "meter", q->meter);
	put(h, &first, "town", f->town);
	put(h, &first, "q", f->text);
	num[0] = '\0';
	if (q->rows && q->rows != LOADS_ROWS)
		snprintf(num, sizeof num, "%d", q->rows);
	put(h, &first, "n", num);
	if (after && loads_query_key(after, key, sizeof key) == 0)
		put(h, &first, "after", key);
}
