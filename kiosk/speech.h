/* speech.h: screens and errors read aloud (espeak-ng), for people who cannot
 * read the screen.
 *
 * speech_say() never blocks the UI: in "play" mode espeak-ng synthesises and
 * plays on its own thread through the station's speaker or headphone jack;
 * a new utterance cuts the one before.  "wav:<folder>" writes each utterance
 * to <folder>/speech-<n>.wav instead (tests, and checking a translation by
 * ear); "off" says nothing. */
#ifndef SPEECH_H
#define SPEECH_H

#include "../core/i18n.h"

struct speech;

/* Open speech output per mode ("play", "wav:<folder>", "off").  Returns 0 or
 * a negative HG_E* code (espeak-ng missing its data, no sound device...);
 * *out is NULL then, and speech_say(NULL, ...) is a harmless no-op. */
int speech_open(struct speech **out, const char *mode);

/* Say text in lang (English or Spanish voice).  Returns 0 or a negative code. */
int speech_say(struct speech *s, const char *text, enum lang lang);

/* How many utterances were said so far (for tests). */
int speech_count(const struct speech *s);

void speech_close(struct speech *s);

#endif
