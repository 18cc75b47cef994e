/* keys.h: the station's Ed25519 key pair and its two files.
 *
 * The secret file holds the 64-byte libsodium secret key in base64 (mode
 * 0600, never overwritten); <key>.pub holds the public key as PEM, the form
 * OpenSSL reads.  core/qr.c signs and checks with it. */
#ifndef KEYS_H
#define KEYS_H

#include "hg.h"

#define KEY_PUBLIC 32
#define KEY_SECRET 64

struct keypair {
	uint8_t pk[KEY_PUBLIC];
	uint8_t sk[KEY_SECRET];
};

/* Make a new key pair and write it: path (secret, mode 0600, created with
 * O_EXCL: an existing key is never overwritten, HG_EEXIST) and path.pub.
 * Returns HG_OK or an error; err[cap] says why. */
int keys_create(const char *path, struct keypair *kp, char *err, size_t cap);
/* Read the secret key (and derive the public).  HG_ENOTFOUND, HG_ECORRUPT. */
int keys_load(const char *path, struct keypair *kp, char *err, size_t cap);
/* Read only the public key from path.pub (or from path when it holds it). */
int keys_load_public(const char *path, uint8_t pk[KEY_PUBLIC], char *err, size_t cap);
/* PEM SubjectPublicKeyInfo of pk into buf[cap] (as `openssl pkey -pubout`). */
int keys_public_pem(const uint8_t pk[KEY_PUBLIC], char *buf, size_t cap);

/* libsodium started (once, from any thread): HG_OK, or HG_EIO when it
 * cannot start.  Call before any libsodium function. */
int keys_crypto_ready(void);

#endif
