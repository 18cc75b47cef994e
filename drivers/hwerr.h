/* hwerr.h: what a driver's error code means for the person installing or
 * running the station, in English (logs, stderr, `haulgate hw`). */
#ifndef HWERR_H
#define HWERR_H

/* "the setting is not valid (...)", "does not answer (...)", ... for the
 * HG_E* code a backend's open/read/set returned.  For HG_EREFUSED (the
 * device answered, refusing: a Modbus exception) the words the backend gave
 * hw_error_refused() last on this thread, which name what was refused. */
const char *hw_error_text(int rc);

/* For a backend about to return HG_EREFUSED: keep fmt's words (cut past
 * 255 bytes) for hw_error_text() on the calling thread.  Returns
 * HG_EREFUSED. */
int hw_error_refused(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
