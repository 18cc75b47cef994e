/* nfc.c: picking a card-reader backend by the scheme of the config's
 * `nfc =` value ("sim:var/nfc", "libnfc", "libnfc:pn532_uart:/dev/ttyUSB0").
 * Add a backend by adding its ops to the table below. */
#include "nfc.h"
#include "drv.h"

#include <stddef.h>

static const struct nfc_ops *const backends[] = {
	&nfc_sim_ops,
	&nfc_libnfc_ops,
};

const struct nfc_ops *nfc_backend(const char *spec, const char **arg)
{
	size_t i;

	for (i = 0; i < HG_ARRAY_LEN(backends); i++) {
		if (drv_scheme_is(spec, backends[i]->scheme, arg))
			return backends[i];
	}
	return NULL;
}
