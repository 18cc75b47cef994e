/* cmd_simulate.c: `haulgate simulate --script FILE`, a scenario run against
 * the real station.
 *
 * The station starts as the kiosk starts it (station/boot.c: the database,
 * its id, the station key and the PIN key) and opens its devices through
 * station/devices.c, so the fail-safe hook is the kiosk's too: SIGTERM,
 * SIGINT, SIGHUP or a crash in the middle of a scenario leave the gate
 * locked and the valve closed.  The scenario language is docs/SCENARIOS.md
 * (scenario/scenario.c runs it). */
#include <stdio.h>
#include "cli.h"
#include "../scenario/scenario.h"

int cmd_simulate(struct cli *c, const struct cli_args *a)
{
	const char *script;
	int rc;

	rc = cli_need(a, "script", &script);
	if (rc < 0)
		return rc;
	/* as the kiosk starts: the database, the id, both keys (station/boot.c) */
	rc = cli_open_store(c);
	if (rc < 0)
		return rc;
	rc = boot_open(&c->boot, BOOT_KEY | BOOT_PIN_KEY);
	if (rc)
		return cli_error("%s", hg_error_text());
	hg_error_clear();
	rc = scenario_run_file(script, &c->cfg, c->st, &c->boot.kp, stdout);
	if (rc == 0)
		return 0;
	fflush(stdout);
	cli_error("%s", hg_error_text()[0] ? hg_error_text() : "the scenario failed");
	return rc == 2 ? CLI_EUSAGE : -1;
}
