/* sync_batch: plays a station's side of the sync for
 * tests/cli/test_potw_sync.sh, from a real station database and key, so
 * the plant's server is tested with curl before the station's own sync
 * (station/sync.c) is on main.
 *
 *	sync_batch batch DB KEY ID FROM TO [--bad-root]
 *	    prints the POST /api/v1/sync/events body of events FROM..TO of the
 *	    station database DB (as its events table holds them), with the
 *	    checkpoint of size TO signed by the station's key KEY under
 *	    haulgate.station/ID (core/merkle.c over the events' hashes,
 *	    core/note.c); --bad-root signs a checkpoint whose root has one bit
 *	    flipped (well signed, wrong)
 *	sync_batch sign KEY ID METHOD AUTHORITY PATH [BODYFILE] [--created T]
 *	    prints the request's header lines (Content-Type, Content-Digest when
 *	    there is a body, Signature-Input, Signature) signed by KEY with
 *	    keyid ID (core/httpsig.c), for curl -H @file
 *	sync_batch leaves DB
 *	    prints every event's chain hash, base64, one a line (for tlogcheck
 *	    -leaves)
 *	sync_batch vkey KEY ID
 *	    prints the station's note verifier key (haulgate.station/ID+...),
 *	    what `haulgate keys --note-verifier` will print
 *	sync_batch roster KEY PLANT_VKEY FILE
 *	    checks a GET /api/v1/sync/roster?since=0 answer (FILE) as the
 *	    station will: every event's number, link and hash (chain_hash), the
 *	    plant's checkpoint signed by PLANT_VKEY (haulgate-potw key
 *	    --note-verifier) of the answer's version whose root is the events';
 *	    and opens pin_key_sealed with the station's key KEY (its X25519
 *	    form).  Prints "chain ok N", "checkpoint ok SIZE" and "pin_key B64"
 *	    (the PIN key as pin.key holds it)
 *
 * PATH may hold a query ("/api/v1/sync/roster?since=0"): it is signed as
 * @query.
 *
 * Exit status 0, or 1 with why on stderr. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cJSON.h>
#include <sodium.h>
#include <sqlite3.h>

#include "../../core/chain.h"
#include "../../core/httpsig.h"
#include "../../core/merkle.h"
#include "../../core/note.h"
#include "../../core/report.h"
#include "../../host/keyfile.h"

static void die(const char *what, const char *why)
{
	fprintf(stderr, "sync_batch: %s: %s\n", what, why);
	exit(1);
}

struct leaves {
	size_t n;
	uint8_t (*h)[32];	/* chain hashes, event 1 first */
};

static int leaf_at(void *ctx, uint64_t index, uint8_t out[MERKLE_HASH])
{
	struct leaves *l = ctx;

	if (index >= l->n)
		return hg_fail(HG_EINVAL, "no leaf %llu", (unsigned long long)index);
	merkle_leaf_hash(l->h[index], out);
	return 0;
}

static sqlite3 *open_db(const char *path)
{
	sqlite3 *db;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		die(path, sqlite3_errmsg(db));
	return db;
}

static void read_leaves(sqlite3 *db, struct leaves *l)
{
	sqlite3_stmt *k;
	size_t cap = 1024;

	l->n = 0;
	l->h = malloc(cap * 32);
	if (!l->h || sqlite3_prepare_v2(db, "SELECT seq, hash FROM events ORDER BY seq", -1, &k,
					NULL) != SQLITE_OK)
		die("events", sqlite3_errmsg(db));
	while (sqlite3_step(k) == SQLITE_ROW) {
		if (sqlite3_column_int64(k, 0) != (long long)l->n + 1 ||
		    sqlite3_column_bytes(k, 1) != 32)
			die("events", "not numbered 1, 2, ... with 32-byte hashes");
		if (l->n == cap) {
			cap *= 2;
			l->h = realloc(l->h, cap * 32);
			if (!l->h)
				die("events", "out of memory");
		}
		memcpy(l->h[l->n++], sqlite3_column_blob(k, 1), 32);
	}
	sqlite3_finalize(k);
}

static void b64(const uint8_t *h, size_t n, char *out, size_t cap)
{
	sodium_bin2base64(out, cap, h, n, sodium_base64_VARIANT_ORIGINAL);
}

