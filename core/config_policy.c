/* config_policy.c: the keys of station.ini the plant may set, checked and
 * laid over a station's own values by station.ini's own parser.
 *
 * A value from the plant is never parsed by code of its own: it becomes
 * the two lines "[section]\nkey = value\n" and goes through config_parse()
 * over the configuration it changes (config_defaults() when it is only
 * checked), so the plant refuses exactly what station.ini would refuse,
 * with the same words, and a station reads it exactly as it reads its
 * file.  A line break inside a value would make a second key: values with
 * control characters are refused before, and so are values with an inline
 * comment (" ;"), which the reader would cut off.  Which keys: every one of [hours],
 * [policy] and [sampling], and [sync] offline_waste_types; the rest
 * (the station's id, its paths and devices, the session's limits, the
 * plant's address and keys) stays the station's own.  Start reading at
 * config_policy_overlay(). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_int.h"
#include "config_policy.h"
#include "report.h"
#include "text.h"

/* Is k a key the plant may set? */
static int policy_key(const struct key *k)
{
	return strcmp(k->section, "hours") == 0 || strcmp(k->section, "policy") == 0 ||
	       strcmp(k->section, "sampling") == 0 ||
	       (strcmp(k->section, "sync") == 0 && strcmp(k->name, "offline_waste_types") == 0);
}

static const struct key *find(const char *section, const char *name)
{
	const struct key *k;

	for (size_t i = 0; (k = cfg_key_at(i)) != NULL; i++)
		if (strcmp(k->section, section) == 0 && strcmp(k->name, name) == 0)
			return k;
	return NULL;
}

int config_policy_key_at(int i, const char **section, const char **key)
{
	const struct key *k;
	int n = 0;

	for (size_t j = 0; (k = cfg_key_at(j)) != NULL; j++) {
		if (!policy_key(k))
			continue;
		if (n++ == i) {
			*section = k->section;
			*key = k->name;
			return HG_OK;
		}
	}
	return HG_ENOTFOUND;
}

int config_policy_known(const char *section, const char *key)
{
	const struct key *k = section && key ? find(section, key) : NULL;

	return k && policy_key(k);
}

#define POLICY_KEYS "hours.*, policy.*, sampling.* and sync.offline_waste_types"

int config_policy_split(const char *dotted, char section[CFG_POLICY_SECTION],
			char key[CFG_POLICY_KEY])
{
	const char *dot = dotted ? strchr(dotted, '.') : NULL;
	const struct key *k;
	size_t sl;

	if (!dot || dot == dotted || !dot[1] || (sl = (size_t)(dot - dotted)) >= CFG_POLICY_SECTION ||
	    strlen(dot + 1) >= CFG_POLICY_KEY)
		return hg_fail(HG_EINVAL, "'%.60s' is not SECTION.KEY, a key of station.ini such "
			       "as hours.mon or policy.waste_types", dotted ? dotted : "");
	memcpy(section, dotted, sl);
	section[sl] = '\0';
	snprintf(key, CFG_POLICY_KEY, "%s", dot + 1);
	k = find(section, key);
	if (!k)
		return hg_fail(HG_EINVAL, "'%s' is not a key of station.ini (docs/CONFIG.md); the "
			       "plant sets " POLICY_KEYS, dotted);
	if (!policy_key(k))
		return hg_fail(HG_EINVAL, "'%s' is the station's own (station.ini), not policy: "
			       "the plant sets " POLICY_KEYS, dotted);
	return HG_OK;
}

