/* sdl_render.c: draws the kiosk's draw commands with an SDL_Renderer.
 *
 * The layout (ui.c) says what goes where as a flat list of fills, borders and
 * one-line texts; this file only turns each into SDL calls.  Text is the
 * costly part, so each rendered line is kept as a texture keyed by (font, px,
 * colour, text) in a fixed table of RENDER_TEXT_CACHE entries holding at most
 * RENDER_TEXT_BYTES of pixels; when either is full the least recently used
 * entries are destroyed.  TTF_Font handles are
 * opened on demand per (font, px) and kept the same way.  Nothing here
 * allocates per frame once the screen's texts are cached.  Pictures
 * (UI_IMAGE, the SVG files of assets/pictures) are rasterised by SDL2_image at the size
 * the layout asks, once, and kept the same way (RENDER_PIC_CACHE); only
 * their shape (alpha) is used, painted in the command's colour.  A picture
 * that cannot be loaded is said once on stderr and left out: the words
 * beside it are drawn alone.  Start reading at render_frame(). */
#include <errno.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <SDL_image.h>
#include <SDL_ttf.h>
#include "sdl_render.h"
#include "../core/hg.h"
#include "../core/report.h"

static const char *const font_files[FONT_COUNT] = {
	[FONT_BODY] = "DejaVuSans.ttf",
	[FONT_BOLD] = "DejaVuSans-Bold.ttf",
};

struct font_slot {
	TTF_Font *font;		/* NULL: free */
	enum ui_font f;
	int px;
	unsigned long used;	/* last use, for LRU */
};

struct text_slot {
	SDL_Texture *tex;	/* NULL: free */
	enum ui_font f;
	int px;
	uint32_t rgba;
	int w, h;
	unsigned long used;
	char text[RENDER_TEXT_KEY];
};

struct pic_slot {
	SDL_Texture *tex;	/* NULL: free */
	enum ui_picture p;
	int w, h;
	unsigned long used;
};

struct render {
	SDL_Renderer *r;
	char dir[512];
	char pic_dir[512];	/* "" when no folder holds the pictures */
	unsigned char pic_bad[PIC_COUNT];	/* failed once: not tried again */
	struct pic_slot pics[RENDER_PIC_CACHE];
	unsigned long clock;	/* counts uses, for LRU */
	struct font_slot fonts[RENDER_FONT_CACHE];
	struct text_slot texts[RENDER_TEXT_CACHE];
	long text_bytes;	/* pixels held by texts[], w x h x 4 */
};

static int font_path(const struct render *rd, enum ui_font f, char *buf, size_t cap)
{
	int n = snprintf(buf, cap, "%s/%s", rd->dir, font_files[f]);

	return n < 0 || (size_t)n >= cap ? HG_ETOOLONG : HG_OK;
}

/* The TTF_Font for (f, px), opened now if it is not open yet; NULL if it
 * cannot be.  A full table closes the least recently used font. */
static TTF_Font *font_get(struct render *rd, enum ui_font f, int px)
{
	struct font_slot *s, *victim = NULL;
	char path[600];
	int i;

	if ((unsigned)f >= FONT_COUNT || px < 1 || px > 1000)
		return NULL;
	for (i = 0; i < RENDER_FONT_CACHE; i++) {
		s = &rd->fonts[i];
		if (s->font && s->f == f && s->px == px) {
			s->used = ++rd->clock;
			return s->font;
		}
		if (!victim || !s->font || (victim->font && s->used < victim->used))
			victim = s;
	}
	if (font_path(rd, f, path, sizeof path) != HG_OK)
		return NULL;
	if (victim->font)
		TTF_CloseFont(victim->font);
	victim->font = TTF_OpenFont(path, px);
	if (!victim->font)
		return NULL;
	victim->f = f;
	victim->px = px;
	victim->used = ++rd->clock;
	return victim->font;
}

/* The pictures' folder: $HAULGATE_PICTURE_DIR, else the first of
 * PICTURE_DIRS beside the program (SDL_GetBasePath()) that holds the first
 * picture; "" when none does (said on stderr: the kiosk runs without). */