static int cmd_batch(int argc, char **argv)
{
	const char *dbp = argv[2], *keyp = argv[3], *id = argv[4];
	long long from = atoll(argv[5]), to = atoll(argv[6]);	/* lint-ok: a test tool */
	int bad_root = argc > 7 && !strcmp(argv[7], "--bad-root");
	char origin[NOTE_NAME_MAX + 1], text[512], note[NOTE_MAX + 1], h64[64];
	struct merkle_reader rd;
	struct keypair kp;
	struct leaves l;
	uint8_t root[32];
	sqlite3_stmt *k;
	sqlite3 *db;
	cJSON *o, *evs;
	char *out;

	if (keys_load(keyp, &kp))
		die(keyp, hg_error_text());
	db = open_db(dbp);
	read_leaves(db, &l);
	if (from < 1 || to < from || (size_t)to > l.n)
		die("batch", "FROM..TO is not within the events held");
	rd.leaf = leaf_at;
	rd.node = NULL;
	rd.ctx = &l;
	if (merkle_root(&rd, (uint64_t)to, root))
		die("root", hg_error_text());
	if (bad_root)
		root[5] ^= 0x10;
	if (note_station_origin(id, origin, sizeof origin) ||
	    note_checkpoint_text(origin, (uint64_t)to, root, text, sizeof text, NULL) ||
	    note_sign(text, strlen(text), origin, kp.sk, note, sizeof note, NULL))
		die("checkpoint", hg_error_text());

	o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "from", (double)from);
	evs = cJSON_AddArrayToObject(o, "events");
	if (sqlite3_prepare_v2(db, "SELECT seq, ts, type, load_no, actor, detail, prev_hash, hash "
			       "FROM events WHERE seq BETWEEN ? AND ? ORDER BY seq", -1, &k,
			       NULL) != SQLITE_OK)
		die("events", sqlite3_errmsg(db));
	sqlite3_bind_int64(k, 1, from);
	sqlite3_bind_int64(k, 2, to);
	while (sqlite3_step(k) == SQLITE_ROW) {
		cJSON *e = cJSON_CreateObject();

		cJSON_AddNumberToObject(e, "seq", (double)sqlite3_column_int64(k, 0));
		cJSON_AddNumberToObject(e, "ts", (double)sqlite3_column_int64(k, 1));
		cJSON_AddStringToObject(e, "type", (const char *)sqlite3_column_text(k, 2));
		cJSON_AddNumberToObject(e, "load_no", (double)sqlite3_column_int64(k, 3));
		cJSON_AddStringToObject(e, "actor", (const char *)sqlite3_column_text(k, 4));
		cJSON_AddStringToObject(e, "detail", (const char *)sqlite3_column_text(k, 5));
		b64(sqlite3_column_blob(k, 6), 32, h64, sizeof h64);
		cJSON_AddStringToObject(e, "prev_hash", h64);
		b64(sqlite3_column_blob(k, 7), 32, h64, sizeof h64);
		cJSON_AddStringToObject(e, "hash", h64);
		cJSON_AddItemToArray(evs, e);
	}
	sqlite3_finalize(k);
	sqlite3_close(db);
	cJSON_AddStringToObject(o, "checkpoint", note);
	out = cJSON_PrintUnformatted(o);
	fputs(out, stdout);
	cJSON_free(out);
	cJSON_Delete(o);
	free(l.h);
	return 0;
}

struct hdrs {
	const char *ctype, *digest;
};

static const char *header(void *ctx, const char *name)
{
	struct hdrs *h = ctx;

	if (!strcmp(name, "content-type"))
		return h->ctype;
	if (!strcmp(name, "content-digest"))
		return h->digest;
	return NULL;
}

