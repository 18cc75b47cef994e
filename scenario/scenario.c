/* scenario.c: runs a scenario file through a real station (core, store,
 * simulated drivers), prints one JSON line per action, and checks expects.
 *
 * The language is in scenario/scenario.h and docs/SCENARIOS.md.  The clocks
 * are the scenario's own: the wall clock starts at the real time and the
 * monotonic one at SCN_MONO0; `clock` sets the time (both clocks move
 * together, no step), `wait` moves both on one second (one tick) at a time,
 * so timeouts fire exactly as they would at the gate, and `wallclock` steps
 * the wall clock alone, as NTP does.  Start reading at scenario_run_file(). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cJSON.h>
#include "scenario.h"
#include "../core/report.h"
#include "../core/text.h"
#include "../drivers/drv.h"
#include "../drivers/meter.h"

int scenario_parse_line(const char *line, int lineno, struct scn_line *out)
{
	const char *p = line;
	char *o = out->buf;
	char *end = out->buf + sizeof out->buf;	/* words and their NULs fit in buf */

	out->lineno = lineno;
	out->n = 0;
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			p++;
		if (!*p || *p == '#')
			return HG_OK;
		if (out->n >= SCN_MAX_WORDS)
			return HG_EINVAL;
		out->w[out->n++] = o;
		if (*p == '"') {
			p++;
			while (*p && *p != '"') {
				if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
					p++;
				if (o >= end)
					return HG_ETOOLONG;
				*o++ = *p++;
			}
			if (*p != '"')
				return HG_EINVAL;
			p++;
		} else {
			while (*p && *p != ' ' && *p != '\t' && *p != '\r' && *p != '\n') {
				if (o >= end)
					return HG_ETOOLONG;
				*o++ = *p++;
			}
		}
		if (o >= end)
			return HG_ETOOLONG;
		*o++ = '\0';
	}
}

/* The buttons a scenario may press (docs/SCENARIOS.md, "Screens"): exact
 * ids, and families whose rest is for the station to judge (`truck_9`,
 * `waste_plutonium`: the station answers input_choice).  A button added to
 * the session is added here and to the docs. */
static const char *const buttons[] = {
	"accept", "back", "backspace", "cancel", "certify", "clear", "clear_fault",
	"close_gate", "day_summary", "declare_no", "declare_yes", "done", "edit_details",
	"edit_rcra", "edit_sources", "edit_truck", "edit_volume", "edit_waste", "exit",
	"flag_next", "keep_industry", "new_source", "next", "ok", "open_gate", "other_industry",
	"other_town", "repeat_last", "reprint", "reprint_kept", "rv", "sample_waiting", "save", "start", "still_here", "stop",
};
static const char *const button_families[] = {
	"edit_source_", "industry_", "known_", "lang_", "rcra_", "remove_source_", "town_",
	"truck_", "waste_",
};

/* The fields `field` may set, and `focus_<field>` focus (docs/SCENARIOS.md). */
static const char *const fields[] = {
	"bottle", "characteristics", "constituents", "gallons", "reason", "rv_name",
	"rv_plate", "rv_state", "signer", "source_address", "source_industry", "source_name",
	"source_town",
};

static int in_list(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(s, list[i]) == 0)
			return 1;
	return 0;
}

int scenario_field_known(const char *name)
{
	return in_list(name, fields, HG_ARRAY_LEN(fields));
}

int scenario_button_known(const char *id)
{
	if (in_list(id, buttons, HG_ARRAY_LEN(buttons)))
		return 1;
	if (strncmp(id, "focus_", 6) == 0)
		return scenario_field_known(id + 6);
	for (size_t i = 0; i < HG_ARRAY_LEN(button_families); i++) {
		size_t n = strlen(button_families[i]);

		if (strncmp(id, button_families[i], n) == 0 && id[n] != '\0')
			return 1;
	}
	return 0;
}

