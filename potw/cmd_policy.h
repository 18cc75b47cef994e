/* cmd_policy.h: haulgate-potw policy set|unset|show (potw/cmd_policy.c). */
#ifndef CMD_POLICY_H
#define CMD_POLICY_H

#include "api.h"
#include "potw_cli.h"
#include "../core/roster_event.h"

extern const struct cli_opt potw_policy_opts_set[];
extern const struct cli_opt potw_policy_opts_unset[];
extern const struct cli_opt potw_policy_opts_show[];

/* The plant's policy: a key of station.ini set or unset for all stations or
 * one (--station), logged as an event of the plant's log and sent down with
 * the roster; show lists what the plant set, or with --station what is in
 * force there and where it comes from.  0, -1 (said) or CLI_EUSAGE. */
int potw_policy_set(struct potw *p, const struct cli_args *a);
int potw_policy_unset(struct potw *p, const struct cli_args *a);
int potw_policy_show(struct potw *p, const struct cli_args *a);

/* The edit kind (RE_POLICY_SET: --key --value [--station], or
 * RE_POLICY_UNSET: --key [--station], the options of a) checked by
 * station.ini's parser and the roster's rules, logged in the plant's log
 * (actor) and the staff log (staff) at now; what was done said by
 * cli_say(), a refusal by cli_error() in the command line's words: the
 * CLI's set and unset, and the policy page's form (with a cli_sink).
 * 0, -1 or CLI_EUSAGE. */
int potw_policy_edit_run(const struct potw_api *api, enum roster_ev_kind kind,
			 const struct cli_args *a, const char *actor, const char *staff,
			 hg_time now);

#endif
