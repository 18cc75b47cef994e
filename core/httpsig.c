/* httpsig.c: RFC 9421 signatures (ed25519) and RFC 9530 Content-Digest.
 *
 * Three parts.  A parser of the RFC 8941 structured fields we meet (struct
 * sfp): dictionaries, inner lists, parameters and every bare item, so that a
 * member we do not want is still checked and skipped; dict_find() walks a
 * whole dictionary and says where the value of one key starts.  The
 * signature base (base_build): the covered components' lines, then the
 * "@signature-params" line, which is the serialization of the parsed inner
 * list (params_text), the same bytes the signer wrote.  And the three entry
 * points: httpsig_sign(), httpsig_verify(), httpsig_digest_check().  Start
 * reading at httpsig_verify(). */
#include <stdarg.h>
#include <string.h>

#include <sodium.h>

#include "httpsig.h"
#include "keys.h"
#include "report.h"
#include "slipbuf.h"
#include "text.h"

#define NAME_MAX_ 64			/* bytes of a component's name */
#define SIG_B64 88			/* base64 of 64 bytes, padded */

struct span {
	const char *p;
	size_t n;
};

enum { SF_INT, SF_DEC, SF_STR, SF_TOK, SF_BYTES, SF_BOOL };

/* A bare item: raw is a string's text between its quotes (escapes kept: the
 * only two, \" and \\, are also how it is written back), a token, or a byte
 * sequence's base64; num an integer or a boolean. */
struct sfitem {
	int kind;
	int64_t num;
	struct span raw;
};

struct sfparam {
	struct span key;
	struct sfitem v;
};

/* One signature's inner list and its parameters. */
struct siginput {
	struct span comp[HTTPSIG_COMPONENTS_MAX];
	int ncomp;
	struct sfparam par[HTTPSIG_PARAMS_MAX];
	int npar;
};

/* The parser's place in one field's value; what names the field. */
struct sfp {
	const char *s;
	size_t i;
	const char *what;
};

static int is_lc(int c) { return c >= 'a' && c <= 'z'; }
static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int is_alpha(int c) { return is_lc(c) || (c >= 'A' && c <= 'Z'); }

static int is_tchar(int c)
{
	return is_alpha(c) || is_digit(c) || (c && strchr("!#$%&'*+-.^_`|~", c));
}

static int span_is(struct span a, const char *s)
{
	return a.n == strlen(s) && memcmp(a.p, s, a.n) == 0;
}

static int bad(struct sfp *x, const char *why)
{
	return hg_fail(HG_EINVAL, "%s: %s at byte %zu", x->what, why, x->i);
}

static void skip_sp(struct sfp *x)
{
	while (x->s[x->i] == ' ')
		x->i++;
}

static void skip_ows(struct sfp *x)
{
	while (x->s[x->i] == ' ' || x->s[x->i] == '\t')
		x->i++;
}

/* ---- RFC 8941, the parts a signature and a digest use ---- */

static int sf_key(struct sfp *x, struct span *k)
{
	size_t b = x->i;
	int c = x->s[x->i];

	if (!is_lc(c) && c != '*')
		return bad(x, "a key must start with a lowercase letter or '*'");
	while (is_lc(c = x->s[x->i]) || is_digit(c) || c == '_' || c == '-' || c == '.' || c == '*')
		x->i++;
	*k = (struct span){ x->s + b, x->i - b };
	return HG_OK;
}

/* An integer (at most 15 digits) or a decimal (12 and 3). */
static int sf_number(struct sfp *x, struct sfitem *it)
{
	int neg = 0, n = 0, frac = -1;
	int64_t v = 0;

	if (x->s[x->i] == '-') {
		neg = 1;
		x->i++;
	}
	if (!is_digit(x->s[x->i]))
		return bad(x, "a '-' is not followed by a digit");
	for (int c; (c = x->s[x->i]); x->i++) {
		if (is_digit(c) && frac >= 0) {
			frac++;
		} else if (is_digit(c)) {
			v = v * 10 + (c - '0');
			n++;
		} else if (c == '.' && frac < 0 && n <= 12) {
			frac = 0;
		} else {
			break;
		}
		if (n > 15 || frac > 3)
			return bad(x, "a number has too many digits");
	}
	if (frac == 0)
		return bad(x, "a decimal ends with '.'");
	it->kind = frac < 0 ? SF_INT : SF_DEC;
	it->num = neg ? -v : v;
	return HG_OK;
}

