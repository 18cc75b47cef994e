/* policy.h: the acceptance and sampling rules, pure functions.
 *
 * policy_card() answers "may this card start a load now?" after the PIN;
 * policy_decide() answers "accept, refuse or hold for sampling?" for a
 * certified form.  Every rule that fires adds its reason code, so the record
 * says all the reasons, not only the first.  Randomness comes in as a number
 * drawn by the caller from a CSPRNG (randombytes_random), time as now. */
#ifndef POLICY_H
#define POLICY_H

#include <stdint.h>
#include "config.h"
#include "roster.h"

#define POLICY_MAX_REASONS 16

enum verdict { VERDICT_NONE = 0, VERDICT_ACCEPTED, VERDICT_REFUSED, VERDICT_SAMPLE_HOLD };

struct decision {
	enum verdict verdict;
	int n_refuse;
	enum reason refuse[POLICY_MAX_REASONS];		/* why refused (verdict REFUSED) */
	int n_sample;
	enum reason sample[POLICY_MAX_REASONS];		/* why sampled (verdict SAMPLE_HOLD) */
};

const char *verdict_code(enum verdict v);	/* "accepted", "refused", "sample-hold" */
enum verdict verdict_parse(const char *s);

/* Is the hauler's permit valid on the local date of now? */
int policy_permit_valid(const struct hauler_info *h, hg_time now);

/* After a right PIN: may this hauler card start a load now?  Returns R_NONE
 * or the first reason to refuse (revoked, suspended, permit not valid or
 * lapsed, station closed). */
enum reason policy_card(const struct config *cfg, const struct card_info *card, hg_time now);

/* Decide on a certified form.  manual_flag: an operator asked for this load
 * to be sampled.  rnd: uniform 32-bit random number.  Refusal reasons win
 * over sampling; the sampling reasons are still recorded in d. */
void policy_decide(const struct config *cfg, const struct card_info *card,
		   const struct manifest *m, hg_time now, uint32_t rnd,
		   int manual_flag, struct decision *d);

/* Is town (a source's town or ZIP code) one of the service area's entries?
 * The whole field is compared, never a word inside it, after Unicode NFC and
 * case folding with the spaces tidied ("PEÑASCO" is "Peñasco", with the
 * tilde precomposed or not); a ZIP+4 "64124-1234" is its ZIP "64124", on
 * either side.  An empty town is in no area. */
int policy_town_in_area(const struct config *cfg, const char *town);

/* Is s a ZIP code: five digits, or a ZIP+4 "64124-1234"? (the kiosk shows
 * the service area's towns as buttons, not its ZIP codes) */
int policy_is_zip(const char *s);

/* Comma-separated reason codes of a list into buf[cap] ("rcra_hazardous,daily_limit").
 * Codes that do not fit whole are left out. */
void policy_codes(const enum reason *r, int n, char *buf, size_t cap);

#endif
