/* session_form.c: the hauler's side of the state machine: the PIN, the
 * manifest form screens (truck, waste, sources and each source's industry
 * and town,
 * volume, details, RCRA, review, certify) and what happens once the load is stored (refused, held
 * for sampling, or on to the discharge).  Part of core/session.c's state
 * machine, split off like core/session_staff.c; the shared helpers are in
 * core/session_int.h.  Start reading at session_begin_hauler(). */
#include <stdio.h>
#include <string.h>
#include "session_int.h"
#include "text.h"

/* "truck_3" with prefix "truck_" gives 3; 0 when it does not match. */
static int indexed(const char *button, const char *prefix)
{
	size_t n = strlen(prefix);
	long v;

	if (strncmp(button, prefix, n) != 0)
		return 0;
	if (text_parse_long(button + n, 1, 99, &v) != HG_OK)
		return 0;
	return (int)v;
}

void session_begin_hauler(struct session *f, const struct config *cfg, const struct card_info *c,
		       hg_time now, struct actions *out)
{
	struct manifest *m = &f->load.m;

	f->kind = SESS_HAULER;
	f->card = *c;
	memset(&f->load, 0, sizeof f->load);
	snprintf(f->load.station, sizeof f->load.station, "%s", cfg->station_id);
	m->hauler_id = c->hauler.id;
	m->card_id = c->card_id;
	memcpy(m->company, c->hauler.company, sizeof m->company);
	memcpy(m->company_address, c->hauler.address, sizeof m->company_address);
	memcpy(m->driver, c->holder, sizeof m->driver);
	memcpy(m->permit, c->hauler.permit, sizeof m->permit);
	f->load.t.card = now;
	f->input[0] = '\0';
	session_show(f, out, SCR_PIN, now);
}

/* Go on from a step of the form: back to review when editing from there. */
static void form_next(struct session *f, enum screen next, hg_time now, struct actions *out)
{
	if (!f->load.t.form)
		f->load.t.form = now;
	if (f->after_edit == SCR_REVIEW)
		next = SCR_REVIEW;
	session_show(f, out, next, now);
}

static int source_equal(const struct source *a, const struct source *b)
{
	return strcmp(a->name, b->name) == 0 && strcmp(a->address, b->address) == 0;
}

void session_scr_pin(struct session *f, const struct config *cfg, const struct session_event *ev,
		  struct actions *out)
{
	int locked;
	enum reason why;

	if (!session_pin_keypad(f, cfg, ev, &f->card, out, &locked)) {
		if (locked) {
			session_logev(out, "session_ended", 0);
			session_end(f, cfg, ev->now, out);
			session_message(f, out, R_PIN_LOCKED);
		}
		return;
	}
	f->load.t.pin = ev->now;
	why = policy_card(cfg, &f->card, ev->now);
	if (why != R_NONE) {
		struct action *a = session_logev(out, "card_refused", 0);
		if (a)
			snprintf(a->detail, sizeof a->detail, "{\"uid\":\"%s\",\"reason\":\"%s\"}",
				 f->card.uid, reason_code(why));
		f->load.d.verdict = VERDICT_REFUSED;
		f->load.d.n_refuse = 1;
		f->load.d.refuse[0] = why;
		session_show(f, out, SCR_REFUSED, ev->now);
		session_message(f, out, why);
		return;
	}
	{
		struct action *a = session_logev(out, "session_started", 0);
		if (a)
			snprintf(a->detail, sizeof a->detail,
				 "{\"uid\":\"%s\",\"hauler\":%lld,\"lang\":\"%s\"}", f->card.uid,
				 f->card.hauler.id, i18n_lang_code(f->lang));
	}
	session_show(f, out, SCR_TRUCK, ev->now);
}

/* The truck of the card's list whose id is id; -1 when it has none. */
static int truck_index(const struct card_info *c, long long id)
{
	for (int i = 0; i < c->n_trucks; i++)
		if (c->trucks[i].id == id)
			return i;
	return -1;
}

