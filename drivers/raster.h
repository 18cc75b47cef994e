/* raster.h: a slip as a 1-bit image, and that image as ESC/POS.
 *
 * raster_render() lays out a print job for a thermal printer width_dots wide
 * (384 for 58 mm paper, 576 for 80 mm): the text in a monospaced font through
 * FreeType (no SDL), then the job's QR (libqrencode) centred under it.
 * The bits are PBM P4's layout: rows of stride bytes, MSB first, 1 = black.
 * escpos_encode() makes the bytes a receipt printer takes (initialise, GS v 0
 * raster bands, feed, cut); escpos_decode() reads those raster bands back into
 * an image (tests, previews). */
#ifndef RASTER_H
#define RASTER_H

#include <stddef.h>
#include <stdint.h>
#include "printer.h"

struct raster {
	int width;		/* dots, a multiple of 8 */
	int height;
	int stride;		/* bytes per row: width / 8 */
	uint8_t *bits;		/* height * stride bytes */
};

/* HG_OK, HG_EINVAL (width not 384..1024 in multiples of 8, no text),
 * HG_ETOOLONG (text over 64 KiB, slip over 60,000 rows, or a QR that does
 * not fit at 3 dots a module), HG_ENOMEM, HG_EIO (font or QR encoder
 * failed).  Lines longer than the paper wrap; broken UTF-8 and control
 * characters print as '?'.  On success out->bits is the caller's
 * (raster_free); on failure out is empty.  Thread-safe (a mutex: one slip
 * is drawn at a time).  The font is DejaVu Sans Mono, or $HG_PRINT_FONT. */
int raster_render(const struct print_job *job, int width_dots, struct raster *out);
void raster_free(struct raster *r);

/* What the last failing call of this thread went wrong on, in English
 * ("" before any failure). */
const char *raster_error(void);

/* Encode r as ESC/POS into a new buffer (*out, *n; free() it).  cut: feed and
 * cut the paper at the end. */
int escpos_encode(const struct raster *r, int cut, uint8_t **out, size_t *n);
/* Every GS v 0 band in buf[n], stacked into one image.  HG_EINVAL when buf
 * holds no band or a band is cut short. */
int escpos_decode(const uint8_t *buf, size_t n, struct raster *out);

/* Write r as a PBM (P4) file; HG_OK or HG_EIO. */
int raster_write_pbm(const struct raster *r, const char *path);

#endif
