/* po_file.h: translation files read from disk: a PO file into a table
 * (core/po.h parses the text), and the HAULGATE_PO_DIR loader of
 * core/i18n.h. */
#ifndef HOST_PO_FILE_H
#define HOST_PO_FILE_H

#include "../core/po.h"

/* po_parse() of the file at path (at most PO_FILE_MAX bytes).  Returns also
 * HG_EIO when the file cannot be read (err->line is 0 then). */
int po_load(const char *path, struct po **out, struct po_error *err);

/* Install the loader that reads <dir>/en.po and <dir>/es.po when the
 * environment variable HAULGATE_PO_DIR names a folder (i18n_set_loader):
 * call it in main() before any text is asked for. */
void i18n_files_use(void);

#endif