static void set_truck(struct session *f, int i)
{
	f->load.m.truck_id = f->card.trucks[i].id;
	memcpy(f->load.m.truck, f->card.trucks[i].ident, sizeof f->load.m.truck);
	f->load.m.truck_capacity = f->card.trucks[i].capacity;
}

int session_repeat_offered(const struct session *f)
{
	const struct manifest *last = &f->card.last;

	return f->kind == SESS_HAULER && f->screen == SCR_TRUCK && f->after_edit != SCR_REVIEW &&
	       !f->load.t.form && f->card.last_load > 0 && truck_index(&f->card, last->truck_id) >= 0 &&
	       last->waste != WASTE_NONE && (f->card.hauler.waste_allowed & (1u << last->waste)) &&
	       last->n_sources > 0 && manifest_sources_have_towns(last) && last->characteristics[0];
}

/* "Same as last time": the card's last accepted load fills the truck, the
 * waste type, the sources, the characteristics and the constituents; the
 * gallons are typed fresh, the RCRA question is asked again, and the
 * certification is signed again (after the review), as on every load. */
static void repeat_last(struct session *f, hg_time now, struct actions *out)
{
	const struct manifest *last = &f->card.last;
	struct manifest *m = &f->load.m;
	struct action *a;

	if (!session_repeat_offered(f)) {
		session_message(f, out, R_INPUT_CHOICE);
		return;
	}
	set_truck(f, truck_index(&f->card, last->truck_id));
	m->waste = last->waste;
	m->n_sources = last->n_sources;
	memcpy(m->sources, last->sources, sizeof m->sources);
	memcpy(m->characteristics, last->characteristics, sizeof m->characteristics);
	memcpy(m->constituents, last->constituents, sizeof m->constituents);
	m->gallons = 0;
	m->rcra = RCRA_UNANSWERED;
	f->repeated = f->card.last_load;
	f->input[0] = '\0';
	a = session_logev(out, "form_repeated", 0);
	if (a)
		snprintf(a->detail, sizeof a->detail, "{\"uid\":\"%s\",\"from_load\":%lld}",
			 f->card.uid, f->repeated);
	form_next(f, SCR_VOLUME, now, out);
}

void session_scr_truck(struct session *f, const struct config *cfg, const struct session_event *ev,
		    struct actions *out)
{
	int i;

	(void)cfg;
	if (ev->kind != EV_PRESS)
		return;
	if (strcmp(ev->button, "repeat_last") == 0) {
		repeat_last(f, ev->now, out);
		return;
	}
	i = indexed(ev->button, "truck_");
	if (i < 1 || i > f->card.n_trucks) {
		session_message(f, out, R_INPUT_CHOICE);
		return;
	}
	set_truck(f, i - 1);
	form_next(f, SCR_WASTE, ev->now, out);
}

/* A screen of choice buttons "<prefix><value>" for one field of the form
 * (waste_septage, rcra_no): set through manifest_set, the form's one door. */
static void choice(struct session *f, const struct session_event *ev, const char *prefix,
		   const char *field, enum screen next, struct actions *out)
{
	size_t n = strlen(prefix);
	enum reason why;

	if (ev->kind != EV_PRESS || strncmp(ev->button, prefix, n) != 0)
		return;
	if (manifest_set(&f->load.m, NULL, field, ev->button + n, &why) != HG_OK) {
		session_message(f, out, R_INPUT_CHOICE);
		return;
	}
	form_next(f, next, ev->now, out);
}

void session_scr_waste(struct session *f, const struct config *cfg, const struct session_event *ev,
		    struct actions *out)
{
	(void)cfg;
	choice(f, ev, "waste_", "waste", SCR_SOURCES, out);
}

int session_n_towns(const struct config *cfg)
{
	int n = 0;

	for (int i = 0; i < cfg->n_area && n < SESSION_MAX_TOWNS; i++)
		if (cfg->area[i][0] && !policy_is_zip(cfg->area[i]))
			n++;
	return n;
}

