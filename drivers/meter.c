/* meter.c: picking a flow-meter backend by the scheme of the config's
 * `meter =` value ("sim:var/meter", "modbus-tcp:10.0.0.9:502,scale=0.1",
 * "gpio-pulse:gpiochip0:17,gallons=10").  Add a backend by adding its ops to
 * the table below. */
#include "meter.h"
#include "drv.h"

static const struct meter_ops *const backends[] = {
	&meter_sim_ops,
	&meter_modbus_tcp_ops,
	&meter_modbus_rtu_ops,
	&meter_gpio_pulse_ops,
};

const struct meter_ops *meter_backend(const char *spec, const char **arg)
{
	for (size_t i = 0; spec && i < HG_ARRAY_LEN(backends); i++) {
		if (drv_scheme_is(spec, backends[i]->scheme, arg))
			return backends[i];
	}
	return NULL;
}
