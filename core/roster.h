/* roster.h: who may use the station, as the core sees it after a card tap.
 *
 * The store fills a struct card_info from the database when a card is read;
 * the session and the policy decide on it without any I/O. */
#ifndef ROSTER_H
#define ROSTER_H

#include "hg.h"
#include "manifest.h"

#define ROSTER_MAX_PENDING 16	/* sampling reasons carried from abandoned holds */

struct hauler_info {
	long long id;
	char company[HG_BUF(LIM_COMPANY)];
	char contact[HG_BUF(LIM_NAME)];
	char address[HG_BUF(LIM_ADDRESS)];
	char phone[HG_BUF(LIM_PHONE)];
	char permit[HG_BUF(LIM_PERMIT)];
	char permit_from[LIM_DATE + 1];	/* YYYY-MM-DD, inclusive */
	char permit_to[LIM_DATE + 1];	/* YYYY-MM-DD, inclusive */
	int suspended;
	unsigned waste_allowed;		/* mask of 1u << enum waste_type */
	char analysis_date[LIM_DATE + 1];	/* waste analysis on file; "" = none */
	/* history at this station, for the sampling policy */
	long loads_total;		/* accepted or sampled loads so far */
	long loads_since_sample;	/* loads since the last sampled one */
	long long pending_load;		/* first held load left without a sample, 0 = none */
	int n_pending;
	enum reason pending[ROSTER_MAX_PENDING];	/* the sampling reasons it owes */
};

struct truck_info {
	long long id;
	char ident[HG_BUF(LIM_PLATE)];
	int capacity;		/* gallons */
};

enum card_kind { CARD_NONE = 0, CARD_HAULER, CARD_OPERATOR };

#define PIN_HASH_MAX 128	/* crypto_pwhash_STRBYTES */

struct card_info {
	enum card_kind kind;	/* CARD_NONE: not in the roster */
	long long card_id;	/* cards.id, or operators.id for an operator */
	char uid[LIM_UID + 1];
	char holder[HG_BUF(LIM_NAME)];	/* driver or operator name */
	char pin_hash[PIN_HASH_MAX];
	int revoked;
	int failures;		/* consecutive wrong PINs */
	hg_time locked_until;	/* 0 = not locked */
	/* CARD_HAULER only */
	struct hauler_info hauler;
	int n_trucks;
	struct truck_info trucks[HG_MAX_TRUCKS];
	int n_known;
	struct source known[HG_MAX_KNOWN_SOURCES];	/* remembered sources */
	long station_gallons_today;	/* accepted gallons today, whole station */
	/* the card's last accepted load (accepted, or held and sampled), what
	 * "same as last time" fills (core/session_form.c): its truck, waste type,
	 * sources, characteristics and constituents; never its gallons, RCRA
	 * answer or signer.  last_load 0: none (docs/DECISIONS.md) */
	long long last_load;
	struct manifest last;
};

#endif
