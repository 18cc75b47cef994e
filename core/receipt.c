/* receipt.c: the slips of a load: receipt, refusal slip, bottle label.
 *
 * Plain text, 42 columns (a 58/80 mm thermal printer in its normal font), in
 * English or Spanish; long values wrap at spaces.  Every control character
 * and broken UTF-8 byte prints as '?', so no field can carry a printer
 * command.  The writing (wrapping, centring, cleaning) is core/slipbuf.c's;
 * the station key is core/keys.c and the signed QR text core/qr.c, both
 * once part of this file (receipt.h still includes their headers).  Start
 * reading at receipt_text(). */
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "receipt.h"
#include "slipbuf.h"
#include "text.h"

/* ---- slips ---- */

enum label {
	L_RECEIPT, L_REFUSAL, L_SAMPLE, L_COPY, L_STATION, L_LOAD, L_DATE, L_HAULER,
	L_ADDRESS, L_DRIVER, L_PERMIT, L_TRUCK, L_SOURCE, L_SADDRESS, L_INDUSTRY, L_WASTE,
	L_GALLONS, L_MEASURED, L_CHAR, L_CONST, L_NONE, L_RCRA, L_DECISION, L_ACCEPTED,
	L_HOLD, L_REFUSED, L_WHY_SAMPLE, L_WHY_REFUSED, L_BOTTLE, L_SAMPLER, L_CERTIFIED,
	L_RECORD, L_NOTHING, L_TOWN, L_DISCHARGE, L_INTERRUPTED, L_COUNT
};

static const char *const labels[L_COUNT][LANG_COUNT] = {
	[L_RECEIPT] = { "HAULED WASTE RECEIPT", "RECIBO DE RESIDUOS TRANSPORTADOS" },
	[L_REFUSAL] = { "LOAD REFUSED", "CARGA RECHAZADA" },
	[L_SAMPLE] = { "SAMPLE", "MUESTRA" },
	[L_COPY] = { "*** COPY ***", "*** COPIA ***" },
	[L_STATION] = { "Station", "Estación" },
	[L_LOAD] = { "LOAD NO", "CARGA NO" },
	[L_DATE] = { "Date", "Fecha" },
	[L_HAULER] = { "Hauler", "Transportista" },
	[L_ADDRESS] = { "Address", "Dirección" },
	[L_DRIVER] = { "Driver", "Conductor" },
	[L_PERMIT] = { "Permit", "Permiso" },
	[L_TRUCK] = { "Truck", "Camión" },
	[L_SOURCE] = { "Source", "Fuente" },
	[L_SADDRESS] = { "  Address", "  Dirección" },
	[L_INDUSTRY] = { "  Industry", "  Industria" },
	[L_WASTE] = { "Waste type", "Tipo de residuo" },
	[L_GALLONS] = { "Gallons declared", "Galones declarados" },
	[L_MEASURED] = { "Gallons measured", "Galones medidos" },
	[L_CHAR] = { "Characteristics", "Características" },
	[L_CONST] = { "Constituents", "Componentes" },
	[L_NONE] = { "none", "ninguno" },
	[L_RCRA] = { "RCRA hazardous", "Peligroso RCRA" },
	[L_DECISION] = { "DECISION", "DECISIÓN" },
	[L_ACCEPTED] = { "ACCEPTED", "ACEPTADA" },
	[L_HOLD] = { "HOLD FOR SAMPLING", "RETENIDA PARA MUESTREO" },
	[L_REFUSED] = { "REFUSED", "RECHAZADA" },
	[L_WHY_SAMPLE] = { "Sampling reasons", "Motivos de muestreo" },
	[L_WHY_REFUSED] = { "Reasons", "Motivos" },
	[L_BOTTLE] = { "Sample bottle", "Frasco de muestra" },
	[L_SAMPLER] = { "Sampled by", "Muestreado por" },
	[L_CERTIFIED] = { "Certified by", "Certificado por" },
	[L_RECORD] = { "Record SHA-256", "SHA-256 del registro" },
	[L_NOTHING] = { "Nothing was discharged.", "No se descargó nada." },
	[L_TOWN] = { "  Town/ZIP", "  Ciudad/CP" },
	[L_DISCHARGE] = { "Discharge", "Descarga" },
	[L_INTERRUPTED] = { "interrupted: the station stopped with the valve open",
			    "interrumpida: la estación se detuvo con la válvula abierta" },
};

static const char *const rcra_words[][LANG_COUNT] = {
	{ "(not answered)", "(sin respuesta)" }, { "No", "No" }, { "YES", "SÍ" },
	{ "Unknown", "No se sabe" },
};

