/* bench_web.c: the plant's pages with 1,000,000 loads, against the goals of
 * issue 12 ("Benchmark").  Lines:
 *
 *   web.loads_p50_ms / web.loads_p99_ms   GET /loads?station=..&waste=septage,
 *                          the first page and a later one (its `after` key),
 *                          N requests each over one kept-alive loopback TLS
 *                          connection (libcurl), timed on the client from the
 *                          request sent to the last byte read, nothing
 *                          subtracted (the server has no timing of its own to
 *                          read): goal p99 <= 50 ms
 *   web.sql_p50_ms / web.sql_p99_ms   the floor, in the same run: the page's
 *                          own query (db/listing.c listing_run(): listing_sql()
 *                          with the same filter, limit and key, prepared,
 *                          bound, every row read) on the same file through
 *                          sqlite3, no server
 *   web.loads_vs_sql       the page's p99 over the query's: goal <= 2
 *   web.dashboard_first_ms the dashboard's first request (the stations'
 *                          health read from the background verifier,
 *                          potw/verifier.c, which verifies the logs on its
 *                          own connection from the server's start)
 *   web.loads_during_verify_ms  one loads page asked on a second connection
 *                          1 s into that first request, the verifier at
 *                          work (it once held the store's lock on the
 *                          request path): goal as the page's
 *   web.dashboard_p99_ms   GET /?day=<the data's last day> N times after it:
 *                          goal p99 <= 100 ms
 *   web.csv_rows_per_s     GET /loads.csv of every load: goal >= 100,000
 *   web.csv_rss_growth_kb  the server's VmHWM after the CSV less before it:
 *                          flat memory is a growth far below the CSV's size
 *
 * The data (make_data()), and why it is representative.  Four stations
 * (gate-01..gate-04), each a real station (`haulgate init --demo`) that ran
 * scenarios through the kiosk's session code (`haulgate simulate`: a
 * hauler's first load held for a sample and bottled, a portable toilet load
 * accepted, DATA_SCN's accepted septage load, a grease load refused as RCRA
 * hazardous in Spanish, an operator's manual sample flag), exported (`haulgate sync export`) and imported by the plant
 * (`haulgate-potw import`): so the rec_loads and rec_load_sources rows of
 * those loads are what core/record.c projects from real events.  Those rows
 * are the templates; one INSERT ... SELECT per table in one transaction then
 * makes LOADS loads from them: load i goes to station gate-(i%4+1) with the
 * next load number of that station, decided at an even pace over 3 years
 * (2023-12 to 2026-11, with a jitter of minutes), its every t_* moved by the
 * same amount and its day the station's local day of it (TZ
 * America/Denver), its template picked by a weighted hash of i (weights
 * per template in COPY_SQL; as made: 63 % accepted septage, 16 % accepted
 * portable, 16 % held for a sample, first-load and manual, 5 % grease
 * refused; two haulers), so wastes and verdicts mix as a plant's do; each copy keeps its template's
 * form, record and sources whole (the same sizes of text as a real load).
 * The copies' day sums (load_days, which the dashboard reads) are made by
 * the plant's own triggers on rec_loads as the INSERT ... SELECT writes
 * them, as the projection's writes make them; copy_rows() checks that they
 * count every load.
 * What the copies are not: events.  The plant holds the real loads' events
 * only, so `verify` of a station finds rows no event made; the dashboard's
 * chain verification therefore does its walk over a few events and its rows
 * check over 250,000 rows per station, not the walk over millions of events
 * a real station of that size would have (the report line says so).
 *
 * The database is made once and kept in build/bench-web/v<schema>-r<DATA_R>/
 * (the plant's user_version and this recipe's number; an older one is
 * removed then): making it takes about a minute or two, 2.3 GB.  The
 * server serves the kept file itself (the pages only read it; a sign-in
 * writes a session row).  No asserts: exit 0
 * unless the bench cannot run; the server is a child ended with SIGTERM on
 * every way out. */
#include "bench.h"
#include "bench_potw.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <curl/curl.h>
#include <sqlite3.h>

