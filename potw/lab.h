/* lab.h: the plant's lab results against its limits, as values in and
 * values out (potw/lab.c): no file, clock or database.
 *
 * A lab value is a decimal the coordinator types ("4.2", "0.0005",
 * "-3"): it is kept exactly, as an integer count of millionths
 * (LAB_SCALE), never as a floating-point number, so "exactly at the
 * limit" is exact.  A parameter (pH, BOD, Cu, ...) has a unit and at most
 * a minimum and a maximum; a value below the minimum or above the maximum
 * exceeds it (at the limit is within: section 2.1 prohibits "a pH less
 * than 5.0").  Every refusal is a catalogue key (web.lab.bad_*), so the
 * page says it in the person's language and the CLI in English from the
 * same words. */
#ifndef POTW_LAB_H
#define POTW_LAB_H

#include <stddef.h>

#include "../core/hg.h"

#define LAB_PLACES 6			/* decimal places a value may have */
#define LAB_SCALE 1000000LL		/* 10^LAB_PLACES */
#define LAB_VALUE_MAX (1000000000000LL * LAB_SCALE)	/* |value| below 10^12 */
#define LAB_PARAM_MAX 24		/* bytes of a parameter's name */
#define LAB_UNIT_MAX 16			/* bytes of a unit */
#define LAB_SECTION_MAX 40		/* bytes of the ordinance section of a limit */
#define LAB_TEXT_MAX 80			/* bytes of a method or a laboratory's name */
#define LAB_DEC_MAX 32			/* bytes of a value written back */

/* What a check found; LAB_OK is 0.  lab_key() names each one's words. */
enum lab_why {
	LAB_OK = 0,
	LAB_BAD_NUMBER,		/* not a decimal number */
	LAB_BAD_COMMA,		/* a comma: decimals are written with a point */
	LAB_BAD_PLACES,		/* more than LAB_PLACES decimal places */
	LAB_BAD_RANGE,		/* 10^12 or more */
	LAB_BAD_NEGATIVE,	/* below zero where it may not be */
	LAB_UNKNOWN_PARAM,	/* no such parameter */
	LAB_BAD_UNIT,		/* not the parameter's unit */
	LAB_BAD_DATE,		/* not a date YYYY-MM-DD */
	LAB_DATE_FUTURE,	/* after today */
	LAB_DATE_EARLY,		/* before the day the sample was taken */
	LAB_BAD_PARAM_NAME,	/* a parameter name other than letters, digits, space . , ( ) - */
	LAB_BAD_TEXT,		/* a unit, method, laboratory or section too long or not text */
	LAB_MIN_OVER_MAX,	/* a minimum above the maximum */
	LAB_WHY_COUNT
};

/* Where a value stands against its parameter's limits. */
enum lab_verdict { LAB_WITHIN = 0, LAB_BELOW_MIN, LAB_ABOVE_MAX };

/* A parameter and its limits (values in millionths). */
struct lab_param {
	char name[LAB_PARAM_MAX + 1];
	char unit[LAB_UNIT_MAX + 1];
	int has_min, has_max;
	long long min, max;
	char section[LAB_SECTION_MAX + 1];	/* "2.1.B.2", "2.3" */
};

/* The catalogue key of why ("web.lab.bad_number", ...). */
const char *lab_key(enum lab_why why);

/* Parse the decimal s (an optional '-', digits, an optional '.' and at most
 * LAB_PLACES digits after it; spaces around it ignored) into *out, in
 * millionths.  neg_ok 0 refuses a value below zero.  LAB_OK or why not. */
enum lab_why lab_dec_parse(const char *s, int neg_ok, long long *out);
/* v (millionths) written as the shortest decimal ("4.2", "5", "-0.0005")
 * into buf[LAB_DEC_MAX]; returns buf. */
const char *lab_dec_format(long long v, char buf[LAB_DEC_MAX]);

/* Is name a parameter's name: 1 to LAB_PARAM_MAX bytes of ASCII letters,
 * digits, space, '.', ',', '(', ')', '-', a letter or digit first?  1/0 */
int lab_param_name_ok(const char *name);
/* Do units a and b name the same unit (ASCII case and spaces around them
 * ignored: "mg/L" is "mg/l")?  1/0 */
int lab_unit_same(const char *a, const char *b);

/* Judge value (millionths, in unit) of the parameter named name among the
 * n parameters of tab: *v the verdict against its limits, *which the
 * parameter.  LAB_OK, LAB_UNKNOWN_PARAM or LAB_BAD_UNIT (then *v is
 * LAB_WITHIN and nothing is judged). */
enum lab_why lab_judge(const struct lab_param *tab, size_t n, const char *name,
		       const char *unit, long long value, enum lab_verdict *v,
		       const struct lab_param **which);

/* Is analysed ("YYYY-MM-DD") a date the result may carry: a real date, not
 * after today, not before sampled (the load's day; "" unknown)?  Dates
 * compare as text (the same form).  LAB_OK, LAB_BAD_DATE, LAB_DATE_FUTURE
 * or LAB_DATE_EARLY. */
enum lab_why lab_date_check(const char *analysed, const char *sampled, const char *today);

#endif
