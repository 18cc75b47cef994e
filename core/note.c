/* note.c: C2SP signed notes and tlog checkpoints with Ed25519 keys.
 *
 * The grammar is the spec's and Go's note.Open()'s, byte for byte: the
 * whole note valid UTF-8 with no control character but the newline; the
 * text is everything up to the last blank line (its newline kept); after it
 * come one or more lines "— <name> <base64>\n".  split() finds the text and
 * the signature block, sig_line() reads one signature line, and note_open(),
 * note_sign() and note_cosign() are written on those two.  Checkpoints
 * (note_checkpoint_text, note_checkpoint_parse) are the three lines of
 * c2sp.org/tlog-checkpoint.  Output goes through a bounded writer (struct
 * wbuf) that fails with HG_ETOOLONG, never cuts.  Start reading at
 * note_open(). */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "keys.h"
#include "note.h"
#include "report.h"

#define EM_DASH_SP "\xe2\x80\x94 "	/* U+2014 and a space: 4 bytes */
#define SIG_ED25519 (4 + 64)		/* key id and signature */
#define ROOT_B64 44			/* base64 of 32 bytes */
#define ALG_ED25519 0x01

/* --- text ------------------------------------------------------------- */

/* The code point at s[0..n), n >= 1, into *cp: its length 1..4, or -1 when
 * the bytes are not valid UTF-8 (overlong, a surrogate, past U+10FFFF, cut
 * short, a stray continuation byte). */
