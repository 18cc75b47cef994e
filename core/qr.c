/* qr.c: the signed QR texts of a receipt and of a sample bottle's label.
 *
 * receipt_qr() writes the fields of a load in a fixed order and signs every
 * byte before "&s="; receipt_qr_verify() accepts exactly that grammar and
 * nothing else (see qr.h), then checks the signature.  The bottle label's QR
 * (receipt_label_qr) is signed the same way but starts "?k=bottle&v=1", so
 * neither verifier takes the other's.  The key is core/keys.c's; the text is
 * written with core/slipbuf.c's bounded writer.  Start reading at
 * receipt_qr(). */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "i18n.h"
#include "qr.h"
#include "slipbuf.h"
#include "text.h"

#define SIG_B64_LEN 86		/* 64 bytes in base64url without padding */
#define QR_FIELDS 8		/* name=value pairs of either QR, "s" the last */

static int unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '_' || c == '~' || c == '-';
}

/* Percent-encode s: everything but [A-Za-z0-9._~-] as %XX (uppercase). */
static void out_pct(struct slipbuf *o, const char *s)
{
	static const char hx[] = "0123456789ABCDEF";

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		char e[3] = { '%', hx[*p >> 4], hx[*p & 15] };

		if (unreserved(*p))
			slip_put(o, (const char *)p, 1);
		else
			slip_put(o, e, 3);
	}
}

static int valid_station(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 31)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '-'))
			return 0;
	return 1;
}

static int valid_waste_word(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 15)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
			return 0;
	return 1;
}

/* The base may not hold what would make the QR text ambiguous. */
static int valid_base(const char *s)
{
	if (strlen(s) >= sizeof ((struct qr_fields *)0)->base)
		return 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p <= ' ' || *p >= 0x7f || *p == '?' || *p == '#' || *p == '&')
			return 0;
	return 1;
}

/* Sign what o holds and append "&s=<signature>": the end of both QR texts.
 * HG_ETOOLONG (the text emptied) when it does not fit. */
static int sign_and_close(const struct keypair *kp, struct slipbuf *o)
{
	uint8_t sig[crypto_sign_BYTES];
	char b64[SIG_B64_LEN + 1];

	if (o->over)
		return slip_end(o);
	if (crypto_sign_detached(sig, NULL, (const unsigned char *)o->buf, o->len, kp->sk) != 0)
		return HG_EIO;
	sodium_bin2base64(b64, sizeof b64, sig, sizeof sig,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	slip_puts(o, "&s=");
	slip_puts(o, b64);
	return o->over ? slip_end(o) : HG_OK;
}

/* Compose and sign; see qr.h for the grammar. */
int receipt_qr(const struct keypair *kp, const char *base, const struct load_rec *ld,
	       char out[QR_MAX])
{
	struct slipbuf o;
	char t[17];
	const char *w;
	int r;

	if (!kp || !ld || !out)
		return HG_EINVAL;
	slip_init(&o, out, QR_MAX);
	if (!base)
		base = "";
	w = waste_code(ld->m.waste);
	if (!valid_base(base) || !valid_station(ld->station) || ld->load_no < 1 ||
	    ld->m.gallons < 0 || !w || !valid_waste_word(w) ||
	    text_check(ld->m.permit, LIM_PERMIT, 0) != TEXT_OK)
		return HG_EINVAL;
	r = keys_crypto_ready();
	if (r)
		return r;
	text_time_compact(ld->t.decided, t);

	slip_puts(&o, base);
	slip_puts(&o, "?v=1&st=");
	out_pct(&o, ld->station);
	slip_printf(&o, "&n=%lld&t=%s&g=%ld&w=", ld->load_no, t, ld->m.gallons);
	out_pct(&o, w);
	slip_puts(&o, "&p=");
	out_pct(&o, ld->m.permit);
	return sign_and_close(kp, &o);
}

/* Percent-decode s[0..n) into out[cap]: raw bytes must be unreserved, every
 * other byte written %XX; %00 is refused. */
static int pct_decode(const char *s, size_t n, char *out, size_t cap)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '%') {
			int hi, lo;

			if (i + 2 >= n)
				return -1;
			hi = text_hexval(s[i + 1]);
			lo = text_hexval(s[i + 2]);
			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
				return -1;
			c = (unsigned char)(hi * 16 + lo);
			i += 2;
		} else if (!unreserved(c)) {
			return -1;
		}
		if (o + 1 >= cap)
			return -1;
		out[o++] = (char)c;
	}
	out[o] = '\0';
	return 0;
}

