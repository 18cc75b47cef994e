/* manifest.c: the waste-tracking form: its fields, their checks, and the copy
 * of record.
 *
 * manifest_set() is the one door for a value typed by a person into the form:
 * it checks UTF-8, control characters and length (core/text.c), parses numbers
 * and choices, and changes nothing when it refuses.  manifest_record() renders
 * the form the hauler reviews and certifies; its bytes are hashed, so the
 * rendering must never depend on anything but the form and the language. */
#include <stdio.h>
#include <string.h>
#include "manifest.h"
#include "text.h"

static const char *const cert_text[LANG_COUNT] = {
	"I certify under penalty of law that this document and all attachments were "
	"prepared under my direction or supervision in accordance with a system designed "
	"to ensure that qualified personnel properly gather and evaluate the information "
	"submitted. Based on my inquiry of the person or persons who manage the system or "
	"the persons directly responsible for gathering the information, the information "
	"submitted is, to the best of my knowledge and belief, true, accurate, and "
	"complete. I am aware that there are significant penalties for submitting false "
	"information, including the possibility of a fine and imprisonment for knowing "
	"violations.",
	"Certifico bajo pena de ley que este documento y todos sus anexos fueron "
	"preparados bajo mi dirección o supervisión de acuerdo con un sistema diseñado "
	"para asegurar que personal calificado reúna y evalúe debidamente la información "
	"presentada. Según mi consulta a la persona o personas que administran el sistema, "
	"o a las personas directamente responsables de reunir la información, la "
	"información presentada es, a mi leal saber y entender, verdadera, exacta y "
	"completa. Sé que existen sanciones importantes por presentar información falsa, "
	"incluida la posibilidad de multa y prisión por infracciones a sabiendas."
};

static const char *const waste_codes[WASTE_COUNT] = {
	NULL, "septage", "portable", "grease", "industrial"
};

static const char *const waste_names[WASTE_COUNT][LANG_COUNT] = {
	{"", ""},
	{"Septic tank waste", "Residuos de fosa séptica"},
	{"Portable toilet waste", "Residuos de baños portátiles"},
	{"Grease trap waste", "Residuos de trampa de grasa"},
	{"Industrial waste", "Residuos industriales"},
};

const char *manifest_cert_text(enum lang lang)
{
	return cert_text[lang == LANG_ES ? LANG_ES : LANG_EN];
}

const char *waste_code(enum waste_type w)
{
	if ((unsigned)w >= WASTE_COUNT)
		return NULL;
	return waste_codes[w];
}

enum waste_type waste_parse(const char *code)
{
	if (!code)
		return WASTE_NONE;
	for (int i = 1; i < WASTE_COUNT; i++)
		if (strcmp(waste_codes[i], code) == 0)
			return (enum waste_type)i;
	return WASTE_NONE;
}

int waste_parse_list(const char *list, unsigned *mask)
{
	unsigned m = 0;
	const char *p = list;

	while (p && *p) {
		char word[32];
		size_t n = strcspn(p, ",");
		const char *q = p;
		size_t len = n;

		while (len && *q == ' ')
			q++, len--;
		while (len && q[len - 1] == ' ')
			len--;
		if (len >= sizeof word)
			return HG_EINVAL;
		memcpy(word, q, len);
		word[len] = '\0';
		if (len) {
			enum waste_type w = waste_parse(word);
			if (w == WASTE_NONE)
				return HG_EINVAL;
			m |= 1u << w;
		}
		p += n;
		if (*p == ',')
			p++;
	}
	*mask = m;
	return HG_OK;
}

const char *waste_name(enum waste_type w, enum lang lang)
{
	if ((unsigned)w >= WASTE_COUNT || (unsigned)lang >= LANG_COUNT)
		return "";
	return waste_names[w][lang];
}

static const char *const rcra_codes[] = {"", "no", "yes", "unknown"};

const char *rcra_code(enum rcra r)
{
	if ((unsigned)r > RCRA_UNKNOWN)
		return "";
	return rcra_codes[r];
}

