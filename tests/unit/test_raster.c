/* test_raster.c: unit tests of drivers/raster.c, with the real font, the
 * real QR encoder and the real QR reader.
 *
 * A receipt and a bottle label of a demo-like load (the load test_receipt.c
 * uses) are rendered at 384 and 576 dots, encoded as ESC/POS, decoded back
 * and compared bit for bit with the render; the decoded image is written as
 * PBM, turned into PNG by ImageMagick's convert and read by zbarimg, and the
 * text it reads must be the signed QR, whose signature must verify.  Then
 * the text that must not break it (a 5,000-character field, broken UTF-8,
 * control characters), where each character lands (its cell of the column
 * grid, its line), the fonts it must refuse, and the inputs it must refuse.  zbarimg and convert
 * are required: without them the test fails and says to run
 * `scripts/deps.sh test`.  Start reading at main(). */
#include "testutil.h"
#include "fixture_load.h"

#include <stdint.h>
#include <sys/wait.h>
#include <time.h>

#include <sodium.h>

#include "../../core/receipt.h"
#include "../../core/text.h"
#include "../../drivers/raster.h"

static struct load_fixture fx;
static char slip[32768];

/* The load of test_receipt.c, sampled: a receipt and a bottle label. */
static void make_load(struct load_rec *l)
{
	fixture_load_make(l);
	l->d.verdict = VERDICT_SAMPLE_HOLD;
	l->t.sampled = 1772472000;
	l->sampled_by = 3;
	FIXTURE_SET(l->bottle, "B-2026-0042");
	FIXTURE_SET(l->sampler, "Maria Ortega");
	l->gallons_measured = 2950;
}

static int have(const char *tool)
{
	char cmd[256];

	snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", tool);
	return system(cmd) == 0;
}

static int setup(void **state)
{
	(void)state;
	return fixture_load_setup(&fx, "raster");
}

static int teardown(void **state)
{
	(void)state;
	fixture_load_teardown(&fx);
	return 0;
}

static int each(void **state)
{
	(void)state;
	make_load(fx.ld);
	return 0;
}

static long black_dots(const struct raster *r)
{
	long n = 0;

	for (size_t i = 0; i < (size_t)r->height * (size_t)r->stride; i++)
		n += __builtin_popcount(r->bits[i]);
	return n;
}

/* Render job at width, encode (with cut), decode, and check the decoded
 * image is the render bit for bit and the bytes are the commands we mean.
 * Leaves the decoded image in *dec. */
static void roundtrip(const struct print_job *job, int width, struct raster *dec)
{
	struct raster r;
	uint8_t *bytes = NULL;
	size_t n = 0, i, bands = 0;

	assert_int_equal(raster_render(job, width, &r), HG_OK);
	assert_int_equal(r.width, width);
	assert_int_equal(r.stride, width / 8);
	assert_true(r.height > 100);
	assert_true(black_dots(&r) > 1000);
	assert_int_equal(escpos_encode(&r, 1, &bytes, &n), HG_OK);
	assert_true(n > (size_t)r.height * (size_t)r.stride);
	assert_memory_equal(bytes, "\x1b@", 2);			/* ESC @ */
	assert_memory_equal(bytes + n - 7, "\x1b" "d\x04\x1dV\x42\x00", 7);	/* feed, cut */
	/* every GS v 0 band is at most 255 rows of the full width */
	for (i = 2; i + 8 <= n - 7;) {
		int xb, h;

		assert_memory_equal(bytes + i, "\x1dv0\x00", 4);
		xb = bytes[i + 4] | bytes[i + 5] << 8;
		h = bytes[i + 6] | bytes[i + 7] << 8;
		assert_int_equal(xb, width / 8);
		assert_true(h >= 1 && h <= 255);
		i += 8 + (size_t)xb * (size_t)h;
		bands++;
	}
	assert_int_equal(i, n - 7);
	assert_int_equal(bands, ((size_t)r.height + 254) / 255);

	assert_int_equal(escpos_decode(bytes, n, dec), HG_OK);
	assert_int_equal(dec->width, r.width);
	assert_int_equal(dec->height, r.height);
	assert_int_equal(dec->stride, r.stride);
	assert_memory_equal(dec->bits, r.bits, (size_t)r.height * (size_t)r.stride);
	free(bytes);
	raster_free(&r);
}