static int utf8_at(const unsigned char *s, size_t n, uint32_t *cp)
{
	unsigned char c = s[0];
	uint32_t v, min;
	int len;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		v = c & 0x1f;
		min = 0x80;
	} else if ((c & 0xf0) == 0xe0) {
		len = 3;
		v = c & 0x0f;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		v = c & 0x07;
		min = 0x10000;
	} else {
		return -1;
	}
	if ((size_t)len > n)
		return -1;
	for (int i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return -1;
		v = (v << 6) | (s[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return -1;
	*cp = v;
	return len;
}

/* Unicode White_Space (Go's unicode.IsSpace): no key name may hold one. */
static int uspace(uint32_t c)
{
	return (c >= 0x09 && c <= 0x0d) || c == 0x20 || c == 0x85 || c == 0xa0 || c == 0x1680 ||
	       (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 || c == 0x202f ||
	       c == 0x205f || c == 0x3000;
}

/* s[n] is valid UTF-8 with no control character but the newline (what
 * every note must be).  what names it in the words. */
static int text_valid(const char *s, size_t n, const char *what)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t cp;

	for (size_t i = 0; i < n;) {
		int k = utf8_at(u + i, n - i, &cp);

		if (k < 0)
			return hg_fail(HG_EINVAL, "%s is not UTF-8 at byte %zu", what, i);
		if (cp < 0x20 && cp != '\n')
			return hg_fail(HG_EINVAL, "%s holds a control character (0x%02x) at byte %zu",
				       what, (unsigned)cp, i);
		i += (size_t)k;
	}
	return HG_OK;
}

static int name_check(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t cp;

	if (n == 0)
		return hg_fail(HG_EINVAL, "a key name is empty");
	if (n > NOTE_NAME_MAX)
		return hg_fail(HG_EINVAL, "a key name of %zu bytes is too long (at most %d)", n,
			       NOTE_NAME_MAX);
	for (size_t i = 0; i < n;) {
		int k = utf8_at(u + i, n - i, &cp);

		if (k < 0)
			return hg_fail(HG_EINVAL, "a key name is not UTF-8 at byte %zu", i);
		if ((cp < 0x20 || cp == 0x7f) && !uspace(cp))
			return hg_fail(HG_EINVAL, "a key name holds a control character");
		if (uspace(cp))
			return hg_fail(HG_EINVAL, "the key name '%.*s' holds a space", (int)n, s);
		if (cp == '+')
			return hg_fail(HG_EINVAL, "the key name '%.*s' holds a '+'", (int)n, s);
		i += (size_t)k;
	}
	return HG_OK;
}

int note_name_check(const char *name)
{
	return name_check(name, strnlen(name, NOTE_NAME_MAX + 1));
}

/* --- output ---------------------------------------------------------- */

/* A bounded writer: past cap it fails, never cuts. */
struct wbuf {
	char *p;
	size_t cap, len;
	int over;
};

static void put(struct wbuf *w, const void *s, size_t n)
{
	if (w->over || n >= w->cap - w->len) {
		w->over = 1;
		return;
	}
	memcpy(w->p + w->len, s, n);
	w->len += n;
	w->p[w->len] = '\0';
}

static void puts0(struct wbuf *w, const char *s)
{
	put(w, s, strlen(s));
}

static int finish(struct wbuf *w, size_t *len, const char *what)
{
	if (w->over) {
		if (w->cap)
			w->p[0] = '\0';
		return hg_fail(HG_ETOOLONG, "%s does not fit in %zu bytes", what, w->cap);
	}
	if (len)
		*len = w->len;
	return HG_OK;
}

static void b64(const uint8_t *bin, size_t n, char *out, size_t cap)
{
	sodium_bin2base64(out, cap, bin, n, sodium_base64_VARIANT_ORIGINAL);
}

/* Decode exactly s[n] (padded standard base64) into bin[cap]: HG_OK and
 * *got, or HG_EINVAL. */
static int unb64(const char *s, size_t n, uint8_t *bin, size_t cap, size_t *got)
{
	if (sodium_base642bin(bin, cap, s, n, NULL, got, NULL, sodium_base64_VARIANT_ORIGINAL) != 0)
		return HG_EINVAL;
	return HG_OK;
}

/* --- keys ------------------------------------------------------------------ */

uint32_t note_key_id(const char *name, const uint8_t pk[NOTE_PUBLIC])
{
	crypto_hash_sha256_state st;
	uint8_t h[crypto_hash_sha256_BYTES];
	const uint8_t sep[2] = { '\n', ALG_ED25519 };

	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const uint8_t *)name, strlen(name));
	crypto_hash_sha256_update(&st, sep, sizeof sep);
	crypto_hash_sha256_update(&st, pk, NOTE_PUBLIC);
	crypto_hash_sha256_final(&st, h);
	return (uint32_t)h[0] << 24 | (uint32_t)h[1] << 16 | (uint32_t)h[2] << 8 | h[3];
}

int note_vkey(const char *name, const uint8_t pk[NOTE_PUBLIC], char *out, size_t cap)
{
	uint8_t key[1 + NOTE_PUBLIC];
	char k64[sodium_base64_ENCODED_LEN(sizeof key, sodium_base64_VARIANT_ORIGINAL)];
	int rc, n;

	rc = note_name_check(name);
	if (rc)
		return rc;
	key[0] = ALG_ED25519;
	memcpy(key + 1, pk, NOTE_PUBLIC);
	b64(key, sizeof key, k64, sizeof k64);
	n = snprintf(out, cap, "%s+%08x+%s", name, (unsigned)note_key_id(name, pk), k64);
	if (n < 0 || (size_t)n >= cap) {
		if (cap)
			out[0] = '\0';
		return hg_fail(HG_ETOOLONG, "the verifier key of '%s' does not fit in %zu bytes",
			       name, cap);
	}
	return HG_OK;
}

