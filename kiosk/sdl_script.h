/* sdl_script.h: `haulgate-kiosk --script FILE`: the scenario language as real input.
 *
 * The script is the core's scenario language (scenario/scenario.h,
 * docs/SCENARIOS.md) with these differences, so that a scripted run goes
 * through the same code as a finger:
 *
 *   tap X Y        a tap at (X, Y) in frame px: SDL mouse motion, down, up
 *   snap FILE.png  save the next drawn frame (relative to --snap-dir, or to
 *                  the script's folder); not written whole: exit 1
 *   press <id>     a tap at the centre of that button on the screen now;
 *                  no such button there: the run fails (exit 1); an id no
 *                  screen has: a syntax error (exit 2)
 *   type <text>    for each character, a tap on its key ("key:<c>",
 *                  "key:space"), turning keyboard pages ("kiosk:kb_*") when
 *                  the key is not shown; a character no key has arrives as
 *                  SDL_TEXTINPUT, as from a USB keyboard
 *   card <uid>     the SDL event the card reader thread pushes
 *
 * clock, wait, field, fault and expect are run by scenario_step() as in
 * `haulgate simulate`.  After each line the queued events are handled and
 * the frame redrawn before the next line is read. */
#ifndef SDL_SCRIPT_H
#define SDL_SCRIPT_H

#include <stddef.h>
#include "sdl_kiosk.h"
#include "../core/report.h"

/* Run the script at path on k (station open, window up, k->scn set and the
 * clock reading k->scn->now).  snap_dir may be NULL.  Returns 0 when every
 * line ran and every expect held, 1 when an expect, a press or a snap failed,
 * 2 for a syntax error or an unreadable file; hg_error_text() (core/report.h)
 * names the line. */
int kiosk_script_run(struct kiosk *k, const char *path, const char *snap_dir);

#endif