/* The text zbarimg reads from r, into out[cap]; fails the test when the
 * tools are missing or nothing is read. */
static void read_qr(const struct raster *r, const char *tag, char *out, size_t cap)
{
	char pbm[700], png[700], cmd[2200];
	FILE *p;
	size_t n;
	int st;

	if (!have("zbarimg") || !have("convert"))
		fail_msg("zbarimg or ImageMagick convert is missing: run scripts/deps.sh test");
	snprintf(pbm, sizeof pbm, "%s/%s.pbm", fx.dir, tag);
	snprintf(png, sizeof png, "%s/%s.png", fx.dir, tag);
	assert_int_equal(raster_write_pbm(r, pbm), HG_OK);
	snprintf(cmd, sizeof cmd, "convert '%s' '%s'", pbm, png);
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof cmd, "zbarimg --nodbus -q --raw '%s'", png);
	p = popen(cmd, "r");
	assert_non_null(p);
	n = fread(out, 1, cap - 1, p);
	st = pclose(p);
	out[n] = '\0';
	while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == '\r'))
		out[--n] = '\0';
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		fail_msg("zbarimg read no QR from %s (exit %d)", png, WEXITSTATUS(st));
}

/* The receipt at 58 and 80 mm: round trip, QR read back, signature good. */
static void test_receipt_qr(void **state)
{
	static const int widths[] = { 384, 576 };
	char qr[QR_MAX], got[QR_MAX + 64], tag[32];
	struct print_job job = { PRINT_RECEIPT, "load-000042", slip, qr };
	struct qr_fields f;
	const char *diff = NULL;

	(void)state;
	assert_int_equal(receipt_qr(&fx.kp, "https://plant.example.org/r", fx.ld, qr), HG_OK);
	assert_true(receipt_text(fx.ld, NULL, LANG_ES, 0, slip, sizeof slip) > 0);
	for (size_t i = 0; i < HG_ARRAY_LEN(widths); i++) {
		struct raster dec;

		roundtrip(&job, widths[i], &dec);
		snprintf(tag, sizeof tag, "receipt-%d", widths[i]);
		read_qr(&dec, tag, got, sizeof got);
		assert_string_equal(got, qr);
		assert_int_equal(receipt_qr_verify(fx.kp.pk, got, &f), HG_OK);
		assert_true(receipt_qr_matches(&f, fx.ld, &diff));
		raster_free(&dec);
	}
}

/* The bottle label: its own QR, read back, verified as a label and refused
 * as a receipt. */
static void test_label_qr(void **state)
{
	static const int widths[] = { 384, 576 };
	char qr[QR_MAX], got[QR_MAX + 64], tag[32];
	struct print_job job = { PRINT_LABEL, "load-000042", slip, qr };
	struct label_fields lf;
	struct qr_fields f;

	(void)state;
	assert_int_equal(receipt_label_qr(&fx.kp, "https://plant.example.org/r", fx.ld, qr), HG_OK);
	assert_true(receipt_label_text(fx.ld, slip, sizeof slip) > 0);
	for (size_t i = 0; i < HG_ARRAY_LEN(widths); i++) {
		struct raster dec;

		roundtrip(&job, widths[i], &dec);
		snprintf(tag, sizeof tag, "label-%d", widths[i]);
		read_qr(&dec, tag, got, sizeof got);
		assert_string_equal(got, qr);
		assert_int_equal(receipt_label_qr_verify(fx.kp.pk, got, &lf), HG_OK);
		assert_string_equal(lf.bottle, "B-2026-0042");
		assert_int_equal(lf.load_no, 42);
		assert_int_equal(lf.sampler, 3);
		assert_int_equal(lf.t, fx.ld->t.sampled);
		assert_int_equal(receipt_qr_verify(fx.kp.pk, got, &f), HG_EINVAL);
		raster_free(&dec);
	}
}