#include "../../core/report.h"
#include "../../db/listing.h"

#define POTW BENCH_POTW
#define HG "build/haulgate"
#define CACHE "build/bench-web"
#define DATA_R 4		/* this recipe's number: change it with make_data() (4: the
				 * copies' day sums in load_days, schema 10) */
#define LOADS 1000000
#define STATIONS 4
#define N_PAGE 200		/* requests of each loads page */
#define N_DASH 100
#define VERIFY_WAIT 300		/* seconds: the verifier's first pass, at most */
#define WARM 20			/* untimed runs of the floor's queries first */
#define GOAL_LOADS_MS 50.0
#define GOAL_RATIO 2.0
#define GOAL_DASH_MS 100.0
#define GOAL_CSV 100000.0
#define PASSWORD "bench-password-1"
#define T0 1701388800		/* 2023-12-01 */
#define SPAN (3LL * 365 * 86400)

static const struct listing_source floor_src = { "rec_", "station_id", NULL };
static char plant[600];		/* the plant's folder, its potw.ini inside */
static char tmp[512];		/* the stations' folder while making the data */
static pid_t server = -1;

static void stop_server(void)
{
	bench_potw_stop(&server);
}

static int fail(const char *what, const char *why)
{
	fprintf(stderr, "bench_web: %s: %s\n", what, why ? why : "failed");
	stop_server();
	if (tmp[0])
		bench_rmtree(tmp);
	return 1;
}

/* Run the shell command fmt..., its output thrown away (or into out[cap]);
 * 0 when it exits 0. */