static const char *lbl(enum label l, enum lang lang)
{
	return labels[l][(unsigned)lang < LANG_COUNT ? lang : LANG_EN];
}

/* "Label: value", wrapped; "Label:" alone for an empty value (a heading). */
static void out_field(struct slipbuf *o, const char *label, const char *value)
{
	char clean[HG_BUF(LIM_TEXT) + 8], line[HG_BUF(LIM_TEXT) + 128];

	slip_clean(value, clean, sizeof clean);
	snprintf(line, sizeof line, clean[0] ? "%s: %s" : "%s:%s", label, clean);
	slip_wrapped(o, line);
}

/* A line centred in SLIP_WIDTH (wrapped if it is wider). */
static void centred(struct slipbuf *o, const char *text)
{
	slip_centre_pad(o, text);
	slip_wrapped(o, text);
}

/* "- message (code)" for each reason; with cfg, the message as
 * policy_reason_text() words it for that station. */
static void out_reasons(struct slipbuf *o, const enum reason *r, int n, enum lang lang,
			const struct config *cfg)
{
	char line[600], words[512];

	for (int i = 0; i < n && i < POLICY_MAX_REASONS; i++) {
		const char *msg = cfg ? policy_reason_text(cfg, r[i], lang, words, sizeof words)
				      : i18n_msg(r[i], lang);
		const char *code = reason_code(r[i]);

		snprintf(line, sizeof line, "- %s (%s)", msg ? msg : "", code ? code : "?");
		slip_wrapped(o, line);
	}
}

static void out_head(struct slipbuf *o, const struct load_rec *ld, enum label title, enum lang lang,
		     int copy)
{
	char when[17], num[32];

	slip_rule(o, '=');
	centred(o, lbl(title, lang));
	if (copy)
		centred(o, lbl(L_COPY, lang));
	slip_rule(o, '=');
	out_field(o, lbl(L_STATION, lang), ld->station);
	snprintf(num, sizeof num, "%lld", ld->load_no);
	out_field(o, lbl(L_LOAD, lang), num);
	text_time_local(ld->t.decided, when);
	out_field(o, lbl(L_DATE, lang), when);
}

/* The receipt of an accepted or held load; qr NULL or "": no QR line. */
int receipt_text(const struct load_rec *ld, const char *qr, enum lang lang, int copy,
		 char *buf, size_t cap)
{
	struct slipbuf o;
	const struct manifest *m;
	char num[64], hex[65];
	enum label verdict;

	if (!ld || !buf || cap == 0)
		return HG_EINVAL;
	if ((unsigned)lang >= LANG_COUNT)
		lang = LANG_EN;
	slip_init(&o, buf, cap);
	m = &ld->m;

	out_head(&o, ld, L_RECEIPT, lang, copy);
	slip_rule(&o, '-');
	out_field(&o, lbl(L_HAULER, lang), m->company);
	out_field(&o, lbl(L_ADDRESS, lang), m->company_address);
	out_field(&o, lbl(L_DRIVER, lang), m->driver);
	out_field(&o, lbl(L_PERMIT, lang), m->permit);
	out_field(&o, lbl(L_TRUCK, lang), m->truck);
	for (int i = 0; i < m->n_sources && i < HG_MAX_SOURCES; i++) {
		char lab[64];

		snprintf(lab, sizeof lab, "%s %d", lbl(L_SOURCE, lang), i + 1);
		out_field(&o, lab, m->sources[i].name);
		out_field(&o, lbl(L_SADDRESS, lang), m->sources[i].address);
		if (m->sources[i].town[0])	/* none on loads recorded before towns */
			out_field(&o, lbl(L_TOWN, lang), m->sources[i].town);
		out_field(&o, lbl(L_INDUSTRY, lang), m->sources[i].industry);
	}
	out_field(&o, lbl(L_WASTE, lang), waste_name(m->waste, lang));
	snprintf(num, sizeof num, "%ld", m->gallons);
	out_field(&o, lbl(L_GALLONS, lang), num);
	if (ld->gallons_measured > 0 || ld->meter_flag != R_NONE) {
		snprintf(num, sizeof num, "%ld", ld->gallons_measured);
		out_field(&o, lbl(L_MEASURED, lang), num);
	}
	if (ld->meter_flag != R_NONE)	/* meter_mismatch / meter_failed: the plant reviews it */
		out_reasons(&o, &ld->meter_flag, 1, lang, NULL);
	if (ld->interrupted)	/* closed at the next start (station/recover.c) */
		out_field(&o, lbl(L_DISCHARGE, lang), lbl(L_INTERRUPTED, lang));
	out_field(&o, lbl(L_CHAR, lang), m->characteristics);
	out_field(&o, lbl(L_CONST, lang),
		  manifest_has_constituents(m) ? m->constituents : lbl(L_NONE, lang));
	out_field(&o, lbl(L_RCRA, lang),
		  rcra_words[(unsigned)m->rcra <= RCRA_UNKNOWN ? m->rcra : 0][lang]);
	slip_rule(&o, '-');

	switch (ld->d.verdict) {
	case VERDICT_SAMPLE_HOLD:
		verdict = L_HOLD;
		break;
	case VERDICT_REFUSED:
		verdict = L_REFUSED;
		break;
	default:
		verdict = L_ACCEPTED;
		break;
	}
	out_field(&o, lbl(L_DECISION, lang), lbl(verdict, lang));
	if (ld->d.verdict == VERDICT_REFUSED && ld->d.n_refuse > 0) {
		out_field(&o, lbl(L_WHY_REFUSED, lang), "");
		out_reasons(&o, ld->d.refuse, ld->d.n_refuse, lang, NULL);
	} else if (ld->d.n_sample > 0) {
		out_field(&o, lbl(L_WHY_SAMPLE, lang), "");
		out_reasons(&o, ld->d.sample, ld->d.n_sample, lang, NULL);
	}
	if (ld->bottle[0])
		out_field(&o, lbl(L_BOTTLE, lang), ld->bottle);
	if (ld->sampler[0])
		out_field(&o, lbl(L_SAMPLER, lang), ld->sampler);
	out_field(&o, lbl(L_CERTIFIED, lang), m->signer);
	text_hex(ld->record_sha, sizeof ld->record_sha, hex);
	out_field(&o, lbl(L_RECORD, lang), hex);
	if (copy)
		centred(&o, lbl(L_COPY, lang));
	slip_rule(&o, '=');
	if (qr && qr[0]) {
		char clean[QR_MAX + 8];

		slip_clean(qr, clean, sizeof clean);
		slip_printf(&o, "QR: %s\n", clean);	/* never wrapped: the printer reads it */
	}
	return slip_end(&o);
}