int config_policy_scope(const char *scope)
{
	size_t n = scope ? strlen(scope) : 0;

	if (n == 1 && scope[0] == '*')
		return HG_OK;
	for (size_t i = 0; i < n; i++) {
		char c = scope[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-'))
			n = 0;
	}
	if (n < 1 || n > 31)
		return hg_fail(HG_EINVAL, "'%.40s' is not a station id (1 to 31 letters, digits "
			       "or '-') nor '*' (all stations)", scope ? scope : "");
	return HG_OK;
}

#define WRAP_AT 120	/* a list's line is cut after a comma past this: inih reads 197 */

/* section.key = value as the lines of a station.ini into out[cap] (at
 * least 2 * strlen(value) + the names + 16): a list longer than a line
 * goes on over indented lines, cut after a comma, as a person would write
 * it.  Returns the text's length. */
static int ini_text(const struct key *k, const char *section, const char *value, char *out,
		    size_t cap)
{
	const struct cfg_kind *kind = cfg_kind(k->kind);
	int n = snprintf(out, cap, "[%s]\n%s = ", section, k->name);
	size_t len = (size_t)n, line = strlen(k->name) + 3;

	for (const char *p = value; *p; p++) {
		out[len++] = *p;
		line++;
		if (*p == ',' && kind && kind->list && line > WRAP_AT && p[1]) {
			memcpy(out + len, "\n  ", 3);
			len += 3;
			line = 2;
		}
	}
	out[len++] = '\n';
	out[len] = '\0';
	return (int)len;
}

int config_policy_apply(struct config *cfg, const char *section, const char *key,
			const char *value, char *why, size_t cap)
{
	struct config_errors *errs;
	struct config *c;
	char *text;
	size_t len;
	int rc, n;

	why[0] = '\0';
	if (!config_policy_known(section, key)) {
		snprintf(why, cap, "[%s] %s: not a key the plant may set", section ? section : "",
			 key ? key : "");
		return HG_EINVAL;
	}
	if (!value || strlen(value) >= CFG_POLICY_VALUE ||
	    text_check(value, CFG_POLICY_VALUE - 1, 0) != TEXT_OK) {
		snprintf(why, cap, "[%s] %s: must be text on one line without control characters, "
			 "at most %d bytes", section, key, CFG_POLICY_VALUE - 1);
		return HG_EINVAL;
	}
	for (const char *p = strchr(value, ';'); p; p = strchr(p + 1, ';'))
		if (p > value && (p[-1] == ' ' || p[-1] == '\t')) {
			/* inih would cut the value there: what is kept must be what is read */
			snprintf(why, cap, "[%s] %s: must not hold a comment (' ;' and what follows)",
				 section, key);
			return HG_EINVAL;
		}
	len = strlen(section) + strlen(key) + 2 * strlen(value) + 16;
	text = malloc(len);
	c = malloc(sizeof *c);
	errs = calloc(1, sizeof *errs);
	if (!text || !c || !errs) {
		rc = HG_ENOMEM;
		snprintf(why, cap, "out of memory");
		goto done;
	}
	n = ini_text(find(section, key), section, value, text, len);
	*c = *cfg;
	rc = config_parse(c, text, (size_t)n, NULL, NULL, errs);
	c->station_id_line = cfg->station_id_line;	/* of station.ini, not of these lines */
	if (rc == HG_OK)
		*cfg = *c;
	else
		snprintf(why, cap, "%s", errs->n ? errs->e[0].msg : "not a value station.ini takes");
done:
	free(text);
	free(c);
	free(errs);
	return rc;
}

int config_policy_check(const char *section, const char *key, const char *value)
{
	struct config *c = malloc(sizeof *c);
	char why[200];
	int rc;

	if (!c)
		return hg_fail(HG_ENOMEM, "out of memory");
	config_defaults(c);
	rc = config_policy_apply(c, section, key, value, why, sizeof why);
	free(c);
	if (rc)
		return hg_fail(rc, "%s", why);
	return HG_OK;
}

/* ---- a value as station.ini writes it ---- */

static void put(char *out, size_t cap, size_t *len, const char *s)
{
	int n = snprintf(out + *len, cap - *len, "%s%s", *len ? ", " : "", s);

	if (n > 0 && (size_t)n < cap - *len)
		*len += (size_t)n;
}

static void waste_list(unsigned mask, char *out, size_t cap)
{
	size_t len = 0;

	out[0] = '\0';
	for (int w = WASTE_NONE + 1; w < WASTE_COUNT; w++)
		if (mask & (1u << w) && waste_code((enum waste_type)w))
			put(out, cap, &len, waste_code((enum waste_type)w));
}

int config_policy_format(const struct config *cfg, const char *section, const char *key,
			 char *out, size_t cap)
{
	const struct key *k = config_policy_known(section, key) ? find(section, key) : NULL;
	const void *f = k ? (const char *)cfg + k->off : NULL;
	size_t len = 0;

	out[0] = '\0';
	if (!k)
		return HG_EINVAL;
	switch (k->kind) {
	case K_HOURS: {
		const struct cfg_hours *h = &cfg->hours[k->min];

		if (h->open == 0 && h->close == 0)
			snprintf(out, cap, "closed");
		else
			snprintf(out, cap, "%02d:%02d-%02d:%02d", h->open / 60, h->open % 60,
				 h->close / 60, h->close % 60);
		break;
	}
	case K_CLOSED:
		for (int i = 0; i < cfg->n_closed && i < CFG_MAX_CLOSED; i++)
			put(out, cap, &len, cfg->closed[i]);
		break;
	case K_AREA:
		for (int i = 0; i < cfg->n_area && i < CFG_MAX_AREA; i++)
			put(out, cap, &len, cfg->area[i]);
		break;
	case K_INDUSTRY:
		for (int i = 0; i < cfg->n_industries && i < CFG_MAX_INDUSTRIES; i++)
			put(out, cap, &len, cfg->industries[i]);
		break;
	case K_WASTE:
	case K_WASTE_SAMPLE:
		waste_list(*(const unsigned *)f, out, cap);
		break;
	case K_NO_ANALYSIS:
		snprintf(out, cap, "%s", *(const int *)f ? "sample" : "refuse");
		break;
	case K_RCRA:
		snprintf(out, cap, "refuse");
		break;
	case K_BOOL:
		snprintf(out, cap, "%s", *(const int *)f ? "yes" : "no");
		break;
	case K_INT:
		snprintf(out, cap, "%d", *(const int *)f);
		break;
	case K_LONG:
		snprintf(out, cap, "%ld", *(const long *)f);
		break;
	case K_RATE:
		snprintf(out, cap, "%g%%", *(const double *)f * 100.0);
		break;
	default:
		return HG_EINVAL;	/* a policy key of a kind not written here: a bug */
	}
	return HG_OK;
}

/* ---- the plant's values over station.ini ---- */

int config_policy_overlay(struct config *cfg, const char *station_id,
			  struct cfg_policy_row *rows, int n)
{
	int refused = 0;

	for (int i = 0; i < n; i++)
		rows[i].used = CFG_USED_OTHER;
	/* pass 0: the values for all stations; pass 1: this station's, over them */
	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; i < n; i++) {
			struct cfg_policy_row *r = &rows[i];
			int all = strcmp(r->scope, CFG_POLICY_ALL) == 0;

			if (pass == 0 ? !all : (all || strcmp(r->scope, station_id) != 0))
				continue;
			r->why[0] = '\0';
			if (config_policy_apply(cfg, r->section, r->key, r->value, r->why,
						sizeof r->why) != HG_OK) {
				r->used = CFG_USED_REFUSED;
				refused++;
				continue;
			}
			r->used = CFG_USED_APPLIED;
			for (int j = 0; pass == 1 && j < n; j++)
				if (rows[j].used == CFG_USED_APPLIED &&
				    strcmp(rows[j].scope, CFG_POLICY_ALL) == 0 &&
				    strcmp(rows[j].section, r->section) == 0 &&
				    strcmp(rows[j].key, r->key) == 0)
					rows[j].used = CFG_USED_OVERRIDDEN;
		}
	}
	return refused;
}