/* Text that must render, not crash: wrapped, never cut. */
static void test_hostile_text(void **state)
{
	static const struct {
		const char *what;
		const char *text;
	} rows[] = {
		/* broken UTF-8: a lone continuation byte, a truncated sequence,
		 * an overlong encoding, a surrogate */
		{ "broken utf-8", "Driver: \x80\xbf Jos\xc3 \xc0\xaf \xed\xa0\x80 end\n" },
		/* control characters, escape sequences a printer would obey */
		{ "controls", "Truck: \x1b@\x1dV\x42\x00 \x07\x08\t\r\nnext line\n" },
		/* only blank lines and spaces */
		{ "blank", "\n\n   \n\n" },
	};
	struct raster r, dec;
	char *big;
	long short_h;

	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		struct print_job job = { PRINT_TEST, "t", rows[i].text, "hello" };

		assert_int_equal(raster_render(&job, 384, &r), HG_OK);
		assert_true(r.height > 0);
		raster_free(&r);
	}

	/* a 5,000-character field: wrapped onto many rows, every one drawn */
	{
		struct print_job job = { PRINT_RECEIPT, "t", "Driver: x\n", NULL };

		assert_int_equal(raster_render(&job, 384, &r), HG_OK);
		short_h = r.height;
		raster_free(&r);
	}
	big = malloc(5000 + 16);
	assert_non_null(big);
	memcpy(big, "Driver: ", 8);
	for (int i = 0; i < 5000; i++)
		big[8 + i] = (char)('a' + i % 26);
	big[5008] = '\0';
	{
		struct print_job job = { PRINT_RECEIPT, "t", big, NULL };

		roundtrip(&job, 384, &dec);
		/* 5,008 characters at 42 columns: 120 rows, 119 more than one */
		assert_true(dec.height >= short_h + 100 * (short_h - 16));
		raster_free(&dec);
	}
	free(big);
}

/* Black dots in the cell of column col on text line line of r: the text
 * starts RASTER_PAD (8) rows down, lines are skip dots apart, and the
 * slip's 42 columns, adv dots wide, are centred as raster_render() centres
 * them (384 dots hold 42 of 9 dots; 576 hold 44 of 13, 42 of them used). */
static long cell_ink(const struct raster *r, int adv, int skip, int line, int col)
{
	int x0 = (r->width - 42 * adv) / 2 + col * adv, y0 = 8 + line * skip;
	long n = 0;

	for (int y = y0; y < y0 + skip && y < r->height; y++)
		for (int x = x0; x < x0 + adv && x < r->width; x++)
			n += (r->bits[(size_t)y * (size_t)r->stride + (size_t)(x >> 3)] >> (7 - (x & 7))) & 1;
	return n;
}

/* Each character is drawn in its own cell of the column grid (9 dots a
 * column at 58 mm, 13 at 80 mm: docs/RECEIPTS.md), on its own line, and
 * nothing is drawn where there is no character. */
