/* cmd_sync.c: `haulgate sync now|status|run`, the station's log sent to the
 * plant's server (station/sync.c; docs/SYNC.md, docs/CLI.md).
 *
 * `sync now` runs one round and says how it went in its exit status: 0 the
 * plant holds every event, 3 the plant could not be reached (try again
 * later), 4 a fork or a refusal (a person must look; the words say which).
 * `sync status` reads only the database (what the last rounds wrote in
 * sync_state and sync_checkpoints), never the network: one row, as a table,
 * CSV or JSON.  `sync run` is the process beside the kiosk: a round, then
 * [sync] interval, doubling up to 10 minutes while rounds fail; SIGTERM,
 * SIGINT or SIGHUP ends it between two requests, with exit status 0 (the
 * stop signals are caught by station/devices.c's hook, as every station
 * program's are).  `sync export` writes the log as the batches a round
 * would send (sync_export()), for a plant to take with `haulgate-potw
 * import` when there is no network: it needs the station's key, not the
 * plant. */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "../core/text.h"
#include "../station/devices.h"
#include "../station/sync.h"

#define BACKOFF_MAX_S 600	/* the longest wait of `sync run` after a failure */

static volatile sig_atomic_t stop_flag;	/* set by a stop signal (station/devices.c) */

/* Open the database, the station's key and a sync client. */
static int open_sync(struct cli *c, struct sync **s)
{
	struct keypair kp;
	int rc;

	*s = NULL;
	if (!c->cfg.sync_url[0])
		return cli_error("this station is not managed by a plant: [sync] url is empty in %s "
				 "(docs/CONFIG.md)", c->config_path ? c->config_path :
				 "the configuration");
	rc = cli_open_store(c);
	if (rc < 0)
		return rc;
	rc = keys_load(c->cfg.key_path, &kp);
	if (rc)
		return cli_error("the station key: %s", hg_error_text());
	rc = sync_open(s, &c->cfg, c->st, &kp);
	memset(&kp, 0, sizeof kp);
	if (rc)
		return cli_error("%s", hg_error_text());
	return 0;
}

/* A round's outcome as the command's return (main's exit status). */
static int outcome_rc(enum sync_outcome o)
{
	switch (o) {
	case SYNC_DONE:
	case SYNC_STOPPED:
		return 0;
	case SYNC_UNREACHABLE:
		return CLI_EUNREACHABLE;
	case SYNC_REFUSED:
	case SYNC_FORK:
		return CLI_EREFUSED;
	default:
		return -1;
	}
}

/* What a round did, and when the next one is, in one line. */
static void say_round(FILE *out, hg_time now, int rc, const struct sync_report *r, long next)
{
	char t[21];

	text_time_iso(now, t);
	if (rc == HG_OK)
		fprintf(out, "%s sync: done: the plant holds all %lld events (%lld sent in %d "
			"batch%s); next round in %ld s\n", t, r->plant_size, r->sent, r->batches,
			r->batches == 1 ? "" : "es", next);
	else
		fprintf(out, "%s sync: %s: %s; next round in %ld s\n", t,
			sync_outcome_name(r->outcome), hg_error_text(), next);
	fflush(out);
}

int cmd_sync_now(struct cli *c, const struct cli_args *a)
{
	struct sync_report r;
	struct sync *s;
	int rc;

	(void)a;
	rc = open_sync(c, &s);
	if (rc < 0)
		return rc;
	rc = sync_round(s, c->now, &r);
	sync_close(s);
	if (rc == HG_OK) {
		printf("the plant holds all %lld events of this station (%lld sent now, in %d "
		       "batch%s)\n", r.plant_size, r.sent, r.batches, r.batches == 1 ? "" : "es");
		if (r.roster_applied)
			printf("the plant's roster: %lld edit%s applied (version %lld)\n",
			       r.roster_applied, r.roster_applied == 1 ? "" : "s", r.roster_version);
		if (r.pin_key_written)
			printf("the plant's PIN key is now this station's: every PIN is checked "
			       "with it\n");
		return 0;
	}
	fflush(stdout);
	fprintf(stderr, "error: %s\n", hg_error_text());
	return outcome_rc(r.outcome) ? outcome_rc(r.outcome) : -1;
}

static void local_time(hg_time t, char buf[17])
{
	if (t)
		text_time_local(t, buf);
	else
		buf[0] = '\0';
}