void scenario_watch(void *ctx, const struct action *a, int result, const struct session *f)
{
	struct scn_state *r = ctx;
	cJSON *o = cJSON_CreateObject();
	char t[21], *line;

	if (!o)
		return;
	text_time_iso(r->now, t);
	cJSON_AddNumberToObject(o, "line", r->lineno);
	cJSON_AddStringToObject(o, "t", t);
	cJSON_AddStringToObject(o, "action", act_code(a->kind));
	switch (a->kind) {
	case ACT_SHOW:
		cJSON_AddStringToObject(o, "screen", screen_id(a->screen));
		cJSON_AddStringToObject(o, "lang", i18n_lang_code(f->lang));
		break;
	case ACT_MESSAGE:
		cJSON_AddStringToObject(o, "reason", reason_code(a->reason));
		cJSON_AddStringToObject(o, "text", i18n_msg(a->reason, f->lang));
		r->last_message = a->reason;
		break;
	case ACT_RELAY:
		cJSON_AddStringToObject(o, "relay", a->name);
		cJSON_AddStringToObject(o, "state", relay_word(a->name, a->on));
		break;
	case ACT_LOG:
	case ACT_PIN_STATE: {
		cJSON *d = cJSON_Parse(a->detail);
		cJSON_AddStringToObject(o, "event", a->event);
		if (d)
			cJSON_AddItemToObject(o, "detail", d);
		break;
	}
	case ACT_COMMIT_LOAD: {
		char codes[512];
		cJSON_AddNumberToObject(o, "load", (double)f->load.load_no);
		cJSON_AddStringToObject(o, "decision", verdict_code(f->load.d.verdict));
		policy_codes(f->load.d.refuse, f->load.d.n_refuse, codes, sizeof codes);
		cJSON_AddStringToObject(o, "refuse", codes);
		policy_codes(f->load.d.sample, f->load.d.n_sample, codes, sizeof codes);
		cJSON_AddStringToObject(o, "sample", codes);
		break;
	}
	case ACT_COMMIT_RV:
		cJSON_AddNumberToObject(o, "visit", (double)f->rv.id);
		cJSON_AddBoolToObject(o, "declared", f->rv.declared != 0);
		break;
	case ACT_SAMPLE:
		cJSON_AddNumberToObject(o, "load", (double)f->load.load_no);
		cJSON_AddStringToObject(o, "bottle", f->load.bottle);
		break;
	case ACT_SAMPLE_ABANDONED:
		cJSON_AddNumberToObject(o, "load", (double)a->id);
		cJSON_AddStringToObject(o, "why", a->detail);
		break;
	case ACT_DISCHARGE:
		cJSON_AddNumberToObject(o, "load", (double)(a->on ? f->load.load_no : a->id));
		cJSON_AddStringToObject(o, "state", a->on ? "started" : "ended");
		if (!a->on) {
			cJSON_AddNumberToObject(o, "measured", (double)a->gallons);
			cJSON_AddStringToObject(o, "meter", a->reason ? reason_code(a->reason) : "");
			r->measured = a->gallons;
			r->meter_flag = a->reason;
			r->seen_discharge_end = 1;
		}
		break;
	case ACT_PRINT:
		cJSON_AddStringToObject(o, "kind", print_kind_code(a->print));
		cJSON_AddBoolToObject(o, "copy", a->copy);
		if (result == HG_OK && (unsigned)a->print < PRINT_KIND_COUNT)
			r->printed[a->print]++;
		break;
	default:
		break;
	}
	if (result != HG_OK)
		cJSON_AddNumberToObject(o, "error", result);
	line = r->out ? cJSON_PrintUnformatted(o) : NULL;
	if (line) {
		fprintf(r->out, "%s\n", line);
		free(line);
	}
	cJSON_Delete(o);
}

static int has_reason(const struct decision *d, enum reason want)
{
	for (int i = 0; i < d->n_refuse; i++)
		if (d->refuse[i] == want)
			return 1;
	for (int i = 0; i < d->n_sample; i++)
		if (d->sample[i] == want)
			return 1;
	return 0;
}

