/* bench_print.c: a receipt from the load to the printer's bytes, against its
 * budget (issue 4: receipt render + QR + ESC/POS encoding <= 15 ms).
 *
 *   print.receipt_<width>  one whole receipt at 384 (58 mm) and 576 (80 mm)
 *                          dots: compose the text and sign the QR
 *                          (core/receipt.c), render text and QR to 1 bit
 *                          (FreeType, libqrencode), encode as ESC/POS with a
 *                          cut; median and p95 of RUNS runs, after one cold
 *                          run (font opened and sized), printed on its own
 *
 * Prints one line per figure ending in OK or OVER; no asserts, exit 0 unless
 * the bench itself cannot run.  The key is made in a folder under $TMPDIR
 * (or /tmp), removed at the end. */
#include "bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "../../core/receipt.h"
#include "../../core/report.h"
#include "../../host/keyfile.h"
#include "../../core/text.h"
#include "../../drivers/raster.h"

#define RUNS 200
#define GOAL_MS 15.0

/* The demo-like load of tests/unit/test_receipt.c, two sources. */
static void make_load(struct load_rec *l)
{
	struct manifest *m = &l->m;

	memset(l, 0, sizeof *l);
	l->load_no = 123456;
	snprintf(l->station, sizeof l->station, "demo-01");
	snprintf(m->company, sizeof m->company, "Acme Septic & Grease LLC");
	snprintf(m->company_address, sizeof m->company_address, "12 Main St, Springfield");
	snprintf(m->driver, sizeof m->driver, "Jos\xc3\xa9 N\xc3\xba\xc3\xb1" "ez");
	snprintf(m->permit, sizeof m->permit, "SP-2026/07");
	snprintf(m->truck, sizeof m->truck, "CO ABC-123");
	m->n_sources = 2;
	snprintf(m->sources[0].name, sizeof m->sources[0].name, "Smith residence");
	snprintf(m->sources[0].address, sizeof m->sources[0].address, "4 Elm Rd, Shelbyville");
	snprintf(m->sources[0].industry, sizeof m->sources[0].industry, "residential");
	snprintf(m->sources[1].name, sizeof m->sources[1].name, "Blue Diner");
	snprintf(m->sources[1].address, sizeof m->sources[1].address, "9 Oak Ave, 80401");
	snprintf(m->sources[1].industry, sizeof m->sources[1].industry, "restaurant");
	m->waste = WASTE_SEPTAGE;
	m->gallons = 3000;
	snprintf(m->characteristics, sizeof m->characteristics, "Dark, septic odour");
	snprintf(m->constituents, sizeof m->constituents, "none");
	m->rcra = RCRA_NO;
	snprintf(m->signer, sizeof m->signer, "Jos\xc3\xa9 N\xc3\xba\xc3\xb1" "ez");
	l->lang = LANG_EN;
	l->d.verdict = VERDICT_ACCEPTED;
	l->t.decided = 1772471700;
	l->gallons_measured = 2950;
}

/* One receipt, load to bytes; 0 or -1. */
static int one(const struct keypair *kp, const struct load_rec *ld, int width, char *text,
	       size_t cap)
{
	char qr[QR_MAX];
	struct print_job job = { PRINT_RECEIPT, "load-123456", text, qr };
	struct raster r;
	uint8_t *bytes;
	size_t n;

	if (receipt_qr(kp, "https://potw.example.org/r", ld, qr) != HG_OK ||
	    receipt_text(ld, NULL, LANG_EN, 0, text, cap) < 0)
		return -1;
	if (raster_render(&job, width, &r) != HG_OK) {
		fprintf(stderr, "bench_print: %s\n", raster_error());
		return -1;
	}
	if (escpos_encode(&r, 1, &bytes, &n) != HG_OK) {
		raster_free(&r);
		return -1;
	}
	free(bytes);
	raster_free(&r);
	return 0;
}

int main(void)
{
	static const int widths[] = { 384, 576 };
	static double t[RUNS];
	static char text[32768];
	char dir[512], path[600], pub[610];
	struct load_rec *ld;
	struct keypair kp;
	const char *base = getenv("TMPDIR");
	int status = 1;

	if (sodium_init() < 0)
		return 1;
	snprintf(dir, sizeof dir, "%s/hg-bench-print-XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(dir)) {
		fprintf(stderr, "bench_print: cannot make a folder under %s\n", dir);
		return 1;
	}
	snprintf(path, sizeof path, "%s/station.key", dir);
	ld = calloc(1, sizeof *ld);
	if (!ld || keys_create(path, &kp) != HG_OK) {
		fprintf(stderr, "bench_print: %s\n", ld ? hg_error_text() : "out of memory");
		goto out;
	}
	make_load(ld);
	for (size_t w = 0; w < sizeof widths / sizeof widths[0]; w++) {
		double t0 = bench_now_s(), cold, med, p95;

		if (one(&kp, ld, widths[w], text, sizeof text) < 0)
			goto out;
		cold = (bench_now_s() - t0) * 1e3;
		for (int i = 0; i < RUNS; i++) {
			t0 = bench_now_s();
			if (one(&kp, ld, widths[w], text, sizeof text) < 0)
				goto out;
			t[i] = bench_now_s() - t0;
		}
		med = bench_quantile(t, RUNS, 0.5) * 1e3;
		p95 = bench_quantile(t, RUNS, 0.95) * 1e3;
		printf("print.receipt_%d   median %.2f ms  p95 %.2f ms  first %.1f ms (font opened)  "
		       "over %d runs  (goal <= %.0f ms)  %s\n", widths[w], med, p95, cold, RUNS,
		       GOAL_MS, p95 <= GOAL_MS ? "OK" : "OVER");
	}
	status = 0;
out:
	unlink(path);
	snprintf(pub, sizeof pub, "%s.pub", path);
	unlink(pub);
	rmdir(dir);
	free(ld);
	sodium_memzero(&kp, sizeof kp);
	return status;
}