static void find_pictures(struct render *rd)
{
	static const char *const dirs[] = {PICTURE_DIRS};
	const char *env = getenv("HAULGATE_PICTURE_DIR");
	char *base;
	char path[1200];

	rd->pic_dir[0] = '\0';
	if (env && *env) {
		snprintf(rd->pic_dir, sizeof rd->pic_dir, "%s", env);
		return;
	}
	base = SDL_GetBasePath();
	for (size_t i = 0; base && i < HG_ARRAY_LEN(dirs); i++) {
		snprintf(path, sizeof path, "%s%s/%s", base, dirs[i], ui_picture_file(0));
		if (access(path, R_OK) == 0) {
			snprintf(rd->pic_dir, sizeof rd->pic_dir, "%s%s", base, dirs[i]);
			break;
		}
	}
	if (!rd->pic_dir[0])
		fprintf(stderr, "kiosk: no pictures found beside '%s' (%s, or set "
			"HAULGATE_PICTURE_DIR): the screens show their words alone\n",
			base ? base : "the program", PICTURE_DIRS_TEXT);
	SDL_free(base);
}

int render_open(struct render **out, SDL_Renderer *r, const char *font_dir)
{
	struct render *rd;
	char path[600];
	const char *dir = font_dir;
	int f;

	*out = NULL;
	if (!dir || !*dir)
		dir = getenv("HAULGATE_FONT_DIR");
	if (!dir || !*dir)
		dir = RENDER_FONT_DIR;
	rd = calloc(1, sizeof *rd);
	if (!rd)
		return hg_fail(HG_ENOMEM, "out of memory");
	rd->r = r;
	if (snprintf(rd->dir, sizeof rd->dir, "%s", dir) >= (int)sizeof rd->dir) {
		free(rd);
		return hg_fail(HG_ETOOLONG, "font folder '%.60s...' is too long", dir);
	}
	for (f = 0; f < FONT_COUNT; f++) {
		if (!font_get(rd, (enum ui_font)f, 24)) {
			font_path(rd, (enum ui_font)f, path, sizeof path);
			hg_fail(HG_EIO, "cannot open font '%s': %s (install fonts-dejavu-core "
				"or set HAULGATE_FONT_DIR)", path, TTF_GetError());
			render_close(rd);
			return HG_EIO;
		}
	}
	find_pictures(rd);
	SDL_SetRenderDrawBlendMode(r, SDL_BLENDMODE_BLEND);
	*out = rd;
	return HG_OK;
}

void render_reset(struct render *rd)
{
	int i;

	if (!rd)
		return;
	for (i = 0; i < RENDER_TEXT_CACHE; i++) {
		if (rd->texts[i].tex)
			SDL_DestroyTexture(rd->texts[i].tex);
		rd->texts[i].tex = NULL;
	}
	rd->text_bytes = 0;
	for (i = 0; i < RENDER_PIC_CACHE; i++) {
		if (rd->pics[i].tex)
			SDL_DestroyTexture(rd->pics[i].tex);
		rd->pics[i].tex = NULL;
	}
}

void render_close(struct render *rd)
{
	int i;

	if (!rd)
		return;
	render_reset(rd);
	for (i = 0; i < RENDER_FONT_CACHE; i++)
		if (rd->fonts[i].font)
			TTF_CloseFont(rd->fonts[i].font);
	free(rd);
}

long render_text_bytes(const struct render *rd)
{
	return rd ? rd->text_bytes : 0;
}

int render_measure(void *ctx, enum ui_font f, int px, const char *text, int *w, int *h)
{
	struct render *rd = ctx;
	TTF_Font *font = font_get(rd, f, px);

	*w = 0;
	*h = 0;
	if (!font)
		return -1;
	if (!*text) {
		*h = TTF_FontHeight(font);
		return 0;
	}
	if (TTF_SizeUTF8(font, text, w, h) != 0)
		return -1;
	return 0;
}