int note_vkey_parse(const char *vkey, struct note_verifier *v)
{
	const char *p1 = strchr(vkey, '+'), *p2 = p1 ? strchr(p1 + 1, '+') : NULL;
	uint8_t key[64];
	size_t got;
	uint32_t id = 0;
	int rc;

	memset(v, 0, sizeof *v);
	if (!p2)
		return hg_fail(HG_EINVAL, "a verifier key is name+keyid+key; '%.80s' is not", vkey);
	rc = name_check(vkey, (size_t)(p1 - vkey));
	if (rc)
		return hg_fail(HG_EINVAL, "the verifier key's name: %s", hg_error_text());
	if (p2 - p1 - 1 != 8)
		return hg_fail(HG_EINVAL, "the key id of a verifier key is 8 hex digits; '%.*s' is not",
			       (int)(p2 - p1 - 1), p1 + 1);
	for (const char *h = p1 + 1; h < p2; h++) {
		int d = (*h >= '0' && *h <= '9') ? *h - '0' :
			(*h >= 'a' && *h <= 'f') ? *h - 'a' + 10 :
			(*h >= 'A' && *h <= 'F') ? *h - 'A' + 10 : -1;

		if (d < 0)
			return hg_fail(HG_EINVAL, "the key id of a verifier key is 8 hex digits; "
				       "'%.8s' is not", p1 + 1);
		id = id << 4 | (uint32_t)d;
	}
	rc = unb64(p2 + 1, strlen(p2 + 1), key, sizeof key, &got);
	if (rc || got == 0)
		return hg_fail(HG_EINVAL, "the key of the verifier key '%.*s' is not base64",
			       (int)(p1 - vkey), vkey);
	if (key[0] != ALG_ED25519 || got != 1 + NOTE_PUBLIC)
		return hg_fail(HG_EINVAL, "the verifier key '%.*s' is not an Ed25519 key (type 0x%02x, "
			       "%zu bytes)", (int)(p1 - vkey), vkey, key[0], got);
	memcpy(v->name, vkey, (size_t)(p1 - vkey));
	memcpy(v->pk, key + 1, NOTE_PUBLIC);
	v->id = note_key_id(v->name, v->pk);
	if (v->id != id) {
		rc = hg_fail(HG_EINVAL, "the verifier key '%s' says key id %08x, but its name and key "
			     "make %08x", v->name, (unsigned)id, (unsigned)v->id);
		memset(v, 0, sizeof *v);
		return rc;
	}
	return HG_OK;
}

int note_station_origin(const char *station_id, char *out, size_t cap)
{
	int n = snprintf(out, cap, "%s%s", NOTE_STATION_PREFIX, station_id);
	int rc;

	if (n < 0 || (size_t)n >= cap) {
		if (cap)
			out[0] = '\0';
		return hg_fail(HG_ETOOLONG, "the origin of station '%s' does not fit in %zu bytes",
			       station_id, cap);
	}
	rc = note_name_check(out);
	if (rc)
		out[0] = '\0';
	return rc;
}

/* --- checkpoints ------------------------------------------------------------- */

int note_checkpoint_text(const char *origin, uint64_t size, const uint8_t root[NOTE_HASH],
			 char *out, size_t cap, size_t *len)
{
	char r64[ROOT_B64 + 1];
	int rc, n;

	rc = note_name_check(origin);
	if (rc)
		return hg_fail(HG_EINVAL, "a checkpoint's origin is its key's name: %s",
			       hg_error_text());
	if (size >> 63)
		return hg_fail(HG_EINVAL, "a tree size of %llu is too big", (unsigned long long)size);
	b64(root, NOTE_HASH, r64, sizeof r64);
	n = snprintf(out, cap, "%s\n%llu\n%s\n", origin, (unsigned long long)size, r64);
	if (n < 0 || (size_t)n >= cap) {
		if (cap)
			out[0] = '\0';
		return hg_fail(HG_ETOOLONG, "a checkpoint does not fit in %zu bytes", cap);
	}
	if (len)
		*len = (size_t)n;
	return HG_OK;
}

/* "0" or a decimal number without leading zeros below 2^63. */
static int parse_size(const char *s, size_t n, uint64_t *out)
{
	uint64_t v = 0;

	if (n == 0 || n > 19 || (n > 1 && s[0] == '0'))
		return HG_EINVAL;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return HG_EINVAL;
		v = v * 10 + (uint64_t)(s[i] - '0');	/* 19 digits fit in 64 bits */
	}
	if (v >> 63)
		return HG_EINVAL;
	*out = v;
	return HG_OK;
}

