/* cmd_config.c: `haulgate config check`, the configuration checked as every
 * program of the station would load it.
 *
 * station.ini is read as every command reads it (station/boot.c), and every
 * error is printed with its line; then what core/ cannot know is checked
 * here: that each [hardware] value names a backend the drivers have, and,
 * once there is a database, that its [station] id agrees with the
 * database's; then how many values the plant's policy lays over it (and
 * any this station's parser refused).  Start reading at cmd_config_check(). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"
#include "../station/plant_policy.h"
#include "../drivers/meter.h"
#include "../drivers/nfc.h"
#include "../drivers/printer.h"
#include "../drivers/relay.h"

/* The line of key in the [hardware] section of the file at path, or 0. */
static int hardware_line(const char *path, const char *key)
{
	FILE *f = fopen(path, "r");
	char line[1024];
	int n = 0, found = 0, in_hw = 0;
	size_t kl = strlen(key);

	while (f && fgets(line, sizeof line, f)) {
		const char *p = line;

		n++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '[')
			in_hw = strncmp(p, "[hardware]", 10) == 0;
		else if (in_hw && strncmp(p, key, kl) == 0 && strchr(" \t=", p[kl]))
			found = n;	/* the last one wins, as in the loader */
	}
	if (f)
		fclose(f);
	return found;
}

/* Every [hardware] value names a backend the drivers have (config.c, in
 * core/, cannot know the drivers).  The backend's own argument is checked
 * when the device opens: `haulgate hw check`. */
static int check_backends(const struct config *cfg, const char *path)
{
	const struct {
		const char *key, *val;
		int known;
	} hw[] = {
		{"relay", cfg->relay, relay_backend(cfg->relay, NULL) != NULL},
		{"nfc", cfg->nfc, nfc_backend(cfg->nfc, NULL) != NULL},
		{"printer", cfg->printer, printer_backend(cfg->printer, NULL) != NULL},
		{"meter", cfg->meter, !cfg->meter[0] || meter_backend(cfg->meter, NULL) != NULL},
	};
	int bad = 0;

	for (size_t i = 0; i < HG_ARRAY_LEN(hw); i++) {
		int line;

		if (hw[i].known)
			continue;
		line = hardware_line(path, hw[i].key);
		if (line)
			fprintf(stderr, "%s:%d: ", path, line);
		else
			fprintf(stderr, "%s: ", path);
		fprintf(stderr, "%s = %s: no such backend (docs/HARDWARE.md lists them)\n", hw[i].key,
			hw[i].val);
		bad = 1;
	}
	return bad ? -1 : 0;
}

/* A plant-managed station runs on station.ini with the plant's policy laid
 * over it (station/plant_policy.c): say how many of its values are the
 * plant's, and each one this station's parser refused. */
static void say_plant_policy(struct cli *c)
{
	struct plant_policy *pp = malloc(sizeof *pp);
	struct config *eff = malloc(sizeof *eff);
	int used = 0;

	if (pp && eff && plant_policy_apply(c->st, &c->cfg, eff, pp) == HG_OK) {
		for (int i = 0; i < pp->n; i++) {
			const struct cfg_policy_row *r = &pp->row[i];

			used += r->used == CFG_USED_APPLIED;
			if (r->used == CFG_USED_REFUSED)
				printf("the plant's %s.%s = %s is refused here: %s\n", r->section,
				       r->key, r->value, r->why);
		}
		if (used)
			printf("%d value%s of the plant over station.ini: haulgate policy show\n",
			       used, used == 1 ? "" : "s");
	}
	free(pp);
	free(eff);
}

int cmd_config_check(struct cli *c, const struct cli_args *a)
{
	const char *path = boot_config_file(c->config_opt);
	int rc;

	(void)a;
	rc = cli_load_config(c, c->config_opt, c->db_opt);
	if (rc < 0)
		return rc;
	if (!path) {
		printf("config ok (no station.ini here: built-in defaults)\n");
		return 0;
	}
	if (check_backends(&c->cfg, path) < 0)
		return -1;
	/* once there is a database, the station runs only if its id agrees */
	if (access(c->cfg.db_path, F_OK) == 0) {
		rc = cli_open_store(c);
		if (rc < 0)
			return rc;
	}
	printf("config ok: %s\n", path);
	if (c->st)
		say_plant_policy(c);
	return 0;
}
