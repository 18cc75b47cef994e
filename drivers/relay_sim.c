/* relay_sim.c: simulated relays kept in a text file ("sim:var/relays").
 *
 * The state file holds one `name=word` line per relay ("gate=locked",
 * "valve=closed"; words from relay_word()).  It is rewritten whole on every
 * set (temp file, fsync, rename: a crash never leaves half a file) and read
 * back from disk, so a person or a test that edits the file under the driver
 * sees get() report what the file says.  Every change of a relay is appended
 * to <file>.log with its time: "2026-11-23T14:02:11Z valve=open" (open logs
 * every relay's starting state; a set that changes nothing logs nothing;
 * close logs the relays it turns off).
 *
 * Fault injection (relay_sim_fail, after SQLite's test_syscall.c): the nth set
 * from now, or every set from it on, fails with HG_EIO and leaves the file as
 * it was; with a negative nth the relay sticks instead: the file gets the
 * opposite of what was asked and the read-back reports the mismatch as
 * HG_EIO.  Start reading at sim_set(). */
#include "relay.h"
#include "drv.h"
#include "../core/text.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SIM_MAX_RELAYS 32
#define SIM_NAME_MAX 31		/* characters of a relay name */
#define SIM_LINE_MAX 128	/* longest line accepted in the state file */

struct slot {
	char name[SIM_NAME_MAX + 1];
	int on;			/* what the file was last written with */
};

struct relay_dev {
	char path[DRV_PATH];	/* the state file */
	char log[DRV_PATH];	/* <path>.log */
	struct drv_fault fault;
	int stick;		/* the armed fault is a read-back mismatch */
	long calls_set, calls_get;	/* every call, for a debugger */
	int n;
	struct slot slot[];
};

static int name_ok(const char *s)
{
	size_t i, n;

	if (!s)
		return 0;
	n = strlen(s);
	if (n == 0 || n > SIM_NAME_MAX)
		return 0;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.'))
			return 0;
	}
	return 1;
}

static int find(const struct relay_dev *d, const char *name)
{
	int i;

	for (i = 0; name && i < d->n; i++) {
		if (strcmp(d->slot[i].name, name) == 0)
			return i;
	}
	return -1;
}

/* The state file, whole, from the slots. */
static int write_state(struct relay_dev *d)
{
	char buf[SIM_MAX_RELAYS * (SIM_NAME_MAX + 16)];
	size_t len = 0;
	int i, w;

	for (i = 0; i < d->n; i++) {
		w = snprintf(buf + len, sizeof buf - len, "%s=%s\n", d->slot[i].name,
			     relay_word(d->slot[i].name, d->slot[i].on));
		if (w < 0 || (size_t)w >= sizeof buf - len)
			return HG_EIO;
		len += (size_t)w;
	}
	return drv_replace(d->path, buf, len);
}

/* Append one line per relay whose mask bit is set: "<time> name=word". */
static int write_log(struct relay_dev *d, const unsigned char *mask, hg_time now)
{
	char buf[SIM_MAX_RELAYS * (SIM_NAME_MAX + 40)];
	char when[21];
	size_t len = 0;
	int i, w, fd, r = HG_OK;

	text_time_iso(now, when);
	for (i = 0; i < d->n; i++) {
		if (!mask[i])
			continue;
		w = snprintf(buf + len, sizeof buf - len, "%s %s=%s\n", when,
			     d->slot[i].name, relay_word(d->slot[i].name, d->slot[i].on));
		if (w < 0 || (size_t)w >= sizeof buf - len)
			return HG_EIO;
		len += (size_t)w;
	}
	if (len == 0)
		return HG_OK;
	fd = open(d->log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return HG_EIO;
	/* one write: lines of one change stay together */
	for (;;) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n != (ssize_t)len)
			r = HG_EIO;
		break;
	}
	if (close(fd) != 0)
		r = HG_EIO;
	return r;
}