static int sf_bare(struct sfp *x, struct sfitem *it)
{
	const char *s = x->s;
	size_t b;
	int c = (unsigned char)s[x->i];

	memset(it, 0, sizeof *it);
	if (c == '-' || is_digit(c))
		return sf_number(x, it);
	if (c == '"') {
		b = ++x->i;
		while ((c = (unsigned char)s[x->i]) != '"') {
			if (c == '\\') {
				c = s[++x->i];
				if (c != '"' && c != '\\')
					return bad(x, "a string escapes what is neither '\"' nor '\\'");
			} else if (c < 0x20 || c > 0x7e) {
				return bad(x, c ? "a string holds what is not printable ASCII" :
					   "a string is not closed");
			}
			x->i++;
		}
		it->kind = SF_STR;
	} else if (c == ':') {
		b = ++x->i;
		while (is_alpha(c = s[x->i]) || is_digit(c) || c == '+' || c == '/' || c == '=')
			x->i++;
		if (c != ':')
			return bad(x, "a byte sequence is not closed by ':'");
		it->kind = SF_BYTES;
	} else if (c == '?') {
		c = s[++x->i];
		if (c != '0' && c != '1')
			return bad(x, "a boolean is neither ?0 nor ?1");
		x->i++;
		it->kind = SF_BOOL;
		it->num = c == '1';
		return HG_OK;
	} else if (is_alpha(c) || c == '*') {
		b = x->i;
		while (is_tchar(c = s[x->i]) || c == ':' || c == '/')
			x->i++;
		it->kind = SF_TOK;
		it->raw = (struct span){ s + b, x->i - b };
		return HG_OK;
	} else {
		return bad(x, "an item was expected");
	}
	it->raw = (struct span){ s + b, x->i - b };
	x->i++;		/* the closing '"' or ':' */
	return HG_OK;
}

/* Parameters into ps[max] (*np of them), or checked and dropped (ps NULL).
 * A key given twice is refused. */
static int sf_params(struct sfp *x, struct sfparam *ps, int max, int *np)
{
	struct sfparam tmp;
	int rc;

	while (x->s[x->i] == ';') {
		struct sfparam *p = ps ? &ps[*np] : &tmp;

		if (ps && *np >= max)
			return bad(x, "too many parameters");
		x->i++;
		skip_sp(x);
		rc = sf_key(x, &p->key);
		if (rc)
			return rc;
		p->v = (struct sfitem){ .kind = SF_BOOL, .num = 1 };
		if (x->s[x->i] == '=') {
			x->i++;
			rc = sf_bare(x, &p->v);
			if (rc)
				return rc;
		}
		for (int j = 0; ps && j < *np; j++)
			if (ps[j].key.n == p->key.n && !memcmp(ps[j].key.p, p->key.p, p->key.n))
				return bad(x, "a parameter is given twice");
		if (ps)
			(*np)++;
	}
	return HG_OK;
}

/* An inner list at '(' with its parameters, into si, or checked and dropped
 * (si NULL).  Into si only strings without parameters: component names. */
static int sf_inner(struct sfp *x, struct siginput *si)
{
	struct sfitem it;
	int rc, c;

	x->i++;
	for (;;) {
		skip_sp(x);
		if (x->s[x->i] == ')')
			break;
		rc = sf_bare(x, &it);
		if (rc)
			return rc;
		if (si && x->s[x->i] == ';')
			return bad(x, "a component with parameters (;sf, ;key, ;bs, ;req) is not supported");
		rc = sf_params(x, NULL, 0, NULL);
		if (rc)
			return rc;
		if (si && it.kind != SF_STR)
			return bad(x, "a component name is not a string");
		if (si && si->ncomp == HTTPSIG_COMPONENTS_MAX)
			return bad(x, "too many components");
		if (si)
			si->comp[si->ncomp++] = it.raw;
		c = x->s[x->i];
		if (!c)
			return bad(x, "an inner list is not closed");
		if (c != ' ' && c != ')')
			return bad(x, "an inner list's items must be parted by spaces");
	}
	x->i++;
	return si ? sf_params(x, si->par, HTTPSIG_PARAMS_MAX, &si->npar) :
		    sf_params(x, NULL, 0, NULL);
}

