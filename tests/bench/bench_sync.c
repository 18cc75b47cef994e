/* bench_sync.c: the sync's throughput and latency against their budgets
 * (issue 11, "Benchmark").  Four lines:
 *
 *   sync.events_per_s      100,000 events sent by the station's sync client
 *                          (station/sync.c: one round, batches of 1,000, each
 *                          signed, checkpointed and cosigned) to
 *                          build/haulgate-potw serving on loopback TLS, with
 *                          the plant checking, storing and projecting them:
 *                          events a second, goal at least 20,000
 *   sync.import_events_per_s  the floor: the same events exported to a file
 *                          (sync_export(): the very batches) and taken by
 *                          `haulgate-potw import` at a second, fresh plant in
 *                          the same run (the same checks and store as a POST,
 *                          no TLS, no HTTP): events a second
 *   sync.vs_import         the first over the second, goal at least 0.5
 *   sync.20_stations       20 stations (each its own database and key,
 *                          registered), 20 processes running sync rounds at
 *                          once against the one server: each appends 40
 *                          events, syncs, 25 times (1,000 events each); the
 *                          plant must then hold all 20,000 (else LOST); each
 *                          batch's time from sync_set_batch_hook(), median and
 *                          p99, goal p99 at most 100 ms
 *
 * `bench_sync --hundred` prints the first three lines only (the 100,000
 * events and their floor).  The first line also says the CPU seconds the
 * station's process spent in the round (bench_cpu_ticks(): every thread).
 * `bench_sync --twenty` runs the last part alone (its plant, its server, its
 * line), for working on the plant's latency without the 100,000 events.
 *
 * No asserts: exit 0 unless the bench itself cannot run.  Everything
 * happens in a fresh folder under $TMPDIR (or /tmp), removed at the end; the
 * server is a child process, ended with SIGTERM.  Here the station
 * processes share the machine's cores with the server, which a plant's
 * stations do not. */
#include "bench.h"
#include "bench_potw.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <cjson/cJSON.h>

#include "../../core/config.h"
#include "../../core/keys.h"
#include "../../db/store.h"
#include "../../station/sync.h"

#define EVENTS 100000
#define CHUNK 1000
#define GOAL 20000.0
#define GOAL_RATIO 0.5
#define STATIONS 20
#define ROUNDS 25
#define PER_ROUND 40
#define GOAL_P99_MS 100.0
#define POTW BENCH_POTW

static char dir[512];
static pid_t server = -1;

static void stop_server(void)
{
	bench_potw_stop(&server);
}

static int fail(const char *what, const char *why)
{
	fprintf(stderr, "bench_sync: %s: %s\n", what, why ? why : "failed");
	stop_server();
	if (dir[0])
		bench_rmtree(dir);
	return 1;
}

/* Run POTW --config <dir>/<plant>/potw.ini ARGS with stdout into out[cap]
 * (NULL: thrown away); 0 when it exits 0. */
static int potw_at(const char *plant, const char *args, char *out, size_t cap)
{
	char cmd[2048];

	snprintf(cmd, sizeof cmd, "%s --config %s/%s/potw.ini %s 2>/dev/null", POTW, dir, plant,
		 args);
	return bench_run(cmd, out, cap);
}

static int potw(const char *args, char *out, size_t cap)
{
	return potw_at("plant", args, out, cap);
}

/* A plant in <dir>/<name>/: potw.ini, init. */
static int make_plant(const char *name)
{
	char path[700];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	if (mkdir(path, 0700) != 0)
		return -1;
	snprintf(path, sizeof path, "%s/%s/potw.ini", dir, name);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fprintf(f, "[server]\nlisten = 127.0.0.1:0\ndb = potw.db\nkey = potw.key\nthreads = 2\n"
		"[tls]\ncert = tls.crt\nkey = tls.key\n");
	if (fclose(f) != 0)
		return -1;
	return potw_at(name, "init", NULL, 0);
}