/* s without leading and trailing spaces, tabs and CRs (in place). */
static char *strip(char *s)
{
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

/* Read relay name's state from the file as it is now: its "name = word"
 * line (spaces and a CR tolerated, other lines skipped). */
static int read_state(const struct relay_dev *d, const char *name, int *on)
{
	char line[SIM_LINE_MAX + 2];
	int r = HG_ECORRUPT;	/* until the relay's line is found */
	char *eq, *key;
	FILE *f;
	size_t len;
	int v;

	f = fopen(d->path, "r");
	if (!f)
		return HG_EIO;
	while (fgets(line, sizeof line, f)) {
		len = strlen(line);
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		else if (!feof(f))
			goto corrupt;	/* a line over SIM_LINE_MAX */
		eq = strchr(line, '=');
		if (!eq)
			continue;
		*eq = '\0';
		key = strip(line);
		if (strcmp(key, name) != 0)
			continue;
		v = relay_word_parse(name, strip(eq + 1));
		if (v < 0)
			goto corrupt;
		*on = v;
		r = HG_OK;
		break;
	}
	if (ferror(f))
		r = HG_EIO;
	fclose(f);
	return r;
corrupt:
	fclose(f);
	return HG_ECORRUPT;
}

static int sim_open(struct relay_dev **out, const char *arg, const char *const *names,
		    const char *const *args, int n, hg_time now)
{
	unsigned char all[SIM_MAX_RELAYS];
	struct relay_dev *d;
	int i, len, r;

	(void)args;		/* the simulation has no coil addresses */
	if (!out)
		return HG_EINVAL;
	*out = NULL;
	if (!arg || !*arg || !names || n < 1 || n > SIM_MAX_RELAYS)
		return HG_EINVAL;
	for (i = 0; i < n; i++) {
		if (!name_ok(names[i]))
			return HG_EINVAL;
	}

	d = calloc(1, sizeof *d + (size_t)n * sizeof d->slot[0]);
	if (!d)
		return HG_ENOMEM;
	len = snprintf(d->path, sizeof d->path, "%s", arg);
	if (len < 0 || (size_t)len >= sizeof d->path - 8) {	/* room for ".tmp" */
		r = HG_ETOOLONG;
		goto fail;
	}
	snprintf(d->log, sizeof d->log, "%s.log", arg);
	for (i = 0; i < n; i++) {
		r = text_copy(d->slot[i].name, sizeof d->slot[i].name, names[i]);
		if (r)
			goto fail;
		d->n = i + 1;
		if (find(d, names[i]) != i) {	/* named twice */
			r = HG_EINVAL;
			goto fail;
		}
		all[i] = 1;
	}

	r = drv_mkdirs_parent(d->path);
	if (r)
		goto fail;
	r = write_state(d);	/* every slot is off (calloc) */
	if (r)
		goto fail;
	r = write_log(d, all, now);
	if (r)
		goto fail;
	for (i = 0; i < n; i++) {
		int on = 1;

		r = read_state(d, d->slot[i].name, &on);
		if (r || on) {
			r = HG_EIO;
			goto fail;
		}
	}
	*out = d;
	return HG_OK;
fail:
	free(d);
	return r;
}

/* Set, write the file, log the change, read back. */
static int sim_set(struct relay_dev *d, const char *name, int on, hg_time now)
{
	unsigned char changed[SIM_MAX_RELAYS] = { 0 };
	int i, old, got, r, stuck = 0;

	if (!d)
		return HG_EINVAL;
	i = find(d, name);
	if (i < 0)
		return HG_EINVAL;
	on = !!on;
	d->calls_set++;
	if (drv_fault_hit(&d->fault)) {
		if (!d->stick)
			return HG_EIO;	/* nothing written */
		stuck = 1;
	}
	old = d->slot[i].on;
	d->slot[i].on = stuck ? !on : on;
	r = write_state(d);
	if (r) {
		d->slot[i].on = old;
		return HG_EIO;
	}
	changed[i] = old != d->slot[i].on;
	r = write_log(d, changed, now);
	if (r)
		return HG_EIO;

	r = read_state(d, name, &got);
	if (r)
		return HG_EIO;
	if (got != on)
		return HG_EIO;
	return HG_OK;
}

static int sim_get(struct relay_dev *d, const char *name, int *on)
{
	if (!d || !on)
		return HG_EINVAL;
	if (find(d, name) < 0)
		return HG_EINVAL;
	d->calls_get++;
	return read_state(d, name, on);
}

static void sim_close(struct relay_dev *d, hg_time now)
{
	unsigned char changed[SIM_MAX_RELAYS] = { 0 };
	int i;

	if (!d)
		return;
	for (i = 0; i < d->n; i++) {
		changed[i] = d->slot[i].on != 0;
		d->slot[i].on = 0;
	}
	/* best effort: there is no one left to tell */
	if (write_state(d) == HG_OK)
		(void)write_log(d, changed, now);
	free(d);
}

void relay_sim_fail(struct relay_dev *d, int nth, int forever)
{
	if (!d)
		return;
	d->stick = nth < 0;
	if (nth == INT_MIN)
		nth = INT_MAX;	/* -INT_MIN does not fit; never reached anyway */
	drv_fault_arm(&d->fault, nth < 0 ? -nth : nth, forever);
}

const struct relay_ops relay_sim_ops = {
	.scheme = "sim",
	.open = sim_open,
	.set = sim_set,
	.get = sim_get,
	.close = sim_close,
};