/* Check the whole dictionary s and find where the value of key's last
 * member starts (RFC 8941: the last one wins): *at, or SIZE_MAX. */
static int dict_find(const char *s, const char *what, const char *key, size_t *at)
{
	struct sfp x = { s, 0, what };
	struct span k;
	struct sfitem it;
	int rc;

	*at = SIZE_MAX;
	skip_sp(&x);
	while (s[x.i]) {
		rc = sf_key(&x, &k);
		if (rc)
			return rc;
		if (span_is(k, key))
			*at = x.i + (s[x.i] == '=');	/* a bare key: at its parameters */
		if (s[x.i] == '=') {
			x.i++;
			rc = s[x.i] == '(' ? sf_inner(&x, NULL) : sf_bare(&x, &it);
			if (rc)
				return rc;
		}
		rc = sf_params(&x, NULL, 0, NULL);
		if (rc)
			return rc;
		skip_ows(&x);
		if (!s[x.i])
			break;
		if (s[x.i] != ',')
			return bad(&x, "members must be parted by ','");
		x.i++;
		skip_ows(&x);
		if (!s[x.i])
			return bad(&x, "a ',' ends the field");
	}
	return HG_OK;
}

/* ---- the signature base ---- */

static const char *const derived[] = { "@method", "@authority", "@path", "@query" };

/* name is a component we can cover: one of derived[], or a lowercase field name. */
static int comp_check(struct span name)
{
	for (size_t i = 0; i < HG_ARRAY_LEN(derived); i++)
		if (span_is(name, derived[i]))
			return HG_OK;
	if (name.n == 0 || name.n > NAME_MAX_ || name.p[0] == '@')
		return hg_fail(HG_EINVAL, "the component '%.*s' is not one we can cover",
			       (int)name.n, name.p);
	for (size_t i = 0; i < name.n; i++)
		if (!is_tchar(name.p[i]) || (name.p[i] >= 'A' && name.p[i] <= 'Z'))
			return hg_fail(HG_EINVAL, "the component '%.*s' is not a lowercase field name",
				       (int)name.n, name.p);
	return HG_OK;
}

static int covers(const struct siginput *si, const char *name)
{
	for (int i = 0; i < si->ncomp; i++)
		if (span_is(si->comp[i], name))
			return 1;
	return 0;
}

/* si's inner list and parameters as RFC 8941 writes them, into out[cap]. */
static int params_text(const struct siginput *si, char *out, size_t cap)
{
	struct slipbuf o;

	slip_init(&o, out, cap);
	slip_put(&o, "(", 1);
	for (int i = 0; i < si->ncomp; i++)
		slip_printf(&o, "%s\"%.*s\"", i ? " " : "", (int)si->comp[i].n, si->comp[i].p);
	slip_put(&o, ")", 1);
	for (int i = 0; i < si->npar; i++) {
		const struct sfparam *p = &si->par[i];
		const char *q = p->v.kind == SF_STR ? "\"" : p->v.kind == SF_BYTES ? ":" : "";

		slip_printf(&o, ";%.*s", (int)p->key.n, p->key.p);
		if (p->v.kind == SF_INT)
			slip_printf(&o, "=%lld", (long long)p->v.num);
		else if (p->v.kind == SF_BOOL && !p->v.num)
			slip_puts(&o, "=?0");
		else if (p->v.kind == SF_DEC)
			return hg_fail(HG_EINVAL, "the signature parameter '%.*s' is a decimal",
				       (int)p->key.n, p->key.p);
		else if (p->v.kind != SF_BOOL)
			slip_printf(&o, "=%s%.*s%s", q, (int)p->v.raw.n, p->v.raw.p, q);
	}
	return slip_end(&o) < 0 ? hg_fail(HG_ETOOLONG, "the signature parameters are too long") : HG_OK;
}

/* The line of one component into o.  HG_ENOTFOUND: a header the request
 * does not have. */
