/* raster.c: a slip as a 1-bit image (FreeType text, libqrencode QR), and
 * that image as ESC/POS raster graphics and back.
 *
 * Layout of raster_render(), top to bottom: RASTER_PAD white rows; the text,
 * one row of DejaVu Sans Mono per line, at the largest pixel size whose
 * advance puts RASTER_COLUMNS (42) columns inside the width, the column
 * block centred; lines longer than the width holds wrap (never clipped, so a
 * long field is never lost); then the QR, centred, with a 4-module quiet
 * zone, as many dots per module as fit up to RASTER_QR_MAX_SCALE, never
 * fewer than RASTER_QR_MIN_SCALE (1 dot per module does not scan); then
 * RASTER_PAD white rows.  Text is sanitized first: a broken UTF-8 byte or a
 * control character prints as '?', a tab as a space.
 *
 * Fonts: FreeType directly (no SDL: the station's library and CLI, and the
 * plant's server, link without it).  Each glyph is hinted for monochrome,
 * rendered in grey and a dot is black from 50 % coverage: the dots SDL2_ttf
 * drew here before (TTF_RenderUTF8_Shaded, TTF_HINTING_MONO), at the same
 * sizes and line spacing.  The FreeType library starts on first use; one
 * face per paper width is kept open, and a mutex serialises rendering, since
 * neither is thread-safe (one printing thread is the expected caller; more
 * only wait).
 *
 * ESC/POS (escpos_encode): ESC @ (initialise), then GS v 0 bands of at most
 * ESCPOS_BAND_ROWS rows each (255: the band height fits the yL byte alone,
 * the limit of the cheapest printers' buffers), ESC d 4 (feed 4 lines so the
 * last row clears the cutter), and GS V 66 0 (feed to the cutter, partial
 * cut) when asked.  escpos_decode() accepts exactly these commands.
 *
 * Start reading at raster_render(). */
#include "raster.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ft2build.h>
#include FT_FREETYPE_H
#include <qrencode.h>

#include "../core/slipbuf.h"
#include "../core/text.h"

#define RASTER_FONT "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
#define RASTER_COLUMNS 42		/* the slips are composed for this */
#define RASTER_PAD 8			/* white rows above and below */
#define RASTER_INK 128			/* grey coverage (of 255) from which a dot is black */
#define RASTER_QR_MIN_SCALE 3
#define RASTER_QR_MAX_SCALE 8		/* 1 mm modules at 203 dpi; more only wastes paper */
#define RASTER_TEXT_MAX (64 * 1024)	/* bytes of slip text */
#define RASTER_MAX_ROWS 60000		/* about 7.5 m of paper at 203 dpi */
#define RASTER_WIDTH_MIN 384
#define RASTER_WIDTH_MAX 1024
#define RASTER_FONTS 4			/* paper widths kept open at once */
#define ESCPOS_BAND_ROWS 255
#define ESCPOS_FEED_LINES 4
#define ESCPOS_MAX_BYTES (64u * 1024 * 1024)

static _Thread_local char last_error[200];

const char *raster_error(void)
{
	return last_error;
}

static int fail(int rc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_error, sizeof last_error, fmt, ap);
	va_end(ap);
	return rc;
}

/* ---- fonts ---- */

struct font_slot {
	int width;		/* paper width this size was chosen for; 0 = free */
	FT_Face face;		/* set to the size chosen */
	int adv;		/* dots per column */
	int skip;		/* dots per line */
	int ascent;		/* dots from a line's top to its baseline */
};

/* The FreeType library and its faces, under font_lock (neither is
 * thread-safe); made on first use and kept. */
static pthread_mutex_t font_lock = PTHREAD_MUTEX_INITIALIZER;
static FT_Library ft;
static struct font_slot fonts[RASTER_FONTS];

static const char *font_file(void)
{
	const char *f = getenv("HG_PRINT_FONT");

	return f && *f ? f : RASTER_FONT;
}