static int cmd_sign(int argc, char **argv)
{
	const char *keyp = argv[2], *id = argv[3];
	char digest[HTTPSIG_DIGEST_MAX], input[HTTPSIG_INPUT_MAX], sig[HTTPSIG_SIG_MAX];
	struct httpsig_request req;
	struct httpsig_params p;
	struct hdrs h = { "application/json", NULL };
	struct keypair kp;
	char *body = NULL;
	size_t len = 0;
	hg_time created = (hg_time)time(NULL);
	int i;

	if (keys_load(keyp, &kp))
		die(keyp, hg_error_text());
	for (i = 8; i < argc; i++)
		if (!strcmp(argv[i - 1], "--created"))
			created = (hg_time)atoll(argv[i]);	/* lint-ok: a test tool */
	if (argc > 7 && strcmp(argv[7], "--created") != 0) {
		FILE *f = fopen(argv[7], "rb");

		if (!f)
			die(argv[7], "cannot read");
		body = malloc(16 * 1024 * 1024);
		if (!body)
			die("body", "out of memory");
		len = fread(body, 1, 16 * 1024 * 1024, f);
		fclose(f);
		if (httpsig_digest(body, len, digest, sizeof digest))
			die("digest", hg_error_text());
		h.digest = digest;
	}
	memset(&req, 0, sizeof req);
	req.method = argv[4];
	req.authority = argv[5];
	{
		char *q = strchr(argv[6], '?');

		if (q) {
			*q = '\0';
			req.query = q + 1;
		}
	}
	req.path = argv[6];
	req.header = header;
	req.ctx = &h;
	memset(&p, 0, sizeof p);
	p.created = created;
	p.keyid = id;
	p.alg = HTTPSIG_ALG;
	p.tag = HTTPSIG_TAG;
	if (httpsig_sign(&req, &p, kp.sk, input, sizeof input, sig, sizeof sig))
		die("sign", hg_error_text());
	printf("Content-Type: %s\n", h.ctype);
	if (h.digest)
		printf("Content-Digest: %s\n", h.digest);
	printf("Signature-Input: %s\nSignature: %s\n", input, sig);
	free(body);
	return 0;
}

static int cmd_leaves(char **argv)
{
	struct leaves l;
	char h64[64];
	size_t i;
	sqlite3 *db = open_db(argv[2]);

	read_leaves(db, &l);
	sqlite3_close(db);
	for (i = 0; i < l.n; i++) {
		b64(l.h[i], 32, h64, sizeof h64);
		printf("%s\n", h64);
	}
	free(l.h);
	return 0;
}

static int cmd_vkey(char **argv)
{
	char origin[NOTE_NAME_MAX + 1], v[NOTE_VKEY_MAX];
	struct keypair kp;

	if (keys_load(argv[2], &kp))
		die(argv[2], hg_error_text());
	if (note_station_origin(argv[3], origin, sizeof origin) ||
	    note_vkey(origin, kp.pk, v, sizeof v))
		die("vkey", hg_error_text());
	printf("%s\n", v);
	return 0;
}

static const char *str_of(const cJSON *o, const char *name)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(o, name);

	if (!cJSON_IsString(j))
		die(name, "missing or not a string");
	return j->valuestring;
}

static long long num_of(const cJSON *o, const char *name)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(o, name);

	if (!cJSON_IsNumber(j))
		die(name, "missing or not a number");
	return (long long)j->valuedouble;
}

static void unb64(const char *t, uint8_t *out, size_t cap, size_t want, const char *what)
{
	size_t n = 0;

	if (sodium_base642bin(out, cap, t, strlen(t), NULL, &n, NULL,
			      sodium_base64_VARIANT_ORIGINAL) != 0 || n != want)
		die(what, "not the base64 of the bytes it should be");
}

