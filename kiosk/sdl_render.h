/* sdl_render.h: draws a struct ui command list with SDL2 and SDL2_ttf.
 *
 * The renderer owns the fonts and a cache of text textures; the caller owns
 * the SDL_Renderer and the window.  render_measure() is the ui_measure_fn the
 * layout uses, so what is measured is what is drawn.  A frame is drawn with
 * render_frame(), may be saved with render_save_png() (before it is
 * presented: that is when the pixels can be read back) and is shown with
 * SDL_RenderPresent() by the caller. */
#ifndef SDL_RENDER_H
#define SDL_RENDER_H

#include <stddef.h>
#include <SDL.h>
#include "ui.h"

#define RENDER_FONT_DIR "/usr/share/fonts/truetype/dejavu"
#define RENDER_TEXT_CACHE 512	/* text textures kept (least recently used goes) */
#define RENDER_TEXT_BYTES (8L << 20)	/* and at most this many bytes of them (w x h x 4):
					 * large text at 1920x1080 made the 512 take 60 MB */
#define RENDER_TEXT_KEY 256	/* longest text cached, bytes; longer is drawn uncached */
#define RENDER_FONT_CACHE 48	/* (font, px) pairs kept open */
#define RENDER_PIC_CACHE 32	/* picture textures kept, by (picture, size) */
/* where the pictures are looked for, beside the program (SDL_GetBasePath()):
 * installed (bin/../share/haulgate/pictures), then the build tree
 * (build/haulgate-kiosk, build/asan/haulgate-kiosk) */
#define PICTURE_DIRS "../share/haulgate/pictures", "../assets/pictures", \
	"../../assets/pictures"
#define PICTURE_DIRS_TEXT "../share/haulgate/pictures, ../assets/pictures"

struct render;

/* A renderer on r (borrowed; must outlive it).  Fonts come from font_dir, or
 * $HAULGATE_FONT_DIR, or RENDER_FONT_DIR when both are NULL/empty; the two
 * files (DejaVuSans.ttf, DejaVuSans-Bold.ttf) are opened once here to fail
 * early.  TTF_Init() must have been called.  Returns HG_OK, or HG_EIO
 * (which font could not be opened), HG_ETOOLONG or HG_ENOMEM with the words
 * in hg_error_text() (core/report.h).  The pictures' folder is
 * $HAULGATE_PICTURE_DIR, else the first of PICTURE_DIRS that holds them;
 * none is not an error (said on stderr; the words are drawn alone). */
int render_open(struct render **out, SDL_Renderer *r, const char *font_dir);

/* Close the fonts, destroy the cached textures.  Safe with NULL. */
void render_close(struct render *rd);

/* The ui_measure_fn of the layout (ctx: the struct render): size of one line
 * of UTF-8 text in px.  Returns 0, or -1 (w = h = 0) when the font is missing. */
int render_measure(void *ctx, enum ui_font f, int px, const char *text, int *w, int *h);

/* Bytes of pixels the text cache holds now (at most RENDER_TEXT_BYTES). */
long render_text_bytes(const struct render *rd);

/* Size of the drawable area in px (SDL_GetRendererOutputSize). */
void render_output_size(struct render *rd, int *w, int *h);

/* Clear to the background and draw every command of ui, in order.  Text
 * textures are reused from the cache.  Does not present.  Returns HG_OK or
 * HG_EIO (a draw call failed; SDL_GetError() says which). */
int render_frame(struct render *rd, const struct ui *ui);

/* Save what render_frame() drew, before SDL_RenderPresent(), as a PNG at
 * path.  Returns HG_OK, or HG_EIO or HG_ENOMEM with the words in
 * hg_error_text() (core/report.h). */
int render_save_png(struct render *rd, const char *path);

/* Forget every cached texture (after SDL_RENDER_TARGETS_RESET or
 * SDL_RENDER_DEVICE_RESET, when the textures are gone). */
void render_reset(struct render *rd);

#endif