/* FreeType's own words for each error code (fterrors.h builds the table:
 * its documented use), for the messages. */
static const struct {
	int code;
	const char *words;
} ft_errors[] =
#undef FTERRORS_H_
#define FT_ERRORDEF(e, v, s) { v, s },
#define FT_ERROR_START_LIST {
#define FT_ERROR_END_LIST { 0, NULL } };
#include FT_ERRORS_H

static const char *ft_why(FT_Error e)
{
	for (size_t i = 0; ft_errors[i].words; i++)
		if (ft_errors[i].code == (int)FT_ERROR_BASE(e))
			return ft_errors[i].words;
	return "unknown FreeType error";
}

/* Dots from 26.6 fixed point, rounded up (SDL2_ttf's FT_CEIL). */
static int ceil_26_6(FT_Pos v)
{
	return (int)((v + 63) >> 6);
}

/* Set face to the largest pixel size whose 'M' advance fits RASTER_COLUMNS
 * columns in width; *adv: that advance.  HG_EIO when none from 64 down to
 * 6 does. */
static int size_face(FT_Face face, int width, int *adv)
{
	FT_Error e;

	for (int p = 64; p >= 6; p--) {
		e = FT_Set_Pixel_Sizes(face, 0, (FT_UInt)p);
		if (!e)
			e = FT_Load_Char(face, 'M', FT_LOAD_TARGET_MONO);
		if (e)
			return fail(HG_EIO, "font '%s' cannot be sized: %s", font_file(),
				    ft_why(e));
		*adv = ceil_26_6(face->glyph->advance.x);
		if (*adv > 0 && *adv * RASTER_COLUMNS <= width)
			return HG_OK;
	}
	return fail(HG_EIO, "font '%s' has no size that fits %d columns in %d dots",
		    font_file(), RASTER_COLUMNS, width);
}

/* The font for width, sized so RASTER_COLUMNS columns fit.  Under font_lock. */
static int font_for(int width, struct font_slot **out)
{
	struct font_slot *s = NULL;
	FT_Face face;
	FT_Error e;
	int adv = 0, rc;

	for (int i = 0; i < RASTER_FONTS; i++) {
		if (fonts[i].width == width) {
			*out = &fonts[i];
			return HG_OK;
		}
		if (!s && fonts[i].width == 0)
			s = &fonts[i];
	}
	if (!ft) {
		e = FT_Init_FreeType(&ft);
		if (e) {
			ft = NULL;
			return fail(HG_EIO, "FreeType cannot start: %s", ft_why(e));
		}
	}
	if (!s) {		/* every slot taken: reuse the first */
		s = &fonts[0];
		FT_Done_Face(s->face);
		memset(s, 0, sizeof *s);
	}
	e = FT_New_Face(ft, font_file(), 0, &face);
	if (e)
		return fail(HG_EIO, "cannot open font '%s': %s (install fonts-dejavu-core)",
			    font_file(), ft_why(e));
	if (!FT_IS_SCALABLE(face) || !FT_IS_FIXED_WIDTH(face)) {
		FT_Done_Face(face);
		return fail(HG_EIO, "font '%s' is not a scalable monospaced font",
			    font_file());
	}
	rc = size_face(face, width, &adv);
	if (rc) {
		FT_Done_Face(face);
		return rc;
	}
	s->width = width;
	s->face = face;
	s->adv = adv;
	s->ascent = ceil_26_6(FT_MulFix(face->ascender, face->size->metrics.y_scale));
	s->skip = ceil_26_6(FT_MulFix(face->height, face->size->metrics.y_scale));
	*out = s;
	return HG_OK;
}

/* ---- text ---- */

/* text with every broken UTF-8 byte and control character but '\n' as '?',
 * tabs as spaces, '\r' dropped: a new string (free it). */
