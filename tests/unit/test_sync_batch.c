/* test_sync_batch.c: station/sync_batch.c, a batch's body written straight
 * into a buffer.  What it writes must be what the cJSON tree the station
 * built before printed, byte for byte (the plant parses it with cJSON and
 * hashes the texts it reads back): each hostile string against
 * cJSON_PrintUnformatted() and read back by cJSON_Parse(); whole batches of
 * hostile events against a reference builder of cJSON objects (the old
 * one, kept here), cut at the same events; the buffer's cap. */
#include "testutil.h"

#include <cjson/cJSON.h>
#include <sodium.h>

#include "../../core/keys.h"
#include "../../core/note.h"
#include "../../core/report.h"
#include "../../station/sync.h"
#include "../../station/sync_int.h"

#define NOW 1764921600LL	/* 2025-12-05 08:00 UTC */

/* ---- one string ---- */

/* s (n bytes) written by sync_json_string() equals cJSON's printing of it,
 * and cJSON reads back s up to its first NUL. */
static void check_string(const char *s, size_t n)
{
	struct sync_buf b = { .max = 1 << 20 };
	char *copy = calloc(1, n + 1), *want;
	cJSON *str, *back;

	assert_non_null(copy);
	memcpy(copy, s, n);
	str = cJSON_CreateString(copy);
	assert_non_null(str);
	want = cJSON_PrintUnformatted(str);
	assert_non_null(want);
	assert_int_equal(sync_json_string(&b, s, n), 0);
	assert_int_equal(b.len, strlen(want));
	assert_memory_equal(b.p, want, b.len);
	back = cJSON_Parse(b.p);
	assert_true(cJSON_IsString(back));
	assert_string_equal(back->valuestring, copy);
	cJSON_Delete(back);
	cJSON_free(want);
	cJSON_Delete(str);
	sync_buf_free(&b);
	free(copy);
}

static void test_json_string(void **state)
{
	static const struct {
		const char *s;
		size_t n;	/* 0: strlen */
	} rows[] = {
		{ "", 0 },				/* nothing */
		{ "plain words", 0 },			/* nothing to escape */
		{ "\"", 0 },				/* a quote alone */
		{ "say \"hi\" \"\"", 0 },		/* quotes, two together */
		{ "\\", 0 },				/* a backslash alone */
		{ "C:\\new\\table \\\\ \\\"", 0 },	/* backslashes before letters and quotes */
		{ "\b\f\n\r\t", 0 },			/* the five short escapes */
		{ "\x01\x02\x1e\x1f", 0 },		/* other controls: \u00XX, lowercase */
		{ "a\x7f" "b", 0 },			/* DEL is not a control to JSON: as it is */
		{ "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80", 0 },	/* UTF-8, 2 to 4 bytes */
		{ "\xe2\x80\xa8\xe2\x80\xa9", 0 },	/* U+2028, U+2029: as they are */
		{ "\xff\xfe\xc3", 0 },			/* not UTF-8: the bytes as they are */
		{ "</script><!--", 0 },			/* HTML's troubles are not JSON's */
		{ "{\"n\":1,\"t\":\"a\\\"b\"}", 0 },	/* a detail: JSON inside JSON */
		{ "cut\0here", 9 },			/* a NUL ends the text, as in cJSON */
		{ "\"\\\n\x01\xc3\xa9", 0 },		/* every kind, side by side */
	};
	char all[256];

	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++)
		check_string(rows[i].s, rows[i].n ? rows[i].n : strlen(rows[i].s));
	for (int c = 1; c < 256; c++)		/* every byte but NUL */
		all[c - 1] = (char)c;
	check_string(all, 255);
	for (int c = 1; c < 256; c++) {		/* each byte alone, first and last */
		char one[3] = { (char)c, 'x', (char)c };

		check_string(one, 1);
		check_string(one, 3);
	}
}

/* ---- whole batches ---- */

/* The old builder: a cJSON tree per batch, the same cut rule. */
struct ref {
	cJSON *events;
	struct merkle_range range;
	size_t bytes;
	long long n;
};

static int b64(cJSON *o, const char *name, const uint8_t h[32])
{
	char t[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_ORIGINAL)];

	sodium_bin2base64(t, sizeof t, h, 32, sodium_base64_VARIANT_ORIGINAL);
	return cJSON_AddStringToObject(o, name, t) ? 0 : -1;
}

