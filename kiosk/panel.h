/* panel.h: how many pixels make a millimetre on the kiosk's screen, so that
 * every touch target is at least 9 mm (kiosk/ui.c's ui_begin()).
 *
 * The panel's size is taken, first found first: the config's [kiosk]
 * panel_size, the panel's EDID (fullscreen only: /sys/class/drm/<connector>/edid),
 * SDL's DPI (fullscreen only; often wrong or missing), else the default for
 * the window's size (the smallest supported panel of that resolution).  No
 * SDL here: the parser and the choice are pure and unit-tested
 * (tests/unit/test_panel.c); docs/KIOSK.md, "Panels", says it for people. */
#ifndef PANEL_H
#define PANEL_H

#include <stddef.h>

#include "../core/config.h"

/* What an EDID's base block says of the picture. */
struct panel_edid {
	int w_mm, h_mm;		/* the image's size in mm */
	int w_px, h_px;		/* the preferred timing's active pixels; 0 none */
	int from_timing;	/* 1: mm of the detailed timing; 0: cm of bytes 21-22 */
};

/* Read the base block of an EDID (b, n bytes; at least 128): its header and
 * checksum, then the image size of the first detailed timing descriptor in
 * mm, or where that is missing or implausible (under 20 mm, or not within a
 * factor 1.5 of it: an aspect ratio written as mm) the cm of bytes 21-22.
 * 0 and *out filled, or HG_EINVAL with the reason (hg_fail): "EDID: ...". */
int panel_edid_parse(const unsigned char *b, size_t n, struct panel_edid *out);

/* The EDID of the panel the kiosk is on, from drm_dir (/sys/class/drm):
 * the connected connectors (<dir>/card*-* with status "connected") whose
 * EDID reads; the one whose preferred timing is w x h (either way round),
 * else the only one.  0 with *out and the connector's name in name[cap], or
 * HG_ENOTFOUND (none, or several and none w x h). */
int panel_edid_find(const char *drm_dir, int w, int h, struct panel_edid *out, char *name,
		    size_t cap);

enum panel_source { PANEL_DEFAULT = 0, PANEL_CONFIG, PANEL_EDID, PANEL_SDL };

/* The panel as known: its picture's diagonal in mm (config, EDID), or a
 * density (SDL), or neither (the default for the window's size). */
struct panel {
	enum panel_source source;
	double diag_mm;		/* CONFIG, EDID: the diagonal of the picture */
	double px_per_mm;	/* SDL */
};

/* Choose, first found first: cfg (a [kiosk] panel_size: diag_mm > 0), edid
 * (NULL: none), sdl_dpi (horizontal px per inch; 0 none; taken between 50
 * and 600), else PANEL_DEFAULT. */
void panel_choose(struct panel *p, const struct cfg_panel *cfg, const struct panel_edid *edid,
		  float sdl_dpi);

/* px per mm for a window of w x h on panel p: the window's diagonal in px
 * over the panel's in mm (the window fills the panel, or stands for one:
 * --windowed), SDL's density, or for PANEL_DEFAULT the smallest supported
 * panel of that resolution (800x480: 7", 1280x800: 10.1", 1920x1080:
 * 15.6", either way round); 0 (unknown: sizes from the window alone) for
 * any other resolution. */
float panel_px_per_mm(const struct panel *p, int w, int h);

/* "config", "EDID", "SDL" or "default": for the kiosk's start line. */
const char *panel_source_name(enum panel_source s);

#endif