static char *clean_text(const char *text)
{
	size_t n = strlen(text), o = 0;
	char *out = malloc(n + 1);

	if (!out)
		return NULL;
	while (*text) {
		uint32_t cp;
		int k = text_utf8_next(text, &cp);

		if (k <= 0) {
			out[o++] = '?';
			text++;
		} else if (cp == '\n' || cp >= 0xa0 || (cp >= 0x20 && cp < 0x7f)) {
			memcpy(out + o, text, (size_t)k);
			o += (size_t)k;
			text += k;
		} else {
			if (cp == '\t')
				out[o++] = ' ';
			else if (cp != '\r')
				out[o++] = '?';	/* never bigger than the k bytes read */
			text += k;
		}
	}
	out[o] = '\0';
	return out;
}

/* Byte length of the first at most cols code points of the line at p (which
 * ends at '\n' or NUL); *more: the line goes on after them. */
static size_t chunk(const char *p, int cols, int *more)
{
	const char *q = p;
	uint32_t cp;

	for (int c = 0; c < cols && *q && *q != '\n'; c++) {
		int k = text_utf8_next(q, &cp);

		q += k > 0 ? k : 1;
	}
	*more = *q && *q != '\n';
	return (size_t)(q - p);
}

/* Printed rows of clean text at cols columns. */
static long count_rows(const char *t, int cols)
{
	long rows = 0;
	int more;

	while (*t) {
		t += chunk(t, cols, &more);
		rows++;
		if (!more && *t == '\n')
			t++;
	}
	return rows;
}

/* Row y of a rendered glyph's bitmap, top first, whichever way it flows. */
static const uint8_t *glyph_row(const FT_Bitmap *b, int y)
{
	if (b->pitch < 0)
		return b->buffer + (size_t)(b->rows - 1 - (unsigned)y) * (size_t)-b->pitch;
	return b->buffer + (size_t)y * (size_t)b->pitch;
}

/* Set the dots of the glyph just rendered into slot, its origin at (ox, base):
 * a 1-bit bitmap as it is, a grey one black from RASTER_INK.  Clipped. */
static void blit_glyph(struct raster *r, FT_GlyphSlot slot, int ox, int base)
{
	const FT_Bitmap *b = &slot->bitmap;
	int x0 = ox + slot->bitmap_left, y0 = base - slot->bitmap_top;

	for (int gy = 0; gy < (int)b->rows; gy++) {
		const uint8_t *src = glyph_row(b, gy);
		uint8_t *row;
		int y = y0 + gy;

		if (y < 0 || y >= r->height)
			continue;
		row = r->bits + (size_t)y * (size_t)r->stride;
		for (int gx = 0; gx < (int)b->width; gx++) {
			int x = x0 + gx, ink;

			if (x < 0 || x >= r->width)
				continue;
			if (b->pixel_mode == FT_PIXEL_MODE_MONO)
				ink = src[gx >> 3] & (0x80 >> (gx & 7));
			else
				ink = src[gx] >= RASTER_INK;
			if (ink)
				row[x >> 3] |= (uint8_t)(0x80 >> (x & 7));
		}
	}
}

/* Draw one line of clean text with its top at row y, its first column at
 * x0: each code point's glyph (the font's missing-glyph box when it has
 * none) at the pen, which moves by the glyph's advance.  Outlines hinted
 * for monochrome, rendered in grey, black from RASTER_INK. */