int note_checkpoint_parse(const char *text, size_t len, struct note_checkpoint *cp)
{
	const char *p = text, *end = text + len;
	struct note_checkpoint c = { .size = 0 };
	uint8_t root[48];
	size_t got = 0;
	int line = 0, rc;

	memset(cp, 0, sizeof *cp);
	if (len == 0 || len > NOTE_MAX || text[len - 1] != '\n')
		return hg_fail(HG_EINVAL, "a checkpoint's text is lines that end in a newline, at "
			       "most %d bytes", NOTE_MAX);
	rc = text_valid(text, len, "the checkpoint");
	if (rc)
		return rc;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)(nl - p);

		line++;
		if (line == 1) {
			if (n == 0 || n > NOTE_NAME_MAX)
				return hg_fail(HG_EINVAL, "the checkpoint's origin (line 1) is %s",
					       n ? "too long" : "empty");
			memcpy(c.origin, p, n);
		} else if (line == 2) {
			rc = parse_size(p, n, &c.size);
			if (rc)
				return hg_fail(HG_EINVAL, "the checkpoint's line 2 is not a tree size: "
					       "'%.*s'", (int)(n > 40 ? 40 : n), p);
		} else if (line == 3) {
			rc = n == ROOT_B64 ? unb64(p, n, root, sizeof root, &got) : HG_EINVAL;
			if (rc || got != NOTE_HASH)
				return hg_fail(HG_EINVAL, "the checkpoint's line 3 is not the base64 of a "
					       "32-byte root hash: '%.*s'", (int)(n > 60 ? 60 : n), p);
			memcpy(c.root, root, NOTE_HASH);
		} else {
			if (n == 0)
				return hg_fail(HG_EINVAL, "the checkpoint's line %d is empty", line);
			c.extensions++;
		}
		p = nl + 1;
	}
	if (line < 3)
		return hg_fail(HG_EINVAL, "a checkpoint has three lines (origin, size, root); this "
			       "has %d", line);
	*cp = c;
	return HG_OK;
}

/* --- notes -------------------------------------------------------------------- */

/* Check msg[len] as a signed note and find where its text ends (*text_len,
 * the newline kept) and its signature block starts (msg + *text_len + 1). */
static int split(const char *msg, size_t len, size_t *text_len)
{
	size_t i;
	int rc;

	if (len > NOTE_MAX)
		return hg_fail(HG_EINVAL, "a note of %zu bytes is over the limit of %d", len, NOTE_MAX);
	rc = text_valid(msg, len, "the note");
	if (rc)
		return rc;
	for (i = len; i >= 2; i--)
		if (msg[i - 2] == '\n' && msg[i - 1] == '\n')
			break;
	if (i < 2)
		return hg_fail(HG_EINVAL, "the note has no blank line before its signatures");
	if (i == len)
		return hg_fail(HG_EINVAL, "the note has no signature after its blank line");
	if (msg[len - 1] != '\n')
		return hg_fail(HG_EINVAL, "the note's last signature line does not end in a newline");
	*text_len = i - 1;
	return HG_OK;
}

/* Read signature line no (1, 2, ...) s[n] (no newline) into *sig: its name
 * and key id; the decoded bytes (key id, signature) into raw[cap], *got. */
