/* lab.c: lab values, parameters and their limits, judged (lab.h).
 *
 * Values are exact decimals held as millionths in a long long; parsing
 * walks the text once (lab_dec_parse()), the verdict is two integer
 * comparisons (lab_judge()).  Nothing here reads a clock: today is given.
 * Start reading at lab_judge(). */
#include <stdio.h>
#include <string.h>

#include "lab.h"
#include "../core/text.h"

static const char *const keys[LAB_WHY_COUNT] = {
	[LAB_OK] = "web.lab.ok",
	[LAB_BAD_NUMBER] = "web.lab.bad_number",
	[LAB_BAD_COMMA] = "web.lab.bad_comma",
	[LAB_BAD_PLACES] = "web.lab.bad_places",
	[LAB_BAD_RANGE] = "web.lab.bad_range",
	[LAB_BAD_NEGATIVE] = "web.lab.bad_negative",
	[LAB_UNKNOWN_PARAM] = "web.lab.unknown_param",
	[LAB_BAD_UNIT] = "web.lab.bad_unit",
	[LAB_BAD_DATE] = "web.lab.bad_date",
	[LAB_DATE_FUTURE] = "web.lab.date_future",
	[LAB_DATE_EARLY] = "web.lab.date_early",
	[LAB_BAD_PARAM_NAME] = "web.lab.bad_param_name",
	[LAB_BAD_TEXT] = "web.lab.bad_text",
	[LAB_MIN_OVER_MAX] = "web.lab.min_over_max",
};

const char *lab_key(enum lab_why why)
{
	return (unsigned)why < LAB_WHY_COUNT ? keys[why] : keys[LAB_BAD_NUMBER];
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

enum lab_why lab_dec_parse(const char *s, int neg_ok, long long *out)
{
	long long v = 0;
	int neg = 0, places = -1, digits = 0;

	*out = 0;
	if (!s)
		return LAB_BAD_NUMBER;
	while (*s == ' ')
		s++;
	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	for (; *s && *s != ' '; s++) {
		if (*s == ',')
			return LAB_BAD_COMMA;
		if (*s == '.') {
			if (places >= 0)
				return LAB_BAD_NUMBER;
			places = 0;
			continue;
		}
		if (!is_digit(*s))
			return LAB_BAD_NUMBER;
		if (places >= 0 && ++places > LAB_PLACES)
			return LAB_BAD_PLACES;
		if (v > LAB_VALUE_MAX / 10)
			return LAB_BAD_RANGE;
		v = v * 10 + (*s - '0');
		digits++;
	}
	while (*s == ' ')
		s++;
	if (*s || digits == 0)
		return LAB_BAD_NUMBER;
	for (places = places < 0 ? 0 : places; places < LAB_PLACES; places++) {
		if (v > LAB_VALUE_MAX / 10)
			return LAB_BAD_RANGE;
		v *= 10;
	}
	if (v >= LAB_VALUE_MAX)
		return LAB_BAD_RANGE;
	if (neg && v && !neg_ok)
		return LAB_BAD_NEGATIVE;
	*out = neg ? -v : v;
	return LAB_OK;
}

const char *lab_dec_format(long long v, char buf[LAB_DEC_MAX])
{
	unsigned long long a = v < 0 ? (unsigned long long)(-(v + 1)) + 1 : (unsigned long long)v;
	unsigned long long frac = a % (unsigned long long)LAB_SCALE;
	char f[LAB_PLACES + 1];
	int n;

	snprintf(f, sizeof f, "%0*llu", LAB_PLACES, frac);
	for (n = LAB_PLACES; n > 0 && f[n - 1] == '0'; n--)
		f[n - 1] = '\0';
	snprintf(buf, LAB_DEC_MAX, "%s%llu%s%s", v < 0 ? "-" : "",
		 a / (unsigned long long)LAB_SCALE, n ? "." : "", f);
	return buf;
}

int lab_param_name_ok(const char *name)
{
	size_t i, n = name ? strlen(name) : 0;

	if (n == 0 || n > LAB_PARAM_MAX)
		return 0;
	for (i = 0; i < n; i++) {
		char c = name[i];
		int alnum = is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');

		if (!alnum && (i == 0 || !strchr(" .,()-", c)))
			return 0;
	}
	return name[n - 1] != ' ';
}

int lab_unit_same(const char *a, const char *b)
{
	size_t na, nb, i;

	while (*a == ' ')
		a++;
	while (*b == ' ')
		b++;
	na = strlen(a);
	nb = strlen(b);
	while (na && a[na - 1] == ' ')
		na--;
	while (nb && b[nb - 1] == ' ')
		nb--;
	if (na != nb)
		return 0;
	for (i = 0; i < na; i++) {
		char x = a[i], y = b[i];

		if (x >= 'A' && x <= 'Z')
			x = (char)(x | 0x20);
		if (y >= 'A' && y <= 'Z')
			y = (char)(y | 0x20);
		if (x != y)
			return 0;
	}
	return 1;
}

enum lab_why lab_judge(const struct lab_param *tab, size_t n, const char *name,
		       const char *unit, long long value, enum lab_verdict *v,
		       const struct lab_param **which)
{
	size_t i;

	*v = LAB_WITHIN;
	*which = NULL;
	for (i = 0; i < n && strcmp(tab[i].name, name); i++)
		;
	if (i == n)
		return LAB_UNKNOWN_PARAM;
	*which = &tab[i];
	if (!lab_unit_same(tab[i].unit, unit))
		return LAB_BAD_UNIT;
	if (tab[i].has_min && value < tab[i].min)
		*v = LAB_BELOW_MIN;
	else if (tab[i].has_max && value > tab[i].max)
		*v = LAB_ABOVE_MAX;
	return LAB_OK;
}

enum lab_why lab_date_check(const char *analysed, const char *sampled, const char *today)
{
	int y, m, d;

	if (!analysed || strlen(analysed) != 10 || text_parse_date(analysed, &y, &m, &d))
		return LAB_BAD_DATE;
	if (today && today[0] && strcmp(analysed, today) > 0)
		return LAB_DATE_FUTURE;
	if (sampled && sampled[0] && strcmp(analysed, sampled) < 0)
		return LAB_DATE_EARLY;
	return LAB_OK;
}
