/* page_common.c: what the record pages share (web_int.h): table headers
 * and cells that fold on a phone, query values, the plant's day and day
 * arithmetic.  Nothing here writes data unescaped: every value goes
 * through potw/html.h. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "web_int.h"
#include "../core/text.h"

void web_th(struct html *h, const struct web_req *rq, const char *key)
{
	html_raw(h, "<th scope=\"col\">");
	html_txt(h, web_t(rq, key));
	html_raw(h, "</th>");
}

void web_td_next(struct html *h, const struct web_req *rq, const char *cls, const char *key)
{
	html_raw(h, "</td>");
	web_td_open(h, rq, cls, key);
}

int web_query(const struct web_req *rq, const char *name, char *out, size_t cap)
{
	int rc;

	out[0] = '\0';
	if (!rq->query)
		return 0;
	rc = html_form_get(rq->query, strlen(rq->query), name, out, cap);
	if (rc != 1)
		out[0] = '\0';
	return rc;
}

void web_local_day(hg_time t, char day[11])
{
	text_date_local(t, day);
}

int web_day_add(const char *day, int n, char out[11])
{
	struct tm tm;
	time_t t;
	int y, m, d;

	if (text_parse_date(day, &y, &m, &d) != HG_OK)
		return -1;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_hour = 12;
	t = timegm(&tm);
	if (t == (time_t)-1)
		return -1;
	t += (time_t)n * 86400;
	if (!gmtime_r(&t, &tm))
		return -1;
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)(tm.tm_year + 1900) % 10000u,
		 (unsigned)(tm.tm_mon + 1) % 100u, (unsigned)tm.tm_mday % 100u);
	return 0;
}

int web_id(const char *s, long long *id)
{
	long long v = 0;
	int n = 0;

	*id = 0;
	if (!s || s[0] < '1' || s[0] > '9')
		return -1;
	for (; *s; s++, n++) {
		if (*s < '0' || *s > '9' || n >= 15)
			return -1;
		v = v * 10 + (*s - '0');
	}
	*id = v;
	return 0;
}

void web_held(struct html *h, const struct web_req *rq, const char *key)
{
	html_raw(h, "<p class=\"msg held\" id=\"held\"><strong>");
	html_txt(h, web_t(rq, "web.holds.under_hold"));
	html_raw(h, "</strong> ");
	html_txt(h, web_t(rq, key));
	html_raw(h, " <a href=\"/holds\">");
	html_txt(h, web_t(rq, "web.holds.title"));
	html_raw(h, "</a></p>\n");
}