void render_output_size(struct render *rd, int *w, int *h)
{
	if (SDL_GetRendererOutputSize(rd->r, w, h) != 0) {
		*w = 0;
		*h = 0;
	}
}

static uint32_t pack(struct ui_color c)
{
	return (uint32_t)c.r << 24 | (uint32_t)c.g << 16 | (uint32_t)c.b << 8 | c.a;
}

/* Least recently used texts destroyed until the cache holds at most
 * RENDER_TEXT_BYTES of pixels; keep (the text just made) stays. */
static void text_trim(struct render *rd, const struct text_slot *keep)
{
	while (rd->text_bytes > RENDER_TEXT_BYTES) {
		struct text_slot *old = NULL;

		for (int i = 0; i < RENDER_TEXT_CACHE; i++) {
			struct text_slot *s = &rd->texts[i];

			if (s->tex && s != keep && (!old || s->used < old->used))
				old = s;
		}
		if (!old)
			return;
		SDL_DestroyTexture(old->tex);
		old->tex = NULL;
		rd->text_bytes -= 4L * old->w * old->h;
	}
}

/* A texture of one line of text; *owned is set when it is not cached (the
 * caller destroys it).  NULL when it cannot be made. */
static SDL_Texture *text_texture(struct render *rd, const struct ui_cmd *c, int *w, int *h,
				 int *owned)
{
	struct text_slot *s, *victim = NULL;
	uint32_t rgba = pack(c->c);
	size_t len = strlen(c->text);
	SDL_Color col = {c->c.r, c->c.g, c->c.b, c->c.a};
	SDL_Surface *surf;
	SDL_Texture *tex;
	TTF_Font *font;
	int i;

	*owned = 0;
	if (len < RENDER_TEXT_KEY) {
		for (i = 0; i < RENDER_TEXT_CACHE; i++) {
			s = &rd->texts[i];
			if (s->tex && s->f == c->font && s->px == c->px && s->rgba == rgba &&
			    strcmp(s->text, c->text) == 0) {
				s->used = ++rd->clock;
				*w = s->w;
				*h = s->h;
				return s->tex;
			}
			if (!victim || !s->tex || (victim->tex && s->used < victim->used))
				victim = s;
		}
	}
	font = font_get(rd, c->font, c->px);
	if (!font)
		return NULL;
	surf = TTF_RenderUTF8_Blended(font, c->text, col);
	if (!surf)
		return NULL;
	tex = SDL_CreateTextureFromSurface(rd->r, surf);
	*w = surf->w;
	*h = surf->h;
	SDL_FreeSurface(surf);
	if (!tex)
		return NULL;
	SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_BLEND);
	if (!victim) {
		*owned = 1;
		return tex;
	}
	if (victim->tex) {
		SDL_DestroyTexture(victim->tex);
		rd->text_bytes -= 4L * victim->w * victim->h;
	}
	victim->tex = tex;
	victim->f = c->font;
	victim->px = c->px;
	victim->rgba = rgba;
	victim->w = *w;
	victim->h = *h;
	victim->used = ++rd->clock;
	memcpy(victim->text, c->text, len + 1);
	rd->text_bytes += 4L * *w * *h;
	text_trim(rd, victim);
	return tex;
}

static int draw_text(struct render *rd, const struct ui_cmd *c)
{
	SDL_Texture *tex;
	SDL_Rect dst;
	int w, h, owned, rc;

	if (!c->text || !*c->text)
		return 0;
	tex = text_texture(rd, c, &w, &h, &owned);
	if (!tex)
		return -1;
	dst = (SDL_Rect){c->r.x, c->r.y, w, h};
	rc = SDL_RenderCopy(rd->r, tex, NULL, &dst);
	if (owned)
		SDL_DestroyTexture(tex);
	return rc;
}

/* Picture p at w x h px, as a white shape on transparent (tinted when
 * drawn): from the cache, or rasterised from its SVG now.  NULL when it
 * cannot be loaded; that is said once and the picture is not tried again. */
