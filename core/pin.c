/* pin.c: the PIN rules and the keyed PIN hash (pin.h says the format).
 *
 * pin_hash() and pin_verify() share digest(): the keyed BLAKE2b-256 of the
 * PIN with the station's PIN key.  Argon2id then runs over that digest, never
 * over the PIN, so the stored hash can be checked only by whoever holds the
 * key.  There is no path around the key: without one nothing is hashed and
 * nothing verifies.  Start reading at pin_verify(). */
#include <string.h>

#include <sodium.h>

#include "pin.h"

#define MARK_LEN (sizeof PIN_HASH_MARK - 1)
#define DIGEST 32	/* crypto_generichash_BYTES */

int pin_min_digits(enum card_kind kind)
{
	return kind == CARD_OPERATOR ? PIN_MIN_OPERATOR : PIN_MIN_HAULER;
}

int pin_new_ok(enum card_kind kind, const char *pin)
{
	size_t n, i;

	if (!pin || !*pin)
		return HG_EINVAL;
	n = strlen(pin);
	for (i = 0; i < n; i++)
		if (pin[i] < '0' || pin[i] > '9')
			return HG_EINVAL;
	if (n > LIM_PIN)
		return HG_ETOOLONG;
	if (n < (size_t)pin_min_digits(kind))
		return HG_EREFUSED;
	return HG_OK;
}

/* The keyed BLAKE2b-256 of pin with key: what Argon2id hashes. */
static int digest(const uint8_t key[KEY_PIN], const char *pin, uint8_t out[DIGEST])
{
	int rc;

	rc = keys_crypto_ready();
	if (rc)
		return rc;
	if (crypto_generichash(out, DIGEST, (const unsigned char *)pin, strlen(pin), key,
			       KEY_PIN) != 0)
		return HG_EIO;
	return HG_OK;
}

int pin_hash_limits(const uint8_t key[KEY_PIN], const char *pin, unsigned long long opslimit,
		    size_t memlimit, char out[PIN_HASH_MAX])
{
	char argon[crypto_pwhash_STRBYTES];
	uint8_t d[DIGEST];
	int rc;

	if (out)
		out[0] = '\0';
	if (!key || !pin || !*pin || !out)
		return HG_EINVAL;
	rc = digest(key, pin, d);
	if (rc)
		goto out;
	rc = HG_ENOMEM;
	if (crypto_pwhash_str(argon, (const char *)d, DIGEST, opslimit, memlimit) != 0)
		goto out;
	rc = HG_ETOOLONG;
	if (MARK_LEN + strlen(argon) >= PIN_HASH_MAX)
		goto out;
	memcpy(out, PIN_HASH_MARK, MARK_LEN);
	memcpy(out + MARK_LEN, argon, strlen(argon) + 1);
	rc = HG_OK;
out:
	sodium_memzero(d, sizeof d);
	return rc;
}

int pin_hash(const uint8_t key[KEY_PIN], const char *pin, char out[PIN_HASH_MAX])
{
	return pin_hash_limits(key, pin, PIN_OPSLIMIT, PIN_MEMLIMIT, out);
}

int pin_verify(const uint8_t key[KEY_PIN], const char *hash, const char *pin)
{
	static const char argon[] = "$argon2id$";
	uint8_t d[DIGEST];
	int rc;

	if (!key || !hash || !pin || !*pin)
		return HG_EINVAL;
	if (strncmp(hash, PIN_HASH_MARK, MARK_LEN) != 0 ||
	    strncmp(hash + MARK_LEN, argon, sizeof argon - 1) != 0)
		return HG_ECORRUPT;
	rc = digest(key, pin, d);
	if (rc)
		return rc;
	rc = crypto_pwhash_str_verify(hash + MARK_LEN, (const char *)d, DIGEST) == 0 ? HG_OK
										       : HG_EREFUSED;
	sodium_memzero(d, sizeof d);
	return rc;
}
