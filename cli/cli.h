/* cli.h: what the files of the station CLI (build/haulgate) share.
 *
 * main.c parses the command line into a struct cli_args by the command's
 * option table, loads the configuration into a struct cli and calls the
 * command.  A command returns 0, or a negative code: CLI_EUSAGE (exit 2),
 * `sync now`'s CLI_EUNREACHABLE (3) and CLI_EREFUSED (4), or anything else
 * (exit 1), after saying why on stderr with cli_error().
 * The commands live in cmd_roster.c (init and the roster), cmd_records.c
 * (listings, reports, verify), cmd_keys.c (keys, receipts), cmd_config.c
 * (config check), cmd_simulate.c (simulate), cmd_hw.c (the devices) and
 * managed.c (roster edits refused at a plant-managed station); the
 * demo roster is one table in demo.c.  The configuration, the database and
 * the keys are opened by station/boot.c, as the kiosk opens them. */
#ifndef CLI_H
#define CLI_H

#include <stddef.h>
#include "../core/hg.h"
#include "../core/config.h"
#include "../core/i18n.h"
#include "../core/keys.h"
#include "../host/cmdline.h"
#include "../host/cmdline_values.h"
#include "../host/config_file.h"
#include "../host/keyfile.h"
#include "../core/report.h"
#include "../core/table.h"
#include "../host/table_print.h"
#include "../db/store.h"
#include "../station/boot.h"

#define HG_VERSION "0.1.0"

/* sync now's own exit statuses (main.c maps them; host/cmdline.c knows
 * 0, 1 and 2) */
#define CLI_EUNREACHABLE (-65)	/* sync: the plant could not be reached: exit status 3 */
#define CLI_EREFUSED (-66)	/* sync: a fork, or the plant refused: exit status 4 */

/* Everything a command runs with. */
struct cli {
	struct config cfg;		/* defaults, station.ini, --db */
	struct boot boot;		/* how cfg and st were opened (station/boot.h) */
	const char *config_opt;		/* --config as given, or NULL */
	const char *db_opt;		/* --db as given, or NULL */
	const char *config_path;	/* the file loaded, or NULL (built-in defaults) */
	enum table_fmt fmt;		/* --csv, --json, or the aligned table */
	char actor[64];			/* "cli:<login>", recorded in events */
	hg_time now;
	struct store *st;		/* opened by cli_open_store(), closed by main */
	int read_only;			/* the command only reads the database */
};

/* ---- cli_util.c: helpers every command uses ---- */

/* cli_error(), cli_usage(), cli_get(), cli_need(): host/cmdline.h. */

/* The database, opened once (station/boot.c), the words of a failure
 * through hg_fail(): HG_OK or its code. */
int cli_store(struct cli *c);
/* Open the database at c->cfg.db_path, which must exist and be initialised,
 * and settle the station's id by the one rule (config_station_id): the id
 * recorded at init becomes c->cfg.station_id; a different [station] id in the
 * configuration is refused, or only said as a warning when c->read_only.
 * Does nothing when the database is open already. */
int cli_open_store(struct cli *c);
/* cli_take(), then cli_open_store(): a command whose options need no
 * further check before the database. */
int cli_take_open(struct cli *c, const struct cli_args *a, const struct cli_field *f, size_t n);
/* Say why the last store call failed (hg_error_text); returns -1. */
int cli_store_error(struct cli *c);
/* Print t in c->fmt to stdout and free it. */
void cli_print_table(struct cli *c, struct table *t);
/* The end of a listing: print t made by a store call that returned rc, or
 * say why it failed.  Returns 0 or -1. */
int cli_listing(struct cli *c, int rc, struct table *t);
/* A listing without options: open the database, list (store_list_*), print. */
int cli_list(struct cli *c, int (*list)(struct store *st, struct table **out));

/* Read the station's PIN key (keys_pin_path: pin.key beside the station key)
 * into kp.  A missing or unreadable file is refused with its path: 0 or -1. */