static int ref_event(void *arg, const struct store_event_row *ev)
{
	struct ref *b = arg;
	size_t est = 320 + 2 * (ev->detail_len + strlen(ev->actor));
	cJSON *o;
	uint8_t leaf[32];

	if (b->n > 0 && b->bytes + est > SYNC_BODY_MAX - NOTE_MAX)
		return 1;
	o = cJSON_CreateObject();
	cJSON_AddItemToArray(b->events, o);
	cJSON_AddNumberToObject(o, "seq", (double)ev->seq);
	cJSON_AddNumberToObject(o, "ts", (double)ev->ts);
	cJSON_AddStringToObject(o, "type", ev->type);
	cJSON_AddNumberToObject(o, "load_no", (double)ev->load_no);
	cJSON_AddStringToObject(o, "actor", ev->actor);
	cJSON_AddStringToObject(o, "detail", ev->detail);
	b64(o, "prev_hash", ev->prev_hash);
	b64(o, "hash", ev->hash);
	merkle_leaf_hash(ev->hash, leaf);
	assert_int_equal(merkle_range_append(&b->range, leaf, NULL, NULL), HG_OK);
	b->bytes += est;
	b->n++;
	return 0;
}

/* The reference body of the batch from event from (max events), malloc'd;
 * *n its events, *edge its right edge. */
static char *ref_batch(struct store *st, const char *origin, const uint8_t *sk, long long from,
		       const struct merkle_range *start, long long max, long long *n,
		       struct merkle_range *edge)
{
	char text[NOTE_MAX], note[NOTE_MAX];
	struct ref b = { .range = *start };
	cJSON *body = cJSON_CreateObject();
	uint8_t root[32];
	size_t tlen, nlen;
	char *out;
	int rc;

	cJSON_AddNumberToObject(body, "from", (double)from);
	b.events = cJSON_AddArrayToObject(body, "events");
	rc = store_events_read(st, from, max, ref_event, &b, NULL);
	assert_true(rc == 0 || rc == 1);
	merkle_range_root(&b.range, root);
	assert_int_equal(note_checkpoint_text(origin, b.range.size, root, text, sizeof text, &tlen),
			 HG_OK);
	assert_int_equal(note_sign(text, tlen, origin, sk, note, sizeof note, &nlen), HG_OK);
	cJSON_AddStringToObject(body, "checkpoint", note);
	out = cJSON_PrintUnformatted(body);
	cJSON_Delete(body);
	*n = b.n;
	*edge = b.range;
	return out;
}

/* n events into st: details (JSON objects, as the store takes them) whose
 * texts are hostile, so their JSON holds quotes, backslashes and escapes
 * to escape again; hostile actors; times and load numbers across the
 * 32-bit edges; a pad of len bytes */
static void fill_hostile(struct store *st, int n, size_t len)
{
	static const char *const text[] = {
		"q\"uote", "back\\slash", "ctl\x01\x02\x1f\x7f", "tab\tnl\nret\rbs\bff\f",
		"caf\xc3\xa9 \xe6\x97\xa5 \xf0\x9f\x98\x80", "\xe2\x80\xa8", "\xff\xfe", "\"\\\"\\\\",
	};
	static const char *const actor[] = {
		"cli:test", "cli:t\"e\\st", "plant:caf\xc3\xa9", "operator:\xe6\x97\xa5",
	};
	static const long long ts[] = { NOW, 2147483647LL, 2147483648LL, 4102444800LL, 0 };
	struct event_in ev[100];
	char *detail[100], *pad = malloc(len + 1);
	int k = 0;

	assert_non_null(pad);
	memset(pad, 'x', len);
	pad[len] = '\0';
	for (int i = 0; i < n; i++) {
		cJSON *d = cJSON_CreateObject();

		cJSON_AddNumberToObject(d, "n", i);
		cJSON_AddStringToObject(d, "t", text[i % HG_ARRAY_LEN(text)]);
		cJSON_AddStringToObject(d, "pad", pad);
		detail[k] = cJSON_PrintUnformatted(d);
		cJSON_Delete(d);
		ev[k] = (struct event_in){ .ts = (hg_time)ts[i % HG_ARRAY_LEN(ts)], .type = "note",
					   .load_no = i % 3 ? 0 : 2147483648LL + i,
					   .actor = actor[i % HG_ARRAY_LEN(actor)], .detail = detail[k] };
		if (++k < (int)HG_ARRAY_LEN(ev) && i + 1 < n)
			continue;
		if (store_event_batch(st, ev, (size_t)k) != HG_OK)	/* a transaction a 100 */
			fail_msg("events to %d: %s", i, hg_error_text());
		while (k > 0)
			cJSON_free(detail[--k]);
	}
	free(pad);
}

/* Every batch of st's log from from on, written and by the reference:
 * the same bytes, the same events, the same edge; the bodies parse.  The
 * number of batches. */