static int cmd_roster(char **argv)
{
	static char text[16 * 1024 * 1024];
	struct note_verifier v;
	struct note_opened *op = malloc(sizeof *op);
	struct note_checkpoint nc;
	struct merkle_reader rd;
	struct keypair kp;
	struct leaves l;
	uint8_t prev[32] = { 0 }, h[32], root[32], sealed[32 + crypto_box_SEALBYTES], pin[32];
	uint8_t xpk[32], xsk[32];
	const cJSON *e, *evs;
	cJSON *o;
	char pin64[64];
	long long seq;
	size_t n;
	FILE *f;

	if (keys_load(argv[2], &kp))
		die(argv[2], hg_error_text());
	if (note_vkey_parse(argv[3], &v))
		die(argv[3], hg_error_text());
	f = fopen(argv[4], "rb");
	if (!f || !op)
		die(argv[4], "cannot read");
	n = fread(text, 1, sizeof text - 1, f);
	fclose(f);
	text[n] = '\0';
	o = cJSON_Parse(text);
	if (!o)
		die(argv[4], "not JSON");
	if (num_of(o, "since") != 0)
		die("since", "only an answer from version 0 can be checked whole");
	evs = cJSON_GetObjectItemCaseSensitive(o, "events");
	l.n = 0;
	l.h = malloc(((size_t)cJSON_GetArraySize(evs) + 1) * 32);
	if (!cJSON_IsArray(evs) || !l.h)
		die("events", "missing or not an array");
	seq = 0;
	cJSON_ArrayForEach(e, evs) {
		struct chain_event c;

		c.seq = num_of(e, "seq");
		c.ts = (hg_time)num_of(e, "ts");
		c.type = str_of(e, "type");
		c.load_no = num_of(e, "load_no");
		c.actor = str_of(e, "actor");
		c.detail = str_of(e, "detail");
		if (c.seq != ++seq)
			die("events", "not numbered 1, 2, ...");
		unb64(str_of(e, "prev_hash"), h, sizeof h, 32, "prev_hash");
		if (memcmp(h, prev, 32) != 0)
			die("events", "a prev_hash is not the hash of the event before");
		chain_hash(prev, &c, h);
		unb64(str_of(e, "hash"), prev, sizeof prev, 32, "hash");
		if (memcmp(h, prev, 32) != 0)
			die("events", "a hash is not its event's");
		memcpy(l.h[l.n++], h, 32);
	}
	if (seq != num_of(o, "version"))
		die("version", "not the last event's number");
	printf("chain ok %lld\n", seq);
	if (seq > 0) {
		const char *note = str_of(o, "checkpoint");

		if (note_open(note, strlen(note), &v, 1, 1, op))
			die("checkpoint", hg_error_text());
		if (note_checkpoint_parse(note, op->text_len, &nc))
			die("checkpoint", hg_error_text());
		rd.leaf = leaf_at;
		rd.node = NULL;
		rd.ctx = &l;
		if (merkle_root(&rd, (uint64_t)seq, root))
			die("root", hg_error_text());
		if ((long long)nc.size != seq || memcmp(root, nc.root, 32) != 0 ||
		    strcmp(nc.origin, v.name) != 0)
			die("checkpoint", "not the plant's checkpoint of these events");
		printf("checkpoint ok %llu\n", (unsigned long long)nc.size);
	}
	unb64(str_of(o, "pin_key_sealed"), sealed, sizeof sealed, sizeof sealed, "pin_key_sealed");
	if (crypto_sign_ed25519_pk_to_curve25519(xpk, kp.pk) != 0 ||
	    crypto_sign_ed25519_sk_to_curve25519(xsk, kp.sk) != 0 ||
	    crypto_box_seal_open(pin, sealed, sizeof sealed, xpk, xsk) != 0)
		die("pin_key_sealed", "does not open with the station's key");
	b64(pin, sizeof pin, pin64, sizeof pin64);
	printf("pin_key %s\n", pin64);
	cJSON_Delete(o);
	free(l.h);
	free(op);
	return 0;
}

int main(int argc, char **argv)
{
	if (sodium_init() < 0)
		die("libsodium", "will not start");
	if (argc >= 7 && !strcmp(argv[1], "batch"))
		return cmd_batch(argc, argv);
	if (argc >= 7 && !strcmp(argv[1], "sign"))
		return cmd_sign(argc, argv);
	if (argc == 3 && !strcmp(argv[1], "leaves"))
		return cmd_leaves(argv);
	if (argc == 4 && !strcmp(argv[1], "vkey"))
		return cmd_vkey(argv);
	if (argc == 5 && !strcmp(argv[1], "roster"))
		return cmd_roster(argv);
	fprintf(stderr, "usage: sync_batch batch DB KEY ID FROM TO [--bad-root]\n"
		"       sync_batch sign KEY ID METHOD AUTHORITY PATH [BODYFILE] [--created T]\n"
		"       sync_batch leaves DB\n       sync_batch vkey KEY ID\n"
		"       sync_batch roster KEY PLANT_VKEY FILE\n");
	return 2;
}
