/* hg.h: what every haulgate module shares: error codes, field limits, time.
 *
 * Errors follow one rule everywhere: a function returns 0 (HG_OK) or a negative
 * HG_E* code; the caller checks it on the next line.  Library code never exits.
 * Times are UTC seconds since the epoch (hg_time), always passed in, never read
 * inside the core, so tests can fake the clock. */
#ifndef HG_H
#define HG_H

#include <stddef.h>
#include <stdint.h>

typedef int64_t hg_time;

enum {
	HG_OK = 0,
	HG_EINVAL = -1,		/* bad input: message for the person */
	HG_ENOMEM = -2,
	HG_EIO = -3,		/* device, file or database I/O failed */
	HG_ENOTFOUND = -4,
	HG_ECORRUPT = -5,	/* database or file is not what it should be */
	HG_EREFUSED = -6,	/* a rule says no */
	HG_ETOOLONG = -7,	/* text over its limit */
	HG_EBUSY = -8,
	HG_EEXIST = -9		/* unique thing already there */
};

/* Field limits, in characters (UTF-8 code points).  Buffers hold 4 bytes per
 * character plus the NUL: HG_BUF(n). */
#define HG_BUF(n) ((n) * 4 + 1)
#define LIM_NAME 80		/* person names, signer, driver */
#define LIM_COMPANY 120
#define LIM_ADDRESS 200
#define LIM_PHONE 40
#define LIM_PERMIT 40
#define LIM_PLATE 20
#define LIM_STATE 20
#define LIM_INDUSTRY 80
#define LIM_TOWN 60		/* a source's town or ZIP code */
#define LIM_TEXT 500		/* characteristics, constituents */
#define LIM_BOTTLE 40
#define LIM_REASON 200		/* operator override reason */
#define LIM_UID 20		/* hex digits of a 10-byte UID */
#define LIM_PIN 12
#define LIM_WASTE_LIST 200	/* "septage,grease,..." */
#define LIM_DATE 10		/* YYYY-MM-DD */

#define HG_MAX_SOURCES 8	/* sources on one load */
#define HG_MAX_TRUCKS 16	/* trucks of one hauler offered at the gate */
#define HG_MAX_KNOWN_SOURCES 16	/* remembered sources offered for re-use */

#define HG_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* What a printer is asked to print (drivers/printer.h prints it; the
 * state machine, core/session.h, asks for it). */
enum print_kind {
	PRINT_RECEIPT = 0,
	PRINT_REFUSAL,
	PRINT_LABEL,		/* sample bottle label, with its own QR */
	PRINT_SUMMARY,		/* end-of-day summary for the operator */
	PRINT_TEST,		/* `haulgate hw print-test` */
	PRINT_KIND_COUNT
};

#endif