/* One expect line.  Returns 0 held, 1 failed, 2 syntax (hg_fail(): why). */
static int expect(struct station *s, struct scn_state *r, const struct scn_line *l)
{
	const struct session *f = station_session(s);
	const char *what = l->n > 1 ? l->w[1] : "";

	if (strcmp(what, "screen") == 0 && l->n == 3) {
		if (screen_parse(l->w[2]) < 0)
			return hg_fail(2, "line %d: no screen called '%s'", l->lineno, l->w[2]);
		if (strcmp(screen_id(f->screen), l->w[2]) == 0)
			return 0;
		return hg_fail(1, "line %d: expected screen %s, got %s", l->lineno, l->w[2],
			       screen_id(f->screen));
	}
	if (strcmp(what, "decision") == 0 && (l->n == 3 || l->n == 4)) {
		enum verdict v = verdict_parse(l->w[2]);
		enum reason want = l->n == 4 ? reason_parse(l->w[3]) : R_NONE;
		char codes[512], more[512];

		if (v == VERDICT_NONE || (l->n == 4 && want == R_NONE))
			return hg_fail(2, "line %d: unknown decision or reason code", l->lineno);
		if (!r->seen_decision)
			return hg_fail(1, "line %d: expected decision %s, but no decision was taken",
				       l->lineno, l->w[2]);
		policy_codes(r->decision.refuse, r->decision.n_refuse, codes, sizeof codes);
		policy_codes(r->decision.sample, r->decision.n_sample, more, sizeof more);
		if (r->decision.verdict == v && (want == R_NONE || has_reason(&r->decision, want)))
			return 0;
		return hg_fail(1, "line %d: expected decision %s%s%s, got %s (refuse: %s; sample: %s)",
			       l->lineno, l->w[2], l->n == 4 ? " " : "", l->n == 4 ? l->w[3] : "",
			       verdict_code(r->decision.verdict), codes[0] ? codes : "-",
			       more[0] ? more : "-");
	}
	if (strcmp(what, "relay") == 0 && l->n == 4) {
		int want = relay_word_parse(l->w[2], l->w[3]), on;

		if (want < 0)
			return hg_fail(2, "line %d: '%s' is not a state of relay %s", l->lineno,
				       l->w[3], l->w[2]);
		if (station_relay_get(s, l->w[2], &on) != HG_OK)
			return hg_fail(1, "line %d: cannot read relay %s", l->lineno, l->w[2]);
		if (on == want)
			return 0;
		return hg_fail(1, "line %d: expected relay %s %s, got %s", l->lineno, l->w[2],
			       l->w[3], relay_word(l->w[2], on));
	}
	if (strcmp(what, "printed") == 0 && l->n == 3) {
		int k = print_kind_parse(l->w[2]);

		if (k < 0)
			return hg_fail(2, "line %d: unknown slip '%s'", l->lineno, l->w[2]);
		if (r->printed[k] > 0) {
			r->printed[k]--;
			return 0;
		}
		return hg_fail(1, "line %d: expected a %s to be printed, none was", l->lineno,
			       l->w[2]);
	}
	if (strcmp(what, "message") == 0 && l->n == 3) {
		enum reason want = reason_parse(l->w[2]);

		if (want == R_NONE)
			return hg_fail(2, "line %d: unknown reason code '%s'", l->lineno, l->w[2]);
		if (r->last_message == want)
			return 0;
		return hg_fail(1, "line %d: expected message %s, got %s", l->lineno, l->w[2],
			       r->last_message ? reason_code(r->last_message) : "none");
	}
	if (strcmp(what, "measured") == 0 && l->n == 3) {
		long want, got = f->screen == SCR_DISCHARGING ? f->load.gallons_measured : r->measured;

		if (text_parse_long(l->w[2], 0, 100000000, &want) != HG_OK)
			return hg_fail(2, "line %d: '%s' is not a number of gallons", l->lineno, l->w[2]);
		if (f->screen != SCR_DISCHARGING && !r->seen_discharge_end)
			return hg_fail(1, "line %d: expected %ld gallons measured, but no discharge "
				       "ended yet", l->lineno, want);
		if (got == want)
			return 0;
		return hg_fail(1, "line %d: expected %ld gallons measured, got %ld", l->lineno, want,
			       got);
	}
	if (strcmp(what, "meter") == 0 && l->n == 3) {
		enum reason want = strcmp(l->w[2], "ok") == 0 ? R_NONE : reason_parse(l->w[2]);

		if (strcmp(l->w[2], "ok") != 0 && want != R_METER_MISMATCH && want != R_METER_FAILED)
			return hg_fail(2, "line %d: expect meter ok, meter_mismatch or meter_failed",
				       l->lineno);
		if (!r->seen_discharge_end)
			return hg_fail(1, "line %d: expected meter %s, but no discharge ended yet",
				       l->lineno, l->w[2]);
		if (r->meter_flag == want)
			return 0;
		return hg_fail(1, "line %d: expected meter %s, got %s", l->lineno, l->w[2],
			       r->meter_flag ? reason_code(r->meter_flag) : "ok");
	}
	return hg_fail(2, "line %d: expect what? (screen, decision, relay, printed, message, "
		       "measured, meter)", l->lineno);
}

/* `synced <-duration|ISO time|never>`: the station's last successful sync
 * round with the plant was then (a duration before the scenario's clock, up
 * to 10 years), or never: sync_state as `haulgate sync run` leaves it, the
 * plant holding every event of the log then.  The station reads it at the
 * next card (its offline rule, core/policy.c policy_offline_waste()). */
