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
/* A listing's start: the store opened and a new table of ncols columns
 * cols, those of numeric[] (ending with -1; NULL none) numeric.  The
 * table, or NULL (said). */
struct table *potw_table_new(struct potw *p, const char *const *cols, int ncols,
			     const int *numeric);
/* A listing's end: t printed in p's format when rc is 0, else rc's words
 * said; t freed.  0 or -1. */
int potw_table_done(struct potw *p, struct table *t, int rc);
/* The staff log's actor of a command: "cli:<the Unix user>". */
void potw_cli_actor(char out[POTW_ACTOR_MAX + 1]);
/* t as "YYYY-MM-DDTHH:MM:SSZ" into buf[24]; returns buf. */
const char *potw_cli_utc(hg_time t, char buf[24]);

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
/* The disputes raised on the receipt check (potw/cmd_disputes.c). */
int potw_disputes(struct potw *p, const struct cli_args *a);
/* The plant's lab records (potw/cmd_lab.c) and fees (potw/cmd_fees.c).
 * 0, -1 (said) or CLI_EUSAGE. */
extern const struct cli_opt potw_lab_opts_limit[], potw_lab_opts_result[];
extern const struct cli_opt potw_fees_opts_schedule[], potw_fees_opts_statement[];
int potw_lab_params(struct potw *p, const struct cli_args *a);
int potw_lab_limit(struct potw *p, const struct cli_args *a);
int potw_lab_result(struct potw *p, const struct cli_args *a);
int potw_violations(struct potw *p, const struct cli_args *a);
int potw_nov_state(struct potw *p, const struct cli_args *a);
int potw_fees_schedule(struct potw *p, const struct cli_args *a);
int potw_fees_statement(struct potw *p, const struct cli_args *a);
/* Legal holds and the retention report (potw/cmd_holds.c).  0, -1 (said)
 * or CLI_EUSAGE. */
extern const struct cli_opt potw_holds_opts_set[], potw_holds_opts_list[],
	potw_holds_opts_retention[];
int potw_hold_set_cmd(struct potw *p, const struct cli_args *a);
int potw_hold_release_cmd(struct potw *p, const struct cli_args *a);
int potw_holds(struct potw *p, const struct cli_args *a);
int potw_retention(struct potw *p, const struct cli_args *a);
/* A hauler's statement for year-month as a table (potw/cmd_fees.c): a row
 * a load discharged, then the row "total"; the CLI prints it and the
 * statement's CSV page sends it.  HG_OK or an HG_E* code with words. */
int potw_fee_statement_table(struct potw_store *st, long long hauler_id, const char *station,
			     int year, int month, struct table **out);

#endif
