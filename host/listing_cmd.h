/* listing_cmd.h: the command-line side of the listings both programs print
 * (db/listing.h): `loads`, `rv-visits` and `report month`, their options
 * taken and checked the same way, with the same words, by the station's
 * tool (cli/cmd_records.c) and the plant's server (potw/cmd_lists.c, which
 * adds --station and --totals). */
#ifndef HOST_LISTING_CMD_H
#define HOST_LISTING_CMD_H

#include "cmdline.h"
#include "../db/listing.h"

#define LISTING_USAGE_LOADS "loads [--from DATE] [--to DATE] [--hauler ID] [--flagged]"
#define LISTING_USAGE_RV "rv-visits [--from DATE] [--to DATE]"
#define LISTING_USAGE_MONTH "report month YYYY-MM"

/* Fill *f (zeroed here) for listing kind from a: --from and --to (dates,
 * the first not after the second), --hauler and --flagged for the loads,
 * the month YYYY-MM (a->pos[0]) for the report.  0, or -1 after saying
 * what is wrong. */
int listing_take(enum listing_kind kind, const struct cli_args *a, struct listing_filter *f);

#endif