static int draw_line(struct raster *r, struct font_slot *f, const char *line, int x0, int y)
{
	FT_GlyphSlot slot = f->face->glyph;
	int pen = x0, base = y + f->ascent;

	while (*line) {
		uint32_t cp;
		int k = text_utf8_next(line, &cp);
		FT_Error e;

		line += k > 0 ? k : 1;
		if (k <= 0)
			cp = '?';	/* clean_text leaves none; never loop on one */
		if (cp == ' ') {
			pen += f->adv;
			continue;
		}
		e = FT_Load_Glyph(f->face, FT_Get_Char_Index(f->face, cp), FT_LOAD_TARGET_MONO);
		if (!e)
			e = FT_Render_Glyph(slot, FT_RENDER_MODE_NORMAL);
		if (e)
			return fail(HG_EIO, "cannot render U+%04X in font '%s': %s",
				    (unsigned)cp, font_file(), ft_why(e));
		if (slot->bitmap.pixel_mode != FT_PIXEL_MODE_GRAY &&
		    slot->bitmap.pixel_mode != FT_PIXEL_MODE_MONO)
			return fail(HG_EIO, "font '%s' draws U+%04X in colour, not in grey",
				    font_file(), (unsigned)cp);
		blit_glyph(r, slot, pen, base);
		pen += (int)((slot->advance.x + 32) >> 6);
	}
	return HG_OK;
}

/* ---- the image ---- */

static void set_block(struct raster *r, int x, int y, int n)
{
	for (int yy = y; yy < y + n; yy++) {
		uint8_t *row = r->bits + (size_t)yy * (size_t)r->stride;

		for (int xx = x; xx < x + n; xx++)
			row[xx >> 3] |= (uint8_t)(0x80 >> (xx & 7));
	}
}

/* Lay out and draw; see the top of the file.  Under font_lock. */
static int render_locked(const struct print_job *job, int width, const char *text,
			 struct raster *out)
{
	struct font_slot *f = NULL;
	QRcode *qr = NULL;
	long rows, height;
	int cols, x0, y, scale = 0, qr_side = 0, more, rc;
	char *line = NULL;

	rc = font_for(width, &f);
	if (rc)
		return rc;
	/* a slip's 42 columns, centred: the 80 mm font leaves room for 44 */
	cols = width / f->adv < SLIP_WIDTH ? width / f->adv : SLIP_WIDTH;
	x0 = (width - cols * f->adv) / 2;
	rows = count_rows(text, cols);
	height = 2L * RASTER_PAD + rows * f->skip;

	if (job->qr && job->qr[0]) {
		qr = QRcode_encodeData((int)strlen(job->qr), (const unsigned char *)job->qr, 0,
				       QR_ECLEVEL_M);
		if (!qr)
			return fail(HG_EIO, "the QR encoder failed on a %zu-byte text",
				    strlen(job->qr));
		qr_side = qr->width + 8;
		scale = width / qr_side;
		if (scale > RASTER_QR_MAX_SCALE)
			scale = RASTER_QR_MAX_SCALE;
		if (scale < RASTER_QR_MIN_SCALE) {
			rc = fail(HG_ETOOLONG, "the QR (%d modules) does not fit %d dots at %d dots "
				  "a module", qr->width, width, RASTER_QR_MIN_SCALE);
			goto out;
		}
		height += (long)qr_side * scale;
	}
	if (height > RASTER_MAX_ROWS) {
		rc = fail(HG_ETOOLONG, "the slip would be %ld rows long (at most %d)", height,
			  RASTER_MAX_ROWS);
		goto out;
	}
	out->width = width;
	out->stride = width / 8;
	out->height = (int)height;
	out->bits = calloc((size_t)out->height, (size_t)out->stride);
	line = malloc((size_t)cols * 4 + 1);
	if (!out->bits || !line) {
		rc = fail(HG_ENOMEM, "out of memory for a %dx%ld image", width, height);
		goto out;
	}

	y = RASTER_PAD;
	for (const char *t = text; *t;) {
		size_t n = chunk(t, cols, &more);

		memcpy(line, t, n);
		line[n] = '\0';
		rc = draw_line(out, f, line, x0, y);
		if (rc)
			goto out;
		y += f->skip;
		t += n;
		if (!more && *t == '\n')
			t++;
	}
	if (qr) {
		int qx = (width - qr->width * scale) / 2, qy = y + 4 * scale;

		for (int my = 0; my < qr->width; my++)
			for (int mx = 0; mx < qr->width; mx++)
				if (qr->data[my * qr->width + mx] & 1)
					set_block(out, qx + mx * scale, qy + my * scale, scale);
	}
	rc = HG_OK;
out:
	free(line);
	if (qr)
		QRcode_free(qr);
	if (rc)
		raster_free(out);
	return rc;
}

