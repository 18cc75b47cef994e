/* test_panel.c: the panel's size and the px per mm it gives (kiosk/panel.c):
 * EDID base blocks written byte by byte after VESA E-EDID 1.4 (checksums
 * included), the connector found under a /sys/class/drm-like folder, the
 * order config > EDID > SDL's DPI > default, and [kiosk] panel_size read
 * from a config text. */
#include "../unit/testutil.h"
#include <math.h>
#include "../../kiosk/panel.h"
#include "../../core/report.h"

/* A 7-inch 800x480 HDMI panel: 15x9 cm (bytes 21-22), a timing of 800x480 at
 * 33.3 MHz, 154x86 mm (bytes 66-68), its name "7in HDMI LCD". */
static const unsigned char edid_7in[128] = {
	0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x20, 0xf4, 0x00, 0x07, 0x00, 0x00, 0x00, 0x00,
	0x01, 0x22, 0x01, 0x04, 0xa5, 0x0f, 0x09, 0x78, 0x06, 0xee, 0x91, 0xa3, 0x54, 0x4c, 0x99, 0x26,
	0x0f, 0x50, 0x54, 0x00, 0x00, 0x00, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01,
	0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x02, 0x0d, 0x20, 0x00, 0x31, 0xe0, 0x2d, 0x10, 0x10, 0x30,
	0x35, 0x00, 0x9a, 0x56, 0x00, 0x00, 0x00, 0x18, 0x00, 0x00, 0x00, 0xfc, 0x00, 0x37, 0x69, 0x6e,
	0x20, 0x48, 0x44, 0x4d, 0x49, 0x20, 0x4c, 0x43, 0x44, 0x0a, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xe1,
};

/* A 15.6-inch 1920x1080 panel: 34x19 cm, 1920x1080 at 138.5 MHz, 344x194 mm
 * (a width over 255: its high bits in byte 68). */
static const unsigned char edid_15in[128] = {
	0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x20, 0xf4, 0x60, 0x15, 0x00, 0x00, 0x00, 0x00,
	0x01, 0x22, 0x01, 0x04, 0xa5, 0x22, 0x13, 0x78, 0x06, 0xee, 0x91, 0xa3, 0x54, 0x4c, 0x99, 0x26,
	0x0f, 0x50, 0x54, 0x00, 0x00, 0x00, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01,
	0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x1a, 0x36, 0x80, 0xa0, 0x70, 0x38, 0x1f, 0x40, 0x10, 0x30,
	0x35, 0x00, 0x58, 0xc2, 0x10, 0x00, 0x00, 0x18, 0x00, 0x00, 0x00, 0xfc, 0x00, 0x48, 0x47, 0x20,
	0x31, 0x35, 0x36, 0x20, 0x46, 0x48, 0x44, 0x0a, 0x20, 0x20, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xe8,
};

/* A 21.5-inch 1920x1080 monitor: 48x27 cm, 476x268 mm (both over 255). */
static const unsigned char edid_21in[128] = {
	0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x20, 0xf4, 0x50, 0x21, 0x00, 0x00, 0x00, 0x00,
	0x01, 0x22, 0x01, 0x04, 0xa5, 0x30, 0x1b, 0x78, 0x06, 0xee, 0x91, 0xa3, 0x54, 0x4c, 0x99, 0x26,
	0x0f, 0x50, 0x54, 0x00, 0x00, 0x00, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01,
	0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x02, 0x3a, 0x80, 0x18, 0x71, 0x38, 0x2d, 0x40, 0x10, 0x30,
	0x35, 0x00, 0xdc, 0x0c, 0x11, 0x00, 0x00, 0x18, 0x00, 0x00, 0x00, 0xfc, 0x00, 0x48, 0x47, 0x20,
	0x32, 0x31, 0x35, 0x20, 0x46, 0x48, 0x44, 0x0a, 0x20, 0x20, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x98,
};

/* A TV that writes its aspect ratio as the timing's size (16x9 "mm"): its
 * 34x19 cm stand. */
