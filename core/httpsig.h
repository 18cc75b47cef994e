/* httpsig.h: RFC 9421 HTTP Message Signatures with ed25519, and the RFC
 * 9530 Content-Digest of a body: how the station signs every sync request
 * and how the plant checks it (docs/SYNC.md, "Who is speaking").
 *
 * A request signed by the station carries three fields:
 *
 *	Content-Digest: sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:
 *	Signature-Input: haulgate=("@method" "@authority" "@path" "content-digest"
 *	    "content-type");created=1618884473;keyid="demo-01";alg="ed25519";tag="haulgate-sync"
 *	Signature: haulgate=:<base64 of the 64-byte Ed25519 signature>:
 *
 * The signature is over the signature base of RFC 9421 section 2.5: one line
 * `"<component>": <value>` per covered component, in the order listed, then
 * `"@signature-params": <the inner list above>`, lines joined by "\n", no
 * newline at the end.  The components we can cover are @method, @authority
 * (lowercased), @path ("/" when empty), @query ("?" and the query) and any
 * header field, by its lowercase name, without component parameters.
 *
 * The request is described by struct httpsig_request: the parts of its
 * target and a callback giving a header field's value by name (NULL when the
 * request has none; several field lines combined with ", ", as HTTP does).
 * Values in, values out: no I/O, no heap, no clock (now is passed in).  The
 * secret key is libsodium's 64 bytes (seed || public key), as core/keys.h
 * holds it. */
#ifndef HTTPSIG_H
#define HTTPSIG_H

#include "hg.h"

#define HTTPSIG_LABEL "haulgate"	/* the signature's label (the dictionary key) */
#define HTTPSIG_TAG "haulgate-sync"	/* the tag parameter of the sync's signatures */
#define HTTPSIG_ALG "ed25519"
#define HTTPSIG_SKEW 300		/* seconds: created at most 5 minutes off */
#define HTTPSIG_COMPONENTS_MAX 16	/* components of one signature */
#define HTTPSIG_PARAMS_MAX 8		/* parameters of one signature */
#define HTTPSIG_BASE_MAX 8192		/* bytes of a signature base */
#define HTTPSIG_INPUT_MAX 1024		/* bytes of the Signature-Input we write */
#define HTTPSIG_SIG_MAX 160		/* bytes of the Signature we write */
#define HTTPSIG_DIGEST_MAX 64		/* bytes of the Content-Digest we write */
#define HTTPSIG_KEYID_MAX 255		/* bytes of a keyid */

/* Why httpsig_verify() refused a request; httpsig_fault_name() gives each a
 * word for the server's log ("unknown-key"). */
enum httpsig_fault {
	HTTPSIG_OK = 0,
	HTTPSIG_MALFORMED,		/* a field missing or not RFC 8941 syntax, a parameter
					 * of the wrong type, alg not ed25519, a wrong tag */
	HTTPSIG_MISSING_COMPONENT,	/* a required component not covered, or a covered
					 * one not in the request */
	HTTPSIG_STALE,			/* created more than the skew off, or expired */
	HTTPSIG_UNKNOWN_KEY,		/* the key lookup does not know the keyid */
	HTTPSIG_BAD_SIGNATURE,		/* the signature does not verify */
	HTTPSIG_DIGEST_MISMATCH		/* the body is not what Content-Digest says */
};

/* The value of the header field name (lowercase) in the request, or NULL. */
typedef const char *(*httpsig_header_fn)(void *ctx, const char *name);

/* A request as signed or checked.  The caller owns every string. */
struct httpsig_request {
	const char *method;		/* "POST", as sent */
	const char *authority;		/* "plant.example:8443", as in the target URI */
	const char *path;		/* "/api/v1/sync/events"; "" is "/" */
	const char *query;		/* what follows '?', without it; NULL: no query */
	httpsig_header_fn header;
	void *ctx;
};

