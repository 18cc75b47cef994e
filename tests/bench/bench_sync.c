/* bench_sync.c: the sync's throughput against its budget (issue 11).
 *
 *   sync.events_per_s  100,000 events sent by the station's sync client
 *                      (station/sync.c: one round, batches of 1,000, each
 *                      signed, checkpointed and cosigned) to
 *                      build/haulgate-potw serving on loopback TLS, with
 *                      the plant checking, storing and projecting them:
 *                      events a second, goal at least 20,000
 *
 * The other sync figures (the ratio to the server storing the same
 * events from a file; 20 stations at once, per-batch p99) need the
 * server's own import and a per-batch clock in the client, and are not
 * measured here yet.  Prints one line ending in OK or OVER; no asserts,
 * exit 0 unless the bench itself cannot run.  Everything happens in a
 * fresh folder under $TMPDIR (or /tmp), removed at the end; the server is
 * a child process, ended with SIGTERM. */
#include "bench.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>

#include "../../core/config.h"
#include "../../core/keys.h"
#include "../../db/store.h"
#include "../../station/sync.h"

#define EVENTS 100000
#define CHUNK 1000
#define GOAL 20000.0
#define POTW "build/haulgate-potw"

static char dir[512];
static pid_t server = -1;

static void stop_server(void)
{
	if (server > 0) {
		kill(server, SIGTERM);
		waitpid(server, NULL, 0);
		server = -1;
	}
}

static int fail(const char *what, const char *why)
{
	fprintf(stderr, "bench_sync: %s: %s\n", what, why ? why : "failed");
	stop_server();
	if (dir[0])
		bench_rmtree(dir);
	return 1;
}

/* Run POTW --config <dir>/potw.ini ARGS with stdout into out[cap] (NULL:
 * thrown away); 0 when it exits 0. */
static int potw(const char *args, char *out, size_t cap)
{
	char cmd[2048];
	FILE *p;
	size_t n = 0;
	int rc;

	snprintf(cmd, sizeof cmd, "%s --config %s/potw.ini %s 2>/dev/null", POTW, dir, args);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	if (out) {
		n = fread(out, 1, cap - 1, p);
		out[n] = '\0';
		while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == '\r'))
			out[--n] = '\0';
	} else {
		char sink[256];

		while (fread(sink, 1, sizeof sink, p) > 0)
			;
	}
	rc = pclose(p);
	return rc == 0 ? 0 : -1;
}

/* Start `serve` and read its port from "haulgate-potw: listening on
 * https://127.0.0.1:PORT ...". */
static int start_server(int *port)
{
	char ini[600], line[512];
	int fd[2];
	FILE *in;

	snprintf(ini, sizeof ini, "%s/potw.ini", dir);
	if (pipe(fd) < 0)
		return -1;
	server = fork();
	if (server < 0)
		return -1;
	if (server == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(fd[1], 1);
		if (null >= 0)
			dup2(null, 2);	/* a line per batch: not the bench's */
		close(fd[0]);
		close(fd[1]);
		execl(POTW, POTW, "--config", ini, "serve", (char *)NULL);
		_exit(127);
	}
	close(fd[1]);
	in = fdopen(fd[0], "r");
	if (!in)
		return -1;
	*port = 0;
	while (fgets(line, sizeof line, in)) {
		const char *p = strstr(line, "listening on https://127.0.0.1:");

		if (p) {
			*port = (int)strtol(p + strlen("listening on https://127.0.0.1:"), NULL, 10);
			break;
		}
	}
	/* the server's later lines go to a closed pipe's reader: keep it open,
	 * read nothing more (its log is a few lines per batch) */
	return *port > 0 ? 0 : -1;
}

int main(void)
{
	static struct config cfg;
	static struct event_in ev[CHUNK];
	static char detail[CHUNK][128];
	const char *base = getenv("TMPDIR");
	char path[700], pem[1024], args[900], text[2048];
	struct sync_report r;
	struct keypair kp;
	struct store *st;
	struct sync *s;
	double t0, secs;
	int port, rc;
	FILE *f;

	snprintf(dir, sizeof dir, "%s/hg-bench-sync-XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(dir))
		return dir[0] = '\0', fail("a temp folder", NULL);
	if (access(POTW, X_OK) != 0)
		return fail(POTW, "not built (make " POTW ")");

	/* the plant */
	snprintf(path, sizeof path, "%s/potw.ini", dir);
	f = fopen(path, "w");
	if (!f)
		return fail(path, "cannot write");
	fprintf(f, "[server]\nlisten = 127.0.0.1:0\ndb = potw.db\nkey = potw.key\nthreads = 2\n"
		"[tls]\ncert = tls.crt\nkey = tls.key\n");
	fclose(f);
	if (potw("init", NULL, 0))
		return fail("haulgate-potw init", NULL);

	/* the station: a key, registered; a store with EVENTS events */
	if (keys_generate(&kp) || keys_public_pem(kp.pk, pem, sizeof pem))
		return fail("the station key", NULL);
	snprintf(path, sizeof path, "%s/station.pem", dir);
	f = fopen(path, "w");
	if (!f)
		return fail(path, "cannot write");
	fputs(pem, f);
	fclose(f);
	snprintf(args, sizeof args, "station add --id bench-01 --name Bench --key-pem %s", path);
	if (potw(args, NULL, 0))
		return fail("haulgate-potw station add", NULL);
	snprintf(path, sizeof path, "%s/station.db", dir);
	if (store_open(&st, path, 1))
		return fail("the station's store", hg_error_text());
	for (int c = 0; c < EVENTS / CHUNK; c++) {
		for (int i = 0; i < CHUNK; i++) {
			snprintf(detail[i], sizeof detail[i],
				 "{\"n\":%d,\"note\":\"a detail of the size of a roster change\"}",
				 c * CHUNK + i);
			ev[i] = (struct event_in){ .ts = 1764921600 + c * CHUNK + i, .type = "bench",
						   .actor = "cli:bench", .detail = detail[i] };
		}
		if (store_event_batch(st, ev, CHUNK))
			return fail("the events", hg_error_text());
	}

	if (start_server(&port))
		return fail("haulgate-potw serve", NULL);
	config_defaults(&cfg);
	if (potw("key", cfg.sync_pin, sizeof cfg.sync_pin) ||
	    potw("key --note-verifier", cfg.sync_plant_key, sizeof cfg.sync_plant_key))
		return fail("haulgate-potw key", NULL);
	snprintf(cfg.station_id, sizeof cfg.station_id, "bench-01");
	snprintf(cfg.sync_url, sizeof cfg.sync_url, "https://127.0.0.1:%d", port);
	if (sync_open(&s, &cfg, st, &kp))
		return fail("sync_open", hg_error_text());

	t0 = bench_now_s();
	rc = sync_round(s, (hg_time)time(NULL), &r);
	secs = bench_now_s() - t0;
	if (rc)
		snprintf(text, sizeof text, "%s", hg_error_text());
	sync_close(s);
	store_close(st);
	stop_server();
	bench_rmtree(dir);
	if (rc)
		return fprintf(stderr, "bench_sync: the round failed: %s\n", text), 1;
	printf("sync.events_per_s  %8.0f events/s  (%lld events in %d batches in %.2f s over "
	       "loopback TLS; goal >= %.0f)  %s\n", (double)r.sent / secs, r.sent, r.batches,
	       secs, GOAL, (double)r.sent / secs >= GOAL ? "OK" : "OVER");
	return 0;
}
