/* pki.c: the server's TLS key and certificate, its pin, and stations' PEM
 * public keys, with OpenSSL 3's libcrypto.
 *
 * The certificate is self-signed by design: stations pin its public key
 * (`haulgate-potw key`), so no certificate authority is asked or trusted.
 * The files are created with O_EXCL, so `init` never overwrites a key, and
 * removed again if writing them fails.  Start reading at potw_tls_create(). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "pki.h"
#include "../core/report.h"

/* A file made here: O_EXCL, mode. */
static FILE *create(const char *path, int mode, const char *what)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	FILE *f;

	if (fd < 0) {
		if (errno == EEXIST)
			hg_fail(HG_EEXIST, "the %s '%s' exists already; it is never overwritten",
				what, path);
		else
			hg_fail(HG_EIO, "cannot make the %s '%s': %s", what, path, strerror(errno));
		return NULL;
	}
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		unlink(path);
		hg_fail(HG_EIO, "cannot write '%s': %s", path, strerror(errno));
	}
	return f;
}

/* Is host one to leave out of the names: those already in, or a wildcard? */
static int plain_host(const char *host)
{
	static const char *const skip[] = { "", "localhost", "127.0.0.1", "0.0.0.0", "::", "*" };
	size_t i;

	for (i = 0; i < HG_ARRAY_LEN(skip); i++)
		if (!strcmp(host, skip[i]))
			return 1;
	return 0;
}

static int add_ext(X509 *x, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *e;
	int ok;

	X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
	e = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	if (!e)
		return hg_fail(HG_EINVAL, "cannot make the certificate extension '%s'", value);
	ok = X509_add_ext(x, e, -1);
	X509_EXTENSION_free(e);
	return ok ? HG_OK : hg_fail(HG_EIO, "cannot add the certificate extension '%s'", value);
}

/* The self-signed certificate of key. */
static int make_cert(EVP_PKEY *key, const char *host, hg_time now, X509 **out)
{
	unsigned char serial[16];
	char san[400];
	unsigned char addr[16];
	X509_NAME *name;
	BIGNUM *bn = NULL;
	X509 *x;
	int rc = HG_EIO;

	*out = NULL;
	if (plain_host(host))
		snprintf(san, sizeof san, "DNS:localhost,IP:127.0.0.1");
	else if (inet_pton(AF_INET, host, addr) == 1 || inet_pton(AF_INET6, host, addr) == 1)
		snprintf(san, sizeof san, "DNS:localhost,IP:127.0.0.1,IP:%s", host);
	else if (strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") ==
		 strlen(host) && strlen(host) < 254)
		snprintf(san, sizeof san, "DNS:localhost,IP:127.0.0.1,DNS:%s", host);
	else
		return hg_fail(HG_EINVAL, "'%.60s' is neither an IP address nor a DNS name", host);

	x = X509_new();
	if (!x)
		return hg_fail(HG_ENOMEM, "out of memory");
	if (RAND_bytes(serial, sizeof serial) != 1)
		goto fail;
	serial[0] &= 0x7f;	/* positive */
	bn = BN_bin2bn(serial, sizeof serial, NULL);
	if (!bn || !BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)))
		goto fail;
	if (!X509_set_version(x, 2) ||
	    !ASN1_TIME_set(X509_getm_notBefore(x), (time_t)now) ||
	    !ASN1_TIME_set(X509_getm_notAfter(x), (time_t)(now + (hg_time)POTW_TLS_DAYS * 86400)) ||
	    !X509_set_pubkey(x, key))
		goto fail;
	name = X509_get_subject_name(x);
	if (!X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
					(const unsigned char *)"haulgate-potw", -1, -1, 0) ||
	    !X509_set_issuer_name(x, name))
		goto fail;
	rc = add_ext(x, NID_basic_constraints, "critical,CA:FALSE");
	if (rc)
		goto fail;
	rc = add_ext(x, NID_key_usage, "critical,digitalSignature");
	if (rc)
		goto fail;
	rc = add_ext(x, NID_ext_key_usage, "serverAuth");
	if (rc)
		goto fail;
	rc = add_ext(x, NID_subject_alt_name, san);
	if (rc)
		goto fail;
	rc = HG_EIO;
	if (!X509_sign(x, key, EVP_sha256()))
		goto fail;
	BN_free(bn);
	*out = x;
	return HG_OK;
fail:
	BN_free(bn);
	X509_free(x);
	if (rc == HG_EIO)
		return hg_fail(HG_EIO, "cannot make the certificate (OpenSSL)");
	return rc;
}

int potw_tls_create(const char *key_path, const char *cert_path, const char *host, hg_time now)
{
	EVP_PKEY *key = NULL;
	X509 *x = NULL;
	FILE *kf = NULL, *cf = NULL;
	int rc;

	key = EVP_EC_gen("P-256");
	if (!key)
		return hg_fail(HG_EIO, "cannot make an EC P-256 key (OpenSSL)");
	rc = make_cert(key, host, now, &x);
	if (rc)
		goto out;
	kf = create(key_path, 0600, "TLS key");
	if (!kf) {
		rc = HG_EEXIST;
		goto out;
	}
	cf = create(cert_path, 0644, "TLS certificate");
	if (!cf) {
		rc = HG_EEXIST;
		goto out;
	}
	if (!PEM_write_PrivateKey(kf, key, NULL, NULL, 0, NULL, NULL) ||
	    !PEM_write_X509(cf, x)) {
		rc = hg_fail(HG_EIO, "cannot write the TLS key or certificate");
		goto out;
	}
	rc = HG_OK;
out:
	if (kf && fclose(kf) != 0 && !rc)
		rc = hg_fail(HG_EIO, "cannot write '%s': %s", key_path, strerror(errno));
	if (cf && fclose(cf) != 0 && !rc)
		rc = hg_fail(HG_EIO, "cannot write '%s': %s", cert_path, strerror(errno));
	if (rc && kf)
		unlink(key_path);
	if (rc && cf)
		unlink(cert_path);
	X509_free(x);
	EVP_PKEY_free(key);
	return rc;
}