static int base_line(const struct httpsig_request *req, struct span name, struct slipbuf *o)
{
	char key[NAME_MAX_ + 1];
	const char *v;
	size_t n;

	slip_printf(o, "\"%.*s\": ", (int)name.n, name.p);
	if (span_is(name, "@method")) {
		slip_puts(o, req->method);
	} else if (span_is(name, "@authority")) {
		for (const char *c = req->authority; *c; c++)
			slip_put(o, &(char){ (char)(*c >= 'A' && *c <= 'Z' ? *c + 32 : *c) }, 1);
	} else if (span_is(name, "@path")) {
		slip_puts(o, *req->path ? req->path : "/");
	} else if (span_is(name, "@query")) {
		slip_printf(o, "?%s", req->query ? req->query : "");
	} else {
		memcpy(key, name.p, name.n);
		key[name.n] = '\0';
		v = req->header ? req->header(req->ctx, key) : NULL;
		if (!v)
			return hg_fail(HG_ENOTFOUND, "the covered field '%s' is not in the request", key);
		while (*v == ' ' || *v == '\t')
			v++;
		n = strlen(v);
		while (n && (v[n - 1] == ' ' || v[n - 1] == '\t'))
			n--;
		for (size_t i = 0; i < n; i++)
			if ((unsigned char)v[i] < 0x20 && v[i] != '\t')
				return hg_fail(HG_EINVAL, "the field '%s' holds a control character", key);
		slip_put(o, v, n);
	}
	slip_put(o, "\n", 1);
	return HG_OK;
}

/* The signature base of si (whose serialized parameters are params) into
 * out[cap]; its length, or an error (HG_ENOTFOUND: a covered header missing). */
static int base_build(const struct httpsig_request *req, const struct siginput *si,
		      const char *params, char *out, size_t cap)
{
	struct slipbuf o;
	int rc, n;

	slip_init(&o, out, cap);
	for (int i = 0; i < si->ncomp; i++) {
		rc = comp_check(si->comp[i]);
		if (rc)
			return rc;
		for (int j = 0; j < i; j++)
			if (si->comp[j].n == si->comp[i].n && !memcmp(si->comp[j].p, si->comp[i].p, si->comp[i].n))
				return hg_fail(HG_EINVAL, "the component '%.*s' is covered twice",
					       (int)si->comp[i].n, si->comp[i].p);
		rc = base_line(req, si->comp[i], &o);
		if (rc)
			return rc;
	}
	slip_printf(&o, "\"@signature-params\": %s", params);
	n = slip_end(&o);
	if (n < 0)
		return hg_fail(HG_ETOOLONG, "the signature base is over %zu bytes", cap - 1);
	return n;
}

/* The signature labelled label in the Signature-Input text si_text: into
 * si, and its parameters as written back into params[cap]. */
static int parse_input(const char *si_text, const char *label, struct siginput *si,
		       char *params, size_t cap)
{
	struct sfp x;
	size_t at;
	int rc;

	rc = dict_find(si_text, "Signature-Input", label, &at);
	if (rc)
		return rc;
	if (at == SIZE_MAX || si_text[at] != '(')
		return hg_fail(HG_EINVAL, "Signature-Input has no inner list labelled '%s'", label);
	x = (struct sfp){ si_text, at, "Signature-Input" };
	rc = sf_inner(&x, si);
	if (rc)
		return rc;
	return params_text(si, params, cap);
}

int httpsig_base(const struct httpsig_request *req, const char *label, char *out, size_t cap)
{
	const char *si_text = req->header(req->ctx, "signature-input");
	char params[HTTPSIG_INPUT_MAX];
	struct siginput si = { .ncomp = 0 };
	int rc;

	if (!si_text)
		return hg_fail(HG_EINVAL, "the request has no Signature-Input");
	rc = parse_input(si_text, label ? label : HTTPSIG_LABEL, &si, params, sizeof params);
	if (rc)
		return rc;
	return base_build(req, &si, params, out, cap);
}

/* ---- signing ---- */

static int param_str(struct siginput *si, const char *key, const char *v)
{
	if (!v)
		return HG_OK;
	for (const char *c = v; *c; c++)
		if (*c < 0x20 || *c > 0x7e || *c == '"' || *c == '\\')
			return hg_fail(HG_EINVAL, "the %s '%s' is not printable ASCII without '\"' or '\\'",
				       key, v);
	si->par[si->npar++] = (struct sfparam){ { key, strlen(key) },
						{ SF_STR, 0, { v, strlen(v) } } };
	return HG_OK;
}

