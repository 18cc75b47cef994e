/* cmd_policy.h: haulgate-potw policy set|unset|show (potw/cmd_policy.c). */
#ifndef CMD_POLICY_H
#define CMD_POLICY_H

#include "potw_cli.h"

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

#endif
