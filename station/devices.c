/* devices.c: a station's devices opened in one place, with their lock and
 * the fail-safe hook (devices.h says what each call promises).
 *
 * The hook is process-wide: `armed` is the one set whose relays it turns off.
 * It is installed (atexit once, the signal handlers again each time) by
 * devices_open() and devices_catch_stops(), and armed and disarmed by
 * devices_open() and devices_close().  In a signal handler it does what is
 * not async-signal-safe in general (a relay write goes through the driver);
 * it runs at most once, only ever makes the relays safer, and the process
 * dies right after it.  Start reading at devices_open(). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "devices.h"
#include "../core/report.h"
#include "../drivers/devlock.h"
#include "../drivers/hwerr.h"

#define WHY_CAP 160

struct devices {
	struct devlock *lock;
	const struct config *cfg;
	const struct relay_ops *relay_ops;
	struct relay_dev *relays;
	const struct nfc_ops *nfc_ops;
	struct nfc_dev *reader;
	const struct printer_ops *printer_ops;
	struct printer_dev *printer;
	const struct meter_ops *meter_ops;
	struct meter_dev *meter;
	const char *meter_arg;
	int why_rc[4];		/* by bit of DEV_*: what opening it gave */
	char why[4][WHY_CAP];
};

/* ---- the fail-safe hook ---- */

static struct devices *volatile armed;
static volatile sig_atomic_t *volatile stop_flag;
static volatile sig_atomic_t hook_ran;

/* Every relay of the armed set off and the relays closed (a module's
 * heartbeat stops with them), once.  What a dying process leaves behind. */
static void fail_safe(void)
{
	struct devices *d = armed;

	if (!d || hook_ran)
		return;
	hook_ran = 1;
	armed = NULL;
	if (d->relays) {
		for (int i = 0; i < d->cfg->n_relays; i++)
			d->relay_ops->set(d->relays, d->cfg->relays[i].name, 0, (hg_time)time(NULL));
		d->relay_ops->close(d->relays, (hg_time)time(NULL));
		d->relays = NULL;
	}
}

/* Die of sig, after the relays are safe. */
static void die_safe(int sig)
{
	int saved = errno;

	fail_safe();
	signal(sig, SIG_DFL);
	raise(sig);
	errno = saved;
}

static void on_stop(int sig)
{
	volatile sig_atomic_t *flag = stop_flag;

	if (flag)
		*flag = 1;
	else
		die_safe(sig);
}

/* Under ASan its own crash reports are worth more: no fatal-signal hook. */
#if !defined(__SANITIZE_ADDRESS__)
#define DEVICES_FATAL_HOOK 1
#endif

/* atexit once; the handlers at every call, so that a library that took a
 * signal since (a test harness, a toolkit) gives it back when devices open. */
static void install(void)
{
	static const int stops[] = {SIGINT, SIGTERM, SIGHUP};
	static int registered;
	struct sigaction sa;

	if (!registered)
		atexit(fail_safe);
	registered = 1;
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_stop;
	for (size_t i = 0; i < HG_ARRAY_LEN(stops); i++) {
		struct sigaction was;

		/* a stop the process was started ignoring stays ignored (nohup,
		 * a background job of a script): nobody can send it to stop us */
		if (sigaction(stops[i], NULL, &was) == 0 && was.sa_handler == SIG_IGN)
			continue;
		sigaction(stops[i], &sa, NULL);
	}
#ifdef DEVICES_FATAL_HOOK
	{
		static const int fatal[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};

		sa.sa_handler = die_safe;
		for (size_t i = 0; i < HG_ARRAY_LEN(fatal); i++)
			sigaction(fatal[i], &sa, NULL);
	}
#endif
}

void devices_catch_stops(volatile sig_atomic_t *flag)
{
	stop_flag = flag;
	install();
}

/* ---- opening ---- */

static int bit_index(unsigned which)
{
	switch (which) {
	case DEV_RELAYS:
		return 0;
	case DEV_READER:
		return 1;
	case DEV_PRINTER:
		return 2;
	default:
		return 3;
	}
}

/* Keep why device which failed; fatal unless it is in may_fail: then the
 * words go through the report channel as "cannot open the <noun> '<spec>':
 * <why>". */
static int failed(struct devices *d, unsigned which, unsigned may_fail, const char *noun,
		  const char *spec, int rc, const char *why)
{
	int k = bit_index(which);

	d->why_rc[k] = rc;
	snprintf(d->why[k], sizeof d->why[k], "%s", why);
	if (may_fail & which)
		return HG_OK;
	return hg_fail(rc, "cannot open the %s '%s': %s", noun, spec, why);
}

static int open_relays(struct devices *d, unsigned may_fail, hg_time now)
{
	const char *names[CFG_MAX_RELAYS], *args[CFG_MAX_RELAYS], *arg;
	const struct config *cfg = d->cfg;
	int rc;

	d->relay_ops = relay_backend(cfg->relay, &arg);
	if (!d->relay_ops)
		return failed(d, DEV_RELAYS, may_fail, "relays", cfg->relay, HG_EINVAL,
			      "no relay backend is called that");
	for (int i = 0; i < cfg->n_relays; i++) {
		names[i] = cfg->relays[i].name;
		args[i] = cfg->relays[i].arg;
	}
	rc = d->relay_ops->open(&d->relays, arg, names, args, cfg->n_relays, now);
	if (rc != HG_OK) {
		d->relays = NULL;
		return failed(d, DEV_RELAYS, may_fail, "relays", cfg->relay, rc,
			      hw_error_text(rc));
	}
	armed = d;	/* from here on, every way out leaves them off */
	return HG_OK;
}