int raster_render(const struct print_job *job, int width_dots, struct raster *out)
{
	char *text;
	int rc;

	if (!out)
		return fail(HG_EINVAL, "no image to render into");
	memset(out, 0, sizeof *out);
	if (!job || !job->text)
		return fail(HG_EINVAL, "no slip text");
	if (!job->text[0] && !(job->qr && job->qr[0]))
		return fail(HG_EINVAL, "the slip is empty");
	if (width_dots < RASTER_WIDTH_MIN || width_dots > RASTER_WIDTH_MAX || width_dots % 8)
		return fail(HG_EINVAL, "paper width %d dots: must be %d..%d in steps of 8 "
			    "(384 for 58 mm, 576 for 80 mm)", width_dots, RASTER_WIDTH_MIN,
			    RASTER_WIDTH_MAX);
	if (strlen(job->text) > RASTER_TEXT_MAX)
		return fail(HG_ETOOLONG, "the slip text is over %d bytes", RASTER_TEXT_MAX);
	text = clean_text(job->text);
	if (!text)
		return fail(HG_ENOMEM, "out of memory for the slip text");
	pthread_mutex_lock(&font_lock);
	rc = render_locked(job, width_dots, text, out);
	pthread_mutex_unlock(&font_lock);
	free(text);
	return rc;
}

void raster_free(struct raster *r)
{
	if (!r)
		return;
	free(r->bits);
	memset(r, 0, sizeof *r);
}

/* ---- ESC/POS ---- */

int escpos_encode(const struct raster *r, int cut, uint8_t **out, size_t *n)
{
	size_t bands, size, o = 0;
	uint8_t *b;

	if (!out || !n)
		return fail(HG_EINVAL, "no buffer to encode into");
	*out = NULL;
	*n = 0;
	if (!r || !r->bits || r->width <= 0 || r->width % 8 || r->stride != r->width / 8 ||
	    r->height <= 0 || r->stride > 0xffff)
		return fail(HG_EINVAL, "not an image to print");
	bands = ((size_t)r->height + ESCPOS_BAND_ROWS - 1) / ESCPOS_BAND_ROWS;
	size = 2 + bands * 8 + (size_t)r->height * (size_t)r->stride + 3 + 4;
	b = malloc(size);
	if (!b)
		return fail(HG_ENOMEM, "out of memory for %zu bytes of ESC/POS", size);
	b[o++] = 0x1b;		/* ESC @: initialise */
	b[o++] = '@';
	for (int y = 0; y < r->height; y += ESCPOS_BAND_ROWS) {
		int h = r->height - y < ESCPOS_BAND_ROWS ? r->height - y : ESCPOS_BAND_ROWS;
		size_t len = (size_t)h * (size_t)r->stride;

		b[o++] = 0x1d;	/* GS v 0 m xL xH yL yH */
		b[o++] = 'v';
		b[o++] = '0';
		b[o++] = 0;	/* m = 0: normal density */
		b[o++] = (uint8_t)(r->stride & 0xff);
		b[o++] = (uint8_t)(r->stride >> 8);
		b[o++] = (uint8_t)(h & 0xff);
		b[o++] = (uint8_t)(h >> 8);
		memcpy(b + o, r->bits + (size_t)y * (size_t)r->stride, len);
		o += len;
	}
	b[o++] = 0x1b;		/* ESC d n: print and feed n lines */
	b[o++] = 'd';
	b[o++] = ESCPOS_FEED_LINES;
	if (cut) {
		b[o++] = 0x1d;	/* GS V 66 0: feed to the cutter, partial cut */
		b[o++] = 'V';
		b[o++] = 66;
		b[o++] = 0;
	}
	*out = b;
	*n = o;
	return HG_OK;
}