/* A canonical decimal number (no sign, no leading zero) of at most maxdig
 * digits. */
static int parse_digits(const char *s, size_t n, int maxdig, long long *v)
{
	long long x = 0;

	if (n == 0 || (int)n > maxdig || (n > 1 && s[0] == '0'))
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		x = x * 10 + (s[i] - '0');
	}
	*v = x;
	return 0;
}

/* "YYYYMMDDThhmmssZ" as written by text_time_compact(), and nothing else. */
static int parse_compact(const char *s, size_t n, hg_time *t)
{
	char iso[21], back[17];

	if (n != 16 || s[8] != 'T' || s[15] != 'Z')
		return -1;
	snprintf(iso, sizeof iso, "%.4s-%.2s-%.2sT%.2s:%.2s:%.2sZ", s, s + 4, s + 6, s + 9,
		 s + 11, s + 13);
	for (int i = 0; i < 15; i++)
		if (i != 8 && (s[i] < '0' || s[i] > '9'))
			return -1;
	if (text_parse_time(iso, t) < 0)
		return -1;
	text_time_compact(*t, back);
	return memcmp(back, s, 16) == 0 ? 0 : -1;
}

/* A QR text split at its names: where each value starts and how long it
 * is; signed_len the bytes before "&s=". */
struct query {
	const char *val[QR_FIELDS];
	size_t vlen[QR_FIELDS];
	size_t signed_len;
};

/* Split text "<base>?n1=v1&n2=v2&...&s=<sig>" with exactly these names in
 * this order (the last one "s"): the base into base[cap], the values into
 * *qv.  0, or -1 when the text is not of that shape. */
static int split_query(const char *text, const char *const names[QR_FIELDS], char *base,
		       size_t cap, struct query *qv)
{
	const size_t n = QR_FIELDS;
	const char **val = qv->val;
	size_t *vlen = qv->vlen, *signed_len = &qv->signed_len;
	const char *q, *p;

	if (strnlen(text, QR_MAX) >= QR_MAX)
		return -1;
	q = strchr(text, '?');
	if (!q || (size_t)(q - text) >= cap)
		return -1;
	memcpy(base, text, (size_t)(q - text));
	base[q - text] = '\0';
	if (!valid_base(base))
		return -1;
	p = q + 1;
	for (size_t i = 0; i < n; i++) {
		size_t nl = strlen(names[i]);
		const char *end;

		if (strncmp(p, names[i], nl) != 0 || p[nl] != '=')
			return -1;
		val[i] = p + nl + 1;
		end = strchr(val[i], '&');
		if (i + 1 < n) {
			if (!end)
				return -1;
			if (i + 2 == n)
				*signed_len = (size_t)(end - text);	/* up to "&s=" */
		} else if (end) {
			return -1;	/* something after the signature */
		}
		if (!end)
			end = val[i] + strlen(val[i]);
		vlen[i] = (size_t)(end - val[i]);
		p = *end ? end + 1 : end;
	}
	return 0;
}

/* Check the base64url signature (the value of "s") over the bytes before
 * "&s=": HG_OK, HG_EINVAL (not a signature) or HG_EREFUSED (not ours). */
