/* table_print.c: a table printed to a stdio stream, for the station's and
 * the plant's command lines; the rendering itself is core/table.c's. */
#include "table_print.h"

static int to_file(void *ctx, const char *p, size_t n)
{
	return fwrite(p, 1, n, ctx) == n ? HG_OK : HG_EIO;
}

int table_print(const struct table *t, enum table_fmt fmt, FILE *out)
{
	if (!out)
		return HG_EINVAL;
	return table_render(t, fmt, to_file, out);
}
