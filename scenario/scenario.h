/* scenario.h: the scenario language, read by `haulgate simulate` and by
 * the kiosk's --script.  One command a line; '#' starts a comment; words
 * are separated by spaces, a word in double quotes may hold spaces (\" and \\
 * inside).  Documented in docs/SCENARIOS.md.  Built into its own archive,
 * build/libhaulgate-scenario.a, for the CLI and the kiosk: the station's
 * library (and so the plant's server) does not hold it.
 *
 *   clock <ISO time>        set the clock (local time unless Z or an offset),
 *                           1970 to 9999 UTC
 *   wait <duration>         let time pass (ticks every second of it)
 *   wallclock <±duration|ISO time>  step the wall clock only (as NTP does)
 *   card <UID>              a card is tapped
 *   press <button-id>       a button is pressed (an unknown id: syntax error)
 *   type <text>             text typed into the focused field
 *   field <name> <value>    a form field set whole (an unknown name: syntax error)
 *   fault <device> [n]      the nth next operation of relay|printer|db fails
 *   expect screen <id>
 *   expect decision <accepted|refused|sample-hold> [reason-code]
 *   expect relay <name> <state>
 *   expect printed <receipt|refusal|label>
 *   expect message <reason-code>
 *
 * A failed expect stops the run: exit status 1 and the line that failed. */
#ifndef SCENARIO_H
#define SCENARIO_H

#include <stdio.h>
#include "../core/report.h"
#include "../station/station.h"

/* Where a scenario's monotonic clock starts: any origin would do (a real one
 * counts from boot); this one stays positive whatever `clock` does. */
#define SCN_MONO0 1000000000

#define SCN_MAX_WORDS 8
#define SCN_MAX_LINE 8192		/* a line holds at most SCN_MAX_LINE - 1 bytes */
#define SCN_CLOCK_MIN 0LL		/* `clock`: 1970-01-01T00:00:00Z ... */
#define SCN_CLOCK_MAX 253402300799LL	/* ... 9999-12-31T23:59:59Z */

/* One parsed line. */
struct scn_line {
	int lineno;
	int n;			/* words */
	char *w[SCN_MAX_WORDS];	/* point into buf */
	char buf[SCN_MAX_LINE];
};

/* What a run has seen, for the expects. */
struct scn_state {
	FILE *out;			/* JSON lines go here; NULL = none */
	int lineno;
	hg_time now;			/* the scenario's wall clock */
	hg_time mono;			/* its monotonic clock (from SCN_MONO0) */
	struct decision decision;	/* the last decision taken */
	int seen_decision;
	int printed[PRINT_KIND_COUNT];	/* slips printed since the last expect printed */
	enum reason last_message;
	long measured;			/* gallons measured by the last discharge that ended */
	enum reason meter_flag;		/* and its meter flag (R_NONE: none) */
	int seen_discharge_end;
};

/* The station watch callback of a run (ctx: its struct scn_state): prints
 * the JSON line of each action and remembers messages and slips. */
void scenario_watch(void *ctx, const struct action *a, int result, const struct session *f);

/* Remember the decision of the session, after any event fed to s. */
void scenario_seen(struct station *s, struct scn_state *r);

/* Run one parsed, non-empty line of the core language on s.  The kiosk runs
 * its own verbs (tap, snap, and card/press/type as real input) and hands the
 * rest here.  Returns 0 ok, 1 an expect failed, 2 syntax; on 1 or 2,
 * hg_error_text() (core/report.h) says which line and why. */
int scenario_step(struct station *s, struct scn_state *r, const struct scn_line *l);

/* Is id a button a scenario may press, name a field it may set?  The ids
 * of docs/SCENARIOS.md; a button family's rest is not checked (`truck_9`).
 * Anything else is a syntax error in simulate and the kiosk's --script. */
int scenario_button_known(const char *id);
int scenario_field_known(const char *name);

/* Split line into words.  Returns HG_OK (n may be 0 for a blank or comment
 * line) or HG_EINVAL (unterminated quote, too many words, too long). */
int scenario_parse_line(const char *line, int lineno, struct scn_line *out);

/* Read the scenario file at path and call fn for each line that has words,
 * until fn returns non-zero.  A UTF-8 byte-order mark at its start is
 * skipped; a line is at most SCN_MAX_LINE - 1 bytes, its end ("\n", "\r\n")
 * not counted.  Returns 0, fn's return, or 2 when the file cannot be read or
 * a line cannot be parsed (hg_error_text() says which line). */
typedef int (*scenario_line_fn)(void *ctx, const struct scn_line *l);
int scenario_each_line(const char *path, scenario_line_fn fn, void *ctx);

/* Run the scenario in path against a station opened on cfg, st and kp, with
 * the simulated drivers the config names.  Writes one JSON line per action to
 * out.  Returns 0 when every line ran and every expect held, 1 when an expect
 * failed or the station failed, 2 for a syntax error or unreadable file;
 * hg_error_text() says which line and why. */
int scenario_run_file(const char *path, const struct config *cfg, struct store *st,
		      const struct keypair *kp, FILE *out);

#endif