static const unsigned char edid_aspect[128] = {
	0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x20, 0xf4, 0x69, 0x01, 0x00, 0x00, 0x00, 0x00,
	0x01, 0x22, 0x01, 0x04, 0xa5, 0x22, 0x13, 0x78, 0x06, 0xee, 0x91, 0xa3, 0x54, 0x4c, 0x99, 0x26,
	0x0f, 0x50, 0x54, 0x00, 0x00, 0x00, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01,
	0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x02, 0x3a, 0x80, 0x18, 0x71, 0x38, 0x2d, 0x40, 0x10, 0x30,
	0x35, 0x00, 0x10, 0x09, 0x00, 0x00, 0x00, 0x18, 0x00, 0x00, 0x00, 0xfc, 0x00, 0x48, 0x47, 0x20,
	0x54, 0x56, 0x0a, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xd5,
};

/* A projector: no size anywhere (0x0 cm, 0x0 mm). */
static const unsigned char edid_nosize[128] = {
	0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x20, 0xf4, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x01, 0x22, 0x01, 0x04, 0xa5, 0x00, 0x00, 0x78, 0x06, 0xee, 0x91, 0xa3, 0x54, 0x4c, 0x99, 0x26,
	0x0f, 0x50, 0x54, 0x00, 0x00, 0x00, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01,
	0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x02, 0x3a, 0x80, 0x18, 0x71, 0x38, 0x2d, 0x40, 0x10, 0x30,
	0x35, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x18, 0x00, 0x00, 0x00, 0xfc, 0x00, 0x48, 0x47, 0x20,
	0x50, 0x52, 0x4f, 0x4a, 0x0a, 0x20, 0x20, 0x20, 0x20, 0x20, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x3b,
};

/* Each EDID: what the parser makes of it. */
static void test_edid_parse(void **state)
{
	static const struct {
		const char *what;
		const unsigned char *b;
		int w_mm, h_mm, w_px, h_px, from_timing;
	} rows[] = {
		/* the timing's mm, finer than the cm */
		{ "7in", edid_7in, 154, 86, 800, 480, 1 },
		{ "15.6in", edid_15in, 344, 194, 1920, 1080, 1 },
		{ "21.5in", edid_21in, 476, 268, 1920, 1080, 1 },
		/* an aspect ratio in the timing: the cm stand */
		{ "aspect", edid_aspect, 340, 190, 1920, 1080, 0 },
	};
	struct panel_edid e;

	(void)state;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		if (panel_edid_parse(rows[i].b, 128, &e) != HG_OK)
			fail_msg("%s: %s", rows[i].what, hg_error_text());
		if (e.w_mm != rows[i].w_mm || e.h_mm != rows[i].h_mm || e.w_px != rows[i].w_px ||
		    e.h_px != rows[i].h_px || e.from_timing != rows[i].from_timing)
			fail_msg("%s: %dx%d mm, %dx%d px, timing %d", rows[i].what, e.w_mm, e.h_mm,
				 e.w_px, e.h_px, e.from_timing);
	}
}

/* What is not an EDID, or gives no size, is refused with the reason. */
static void test_edid_refused(void **state)
{
	unsigned char b[128];
	struct panel_edid e;

	(void)state;
	/* one byte changed: the checksum */
	memcpy(b, edid_7in, sizeof b);
	b[66] = 0x9b;
	assert_int_equal(panel_edid_parse(b, sizeof b, &e), HG_EINVAL);
	assert_non_null(strstr(hg_error_text(), "checksum off by 1"));
	/* the header */
	memcpy(b, edid_7in, sizeof b);
	b[1] = 0xfe;
	b[127]++;
	assert_int_equal(panel_edid_parse(b, sizeof b, &e), HG_EINVAL);
	assert_non_null(strstr(hg_error_text(), "no header"));
	/* cut short (a sysfs file of a connector without a screen is empty) */
	assert_int_equal(panel_edid_parse(edid_7in, 100, &e), HG_EINVAL);
	assert_non_null(strstr(hg_error_text(), "100 bytes"));
	assert_int_equal(panel_edid_parse(edid_7in, 0, &e), HG_EINVAL);
	/* no size at all */
	assert_int_equal(panel_edid_parse(edid_nosize, 128, &e), HG_EINVAL);
	assert_non_null(strstr(hg_error_text(), "no image size"));
	/* a version 2 */
	memcpy(b, edid_7in, sizeof b);
	b[18] = 2;
	b[127]--;
	assert_int_equal(panel_edid_parse(b, sizeof b, &e), HG_EINVAL);
	assert_non_null(strstr(hg_error_text(), "version 2"));
}

