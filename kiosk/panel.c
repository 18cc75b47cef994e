/* panel.c: the panel's physical size, from the config, its EDID, SDL's DPI
 * or a default, and the px per mm it gives a window (panel.h).
 *
 * The EDID parser reads the 128-byte base block of VESA E-EDID 1.3/1.4: the
 * fixed header 00 FF FF FF FF FF FF 00, the checksum (all 128 bytes sum to 0
 * mod 256), bytes 21-22 (the largest image size in cm; 0 unknown, and in
 * 1.4 one of them 0 makes the other an aspect ratio) and the first detailed
 * timing descriptor at byte 54 (pixel clock in bytes 54-55, 0 for a display
 * descriptor; active pixels in 56/58 and 59/61; image size in mm in 66-68).
 * The mm of the timing are finer than the cm, but some screens (TVs) write
 * an aspect ratio there (16 x 9): a size under 20 mm, or more than 1.5 times
 * off the cm, is not believed.  Start reading at panel_choose(). */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "panel.h"
#include "../core/report.h"

#define EDID_BLOCK 128
#define EDID_DTD 54		/* the first detailed timing descriptor */
#define MM_MIN 20		/* a picture smaller than 2 cm is not one */

static const unsigned char edid_header[8] = {0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00};

/* Is a (mm) within a factor 1.5 of b (mm)? */
static int near(int a, int b)
{
	return 3 * a >= 2 * b && 2 * a <= 3 * b;
}

int panel_edid_parse(const unsigned char *b, size_t n, struct panel_edid *out)
{
	const unsigned char *d = b + EDID_DTD;
	unsigned sum = 0;
	int cw, ch;

	memset(out, 0, sizeof *out);
	if (n < EDID_BLOCK)
		return hg_fail(HG_EINVAL, "EDID: %zu bytes, not the 128 of a base block", n);
	if (memcmp(b, edid_header, sizeof edid_header) != 0)
		return hg_fail(HG_EINVAL, "EDID: no header (00 FF FF FF FF FF FF 00)");
	for (int i = 0; i < EDID_BLOCK; i++)
		sum += b[i];
	if (sum % 256 != 0)
		return hg_fail(HG_EINVAL, "EDID: checksum off by %u", sum % 256);
	if (b[18] != 1)
		return hg_fail(HG_EINVAL, "EDID: version %d, not 1", b[18]);
	cw = b[21] * 10;
	ch = b[22] * 10;
	if (d[0] || d[1]) {
		out->w_px = d[2] | (d[4] & 0xf0) << 4;
		out->h_px = d[5] | (d[7] & 0xf0) << 4;
		out->w_mm = d[12] | (d[14] & 0xf0) << 4;
		out->h_mm = d[13] | (d[14] & 0x0f) << 8;
		out->from_timing = out->w_mm >= MM_MIN && out->h_mm >= MM_MIN &&
				   (!cw || !ch || (near(out->w_mm, cw) && near(out->h_mm, ch)));
	}
	if (!out->from_timing) {
		if (cw < MM_MIN || ch < MM_MIN)
			return hg_fail(HG_EINVAL, "EDID: no image size (%dx%d cm, timing %dx%d mm)",
				       b[21], b[22], out->w_mm, out->h_mm);
		out->w_mm = cw;
		out->h_mm = ch;
	}
	return HG_OK;
}

/* The first line of path into buf[cap] ("" when it cannot be read). */
static void read_word(const char *path, char *buf, size_t cap)
{
	FILE *f = fopen(path, "r");

	buf[0] = '\0';
	if (!f)
		return;
	if (!fgets(buf, (int)cap, f))
		buf[0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

int panel_edid_find(const char *drm_dir, int w, int h, struct panel_edid *out, char *name,
		    size_t cap)
{
	DIR *dir = opendir(drm_dir);
	struct dirent *de;
	struct panel_edid e, only = {0};
	char path[512], status[32], only_name[256] = "";
	unsigned char blob[EDID_BLOCK];
	int found = 0, n_ok = 0, rc;

	if (!dir)
		return hg_fail(HG_ENOTFOUND, "cannot open '%s'", drm_dir);
	while (!found && (de = readdir(dir)) != NULL) {
		FILE *f;
		size_t got;

		/* connectors are card<N>-<name>; card<N> alone is the device */
		if (strncmp(de->d_name, "card", 4) != 0 || !strchr(de->d_name, '-'))
			continue;
		snprintf(path, sizeof path, "%s/%s/status", drm_dir, de->d_name);
		read_word(path, status, sizeof status);
		if (strcmp(status, "connected") != 0)
			continue;
		snprintf(path, sizeof path, "%s/%s/edid", drm_dir, de->d_name);
		f = fopen(path, "rb");
		if (!f)
			continue;
		got = fread(blob, 1, sizeof blob, f);
		fclose(f);
		rc = panel_edid_parse(blob, got, &e);
		if (rc != HG_OK)
			continue;
		n_ok++;
		if ((e.w_px == w && e.h_px == h) || (e.w_px == h && e.h_px == w)) {
			found = 1;
			*out = e;
			snprintf(name, cap, "%s", de->d_name);
		} else if (n_ok == 1) {
			only = e;
			snprintf(only_name, sizeof only_name, "%s", de->d_name);
		}
	}
	closedir(dir);
	if (found)
		return HG_OK;
	if (n_ok == 1) {
		*out = only;
		snprintf(name, cap, "%s", only_name);
		return HG_OK;
	}
	return hg_fail(HG_ENOTFOUND, n_ok ? "%d screens with an EDID, none of %dx%d" :
		       "no connected screen with an EDID", n_ok, w, h);
}

void panel_choose(struct panel *p, const struct cfg_panel *cfg, const struct panel_edid *edid,
		  float sdl_dpi)
{
	memset(p, 0, sizeof *p);
	if (cfg && cfg->diag_mm > 0) {
		p->source = PANEL_CONFIG;
		p->diag_mm = cfg->diag_mm;
	} else if (edid && edid->w_mm > 0 && edid->h_mm > 0) {
		p->source = PANEL_EDID;
		p->diag_mm = hypot(edid->w_mm, edid->h_mm);
	} else if (sdl_dpi >= 50 && sdl_dpi <= 600) {
		p->source = PANEL_SDL;
		p->px_per_mm = sdl_dpi / 25.4;
	}
}

/* The smallest supported panel of each resolution (docs/KIOSK.md, "Panels"). */
static const struct {
	int w, h;
	double inches;
} defaults[] = {
	{800, 480, 7.0},
	{1280, 800, 10.1},
	{1920, 1080, 15.6},
};

float panel_px_per_mm(const struct panel *p, int w, int h)
{
	if (w <= 0 || h <= 0)
		return 0;
	if (p->source == PANEL_CONFIG || p->source == PANEL_EDID)
		return (float)(hypot(w, h) / p->diag_mm);
	if (p->source == PANEL_SDL)
		return (float)p->px_per_mm;
	for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++)
		if ((defaults[i].w == w && defaults[i].h == h) ||
		    (defaults[i].w == h && defaults[i].h == w))
			return (float)(hypot(w, h) / (defaults[i].inches * 25.4));
	return 0;
}

const char *panel_source_name(enum panel_source s)
{
	static const char *const names[] = {"default", "config", "EDID", "SDL"};

	return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "?";
}