static int check_signature(const uint8_t pk[KEY_PUBLIC], const char *text,
			   const struct query *qv)
{
	const char *b64 = qv->val[QR_FIELDS - 1];
	size_t len = qv->vlen[QR_FIELDS - 1];
	uint8_t sig[crypto_sign_BYTES];
	size_t siglen = 0;
	const char *b64end = NULL;
	int r;

	if (len != SIG_B64_LEN ||
	    sodium_base642bin(sig, sizeof sig, b64, len, NULL, &siglen, &b64end,
			      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    siglen != sizeof sig || b64end != b64 + len)
		return HG_EINVAL;
	r = keys_crypto_ready();
	if (r)
		return r;
	if (crypto_sign_verify_detached(sig, (const unsigned char *)text, qv->signed_len, pk) != 0)
		return HG_EREFUSED;
	return HG_OK;
}

/* The start of both verifiers: the arguments checked, f[size] and tmp[size]
 * cleared, text split at names into *qv with the base in base[cap] (inside
 * tmp), and value vi the version "1".  HG_OK or HG_EINVAL. */
static int verify_begin(const uint8_t *pk, const char *text, void *f, void *tmp, size_t size,
			const char *const names[QR_FIELDS], char *base, size_t cap,
			struct query *qv, int vi)
{
	memset(tmp, 0, size);
	if (!pk || !text)
		return HG_EINVAL;
	if (f)
		memset(f, 0, size);
	if (split_query(text, names, base, cap, qv) < 0)
		return HG_EINVAL;
	return qv->vlen[vi] == 1 && qv->val[vi][0] == '1' ? HG_OK : HG_EINVAL;
}

/* Values i and i + 1 of both QRs: the station (into station[cap]) and the
 * load number.  0, or -1 when either is malformed. */
static int station_and_load(const struct query *qv, int i, char *station, size_t cap,
			    long long *load_no)
{
	if (pct_decode(qv->val[i], qv->vlen[i], station, cap) < 0 || !valid_station(station))
		return -1;
	if (parse_digits(qv->val[i + 1], qv->vlen[i + 1], 18, load_no) < 0 || *load_no < 1)
		return -1;
	return 0;
}

/* The receipt's fields of text into *tmp and its split into *qv, the
 * signature not checked: HG_OK or HG_EINVAL (the one parser of both
 * receipt_qr_read() and receipt_qr_verify()). */
static int receipt_parse(const uint8_t *pk, const char *text, struct qr_fields *f,
			 struct qr_fields *tmp, struct query *qv)
{
	static const char *const names[QR_FIELDS] = { "v", "st", "n", "t", "g", "w", "p", "s" };
	long long num;
	int r;

	r = verify_begin(pk, text, f, tmp, sizeof *tmp, names, tmp->base, sizeof tmp->base, qv, 0);
	if (r)
		return r;
	tmp->v = 1;
	if (station_and_load(qv, 1, tmp->station, sizeof tmp->station, &tmp->load_no) < 0)
		return HG_EINVAL;
	if (parse_compact(qv->val[3], qv->vlen[3], &tmp->t) < 0)
		return HG_EINVAL;
	if (parse_digits(qv->val[4], qv->vlen[4], 9, &num) < 0)
		return HG_EINVAL;
	tmp->gallons = (long)num;
	if (pct_decode(qv->val[5], qv->vlen[5], tmp->waste, sizeof tmp->waste) < 0 ||
	    !valid_waste_word(tmp->waste))
		return HG_EINVAL;
	if (pct_decode(qv->val[6], qv->vlen[6], tmp->permit, sizeof tmp->permit) < 0 ||
	    text_check(tmp->permit, LIM_PERMIT, 0) != TEXT_OK)
		return HG_EINVAL;
	return HG_OK;
}

/* Parse only; see qr.h. */
int receipt_qr_read(const char *text, struct qr_fields *f)
{
	static const uint8_t none[KEY_PUBLIC];
	struct query qv;
	struct qr_fields tmp;
	int r;

	r = receipt_parse(none, text, f, &tmp, &qv);
	if (r == HG_OK && f)
		*f = tmp;
	return r;
}

/* Parse and check; see qr.h. */
int receipt_qr_verify(const uint8_t pk[KEY_PUBLIC], const char *text, struct qr_fields *f)
{
	struct query qv;
	struct qr_fields tmp;
	int r;

	r = receipt_parse(pk, text, f, &tmp, &qv);
	if (r)
		return r;
	r = check_signature(pk, text, &qv);
	if (r == HG_OK && f)
		*f = tmp;
	return r;
}

/* ---- the bottle label's QR ---- */

/* Compose and sign; see qr.h for the grammar. */
int receipt_label_qr(const struct keypair *kp, const char *base, const struct load_rec *ld,
		     char out[QR_MAX])
{
	struct slipbuf o;
	char t[17];
	int r;

	if (!kp || !ld || !out)
		return HG_EINVAL;
	slip_init(&o, out, QR_MAX);
	if (!base)
		base = "";
	if (!valid_base(base) || !valid_station(ld->station) || ld->load_no < 1 ||
	    ld->sampled_by < 1 || ld->t.sampled <= 0 ||
	    text_check(ld->bottle, LIM_BOTTLE, 0) != TEXT_OK || !ld->bottle[0])
		return HG_EINVAL;
	r = keys_crypto_ready();
	if (r)
		return r;
	text_time_compact(ld->t.sampled, t);
	slip_puts(&o, base);
	slip_puts(&o, "?k=bottle&v=1&st=");
	out_pct(&o, ld->station);
	slip_printf(&o, "&n=%lld&b=", ld->load_no);
	out_pct(&o, ld->bottle);
	slip_printf(&o, "&t=%s&op=%lld", t, ld->sampled_by);
	return sign_and_close(kp, &o);
}

/* Parse and check; see qr.h. */
int receipt_label_qr_verify(const uint8_t pk[KEY_PUBLIC], const char *text,
			    struct label_fields *f)
{
	static const char *const names[QR_FIELDS] = { "k", "v", "st", "n", "b", "t", "op", "s" };
	struct query qv;
	long long num;
	struct label_fields tmp;
	int r;

	r = verify_begin(pk, text, f, &tmp, sizeof tmp, names, tmp.base, sizeof tmp.base, &qv, 1);
	if (r)
		return r;
	if (qv.vlen[0] != 6 || memcmp(qv.val[0], "bottle", 6) != 0)
		return HG_EINVAL;
	tmp.v = 1;
	if (station_and_load(&qv, 2, tmp.station, sizeof tmp.station, &tmp.load_no) < 0)
		return HG_EINVAL;
	if (pct_decode(qv.val[4], qv.vlen[4], tmp.bottle, sizeof tmp.bottle) < 0 || !tmp.bottle[0] ||
	    text_check(tmp.bottle, LIM_BOTTLE, 0) != TEXT_OK)
		return HG_EINVAL;
	if (parse_compact(qv.val[5], qv.vlen[5], &tmp.t) < 0)
		return HG_EINVAL;
	if (parse_digits(qv.val[6], qv.vlen[6], 18, &num) < 0 || num < 1)
		return HG_EINVAL;
	tmp.sampler = num;
	r = check_signature(pk, text, &qv);
	if (r == HG_OK && f)
		*f = tmp;
	return r;
}

/* Field names in *field: "station", "load_no", "time", "gallons", "waste",
 * "permit". */
int receipt_qr_matches(const struct qr_fields *f, const struct load_rec *ld, const char **field)
{
	const char *w, *diff = NULL;

	if (!f || !ld) {
		if (field)
			*field = "record";
		return 0;
	}
	w = waste_code(ld->m.waste);
	if (strcmp(f->station, ld->station) != 0)
		diff = "station";
	else if (f->load_no != ld->load_no)
		diff = "load_no";
	else if (f->t != ld->t.decided)
		diff = "time";
	else if (f->gallons != ld->m.gallons)
		diff = "gallons";
	else if (!w || strcmp(f->waste, w) != 0)
		diff = "waste";
	else if (strcmp(f->permit, ld->m.permit) != 0)
		diff = "permit";
	if (field)
		*field = diff;
	return diff == NULL;
}
