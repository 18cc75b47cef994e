/* relay.c: picking a relay backend, and the words for relay states.
 *
 * relay_backend() maps the scheme of the config's `relay =` value to one of
 * the backends in the table below; add a backend by adding its ops there.
 * relay_word() and relay_word_parse() are the one place that knows a gate is
 * "locked" when off and a valve "closed": state files, logs, scenario checks
 * and screens all use them. */
#include "relay.h"
#include "drv.h"

#include <string.h>

static const struct relay_ops *const backends[] = {
	&relay_sim_ops,
	&relay_modbus_tcp_ops,
	&relay_modbus_rtu_ops,
	&relay_gpio_ops,
};

const struct relay_ops *relay_backend(const char *spec, const char **arg)
{
	size_t i;

	for (i = 0; i < HG_ARRAY_LEN(backends); i++) {
		if (drv_scheme_is(spec, backends[i]->scheme, arg))
			return backends[i];
	}
	return NULL;
}

/* Relays with their own words; every other relay is off/on. */
static const struct {
	const char *name;
	const char *word[2];	/* [off], [on] */
} words[] = {
	{ "gate",  { "locked", "unlocked" } },
	{ "valve", { "closed", "open" } },
};

static const char *const plain[2] = { "off", "on" };

static const char *const *words_of(const char *name)
{
	size_t i;

	for (i = 0; name && i < HG_ARRAY_LEN(words); i++) {
		if (strcmp(name, words[i].name) == 0)
			return words[i].word;
	}
	return plain;
}

const char *relay_word(const char *name, int on)
{
	return words_of(name)[on ? 1 : 0];
}

int relay_word_parse(const char *name, const char *word)
{
	const char *const *w = words_of(name);

	if (!word)
		return -1;
	if (strcmp(word, w[0]) == 0)
		return 0;
	if (strcmp(word, w[1]) == 0)
		return 1;
	return -1;
}