const char *session_town(const struct config *cfg, int i)
{
	int n = 0;

	for (int k = 0; k < cfg->n_area && n < SESSION_MAX_TOWNS; k++) {
		if (!cfg->area[k][0] || policy_is_zip(cfg->area[k]))
			continue;
		if (n++ == i)
			return cfg->area[k];
	}
	return NULL;
}

/* On from a source's name, address and industry to its town: the service
 * area's towns as buttons, or the keyboard when there are none to show. */
static void to_town(struct session *f, const struct config *cfg, hg_time now, struct actions *out)
{
	session_show(f, out, session_n_towns(cfg) > 0 ? SCR_SOURCE_TOWN : SCR_OTHER_TOWN, now);
}

/* A field of the source being edited set from a button of its list (a
 * town, a type of industry): value NULL is a button past the list's end. */
static int set_from_list(struct session *f, struct actions *out, const char *field,
			 const char *value)
{
	enum reason why;

	if (!value) {
		session_message(f, out, R_INPUT_CHOICE);
		return HG_EINVAL;
	}
	if (manifest_set(&f->load.m, &f->edit, field, value, &why) != HG_OK) {
		session_message(f, out, why);
		return HG_EINVAL;
	}
	return HG_OK;
}

static void add_source(struct session *f, const struct source *s, struct actions *out)
{
	struct manifest *m = &f->load.m;

	if (m->n_sources >= HG_MAX_SOURCES) {
		session_message(f, out, R_INPUT_TOO_MANY);
		return;
	}
	m->sources[m->n_sources++] = *s;
}

static void remove_source(struct manifest *m, int i)
{
	memmove(&m->sources[i], &m->sources[i + 1],
		(size_t)(m->n_sources - i - 1) * sizeof m->sources[0]);
	m->n_sources--;
}

void session_scr_sources(struct session *f, const struct config *cfg, const struct session_event *ev,
		      struct actions *out)
{
	struct manifest *m = &f->load.m;
	int i;

	if (ev->kind != EV_PRESS)
		return;
	if ((i = indexed(ev->button, "known_")) > 0) {
		if (i > f->card.n_known) {
			session_message(f, out, R_INPUT_CHOICE);
			return;
		}
		for (int k = 0; k < m->n_sources; k++)
			if (source_equal(&m->sources[k], &f->card.known[i - 1])) {
				remove_source(m, k);	/* a second tap takes it off */
				session_show(f, out, SCR_SOURCES, ev->now);
				return;
			}
		if (!f->card.known[i - 1].town[0]) {
			/* remembered before towns were asked: ask it now */
			f->edit = f->card.known[i - 1];
			f->edit_index = -1;
			to_town(f, cfg, ev->now, out);
			return;
		}
		add_source(f, &f->card.known[i - 1], out);
		session_show(f, out, SCR_SOURCES, ev->now);
	} else if ((i = indexed(ev->button, "edit_source_")) > 0) {
		if (i > m->n_sources) {
			session_message(f, out, R_INPUT_CHOICE);
			return;
		}
		f->edit = m->sources[i - 1];
		f->edit_index = i - 1;
		snprintf(f->focus, sizeof f->focus, "source_name");
		session_show(f, out, SCR_SOURCE_EDIT, ev->now);
	} else if ((i = indexed(ev->button, "remove_source_")) > 0) {
		if (i > m->n_sources) {
			session_message(f, out, R_INPUT_CHOICE);
			return;
		}
		remove_source(m, i - 1);
		session_show(f, out, SCR_SOURCES, ev->now);
	} else if (strcmp(ev->button, "new_source") == 0) {
		if (m->n_sources >= HG_MAX_SOURCES) {
			session_message(f, out, R_INPUT_TOO_MANY);
			return;
		}
		memset(&f->edit, 0, sizeof f->edit);
		f->edit_index = -1;
		snprintf(f->focus, sizeof f->focus, "source_name");
		session_show(f, out, SCR_SOURCE_EDIT, ev->now);
	} else if (strcmp(ev->button, "next") == 0) {
		if (m->n_sources < 1) {
			session_message(f, out, R_INPUT_EMPTY);
			return;
		}
		f->input[0] = '\0';
		if (m->gallons > 0 && f->after_edit != SCR_REVIEW)
			snprintf(f->input, sizeof f->input, "%ld", m->gallons);
		form_next(f, SCR_VOLUME, ev->now, out);
	}
}

