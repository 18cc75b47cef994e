/* pin.h: PINs: who may have which, and how they are hashed and checked.
 *
 * A PIN is never stored.  Its hash is keyed with the station's PIN key
 * (pin.key beside the station key, 32 random bytes; core/keys.c reads and
 * writes that file, this module only takes the bytes): first a keyed
 * BLAKE2b-256 of the PIN (crypto_generichash with the PIN key), then Argon2id
 * over those 32 bytes (crypto_pwhash_str, opslimit 4, memlimit 16 MiB =
 * 16777216 bytes).  The stored text is "$hgk1" followed by libsodium's
 * "$argon2id$v=19$m=16384,t=4,p=1$..." string.  A copied database without the
 * PIN key gives nothing to guess against: every guess needs the key.
 * No I/O here.  docs/DECISIONS.md ("PINs keyed with pin.key") says why. */
#ifndef PIN_H
#define PIN_H

#include "hg.h"
#include "keys.h"
#include "roster.h"

/* Argon2id limits of every stored PIN hash (crypto_pwhash_str). */
#define PIN_OPSLIMIT 4ULL
#define PIN_MEMLIMIT (16UL * 1024 * 1024)

/* Fewest digits of a PIN: a hauler's card, an operator's card. */
#define PIN_MIN_HAULER 4
#define PIN_MIN_OPERATOR 6

/* The mark in front of every keyed hash. */
#define PIN_HASH_MARK "$hgk1"

/* Fewest digits a new PIN of a card of this kind needs (CARD_OPERATOR:
 * PIN_MIN_OPERATOR, else PIN_MIN_HAULER). */
int pin_min_digits(enum card_kind kind);

/* May pin be set on a card of this kind?  Only digits, at least
 * pin_min_digits(kind), at most LIM_PIN.  HG_OK; HG_EREFUSED when it has
 * fewer digits than this kind needs; HG_ETOOLONG past LIM_PIN; HG_EINVAL when
 * it is empty or holds anything but digits. */
int pin_new_ok(enum card_kind kind, const char *pin);

/* Hash pin with the PIN key into out[PIN_HASH_MAX] at the station's limits
 * (PIN_OPSLIMIT, PIN_MEMLIMIT).  HG_OK; HG_EINVAL with no key or no PIN
 * (nothing is hashed without the key); HG_ENOMEM when Argon2id cannot get its
 * memory; HG_EIO when libsodium cannot start.  out is "" on failure. */
int pin_hash(const uint8_t key[KEY_PIN], const char *pin, char out[PIN_HASH_MAX]);

/* Same with other Argon2id limits: the tests use libsodium's minimum so that
 * thousands of PIN checks stay fast; the station never does. */
int pin_hash_limits(const uint8_t key[KEY_PIN], const char *pin, unsigned long long opslimit,
		    size_t memlimit, char out[PIN_HASH_MAX]);

/* Is pin the PIN of hash, with this PIN key?  HG_OK when it is;
 * HG_EREFUSED when it is not (another PIN, or a hash made with another key);
 * HG_ECORRUPT when hash is not a keyed PIN hash (an unkeyed hash from before
 * the PIN key, or damaged): never accepted; HG_EINVAL with no key, no hash or
 * no PIN: nothing is checked without the key.  The digest of the PIN is wiped. */
int pin_verify(const uint8_t key[KEY_PIN], const char *hash, const char *pin);

#endif