int httpsig_sign(const struct httpsig_request *req, const struct httpsig_params *p,
		 const uint8_t sk[64], char *input, size_t icap, char *sig, size_t scap)
{
	const char *label = p->label ? p->label : HTTPSIG_LABEL;
	const char *def[8];
	const char *const *cov = p->covered;
	char params[HTTPSIG_INPUT_MAX], base[HTTPSIG_BASE_MAX], b64[SIG_B64 + 1];
	struct siginput si = { .npar = 1 };
	struct sfp x = { label, 0, "the label" };
	struct span k;
	uint8_t s[crypto_sign_BYTES];
	int rc, n = 0, len;

	rc = keys_crypto_ready();
	if (rc)
		return hg_fail(rc, "libsodium does not start");
	rc = sf_key(&x, &k);
	if (rc || label[x.i])
		return hg_fail(HG_EINVAL, "the label '%s' is not a structured-field key", label);
	if (!cov) {
		def[n++] = "@method", def[n++] = "@authority", def[n++] = "@path";
		if (req->query)
			def[n++] = "@query";
		if (req->header && req->header(req->ctx, "content-digest"))
			def[n++] = "content-digest";
		if (req->header && req->header(req->ctx, "content-type"))
			def[n++] = "content-type";
		def[n] = NULL;
		cov = def;
	}
	for (; *cov; cov++) {
		if (si.ncomp == HTTPSIG_COMPONENTS_MAX)
			return hg_fail(HG_EINVAL, "more than %d components", HTTPSIG_COMPONENTS_MAX);
		si.comp[si.ncomp++] = (struct span){ *cov, strlen(*cov) };
	}
	if (!p->keyid || !*p->keyid || strlen(p->keyid) > HTTPSIG_KEYID_MAX)
		return hg_fail(HG_EINVAL, "a signature needs a keyid of 1 to %d bytes", HTTPSIG_KEYID_MAX);
	si.par[0] = (struct sfparam){ { "created", 7 }, { SF_INT, p->created, { NULL, 0 } } };
	rc = param_str(&si, "keyid", p->keyid);
	if (!rc)
		rc = param_str(&si, "alg", p->alg);
	if (!rc)
		rc = param_str(&si, "nonce", p->nonce);
	if (!rc)
		rc = param_str(&si, "tag", p->tag);
	if (!rc)
		rc = params_text(&si, params, sizeof params);
	if (rc)
		return rc;
	len = base_build(req, &si, params, base, sizeof base);
	if (len < 0)
		return len == HG_ENOTFOUND ? HG_EINVAL : len;
	crypto_sign_detached(s, NULL, (const uint8_t *)base, (size_t)len, sk);
	sodium_bin2base64(b64, sizeof b64, s, sizeof s, sodium_base64_VARIANT_ORIGINAL);
	n = snprintf(input, icap, "%s=%s", label, params);
	if (n < 0 || (size_t)n >= icap)
		return hg_fail(HG_ETOOLONG, "the Signature-Input is over %zu bytes", icap);
	n = snprintf(sig, scap, "%s=:%s:", label, b64);
	if (n < 0 || (size_t)n >= scap)
		return hg_fail(HG_ETOOLONG, "the Signature is over %zu bytes", scap);
	return HG_OK;
}

/* ---- verifying ---- */