int session_n_industries(const struct config *cfg)
{
	return cfg->n_industries < CFG_MAX_INDUSTRIES ? cfg->n_industries : CFG_MAX_INDUSTRIES;
}

const char *session_industry(const struct config *cfg, int i)
{
	return i >= 0 && i < session_n_industries(cfg) && cfg->industries[i][0]
	       ? cfg->industries[i] : NULL;
}

const char *session_industry_label(const char *value, enum lang lang)
{
	char key[sizeof "ui.industry." + HG_BUF(LIM_INDUSTRY)];
	const char *t;
	size_t n = strlen("ui.industry.");

	if (!value)
		return "";
	memcpy(key, "ui.industry.", n);
	for (const char *p = value; *p && n + 1 < sizeof key; p++)
		key[n++] = (char)((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ? *p : '_');
	key[n] = '\0';
	t = i18n_text(key, lang);
	return strcmp(t, key) == 0 ? value : t;	/* not in the catalogue: as is */
}

/* The entry of the list value is, by its stored value or by its label in
 * lang (folded: "RESTAURANTE" typed under "other" is restaurant); -1 when
 * none is. */
static int industry_index(const struct config *cfg, const char *value, enum lang lang)
{
	char want[HG_BUF(LIM_INDUSTRY) * 3], have[sizeof want];

	if (text_fold(value, want, sizeof want) != HG_OK || !want[0])
		return -1;
	for (int i = 0; i < session_n_industries(cfg); i++) {
		const char *v = session_industry(cfg, i);

		if (!v)
			continue;
		if (text_fold(v, have, sizeof have) == HG_OK && strcmp(have, want) == 0)
			return i;
		if (text_fold(session_industry_label(v, lang), have, sizeof have) == HG_OK &&
		    strcmp(have, want) == 0)
			return i;
	}
	return -1;
}

int session_industry_kept(const struct session *f, const struct config *cfg)
{
	for (int i = 0; i < session_n_industries(cfg); i++)
		if (session_industry(cfg, i) && strcmp(session_industry(cfg, i), f->edit.industry) == 0)
			return 0;
	return f->edit.industry[0] != '\0';
}

/* The screen that asks a source's type of industry: the list's buttons, or
 * the keyboard when the list is empty. */
static enum screen industry_screen(const struct config *cfg)
{
	return session_n_industries(cfg) > 0 ? SCR_SOURCE_INDUSTRY : SCR_OTHER_INDUSTRY;
}

void session_scr_source_edit(struct session *f, const struct config *cfg,
			  const struct session_event *ev, struct actions *out)
{
	static const char *const fields[] = {"source_name", "source_address"};

	if (session_fields_event(f, ev, fields, 2, out) || ev->kind != EV_PRESS)
		return;
	if (strcmp(ev->button, "back") == 0) {
		f->focus[0] = '\0';
		session_show(f, out, SCR_SOURCES, ev->now);
	} else if (strcmp(ev->button, "save") == 0) {
		text_trim(f->edit.name);
		text_trim(f->edit.address);
		if (!f->edit.name[0] || !f->edit.address[0]) {
			snprintf(f->focus, sizeof f->focus, "%s",
				 !f->edit.name[0] ? "source_name" : "source_address");
			session_message(f, out, R_INPUT_EMPTY);
			return;
		}
		session_show(f, out, industry_screen(cfg), ev->now);
	}
}

/* The source's type of industry: a button of the list records its stable
 * value (the English key, the same in both languages); keep_industry keeps
 * a value the list no longer has, as is; "other" opens the keyboard. */
void session_scr_source_industry(struct session *f, const struct config *cfg,
			      const struct session_event *ev, struct actions *out)
{
	int i;

	if (ev->kind != EV_PRESS)
		return;
	if ((i = indexed(ev->button, "industry_")) > 0) {
		if (set_from_list(f, out, "source_industry", session_industry(cfg, i - 1)) == HG_OK)
			to_town(f, cfg, ev->now, out);
	} else if (strcmp(ev->button, "keep_industry") == 0) {
		if (!session_industry_kept(f, cfg)) {
			session_message(f, out, R_INPUT_CHOICE);
			return;
		}
		to_town(f, cfg, ev->now, out);
	} else if (strcmp(ev->button, "other_industry") == 0) {
		/* typed afresh, unless what the source has was typed before */
		if (!session_industry_kept(f, cfg))
			f->edit.industry[0] = '\0';
		session_show(f, out, SCR_OTHER_INDUSTRY, ev->now);
	} else if (strcmp(ev->button, "back") == 0) {
		session_show(f, out, SCR_SOURCE_EDIT, ev->now);
	}
}

/* Another type of industry on the keyboard, kept as typed (NFC); one that
 * is an entry of the list, by its value or its label in the session's
 * language, is recorded as that entry. */
void session_scr_other_industry(struct session *f, const struct config *cfg,
			     const struct session_event *ev, struct actions *out)
{
	static const char *const fields[] = {"source_industry"};

	if (session_fields_event(f, ev, fields, 1, out) || ev->kind != EV_PRESS)
		return;
	if (strcmp(ev->button, "back") == 0) {
		session_show(f, out, session_n_industries(cfg) > 0 ? SCR_SOURCE_INDUSTRY
			     : SCR_SOURCE_EDIT, ev->now);
	} else if (strcmp(ev->button, "save") == 0) {
		char nfc[sizeof f->edit.industry];
		int i;

		text_trim(f->edit.industry);
		if (text_nfc(f->edit.industry, nfc, sizeof nfc) == HG_OK)
			memcpy(f->edit.industry, nfc, strlen(nfc) + 1);
		if (!f->edit.industry[0]) {
			snprintf(f->focus, sizeof f->focus, "source_industry");
			session_message(f, out, R_INPUT_EMPTY);
			return;
		}
		if ((i = industry_index(cfg, f->edit.industry, f->lang)) >= 0)
			snprintf(f->edit.industry, sizeof f->edit.industry, "%s",
				 session_industry(cfg, i));
		to_town(f, cfg, ev->now, out);
	}
}

/* The source being edited is whole, its town with it: into the form. */
static void save_source(struct session *f, hg_time now, struct actions *out)
{
	struct manifest *m = &f->load.m;

	if (f->edit_index >= 0 && f->edit_index < m->n_sources)
		m->sources[f->edit_index] = f->edit;
	else
		add_source(f, &f->edit, out);
	f->focus[0] = '\0';
	session_show(f, out, SCR_SOURCES, now);
}

void session_scr_source_town(struct session *f, const struct config *cfg,
			  const struct session_event *ev, struct actions *out)
{
	int i;

	if (ev->kind != EV_PRESS)
		return;
	if ((i = indexed(ev->button, "town_")) > 0) {
		if (set_from_list(f, out, "source_town", session_town(cfg, i - 1)) == HG_OK)
			save_source(f, ev->now, out);
	} else if (strcmp(ev->button, "other_town") == 0) {
		session_show(f, out, SCR_OTHER_TOWN, ev->now);
	} else if (strcmp(ev->button, "back") == 0) {
		session_show(f, out, industry_screen(cfg), ev->now);
	}
}

void session_scr_other_town(struct session *f, const struct config *cfg,
			 const struct session_event *ev, struct actions *out)
{
	static const char *const fields[] = {"source_town"};

	if (session_fields_event(f, ev, fields, 1, out) || ev->kind != EV_PRESS)
		return;
	if (strcmp(ev->button, "back") == 0) {
		session_show(f, out, session_n_towns(cfg) > 0 ? SCR_SOURCE_TOWN : industry_screen(cfg),
			     ev->now);
	} else if (strcmp(ev->button, "save") == 0) {
		char nfc[sizeof f->edit.town];

		text_trim(f->edit.town);
		/* kept composed: "N + U+0303" prints as "Ñ" on a slip too */
		if (text_nfc(f->edit.town, nfc, sizeof nfc) == HG_OK)
			memcpy(f->edit.town, nfc, strlen(nfc) + 1);
		if (!f->edit.town[0]) {
			snprintf(f->focus, sizeof f->focus, "source_town");
			session_message(f, out, R_INPUT_EMPTY);
			return;
		}
		save_source(f, ev->now, out);
	}
}

void session_scr_volume(struct session *f, const struct config *cfg, const struct session_event *ev,
		     struct actions *out)
{
	struct manifest try = f->load.m;
	enum reason why;

	(void)cfg;
	if (ev->kind == EV_TYPE) {
		session_type_input(f, out, ev->text, 1, 9);
		return;
	}
	if (ev->kind == EV_FIELD && strcmp(ev->field, "gallons") == 0) {
		f->input[0] = '\0';
		session_type_input(f, out, ev->text, 0, 12);
		return;
	}
	if (ev->kind != EV_PRESS)
		return;
	if (session_edit_key(f, ev->button) || strcmp(ev->button, "next") != 0)
		return;
	if (manifest_set(&try, NULL, "gallons", f->input, &why) != HG_OK) {
		session_message(f, out, why);
		return;
	}
	if (try.gallons > try.truck_capacity) {
		session_message(f, out, R_VOLUME_OVER_CAPACITY);
		return;
	}
	f->load.m.gallons = try.gallons;
	f->input[0] = '\0';
	/* a repeated load's details are its last load's: on to RCRA */
	form_next(f, f->repeated ? SCR_RCRA : SCR_DETAILS, ev->now, out);
}

void session_scr_details(struct session *f, const struct config *cfg, const struct session_event *ev,
		      struct actions *out)
{
	static const char *const fields[] = {"characteristics", "constituents"};

	(void)cfg;
	if (session_fields_event(f, ev, fields, 2, out) || ev->kind != EV_PRESS)
		return;
	if (strcmp(ev->button, "next") != 0)
		return;
	text_trim(f->load.m.characteristics);
	text_trim(f->load.m.constituents);
	if (!f->load.m.characteristics[0]) {
		snprintf(f->focus, sizeof f->focus, "characteristics");
		session_message(f, out, R_INPUT_EMPTY);
		return;
	}
	form_next(f, SCR_RCRA, ev->now, out);
}

void session_scr_rcra(struct session *f, const struct config *cfg, const struct session_event *ev,
		   struct actions *out)
{
	(void)cfg;
	choice(f, ev, "rcra_", "rcra", SCR_REVIEW, out);
}

void session_scr_review(struct session *f, const struct config *cfg, const struct session_event *ev,
		     struct actions *out)
{
	static const struct {
		const char *button;
		enum screen to;
	} edits[] = {
		{"edit_truck", SCR_TRUCK}, {"edit_waste", SCR_WASTE},
		{"edit_sources", SCR_SOURCES}, {"edit_volume", SCR_VOLUME},
		{"edit_details", SCR_DETAILS}, {"edit_rcra", SCR_RCRA},
	};
	const char *gap;
	enum reason why;

	(void)cfg;
	if (ev->kind != EV_PRESS)
		return;
	for (size_t i = 0; i < HG_ARRAY_LEN(edits); i++)
		if (strcmp(ev->button, edits[i].button) == 0) {
			f->after_edit = SCR_REVIEW;
			f->input[0] = '\0';
			if (edits[i].to == SCR_VOLUME)
				snprintf(f->input, sizeof f->input, "%ld", f->load.m.gallons);
			if (edits[i].to == SCR_DETAILS)
				snprintf(f->focus, sizeof f->focus, "characteristics");
			session_show(f, out, edits[i].to, ev->now);
			return;
		}
	if (strcmp(ev->button, "next") != 0)
		return;
	why = manifest_complete(&f->load.m, &gap);
	if (why != R_NONE) {
		session_message(f, out, why);
		return;
	}
	/* the card and the PIN are the signature: the certify screen opens
	 * with the holder's name (the review shows the form unsigned), which
	 * another signer can change */
	if (!f->load.m.signer[0])
		memcpy(f->load.m.signer, f->card.holder, sizeof f->load.m.signer);
	snprintf(f->focus, sizeof f->focus, "signer");
	session_show(f, out, SCR_CERTIFY, ev->now);
}

/* Certified: render and hash the copy of record, decide, commit. */
static void certify(struct session *f, const struct config *cfg, const struct session_event *ev,
		    struct actions *out)
{
	struct load_rec *ld = &f->load;
	int n;

	ld->t.certified = ev->now;
	ld->lang = f->lang;
	n = manifest_record(&ld->m, f->lang, ld->record, sizeof ld->record);
	if (n < 0) {
		session_message(f, out, R_INPUT_TOO_LONG);
		return;
	}
	text_sha256(ld->record, (size_t)n, ld->record_sha);
	ld->manual_flag = f->flag_next;
	policy_decide(cfg, &f->card, &ld->m, ev->now, ev->rnd, f->flag_next, f->waste_now,
		      &ld->d);
	ld->t.decided = ev->now;
	f->focus[0] = '\0';
	session_emit(out, ACT_COMMIT_LOAD);
}

void session_scr_certify(struct session *f, const struct config *cfg, const struct session_event *ev,
		      struct actions *out)
{
	static const char *const fields[] = {"signer"};

	if (session_fields_event(f, ev, fields, 1, out) || ev->kind != EV_PRESS)
		return;
	if (strcmp(ev->button, "back") == 0) {
		session_show(f, out, SCR_REVIEW, ev->now);
		return;
	}
	if (strcmp(ev->button, "certify") != 0)
		return;
	text_trim(f->load.m.signer);
	if (!f->load.m.signer[0]) {
		session_message(f, out, R_INPUT_EMPTY);
		return;
	}
	certify(f, cfg, ev, out);
}

/* The load is in the database: act on its decision. */
void session_load_stored(struct session *f, const struct session_event *ev, struct actions *out)
{
	struct load_rec *ld = &f->load;

	ld->load_no = ev->id;
	f->committed = 1;
	f->flag_next = 0;
	switch (ld->d.verdict) {
	case VERDICT_REFUSED: {
		struct action *a = session_emit(out, ACT_PRINT);
		if (a)
			a->print = PRINT_REFUSAL;
		session_show(f, out, SCR_REFUSED, ev->now);
		session_message(f, out, ld->d.refuse[0]);
		break;
	}
	case VERDICT_SAMPLE_HOLD:
		session_show(f, out, SCR_SAMPLE_HOLD, ev->now);
		session_message(f, out, ld->d.sample[0]);
		break;
	default:
		session_relay(out, "gate", 1);
		session_show(f, out, SCR_DISCHARGE_READY, ev->now);
		break;
	}
}

void session_scr_sample_hold(struct session *f, const struct config *cfg,
			  const struct session_event *ev, struct actions *out)
{
	(void)cfg;
	if (ev->kind == EV_PRESS && strcmp(ev->button, "ok") == 0)
		session_message(f, out, R_OPERATOR_ONLY);
}