/* How to sign.  Strings are printable ASCII without '"' or '\'. */
struct httpsig_params {
	const char *label;		/* NULL: HTTPSIG_LABEL */
	const char *const *covered;	/* component names, NULL-terminated; NULL: @method
					 * @authority @path, @query when there is a query,
					 * content-digest and content-type when present */
	hg_time created;
	const char *keyid;		/* the station id (1 to HTTPSIG_KEYID_MAX bytes) */
	const char *alg;		/* NULL: no alg parameter (RFC 9421's own example) */
	const char *nonce;		/* NULL: none */
	const char *tag;		/* NULL: none */
};

/* Sign req: the value of its Signature-Input into input[icap] and of its
 * Signature into sig[scap] (HTTPSIG_INPUT_MAX and HTTPSIG_SIG_MAX are
 * enough).  Parameters are written in the order created, keyid, alg, nonce,
 * tag.  HG_OK; HG_EINVAL for a component we cannot cover, a repeated one,
 * a parameter we cannot write, or a covered header the request does not
 * have; HG_ETOOLONG past a buffer; the words say which. */
int httpsig_sign(const struct httpsig_request *req, const struct httpsig_params *p,
		 const uint8_t sk[64], char *input, size_t icap, char *sig, size_t scap);

/* The public key of keyid into pk: HG_OK, HG_ENOTFOUND when there is no
 * such key (or it is retired), another HG_E* when the lookup itself failed. */
typedef int (*httpsig_key_fn)(void *ctx, const char *keyid, uint8_t pk[32]);

/* What a verifier asks of a signature. */
struct httpsig_policy {
	const char *label;		/* the signature to check; NULL: HTTPSIG_LABEL */
	hg_time now;
	int64_t skew;			/* |now - created| at most this (HTTPSIG_SKEW) */
	const char *tag;		/* the tag it must carry; NULL: any or none */
	httpsig_key_fn key;
	void *key_ctx;
};

/* What httpsig_verify() found: keyid is filled as soon as it is read, so a
 * refusal can be logged against it ("" before). */
struct httpsig_result {
	enum httpsig_fault fault;
	char keyid[HTTPSIG_KEYID_MAX + 1];
	hg_time created;
};

/* Check the signature labelled pol->label on req, whose body is
 * body[body_len].  Refused unless: Signature-Input and Signature hold that
 * label; it covers @method, @authority, @path, @query when the request has a
 * query, and content-digest when the body is not empty; created is within
 * pol->skew of pol->now and expires (if given) not past; alg (if given) is
 * ed25519; the tag is pol->tag (if set); the key is known; the signature
 * verifies; and a Content-Digest present matches the body
 * (httpsig_digest_check).  Returns HG_OK; HG_EREFUSED with res->fault set
 * and the words saying why; or the key lookup's own error (res->fault then
 * HTTPSIG_OK: not the request's fault). */
int httpsig_verify(const struct httpsig_request *req, const struct httpsig_policy *pol,
		   const void *body, size_t body_len, struct httpsig_result *res);

/* The signature base of the signature labelled label (NULL: HTTPSIG_LABEL)
 * in req's Signature-Input, into out[cap]: the bytes that were signed, for a
 * log or a test.  Its length; HG_EINVAL (malformed), HG_ENOTFOUND (a covered
 * field the request does not have) or HG_ETOOLONG, the words saying why. */
int httpsig_base(const struct httpsig_request *req, const char *label, char *out, size_t cap);

/* "malformed", "missing-component", "stale", "unknown-key",
 * "bad-signature", "digest-mismatch", or "ok". */
const char *httpsig_fault_name(enum httpsig_fault f);

/* The Content-Digest of body[len] into out[cap]: "sha-256=:<base64>:".
 * HG_OK or HG_ETOOLONG (HTTPSIG_DIGEST_MAX is enough). */
int httpsig_digest(const void *body, size_t len, char *out, size_t cap);

/* Check a Content-Digest value against body[len]: every sha-256 and sha-512
 * member must match, other algorithms are ignored (RFC 9530), at least one
 * of those two must be there.  HG_OK; HG_EINVAL when the value is not a
 * dictionary of byte sequences or has neither; HG_EREFUSED on a mismatch. */
int httpsig_digest_check(const char *value, const void *body, size_t len);

#endif