/* The card reader, the printer or the meter (which): its backend by the
 * configuration's scheme, then opened. */
static int open_other(struct devices *d, unsigned which, unsigned may_fail)
{
	const struct config *cfg = d->cfg;
	const char *noun, *kind, *spec, *arg = NULL;
	char why[WHY_CAP];
	int known, rc;

	switch (which) {
	case DEV_READER:
		noun = "card reader", kind = "card-reader", spec = cfg->nfc;
		d->nfc_ops = nfc_backend(spec, &arg);
		known = d->nfc_ops != NULL;
		rc = known ? d->nfc_ops->open(&d->reader, arg) : HG_EINVAL;
		break;
	case DEV_PRINTER:
		noun = kind = "printer", spec = cfg->printer;
		d->printer_ops = printer_backend(spec, &arg);
		known = d->printer_ops != NULL;
		rc = known ? d->printer_ops->open(&d->printer, arg) : HG_EINVAL;
		break;
	default:
		noun = kind = "meter", spec = cfg->meter;
		if (!spec[0])
			return HG_OK;	/* none named: gallons are declared only */
		d->meter_ops = meter_backend(spec, &d->meter_arg);
		known = d->meter_ops != NULL;
		rc = known ? d->meter_ops->open(&d->meter, d->meter_arg) : HG_EINVAL;
		break;
	}
	if (rc == HG_OK)
		return HG_OK;
	/* a failed open leaves nothing to close */
	if (which == DEV_READER)
		d->reader = NULL;
	else if (which == DEV_PRINTER)
		d->printer = NULL;
	else
		d->meter = NULL;
	if (known)
		snprintf(why, sizeof why, "%s", hw_error_text(rc));
	else
		snprintf(why, sizeof why, "no %s backend is called that", kind);
	return failed(d, which, may_fail, noun, spec, rc, why);
}

int devices_open(struct devices **out, const struct config *cfg, const char *who,
		 unsigned need, unsigned may_fail, hg_time now)
{
	struct devices *d;
	int rc;

	*out = NULL;
	install();
	d = calloc(1, sizeof *d);
	if (!d)
		return hg_fail(HG_ENOMEM, "out of memory");
	d->cfg = cfg;
	rc = devlock_take(cfg->db_path, who, &d->lock);
	if (rc != HG_OK)
		goto fail;	/* devlock_take() said why */
	hook_ran = 0;
	if (need & DEV_RELAYS) {
		rc = open_relays(d, may_fail, now);
		if (rc)
			goto fail;
	}
	for (unsigned which = DEV_READER; which <= DEV_METER; which <<= 1) {
		if (!(need & which))
			continue;
		rc = open_other(d, which, may_fail);
		if (rc)
			goto fail;
	}
	*out = d;
	return HG_OK;
fail:
	devices_close(d, now);
	return rc;
}

void devices_close(struct devices *d, hg_time now)
{
	if (!d)
		return;
	if (armed == d)
		armed = NULL;
	if (d->relays) {
		devices_all_off(d, now);
		d->relay_ops->close(d->relays, now);
	}
	if (d->reader)
		d->nfc_ops->close(d->reader);
	if (d->printer)
		d->printer_ops->close(d->printer);
	if (d->meter)
		d->meter_ops->close(d->meter);
	devlock_release(d->lock);	/* last: the devices are closed */
	free(d);
}

/* ---- using them ---- */

const struct relay_ops *devices_relays(const struct devices *d, struct relay_dev **dev)
{
	*dev = d->relays;
	return d->relays ? d->relay_ops : NULL;
}

const struct nfc_ops *devices_reader(const struct devices *d, struct nfc_dev **dev)
{
	*dev = d->reader;
	return d->reader ? d->nfc_ops : NULL;
}

const struct printer_ops *devices_printer(const struct devices *d, struct printer_dev **dev)
{
	*dev = d->printer;
	return d->printer ? d->printer_ops : NULL;
}

const struct meter_ops *devices_meter(const struct devices *d, struct meter_dev **dev)
{
	*dev = d->meter;
	return d->meter_ops;
}

int devices_meter_retry(struct devices *d)
{
	if (!d->meter_ops)
		return HG_EINVAL;
	if (d->meter)
		return HG_OK;
	return d->meter_ops->open(&d->meter, d->meter_arg);
}

int devices_why(const struct devices *d, unsigned which, char *why, size_t cap)
{
	int k = bit_index(which);

	if (cap)
		snprintf(why, cap, "%s", d->why[k]);
	return d->why_rc[k];
}

int devices_all_off(struct devices *d, hg_time now)
{
	int first = HG_OK;

	if (!d->relays)
		return HG_EINVAL;
	for (int i = 0; i < d->cfg->n_relays; i++) {
		int rc = d->relay_ops->set(d->relays, d->cfg->relays[i].name, 0, now);

		if (rc != HG_OK && first == HG_OK)
			first = rc;
	}
	return first;
}