static void test_text_cells(void **state)
{
	static const struct {
		int width;
		const char *text;
		int line, col;
		int ink;			/* 1: the cell has black dots; 0: white */
	} rows[] = {
		/* a letter in the first cell, nothing in the next */
		{ 384, "M", 0, 0, 1 },
		{ 384, "M", 0, 1, 0 },
		/* the 42nd column of 58 mm paper, the first one left white */
		{ 384, "                                         M", 0, 41, 1 },
		{ 384, "                                         M", 0, 0, 0 },
		/* a new line: the first line white, the second drawn */
		{ 384, "\nM", 0, 0, 0 },
		{ 384, "\nM", 1, 0, 1 },
		/* the 43rd character wraps to the start of the next line */
		{ 384, "                                          M", 1, 0, 1 },
		{ 384, "                                          M", 0, 41, 0 },
		/* accented letters and Spanish punctuation from the font */
		{ 384, "\xc3\xb1\xc2\xbf", 0, 0, 1 },
		{ 384, "\xc3\xb1\xc2\xbf", 0, 1, 1 },
		/* a character the font lacks prints its missing-glyph box */
		{ 384, "\xe4\xb8\xad", 0, 0, 1 },
		/* 80 mm: 13-dot columns, 42 of them centred (15 dots each side):
		 * the 42nd is the last, the 43rd character wraps */
		{ 576, "M", 0, 0, 1 },
		{ 576, "                                         M", 0, 41, 1 },
		{ 576, "                                          M", 1, 0, 1 },
		{ 576, "                                          M", 0, 41, 0 },
	};
	struct raster r;

	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		struct print_job job = { PRINT_TEST, "t", "M", NULL };
		int adv = rows[i].width == 384 ? 9 : 13, skip;
		long ink;

		/* one line, no QR: 8 + skip + 8 rows */
		assert_int_equal(raster_render(&job, rows[i].width, &r), HG_OK);
		skip = r.height - 16;
		assert_true(skip >= adv && skip <= 2 * adv);
		raster_free(&r);

		job.text = rows[i].text;
		assert_int_equal(raster_render(&job, rows[i].width, &r), HG_OK);
		ink = cell_ink(&r, adv, skip, rows[i].line, rows[i].col);
		if ((ink > 0) != rows[i].ink)
			fail_msg("row %zu: line %d column %d at %d dots has %ld black dots", i,
				 rows[i].line, rows[i].col, rows[i].width, ink);
		raster_free(&r);
	}
}

/* A font that cannot be used: refused with its name, nothing drawn.  Widths
 * no other test renders at, since a width's font is kept once opened.  A
 * name without '/' is a file in the test's folder. */
static void test_bad_font(void **state)
{
	static const struct {
		int width;
		const char *font;
		const char *says;
	} rows[] = {
		/* no such file */
		{ 1024, "no-such-font", "no-such-font': cannot open resource" },
		/* a proportional font: columns would not line up */
		{ 1016, "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "not a scalable monospaced" },
		/* not a font at all */
		{ 1008, "notfont", "notfont': unknown file format" },
	};
	char path[700];
	struct print_job job = { PRINT_TEST, "t", "x", NULL };
	struct raster r;
	FILE *fp;

	(void)state;
	snprintf(path, sizeof path, "%s/notfont", fx.dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("this is not a font\n", fp);
	assert_int_equal(fclose(fp), 0);
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		if (rows[i].font[0] == '/')
			snprintf(path, sizeof path, "%s", rows[i].font);
		else
			snprintf(path, sizeof path, "%s/%s", fx.dir, rows[i].font);
		assert_int_equal(setenv("HG_PRINT_FONT", path, 1), 0);
		assert_int_equal(raster_render(&job, rows[i].width, &r), HG_EIO);
		assert_null(r.bits);
		if (!strstr(raster_error(), rows[i].says))
			fail_msg("row %zu: \"%s\" does not say \"%s\"", i, raster_error(),
				 rows[i].says);
	}
	unsetenv("HG_PRINT_FONT");
	/* and the real font at one of those widths once it is back */
	assert_int_equal(raster_render(&job, 1024, &r), HG_OK);
	raster_free(&r);
}

/* What must be refused, each with a message. */
static void test_bad_input(void **state)
{
	static const struct {
		int width;
		const char *text;
		const char *qr;
		int rc;
	} rows[] = {
		{ 0, "x", NULL, HG_EINVAL },		/* no width */
		{ 383, "x", NULL, HG_EINVAL },		/* not a multiple of 8 */
		{ 376, "x", NULL, HG_EINVAL },		/* narrower than 58 mm */
		{ 1032, "x", NULL, HG_EINVAL },		/* wider than any receipt printer */
		{ 384, NULL, NULL, HG_EINVAL },		/* no text */
		{ 384, "", NULL, HG_EINVAL },		/* nothing at all to print */
		{ 384, "", "", HG_EINVAL },		/* an empty QR is no QR */
	};
	char longqr[2001];
	struct raster r;

	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		struct print_job job = { PRINT_TEST, "t", rows[i].text, rows[i].qr };

		assert_int_equal(raster_render(&job, rows[i].width, &r), rows[i].rc);
		assert_null(r.bits);
		assert_true(raster_error()[0] != '\0');
	}
	/* a QR text too long to fit 384 dots at 3 dots a module */
	memset(longqr, 'A', sizeof longqr - 1);
	longqr[sizeof longqr - 1] = '\0';
	{
		struct print_job job = { PRINT_TEST, "t", "x", longqr };

		assert_int_equal(raster_render(&job, 384, &r), HG_ETOOLONG);
		assert_null(r.bits);
		assert_non_null(strstr(raster_error(), "QR"));
	}
	assert_int_equal(raster_render(NULL, 384, &r), HG_EINVAL);
}