static int sh(char *out, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int sh(char *out, size_t cap, const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	return bench_run(cmd, out, cap);
}

/* Accepted loads after the first ones: a septage load from a remembered
 * source (Dana Ruiz), a grease load (Ana Torres, after her refused one). */
static const char DATA_SCN[] =
	"clock 2026-11-23T11:00:00\n"
	"card 04a1b2c3\ntype 1234\npress ok\npress truck_1\npress waste_septage\n"
	"press known_1\npress next\ntype 1800\npress next\n"
	"field characteristics \"Septic tank pumped, 1,800 gal\"\npress next\n"
	"press rcra_no\npress next\nfield signer \"Dana Ruiz\"\npress certify\n"
	"press start\npress stop\npress ok\n";

static int make_station(int k, const char *more)
{
	/* in this order: DATA_SCN needs the first load bottled and no sample owed */
	const char *const scns[] = { "tests/scenarios/hauler_first_load.scn", more,
				     "tests/scenarios/refused_rcra_es.scn",
				     "tests/scenarios/operator.scn" };
	char d[700];

	snprintf(d, sizeof d, "%s/gate-%02d", tmp, k);
	if (sh(NULL, 0, "mkdir -p %s && sed 's/^id = .*/id = gate-%02d/' "
	       "tests/scenarios/station.ini >%s/station.ini && " HG " --config %s/station.ini "
	       "init --demo >/dev/null 2>&1", d, k, d, d))
		return -1;
	for (size_t i = 0; i < HG_ARRAY_LEN(scns); i++)
		if (sh(NULL, 0, "TZ=America/Denver " HG " --config %s/station.ini simulate --script "
		       "%s >/dev/null 2>&1", d, scns[i]))
			return -1;
	return sh(NULL, 0, HG " --config %s/station.ini keys --public-pem >%s/st.pem && "
		  POTW " --config %s/potw.ini station add --id gate-%02d --name 'Gate %d' "
		  "--key-pem %s/st.pem && " HG " --config %s/station.ini sync export %s/log.jsonl && "
		  POTW " --config %s/potw.ini import --station gate-%02d %s/log.jsonl 2>/dev/null",
		  d, d, plant, k, k, d, d, d, plant, k, d);
}

/* The copies, by SQL, in one transaction (see the top of the file). */
static const char COPY_SQL[] =
	"CREATE TEMP TABLE tmpl AS SELECT row_number() OVER (ORDER BY station_id, load_no) - 1 "
	"  AS k, * FROM rec_loads;\n"
	/* the template of load i: a weight per template by its verdict and waste */
	"CREATE TEMP TABLE w AS SELECT k, station_id AS sid, load_no AS lno,\n"
	"  CASE WHEN verdict = 'accepted' AND waste = 'septage' THEN 60\n"
	"       WHEN verdict = 'accepted' AND waste = 'portable' THEN 15\n"
	"       WHEN verdict = 'accepted' THEN 12\n"
	"       WHEN verdict = 'refused' THEN 5 ELSE 8 END AS wt FROM tmpl;\n"
	"CREATE TEMP TABLE cum AS SELECT k, sid, lno,\n"
	"  coalesce((SELECT sum(b.wt) FROM w b WHERE b.k < a.k), 0) * 1000 / (SELECT sum(wt) FROM w) AS lo,\n"
	"  (SELECT sum(b.wt) FROM w b WHERE b.k <= a.k) * 1000 / (SELECT sum(wt) FROM w) AS hi\n"
	"  FROM w a;\n"
	"CREATE TEMP TABLE plan AS WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n "
	"  WHERE i < ?1 - 1)\n"
	"  SELECT i, 'gate-0' || (i % 4 + 1) AS st, 1000 + i / 4 AS no,\n"
	"    ?2 + i * ?3 / ?1 + (i * 7919) % 600 AS t,\n"
	"    (SELECT k FROM cum WHERE (i * 2654435761) % 1000 >= lo AND (i * 2654435761) % 1000 < hi)"
	"    AS k FROM n;\n"
	"INSERT INTO rec_loads SELECT p.st, p.no, p.st, date(p.t, 'unixepoch', 'localtime'),\n"
	"  hauler_id, card_id, company, company_address, driver, permit, truck_id, truck,\n"
	"  truck_capacity, waste, gallons, gallons_measured, characteristics, constituents, rcra,\n"
	"  signer, lang, record, record_sha256, verdict, refuse_reasons, sample_reasons, sampled,\n"
	"  manual_flag, bottle, sampled_by,\n"
	"  t_card - t_decided + p.t, t_pin - t_decided + p.t, t_form - t_decided + p.t,\n"
	"  t_certified - t_decided + p.t, p.t, t_sampled - t_decided + p.t,\n"
	"  t_discharge_start - t_decided + p.t, t_discharge_end - t_decided + p.t,\n"
	"  discharge_end_why, meter_flag\n"
	"  FROM plan p JOIN tmpl USING (k) ORDER BY p.i;\n"
	"INSERT INTO rec_load_sources SELECT p.st, p.no, s.idx, s.name, s.address, s.industry, "
	"  s.town FROM plan p JOIN cum c USING (k) JOIN rec_load_sources s\n"
	"  ON s.station_id = c.sid AND s.load_no = c.lno ORDER BY p.i;\n";

static int copy_rows(const char *db)
{
	sqlite3 *q = NULL;
	sqlite3_stmt *s = NULL;
	const char *sql = COPY_SQL, *tail;
	int rc;

	setenv("TZ", "America/Denver", 1);	/* 'localtime': the stations' own days */
	tzset();
	rc = sqlite3_open(db, &q);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(q, "PRAGMA journal_mode=WAL; BEGIN", NULL, NULL, NULL);
	while (rc == SQLITE_OK && *sql) {
		rc = sqlite3_prepare_v2(q, sql, -1, &s, &tail);
		if (rc != SQLITE_OK || !s)
			break;
		if (sqlite3_bind_parameter_count(s) >= 3) {
			sqlite3_bind_int64(s, 1, LOADS);
			sqlite3_bind_int64(s, 2, T0);
			sqlite3_bind_int64(s, 3, SPAN);
		}
		rc = sqlite3_step(s);
		rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
		sqlite3_finalize(s);
		s = NULL;
		sql = tail;
	}
	if (rc == SQLITE_OK)	/* the day sums the triggers kept count every load */
		rc = sqlite3_prepare_v2(q, "SELECT (SELECT sum(loads) FROM load_days) = "
					"(SELECT count(*) FROM rec_loads)", -1, &s, NULL);
	if (rc == SQLITE_OK && (sqlite3_step(s) != SQLITE_ROW || !sqlite3_column_int(s, 0))) {
		fprintf(stderr, "bench_web: load_days does not count every load copied\n");
		rc = SQLITE_ERROR;
	}
	sqlite3_finalize(s);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(q, "COMMIT; PRAGMA wal_checkpoint(TRUNCATE); ANALYZE", NULL, NULL,
				  NULL);
	if (rc != SQLITE_OK)
		fprintf(stderr, "bench_web: copying the loads: %s\n", sqlite3_errmsg(q));
	sqlite3_close(q);
	return rc == SQLITE_OK ? 0 : -1;
}

static int write_ini(const char *d)
{
	char path[700];
	FILE *f;

	snprintf(path, sizeof path, "%s/potw.ini", d);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fprintf(f, "[server]\nlisten = 127.0.0.1:0\ndb = potw.db\nkey = potw.key\nthreads = 2\n"
		"[tls]\ncert = tls.crt\nkey = tls.key\n[web]\nstatic = %s/assets/web\n",
		getcwd(path, sizeof path) ? path : ".");
	return fclose(f) == 0 ? 0 : -1;
}

/* The plant of the bench in plant[]: kept from an earlier run, or made. */
static int make_data(void)
{
	char probe[600], ver[32], path[700], scn[700];
	double t0 = bench_now_s();
	FILE *f;

	/* the schema's version, from a fresh plant */
	snprintf(tmp, sizeof tmp, "%s/hg-bench-web-XXXXXX", getenv("TMPDIR") && *getenv("TMPDIR") ?
		 getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(tmp))
		return tmp[0] = '\0', fail("a temp folder", NULL);
	snprintf(probe, sizeof probe, "%s/probe", tmp);
	if (mkdir(probe, 0700) || write_ini(probe) ||
	    sh(NULL, 0, POTW " --config %s/potw.ini init", probe) ||
	    sh(ver, sizeof ver, "sqlite3 %s/potw.db 'PRAGMA user_version'", probe))
		return fail("haulgate-potw init", NULL);
	snprintf(plant, sizeof plant, CACHE "/v%s-r%d", ver, DATA_R);
	snprintf(path, sizeof path, "%s/made", plant);
	if (access(path, F_OK) == 0) {
		bench_rmtree(tmp);
		tmp[0] = '\0';
		return 0;
	}
	fprintf(stderr, "bench_web: making %d loads in %s (once)\n", LOADS, plant);
	bench_rmtree(CACHE);	/* an older schema's or recipe's 2.3 GB go */
	if (sh(NULL, 0, "mkdir -p %s", plant) || write_ini(plant) ||
	    sh(NULL, 0, POTW " --config %s/potw.ini init", plant))
		return fail("haulgate-potw init", NULL);
	snprintf(scn, sizeof scn, "%s/more.scn", tmp);
	f = fopen(scn, "w");
	if (!f || fputs(DATA_SCN, f) < 0 || fclose(f) != 0)
		return fail(scn, "cannot write");
	for (int k = 1; k <= STATIONS; k++)
		if (make_station(k, scn))
			return fail("a station's real loads", NULL);
	if (sh(NULL, 0, "printf '%%s\\n' '" PASSWORD "' | " POTW " --config %s/potw.ini user add "
	       "--login bench --role coordinator", plant))
		return fail("haulgate-potw user add", NULL);
	snprintf(path, sizeof path, "%s/potw.db", plant);
	if (copy_rows(path))
		return fail("the copies", NULL);
	snprintf(path, sizeof path, "%s/made", plant);
	f = fopen(path, "w");
	if (!f || fclose(f) != 0)
		return fail(path, "cannot write");
	bench_rmtree(tmp);
	tmp[0] = '\0';
	fprintf(stderr, "bench_web: made in %.0f s\n", bench_now_s() - t0);
	return 0;
}

/* ---- the server and the client ---- */

static int start_server(int *port)
{
	char ini[700];

	snprintf(ini, sizeof ini, "%s/potw.ini", plant);
	return bench_potw_serve(ini, &server, port);
}

/* The body of the last answer, kept up to a cap (the rest counted). */
struct body {
	char *p;
	size_t len, cap, total;
	long lines;
};

static size_t take(char *p, size_t sz, size_t n, void *ctx)
{
	struct body *b = ctx;

	n *= sz;
	for (size_t i = 0; i < n; i++)
		b->lines += p[i] == '\n';
	if (b->len + n < b->cap) {
		memcpy(b->p + b->len, p, n);
		b->len += n;
		b->p[b->len] = '\0';
	}
	b->total += n;
	return n;
}

static CURL *curl;
static char base[64];
static struct body body;

/* GET (or POST post) base+path; the HTTP status, -1 when it failed. */
static long get(const char *path, const char *post)
{
	char url[2048];
	long code = -1;

	snprintf(url, sizeof url, "%s%s", base, path);
	body.len = body.total = 0;
	body.lines = 0;
	if (body.cap)
		body.p[0] = '\0';
	curl_easy_setopt(curl, CURLOPT_URL, url);
	if (post)
		curl_easy_setopt(curl, CURLOPT_POSTFIELDS, post);
	else
		curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
	if (curl_easy_perform(curl) != CURLE_OK)
		return -1;
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
	return code;
}

/* The value of cookie name in the client's jar into out[cap]. */
static int cookie(const char *name, char *out, size_t cap)
{
	struct curl_slist *l = NULL, *e;
	int rc = -1;

	curl_easy_getinfo(curl, CURLINFO_COOKIELIST, &l);
	for (e = l; e; e = e->next) {
		/* domain \t flag \t path \t secure \t expires \t name \t value */
		const char *f = e->data;
		int tab = 0;

		while (*f && tab < 5)
			tab += *f++ == '\t';
		if (!strncmp(f, name, strlen(name)) && f[strlen(name)] == '\t') {
			snprintf(out, cap, "%s", f + strlen(name) + 1);
			rc = 0;
		}
	}
	curl_slist_free_all(l);
	return rc;
}

static int signin(void)
{
	char tok[256], post[512];

	if (get("/signin", NULL) != 200 || cookie("__Host-hg_signin", tok, sizeof tok))
		return -1;
	snprintf(post, sizeof post, "csrf=%s&login=bench&password=%s", tok, PASSWORD);
	get("/signin", post);
	return get("/loads?n=1", NULL) == 200 ? 0 : -1;
}

/* n timed GETs of path into ms[]; -1 when one was not a 200. */
static int timed(const char *path, double *ms, int n)
{
	for (int i = 0; i < n; i++) {
		double t = bench_now_ms();

		if (get(path, NULL) != 200)
			return -1;
		ms[i] = bench_now_ms() - t;
	}
	return 0;
}

/* The other reader: during the dashboard's first request (the verifier at work),
 * one GET of /loads on a second connection, the session's cookies copied,
 * started after a head start; its milliseconds in *ms. */
struct other {
	struct curl_slist *cookies;
	char url[256];
	double ms;
};

static size_t sink(char *p, size_t sz, size_t n, void *ctx)
{
	(void)p;
	(void)ctx;
	return sz * n;
}

static void *other_get(void *ctx)
{
	struct other *o = ctx;
	CURL *c = curl_easy_duphandle(curl);
	double t;

	o->ms = -1;
	if (!c)
		return NULL;
	for (struct curl_slist *e = o->cookies; e; e = e->next)
		curl_easy_setopt(c, CURLOPT_COOKIELIST, e->data);
	curl_easy_setopt(c, CURLOPT_URL, o->url);
	curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink);
	usleep(1000000);	/* the dashboard's request is under way */
	t = bench_now_ms();
	if (curl_easy_perform(c) == CURLE_OK)
		o->ms = bench_now_ms() - t;
	curl_easy_cleanup(c);
	return NULL;
}