/* Register station id with kp's public key at plant. */
static int add_station(const char *plant, const char *id, const struct keypair *kp)
{
	char path[700], pem[1024], args[900];
	FILE *f;

	if (keys_public_pem(kp->pk, pem, sizeof pem))
		return -1;
	snprintf(path, sizeof path, "%s/%s.pem", dir, id);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fputs(pem, f);
	if (fclose(f) != 0)
		return -1;
	snprintf(args, sizeof args, "station add --id %s --name Bench --key-pem %s", id, path);
	return potw_at(plant, args, NULL, 0);
}

/* Start `serve` and read its port from "haulgate-potw: listening on
 * https://127.0.0.1:PORT ...". */
static int start_server(int *port)
{
	char ini[600];

	snprintf(ini, sizeof ini, "%s/plant/potw.ini", dir);
	return bench_potw_serve(ini, &server, port);
}

/* n events from number first on into st, in CHUNKs. */
static int fill(struct store *st, long long first, int n)
{
	static struct event_in ev[CHUNK];
	static char detail[CHUNK][128];

	while (n > 0) {
		int k = n < CHUNK ? n : CHUNK;

		for (int i = 0; i < k; i++) {
			snprintf(detail[i], sizeof detail[i],
				 "{\"n\":%lld,\"note\":\"a detail of the size of a roster change\"}",
				 first + i);
			ev[i] = (struct event_in){ .ts = 1764921600 + first + i, .type = "bench",
						   .actor = "cli:bench", .detail = detail[i] };
		}
		if (store_event_batch(st, ev, (size_t)k))
			return -1;
		first += k;
		n -= k;
	}
	return 0;
}

/* ---- 20 stations at once ---- */

static void on_batch(void *ctx, long long events, double seconds)
{
	double ms = seconds * 1e3;

	(void)events;
	if (write(*(int *)ctx, &ms, sizeof ms) != (ssize_t)sizeof ms)
		_exit(3);
}

/* One station's process: its store and sync client, then (once go says
 * so) ROUNDS of PER_ROUND events and a round; each batch's milliseconds
 * into out.  Exit 0 when every round was done. */
static void station_main(int k, const struct keypair *kp, const char *pin, const char *vkey,
			 int port, int go, int out)
{
	static struct config cfg;
	char path[700], c;
	struct sync_report r;
	struct store *st;
	struct sync *s;

	config_defaults(&cfg);
	snprintf(cfg.station_id, sizeof cfg.station_id, "bench-s%02d", k);
	snprintf(cfg.sync_pin, sizeof cfg.sync_pin, "%s", pin);
	snprintf(cfg.sync_plant_key, sizeof cfg.sync_plant_key, "%s", vkey);
	snprintf(cfg.sync_url, sizeof cfg.sync_url, "https://127.0.0.1:%d", port);
	snprintf(path, sizeof path, "%s/s%02d.db", dir, k);
	if (store_open(&st, path, 1) || sync_open(&s, &cfg, st, kp))
		_exit(2);
	sync_set_batch_hook(s, on_batch, &out);
	if (read(go, &c, 1) < 0)	/* 0: the parent closed it, all start */
		_exit(2);
	for (int i = 0; i < ROUNDS; i++) {
		if (fill(st, (long long)i * PER_ROUND + 1, PER_ROUND) ||
		    sync_round(s, (hg_time)time(NULL), &r)) {
			fprintf(stderr, "bench_sync: station %d, round %d: %s\n", k, i,
				hg_error_text());
			_exit(1);
		}
	}
	sync_close(s);
	store_close(st);
	_exit(0);
}

/* The events the plant holds of every bench-sNN station. */
static long long held_total(void)
{
	static char text[1 << 16];
	const cJSON *e;
	long long n = 0;
	cJSON *j;

	if (potw("--json station list", text, sizeof text))
		return -1;
	j = cJSON_Parse(text);
	cJSON_ArrayForEach(e, j) {
		const cJSON *id = cJSON_GetObjectItemCaseSensitive(e, "id");
		const cJSON *ev = cJSON_GetObjectItemCaseSensitive(e, "events");

		if (!cJSON_IsString(id) || strncmp(id->valuestring, "bench-s", 7) != 0)
			continue;
		if (cJSON_IsNumber(ev))
			n += (long long)ev->valuedouble;
		else if (cJSON_IsString(ev))
			n += strtoll(ev->valuestring, NULL, 10);
	}
	cJSON_Delete(j);
	return n;
}