static void put(const char *dir, const char *conn, const char *status, const unsigned char *edid,
		size_t n)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, conn);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof path, "%s/%s/status", dir, conn);
	assert_non_null(f = fopen(path, "w"));
	fprintf(f, "%s\n", status);
	fclose(f);
	snprintf(path, sizeof path, "%s/%s/edid", dir, conn);
	assert_non_null(f = fopen(path, "wb"));
	if (n)
		assert_int_equal(fwrite(edid, 1, n, f), n);
	fclose(f);
}

/* The connector of the window's size among the connected ones; the only
 * one whatever its size; none when several and none fits. */
static void test_edid_find(void **state)
{
	static const struct {
		int w, h;
		int rc;
		const char *conn;	/* found */
		int w_mm;
	} rows[] = {
		/* the 7-inch panel, either way round */
		{ 800, 480, HG_OK, "card0-DSI-1", 154 },
		{ 480, 800, HG_OK, "card0-DSI-1", 154 },
		/* the monitor; the disconnected 15.6-inch is not looked at */
		{ 1920, 1080, HG_OK, "card0-HDMI-A-1", 476 },
		/* two screens, neither 1280x800: not guessed */
		{ 1280, 800, HG_ENOTFOUND, "", 0 },
	};
	char dir[256], name[64];
	struct panel_edid e;

	(void)state;
	assert_int_equal(tu_tmpdir(dir, sizeof dir, "drm"), 0);
	put(dir, "card0-DSI-1", "connected", edid_7in, 128);
	put(dir, "card0-HDMI-A-1", "connected", edid_21in, 128);
	put(dir, "card0-DP-1", "disconnected", edid_15in, 128);
	put(dir, "card0-HDMI-A-2", "connected", edid_7in, 0);	/* no EDID read */
	put(dir, "card1", "connected", edid_15in, 128);		/* a device, not a connector */
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		int rc = panel_edid_find(dir, rows[i].w, rows[i].h, &e, name, sizeof name);

		if (rc != rows[i].rc || (rc == HG_OK && (strcmp(name, rows[i].conn) != 0 ||
							 e.w_mm != rows[i].w_mm)))
			fail_msg("%dx%d: %d %s %d mm", rows[i].w, rows[i].h, rc, name, e.w_mm);
	}
	assert_non_null(strstr(hg_error_text(), "2 screens with an EDID, none of 1280x800"));
	/* the only screen, whatever the desktop's size */
	tu_rmtree(dir);
	assert_int_equal(tu_tmpdir(dir, sizeof dir, "drm"), 0);
	put(dir, "card0-HDMI-A-1", "connected", edid_15in, 128);
	assert_int_equal(panel_edid_find(dir, 1280, 720, &e, name, sizeof name), HG_OK);
	assert_string_equal(name, "card0-HDMI-A-1");
	assert_int_equal(e.w_mm, 344);
	tu_rmtree(dir);
	/* no such folder (a machine without DRM) */
	assert_int_equal(panel_edid_find("/nonexistent/drm", 800, 480, &e, name, sizeof name),
			 HG_ENOTFOUND);
}