/* The value of "kB" line key of /proc/<server>/status. */
static long proc_kb(const char *key)
{
	char path[64], line[256];
	long kb = -1;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/status", (int)server);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof line, f))
		if (!strncmp(line, key, strlen(key)))
			kb = strtol(line + strlen(key) + 1, NULL, 10);
	fclose(f);
	return kb;
}

/* The page's key after its last row, from its rel="next" link's after=. */
static int next_key(char *out, size_t cap)
{
	const char *p = strstr(body.p, "rel=\"next\""), *a;
	size_t n = 0;

	if (!p)
		return -1;
	while (p > body.p && strncmp(p, "href=", 5))
		p--;
	a = strstr(p, "after=");
	if (!a)
		return -1;
	a += 6;
	while (a[n] && a[n] != '"' && a[n] != '&' && n + 1 < cap)
		n++;
	memcpy(out, a, n);
	out[n] = '\0';
	return 0;
}

/* A page's key as the page writes it ("1790000000.gate-02.12": decided,
 * station, load number; potw/loads_query.c) into *k.  0 or -1. */
static int key_parse(const char *s, struct listing_key *k)
{
	const char *dot1 = strchr(s, '.'), *dot2 = strrchr(s, '.');
	size_t n;

	memset(k, 0, sizeof *k);
	if (!dot1 || dot2 == dot1)
		return -1;
	n = (size_t)(dot2 - dot1 - 1);
	if (n == 0 || n >= sizeof k->station)
		return -1;
	k->decided = strtoll(s, NULL, 10);
	memcpy(k->station, dot1 + 1, n);
	k->load_no = strtoll(dot2 + 1, NULL, 10);
	return 0;
}