static int read_cert(const char *cert_path, X509 **out)
{
	FILE *f = fopen(cert_path, "r");

	*out = NULL;
	if (!f)
		return hg_fail(HG_EIO, "cannot read the TLS certificate '%s': %s", cert_path,
			       strerror(errno));
	*out = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	if (!*out)
		return hg_fail(HG_EINVAL, "'%s' is not a PEM certificate", cert_path);
	return HG_OK;
}

int potw_tls_check(const char *key_path, const char *cert_path)
{
	EVP_PKEY *key;
	X509 *x;
	FILE *f;
	int rc;

	rc = read_cert(cert_path, &x);
	if (rc)
		return rc;
	f = fopen(key_path, "r");
	if (!f) {
		X509_free(x);
		return hg_fail(HG_EIO, "cannot read the TLS key '%s': %s", key_path, strerror(errno));
	}
	key = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	if (!key)
		rc = hg_fail(HG_EINVAL, "'%s' is not a PEM private key (without a passphrase)",
			     key_path);
	else if (X509_check_private_key(x, key) != 1)
		rc = hg_fail(HG_EINVAL, "the TLS key '%s' is not the key of the certificate '%s'",
			     key_path, cert_path);
	EVP_PKEY_free(key);
	X509_free(x);
	return rc;
}

/* "prefix" + base64 of SHA-256 of der[n] into out[cap]; padding kept or cut. */
static int sha256_b64(const unsigned char *der, size_t n, const char *prefix, int pad,
		      char *out, size_t cap)
{
	unsigned char md[32], b64[48];
	unsigned int mdlen = 0;
	int len;

	if (!EVP_Digest(der, n, md, &mdlen, EVP_sha256(), NULL) || mdlen != 32)
		return hg_fail(HG_EIO, "cannot compute SHA-256 (OpenSSL)");
	len = EVP_EncodeBlock(b64, md, 32);	/* 44 characters, one '=' */
	while (!pad && len > 0 && b64[len - 1] == '=')
		b64[--len] = '\0';
	if ((size_t)snprintf(out, cap, "%s%s", prefix, b64) >= cap)
		return hg_fail(HG_ETOOLONG, "no room for a fingerprint");
	return HG_OK;
}

int potw_tls_pin(const char *cert_path, char out[POTW_PIN_CAP])
{
	unsigned char *der = NULL;
	X509 *x;
	int rc, n;

	rc = read_cert(cert_path, &x);
	if (rc)
		return rc;
	n = i2d_PUBKEY(X509_get0_pubkey(x), &der);
	X509_free(x);
	if (n <= 0)
		return hg_fail(HG_EINVAL, "the certificate '%s' has no public key OpenSSL reads",
			       cert_path);
	rc = sha256_b64(der, (size_t)n, "sha256//", 1, out, POTW_PIN_CAP);
	OPENSSL_free(der);
	return rc;
}

int potw_pem_ed25519(const char *pem, uint8_t pk[32])
{
	EVP_PKEY *key;
	size_t n = 32, len = strlen(pem);
	BIO *b;
	int rc = HG_OK;

	if (len > 4096 || !strstr(pem, "-----BEGIN PUBLIC KEY-----"))
		return hg_fail(HG_EINVAL, "not a PEM public key (expected '-----BEGIN PUBLIC KEY-----' "
			       "as 'haulgate keys --public-pem' prints)");
	b = BIO_new_mem_buf(pem, (int)len);
	if (!b)
		return hg_fail(HG_ENOMEM, "out of memory");
	key = PEM_read_bio_PUBKEY(b, NULL, NULL, NULL);
	BIO_free(b);
	if (!key)
		return hg_fail(HG_EINVAL, "the PEM public key cannot be read (damaged base64 or not "
			       "a SubjectPublicKeyInfo)");
	if (EVP_PKEY_get_base_id(key) != EVP_PKEY_ED25519)
		rc = hg_fail(HG_EINVAL, "the PEM public key is %s, not Ed25519 (a station's key "
			     "is Ed25519)", OBJ_nid2sn(EVP_PKEY_get_base_id(key)));
	else if (EVP_PKEY_get_raw_public_key(key, pk, &n) != 1 || n != 32)
		rc = hg_fail(HG_EINVAL, "the Ed25519 public key is not 32 bytes");
	EVP_PKEY_free(key);
	return rc;
}

int potw_key_fingerprint(const uint8_t pk[32], char out[POTW_FPR_CAP])
{
	static const unsigned char prefix[12] = {
		0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
	};
	unsigned char der[44];

	memcpy(der, prefix, 12);
	memcpy(der + 12, pk, 32);
	return sha256_b64(der, sizeof der, "SHA256:", 0, out, POTW_FPR_CAP);
}
