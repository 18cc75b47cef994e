/* keys.h: the station's keys and their files: the Ed25519 key pair and the
 * PIN key.
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

/* Make a new key pair and write it: path (secret, mode 0600, created with
 * O_EXCL: an existing key is never overwritten, HG_EEXIST) and path.pub.
 * Fills kp's pair (not its PIN key) when kp is not NULL.
 * Returns HG_OK or an error; err[cap] says why. */
int keys_create(const char *path, struct keypair *kp, char *err, size_t cap);
/* Read the secret key (and derive the public) into kp's pair; kp's PIN key
 * is left as it was.  HG_ENOTFOUND, HG_ECORRUPT; HG_EIO also when the file is
 * open to group or others and cannot be made 0600. */
int keys_load(const char *path, struct keypair *kp, char *err, size_t cap);

/* The PIN key's path for the station key at key_path: KEY_PIN_FILE in the
 * same folder ("var/station.key" -> "var/pin.key").  HG_ETOOLONG past cap. */
int keys_pin_path(const char *key_path, char *out, size_t cap);
/* Make a new PIN key (32 random bytes) and write it to path: one line of
 * base64, mode 0600, created with O_EXCL (an existing one is never
 * overwritten: HG_EEXIST).  Fills pin[KEY_PIN] when not NULL.  err says why. */
int keys_pin_create(const char *path, uint8_t pin[KEY_PIN], char *err, size_t cap);
/* Read the PIN key at path into kp->pin and set kp->has_pin.  HG_ENOTFOUND
 * (no such file), HG_ECORRUPT (not 32 bytes of base64), HG_EIO; kp->has_pin
 * is 0 after any failure.  A file open to group or others is made 0600 first
 * (HG_EIO when it cannot be). */
int keys_pin_load(const char *path, struct keypair *kp, char *err, size_t cap);
/* Read only the public key from path.pub (or from path when it holds it). */
int keys_load_public(const char *path, uint8_t pk[KEY_PUBLIC], char *err, size_t cap);
/* PEM SubjectPublicKeyInfo of pk into buf[cap] (as `openssl pkey -pubout`). */
int keys_public_pem(const uint8_t pk[KEY_PUBLIC], char *buf, size_t cap);

/* libsodium started (once, from any thread): HG_OK, or HG_EIO when it
 * cannot start.  Call before any libsodium function. */
int keys_crypto_ready(void);

#endif
