/* test_sync_export.c: sync_export() (station/sync.c), the log written as
 * the batches a round would POST: contiguous, each at most SYNC_BATCH_MAX
 * events and SYNC_BODY_MAX bytes, each with the station's checkpoint of the
 * log up to its last event (its signature, its root the store's); ranges
 * outside the log refused.  The plant's side of the same files:
 * tests/cli/test_sync_export.sh (haulgate-potw import). */
#include "testutil.h"

#include <cjson/cJSON.h>

#include "../../core/merkle.h"
#include "../../core/note.h"
#include "../../core/report.h"
#include "../../station/sync.h"

#define NOW 1764921600LL	/* 2025-12-05 08:00 UTC */

/* n events into st, their details of len bytes */
static void fill(struct store *st, int n, size_t len)
{
	static char detail[STORE_DETAIL_MAX];
	struct event_in ev = { .ts = NOW, .type = "test", .actor = "cli:test",
			       .detail = detail };

	assert_true(len >= 16 && len < sizeof detail);
	memset(detail, 'x', len);
	memcpy(detail, "{\"note\":\"", 9);
	memcpy(detail + len - 2, "\"}", 3);
	for (int i = 0; i < n; i++)
		assert_int_equal(store_event_batch(st, &ev, 1), HG_OK);
}

/* Export from..to of st into a file and check every line; the number of
 * lines. */
static int check_export(struct store *st, const struct config *cfg, const struct keypair *kp,
			const char *path, long long from, long long to)
{
	struct merkle_reader rd = { .leaf = store_merkle_leaf, .ctx = st };
	static char line[SYNC_BODY_MAX + 2];
	struct note_verifier v;
	long long events = 0, next = from;
	int batches = 0, lines = 0;
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(sync_export(cfg, st, kp, from, to, f, &events, &batches), HG_OK);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(events, to - from + 1);
	memset(&v, 0, sizeof v);
	assert_int_equal(note_station_origin(cfg->station_id, v.name, sizeof v.name), HG_OK);
	memcpy(v.pk, kp->pk, 32);
	v.id = note_key_id(v.name, v.pk);
	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof line, f)) {
		size_t len = strlen(line);
		cJSON *j = cJSON_Parse(line);
		const cJSON *evs = cJSON_GetObjectItemCaseSensitive(j, "events");
		const cJSON *cp = cJSON_GetObjectItemCaseSensitive(j, "checkpoint");
		const cJSON *e;
		struct note_opened o;
		struct note_checkpoint nc;
		uint8_t root[32];

		assert_true(len > 0 && line[len - 1] == '\n' && len - 1 <= SYNC_BODY_MAX);
		assert_non_null(j);
		assert_int_equal((long long)cJSON_GetObjectItemCaseSensitive(j, "from")->valuedouble,
				 next);
		assert_true(cJSON_GetArraySize(evs) >= 1 &&
			    cJSON_GetArraySize(evs) <= SYNC_BATCH_MAX);
		cJSON_ArrayForEach(e, evs)
			assert_int_equal((long long)cJSON_GetObjectItemCaseSensitive(e, "seq")->valuedouble,
					 next++);
		assert_true(cJSON_IsString(cp));
		assert_int_equal(note_open(cp->valuestring, strlen(cp->valuestring), &v, 1, 1, &o),
				 HG_OK);
		assert_int_equal(note_checkpoint_parse(cp->valuestring, o.text_len, &nc), HG_OK);
		assert_int_equal((long long)nc.size, next - 1);
		assert_int_equal(merkle_root(&rd, nc.size, root), HG_OK);
		assert_memory_equal(root, nc.root, 32);
		cJSON_Delete(j);
		lines++;
	}
	fclose(f);
	assert_int_equal(next, to + 1);
	assert_int_equal(lines, batches);
	return lines;
}

static void test_export(void **state)
{
	static struct config cfg;
	char dir[256], path[300], out[300];
	struct keypair kp;
	struct store *st;
	long long events;
	int batches;
	FILE *f;

	(void)state;
	assert_int_equal(tu_tmpdir(dir, sizeof dir, "sync-export"), 0);
	snprintf(path, sizeof path, "%s/st.db", dir);
	snprintf(out, sizeof out, "%s/log.jsonl", dir);
	config_defaults(&cfg);
	snprintf(cfg.station_id, sizeof cfg.station_id, "test-01");	/* no [sync] needed */
	assert_int_equal(keys_generate(&kp), HG_OK);
	assert_int_equal(store_open(&st, path, 1), HG_OK);
	fill(st, 2500, 40);

	/* the whole log: 1,000, 1,000, 500 */
	assert_int_equal(check_export(st, &cfg, &kp, out, 1, 2500), 3);
	/* a part: one batch, its checkpoint the log's up to its end */
	assert_int_equal(check_export(st, &cfg, &kp, out, 1001, 1500), 1);
	assert_int_equal(check_export(st, &cfg, &kp, out, 2500, 2500), 1);
	/* outside the log */
	f = fopen(out, "w");
	assert_non_null(f);
	assert_int_equal(sync_export(&cfg, st, &kp, 0, 10, f, &events, &batches), HG_EINVAL);
	assert_int_equal(sync_export(&cfg, st, &kp, 11, 10, f, &events, &batches), HG_EINVAL);
	assert_int_equal(sync_export(&cfg, st, &kp, 1, 2501, f, &events, &batches), HG_EINVAL);
	assert_int_equal(sync_export(&cfg, st, &kp, 2501, 0, f, &events, &batches), HG_EINVAL);
	assert_non_null(strstr(hg_error_text(), "the log holds events 1 to 2500"));
	fclose(f);

	/* big events: a batch ends before its body would pass SYNC_BODY_MAX (1,000
	 * of 8,000 bytes would be one batch otherwise) */
	fill(st, 1000, 8000);
	assert_true(check_export(st, &cfg, &kp, out, 2501, 3500) >= 2);
	store_close(st);
	tu_rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_export),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
