/* screens_int.h: what kiosk/screens.c and kiosk/screens_strip.c share (the
 * kiosk's screens, drawn into a struct ui; no SDL).  Not for other files:
 * kiosk/screens.h is the screens' interface. */
#ifndef SCREENS_INT_H
#define SCREENS_INT_H

#include <stddef.h>
#include "screens.h"

/* key's text in lang with its first "%s" replaced by a and its second by b
 * (a text with fewer keeps what it has), into buf[cap]; buf. */
const char *screens_fmt2(char *buf, size_t cap, enum lang lang, const char *key, const char *a,
			 const char *b);

/* "Step 3 of 10" of f's flow into buf ("" outside a flow: start, the
 * operator's own session); dots (if not NULL): one "●" per step done or
 * current, "○" per step left; buf. */
const char *screens_step_text(char *buf, size_t cap, const struct session *f, char *dots,
			      size_t dcap);

/* The strip under the header of every screen of a session (who, company,
 * truck, clock, the step), cut off the top of ui's box; its clock's place
 * into v->clock_r. */
void screens_strip(struct ui *ui, const struct session *f, struct kiosk_view *v);

#endif