/* Length of the non-raster command at buf[i] that escpos_encode() writes,
 * or 0 when it is not one. */
static size_t other_command(const uint8_t *buf, size_t n, size_t i)
{
	size_t left = n - i;

	if (buf[i] == '\n')
		return 1;
	if (buf[i] == 0x1b && left >= 2 && buf[i + 1] == '@')
		return 2;
	if (buf[i] == 0x1b && left >= 3 && buf[i + 1] == 'd')
		return 3;
	if (buf[i] == 0x1d && left >= 3 && buf[i + 1] == 'V') {
		uint8_t m = buf[i + 2];

		if (m == 0 || m == 1 || m == 48 || m == 49)
			return 3;
		if ((m == 65 || m == 66) && left >= 4)
			return 4;
	}
	return 0;
}

int escpos_decode(const uint8_t *buf, size_t n, struct raster *out)
{
	uint8_t *bits = NULL;
	size_t i = 0, have = 0;
	int stride = 0, height = 0;

	if (!out)
		return fail(HG_EINVAL, "no image to decode into");
	memset(out, 0, sizeof *out);
	if (!buf || n > ESCPOS_MAX_BYTES)
		return fail(HG_EINVAL, "no ESC/POS bytes, or more than %u", ESCPOS_MAX_BYTES);
	while (i < n) {
		size_t skip = other_command(buf, n, i), len;
		int xb, h;
		uint8_t *grown;

		if (skip) {
			i += skip;
			continue;
		}
		if (buf[i] != 0x1d || n - i < 8 || buf[i + 1] != 'v' || buf[i + 2] != '0') {
			free(bits);
			return fail(HG_EINVAL, "byte %zu (0x%02x) starts no command the encoder "
				    "writes", i, buf[i]);
		}
		xb = buf[i + 4] | buf[i + 5] << 8;
		h = buf[i + 6] | buf[i + 7] << 8;
		if (buf[i + 3] != 0 || xb == 0 || h == 0 || (stride && xb != stride)) {
			free(bits);
			return fail(HG_EINVAL, "raster band at byte %zu: mode %u, %d bytes by %d "
				    "rows (not one of ours)", i, buf[i + 3], xb, h);
		}
		len = (size_t)xb * (size_t)h;
		if (n - i - 8 < len) {
			free(bits);
			return fail(HG_EINVAL, "raster band at byte %zu is cut short", i);
		}
		grown = realloc(bits, have + len);
		if (!grown) {
			free(bits);
			return fail(HG_ENOMEM, "out of memory decoding ESC/POS");
		}
		bits = grown;
		memcpy(bits + have, buf + i + 8, len);
		have += len;
		stride = xb;
		height += h;
		i += 8 + len;
	}
	if (!bits)
		return fail(HG_EINVAL, "no raster band in %zu bytes", n);
	out->width = stride * 8;
	out->stride = stride;
	out->height = height;
	out->bits = bits;
	return HG_OK;
}

int raster_write_pbm(const struct raster *r, const char *path)
{
	FILE *fp;
	int ok;

	if (!r || !r->bits || !path)
		return fail(HG_EINVAL, "no image or no path");
	fp = fopen(path, "wb");
	if (!fp)
		return fail(HG_EIO, "cannot create '%s'", path);
	ok = fprintf(fp, "P4\n%d %d\n", r->width, r->height) > 0 &&
	     fwrite(r->bits, (size_t)r->stride, (size_t)r->height, fp) == (size_t)r->height;
	if (fclose(fp) != 0 || !ok)
		return fail(HG_EIO, "cannot write '%s'", path);
	return HG_OK;
}