/* escpos_decode refuses what escpos_encode never writes. */
static void test_decode_bad(void **state)
{
	static const struct {
		const char *what;
		const char *bytes;
		size_t n;
	} rows[] = {
		{ "empty", "", 0 },
		{ "commands, no band", "\x1b@\x1b" "d\x04\x1dV\x42\x00", 9 },
		{ "text, not a command", "hello", 5 },
		{ "band cut short", "\x1dv0\x00\x01\x00\x02\x00\xff", 9 },
		{ "band header cut short", "\x1dv0\x00\x01", 5 },
		{ "zero rows", "\x1dv0\x00\x01\x00\x00\x00", 8 },
		{ "double density mode", "\x1dv0\x03\x01\x00\x01\x00\xff", 9 },
		{ "bands of two widths", "\x1dv0\x00\x01\x00\x01\x00\xff\x1dv0\x00\x02\x00\x01\x00\xff\xff",
		  18 },
		{ "unknown ESC", "\x1b" "E\x01\x1dv0\x00\x01\x00\x01\x00\xff", 12 },
	};
	struct raster r;

	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		int rc = escpos_decode((const uint8_t *)rows[i].bytes, rows[i].n, &r);

		if (rc != HG_EINVAL)
			fail_msg("%s: decode gave %d, not HG_EINVAL", rows[i].what, rc);
		assert_null(r.bits);
	}
	/* and one that is fine: a band between the commands we write, no cut */
	assert_int_equal(escpos_decode((const uint8_t *)"\x1b@\x1dv0\x00\x01\x00\x02\x00\x81\x42"
				       "\x1b" "d\x04", 15, &r), HG_OK);
	assert_int_equal(r.width, 8);
	assert_int_equal(r.height, 2);
	assert_int_equal(r.bits[0], 0x81);
	assert_int_equal(r.bits[1], 0x42);
	raster_free(&r);
}

/* No cut: the bytes end with the feed, and still decode. */
static void test_encode_nocut(void **state)
{
	struct print_job job = { PRINT_TEST, "t", "TEST\n", NULL };
	struct raster r, dec;
	uint8_t *b;
	size_t n;

	(void)state;
	assert_int_equal(raster_render(&job, 576, &r), HG_OK);
	assert_int_equal(escpos_encode(&r, 0, &b, &n), HG_OK);
	assert_memory_equal(b + n - 3, "\x1b" "d\x04", 3);
	assert_int_equal(escpos_decode(b, n, &dec), HG_OK);
	assert_memory_equal(dec.bits, r.bits, (size_t)r.height * (size_t)r.stride);
	free(b);
	raster_free(&dec);
	raster_free(&r);
	assert_int_equal(escpos_encode(NULL, 1, &b, &n), HG_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_receipt_qr, each),
		cmocka_unit_test_setup(test_label_qr, each),
		cmocka_unit_test_setup(test_hostile_text, each),
		cmocka_unit_test_setup(test_text_cells, each),
		cmocka_unit_test_setup(test_bad_font, each),
		cmocka_unit_test_setup(test_bad_input, each),
		cmocka_unit_test_setup(test_decode_bad, each),
		cmocka_unit_test_setup(test_encode_nocut, each),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