/* The 20 stations' run: the line printed, or 1 when it cannot run. */
static int twenty(const char *pin, const char *vkey, int port)
{
	static struct keypair kp[STATIONS];
	static double ms[STATIONS * ROUNDS * 2];
	pid_t pid[STATIONS];
	int go[2], res[2], bad = 0;
	size_t n = 0;
	long long want = (long long)STATIONS * ROUNDS * PER_ROUND, got;
	double t0, secs, med, p99;
	ssize_t k;

	for (int i = 0; i < STATIONS; i++) {
		char id[32];

		snprintf(id, sizeof id, "bench-s%02d", i);
		if (keys_generate(&kp[i]) || add_station("plant", id, &kp[i]))
			return fail("the 20 stations' keys", NULL);
	}
	if (pipe(go) < 0 || pipe(res) < 0)
		return fail("a pipe", NULL);
	fflush(NULL);
	for (int i = 0; i < STATIONS; i++) {
		pid[i] = fork();
		if (pid[i] < 0)
			return fail("fork", NULL);
		if (pid[i] == 0) {
			close(go[1]);
			close(res[0]);
			station_main(i, &kp[i], pin, vkey, port, go[0], res[1]);
		}
	}
	close(go[0]);
	close(res[1]);
	usleep(200000);		/* every station opened its store and client */
	t0 = bench_now_s();
	close(go[1]);		/* go */
	while ((k = read(res[0], &ms[n], sizeof ms[n])) == (ssize_t)sizeof ms[n])
		if (n + 1 < HG_ARRAY_LEN(ms))
			n++;
	secs = bench_now_s() - t0;
	close(res[0]);
	for (int i = 0; i < STATIONS; i++) {
		int status = 0;

		waitpid(pid[i], &status, 0);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			bad++;
	}
	got = held_total();
	med = bench_quantile(ms, n, 0.5);
	p99 = bench_quantile(ms, n, 0.99);
	printf("sync.20_stations   %8.1f ms p99  (median %.1f ms; %zu batches of %d events from "
	       "%d stations at once, %d rounds each; %lld of %lld events at the plant%s%s in "
	       "%.2f s; goal p99 <= %.0f ms)  %s\n", p99, med, n, PER_ROUND, STATIONS, ROUNDS,
	       got, want, got == want ? ", nothing lost" : ", LOST",
	       bad ? ", a station failed" : "", secs, GOAL_P99_MS,
	       got != want || bad ? "LOST" : p99 <= GOAL_P99_MS ? "OK" : "OVER");
	return 0;
}

/* --twenty: the plant, its server and the 20 stations' line, nothing else. */
static int twenty_alone(void)
{
	char pin[CFG_PIN_MAX], vkey[CFG_VKEY_MAX];
	int port, rc;

	if (make_plant("plant"))
		return fail("haulgate-potw init", NULL);
	if (start_server(&port))
		return fail("haulgate-potw serve", NULL);
	if (potw("key", pin, sizeof pin) || potw("key --note-verifier", vkey, sizeof vkey))
		return fail("haulgate-potw key", NULL);
	rc = twenty(pin, vkey, port);
	if (rc)
		return rc;
	stop_server();
	bench_rmtree(dir);
	return 0;
}