int cmd_sync_status(struct cli *c, const struct cli_args *a)
{
	static const char *const cols[] = {
		"state", "plant", "events", "at_plant", "not_at_plant", "last_success",
		"last_attempt", "last_error", "fork_seq", "fork_at", "checkpoint_size",
		"checkpoint_received"
	};
	static char note[STORE_NOTE_MAX];
	char n_ev[24], n_at[24], n_not[24], n_fork[24], n_cp[24];
	char t_ok[17], t_try[17], t_fork[17], t_cp[17];
	struct sync_state st;
	uint8_t head[32], root[32];
	long long events = 0, cp_size = 0, not_there;
	hg_time cp_when = 0;
	struct table *t;
	int rc;

	(void)a;
	rc = cli_open_store(c);
	if (rc < 0)
		return rc;
	rc = store_sync_get(c->st, &st);
	if (!rc)
		rc = store_event_head(c->st, &events, head);
	if (!rc) {
		rc = store_checkpoint_latest(c->st, &cp_size, root, note, sizeof note, &cp_when);
		if (rc == HG_ENOTFOUND)
			rc = HG_OK;
	}
	if (rc)
		return cli_store_error(c);
	not_there = events > st.plant_size ? events - st.plant_size : 0;
	snprintf(n_ev, sizeof n_ev, "%lld", events);
	snprintf(n_at, sizeof n_at, "%lld", st.plant_size);
	snprintf(n_not, sizeof n_not, "%lld", not_there);
	snprintf(n_fork, sizeof n_fork, st.fork_seq ? "%lld" : "", st.fork_seq);
	snprintf(n_cp, sizeof n_cp, cp_size ? "%lld" : "", cp_size);
	local_time(st.last_success, t_ok);
	local_time(st.last_attempt, t_try);
	local_time(st.fork_at, t_fork);
	local_time(cp_when, t_cp);
	{
		const char *row[] = {
			sync_health_name(sync_health(&c->cfg, &st, events, c->now)),
			c->cfg.sync_url, n_ev, n_at, n_not, t_ok, t_try, st.last_error, n_fork,
			t_fork, n_cp, t_cp
		};

		t = table_new((int)HG_ARRAY_LEN(cols), cols);
		if (!t || table_add(t, row) != HG_OK) {
			table_free(t);
			return cli_error("out of memory");
		}
	}
	table_numeric(t, 2);
	table_numeric(t, 3);
	table_numeric(t, 4);
	cli_print_table(c, t);
	return 0;
}

/* Sleep s seconds, or less when a stop signal comes. */
static void nap(long s)
{
	struct timespec left = { .tv_sec = s, .tv_nsec = 0 };

	while (!stop_flag && nanosleep(&left, &left) < 0 && errno == EINTR)
		;
}

int cmd_sync_run(struct cli *c, const struct cli_args *a)
{
	struct sync_report r;
	struct sync *s;
	long wait = c->cfg.sync_interval_s;
	int rc;

	(void)a;
	rc = open_sync(c, &s);
	if (rc < 0)
		return rc;
	/* SIGTERM, SIGINT and SIGHUP set the flag (the one hook of the
	 * station's programs; no SA_RESTART, so a sleep ends at once); no
	 * device is opened here, so nothing else happens on the way out */
	devices_catch_stops(&stop_flag);
	sync_set_stop(s, &stop_flag);
	fprintf(stderr, "sync: sending this station's log to %s every %ld s; SIGTERM ends it\n",
		c->cfg.sync_url, c->cfg.sync_interval_s);
	while (!stop_flag) {
		hg_time now = (hg_time)time(NULL);

		hg_error_clear();
		rc = sync_round(s, now, &r);
		if (r.outcome == SYNC_STOPPED)
			break;
		if (rc == HG_OK || r.outcome == SYNC_FORK) {
			wait = c->cfg.sync_interval_s;	/* a fork: the plant is asked again */
		} else {
			wait *= 2;		/* unreachable, refused: back off */
			if (wait > BACKOFF_MAX_S)
				wait = BACKOFF_MAX_S;
		}
		say_round(stderr, now, rc, &r, wait);
		nap(wait);
	}
	sync_close(s);
	fprintf(stderr, "sync: stopped\n");
	return 0;
}

/* --name as an event number from 1 into *v (0 when not given). */
static int event_number(const struct cli_args *a, const char *name, long long *v)
{
	const char *t = cli_get(a, name);
	long n;

	*v = 0;
	if (!t)
		return 0;
	if (text_parse_long(t, 1, LONG_MAX, &n) < 0)
		return cli_usage("--%s: '%s' is not an event number (a whole number from 1)", name, t);
	*v = n;
	return 0;
}

int cmd_sync_export(struct cli *c, const struct cli_args *a)
{
	const char *file = a->pos[0];
	char tmp[4096];
	struct keypair kp;
	long long from, to, events = 0;
	int batches = 0, rc;
	FILE *out;

	rc = event_number(a, "from", &from);
	if (!rc)
		rc = event_number(a, "to", &to);
	if (rc)
		return rc;
	if (!from)
		from = 1;
	rc = cli_open_store(c);
	if (rc < 0)
		return rc;
	rc = keys_load(c->cfg.key_path, &kp);
	if (rc)
		return cli_error("the station key: %s", hg_error_text());
	/* written beside FILE, then renamed: a file half written is never FILE */
	if ((size_t)snprintf(tmp, sizeof tmp, "%s.part", file) >= sizeof tmp) {
		memset(&kp, 0, sizeof kp);
		return cli_error("'%s': the path is too long", file);
	}
	out = fopen(tmp, "w");
	if (!out) {
		memset(&kp, 0, sizeof kp);
		return cli_error("cannot write '%s': %s", tmp, strerror(errno));
	}
	rc = sync_export(&c->cfg, c->st, &kp, from, to, out, &events, &batches);
	memset(&kp, 0, sizeof kp);
	if (fclose(out) != 0 && !rc)
		rc = hg_fail(HG_EIO, "cannot write '%s'", tmp);
	if (!rc && rename(tmp, file) != 0)
		rc = hg_fail(HG_EIO, "cannot rename '%s' to '%s': %s", tmp, file, strerror(errno));
	if (rc) {
		unlink(tmp);
		return cli_error("%s", hg_error_text());
	}
	printf("events %lld to %lld of station %s written to %s (%d batch%s, each with the "
	       "station's signed checkpoint); at the plant: haulgate-potw import --station %s "
	       "%s\n", from, from + events - 1, c->cfg.station_id, file, batches,
	       batches == 1 ? "" : "es", c->cfg.station_id, file);
	return 0;
}
