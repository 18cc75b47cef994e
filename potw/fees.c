/* fees.c: a load's fee in integer cents (fees.h says the rule).
 *
 * Amounts are parsed by lab.c's exact decimal parser and scaled down, so
 * there is one way a typed number becomes an integer.  Start reading at
 * fee_line(). */
#include <stdio.h>

#include "fees.h"

long fee_gallons(long declared, long measured, enum fee_basis *basis)
{
	*basis = measured > 0 ? FEE_MEASURED : FEE_DECLARED;
	return measured > 0 ? measured : declared;
}

int fee_line(long long base_cents, long long rate, long gallons, long long *cents)
{
	*cents = 0;
	if (base_cents < 0 || base_cents > FEE_BASE_MAX || rate < 0 || rate > FEE_RATE_MAX ||
	    gallons < 0 || gallons > FEE_GALLONS_MAX)
		return HG_EINVAL;
	/* at most 10^8 x 10^7 = 10^15: far inside a long long */
	*cents = base_cents + ((long long)gallons * rate + 50) / 100;
	return HG_OK;
}

static long long pow10ll(int n)
{
	long long p = 1;

	while (n-- > 0)
		p *= 10;
	return p;
}

enum lab_why fee_parse(const char *s, int places, long long max, long long *out)
{
	long long v, unit = pow10ll(LAB_PLACES - places);
	enum lab_why why;

	*out = 0;
	why = lab_dec_parse(s, 0, &v);
	if (why)
		return why;
	if (v % unit)
		return LAB_BAD_PLACES;
	if (v / unit > max)
		return LAB_BAD_RANGE;
	*out = v / unit;
	return LAB_OK;
}

const char *fee_format(long long v, int places, char buf[FEE_MONEY_MAX])
{
	unsigned long long a = v < 0 ? (unsigned long long)(-(v + 1)) + 1 : (unsigned long long)v;
	unsigned long long p, frac;
	char f[LAB_PLACES + 2];
	int i;

	if (places < 0 || places > LAB_PLACES)
		places = 0;
	p = (unsigned long long)pow10ll(places);
	frac = a % p;
	f[0] = places ? '.' : '\0';
	for (i = places; i >= 1; i--, frac /= 10)
		f[i] = (char)('0' + frac % 10);
	f[places + 1] = '\0';
	snprintf(buf, FEE_MONEY_MAX, "%s%llu%s", v < 0 ? "-" : "", a / p, f);
	return buf;
}
