/* record.h: what is kept of a load and of an RV visit.
 *
 * The flow fills these; the store commits them (db/store.c) with their events
 * in one transaction; the receipt is composed from them. */
#ifndef RECORD_H
#define RECORD_H

#include "hg.h"
#include "manifest.h"
#include "policy.h"

/* When each step of a load happened (0 = did not happen). */
struct load_times {
	hg_time card;		/* card accepted */
	hg_time pin;		/* right PIN */
	hg_time form;		/* first field of the form */
	hg_time certified;	/* 4.5 certification signed */
	hg_time decided;	/* decision taken (the load's date) */
	hg_time sampled;	/* bottle recorded */
	hg_time discharge_start;
	hg_time discharge_end;
};

struct load_rec {
	long long load_no;	/* station-wide load number, given by the store */
	char station[32];
	struct manifest m;
	enum lang lang;		/* language the hauler certified in */
	struct decision d;
	char bottle[HG_BUF(LIM_BOTTLE)];	/* "" until sampled */
	long long sampled_by;	/* operators.id */
	char sampler[HG_BUF(LIM_NAME)];
	int manual_flag;	/* an operator flagged it for sampling */
	struct load_times t;
	long gallons_measured;	/* counted by the flow meter while the valve was open; 0 = no meter */
	enum reason meter_flag;	/* R_NONE, R_METER_MISMATCH or R_METER_FAILED (core/flow.c) */
	int interrupted;	/* the station stopped with the valve open; its next start
				 * closed the discharge (discharge_end_why "interrupted") */
	uint8_t record_sha[32];	/* SHA-256 of record[] as certified */
	char record[MANIFEST_RECORD_MAX];	/* the copy of record */
};

struct rv_rec {
	long long id;
	char name[HG_BUF(LIM_NAME)];
	char plate[HG_BUF(LIM_PLATE)];
	char plate_state[HG_BUF(LIM_STATE)];
	enum lang lang;
	hg_time signed_in;
	hg_time rules_accepted;
	hg_time declared;	/* no chemicals declared */
	hg_time done;
};

#endif
