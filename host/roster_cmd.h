/* roster_cmd.h: the roster's edit commands, one set for the station's tool
 * (cli/cmd_roster.c) and the plant's server (potw/cmd_roster.c): `hauler
 * add|suspend|reinstate|permit|analysis`, `card add|revoke`, `truck add`,
 * `operator add`.  Each takes its options and arguments (host/
 * cmdline_values.h) into a struct roster_ev (core/roster_event.h), asks for
 * a new PIN where the card needs one, hands the edit to the program's
 * backend (the station's store, the plant's own log) and says what it did,
 * in the same words in both programs. */
#ifndef HOST_ROSTER_CMD_H
#define HOST_ROSTER_CMD_H

#include "cmdline.h"
#include "../core/pin.h"
#include "../core/roster_event.h"

/* Where the edits go. */
struct roster_backend {
	/* Log e (an add: its new row id into e->id).  0, or an HG_E* code with
	 * its words through hg_fail(): HG_EEXIST a card UID taken,
	 * HG_ENOTFOUND no such card (revoke) or hauler (the others). */
	int (*apply)(void *ctx, struct roster_ev *e);
	/* Read a new PIN for a card of kind and hash it with the roster's PIN
	 * key into hash (the program's database and key opened first, so
	 * nothing is asked when they are missing).  0, or -1 said. */
	int (*pin_hash)(void *ctx, enum card_kind kind, char hash[PIN_HASH_MAX]);
	void *ctx;
};

/* The options and usage lines of the edit commands, the same in both
 * programs' command tables. */
extern const struct cli_opt roster_opts_hauler_add[], roster_opts_permit[],
	roster_opts_analysis[], roster_opts_card_add[], roster_opts_truck_add[],
	roster_opts_operator_add[];
#define ROSTER_USAGE_HAULER_ADD \
	"hauler add --company NAME --contact NAME --address TEXT --phone TEXT\n" \
	"                --permit NUMBER --from DATE --to DATE --waste TYPE[,TYPE...]\n" \
	"                [--analysis DATE]"
#define ROSTER_USAGE_PERMIT "hauler permit ID --permit NUMBER --from DATE --to DATE"
#define ROSTER_USAGE_ANALYSIS "hauler analysis ID --date DATE | --none"
#define ROSTER_USAGE_CARD_ADD "card add --uid HEX --hauler ID --driver NAME   (PIN on stdin)"
#define ROSTER_USAGE_TRUCK_ADD "truck add --hauler ID --ident TEXT --capacity GALLONS"
#define ROSTER_USAGE_OPERATOR_ADD "operator add --name NAME --uid HEX   (PIN on stdin)"

/* Run the edit command of kind with a's options and arguments through b.
 * 0, -1 (said) or CLI_EUSAGE (said). */
int roster_cmd(const struct roster_backend *b, enum roster_ev_kind kind,
	       const struct cli_args *a);

#endif