static int set_synced(struct station *s, struct scn_state *r, const struct scn_line *l)
{
	const char *w = l->w[1];
	struct sync_state st;
	long long size = 0;
	uint8_t head[32];
	hg_time t = 0;
	long secs;
	int rc;

	if (strcmp(w, "never") == 0)
		t = 0;
	else if (w[0] == '-') {
		if (text_parse_duration(w + 1, &secs) != HG_OK || secs > 3650L * 86400)
			return hg_fail(2, "line %d: synced takes -<duration> such as -31d (up to "
				       "10 years), an ISO time or never, not '%.40s'", l->lineno, w);
		t = r->now - secs;
	} else if (text_parse_time(w, &t) != HG_OK || t <= 0)
		return hg_fail(2, "line %d: synced takes -<duration> such as -31d (up to 10 "
			       "years), an ISO time or never, not '%.40s'", l->lineno, w);
	rc = store_sync_get(station_store(s), &st);
	if (rc == HG_OK)
		rc = store_event_head(station_store(s), &size, head);
	if (rc != HG_OK)
		return hg_fail(1, "line %d: cannot read the sync state: %s", l->lineno,
			       hg_error_text());
	st.last_success = t;
	st.last_attempt = t;
	st.last_error[0] = '\0';
	st.plant_size = t ? size : 0;
	rc = store_sync_set(station_store(s), &st);
	if (rc != HG_OK)
		return hg_fail(1, "line %d: cannot write the sync state: %s", l->lineno,
			       hg_error_text());
	return 0;
}

/* `meter <gallons>` / `meter fail`: set the simulated meter's totaliser, or
 * make it answer nonsense (the file then holds no number). */
static int set_meter(struct station *s, const struct scn_line *l)
{
	const char *arg = NULL;
	char buf[64];
	int n, fail = strcmp(l->w[1], "fail") == 0;
	long g = 0;

	if (station_meter_ops(s) != &meter_sim_ops ||
	    !drv_scheme_is(station_config(s)->meter, "sim", &arg))
		return hg_fail(2, "line %d: meter needs the simulated meter (meter = sim:...)",
			       l->lineno);
	if (!fail && text_parse_long(l->w[1], 0, 1000000000, &g) != HG_OK)
		return hg_fail(2, "line %d: meter takes whole gallons (0 to 1000000000) or fail, "
			       "not '%.40s'", l->lineno, l->w[1]);
	n = fail ? snprintf(buf, sizeof buf, "not answering\n") : snprintf(buf, sizeof buf, "%ld\n", g);
	if (drv_replace(arg, buf, (size_t)n) != HG_OK)
		return hg_fail(1, "line %d: cannot write the simulated meter '%s'", l->lineno, arg);
	return 0;
}

void scenario_seen(struct station *s, struct scn_state *r)
{
	const struct session *f = station_session(s);

	if (f->load.d.verdict != VERDICT_NONE) {
		r->decision = f->load.d;
		r->seen_decision = 1;
	}
}

static int feed(struct station *s, struct scn_state *r, struct session_event *ev)
{
	int rc;

	ev->now = r->now;
	ev->mono = r->mono;
	rc = station_feed(s, ev);
	scenario_seen(s, r);
	return rc;
}

/* `wallclock -1h` / `wallclock +90s` / `wallclock <ISO time>`: step the wall
 * clock alone, the monotonic one stays (an NTP correction, an operator
 * setting the date); then one tick, in which the station sees the step. */
static int step_wall_clock(struct station *s, struct scn_state *r, const struct scn_line *l)
{
	const char *w = l->w[1];
	struct session_event ev = {.kind = EV_TICK};
	long secs;

	if (w[0] == '+' || w[0] == '-') {
		if (text_parse_duration(w + 1, &secs) != HG_OK || secs > 366L * 86400)
			return hg_fail(2, "line %d: wallclock takes a step such as -1h or +90s (up "
				       "to a year) or an ISO time, not '%.40s'", l->lineno, w);
		r->now += w[0] == '-' ? -secs : secs;
	} else if (text_parse_time(w, &r->now) != HG_OK)
		return hg_fail(2, "line %d: wallclock takes a step such as -1h or +90s (up to a "
			       "year) or an ISO time, not '%.40s'", l->lineno, w);
	feed(s, r, &ev);
	return 0;
}