int cli_pin_key(struct cli *c, struct keypair *kp);
/* ---- managed.c: a plant-managed station's roster is the plant's ---- */

/* 1 when the station is plant-managed: its [sync] url is set. */
int cli_managed(const struct cli *c);
/* Refuse the roster edit `name sub` (or `init --demo`) with a's arguments
 * at a plant-managed station: the plant's url and the command to run there
 * (`haulgate-potw name sub ...`), in the station's language then the other,
 * on stderr.  Changes nothing; returns -1. */
int cli_managed_refuse(const struct cli *c, const char *name, const char *sub,
		       const struct cli_args *a);

/* ---- demo.c ---- */

/* Add the fixed demo roster (docs/CLI.md lists it) and print it to stdout. */
int demo_load(struct cli *c);

/* ---- the commands ---- */

int cmd_init(struct cli *c, const struct cli_args *a);
int cmd_hauler_add(struct cli *c, const struct cli_args *a);
int cmd_hauler_list(struct cli *c, const struct cli_args *a);
int cmd_hauler_suspend(struct cli *c, const struct cli_args *a);
int cmd_hauler_reinstate(struct cli *c, const struct cli_args *a);
int cmd_hauler_permit(struct cli *c, const struct cli_args *a);
int cmd_hauler_analysis(struct cli *c, const struct cli_args *a);
int cmd_card_add(struct cli *c, const struct cli_args *a);
int cmd_card_revoke(struct cli *c, const struct cli_args *a);
int cmd_card_list(struct cli *c, const struct cli_args *a);
int cmd_truck_add(struct cli *c, const struct cli_args *a);
int cmd_truck_list(struct cli *c, const struct cli_args *a);
int cmd_operator_add(struct cli *c, const struct cli_args *a);
int cmd_operator_list(struct cli *c, const struct cli_args *a);

int cmd_loads(struct cli *c, const struct cli_args *a);
int cmd_rv_visits(struct cli *c, const struct cli_args *a);
int cmd_events(struct cli *c, const struct cli_args *a);
int cmd_report_month(struct cli *c, const struct cli_args *a);
int cmd_verify(struct cli *c, const struct cli_args *a);

int cmd_keys(struct cli *c, const struct cli_args *a);
int cmd_receipt_verify(struct cli *c, const struct cli_args *a);
/* cmd_simulate.c */
int cmd_simulate(struct cli *c, const struct cli_args *a);

/* cmd_hw.c: the devices, for installers; each refuses while the kiosk runs */
int cmd_hw_check(struct cli *c, const struct cli_args *a);
int cmd_hw_read_card(struct cli *c, const struct cli_args *a);
int cmd_hw_relay(struct cli *c, const struct cli_args *a);
int cmd_hw_safe(struct cli *c, const struct cli_args *a);
int cmd_hw_meter(struct cli *c, const struct cli_args *a);
int cmd_hw_print_test(struct cli *c, const struct cli_args *a);
int cmd_hw_reprint(struct cli *c, const struct cli_args *a);

/* cmd_sync.c: the log sent to the plant (station/sync.c, docs/SYNC.md) */
int cmd_sync_now(struct cli *c, const struct cli_args *a);
int cmd_sync_status(struct cli *c, const struct cli_args *a);
int cmd_sync_run(struct cli *c, const struct cli_args *a);
int cmd_sync_export(struct cli *c, const struct cli_args *a);

/* cmd_config.c: config check runs without a loaded configuration: it
 * reports the errors every other command would stop on. */
int cmd_config_check(struct cli *c, const struct cli_args *a);
int cmd_policy_show(struct cli *c, const struct cli_args *a);	/* cli/cmd_policy.c */

/* Load the configuration as every command does (station/boot.c: defaults,
 * then config_opt or ./station.ini when it exists, then db_opt, then the
 * time zone).  Errors are printed "FILE:LINE: message"; returns -1 if any. */
int cli_load_config(struct cli *c, const char *config_opt, const char *db_opt);

#endif