/* First found first: config, EDID, SDL's DPI (when plausible), default. */
static void test_choose(void **state)
{
	static const struct cfg_panel none = {0, 0, 0}, seven = {0, 0, 7 * 25.4};
	struct panel_edid e21 = {476, 268, 1920, 1080, 1}, e7 = {154, 86, 800, 480, 1};
	static const struct {
		const char *what;
		const struct cfg_panel *cfg;
		int edid;		/* 0 none, 7 or 21 */
		float dpi;
		int w, h;
		enum panel_source source;
		double ppm;		/* expected, within 0.01 */
	} rows[] = {
		/* the config wins over a monitor's EDID and SDL */
		{ "config", &seven, 21, 96, 800, 480, PANEL_CONFIG, 5.25 },
		/* the EDID over SDL */
		{ "edid", &none, 7, 96, 800, 480, PANEL_EDID, 5.29 },
		{ "edid 21.5", &none, 21, 0, 1920, 1080, PANEL_EDID, 4.03 },
		/* SDL's DPI alone */
		{ "sdl", &none, 0, 96, 1920, 1080, PANEL_SDL, 3.78 },
		/* an SDL DPI that cannot be: the default for the size */
		{ "sdl 10 dpi", &none, 0, 10, 800, 480, PANEL_DEFAULT, 5.25 },
		{ "sdl 1000 dpi", &none, 0, 1000, 1280, 800, PANEL_DEFAULT, 5.88 },
		/* the defaults: the smallest supported panel of each size */
		{ "default 800x480", NULL, 0, 0, 800, 480, PANEL_DEFAULT, 5.25 },
		{ "default portrait", NULL, 0, 0, 480, 800, PANEL_DEFAULT, 5.25 },
		{ "default 1920x1080", NULL, 0, 0, 1920, 1080, PANEL_DEFAULT, 5.56 },
		/* an unlisted size: unknown, sizes from the window alone */
		{ "default 1366x768", NULL, 0, 0, 1366, 768, PANEL_DEFAULT, 0 },
	};
	struct panel p;

	(void)state;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		float ppm;

		panel_choose(&p, rows[i].cfg, rows[i].edid == 7 ? &e7 : rows[i].edid == 21 ? &e21
			     : NULL, rows[i].dpi);
		ppm = panel_px_per_mm(&p, rows[i].w, rows[i].h);
		if (p.source != rows[i].source || fabs(ppm - rows[i].ppm) > 0.01)
			fail_msg("%s: %s, %.3f px/mm", rows[i].what, panel_source_name(p.source), ppm);
	}
	/* a window of no size */
	assert_true(panel_px_per_mm(&p, 0, 480) == 0);
}

/* [kiosk] panel_size in a config text. */
static void test_config(void **state)
{
	static const struct {
		const char *value;
		double w, h, diag;	/* diag < 0: refused */
		const char *msg;	/* part of the error */
	} rows[] = {
		{ "auto", 0, 0, 0, "" },
		{ "7in", 0, 0, 177.8, "" },
		{ "10.1in", 0, 0, 256.54, "" },
		{ "154x86mm", 154, 86, 176.39, "" },
		{ "344.2x193.5mm", 344.2, 193.5, 394.86, "" },
		/* no unit, or another: refused, not guessed */
		{ "7", 0, 0, -1, "must be auto, the picture's width x height in mm" },
		{ "15x9cm", 0, 0, -1, "must be auto" },
		{ "154x86", 0, 0, -1, "must be auto" },
		{ "x86mm", 0, 0, -1, "must be auto" },
		{ "1.234in", 0, 0, -1, "must be auto" },
		/* out of range */
		{ "2in", 0, 0, -1, "a diagonal from 3 to 100 inches" },
		{ "154x10mm", 0, 0, -1, "a width and a height from 20 to 3000 mm" },
	};
	struct config cfg;
	struct config_errors errs;
	char text[128];

	(void)state;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		config_defaults(&cfg);
		memset(&errs, 0, sizeof errs);
		snprintf(text, sizeof text, "[kiosk]\npanel_size = %s\n", rows[i].value);
		config_parse(&cfg, text, strlen(text), "", NULL, &errs);
		if (rows[i].diag < 0) {
			if (errs.n != 1 || !strstr(errs.e[0].msg, rows[i].msg) || errs.e[0].line != 2)
				fail_msg("%s: %d errors: %s", rows[i].value, errs.n,
					 errs.n ? errs.e[0].msg : "");
			assert_true(cfg.kiosk_panel.diag_mm == 0);
			continue;
		}
		if (errs.n)
			fail_msg("%s: %s", rows[i].value, errs.e[0].msg);
		if (fabs(cfg.kiosk_panel.diag_mm - rows[i].diag) > 0.01 ||
		    fabs(cfg.kiosk_panel.w_mm - rows[i].w) > 0.001 ||
		    fabs(cfg.kiosk_panel.h_mm - rows[i].h) > 0.001)
			fail_msg("%s: %gx%g mm, diagonal %g mm", rows[i].value, cfg.kiosk_panel.w_mm,
				 cfg.kiosk_panel.h_mm, cfg.kiosk_panel.diag_mm);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_edid_parse),
		cmocka_unit_test(test_edid_refused),
		cmocka_unit_test(test_edid_find),
		cmocka_unit_test(test_choose),
		cmocka_unit_test(test_config),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