/* The floor's connection: the same file read only, warmed by WARM runs of
 * each of the page's two queries (as the server's connection was warmed by
 * the pages asked before the timing: a cold first query is no floor). */
static sqlite3 *floor_open(const struct listing_filter *f1, const struct listing_filter *f2)
{
	char path[700];
	sqlite3 *q;
	struct table *t;

	snprintf(path, sizeof path, "%s/potw.db", plant);
	if (sqlite3_open_v2(path, &q, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		sqlite3_close(q);
		return NULL;
	}
	for (int i = 0; i < WARM; i++) {
		if (listing_run(q, LISTING_LOADS, &floor_src, f1, &t) ||
		    (table_free(t), listing_run(q, LISTING_LOADS, &floor_src, f2, &t))) {
			sqlite3_close(q);
			return NULL;
		}
		table_free(t);
	}
	return q;
}

/* n times in turn: GET path timed into ms[i], then the floor, the page's
 * query f on q, timed into sq[i]; so both see the same moments of a busy
 * machine (the server's background verifier, the other users of the
 * cores), not one of them a quieter second than the other.  -1 when a
 * GET was not a 200 or the query failed. */
static int timed_pair(const char *path, sqlite3 *q, const struct listing_filter *f, double *ms,
		      double *sq, int n)
{
	for (int i = 0; i < n; i++) {
		struct table *t;
		double t0 = bench_now_ms();
		int rc;

		if (get(path, NULL) != 200)
			return -1;
		ms[i] = bench_now_ms() - t0;
		t0 = bench_now_ms();
		rc = listing_run(q, LISTING_LOADS, &floor_src, f, &t);
		sq[i] = bench_now_ms() - t0;
		table_free(t);
		if (rc)
			return -1;
	}
	return 0;
}

/* Wait, up to VERIFY_WAIT seconds, until /stations says no station "not
 * yet verified" (the background verifier's first pass, potw/verifier.c,
 * over).  1 when it is, 0 when the wait ran out. */
static int wait_verified(void)
{
	double until = bench_now_s() + VERIFY_WAIT;

	while (bench_now_s() < until) {
		if (get("/stations", NULL) == 200 && !strstr(body.p, "not yet verified"))
			return 1;
		usleep(250000);
	}
	return 0;
}

static void line_ms(const char *name, double v, const char *note, double goal, const char *op)
{
	printf("%-24s %8.1f ms  (%s; goal %s %.0f)  %s\n", name, v, note, op, goal,
	       v <= goal ? "OK" : "OVER");
}

int main(void)
{
	static double ms[2 * N_PAGE], sq[2 * N_PAGE];
	char pin[128], path[1024], key[128], note[1400], day[32], dash[64];
	struct listing_filter f, f2;
	struct listing_key k;
	sqlite3 *fq;
	struct other other = { 0 };
	pthread_t th;
	long rc;
	double p50, p99, s50, s99, t, t0, first;
	int waited;
	long hwm0, hwm1, rows;
	int port;

	/* as haulgate-potw does (potw/main.c): the floor's sqlite the server's */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	if (access(POTW, X_OK) || access(HG, X_OK))
		return fail(POTW " and " HG, "not built (make " POTW " " HG ")");
	if (make_data())
		return 1;
	t0 = bench_now_s();
	if (start_server(&port))
		return fail("haulgate-potw serve", NULL);
	if (sh(pin, sizeof pin, POTW " --config %s/potw.ini key", plant))
		return fail("haulgate-potw key", NULL);
	snprintf(base, sizeof base, "https://127.0.0.1:%d", port);
	body.cap = 1 << 20;
	body.p = malloc(body.cap);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	curl = curl_easy_init();
	if (!curl || !body.p)
		return fail("libcurl", NULL);
	curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);	/* self-signed: the key pinned */
	curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
	curl_easy_setopt(curl, CURLOPT_PINNEDPUBLICKEY, pin);
	curl_easy_setopt(curl, CURLOPT_COOKIEFILE, "");
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, take);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, 600L);
	if (signin())
		return fail("sign-in", NULL);

	/* the dashboard, on the last day of the data (?day=: "today" there) */
	if (sh(day, sizeof day, "sqlite3 %s/potw.db 'SELECT max(day) FROM rec_loads'", plant))
		return fail("the last day", NULL);
	snprintf(dash, sizeof dash, "/?day=%s", day);
	snprintf(other.url, sizeof other.url, "%s/loads?station=gate-02&waste=septage", base);
	curl_easy_getinfo(curl, CURLINFO_COOKIELIST, &other.cookies);
	if (pthread_create(&th, NULL, other_get, &other))
		return fail("a thread", NULL);
	t = bench_now_ms();
	rc = get(dash, NULL);
	first = bench_now_ms() - t;
	pthread_join(th, NULL);
	curl_slist_free_all(other.cookies);
	if (rc != 200)
		return fail("/", "not 200");
	printf("%-24s %8.1f ms  (the first request: the health read from the background "
	       "verifier, which checks the %d stations' 250,000 copied rows meanwhile)\n",
	       "web.dashboard_first_ms", first, STATIONS);
	printf("%-24s %8.1f ms  (one GET of the loads page on a second connection, sent 1 s "
	       "into that first request; goal <= %.0f)  %s\n", "web.loads_during_verify_ms",
	       other.ms, GOAL_LOADS_MS, other.ms >= 0 && other.ms <= GOAL_LOADS_MS ? "OK" : "OVER");
	fflush(stdout);

	/* the rest in the steady state: the verifier's first pass over, which
	 * takes one core for its while at the server's start */
	waited = wait_verified();
	printf("%-24s %8.1f s   (the server's start to every station verified or found broken "
	       "on /stations%s; the figures below are timed after it)\n", "web.verify_first_s",
	       bench_now_s() - t0, waited ? "" : ": NOT within the wait, timed during it");
	fflush(stdout);

	/* the loads page: a station and a waste type, page 1 and a later one */
	if (get("/loads?station=gate-02&waste=septage", NULL) != 200 || next_key(key, sizeof key))
		return fail("/loads", "no next page");
	for (int i = 0; i < 20; i++)	/* a later page: 20 pages on */
		if (get((snprintf(path, sizeof path, "/loads?station=gate-02&waste=septage&after=%s",
				  key), path), NULL) != 200 || next_key(key, sizeof key))
			return fail("/loads", "no later page");
	memset(&f, 0, sizeof f);
	f.station = "gate-02";
	snprintf(f.waste, sizeof f.waste, "septage");
	f.confidential = 1;
	f.newest = 1;
	f.wide = 1;
	f.limit = 51;
	f2 = f;
	{
		char *a = strstr(path, "after=") + 6, unesc[128];
		size_t j = 0;

		for (; *a && j + 1 < sizeof unesc; a++)	/* %2D and the like, undone */
			if (*a == '%' && a[1] && a[2]) {
				char hex[3] = { a[1], a[2], 0 };

				unesc[j++] = (char)strtol(hex, NULL, 16);
				a += 2;
			} else {
				unesc[j++] = *a;
			}
		unesc[j] = '\0';
		if (key_parse(unesc, &k))
			return fail("the later page's key", unesc);
	}
	f2.after = k;
	fq = floor_open(&f, &f2);
	if (!fq)
		return fail("the floor's query", hg_error_text());
	if (timed_pair("/loads?station=gate-02&waste=septage", fq, &f, ms, sq, N_PAGE) ||
	    timed_pair(path, fq, &f2, ms + N_PAGE, sq + N_PAGE, N_PAGE)) {
		sqlite3_close(fq);
		return fail("/loads and its floor", hg_error_text());
	}
	sqlite3_close(fq);
	p50 = bench_quantile(ms, 2 * N_PAGE, 0.5);
	p99 = bench_quantile(ms, 2 * N_PAGE, 0.99);
	s50 = bench_quantile(sq, 2 * N_PAGE, 0.5);
	s99 = bench_quantile(sq, 2 * N_PAGE, 0.99);
	snprintf(note, sizeof note, "median %.1f ms; GET /loads?station=gate-02&waste=septage, "
		 "page 1 and page 21, %d each, kept-alive TLS, client-timed", p50, N_PAGE);
	line_ms("web.loads_p99_ms", p99, note, GOAL_LOADS_MS, "<=");
	printf("%-24s %8.1f ms  (median %.1f ms; the floor: the page's listing_run() with the "
	       "same filter and key on the same file, no server)\n", "web.sql_p99_ms", s99, s50);
	printf("%-24s %8.2f     (page p99 over query p99; median %.2f; goal <= %.0f)  %s\n",
	       "web.loads_vs_sql", p99 / s99, p50 / s50, GOAL_RATIO,
	       p99 / s99 <= GOAL_RATIO ? "OK" : "OVER");
	fflush(stdout);

	/* the dashboard, N_DASH times after its first */
	if (timed(dash, ms, N_DASH))
		return fail("/", "not 200");
	p99 = bench_quantile(ms, N_DASH, 0.99);
	snprintf(note, sizeof note, "median %.1f ms; GET %s %d times after the first",
		 bench_quantile(ms, N_DASH, 0.5), dash, N_DASH);
	line_ms("web.dashboard_p99_ms", p99, note, GOAL_DASH_MS, "<=");
	fflush(stdout);

	/* the CSV of every load */
	hwm0 = proc_kb("VmHWM:");
	t = bench_now_s();
	if (get("/loads.csv", NULL) != 200)
		return fail("/loads.csv", "not 200");
	t = bench_now_s() - t;
	hwm1 = proc_kb("VmHWM:");
	rows = body.lines - 1;
	printf("%-24s %8.0f rows/s  (%ld rows, %.0f MB in %.1f s; goal >= %.0f)  %s\n",
	       "web.csv_rows_per_s", (double)rows / t, rows, (double)body.total / 1e6, t, GOAL_CSV,
	       (double)rows / t >= GOAL_CSV ? "OK" : "OVER");
	printf("%-24s %8ld kB  (the server's VmHWM %ld kB before, %ld kB after the CSV; flat: "
	       "far below the CSV's size)\n", "web.csv_rss_growth_kb", hwm1 - hwm0, hwm0, hwm1);
	curl_easy_cleanup(curl);
	curl_global_cleanup();
	free(body.p);
	stop_server();
	return 0;
}