enum rcra rcra_parse(const char *s)
{
	for (int i = 1; s && i <= RCRA_UNKNOWN; i++)
		if (strcmp(rcra_codes[i], s) == 0)
			return (enum rcra)i;
	return RCRA_UNANSWERED;
}

int manifest_has_constituents(const struct manifest *m)
{
	char v[HG_BUF(LIM_TEXT)];
	static const char *const nothing[] = {"", "none", "ninguno", "ninguna", "n/a", "no"};

	if (text_copy(v, sizeof v, m->constituents) != HG_OK)
		return 1;
	text_trim(v);
	for (char *c = v; *c; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
	for (size_t i = 0; i < HG_ARRAY_LEN(nothing); i++)
		if (strcmp(v, nothing[i]) == 0)
			return 0;
	return 1;
}

static enum reason fault_reason(enum text_fault f)
{
	switch (f) {
	case TEXT_BAD_UTF8: return R_INPUT_BAD_UTF8;
	case TEXT_CONTROL: return R_INPUT_CONTROL;
	case TEXT_FORMAT: return R_INPUT_FORMAT;
	case TEXT_INVISIBLE: return R_INPUT_INVISIBLE;
	case TEXT_TOO_LONG: return R_INPUT_TOO_LONG;
	case TEXT_EMPTY: return R_INPUT_EMPTY;
	default: return R_NONE;
	}
}

/* A checked text field: where it lives, its limit, whether it is required. */
struct text_field {
	const char *name;
	size_t off;		/* offset in struct manifest or struct source */
	size_t cap;
	int max;
	int in_source;
};

static const struct text_field text_fields[] = {
	{"characteristics", offsetof(struct manifest, characteristics),
	 sizeof(((struct manifest *)0)->characteristics), LIM_TEXT, 0},
	{"constituents", offsetof(struct manifest, constituents),
	 sizeof(((struct manifest *)0)->constituents), LIM_TEXT, 0},
	{"signer", offsetof(struct manifest, signer),
	 sizeof(((struct manifest *)0)->signer), LIM_NAME, 0},
	{"source_name", offsetof(struct source, name),
	 sizeof(((struct source *)0)->name), LIM_COMPANY, 1},
	{"source_address", offsetof(struct source, address),
	 sizeof(((struct source *)0)->address), LIM_ADDRESS, 1},
	{"source_industry", offsetof(struct source, industry),
	 sizeof(((struct source *)0)->industry), LIM_INDUSTRY, 1},
	{"source_town", offsetof(struct source, town),
	 sizeof(((struct source *)0)->town), LIM_TOWN, 1},
};

int manifest_field_limit(const char *field)
{
	for (size_t i = 0; i < HG_ARRAY_LEN(text_fields); i++)
		if (strcmp(text_fields[i].name, field) == 0)
			return text_fields[i].max;
	return 0;
}

int manifest_set(struct manifest *m, struct source *src, const char *field,
		 const char *value, enum reason *why)
{
	enum reason dummy;

	if (!why)
		why = &dummy;
	*why = R_NONE;
	if (!field || !value)
		return HG_EINVAL;

	for (size_t i = 0; i < HG_ARRAY_LEN(text_fields); i++) {
		const struct text_field *tf = &text_fields[i];
		char *dst;
		enum text_fault f;

		if (strcmp(tf->name, field) != 0)
			continue;
		if (tf->in_source && !src)
			return HG_ENOTFOUND;
		f = text_check(value, tf->max, 0);
		if (f != TEXT_OK) {
			*why = fault_reason(f);
			return HG_EINVAL;
		}
		dst = (char *)(tf->in_source ? (void *)src : (void *)m) + tf->off;
		if (text_copy(dst, tf->cap, value) != HG_OK) {
			*why = R_INPUT_TOO_LONG;
			return HG_EINVAL;
		}
		text_trim(dst);
		if (strcmp(field, "source_town") == 0) {
			/* composed, as it shows; the check above made it valid text */
			char nfc[HG_BUF(LIM_TOWN)];

			if (text_nfc(dst, nfc, sizeof nfc) == HG_OK)
				memcpy(dst, nfc, strlen(nfc) + 1);
		}
		return HG_OK;
	}

	if (strcmp(field, "gallons") == 0) {
		long g;
		char digits[16];
		const char *v = value;

		/* a keypad gives digits only; allow "2,500" from a keyboard */
		size_t n = 0;
		for (; *v && n + 1 < sizeof digits; v++)
			if (*v != ',' && *v != ' ')
				digits[n++] = *v;
		digits[n] = '\0';
		if (*v || n == 0) {
			*why = n == 0 ? R_INPUT_EMPTY : R_INPUT_NUMBER;
			return HG_EINVAL;
		}
		if (text_parse_long(digits, -1000000000L, 1000000000L, &g) != HG_OK) {
			*why = digits[0] == '-' || (digits[0] >= '0' && digits[0] <= '9')
			     ? R_VOLUME_INVALID : R_INPUT_NUMBER;
			return HG_EINVAL;
		}
		if (g < 1 || g > MANIFEST_MAX_GALLONS) {
			*why = R_VOLUME_INVALID;
			return HG_EINVAL;
		}
		m->gallons = g;
		return HG_OK;
	}
	if (strcmp(field, "waste") == 0) {
		enum waste_type w = waste_parse(value);
		if (w == WASTE_NONE) {
			*why = R_INPUT_CHOICE;
			return HG_EINVAL;
		}
		m->waste = w;
		return HG_OK;
	}
	if (strcmp(field, "rcra") == 0) {
		enum rcra r = rcra_parse(value);
		if (r == RCRA_UNANSWERED) {
			*why = R_INPUT_CHOICE;
			return HG_EINVAL;
		}
		m->rcra = r;
		return HG_OK;
	}
	return HG_ENOTFOUND;
}

int manifest_sources_have_towns(const struct manifest *m)
{
	for (int i = 0; i < m->n_sources && i < HG_MAX_SOURCES; i++)
		if (!m->sources[i].town[0])
			return 0;
	return 1;
}

enum reason manifest_complete(const struct manifest *m, const char **field)
{
	const char *dummy;

	if (!field)
		field = &dummy;
	*field = NULL;
	if (!m->truck_id)
		*field = "truck";
	else if (m->waste == WASTE_NONE)
		*field = "waste";
	else if (m->n_sources < 1)
		*field = "sources";
	else if (!manifest_sources_have_towns(m))
		*field = "source_town";
	else if (m->gallons < 1)
		*field = "gallons";
	else if (!m->characteristics[0])
		*field = "characteristics";
	else if (m->rcra == RCRA_UNANSWERED)
		*field = "rcra";
	return *field ? R_INPUT_EMPTY : R_NONE;
}

/* Labels of the copy of record, per language. */
enum { L_TITLE, L_COMPANY, L_ADDRESS, L_PERSON, L_PERMIT, L_TRUCK, L_SOURCE, L_SADDR,
       L_INDUSTRY, L_WASTE, L_VOLUME, L_GALLONS, L_CHAR, L_CONST, L_RCRA, L_CERT,
       L_SIGNED, L_NONE, L_TOWN, L_COUNT };

static const char *const labels[L_COUNT][LANG_COUNT] = {
	{"WASTE-TRACKING FORM (hauled waste, section 9.1)",
	 "FORMULARIO DE SEGUIMIENTO DE RESIDUOS (residuos transportados, sección 9.1)"},
	{"Hauler company", "Empresa transportista"},
	{"Company address", "Dirección de la empresa"},
	{"Hauler (person)", "Transportista (persona)"},
	{"Permit number", "Número de permiso"},
	{"Truck", "Camión"},
	{"Source", "Fuente"},
	{"Address", "Dirección"},
	{"Type of industry", "Tipo de industria"},
	{"Waste type", "Tipo de residuo"},
	{"Volume", "Volumen"},
	{"gallons", "galones"},
	{"Volume and characteristics", "Volumen y características"},
	{"Known or suspected constituents", "Componentes conocidos o sospechados"},
	{"RCRA hazardous waste", "Residuo peligroso RCRA"},
	{"CERTIFICATION (40 CFR 403.6(a)(2)(ii))", "CERTIFICACIÓN (40 CFR 403.6(a)(2)(ii))"},
	{"Signed by", "Firmado por"},
	{"none", "ninguno"},
	{"Town or ZIP code", "Ciudad o código postal"},
};

static const char *const rcra_words[][LANG_COUNT] = {
	{"(not answered)", "(sin respuesta)"}, {"No", "No"}, {"YES", "SÍ"},
	{"Unknown", "No se sabe"},
};

struct out {
	char *buf;
	size_t cap, len;
	int over;
};

static void put(struct out *o, const char *fmt_label, const char *value)
{
	int n;

	if (o->over)
		return;
	n = snprintf(o->buf + o->len, o->cap - o->len, "%s: %s\n", fmt_label, value);
	if (n < 0 || (size_t)n >= o->cap - o->len)
		o->over = 1;
	else
		o->len += (size_t)n;
}

static void putline(struct out *o, const char *text)
{
	int n;

	if (o->over)
		return;
	n = snprintf(o->buf + o->len, o->cap - o->len, "%s\n", text);
	if (n < 0 || (size_t)n >= o->cap - o->len)
		o->over = 1;
	else
		o->len += (size_t)n;
}

int manifest_record(const struct manifest *m, enum lang lang, char *buf, size_t cap)
{
	struct out o = {buf, cap, 0, 0};
	char num[64];
	int l = lang == LANG_ES ? LANG_ES : LANG_EN;

	if (cap == 0)
		return HG_ETOOLONG;
	buf[0] = '\0';
	putline(&o, labels[L_TITLE][l]);
	put(&o, labels[L_COMPANY][l], m->company);
	put(&o, labels[L_ADDRESS][l], m->company_address);
	put(&o, labels[L_PERSON][l], m->driver);
	put(&o, labels[L_PERMIT][l], m->permit);
	put(&o, labels[L_TRUCK][l], m->truck);
	for (int i = 0; i < m->n_sources; i++) {
		char lab[64];
		snprintf(lab, sizeof lab, "%s %d", labels[L_SOURCE][l], i + 1);
		put(&o, lab, m->sources[i].name);
		snprintf(lab, sizeof lab, "  %s", labels[L_SADDR][l]);
		put(&o, lab, m->sources[i].address);
		/* a load recorded before towns were asked has none: no line, so
		 * its copy of record renders as it was certified */
		if (m->sources[i].town[0]) {
			snprintf(lab, sizeof lab, "  %s", labels[L_TOWN][l]);
			put(&o, lab, m->sources[i].town);
		}
		snprintf(lab, sizeof lab, "  %s", labels[L_INDUSTRY][l]);
		put(&o, lab, m->sources[i].industry);
	}
	put(&o, labels[L_WASTE][l], waste_name(m->waste, (enum lang)l));
	snprintf(num, sizeof num, "%ld %s", m->gallons, labels[L_GALLONS][l]);
	put(&o, labels[L_VOLUME][l], num);
	put(&o, labels[L_CHAR][l], m->characteristics);
	put(&o, labels[L_CONST][l],
	    manifest_has_constituents(m) ? m->constituents : labels[L_NONE][l]);
	put(&o, labels[L_RCRA][l], rcra_words[m->rcra <= RCRA_UNKNOWN ? m->rcra : 0][l]);
	putline(&o, labels[L_CERT][l]);
	putline(&o, cert_text[l]);
	put(&o, labels[L_SIGNED][l], m->signer);
	if (o.over) {
		buf[0] = '\0';
		return HG_ETOOLONG;
	}
	return (int)o.len;
}