static SDL_Texture *pic_texture(struct render *rd, enum ui_picture p, int w, int h)
{
	struct pic_slot *s, *victim = NULL;
	SDL_Surface *img = NULL, *argb = NULL;
	SDL_RWops *rw;
	SDL_Texture *tex = NULL;
	char path[1200];
	int i;

	if ((unsigned)p >= PIC_COUNT || rd->pic_bad[p] || w < 1 || h < 1 || w > 4096 || h > 4096)
		return NULL;
	for (i = 0; i < RENDER_PIC_CACHE; i++) {
		s = &rd->pics[i];
		if (s->tex && s->p == p && s->w == w && s->h == h) {
			s->used = ++rd->clock;
			return s->tex;
		}
		if (!victim || !s->tex || (victim->tex && s->used < victim->used))
			victim = s;
	}
	if (!rd->pic_dir[0]) {
		rd->pic_bad[p] = 1;
		return NULL;
	}
	snprintf(path, sizeof path, "%s/%s", rd->pic_dir, ui_picture_file(p));
	rw = SDL_RWFromFile(path, "rb");
	if (rw && !IMG_isSVG(rw))
		SDL_SetError("not an SVG file");
	else if (rw)
		img = IMG_LoadSizedSVG_RW(rw, w, h);	/* does not close rw; an SVG
							 * without a size leaks 16 bytes
							 * in SDL_image 2.6: once, as
							 * a bad picture is not retried */
	if (rw)
		SDL_RWclose(rw);
	if (img)
		argb = SDL_ConvertSurfaceFormat(img, SDL_PIXELFORMAT_ARGB8888, 0);
	if (argb && SDL_LockSurface(argb) == 0) {
		/* keep the shape, make it white: SDL_SetTextureColorMod paints it */
		for (int y = 0; y < argb->h; y++) {
			Uint32 *row = (Uint32 *)((Uint8 *)argb->pixels + y * argb->pitch);
			for (int x = 0; x < argb->w; x++)
				row[x] |= 0x00FFFFFFu;
		}
		SDL_UnlockSurface(argb);
		tex = SDL_CreateTextureFromSurface(rd->r, argb);
	}
	if (!tex) {
		rd->pic_bad[p] = 1;
		fprintf(stderr, "kiosk: cannot load picture '%s': %s; its words are shown alone\n",
			path, rw ? SDL_GetError() : strerror(errno));
	}
	SDL_FreeSurface(argb);
	SDL_FreeSurface(img);
	if (!tex)
		return NULL;
	SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_BLEND);
	if (victim->tex)
		SDL_DestroyTexture(victim->tex);
	*victim = (struct pic_slot){tex, p, w, h, ++rd->clock};
	return tex;
}

/* A picture in c->r, in c->c; nothing (and no failure) when it cannot be
 * loaded. */
static int draw_image(struct render *rd, const struct ui_cmd *c)
{
	SDL_Texture *tex = pic_texture(rd, c->pic, c->r.w, c->r.h);
	int tw, th;

	if (!tex)
		return 0;
	if (SDL_QueryTexture(tex, NULL, NULL, &tw, &th) != 0)
		return -1;
	SDL_SetTextureColorMod(tex, c->c.r, c->c.g, c->c.b);
	return SDL_RenderCopy(rd->r, tex, NULL,
			      &(SDL_Rect){c->r.x + (c->r.w - tw) / 2, c->r.y + (c->r.h - th) / 2,
					  tw, th});
}

/* A border of c->thick px inside c->r. */
static int draw_border(struct render *rd, const struct ui_cmd *c)
{
	const struct ui_rect *r = &c->r;
	int t = c->thick < 1 ? 1 : c->thick;
	SDL_Rect sides[4];

	if (2 * t >= r->w || 2 * t >= r->h)
		return SDL_RenderFillRect(rd->r, &(SDL_Rect){r->x, r->y, r->w, r->h});
	sides[0] = (SDL_Rect){r->x, r->y, r->w, t};
	sides[1] = (SDL_Rect){r->x, r->y + r->h - t, r->w, t};
	sides[2] = (SDL_Rect){r->x, r->y + t, t, r->h - 2 * t};
	sides[3] = (SDL_Rect){r->x + r->w - t, r->y + t, t, r->h - 2 * t};
	return SDL_RenderFillRects(rd->r, sides, 4);
}