static int refuse(struct httpsig_result *r, enum httpsig_fault f, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int refuse(struct httpsig_result *r, enum httpsig_fault f, const char *fmt, ...)
{
	va_list ap;

	r->fault = f;
	va_start(ap, fmt);
	hg_failv(HG_EREFUSED, fmt, ap);
	va_end(ap);
	return HG_EREFUSED;
}

/* A refusal whose words a parser already wrote. */
static int malformed(struct httpsig_result *r)
{
	r->fault = HTTPSIG_MALFORMED;
	return HG_EREFUSED;
}

static const struct sfparam *param(const struct siginput *si, const char *key)
{
	for (int i = 0; i < si->npar; i++)
		if (span_is(si->par[i].key, key))
			return &si->par[i];
	return NULL;
}

/* A byte sequence of exactly n bytes into out. */
static int bytes(struct span b64, uint8_t *out, size_t n, const char *what)
{
	size_t got = 0;
	const char *end = NULL;

	if (sodium_base642bin(out, n, b64.p, b64.n, NULL, &got, &end,
			      sodium_base64_VARIANT_ORIGINAL) != 0 || end != b64.p + b64.n || got != n)
		return hg_fail(HG_EINVAL, "%s is not %zu bytes of base64", what, n);
	return HG_OK;
}

/* The parameters' rules: created, keyid, alg, tag, expires, and the skew. */
static int check_params(const struct siginput *si, const struct httpsig_policy *pol,
			struct httpsig_result *r)
{
	const struct sfparam *created = param(si, "created"), *keyid = param(si, "keyid");
	const struct sfparam *alg = param(si, "alg"), *tag = param(si, "tag");
	const struct sfparam *expires = param(si, "expires");
	size_t o = 0;

	if (!keyid || keyid->v.kind != SF_STR || !keyid->v.raw.n || keyid->v.raw.n > HTTPSIG_KEYID_MAX)
		return refuse(r, HTTPSIG_MALFORMED, "the signature has no keyid string");
	for (size_t i = 0; i < keyid->v.raw.n; i++)
		r->keyid[o++] = keyid->v.raw.p[i] == '\\' ? keyid->v.raw.p[++i] : keyid->v.raw.p[i];
	r->keyid[o] = '\0';
	if (!created || created->v.kind != SF_INT)
		return refuse(r, HTTPSIG_MALFORMED, "the signature has no created integer");
	r->created = created->v.num;
	if (alg && (alg->v.kind != SF_STR || !span_is(alg->v.raw, HTTPSIG_ALG)))
		return refuse(r, HTTPSIG_MALFORMED, "the signature's alg is not \"ed25519\"");
	if (pol->tag && (!tag || tag->v.kind != SF_STR || !span_is(tag->v.raw, pol->tag)))
		return refuse(r, HTTPSIG_MALFORMED, "the signature's tag is not \"%s\"", pol->tag);
	if (expires && expires->v.kind != SF_INT)
		return refuse(r, HTTPSIG_MALFORMED, "the signature's expires is not an integer");
	if (r->created > pol->now + pol->skew || r->created < pol->now - pol->skew)
		return refuse(r, HTTPSIG_STALE, "stale: created %lld is %lld s from now (at most %lld)",
			      (long long)r->created, (long long)(r->created - pol->now),
			      (long long)pol->skew);
	if (expires && expires->v.num < pol->now)
		return refuse(r, HTTPSIG_STALE, "stale: the signature expired %lld s ago",
			      (long long)(pol->now - expires->v.num));
	return HG_OK;
}

int httpsig_verify(const struct httpsig_request *req, const struct httpsig_policy *pol,
		   const void *body, size_t body_len, struct httpsig_result *res)
{
	const char *label = pol->label ? pol->label : HTTPSIG_LABEL;
	const char *si_text = req->header(req->ctx, "signature-input");
	const char *sig_text = req->header(req->ctx, "signature");
	const char *digest = req->header(req->ctx, "content-digest");
	const char *need[] = { "@method", "@authority", "@path",
			       req->query ? "@query" : NULL, body_len ? "content-digest" : NULL };
	char params[HTTPSIG_INPUT_MAX], base[HTTPSIG_BASE_MAX];
	struct siginput si = { .ncomp = 0 };
	struct sfitem it;
	struct sfp x;
	size_t at;
	uint8_t pk[crypto_sign_PUBLICKEYBYTES], s[crypto_sign_BYTES];
	int rc, len;

	memset(res, 0, sizeof *res);
	rc = keys_crypto_ready();
	if (rc)
		return hg_fail(rc, "libsodium does not start");
	if (!si_text || !sig_text)
		return refuse(res, HTTPSIG_MALFORMED, "the request is not signed (no %s field)",
			      si_text ? "Signature" : "Signature-Input");
	rc = parse_input(si_text, label, &si, params, sizeof params);
	if (!rc)
		rc = dict_find(sig_text, "Signature", label, &at);
	if (rc)
		return malformed(res);
	x = (struct sfp){ sig_text, at, "Signature" };
	if (at == SIZE_MAX || sf_bare(&x, &it) || it.kind != SF_BYTES)
		return refuse(res, HTTPSIG_MALFORMED, "Signature has no byte sequence labelled '%s'", label);
	rc = bytes(it.raw, s, sizeof s, "the signature");
	if (rc)
		return malformed(res);
	rc = check_params(&si, pol, res);
	if (rc)
		return rc;
	for (size_t i = 0; i < HG_ARRAY_LEN(need); i++)
		if (need[i] && !covers(&si, need[i]))
			return refuse(res, HTTPSIG_MISSING_COMPONENT,
				      "missing component: the signature does not cover %s", need[i]);
	len = base_build(req, &si, params, base, sizeof base);
	if (len == HG_ENOTFOUND)
		return refuse(res, HTTPSIG_MISSING_COMPONENT, "missing component: %s", hg_error_text());
	if (len < 0)
		return malformed(res);
	rc = pol->key(pol->key_ctx, res->keyid, pk);
	if (rc == HG_ENOTFOUND)
		return refuse(res, HTTPSIG_UNKNOWN_KEY, "unknown key '%s'", res->keyid);
	if (rc)
		return rc;
	if (crypto_sign_verify_detached(s, (const uint8_t *)base, (size_t)len, pk) != 0)
		return refuse(res, HTTPSIG_BAD_SIGNATURE, "bad signature: key '%s' did not sign this request",
			      res->keyid);
	rc = digest ? httpsig_digest_check(digest, body, body_len) : HG_OK;
	if (rc == HG_EREFUSED)
		return refuse(res, HTTPSIG_DIGEST_MISMATCH, "digest mismatch: %s", hg_error_text());
	if (rc)
		return malformed(res);
	return HG_OK;
}

const char *httpsig_fault_name(enum httpsig_fault f)
{
	static const char *const names[] = {
		[HTTPSIG_OK] = "ok", [HTTPSIG_MALFORMED] = "malformed",
		[HTTPSIG_MISSING_COMPONENT] = "missing-component", [HTTPSIG_STALE] = "stale",
		[HTTPSIG_UNKNOWN_KEY] = "unknown-key", [HTTPSIG_BAD_SIGNATURE] = "bad-signature",
		[HTTPSIG_DIGEST_MISMATCH] = "digest-mismatch",
	};

	return (unsigned)f < HG_ARRAY_LEN(names) ? names[f] : "?";
}

/* ---- Content-Digest ---- */

int httpsig_digest(const void *body, size_t len, char *out, size_t cap)
{
	uint8_t h[crypto_hash_sha256_BYTES];
	char b64[sodium_base64_ENCODED_LEN(sizeof h, sodium_base64_VARIANT_ORIGINAL)];
	int n;

	text_sha256(body, len, h);
	sodium_bin2base64(b64, sizeof b64, h, sizeof h, sodium_base64_VARIANT_ORIGINAL);
	n = snprintf(out, cap, "sha-256=:%s:", b64);
	if (n < 0 || (size_t)n >= cap)
		return hg_fail(HG_ETOOLONG, "a Content-Digest does not fit in %zu bytes", cap);
	return HG_OK;
}

int httpsig_digest_check(const char *value, const void *body, size_t len)
{
	static const char *const alg[] = { "sha-256", "sha-512" };
	uint8_t want[crypto_hash_sha512_BYTES], got[crypto_hash_sha512_BYTES];
	size_t n, at;
	struct sfitem it;
	struct sfp x;
	int rc, found = 0;

	for (size_t a = 0; a < HG_ARRAY_LEN(alg); a++) {
		rc = dict_find(value, "Content-Digest", alg[a], &at);
		if (rc)
			return rc;
		if (at == SIZE_MAX)
			continue;
		x = (struct sfp){ value, at, "Content-Digest" };
		if (sf_bare(&x, &it) || it.kind != SF_BYTES)
			return hg_fail(HG_EINVAL, "Content-Digest's %s is not a byte sequence", alg[a]);
		n = a ? crypto_hash_sha512_BYTES : crypto_hash_sha256_BYTES;
		rc = bytes(it.raw, want, n, a ? "the sha-512 digest" : "the sha-256 digest");
		if (rc)
			return rc;
		if (a)
			crypto_hash_sha512(got, body, len);
		else
			text_sha256(body, len, got);
		if (sodium_memcmp(want, got, n) != 0)
			return hg_fail(HG_EREFUSED, "the body's %s is not the one Content-Digest gives", alg[a]);
		found = 1;
	}
	if (!found)
		return hg_fail(HG_EINVAL, "Content-Digest has neither sha-256 nor sha-512");
	return HG_OK;
}