static int check_batches(struct store *st, const char *origin, const uint8_t *sk, long long from,
			 long long max)
{
	struct merkle_reader rd = { .leaf = store_merkle_leaf, .ctx = st };
	struct sync_buf body = { .max = SYNC_BODY_MAX };
	struct merkle_range edge, ref_edge;
	struct sync_batch b;
	long long size, n;
	uint8_t head[32], root[32];
	int batches = 0;

	assert_int_equal(store_event_head(st, &size, head), HG_OK);
	assert_int_equal(merkle_range_load(&edge, &rd, (uint64_t)(from - 1)), HG_OK);
	while ((long long)edge.size < size) {
		char *want = ref_batch(st, origin, sk, (long long)edge.size + 1, &edge, max, &n,
				       &ref_edge);
		cJSON *j;

		assert_int_equal(sync_batch_build(st, origin, sk, (long long)edge.size + 1, &edge,
						  max, &body, &b, root), HG_OK);
		assert_int_equal(b.n, n);
		assert_int_equal(body.len, strlen(want));
		assert_memory_equal(body.p, want, body.len);
		assert_memory_equal(&b.range, &ref_edge, sizeof ref_edge);
		j = cJSON_ParseWithLength(body.p, body.len);
		assert_true(cJSON_IsObject(j));
		cJSON_Delete(j);
		cJSON_free(want);
		edge = b.range;
		batches++;
	}
	/* past the end: no event, an empty body */
	assert_int_equal(sync_batch_build(st, origin, sk, size + 1, &edge, max, &body, &b, root),
			 HG_OK);
	assert_int_equal(b.n, 0);
	assert_int_equal(body.len, 0);
	sync_buf_free(&body);
	return batches;
}

/* A station test-01 in a fresh folder dir[256]: its key, its log's
 * origin, its store with n hostile events of a pad of len bytes. */
static struct store *station(char *dir, struct keypair *kp, char origin[NOTE_NAME_MAX + 1],
			     int n, size_t len)
{
	char path[300];
	struct store *st;

	assert_int_equal(tu_tmpdir(dir, 256, "sync-batch"), 0);
	snprintf(path, sizeof path, "%s/st.db", dir);
	assert_int_equal(keys_generate(kp), HG_OK);
	assert_int_equal(note_station_origin("test-01", origin, NOTE_NAME_MAX + 1), HG_OK);
	assert_int_equal(store_open(&st, path, 1), HG_OK);
	fill_hostile(st, n, len);
	return st;
}

static void test_batches(void **state)
{
	char dir[256], origin[NOTE_NAME_MAX + 1];
	struct keypair kp;
	struct store *st;

	(void)state;
	st = station(dir, &kp, origin, 2345, 20);
	/* batches of 1,000, 1,000, 345; of 7 from the middle */
	assert_int_equal(check_batches(st, origin, kp.sk, 1, SYNC_BATCH_MAX), 3);
	assert_int_equal(check_batches(st, origin, kp.sk, 2301, 7), 7);
	/* big events: cut by the size estimate, where the old builder cut */
	fill_hostile(st, 1100, 7900);
	assert_int_equal(check_batches(st, origin, kp.sk, 2346, SYNC_BATCH_MAX), 3);
	store_close(st);
	tu_rmtree(dir);
}

/* ---- the cap ---- */

static void test_cap(void **state)
{
	struct sync_buf b = { .max = 8 };
	char dir[256], origin[NOTE_NAME_MAX + 1];
	struct merkle_range start = { 0 };
	struct sync_batch sb;
	struct keypair kp;
	struct store *st;
	uint8_t root[32];

	(void)state;
	assert_int_equal(sync_buf_add(&b, "12345678", 8), 0);	/* up to max */
	assert_int_equal(b.over, 0);
	assert_int_equal(sync_buf_add(&b, "9", 1), -1);		/* past it: refused, kept */
	assert_int_equal(b.over, 1);
	assert_int_equal(b.len, 8);
	assert_string_equal(b.p, "12345678");
	sync_buf_free(&b);
	assert_int_equal(sync_json_string(&b, "\"\"\"\"", 4), -1);	/* 10 bytes escaped */
	assert_int_equal(b.over, 1);
	sync_buf_free(&b);

	/* a body that cannot take its one event: refused with the words */
	st = station(dir, &kp, origin, 1, 200);
	b.max = 100;
	assert_int_equal(sync_batch_build(st, origin, kp.sk, 1, &start, 10, &b, &sb, root),
			 HG_ETOOLONG);
	assert_non_null(strstr(hg_error_text(), "the batch from event 1 is over"));
	assert_int_equal(sb.n, 0);
	sync_buf_free(&b);
	store_close(st);
	tu_rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_string),
		cmocka_unit_test(test_batches),
		cmocka_unit_test(test_cap),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
