/* fees.h: the fee of a hauled load, in integer cents (potw/fees.c): no
 * floating point, no file, no clock.
 *
 * A waste type's schedule is a base per load (cents) and a rate per gallon
 * in ten-thousandths of a dollar (hundredths of a cent: $0.0650 a gallon
 * is 650), so a rate such as "6.5 cents a gallon" is exact.  A load is
 * billed on its measured gallons when the station's flow meter counted
 * some, else on the gallons the hauler declared, and its line says which.
 * The rounding rule, written once: a line's charge is
 *
 *	base + (gallons x rate + 50) / 100	(integer division)
 *
 * the gallon part rounded to the nearest cent, a half cent up (every term
 * is at least zero); a statement's total is the sum of its lines as
 * printed, so the lines add up to the total to the cent. */
#ifndef POTW_FEES_H
#define POTW_FEES_H

#include "lab.h"

#define FEE_BASE_MAX (1000000LL * 100)	/* cents of a base: $1,000,000 */
#define FEE_RATE_MAX (1000LL * 10000)	/* a rate: $1,000 a gallon */
#define FEE_GALLONS_MAX 100000000L	/* gallons of one load billed, at most */
#define FEE_MONEY_MAX 32		/* bytes of an amount written */

enum fee_basis { FEE_DECLARED = 0, FEE_MEASURED };

/* The gallons billed of a load: measured when the meter counted some
 * (measured > 0), else declared; *basis says which. */
long fee_gallons(long declared, long measured, enum fee_basis *basis);

/* A line's charge in cents (the rule above) into *cents.  HG_OK, or
 * HG_EINVAL for a negative or oversized term. */
int fee_line(long long base_cents, long long rate, long gallons, long long *cents);

/* Parse an amount of dollars with at most places (2: cents; 4: a rate)
 * decimals ("12.5", "0.065") into *out, counted in 10^-places dollars, at
 * most max.  LAB_OK or why not (lab.h's words). */
enum lab_why fee_parse(const char *s, int places, long long max, long long *out);

/* v (10^-places dollars) written with exactly places decimals ("12.50",
 * "0.0650") into buf[FEE_MONEY_MAX]; returns buf. */
const char *fee_format(long long v, int places, char buf[FEE_MONEY_MAX]);

#endif
