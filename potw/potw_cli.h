/* potw_cli.h: what haulgate-potw's commands share (potw/main.c, the
 * command table and the plant's other commands; potw/cmd_roster.c, the
 * roster's).  Errors are said with host/cmdline.h's cli_error(). */
#ifndef POTW_CLI_H
#define POTW_CLI_H

#include "potw_config.h"
#include "store.h"
#include "../core/table.h"
#include "../host/cmdline.h"

/* What a command runs with. */
struct potw {
	struct potw_config cfg;
	const char *config_path;	/* the file read, or NULL (the defaults) */
	enum table_fmt fmt;
	hg_time now;
	struct potw_store *st;		/* opened by potw_open_store(), closed by main */
};

/* Open [server] db once (p->st).  0 or -1 (said). */
int potw_open_store(struct potw *p);

/* The roster's commands (potw/cmd_roster.c): the station CLI's verbs,
 * options and checks, on the plant's roster.  0, -1 (said) or CLI_EUSAGE. */
int potw_hauler_add(struct potw *p, const struct cli_args *a);
int potw_hauler_list(struct potw *p, const struct cli_args *a);
int potw_hauler_suspend(struct potw *p, const struct cli_args *a);
int potw_hauler_reinstate(struct potw *p, const struct cli_args *a);
int potw_hauler_permit(struct potw *p, const struct cli_args *a);
int potw_hauler_analysis(struct potw *p, const struct cli_args *a);
int potw_card_add(struct potw *p, const struct cli_args *a);
int potw_card_revoke(struct potw *p, const struct cli_args *a);
int potw_card_list(struct potw *p, const struct cli_args *a);
int potw_truck_add(struct potw *p, const struct cli_args *a);
int potw_truck_list(struct potw *p, const struct cli_args *a);
int potw_operator_add(struct potw *p, const struct cli_args *a);
int potw_operator_list(struct potw *p, const struct cli_args *a);

/* The stations' records (potw/cmd_lists.c): the station CLI's listings of
 * every station, or of one (--station).  0, -1 (said) or CLI_EUSAGE. */
int potw_loads(struct potw *p, const struct cli_args *a);
int potw_rv_visits(struct potw *p, const struct cli_args *a);
int potw_report_month(struct potw *p, const struct cli_args *a);
/* The web pages' staff accounts (potw/cmd_user.c).  0, -1 or CLI_EUSAGE. */
int potw_user_add(struct potw *p, const struct cli_args *a);
int potw_user_list(struct potw *p, const struct cli_args *a);
int potw_user_log(struct potw *p, const struct cli_args *a);
/* t as "YYYY-MM-DDTHH:MM:SSZ" into buf[24] ("" for 0): the plant's
 * listings' times (potw/cmd_user.c). */
const char *potw_utc(hg_time t, char buf[24]);
/* The disputes raised on the receipt check (potw/cmd_disputes.c). */
int potw_disputes(struct potw *p, const struct cli_args *a);

#endif