int scenario_step(struct station *s, struct scn_state *r, const struct scn_line *l)
{
	const char *verb = l->w[0];
	struct session_event ev = {0};

	r->lineno = l->lineno;
	if (strcmp(verb, "clock") == 0 && l->n == 2) {
		hg_time t;

		if (text_parse_time(l->w[1], &t) != HG_OK || t < SCN_CLOCK_MIN || t > SCN_CLOCK_MAX)
			return hg_fail(2, "line %d: '%.40s' is not an ISO time from 1970 to 9999 (UTC)",
				       l->lineno, l->w[1]);
		r->mono += t - r->now;	/* both clocks: the time is set, not stepped */
		r->now = t;
		ev.kind = EV_TICK;
		feed(s, r, &ev);
		return 0;
	}
	if (strcmp(verb, "wait") == 0 && l->n == 2) {
		long secs;

		if (text_parse_duration(l->w[1], &secs) != HG_OK || secs < 0 || secs > 7 * 86400)
			return hg_fail(2, "line %d: '%s' is not a duration (up to 7d)", l->lineno,
				       l->w[1]);
		for (long i = 0; i < secs; i++) {
			r->now++;
			r->mono++;
			memset(&ev, 0, sizeof ev);
			ev.kind = EV_TICK;
			feed(s, r, &ev);
		}
		return 0;
	}
	if (strcmp(verb, "card") == 0 && l->n == 2) {
		char uid[LIM_UID + 1];

		if (text_uid_norm(l->w[1], uid) != HG_OK)
			return hg_fail(2, "line %d: '%.40s' is not a card UID (4, 7 or 10 bytes in hex)",
				       l->lineno, l->w[1]);
		ev.kind = EV_CARD;
		ev.text = uid;
		feed(s, r, &ev);
		return 0;
	}
	if (strcmp(verb, "press") == 0 && l->n == 2) {
		if (!scenario_button_known(l->w[1]))
			return hg_fail(2, "line %d: no button '%.40s' (docs/SCENARIOS.md lists them)",
				       l->lineno, l->w[1]);
		ev.kind = EV_PRESS;
		ev.button = l->w[1];
		feed(s, r, &ev);
		return 0;
	}
	if (strcmp(verb, "type") == 0 && l->n == 2) {
		ev.kind = EV_TYPE;
		ev.text = l->w[1];
		feed(s, r, &ev);
		return 0;
	}
	if (strcmp(verb, "field") == 0 && l->n == 3) {
		if (!scenario_field_known(l->w[1]))
			return hg_fail(2, "line %d: no field '%.40s' (docs/SCENARIOS.md lists them)",
				       l->lineno, l->w[1]);
		ev.kind = EV_FIELD;
		ev.field = l->w[1];
		ev.text = l->w[2];
		feed(s, r, &ev);
		return 0;
	}
	if (strcmp(verb, "fault") == 0 && (l->n == 2 || l->n == 3)) {
		long nth = 1;

		if (l->n == 3 && text_parse_long(l->w[2], 1, 1000000, &nth) != HG_OK)
			return hg_fail(2, "line %d: '%s' is not a count", l->lineno, l->w[2]);
		if ((strcmp(l->w[1], "relay") == 0 || strcmp(l->w[1], "relay-forever") == 0) &&
		    station_relay_ops(s) != &relay_sim_ops) {
			return hg_fail(2, "line %d: fault relay needs the simulated relays (relay = sim:...)",
				       l->lineno);
		} else if (strcmp(l->w[1], "printer") == 0 && station_printer_ops(s) != &printer_file_ops) {
			return hg_fail(2, "line %d: fault printer needs the file printer (printer = file:...)",
				       l->lineno);
		} else if ((strcmp(l->w[1], "meter") == 0 || strcmp(l->w[1], "meter-forever") == 0) &&
			   (station_meter_ops(s) != &meter_sim_ops || !station_meter(s))) {
			return hg_fail(2, "line %d: fault meter needs the simulated meter (meter = sim:...)",
				       l->lineno);
		} else if (strcmp(l->w[1], "relay") == 0) {
			relay_sim_fail(station_relays(s), (int)nth, 0);
		} else if (strcmp(l->w[1], "relay-forever") == 0) {
			relay_sim_fail(station_relays(s), (int)nth, 1);
		} else if (strcmp(l->w[1], "printer") == 0) {
			printer_file_fail(station_printer(s), (int)nth, 0);
		} else if (strcmp(l->w[1], "meter") == 0 || strcmp(l->w[1], "meter-forever") == 0) {
			/* the nth meter read from now: the station reads it each second
			 * (tick) and each press while the valve is open */
			meter_sim_fail(station_meter(s), (int)nth, l->w[1][5] == '-');
		} else if (strcmp(l->w[1], "db") == 0 || strcmp(l->w[1], "db-forever") == 0) {
			/* the nth database commit from now, as on a full disk */
			store_fail_commit(station_store(s), (int)nth, l->w[1][2] == '-');
		} else
			return hg_fail(2, "line %d: fault what? (relay, relay-forever, printer, meter, "
				       "meter-forever, db, db-forever)", l->lineno);
		return 0;
	}
	if (strcmp(verb, "wallclock") == 0 && l->n == 2)
		return step_wall_clock(s, r, l);
	if (strcmp(verb, "expect") == 0)
		return expect(s, r, l);
	if (strcmp(verb, "meter") == 0 && l->n == 2)
		return set_meter(s, l);
	if (strcmp(verb, "synced") == 0 && l->n == 2)
		return set_synced(s, r, l);
	return hg_fail(2, "line %d: unknown command '%.40s' or wrong number of words", l->lineno,
		       verb);
}