int main(int argc, char **argv)
{
	static struct config cfg;
	const char *base = getenv("TMPDIR");
	char path[700], args[900], text[2048];
	long long exported = 0;
	struct sync_report r;
	struct keypair kp;
	struct store *st;
	struct sync *s;
	double t0, secs, esecs, isecs, rate, irate, cpu;
	int port, rc, batches = 0, hundred = argc > 1 && strcmp(argv[1], "--hundred") == 0;
	int twenty_only = argc > 1 && strcmp(argv[1], "--twenty") == 0;
	FILE *f;

	if (argc > 2 || (argc == 2 && !hundred && !twenty_only))
		return fprintf(stderr, "usage: bench_sync [--hundred | --twenty]\n"), 2;
	snprintf(dir, sizeof dir, "%s/hg-bench-sync-XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(dir))
		return dir[0] = '\0', fail("a temp folder", NULL);
	if (access(POTW, X_OK) != 0)
		return fail(POTW, "not built (make " POTW ")");
	if (twenty_only)
		return twenty_alone();

	/* the plant, and the floor's plant; the station registered at both */
	if (make_plant("plant") || make_plant("floor"))
		return fail("haulgate-potw init", NULL);
	if (keys_generate(&kp))
		return fail("the station key", NULL);
	if (add_station("plant", "bench-01", &kp) || add_station("floor", "bench-01", &kp))
		return fail("haulgate-potw station add", NULL);

	/* the station: a store with EVENTS events */
	snprintf(path, sizeof path, "%s/station.db", dir);
	if (store_open(&st, path, 1))
		return fail("the station's store", hg_error_text());
	if (fill(st, 1, EVENTS))
		return fail("the events", hg_error_text());

	/* the floor: the same events from a file, no network */
	config_defaults(&cfg);
	snprintf(cfg.station_id, sizeof cfg.station_id, "bench-01");
	snprintf(path, sizeof path, "%s/log.jsonl", dir);
	f = fopen(path, "w");
	if (!f)
		return fail(path, "cannot write");
	t0 = bench_now_s();
	rc = sync_export(&cfg, st, &kp, 1, 0, f, &exported, &batches);
	esecs = bench_now_s() - t0;
	if (fclose(f) != 0 || rc || exported != EVENTS)
		return fail("sync_export", hg_error_text());
	snprintf(args, sizeof args, "import --station bench-01 %s", path);
	t0 = bench_now_s();
	rc = potw_at("floor", args, NULL, 0);
	isecs = bench_now_s() - t0;
	if (rc)
		return fail("haulgate-potw import", NULL);

	/* the sync */
	if (start_server(&port))
		return fail("haulgate-potw serve", NULL);
	if (potw("key", cfg.sync_pin, sizeof cfg.sync_pin) ||
	    potw("key --note-verifier", cfg.sync_plant_key, sizeof cfg.sync_plant_key))
		return fail("haulgate-potw key", NULL);
	snprintf(cfg.sync_url, sizeof cfg.sync_url, "https://127.0.0.1:%d", port);
	if (sync_open(&s, &cfg, st, &kp))
		return fail("sync_open", hg_error_text());

	t0 = bench_now_s();
	cpu = (double)bench_cpu_ticks();
	rc = sync_round(s, (hg_time)time(NULL), &r);
	secs = bench_now_s() - t0;
	cpu = ((double)bench_cpu_ticks() - cpu) / 1e9;
	if (rc)
		snprintf(text, sizeof text, "%s", hg_error_text());
	sync_close(s);
	store_close(st);
	if (rc) {
		stop_server();
		bench_rmtree(dir);
		return fprintf(stderr, "bench_sync: the round failed: %s\n", text), 1;
	}
	rate = (double)r.sent / secs;
	irate = (double)EVENTS / isecs;
	printf("sync.events_per_s  %8.0f events/s  (%lld events in %d batches in %.2f s over "
	       "loopback TLS, the station's CPU %.2f s; goal >= %.0f)  %s\n", rate, r.sent,
	       r.batches, secs, cpu, GOAL, rate >= GOAL ? "OK" : "OVER");
	printf("sync.import_events_per_s %8.0f events/s  (the floor: the same %d events "
	       "exported in %d batches, taken by haulgate-potw import at a fresh plant in %.2f s; "
	       "the station built them in %.2f s)\n", irate, EVENTS, batches, isecs, esecs);
	printf("sync.vs_import     %8.2f  (sync over import; goal >= %.1f)  %s\n", rate / irate,
	       GOAL_RATIO, rate / irate >= GOAL_RATIO ? "OK" : "OVER");
	fflush(stdout);
	if (hundred) {
		stop_server();
		bench_rmtree(dir);
		return 0;
	}

	rc = twenty(cfg.sync_pin, cfg.sync_plant_key, port);
	if (rc)
		return rc;
	stop_server();
	bench_rmtree(dir);
	return 0;
}