/* The refusal slip: who, when, every reason in the person's language with
 * its code. */
int receipt_refusal_text(const struct load_rec *ld, const struct config *cfg, enum lang lang,
			 int copy, char *buf, size_t cap)
{
	struct slipbuf o;

	if (!ld || !buf || cap == 0)
		return HG_EINVAL;
	if ((unsigned)lang >= LANG_COUNT)
		lang = LANG_EN;
	slip_init(&o, buf, cap);
	out_head(&o, ld, L_REFUSAL, lang, copy);
	slip_rule(&o, '-');
	out_field(&o, lbl(L_HAULER, lang), ld->m.company);
	out_field(&o, lbl(L_DRIVER, lang), ld->m.driver);
	out_field(&o, lbl(L_PERMIT, lang), ld->m.permit);
	if (ld->m.truck[0])
		out_field(&o, lbl(L_TRUCK, lang), ld->m.truck);
	if (ld->m.waste != WASTE_NONE)
		out_field(&o, lbl(L_WASTE, lang), waste_name(ld->m.waste, lang));
	slip_rule(&o, '-');
	out_field(&o, lbl(L_WHY_REFUSED, lang), "");
	out_reasons(&o, ld->d.refuse, ld->d.n_refuse, lang, cfg);
	slip_rule(&o, '-');
	slip_wrapped(&o, lbl(L_NOTHING, lang));
	if (copy)
		centred(&o, lbl(L_COPY, lang));
	slip_rule(&o, '=');
	return slip_end(&o);
}

/* The bottle label, for the lab: always in English. */
int receipt_label_text(const struct load_rec *ld, char *buf, size_t cap)
{
	struct slipbuf o;
	char when[17], num[32];
	const char *w;

	if (!ld || !buf || cap == 0)
		return HG_EINVAL;
	slip_init(&o, buf, cap);
	centred(&o, lbl(L_SAMPLE, LANG_EN));
	snprintf(num, sizeof num, "%lld", ld->load_no);
	out_field(&o, lbl(L_LOAD, LANG_EN), num);
	text_time_local(ld->t.sampled ? ld->t.sampled : ld->t.decided, when);
	out_field(&o, lbl(L_DATE, LANG_EN), when);
	out_field(&o, lbl(L_HAULER, LANG_EN), ld->m.company);
	w = waste_code(ld->m.waste);
	out_field(&o, lbl(L_WASTE, LANG_EN), w && *w ? w : "");
	out_field(&o, lbl(L_BOTTLE, LANG_EN), ld->bottle);
	if (ld->sampler[0])
		out_field(&o, lbl(L_SAMPLER, LANG_EN), ld->sampler);
	out_field(&o, lbl(L_STATION, LANG_EN), ld->station);
	return slip_end(&o);
}
