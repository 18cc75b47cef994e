/* raster.h: a slip as a 1-bit image, and that image as ESC/POS.
 *
 * raster_render() lays out a print job for a thermal printer width_dots wide
 * (384 for 58 mm paper, 576 for 80 mm): the text in a monospaced font through
 * SDL2_ttf (no window), then the job's QR (libqrencode) centred under it.
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
 * HG_ENOMEM, HG_EIO (font or QR encoder failed). */
int raster_render(const struct print_job *job, int width_dots, struct raster *out);
void raster_free(struct raster *r);

/* Encode r as ESC/POS into a new buffer (*out, *n; free() it).  cut: feed and
 * cut the paper at the end. */
int escpos_encode(const struct raster *r, int cut, uint8_t **out, size_t *n);
/* Every GS v 0 band in buf[n], stacked into one image.  HG_EINVAL when buf
 * holds no band or a band is cut short. */
int escpos_decode(const uint8_t *buf, size_t n, struct raster *out);

/* Write r as a PBM (P4) file; HG_OK or HG_EIO. */
int raster_write_pbm(const struct raster *r, const char *path);

#endif