static int sig_line(const char *s, size_t n, size_t no, struct note_sig *sig, uint8_t *raw,
		    size_t cap, size_t *got)
{
	const char *name = s + 4, *sp, *b;
	size_t nlen;
	int rc;

	if (n < 4 || memcmp(s, EM_DASH_SP, 4) != 0)
		return hg_fail(HG_EINVAL, "the note's signature line %zu does not start with an em "
			       "dash (U+2014) and a space", no);
	sp = memchr(name, ' ', n - 4);
	if (!sp)
		return hg_fail(HG_EINVAL, "the note's signature line %zu has no space between the "
			       "key name and the signature", no);
	nlen = (size_t)(sp - name);
	rc = name_check(name, nlen);
	if (rc)
		return hg_fail(HG_EINVAL, "the note's signature line %zu: %s", no, hg_error_text());
	b = sp + 1;
	rc = b < s + n ? unb64(b, (size_t)(s + n - b), raw, cap, got) : HG_EINVAL;
	if (rc)
		return hg_fail(HG_EINVAL, "the note's signature line %zu ('%.*s'): the signature is "
			       "not base64", no, (int)nlen, name);
	if (*got < 5)
		return hg_fail(HG_EINVAL, "the note's signature line %zu ('%.*s'): %zu bytes are no "
			       "key id and signature", no, (int)nlen, name, *got);
	memcpy(sig->name, name, nlen);
	sig->name[nlen] = '\0';
	sig->id = (uint32_t)raw[0] << 24 | (uint32_t)raw[1] << 16 | (uint32_t)raw[2] << 8 | raw[3];
	sig->known = -1;
	return HG_OK;
}

/* sk's two halves belong together (a wrong key signs what nobody checks). */
static int secret_ok(const uint8_t sk[NOTE_SECRET])
{
	uint8_t pk[crypto_sign_PUBLICKEYBYTES], full[crypto_sign_SECRETKEYBYTES];
	int rc;

	rc = keys_crypto_ready();
	if (rc)
		return hg_fail(rc, "libsodium would not start");
	crypto_sign_seed_keypair(pk, full, sk);
	rc = sodium_memcmp(pk, sk + 32, sizeof pk) == 0 ? HG_OK :
		hg_fail(HG_EINVAL, "the secret key's public half is not its own");
	sodium_memzero(full, sizeof full);
	return rc;
}

/* Append "— name base64(id || signature of text)\n" to w. */
static void put_sig(struct wbuf *w, const char *text, size_t len, const char *name,
		    const uint8_t sk[NOTE_SECRET])
{
	uint8_t raw[SIG_ED25519];
	char s64[sodium_base64_ENCODED_LEN(SIG_ED25519, sodium_base64_VARIANT_ORIGINAL)];
	uint32_t id = note_key_id(name, sk + 32);

	raw[0] = (uint8_t)(id >> 24);
	raw[1] = (uint8_t)(id >> 16);
	raw[2] = (uint8_t)(id >> 8);
	raw[3] = (uint8_t)id;
	crypto_sign_detached(raw + 4, NULL, (const unsigned char *)text, len, sk);
	b64(raw, sizeof raw, s64, sizeof s64);
	puts0(w, EM_DASH_SP);
	puts0(w, name);
	puts0(w, " ");
	puts0(w, s64);
	puts0(w, "\n");
}

int note_sign(const char *text, size_t len, const char *name, const uint8_t sk[NOTE_SECRET],
	      char *out, size_t cap, size_t *out_len)
{
	struct wbuf w = { .p = out, .cap = cap };
	int rc;

	if (cap)
		out[0] = '\0';
	if (len == 0 || len > NOTE_MAX || text[len - 1] != '\n')
		return hg_fail(HG_EINVAL, "the text of a note ends in a newline and is at most %d "
			       "bytes", NOTE_MAX);
	rc = text_valid(text, len, "the text to sign");
	if (rc)
		return rc;
	rc = note_name_check(name);
	if (rc)
		return rc;
	rc = secret_ok(sk);
	if (rc)
		return rc;
	put(&w, text, len);
	put(&w, "\n", 1);
	put_sig(&w, text, len, name, sk);
	return finish(&w, out_len, "the signed note");
}

