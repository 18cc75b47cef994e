/* hwerr.h: what a driver's error code means for the person installing or
 * running the station, in English (logs, stderr, `haulgate hw`). */
#ifndef HWERR_H
#define HWERR_H

/* "the setting is not valid (...)", "does not answer (...)", ... for the
 * HG_E* code a backend's open/read/set returned.  For HG_EREFUSED (the
 * device answered, refusing: a Modbus exception) the words the backend gave
 * hg_fail() (core/report.h), which name what was refused: read it right
 * after the call that failed, on the same thread. */
const char *hw_error_text(int rc);

#endif
