/* test_slip.c: composing a slip (station/slip.c), and how it says why one
 * cannot be composed: through the one reporting channel (hg_fail(), read
 * with hg_error_text()), naming the slip and the step that failed.
 *
 * The rows fail before the store is read (no summary here: a day's
 * summary is tests/unit/test_store_day.c's and the scenarios'), so no
 * database is opened; the station's key is all zeros, which signs as well
 * as any. */
#include "testutil.h"

#include "../../core/hg.h"
#include "../../core/report.h"
#include "../../station/slip.h"

static void test_compose_words(void **state)
{
	static struct slip slip;
	static const struct {
		enum print_kind kind;
		int has_load;		/* 0: ld NULL */
		long long load_no;
		int want;
		const char *words;
	} rows[] = {
		/* a receipt needs its load */
		{ PRINT_RECEIPT, 0, 0, HG_EINVAL, "cannot compose a receipt slip without its load" },
		/* a load the store never numbered: its QR cannot be signed */
		{ PRINT_RECEIPT, 1, 0, HG_EINVAL,
		  "cannot compose the receipt slip of load 0: signing its QR failed" },
		/* a label of a load never sampled: no QR, no label */
		{ PRINT_LABEL, 1, 5, HG_EINVAL,
		  "cannot compose the label slip of load 5: signing its QR failed" },
		/* a kind the composer does not make */
		{ PRINT_TEST, 1, 5, HG_EINVAL, "no slip of kind 'test' is composed here" },
		/* a refusal slip composes, and says nothing */
		{ PRINT_REFUSAL, 1, 5, HG_OK, "" },
	};
	struct config cfg = { 0 };
	struct keypair kp = { 0 };
	struct load_rec ld = { 0 };

	(void)state;
	snprintf(cfg.verify_base, sizeof cfg.verify_base, "https://potw.example.org/r");
	snprintf(ld.station, sizeof ld.station, "plant-01");
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		int rc;

		ld.load_no = rows[i].load_no;
		hg_fail(HG_EIO, "old words, from before");
		rc = slip_compose(&slip, rows[i].kind, rows[i].has_load ? &ld : NULL, 0, LANG_EN,
				  &cfg, &kp, NULL, 1795442531);
		if (rc != rows[i].want || strcmp(hg_error_text(), rows[i].words) != 0)
			fail_msg("row %zu: %d \"%s\", want %d \"%s\"", i, rc, hg_error_text(),
				 rows[i].want, rows[i].words);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compose_words),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
