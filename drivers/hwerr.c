/* hwerr.c: a driver's error code in words (see hwerr.h).  The backends say
 * HG_EINVAL for a config value they cannot take, HG_ENOTFOUND for a device
 * that is not there (no such GPIO chip or line), HG_EIO for one that does not
 * answer, HG_EREFUSED for one that answered "no" (a Modbus exception); the
 * wording points at what to check.  A refusal's words come from the backend,
 * through the one reporting channel (hg_fail(), core/report.h), since only it
 * knows which request and which register. */
#include "hwerr.h"
#include "../core/hg.h"
#include "../core/report.h"

const char *hw_error_text(int rc)
{
	switch (rc) {
	case HG_OK:
		return "ok";
	case HG_EINVAL:
		return "the setting is not valid (docs/HARDWARE.md has the forms)";
	case HG_EIO:
		return "does not answer (check power, cable and address)";
	case HG_EREFUSED:
		return hg_error_text()[0] ? hg_error_text() : "answered, refusing the request";
	case HG_ENOTFOUND:
		return "not found (no such device, chip or line)";
	case HG_ENOMEM:
		return "out of memory";
	case HG_EBUSY:
		return "busy";
	default:
		return "failed";
	}
}
