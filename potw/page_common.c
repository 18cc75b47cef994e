/* page_common.c: what the record pages share (web_int.h): table headers
 * and cells that fold on a phone, query values, the plant's day and day
 * arithmetic.  Nothing here writes data unescaped: every value goes
 * through potw/html.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "web_int.h"
#include "../host/cmdline.h"
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

void web_load_rows(struct html *h, const struct web_req *rq, const struct table *t,
		   const char *verdict, int vcol, const struct web_load_col *cols, int n)
{
	char key[64], path[POTW_STATION_ID_MAX + 40];
	const char *v;
	int r, c;

	web_th(h, rq, "web.loads.station");
	web_th(h, rq, "web.loads.load");
	for (c = 0; c < n; c++)
		web_th(h, rq, cols[c].key);
	html_raw(h, "</tr></thead>\n<tbody>\n");
	for (r = 0; r < table_rows(t); r++) {
		if (verdict && strcmp(table_cell(t, r, vcol), verdict))
			continue;
		web_td_open(h, rq, NULL, "web.loads.station");
		html_txt(h, table_cell(t, r, 0));
		web_td_next(h, rq, "num", "web.loads.load");
		html_raw(h, "<a href=\"");
		html_attr(h, web_load_path(table_cell(t, r, 0), atoll(table_cell(t, r, 1)), path,
					   sizeof path));
		html_raw(h, "\">");
		html_txt(h, table_cell(t, r, 1));
		html_raw(h, "</a>");
		for (c = 0; c < n; c++) {
			web_td_next(h, rq, cols[c].cls, cols[c].key);
			v = table_cell(t, r, cols[c].col);
			if (cols[c].codes) {
				snprintf(key, sizeof key, "%s%s", cols[c].codes, v);
				v = web_t(rq, key);
			}
			html_txt(h, v);
		}
		html_raw(h, "</td></tr>\n");
	}
	html_raw(h, "</tbody>\n</table></div>\n");
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

int web_form_args(const struct web_req *rq, const struct cli_opt *spec, struct cli_args *a,
		  char vals[][WEB_FIELD_MAX])
{
	int i;

	memset(a, 0, sizeof *a);
	a->spec = spec;
	for (i = 0; spec[i].name && i < CLI_MAX_OPTS; i++) {
		if (!spec[i].arg)
			continue;
		if (html_form_get(rq->body, rq->len, spec[i].name, vals[i], WEB_FIELD_MAX) == -1)
			return cli_error("--%s: not a form value we can read", spec[i].name);
		if (vals[i][0])
			a->val[i] = vals[i];
	}
	return 0;
}

void web_refusal(struct html *h, const struct web_req *rq, const char *lead_key,
		 const char *words)
{
	html_raw(h, "<p class=\"msg alarm\" role=\"alert\" id=\"why\">");
	html_txt(h, web_t(rq, lead_key));
	html_raw(h, " <span lang=\"en\">");
	html_txt(h, words);
	html_raw(h, "</span></p>\n");
}