/* The colour of the next fills.  An opaque colour is drawn without
 * blending: the same pixels, but SDL's software renderer would otherwise
 * blend every pixel of every panel (multiply by 1 - alpha = 0), the most
 * costly part of a frame at 1920x1080 (`make bench`). */
static void set_color(struct render *rd, struct ui_color c)
{
	SDL_SetRenderDrawBlendMode(rd->r, c.a == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
	SDL_SetRenderDrawColor(rd->r, c.r, c.g, c.b, c.a);
}

int render_frame(struct render *rd, const struct ui *ui)
{
	int i, rc, bad = 0;

	SDL_SetRenderDrawColor(rd->r, UI_BG.r, UI_BG.g, UI_BG.b, 255);
	SDL_RenderClear(rd->r);
	for (i = 0; i < ui->n_cmds && i < UI_MAX_CMDS; i++) {
		const struct ui_cmd *c = &ui->cmds[i];

		if (c->r.w <= 0 || c->r.h <= 0)
			continue;
		switch (c->kind) {
		case UI_FILL:
			set_color(rd, c->c);
			rc = SDL_RenderFillRect(rd->r,
						&(SDL_Rect){c->r.x, c->r.y, c->r.w, c->r.h});
			break;
		case UI_BORDER:
			set_color(rd, c->c);
			rc = draw_border(rd, c);
			break;
		case UI_TEXT:
			rc = draw_text(rd, c);
			break;
		case UI_IMAGE:
			rc = draw_image(rd, c);
			break;
		default:
			rc = 0;
			break;
		}
		if (rc != 0)
			bad = 1;
	}
	return bad ? HG_EIO : HG_OK;
}

/* Write s to path as PNG.  IMG_SavePNG() does not check the close of its
 * file, so a full disk would lose the end of the PNG unseen: the PNG goes
 * through a FILE of ours, flushed and closed with their errors checked. */
static int save_png(SDL_Surface *s, const char *path)
{
	SDL_RWops *rw;
	FILE *f;
	int rc;

	f = fopen(path, "wb");
	if (!f)
		return hg_fail(HG_EIO, "cannot save '%s': %s", path, strerror(errno));
	rw = SDL_RWFromFP(f, SDL_FALSE);
	rc = rw ? IMG_SavePNG_RW(s, rw, 1) : -1;	/* closes rw, not f */
	if (rc != 0)
		rc = hg_fail(HG_EIO, "cannot save '%s': %s", path, SDL_GetError());
	else if (fflush(f) != 0 || ferror(f))
		rc = hg_fail(HG_EIO, "cannot save '%s': %s", path, strerror(errno));
	if (fclose(f) != 0 && rc == 0)
		rc = hg_fail(HG_EIO, "cannot save '%s': %s", path, strerror(errno));
	return rc;
}

int render_save_png(struct render *rd, const char *path)
{
	SDL_Surface *s;
	int w, h, rc;

	render_output_size(rd, &w, &h);
	if (w <= 0 || h <= 0)
		return hg_fail(HG_EIO, "cannot save '%s': no frame size", path);
	s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
	if (!s)
		return hg_fail(HG_ENOMEM, "cannot save '%s': %s", path, SDL_GetError());
	rc = SDL_RenderReadPixels(rd->r, NULL, SDL_PIXELFORMAT_ARGB8888, s->pixels, s->pitch);
	if (rc != 0)
		rc = hg_fail(HG_EIO, "cannot save '%s': %s", path, SDL_GetError());
	else
		rc = save_png(s, path);
	SDL_FreeSurface(s);
	return rc;
}
