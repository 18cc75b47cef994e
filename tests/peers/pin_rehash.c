/* pin_rehash: a PIN's hash made with a station's PIN key at libsodium's
 * least Argon2id limits, for tests that tap cards thousands of times
 * (tests/cli/test_sync_offline.sh: 6,000 loads, each a card and its PIN).
 *
 *	pin_rehash PIN-KEY-FILE PIN
 *
 * prints the hash as the station stores it ("$hgk1$argon2id$v=19$m=8,t=1,
 * p=1$..."), made by core/pin.c's pin_hash_limits(): the very keyed digest
 * and Argon2id the station makes, only cheaper.  The station reads the limits
 * from the hash when it checks a PIN (pin_verify()), so a card whose row holds
 * this hash is checked in well under a millisecond instead of tens, the check
 * itself unchanged.  The test writes it into the card's row (the hash is in
 * the row, not in the event log: `haulgate verify` still passes).  Exit 1
 * with the reason on stderr. */
#include <stdio.h>

#include <sodium.h>

#include "../../core/pin.h"
#include "../../core/report.h"
#include "../../host/keyfile.h"

int main(int argc, char **argv)
{
	struct keypair kp = {0};
	char hash[PIN_HASH_MAX];
	int rc;

	if (argc != 3) {
		fprintf(stderr, "usage: pin_rehash PIN-KEY-FILE PIN\n");
		return 2;
	}
	rc = keys_pin_load(argv[1], &kp);
	if (rc) {
		fprintf(stderr, "pin_rehash: %s\n", hg_error_text());
		return 1;
	}
	rc = pin_hash_limits(kp.pin, argv[2], crypto_pwhash_OPSLIMIT_MIN,
			     crypto_pwhash_MEMLIMIT_MIN, hash);
	sodium_memzero(&kp, sizeof kp);
	if (rc) {
		fprintf(stderr, "pin_rehash: cannot hash the PIN (%d)\n", rc);
		return 1;
	}
	puts(hash);
	return 0;
}
