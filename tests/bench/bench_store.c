/* bench_store.c: the store's three figures against their budgets.
 *
 *   store.commit_load   one whole load with its events (synchronous=FULL),
 *                       against a bare one-row INSERT commit on the same file
 *   store.report_month  the month report over 1,000,000 loads
 *   store.verify        the hash-chain check over 1,000,000 events, against
 *                       sha256sum over exactly the bytes it hashes
 *   store.replay        every table rebuilt from 1,000,000 events (250,000
 *                       loads, four events each) and compared with the
 *                       file's tables (store_verify_tables)
 *
 * Prints one line per figure ending in OK or OVER; no asserts, exit 0 unless
 * the bench itself cannot run.  Everything happens in a fresh folder under
 * $TMPDIR (or /tmp), removed at the end.  Bulk data that is not under test
 * (the million loads) goes in through a second sqlite3 connection. */
#include "bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <sqlite3.h>

#include "../../db/store.h"
#include "../../core/text.h"

#define COMMITS 200
#define LOADS 1000000
#define HAULERS 50
#define MONTHS 36
#define REPORT_RUNS 10
#define EVENTS 1000000
#define EVENT_CHUNK 20000

static int open_store(struct store **st, const char *dir, const char *name)
{
	char path[512];
	int rc;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	rc = store_open(st, path, 1);
	if (rc)
		fprintf(stderr, "bench_store: %s\n", hg_error_text());
	return rc;
}

static sqlite3 *open_raw(const char *dir, const char *name)
{
	char path[512];
	sqlite3 *db = NULL;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		fprintf(stderr, "bench_store: cannot open %s\n", path);
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, 5000);
	return db;
}

static long long add_hauler(struct store *st, int i)
{
	struct hauler_rec h;
	long long id = 0;

	memset(&h, 0, sizeof h);
	snprintf(h.company, sizeof h.company, "Hauler %02d Septic & Grease", i);
	snprintf(h.permit, sizeof h.permit, "P-%04d", i);
	snprintf(h.permit_from, sizeof h.permit_from, "2023-01-01");
	snprintf(h.permit_to, sizeof h.permit_to, "2026-12-31");
	h.waste_allowed = WASTE_ALL;
	if (store_hauler_add(st, &h, 1700000000, "bench", &id))
		fprintf(stderr, "bench_store: %s\n", hg_error_text());
	return id;
}

/* A realistic load: two sources and a copy of record of about 2 KB. */
static void make_load(struct load_rec *ld, long long hauler, hg_time t, int i)
{
	memset(ld, 0, sizeof *ld);
	snprintf(ld->station, sizeof ld->station, "ST-1");
	ld->m.hauler_id = hauler;
	snprintf(ld->m.company, sizeof ld->m.company, "Hauler 01 Septic & Grease");
	snprintf(ld->m.company_address, sizeof ld->m.company_address, "1 Main St, Springfield");
	snprintf(ld->m.driver, sizeof ld->m.driver, "Dan Driver");
	snprintf(ld->m.permit, sizeof ld->m.permit, "P-0001");
	snprintf(ld->m.truck, sizeof ld->m.truck, "TRK-1");
	ld->m.truck_capacity = 3500;
	ld->m.waste = WASTE_SEPTAGE;
	ld->m.gallons = 2000 + i % 1000;
	snprintf(ld->m.characteristics, sizeof ld->m.characteristics, "dark, domestic odour");
	snprintf(ld->m.constituents, sizeof ld->m.constituents, "none");
	ld->m.rcra = RCRA_NO;
	ld->m.n_sources = 2;
	for (int k = 0; k < 2; k++) {
		snprintf(ld->m.sources[k].name, sizeof ld->m.sources[k].name, "Home %d", (i + k) % 40);
		snprintf(ld->m.sources[k].address, sizeof ld->m.sources[k].address, "%d Elm St", (i + k) % 40);
		snprintf(ld->m.sources[k].industry, sizeof ld->m.sources[k].industry, "residential");
	}
	snprintf(ld->m.signer, sizeof ld->m.signer, "Dan Driver");
	ld->d.verdict = i % 10 ? VERDICT_ACCEPTED : VERDICT_SAMPLE_HOLD;
	if (ld->d.verdict == VERDICT_SAMPLE_HOLD) {
		ld->d.n_sample = 1;
		ld->d.sample[0] = R_SAMPLE_RANDOM;
	}
	ld->t.card = t - 120;
	ld->t.pin = t - 110;
	ld->t.form = t - 100;
	ld->t.certified = t - 5;
	ld->t.decided = t;
	{
		size_t len = 0;

		while (len < 2000) {
			int n = snprintf(ld->record + len, sizeof ld->record - len,
					 "Field %zu of the waste-tracking form: value\n", len);
			if (n < 0)
				break;
			len += (size_t)n;
		}
	}
}

