/* keys.h: the station's keys as values: the Ed25519 key pair and the PIN
 * key, made, and turned into the texts their files hold and back
 * (host/keyfile.h reads and writes the files).
 *
 * The secret file holds the 64-byte libsodium secret key in base64 (mode
 * 0600, never overwritten); <key>.pub holds the public key as PEM, the form
 * OpenSSL reads.  core/qr.c signs and checks with it.  pin.key, in the same
 * folder, holds the 32-byte key of the PIN hashes in base64 (mode 0600, never
 * overwritten; core/pin.c uses it).  A secret file readable or writable by
 * group or others is made 0600 when it is read (docs/DECISIONS.md). */
#ifndef KEYS_H
#define KEYS_H

#include "hg.h"

#define KEY_PUBLIC 32
#define KEY_SECRET 64
#define KEY_PIN 32
#define KEY_PIN_FILE "pin.key"	/* in the station key's folder */

/* The station's keys: the Ed25519 pair (keys_create, keys_load) and, once
 * keys_pin_load() has read it (has_pin 1), the PIN key. */
struct keypair {
	uint8_t pk[KEY_PUBLIC];
	uint8_t sk[KEY_SECRET];
	uint8_t pin[KEY_PIN];
	int has_pin;
};

/* Words for every failure below go through hg_fail() (core/report.h). */

/* A new Ed25519 key pair in kp (its PIN key left as it was).  HG_EIO. */
int keys_generate(struct keypair *kp);
/* A new PIN key: KEY_PIN random bytes.  HG_EIO. */
int keys_pin_generate(uint8_t pin[KEY_PIN]);

/* The largest key text read (a longer one is not one of ours). */
#define KEY_TEXT_MAX 4096

/* kp's secret key as the secret file's text: one line of base64 and a
 * newline, NUL-terminated, into out[cap] (KEY_TEXT_MAX will do).
 * HG_ETOOLONG when cap is too small. */
int keys_secret_text(const struct keypair *kp, char *out, size_t cap);
/* The secret file's text (blanks around it allowed) into kp's pair, the
 * public half derived from the seed and checked against the one stored.
 * HG_ECORRUPT; kp's PIN key is left as it was. */
int keys_secret_parse(const char *text, struct keypair *kp);
/* The PIN key as its file's text (one line of base64 and a newline). */
int keys_pin_text(const uint8_t pin[KEY_PIN], char *out, size_t cap);
/* The PIN key file's text into kp->pin, setting kp->has_pin; HG_ECORRUPT
 * (not 32 bytes of base64), kp->has_pin 0 after any failure. */
int keys_pin_parse(const char *text, struct keypair *kp);
/* PEM SubjectPublicKeyInfo of pk into buf[cap] (as `openssl pkey -pubout`). */
int keys_public_pem(const uint8_t pk[KEY_PUBLIC], char *buf, size_t cap);
/* The 32 key bytes of a PEM SubjectPublicKeyInfo of an Ed25519 key (the
 * text may hold other lines around it).  HG_ECORRUPT. */
int keys_public_parse(const char *text, uint8_t pk[KEY_PUBLIC]);

/* The PIN key's path for the station key at key_path: KEY_PIN_FILE in the
 * same folder ("var/station.key" -> "var/pin.key").  HG_ETOOLONG past cap. */
int keys_pin_path(const char *key_path, char *out, size_t cap);

/* libsodium started (once, from any thread): HG_OK, or HG_EIO when it
 * cannot start.  Call before any libsodium function. */
int keys_crypto_ready(void);

#endif
