/* table_print.h: a table (core/table.h) printed to a stdio stream. */
#ifndef HOST_TABLE_PRINT_H
#define HOST_TABLE_PRINT_H

#include <stdio.h>
#include "../core/table.h"

/* table_render() of t into out, in fmt.  HG_OK, or HG_EIO when out cannot
 * be written (HG_ENOMEM).  A NULL table prints nothing. */
int table_print(const struct table *t, enum table_fmt fmt, FILE *out);

#endif