int note_cosign(const char *note, size_t len, const char *name, const uint8_t sk[NOTE_SECRET],
		char *out, size_t cap, size_t *out_len)
{
	static _Thread_local uint8_t raw[NOTE_MAX * 3 / 4 + 3];
	struct wbuf w = { .p = out, .cap = cap };
	struct note_sig sig;
	size_t text_len, got, no = 0;
	uint32_t id;
	int rc;

	if (cap)
		out[0] = '\0';
	rc = split(note, len, &text_len);
	if (rc)
		return rc;
	rc = note_name_check(name);
	if (rc)
		return rc;
	rc = secret_ok(sk);
	if (rc)
		return rc;
	id = note_key_id(name, sk + 32);
	put(&w, note, text_len);
	put(&w, "\n", 1);
	for (const char *p = note + text_len + 1, *end = note + len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		rc = sig_line(p, (size_t)(nl - p), ++no, &sig, raw, sizeof raw, &got);
		if (rc)
			return rc;
		if (no >= NOTE_SIG_MAX)
			return hg_fail(HG_EINVAL, "the note has %d signatures already", NOTE_SIG_MAX);
		if (!(sig.id == id && strcmp(sig.name, name) == 0))
			put(&w, p, (size_t)(nl + 1 - p));
		p = nl + 1;
	}
	put_sig(&w, note, text_len, name, sk);
	return finish(&w, out_len, "the cosigned note");
}

int note_open(const char *msg, size_t len, const struct note_verifier *known, size_t nknown,
	      uint64_t need, struct note_opened *o)
{
	static _Thread_local uint8_t raw[NOTE_MAX * 3 / 4 + 3];
	size_t got;
	int rc;

	memset(o, 0, sizeof *o);
	if (nknown > 64 || (nknown < 64 && need >> nknown))
		return hg_fail(HG_EINVAL, "at most 64 known keys, and only those may be needed");
	for (size_t i = 0; i < nknown; i++)
		for (size_t j = 0; j < i; j++)
			if (known[i].id == known[j].id && strcmp(known[i].name, known[j].name) == 0)
				return hg_fail(HG_EINVAL, "two known keys are '%s' with key id %08x",
					       known[i].name, (unsigned)known[i].id);
	rc = split(msg, len, &o->text_len);
	if (rc)
		return rc;
	for (const char *p = msg + o->text_len + 1, *end = msg + len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		struct note_sig *s = &o->sig[o->nsig];

		if (o->nsig == NOTE_SIG_MAX) {
			rc = hg_fail(HG_EINVAL, "the note has more than %d signatures", NOTE_SIG_MAX);
			goto fail;
		}
		rc = sig_line(p, (size_t)(nl - p), o->nsig + 1, s, raw, sizeof raw, &got);
		if (rc)
			goto fail;
		o->nsig++;
		p = nl + 1;
		for (size_t k = 0; k < nknown; k++)
			if (known[k].id == s->id && strcmp(known[k].name, s->name) == 0)
				s->known = (int)k;
		if (s->known < 0)
			continue;	/* an unknown key: kept, not checked */
		if (got != SIG_ED25519 ||
		    crypto_sign_verify_detached(raw + 4, (const unsigned char *)msg, o->text_len,
						known[s->known].pk) != 0) {
			rc = hg_fail(HG_EREFUSED, "the signature by '%s' (key id %08x) does not verify",
				     s->name, (unsigned)s->id);
			goto fail;
		}
		o->verified |= UINT64_C(1) << s->known;
	}
	for (size_t k = 0; k < nknown; k++)
		if (((need >> k) & 1) && !((o->verified >> k) & 1)) {
			rc = hg_fail(HG_EREFUSED, "the note is not signed by '%s' (key id %08x)",
				     known[k].name, (unsigned)known[k].id);
			goto fail;
		}
	if (!o->verified) {
		rc = hg_fail(HG_EREFUSED, "none of the note's %zu signatures is by a known key "
			     "(the first is by '%s')", o->nsig, o->sig[0].name);
		goto fail;
	}
	return HG_OK;
fail:
	memset(o, 0, sizeof *o);
	return rc;
}
