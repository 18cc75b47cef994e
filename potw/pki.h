/* pki.h: the server's TLS key and certificate, the pin stations use, and
 * the stations' public keys as PEM; all with OpenSSL's libcrypto.
 *
 * potw_tls_create() makes an EC P-256 key and a self-signed certificate for
 * it; potw_tls_pin() gives the pin of a certificate in the form libcurl's
 * CURLOPT_PINNEDPUBLICKEY takes; potw_pem_ed25519() reads the PEM that
 * `haulgate keys --public-pem` prints.  Errors: 0 or HG_E*, the words in
 * hg_error_text(). */
#ifndef POTW_PKI_H
#define POTW_PKI_H

#include <stddef.h>
#include <stdint.h>
#include "../core/hg.h"

#define POTW_PIN_CAP 64		/* "sha256//" + 44 characters of base64 + NUL */
#define POTW_FPR_CAP 52		/* "SHA256:" + 43 characters of base64 + NUL */
#define POTW_TLS_DAYS 3650	/* the self-signed certificate's validity */

/* Make an EC P-256 private key at key_path (PKCS#8 PEM, mode 0600) and a
 * self-signed X.509 v3 certificate for it at cert_path (PEM, mode 0644),
 * valid from now for POTW_TLS_DAYS days, CN haulgate-potw, with the subject
 * alternative names DNS:localhost, IP:127.0.0.1 and host (as an IP address
 * or a DNS name; left out when it is one of those or a wildcard address).
 * Both files are created with O_EXCL: HG_EEXIST when either exists (neither
 * is written then).  A file half-written on a failure is removed. */
int potw_tls_create(const char *key_path, const char *cert_path, const char *host, hg_time now);

/* Does the private key at key_path belong to the certificate at cert_path?
 * HG_OK, HG_EINVAL (they do not match, or a file is not PEM), HG_EIO. */
int potw_tls_check(const char *key_path, const char *cert_path);

/* The pin of the certificate at cert_path into out[POTW_PIN_CAP]:
 * "sha256//" and the base64 of the SHA-256 of the DER SubjectPublicKeyInfo
 * of its public key. */
int potw_tls_pin(const char *cert_path, char out[POTW_PIN_CAP]);

/* The Ed25519 public key in the text pem (a PEM "PUBLIC KEY", as `haulgate keys
 * --public-pem` and `openssl pkey -pubout` write it) into pk.  HG_EINVAL
 * with the reason: not PEM, not a public key, not Ed25519. */
int potw_pem_ed25519(const char *pem, uint8_t pk[32]);

/* The fingerprint of an Ed25519 public key, "SHA256:" and the base64 (no
 * padding) of the SHA-256 of its DER SubjectPublicKeyInfo, as ssh-keygen -l
 * prints them: out[POTW_FPR_CAP]. */
int potw_key_fingerprint(const uint8_t pk[32], char out[POTW_FPR_CAP]);

#endif