#define UTF8_BOM "\xef\xbb\xbf"

/* The bytes of a line without its end ("\n" or "\r\n", or none at the end
 * of the file): what the 8,191-byte limit counts. */
static size_t content_len(const char *line, size_t len)
{
	if (len > 0 && line[len - 1] == '\n')
		len--;
	if (len > 0 && line[len - 1] == '\r')
		len--;
	return len;
}

int scenario_each_line(const char *path, scenario_line_fn fn, void *ctx)
{
	struct scn_line *l;
	char *line = NULL;
	size_t lcap = 0;
	ssize_t len;
	FILE *in;
	int rc = 0, lineno = 0;

	in = fopen(path, "r");
	if (!in)
		return hg_fail(2, "cannot read scenario '%s': %s", path, strerror(errno));
	l = malloc(sizeof *l);
	if (!l) {
		fclose(in);
		return hg_fail(2, "out of memory");
	}
	while (rc == 0 && (len = getline(&line, &lcap, in)) >= 0) {
		const char *text = line;

		lineno++;
		if (lineno == 1 && strncmp(line, UTF8_BOM, 3) == 0) {
			text += 3;	/* a byte-order mark an editor put there */
			len -= 3;
		}
		if ((size_t)len != strlen(text)) {
			rc = hg_fail(2, "line %d: has a NUL byte", lineno);
		} else if (content_len(text, (size_t)len) > SCN_MAX_LINE - 1) {
			rc = hg_fail(2, "line %d: longer than %d bytes", lineno, SCN_MAX_LINE - 1);
		} else if (scenario_parse_line(text, lineno, l) != HG_OK) {
			rc = hg_fail(2, "line %d: cannot be read (unclosed quote, more than %d words "
				     "or longer than %d bytes)", lineno, SCN_MAX_WORDS, SCN_MAX_LINE - 1);
		} else if (l->n > 0) {
			rc = fn(ctx, l);
		}
	}
	free(line);
	free(l);
	fclose(in);
	return rc;
}

struct file_run {
	struct station *s;
	struct scn_state *r;
};

static int file_line(void *ctx, const struct scn_line *l)
{
	struct file_run *fr = ctx;

	return scenario_step(fr->s, fr->r, l);
}

int scenario_run_file(const char *path, const struct config *cfg, struct store *st,
		      const struct keypair *kp, FILE *out)
{
	struct scn_state r = {.out = out, .now = (hg_time)time(NULL), .mono = SCN_MONO0};
	struct file_run fr = {NULL, &r};
	char why[512];
	int rc;

	/* a missing script is found before the station touches its relays */
	if (access(path, R_OK) != 0)
		return hg_fail(2, "cannot read scenario '%s': %s", path, strerror(errno));
	rc = station_open(&fr.s, cfg, st, kp, r.now, r.mono, scenario_watch, &r);
	if (rc)
		return hg_fail(1, "%s", hg_error_text());
	rc = scenario_each_line(path, file_line, &fr);
	/* the words of a failed line outlive whatever closing the station says */
	snprintf(why, sizeof why, "%s", rc ? hg_error_text() : "");
	fflush(out);
	station_close(fr.s, r.now);
	return rc ? hg_fail(rc, "%s", why) : 0;
}
