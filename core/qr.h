/* qr.h: the signed QR texts: a load's receipt and a sample bottle's label.
 *
 * Receipt QR text (every byte before "&s=" is signed):
 *   <verify-base>?v=1&st=<station>&n=<load-no>&t=<yyyymmddThhmmssZ>&g=<gallons>
 *   &w=<waste-code>&p=<permit>&s=<base64url Ed25519 signature, no padding>
 * Values are percent-encoded where they are not [A-Za-z0-9._~-]. */
#ifndef QR_H
#define QR_H

#include "hg.h"
#include "keys.h"
#include "record.h"

#define QR_MAX 512

/* The fields a QR carries. */
struct qr_fields {
	char base[256];
	int v;
	char station[32];
	long long load_no;
	hg_time t;		/* decision time */
	long gallons;
	char waste[16];
	char permit[HG_BUF(LIM_PERMIT)];
};

/* Compose and sign the QR text of a load into out[QR_MAX]. */
int receipt_qr(const struct keypair *kp, const char *base, const struct load_rec *ld,
	       char out[QR_MAX]);

/* Parse a QR text and check its signature with pk.  Returns HG_OK (genuine,
 * f filled), HG_EINVAL (not a haulgate QR: malformed) or HG_EREFUSED
 * (well-formed but the signature does not match). */
int receipt_qr_verify(const uint8_t pk[KEY_PUBLIC], const char *text, struct qr_fields *f);
/* Parse a QR text as receipt_qr_verify() does, the signature NOT checked:
 * which station's key to check it with (the plant's receipt check).
 * HG_OK (f filled: claims, not yet facts) or HG_EINVAL (malformed). */
int receipt_qr_read(const char *text, struct qr_fields *f);

/* The bottle label's QR (chain of custody), signed like the receipt's:
 *   <verify-base>?k=bottle&v=1&st=<station>&n=<load-no>&b=<bottle id>
 *   &t=<sampling time yyyymmddThhmmssZ>&op=<operator id>&s=<signature>
 * "k=bottle" comes where the receipt has "v=1", so a label never parses as a
 * receipt nor a receipt as a label (both are HG_EINVAL to the other). */
struct label_fields {
	char base[256];
	int v;
	char station[32];
	long long load_no;
	char bottle[HG_BUF(LIM_BOTTLE)];
	hg_time t;		/* sampling time */
	long long sampler;	/* operators.id */
};

/* Compose and sign the label QR of a sampled load (bottle, t.sampled and
 * sampled_by set; HG_EINVAL otherwise) into out[QR_MAX]. */
int receipt_label_qr(const struct keypair *kp, const char *base, const struct load_rec *ld,
		     char out[QR_MAX]);
/* As receipt_qr_verify(), for a label QR. */
int receipt_label_qr_verify(const uint8_t pk[KEY_PUBLIC], const char *text,
			    struct label_fields *f);

/* Does a genuine QR's content match the load of record?  Returns 1 if all
 * fields equal (*field NULL), 0 otherwise with the first differing field named
 * in *field: "station", "load_no", "time", "gallons", "waste" or "permit".
 * The base is not compared (the plant's address may change). */
int receipt_qr_matches(const struct qr_fields *f, const struct load_rec *ld, const char **field);

#endif