/* ---- a) one load commit against a bare INSERT ---- */

static void bench_commit(const char *dir)
{
	static double t_load[COMMITS], t_bare[COMMITS];
	struct store *st = NULL;
	sqlite3 *raw = NULL;
	sqlite3_stmt *ins = NULL;
	long long h;
	double ml, mb, ratio;

	if (open_store(&st, dir, "commit.db"))
		return;
	h = add_hauler(st, 1);
	raw = open_raw(dir, "commit.db");
	if (!raw)
		goto out;
	if (sqlite3_exec(raw, "PRAGMA synchronous = FULL;"
			 "CREATE TABLE bench_scratch (id INTEGER PRIMARY KEY, v TEXT NOT NULL)",
			 NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(raw, "INSERT INTO bench_scratch (v) VALUES (?1)", -1, &ins,
			       NULL) != SQLITE_OK) {
		fprintf(stderr, "bench_store: %s\n", sqlite3_errmsg(raw));
		goto out;
	}
	/* interleaved, so both see the same disk and cache conditions */
	for (int i = 0; i < COMMITS; i++) {
		struct load_rec ld;
		double t0;

		make_load(&ld, h, 1735732800 + i * 600, i);
		t0 = bench_now_s();
		if (store_load_commit(st, &ld, "card:04a1b2c3")) {
			fprintf(stderr, "bench_store: %s\n", hg_error_text());
			goto out;
		}
		t_load[i] = bench_now_s() - t0;

		t0 = bench_now_s();
		sqlite3_bind_text(ins, 1, "one row of about the size of a short event", -1, SQLITE_STATIC);
		if (sqlite3_step(ins) != SQLITE_DONE) {
			fprintf(stderr, "bench_store: %s\n", sqlite3_errmsg(raw));
			goto out;
		}
		sqlite3_reset(ins);
		t_bare[i] = bench_now_s() - t0;
	}
	ml = bench_quantile(t_load, COMMITS, 0.5) * 1e3;
	mb = bench_quantile(t_bare, COMMITS, 0.5) * 1e3;
	ratio = ml / mb;
	printf("store.commit_load   median %.2f ms  bare insert %.2f ms  ratio %.2f  (goal <= 2.0)  %s\n",
	       ml, mb, ratio, ratio <= 2.0 ? "OK" : "OVER");
out:
	sqlite3_finalize(ins);
	sqlite3_close(raw);
	store_close(st);
}

/* ---- b) the month report over a million loads ---- */

static int fill_loads(sqlite3 *raw, const long long *hid)
{
	static const char *const waste[] = {"septage", "septage", "portable", "grease", "industrial"};
	sqlite3_stmt *s = NULL;
	hg_time t0 = 1672560000;	/* 2023-01-01 08:00 UTC */
	hg_time span = (hg_time)MONTHS * 30 * 86400 + 5 * 86400;
	char day[11];
	uint32_t x = 12345;
	int rc;

	rc = sqlite3_exec(raw, "PRAGMA synchronous = OFF; BEGIN", NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(raw,
			"INSERT INTO loads (station, day, hauler_id, company, permit, truck, waste, "
			"gallons, verdict, refuse_reasons, sample_reasons, sampled, t_decided, "
			"record_sha256) VALUES ('ST-1', ?1, ?2, 'Hauler', 'P', 'TRK', ?3, ?4, ?5, ?6, "
			"?7, ?8, ?9, 'ab')", -1, &s, NULL);
	for (long i = 0; rc == SQLITE_OK && i < LOADS; i++) {
		hg_time t = t0 + (hg_time)((double)span * (double)i / LOADS);
		int verdict;

		x = x * 1103515245u + 12345u;
		verdict = (x >> 16) % 20;	/* 1 in 20 refused, 2 in 20 sampled */
		text_date_local(t, day);	/* the local day, as the store computes it */
		sqlite3_bind_text(s, 1, day, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, hid[(x >> 8) % HAULERS]);
		sqlite3_bind_text(s, 3, waste[(x >> 4) % 5], -1, SQLITE_STATIC);
		sqlite3_bind_int(s, 4, 500 + (int)((x >> 3) % 3000));
		sqlite3_bind_text(s, 5, verdict == 0 ? "refused" : verdict <= 2 ? "sample-hold" : "accepted",
				  -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 6, verdict == 0 ? "rcra_hazardous" : "", -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 7, verdict && verdict <= 2 ? "sample_random" : "", -1, SQLITE_STATIC);
		sqlite3_bind_int(s, 8, verdict && verdict <= 2);
		sqlite3_bind_int64(s, 9, t);
		rc = sqlite3_step(s);
		if (rc == SQLITE_DONE)
			rc = SQLITE_OK;
		sqlite3_reset(s);
	}
	sqlite3_finalize(s);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(raw, "COMMIT", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		fprintf(stderr, "bench_store: loading loads: %s\n", sqlite3_errmsg(raw));
	return rc;
}

static void bench_report(const char *dir)
{
	static long long hid[HAULERS];
	double t[REPORT_RUNS], gen, m;
	struct store *st = NULL;
	sqlite3 *raw = NULL;
	int rows = 0;

	if (open_store(&st, dir, "report.db"))
		return;
	for (int i = 0; i < HAULERS; i++)
		hid[i] = add_hauler(st, i + 1);
	raw = open_raw(dir, "report.db");
	if (!raw)
		goto out;
	gen = bench_now_s();
	if (fill_loads(raw, hid) != SQLITE_OK)
		goto out;
	gen = bench_now_s() - gen;
	for (int i = 0; i < REPORT_RUNS; i++) {
		struct table *tab = NULL;
		double t0 = bench_now_s();

		if (store_report_month(st, 2024, 6, &tab)) {
			fprintf(stderr, "bench_store: %s\n", hg_error_text());
			goto out;
		}
		t[i] = bench_now_s() - t0;
		rows = table_rows(tab);
		table_free(tab);
	}
	m = bench_quantile(t, REPORT_RUNS, 0.5) * 1e3;
	printf("store.report_month  median %.1f ms  over %d loads, %d haulers in the month "
	       "(made in %.1f s)  (goal <= 100 ms)  %s\n", m, LOADS, rows, gen,
	       m <= 100 ? "OK" : "OVER");
out:
	sqlite3_close(raw);
	store_close(st);
}

/* ---- c) verify a million events against sha256sum ---- */

static int fill_events(struct store *st)
{
	static struct event_in ev[EVENT_CHUNK];
	static char detail[EVENT_CHUNK][200];

	for (long base = 0; base < EVENTS; base += EVENT_CHUNK) {
		int n = EVENTS - base < EVENT_CHUNK ? (int)(EVENTS - base) : EVENT_CHUNK;

		for (int i = 0; i < n; i++) {
			long k = base + i;

			/* the two events of a load, as store_load_commit writes them */
			if (k % 2 == 0)
				snprintf(detail[i], sizeof detail[i],
					 "{\"record_sha256\":\"%064ld\",\"gallons\":%ld,"
					 "\"waste\":\"septage\",\"hauler_id\":%ld,\"lang\":\"en\"}",
					 k, 1000 + k % 3000, 1 + k % 50);
			else
				snprintf(detail[i], sizeof detail[i],
					 "{\"verdict\":\"accepted\",\"refuse\":[],\"sample\":[],"
					 "\"manual_flag\":false}");
			ev[i] = (struct event_in){ 1700000000 + k, k % 2 ? "decision" : "manifest_submitted",
						   1 + k / 2, "card:04a1b2c3", detail[i] };
		}
		if (store_event_batch(st, ev, (size_t)n)) {
			fprintf(stderr, "bench_store: %s\n", hg_error_text());
			return -1;
		}
	}
	return 0;
}

/* Write prev_hash || canonical bytes of every event: what verify hashes. */
static long long dump_hashed(const char *dir, const char *out)
{
	static char buf[32 + 20000];
	sqlite3 *raw = open_raw(dir, "verify.db");
	sqlite3_stmt *s = NULL;
	long long total = 0;
	FILE *fp = fopen(out, "wb");

	if (!raw || !fp ||
	    sqlite3_prepare_v2(raw, "SELECT seq, ts, type, load_no, actor, detail, prev_hash "
			       "FROM events ORDER BY seq", -1, &s, NULL) != SQLITE_OK) {
		total = -1;
		goto out;
	}
	while (sqlite3_step(s) == SQLITE_ROW) {
		int n;

		memcpy(buf, sqlite3_column_blob(s, 6), 32);
		n = store_event_bytes(buf + 32, sizeof buf - 32, sqlite3_column_int64(s, 0),
				      sqlite3_column_int64(s, 1), (const char *)sqlite3_column_text(s, 2),
				      sqlite3_column_int64(s, 3), (const char *)sqlite3_column_text(s, 4),
				      (const char *)sqlite3_column_text(s, 5));
		if (n < 0 || fwrite(buf, 1, 32 + (size_t)n, fp) != 32 + (size_t)n) {
			total = -1;
			goto out;
		}
		total += 32 + n;
	}
out:
	sqlite3_finalize(s);
	sqlite3_close(raw);
	if (fp && fclose(fp) != 0)
		total = -1;
	return total;
}

/* Seconds sha256sum takes over path (best of 3), or -1. */
static double time_sha256sum(const char *path)
{
	double best = -1;

	for (int i = 0; i < 3; i++) {
		double t0 = bench_now_s();
		pid_t pid = fork();
		int status = 0;

		if (pid < 0)
			return -1;
		if (pid == 0) {
			int fd = open("/dev/null", O_WRONLY);

			if (fd >= 0)
				dup2(fd, 1);
			execlp("sha256sum", "sha256sum", path, (char *)NULL);
			_exit(127);
		}
		if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
			return -1;
		t0 = bench_now_s() - t0;
		if (best < 0 || t0 < best)
			best = t0;
	}
	return best;
}

static void bench_verify(const char *dir)
{
	struct store *st = NULL;
	struct verify_result vr;
	char bytes_path[512];
	double gen, tv = -1, ts, mb, v_tp, s_tp;
	long long total;

	if (open_store(&st, dir, "verify.db"))
		return;
	gen = bench_now_s();
	if (fill_events(st))
		goto out;
	gen = bench_now_s() - gen;
	for (int i = 0; i < 3; i++) {	/* best of 3, as for sha256sum */
		double t0 = bench_now_s();
		int rc = store_verify(st, &vr);

		t0 = bench_now_s() - t0;
		if (rc) {
			fprintf(stderr, "bench_store: %s\n", hg_error_text());
			goto out;
		}
		if (tv < 0 || t0 < tv)
			tv = t0;
	}
	snprintf(bytes_path, sizeof bytes_path, "%s/hashed.bin", dir);
	total = dump_hashed(dir, bytes_path);
	if (total < 0) {
		fprintf(stderr, "bench_store: cannot write %s\n", bytes_path);
		goto out;
	}
	ts = time_sha256sum(bytes_path);
	if (ts <= 0) {
		fprintf(stderr, "bench_store: sha256sum did not run\n");
		goto out;
	}
	mb = (double)total / 1e6;
	v_tp = mb / tv;
	s_tp = mb / ts;
	printf("store.verify        %lld events, %.1f MB hashed in %.3f s = %.0f MB/s  sha256sum %.3f s = "
	       "%.0f MB/s  ratio %.2f  (made in %.1f s)  (goal >= 0.5)  %s\n", vr.checked, mb, tv,
	       v_tp, ts, s_tp, v_tp / s_tp, gen, v_tp / s_tp >= 0.5 ? "OK" : "OVER");
	unlink(bytes_path);
out:
	store_close(st);
}

/* ---- d) the tables rebuilt from a million events and compared ---- */

#define REPLAY_LOADS (EVENTS / 4)	/* manifest, decision, discharge start and end */
#define REPLAY_CHUNK 1000	/* loads per batch */

/* Load k's copy of record (about 400 bytes, lines) and the same as JSON text. */
static void replay_record(long k, char *rec, size_t cap, char *json, size_t jcap)
{
	size_t len = 0, j = 0;

	rec[0] = '\0';
	for (int line = 0; line < 10 && len < cap; line++) {
		int n = snprintf(rec + len, cap - len, "Field %d of load %ld: a value of the form\n",
				 line, k + 1);
		if (n < 0)
			break;
		len += (size_t)n;
	}
	for (size_t i = 0; rec[i] && j + 3 < jcap; i++) {
		if (rec[i] == '\n') {
			json[j++] = '\\';
			json[j++] = 'n';
		} else {
			json[j++] = rec[i];
		}
	}
	json[j] = '\0';
}

struct replay_load {
	long k;
	long long no, hauler;
	hg_time t;
	long gallons, measured;
	char day[11], sha[65], src[32], addr[32];
	char rec[1024], rec_json[1200];
};

static void replay_load(long k, struct replay_load *l)
{
	uint8_t h[32];

	l->k = k;
	l->no = k + 1;
	l->hauler = 1 + k % HAULERS;
	l->t = 1700000000 + (hg_time)k * 600;
	l->gallons = 1000 + k % 3000;
	l->measured = l->gallons - 10;
	text_date_local(l->t, l->day);
	replay_record(k, l->rec, sizeof l->rec, l->rec_json, sizeof l->rec_json);
	text_sha256(l->rec, strlen(l->rec), h);
	text_hex(h, 32, l->sha);
	snprintf(l->src, sizeof l->src, "Home %ld", k % 40);
	snprintf(l->addr, sizeof l->addr, "%ld Elm St", k % 40);
}

/* The four events of load l, as the store writes them, into ev[4]. */
static void replay_events(const struct replay_load *l, struct event_in *ev, char (*detail)[2600])
{
	snprintf(detail[0], sizeof detail[0],
		 "{\"record_sha256\":\"%s\",\"gallons\":%ld,\"waste\":\"septage\",\"hauler_id\":%lld,"
		 "\"lang\":\"en\",\"station\":\"ST-1\",\"day\":\"%s\",\"card_id\":0,"
		 "\"company\":\"Hauler %02lld Septic & Grease\",\"company_address\":\"1 Main St\","
		 "\"driver\":\"Dan Driver\",\"permit\":\"P-%04lld\",\"truck_id\":0,\"truck\":\"TRK-1\","
		 "\"truck_capacity\":3500,\"characteristics\":\"dark, domestic odour\","
		 "\"constituents\":\"none\",\"rcra\":\"no\",\"signer\":\"Dan Driver\","
		 "\"sources\":[{\"name\":\"%s\",\"address\":\"%s\",\"industry\":\"residential\",\"town\":\"\"}],"
		 "\"t_card\":%lld,\"t_pin\":%lld,\"t_form\":%lld,\"t_certified\":%lld,\"t_decided\":%lld,"
		 "\"gallons_measured\":0,\"bottle\":\"\",\"sampled_by\":0,\"t_sampled\":0,"
		 "\"t_discharge_start\":0,\"t_discharge_end\":0,\"meter_flag\":\"\",\"record\":\"%s\"}",
		 l->sha, l->gallons, l->hauler, l->day, l->hauler, l->hauler, l->src, l->addr,
		 (long long)l->t - 120, (long long)l->t - 110, (long long)l->t - 100,
		 (long long)l->t - 5, (long long)l->t, l->rec_json);
	snprintf(detail[1], sizeof detail[1],
		 "{\"verdict\":\"accepted\",\"refuse\":[],\"sample\":[],\"manual_flag\":false}");
	detail[2][0] = '\0';
	snprintf(detail[3], sizeof detail[3], "{\"gallons_measured\":%ld,\"why\":\"hauler pressed done\"}",
		 l->measured);
	ev[0] = (struct event_in){ l->t - 5, "manifest_submitted", l->no, "card:04a1b2c3", detail[0] };
	ev[1] = (struct event_in){ l->t, "decision", l->no, "card:04a1b2c3", detail[1] };
	ev[2] = (struct event_in){ l->t + 60, "discharge_started", l->no, "station", NULL };
	ev[3] = (struct event_in){ l->t + 600, "discharge_ended", l->no, "station", detail[3] };
}

/* The rows load l leaves in the tables, through the raw connection. */
static int replay_rows(sqlite3 *raw, sqlite3_stmt *ld, sqlite3_stmt *ls, sqlite3_stmt *src,
		       const struct replay_load *l)
{
	char company[40], permit[16];
	int i = 1;

	snprintf(company, sizeof company, "Hauler %02lld Septic & Grease", l->hauler);
	snprintf(permit, sizeof permit, "P-%04lld", l->hauler);
	sqlite3_bind_int64(ld, i++, l->no);
	sqlite3_bind_text(ld, i++, l->day, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(ld, i++, l->hauler);
	sqlite3_bind_text(ld, i++, company, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(ld, i++, permit, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(ld, i++, l->gallons);
	sqlite3_bind_int64(ld, i++, l->measured);
	sqlite3_bind_text(ld, i++, l->rec, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(ld, i++, l->sha, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(ld, i++, l->t);
	if (sqlite3_step(ld) != SQLITE_DONE)
		return -1;
	sqlite3_reset(ld);
	sqlite3_bind_int64(ls, 1, l->no);
	sqlite3_bind_text(ls, 2, l->src, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(ls, 3, l->addr, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(ls) != SQLITE_DONE)
		return -1;
	sqlite3_reset(ls);
	sqlite3_bind_int64(src, 1, l->hauler);
	sqlite3_bind_text(src, 2, l->src, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(src, 3, l->addr, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(src, 4, l->t);
	if (sqlite3_step(src) != SQLITE_DONE)
		return -1;
	sqlite3_reset(src);
	(void)raw;
	return 0;
}

static int fill_replay(struct store *st, sqlite3 *raw)
{
	static struct event_in ev[REPLAY_CHUNK * 4];
	static char detail[REPLAY_CHUNK * 4][2600];
	static const char sql_load[] =
		"INSERT INTO loads (load_no, station, day, hauler_id, company, company_address, driver, "
		"permit, truck, truck_capacity, waste, gallons, gallons_measured, characteristics, "
		"constituents, rcra, signer, lang, record, record_sha256, verdict, t_card, t_pin, t_form, "
		"t_certified, t_decided, t_discharge_start, t_discharge_end, discharge_end_why) "
		"VALUES (?1, 'ST-1', ?2, ?3, ?4, '1 Main St', 'Dan Driver', ?5, 'TRK-1', 3500, "
		"'septage', ?6, ?7, 'dark, domestic odour', 'none', 'no', 'Dan Driver', 'en', ?8, ?9, "
		"'accepted', ?10 - 120, ?10 - 110, ?10 - 100, ?10 - 5, ?10, ?10 + 60, ?10 + 600, "
		"'hauler pressed done')";
	static const char sql_ls[] =
		"INSERT INTO load_sources (load_no, idx, name, address, industry) "
		"VALUES (?1, 0, ?2, ?3, 'residential')";
	static const char sql_src[] =
		"INSERT INTO sources (hauler_id, name, address, industry, last_used) "
		"VALUES (?1, ?2, ?3, 'residential', ?4) ON CONFLICT (hauler_id, name, address) "
		"DO UPDATE SET industry = excluded.industry, last_used = excluded.last_used";
	sqlite3_stmt *ld = NULL, *ls = NULL, *src = NULL;
	struct replay_load l;
	int rc = -1;

	if (sqlite3_prepare_v2(raw, sql_load, -1, &ld, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(raw, sql_ls, -1, &ls, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(raw, sql_src, -1, &src, NULL) != SQLITE_OK)
		goto out;
	for (long base = 0; base < REPLAY_LOADS; base += REPLAY_CHUNK) {
		int n = REPLAY_LOADS - base < REPLAY_CHUNK ? (int)(REPLAY_LOADS - base) : REPLAY_CHUNK;

		for (int i = 0; i < n; i++) {
			replay_load(base + i, &l);
			replay_events(&l, ev + 4 * i, detail + 4 * i);
		}
		if (store_event_batch(st, ev, (size_t)n * 4)) {
			fprintf(stderr, "bench_store: %s\n", hg_error_text());
			goto out;
		}
		sqlite3_exec(raw, "BEGIN", NULL, NULL, NULL);
		for (int i = 0; i < n; i++) {
			replay_load(base + i, &l);
			if (replay_rows(raw, ld, ls, src, &l)) {
				fprintf(stderr, "bench_store: %s\n", sqlite3_errmsg(raw));
				sqlite3_exec(raw, "ROLLBACK", NULL, NULL, NULL);
				goto out;
			}
		}
		if (sqlite3_exec(raw, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
			goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(ld);
	sqlite3_finalize(ls);
	sqlite3_finalize(src);
	return rc;
}

static void replay_line(void *arg, const char *line)
{
	long *n = arg;

	if ((*n)++ < 3)
		fprintf(stderr, "bench_store: replay: %s\n", line);
}

static void bench_replay(const char *dir)
{
	struct store *st = NULL;
	struct tables_result r;
	sqlite3 *raw = NULL;
	double gen, t;
	long lines = 0;
	int rc;

	if (open_store(&st, dir, "replay.db"))
		return;
	raw = open_raw(dir, "replay.db");
	if (!raw)
		goto out;
	gen = bench_now_s();
	if (fill_replay(st, raw))
		goto out;
	gen = bench_now_s() - gen;
	t = bench_now_s();
	rc = store_verify_tables(st, replay_line, &lines, &r);
	t = bench_now_s() - t;
	if (rc) {
		fprintf(stderr, "bench_store: %s\n", hg_error_text());
		goto out;
	}
	printf("store.replay        %lld events into the tables, %lld rows compared in %.1f s = "
	       "%.0f events/s  (made in %.1f s)  (goal <= 60 s)  %s\n", r.events, r.rows, t,
	       (double)r.events / t, gen, t <= 60 ? "OK" : "OVER");
out:
	sqlite3_close(raw);
	store_close(st);
}

int main(int argc, char **argv)
{
	const char *base = getenv("TMPDIR");
	char dir[400];

	if (!base || !*base)
		base = "/tmp";
	snprintf(dir, sizeof dir, "%s/hg-bench-store-XXXXXX", base);
	if (!mkdtemp(dir)) {
		perror("bench_store: mkdtemp");
		return 1;
	}
	if (argc > 1 && strcmp(argv[1], "replay") == 0) {	/* the one figure */
		bench_replay(dir);
		bench_rmtree(dir);
		return 0;
	}
	bench_commit(dir);
	bench_report(dir);
	bench_verify(dir);
	bench_replay(dir);
	bench_rmtree(dir);
	return 0;
}
