/* cmd_hw.c: `haulgate hw ...`, commissioning a station's devices.
 *
 * Installers and operators check the devices the configuration names, one
 * command each: check (probe every device), read-card, relay NAME on|off,
 * meter, print-test, reprint LOAD-NO | --kept.  Each opens its devices
 * through station/devices.c, as the kiosk does: the station's device lock
 * first (while the kiosk runs it holds the devices and these commands refuse,
 * saying who holds them), then the devices, with the fail-safe hook armed.
 * Opening the relays puts every relay in its safe state (off) and closing
 * does it again, so `hw relay valve on` holds the valve open for --hold
 * seconds and then closes it, sooner on Ctrl-C, SIGTERM or SIGHUP: no command
 * leaves a relay energised behind it.  A reprint prints and logs through the
 * station's own path (station/print.c).  Start reading at cmd_hw_check(). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sodium.h>
#include "cli.h"
#include "../core/receipt.h"
#include "../core/text.h"
#include "../drivers/hwerr.h"
#include "../drivers/meter.h"
#include "../drivers/nfc.h"
#include "../drivers/printer.h"
#include "../drivers/relay.h"
#include "../station/devices.h"
#include "../station/print.h"

#define HW_PRINT_WAIT_S 60	/* longest wait for a printer to finish a test job */
#define HW_KEPT_BATCH 50	/* kept slips read from the log at a time */

/* A stop signal (Ctrl-C, SIGTERM, SIGHUP) ends a wait early; the devices
 * close on the way out, every relay off (station/devices.c). */
static volatile sig_atomic_t interrupted;

static void sleep_ms(long ms)
{
	struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};

	while (nanosleep(&t, &t) != 0 && errno == EINTR && !interrupted)
		;
}

/* The devices in need, opened by station/devices.c with the station's
 * device lock, or say who holds it.  Once the station has a database, its id
 * is settled first (cli_open_store): a [station] id that is not the
 * database's is refused before any device is touched; before init there is
 * only the configuration's.  A device that cannot be opened is left for the
 * caller to say (devices_why).  Returns 0 or -1. */
static int take_devices(struct cli *c, const char *what, unsigned need, struct devices **dev)
{
	char who[64];
	int rc;

	if (access(c->cfg.db_path, F_OK) == 0) {
		rc = cli_open_store(c);
		if (rc < 0)
			return rc;
	}
	devices_catch_stops(&interrupted);
	snprintf(who, sizeof who, "haulgate hw %s", what);
	hg_error_clear();
	rc = devices_open(dev, &c->cfg, who, need, need, c->now);
	if (rc == HG_EBUSY)
		return cli_error("%s: stop it first (the kiosk holds them while it runs)",
				 hg_error_text());
	if (rc != HG_OK)
		return cli_error("%s", hg_error_text());
	return 0;
}

/* "gate locked, valve closed" read back from the device. */
static int relays_state(struct cli *c, const struct relay_ops *ops, struct relay_dev *r,
			char *buf, size_t cap)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int i = 0; i < c->cfg.n_relays; i++) {
		const char *name = c->cfg.relays[i].name;
		int on = 0, rc = ops->get(r, name, &on);

		if (rc != HG_OK) {
			snprintf(buf, cap, "cannot read relay %s back: %s", name, hw_error_text(rc));
			return rc;
		}
		used += (size_t)snprintf(buf + used, used < cap ? cap - used : 0, "%s%s %s",
					 i ? ", " : "", name, relay_word(name, on));
		if (used >= cap)
			break;
	}
	return HG_OK;
}

/* ---- one line per device ---- */

static void line(const char *what, const char *spec, int ok, const char *msg)
{
	printf("%-8s %-36s %s%s%s\n", what, spec && *spec ? spec : "(none)", ok ? "ok" : "FAILED",
	       msg && *msg ? ": " : "", msg ? msg : "");
}

static int check_relays(struct cli *c, struct devices *d)
{
	struct relay_dev *r;
	const struct relay_ops *ops = devices_relays(d, &r);
	char msg[512];
	int rc = devices_why(d, DEV_RELAYS, msg, sizeof msg);

	if (ops)
		rc = relays_state(c, ops, r, msg, sizeof msg);
	if (rc == HG_OK && strstr(c->cfg.relay, ",heartbeat=none")) {
		size_t n = strlen(msg);

		snprintf(msg + n, sizeof msg - n, "; no heartbeat (heartbeat=none): nothing on the "
			 "module drops a relay if the station dies (docs/HARDWARE.md)");
	}
	line("relays", c->cfg.relay, rc == HG_OK, msg);
	return rc == HG_OK ? 0 : -1;
}

static int check_reader(struct cli *c, struct devices *d)
{
	char why[256];
	int rc = devices_why(d, DEV_READER, why, sizeof why);

	line("reader", c->cfg.nfc, rc == HG_OK, rc == HG_OK ? "opened" : why);
	return rc == HG_OK ? 0 : -1;
}

static int check_printer(struct cli *c, struct devices *d)
{
	struct printer_dev *p;
	const struct printer_ops *ops = devices_printer(d, &p);
	char msg[256];
	int rc = devices_why(d, DEV_PRINTER, msg, sizeof msg);

	if (rc != HG_OK) {
		line("printer", c->cfg.printer, 0, msg);
		return -1;
	}
	if (!ops->check) {
		line("printer", c->cfg.printer, 1, "opened (hw print-test prints a page)");
		return 0;
	}
	rc = ops->check(p, msg, sizeof msg);
	line("printer", c->cfg.printer, rc == HG_OK, msg);
	return rc == HG_OK ? 0 : -1;
}

/* The meter's totaliser, or why not (the meter was opened with d). */
static int meter_read(struct devices *d, double *gal, char *why, size_t cap)
{
	struct meter_dev *m;
	const struct meter_ops *ops = devices_meter(d, &m);
	int rc = devices_why(d, DEV_METER, why, cap);

	if (rc != HG_OK)
		return rc;
	rc = ops->read(m, gal);
	if (rc != HG_OK)
		snprintf(why, cap, "%s", hw_error_text(rc));
	return rc;
}

static int check_meter(struct cli *c, struct devices *d)
{
	char msg[128];
	double gal = 0;
	int rc;

	if (!c->cfg.meter[0]) {
		line("meter", "", 1, "no meter configured: gallons are declared only");
		return 0;
	}
	rc = meter_read(d, &gal, msg, sizeof msg);
	if (rc == HG_OK)
		snprintf(msg, sizeof msg, "totaliser %.1f gal", gal);
	line("meter", c->cfg.meter, rc == HG_OK, msg);
	return rc == HG_OK ? 0 : -1;
}

int cmd_hw_check(struct cli *c, const struct cli_args *a)
{
	struct devices *d;
	int bad = 0;

	(void)a;
	if (take_devices(c, "check", DEV_ALL, &d) < 0)
		return -1;
	bad |= check_relays(c, d);
	bad |= check_reader(c, d);
	bad |= check_printer(c, d);
	bad |= check_meter(c, d);
	devices_close(d, c->now);
	if (bad)
		return cli_error("a device failed: see its line above");
	return 0;
}

/* ---- read-card ---- */

/* A reader that cannot name the card type: the UID's size says something. */
static const char *uid_kind(size_t hex_len)
{
	switch (hex_len) {
	case 8:
		return "ISO 14443-A, 4-byte UID";
	case 14:
		return "ISO 14443-A, 7-byte UID";
	case 20:
		return "ISO 14443-A, 10-byte UID";
	default:
		return "UID of unusual length";
	}
}

/* Who the card belongs to in this station's roster, when there is one. */
static void say_holder(struct cli *c, const char *uid)
{
	struct card_info *card;

	if (access(c->cfg.db_path, F_OK) != 0 || cli_open_store(c) < 0) {
		printf("roster: no database to look the card up in\n");
		return;
	}
	card = calloc(1, sizeof *card);
	if (!card)
		return;
	if (store_lookup_card(c->st, uid, c->now, card) != HG_OK)
		printf("roster: cannot look the card up\n");
	else if (card->kind == CARD_HAULER)
		printf("roster: hauler card of %s (%s)%s\n", card->holder, card->hauler.company,
		       card->revoked ? ", revoked" : "");
	else if (card->kind == CARD_OPERATOR)
		printf("roster: operator card of %s%s\n", card->holder,
		       card->revoked ? ", revoked" : "");
	else
		printf("roster: not a card of this station\n");
	sodium_memzero(card->pin_hash, sizeof card->pin_hash);
	free(card);
}

int cmd_hw_read_card(struct cli *c, const struct cli_args *a)
{
	const char *t = cli_get(a, "timeout");
	const struct nfc_ops *ops;
	struct nfc_dev *r;
	struct devices *d;
	char uid[LIM_UID + 1], type[96];
	long timeout = 30;
	struct timespec t0, t1;
	int rc;

	if (t && cli_long("--timeout", t, 1, 3600, &timeout) < 0)
		return -1;
	if (!nfc_backend(c->cfg.nfc, NULL))
		return cli_error("card reader '%s': no card-reader backend is called that",
				 c->cfg.nfc);
	if (take_devices(c, "read-card", DEV_READER, &d) < 0)
		return -1;
	ops = devices_reader(d, &r);
	if (!ops) {
		rc = devices_why(d, DEV_READER, type, sizeof type);
		devices_close(d, c->now);
		return cli_error("card reader '%s' %s", c->cfg.nfc, type);
	}
	fprintf(stderr, "hold a card on the reader (%ld s)...\n", timeout);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		rc = ops->read(r, 200, uid);
		if (rc == HG_OK || rc == HG_EIO || interrupted)
			break;
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (t1.tv_sec - t0.tv_sec >= timeout) {
			rc = HG_EBUSY;
			break;
		}
	}
	if (rc == HG_OK && (!ops->card_type || ops->card_type(r, type, sizeof type) != HG_OK))
		snprintf(type, sizeof type, "%s", uid_kind(strlen(uid)));
	devices_close(d, c->now);
	if (rc == HG_OK) {
		printf("card %s (%s)\n", uid, type);
		say_holder(c, uid);
		return 0;
	}
	if (rc == HG_EIO)
		return cli_error("card reader '%s' stopped answering", c->cfg.nfc);
	if (interrupted)
		return cli_error("interrupted: no card read");
	return cli_error("no card within %ld s", timeout);
}

/* ---- relay NAME on|off ---- */

/* Hold relay name on for hold seconds, or until a stop signal or until it
 * drops by itself (a module's watchdog: a fault).  HG_OK or HG_EIO. */
static int hold_on(const struct relay_ops *ops, struct relay_dev *r, const char *name,
		   long hold)
{
	int got;

	printf("holding for %ld s; every relay goes off at the end (Ctrl-C ends sooner)\n", hold);
	fflush(stdout);
	for (long ms = hold * 1000; ms > 0 && !interrupted; ms -= 100) {
		sleep_ms(100);
		if (ops->get(r, name, &got) != HG_OK || !got) {
			printf("%s dropped while held: %s\n", name, relay_word(name, 0));
			return HG_EIO;
		}
	}
	return HG_OK;
}

int cmd_hw_relay(struct cli *c, const struct cli_args *a)
{
	const char *name = a->pos[0], *word = a->pos[1], *h = cli_get(a, "hold");
	const struct relay_ops *ops;
	struct relay_dev *r;
	struct devices *d;
	char why[256];
	long hold = 5;
	int on, got = -1, rc, known = 0;

	for (int i = 0; i < c->cfg.n_relays; i++)
		known |= strcmp(c->cfg.relays[i].name, name) == 0;
	if (!known)
		return cli_usage("no relay called '%s' in the configuration", name);
	if (strcmp(word, "on") == 0 || strcmp(word, "off") == 0)
		on = word[1] == 'n';
	else
		on = relay_word_parse(name, word);
	if (on < 0)
		return cli_usage("say on or off (or %s / %s), not '%s'", relay_word(name, 1),
				 relay_word(name, 0), word);
	if (h && cli_long("--hold", h, 1, 600, &hold) < 0)
		return -1;
	if (take_devices(c, "relay", DEV_RELAYS, &d) < 0)
		return -1;
	ops = devices_relays(d, &r);
	if (!ops) {
		devices_why(d, DEV_RELAYS, why, sizeof why);
		devices_close(d, c->now);
		return cli_error("relays '%s' %s", c->cfg.relay, why);
	}
	rc = ops->set(r, name, on, c->now);
	if (rc == HG_OK)
		rc = ops->get(r, name, &got);
	if (rc == HG_OK && got != on)
		rc = HG_EIO;
	if (rc != HG_OK) {
		devices_close(d, c->now);
		if (rc == HG_EREFUSED)	/* it answered: say what it refused */
			return cli_error("relay %s: %s; every relay is off", name,
					 hw_error_text(rc));
		return cli_error("relay %s: the write did not read back as %s (%s); every relay "
				 "is off", name, relay_word(name, on), hw_error_text(rc));
	}
	printf("%s %s (read back)\n", name, relay_word(name, on));
	fflush(stdout);
	if (on)
		rc = hold_on(ops, r, name, hold);
	devices_close(d, c->now);
	if (on)
		printf("%s %s\n", name, relay_word(name, 0));
	return rc == HG_OK ? 0 : -1;
}

/* ---- safe: every relay off, for systemd's ExecStopPost ---- */

/* Every relay off and read back: what runs after the kiosk has stopped,
 * however it stopped (kill -9, a crash), so the gate is locked and the valve
 * closed before anything else happens (systemd/haulgate-kiosk.service). */
int cmd_hw_safe(struct cli *c, const struct cli_args *a)
{
	const struct relay_ops *ops;
	struct relay_dev *r;
	struct devices *d;
	char msg[512];
	int rc = HG_OK;

	(void)a;
	if (take_devices(c, "safe", DEV_RELAYS, &d) < 0)
		return -1;
	ops = devices_relays(d, &r);
	if (!ops) {
		devices_why(d, DEV_RELAYS, msg, sizeof msg);
		devices_close(d, c->now);
		return cli_error("relays '%s' %s", c->cfg.relay, msg);
	}
	for (int i = 0; i < c->cfg.n_relays && rc == HG_OK; i++)
		rc = ops->set(r, c->cfg.relays[i].name, 0, c->now);
	if (rc == HG_OK)
		rc = relays_state(c, ops, r, msg, sizeof msg);
	else
		snprintf(msg, sizeof msg, "%s", hw_error_text(rc));
	for (int i = 0; i < c->cfg.n_relays && rc == HG_OK; i++) {
		int on = 1;

		if (ops->get(r, c->cfg.relays[i].name, &on) != HG_OK || on)
			rc = HG_EIO;
	}
	devices_close(d, c->now);
	if (rc != HG_OK)
		return cli_error("the relays could not all be read back off: %s", msg);
	printf("%s (read back)\n", msg);
	return 0;
}

/* ---- meter ---- */

int cmd_hw_meter(struct cli *c, const struct cli_args *a)
{
	struct devices *d;
	char why[128];
	double gal = 0;
	int rc;

	(void)a;
	if (!c->cfg.meter[0])
		return cli_error("no meter in the configuration ([hardware] meter =)");
	if (take_devices(c, "meter", DEV_METER, &d) < 0)
		return -1;
	rc = meter_read(d, &gal, why, sizeof why);
	devices_close(d, c->now);
	if (rc != HG_OK)
		return cli_error("meter '%s' %s", c->cfg.meter, why);
	printf("totaliser %.1f gal\n", gal);
	return 0;
}

/* ---- print-test, reprint ---- */

/* For a printer that finishes its jobs later (CUPS), wait until it says the
 * job called name was printed or given up (then *done says why).  HG_OK, or
 * HG_EIO with why: given up (*done filled), interrupted or too slow. */
static int wait_printed(const struct printer_ops *ops, struct printer_dev *p, const char *name,
			struct print_done *done, char *why, size_t cap)
{
	struct print_done got[8];

	why[0] = '\0';
	done->ok = 1;
	if (!ops->poll)
		return HG_OK;
	for (int waited = 0; waited < HW_PRINT_WAIT_S * 10 && !interrupted; waited++) {
		int n = ops->poll(p, got, (int)HG_ARRAY_LEN(got));

		for (int i = 0; i < n; i++) {
			if (strcmp(got[i].name, name) != 0)
				continue;
			*done = got[i];
			if (!done->ok)
				snprintf(why, cap, "%s", done->why);
			return done->ok ? HG_OK : HG_EIO;
		}
		sleep_ms(100);
	}
	snprintf(why, cap, interrupted ? "interrupted before the printer finished"
				       : "the printer did not finish within %d s", HW_PRINT_WAIT_S);
	return HG_EIO;
}

/* The printer, opened with the device lock (take_devices): 0, or -1 said. */
static int open_printer(struct cli *c, const char *what, struct devices **d,
			const struct printer_ops **ops, struct printer_dev **p)
{
	char why[256];

	if (!printer_backend(c->cfg.printer, NULL))
		return cli_error("printer '%s': no printer backend is called that", c->cfg.printer);
	if (take_devices(c, what, DEV_PRINTER, d) < 0)
		return -1;
	*ops = devices_printer(*d, p);
	if (*ops)
		return 0;
	devices_why(*d, DEV_PRINTER, why, sizeof why);
	devices_close(*d, c->now);
	*d = NULL;
	return cli_error("printer '%s' %s", c->cfg.printer, why);
}

int cmd_hw_print_test(struct cli *c, const struct cli_args *a)
{
	char text[1024], qr[QR_MAX], when[32], name[48], why[256];
	struct print_job job = {PRINT_TEST, name, text, qr};
	const struct printer_ops *ops;
	struct printer_dev *p;
	struct print_done done;
	struct devices *d;
	struct tm tm;
	time_t t = (time_t)c->now;
	int rc;

	(void)a;
	localtime_r(&t, &tm);
	strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
	snprintf(name, sizeof name, "test-%lld", (long long)c->now);
	snprintf(text, sizeof text,
		 "HAULGATE PRINTER TEST\n"
		 "Station: %s\nPrinter: %s\nPrinted: %s\n\n"
		 "Every line of this page and the QR code\n"
		 "below should be sharp; a phone camera\n"
		 "should read the QR code.\n"
		 "ÁÉÍÓÚ Ñ ü ¿¡ 0123456789\n",
		 c->cfg.station_id, c->cfg.printer, when);
	snprintf(qr, sizeof qr, "%s?test=%s&t=%lld", c->cfg.verify_base, c->cfg.station_id,
		 (long long)c->now);
	if (open_printer(c, "print-test", &d, &ops, &p) < 0)
		return -1;
	rc = ops->print(p, &job);
	if (rc != HG_OK)
		snprintf(why, sizeof why, "the printer did not take the job");
	else
		rc = wait_printed(ops, p, name, &done, why, sizeof why);
	devices_close(d, c->now);
	if (rc != HG_OK)
		return cli_error("printer '%s': not printed: %s", c->cfg.printer, why);
	printf("printed a test page on %s\n", c->cfg.printer);
	return 0;
}

/* Reprint load no's slip, marked COPY: its receipt, or a refused load's
 * refusal slip, in the hauler's language, through the station's own printing
 * path (station/print.c: logged "printed" or "print_failed" as the kiosk
 * logs it; a job the printer gives up later is logged print_failed too).  A
 * printer that could not be opened (to->ops NULL, closed says why) fails
 * each slip, logged.  ld is the caller's room.  0, or -1 (said). */
static int reprint_load(struct cli *c, const struct print_to *to, const char *closed,
			long long no, struct load_rec *ld)
{
	struct print_done done;
	enum print_kind kind;
	char why[256];
	int rc, log_failed;

	rc = store_load_get(c->st, no, ld);
	if (rc == HG_ENOTFOUND)
		return cli_error("no load %lld in this database", no);
	if (rc != HG_OK)
		return cli_store_error(c);
	kind = ld->d.verdict == VERDICT_REFUSED ? PRINT_REFUSAL : PRINT_RECEIPT;
	rc = print_load(to, kind, ld, 1, ld->lang, c->now, &log_failed);
	if (log_failed)
		return cli_store_error(c);
	if (rc != HG_OK && !to->ops)
		return cli_error("printer '%s' %s", c->cfg.printer, closed);
	if (rc != HG_OK)
		return cli_error("printer '%s': not printed: the printer did not take the job",
				 c->cfg.printer);
	rc = wait_printed(to->ops, to->dev, to->slip->job.name, &done, why, sizeof why);
	if (rc != HG_OK && !done.ok && print_log_given_up(c->st, c->now, &done) != HG_OK)
		return cli_store_error(c);
	if (rc != HG_OK)
		return cli_error("printer '%s': not printed: %s", c->cfg.printer, why);
	printf("reprinted the %s slip of load %lld (marked COPY) on %s\n", print_kind_code(kind),
	       no, c->cfg.printer);
	return 0;
}

/* --kept: every kept slip (store_kept_slips()), oldest first, read a batch at
 * a time: each one printed leaves the list, so the next batch is the next
 * ones.  The first failure stops it; that slip and the rest stay kept. */
static int reprint_kept(struct cli *c, const struct print_to *to, const char *closed,
			struct load_rec *ld)
{
	long long batch[HW_KEPT_BATCH];
	long total = 0, left = 0;
	int n, done = 0, rc;

	rc = store_kept_slips(c->st, batch, HW_KEPT_BATCH, &n, &total);
	if (rc != HG_OK)
		return cli_store_error(c);
	if (n == 0) {
		printf("no kept slips: the printer printed every receipt\n");
		return 0;
	}
	/* total bounds the loop: a slip printed twice cannot come back */
	while (n > 0 && done < total) {
		for (int i = 0; i < n; i++) {
			rc = reprint_load(c, to, closed, batch[i], ld);
			if (rc < 0) {
				if (store_kept_slips(c->st, NULL, 0, &n, &left) != HG_OK)
					left = total - done;
				return cli_error("stopped at load %lld: %ld slips are still kept",
						 batch[i], left);
			}
			done++;
		}
		rc = store_kept_slips(c->st, batch, HW_KEPT_BATCH, &n, NULL);
		if (rc != HG_OK)
			return cli_store_error(c);
	}
	printf("reprinted %d kept slips\n", done);
	return 0;
}

int cmd_hw_reprint(struct cli *c, const struct cli_args *a)
{
	struct load_rec *ld = NULL;
	struct slip *slip = NULL;
	struct devices *d = NULL;
	struct print_to to = {.cfg = &c->cfg, .kp = &c->boot.kp, .who = c->actor};
	char closed[256];
	int kept = cli_get(a, "kept") != NULL;
	long long no = 0;
	int rc;

	if (kept && a->npos > 0)
		return cli_usage("give a LOAD-NO or --kept, not both");
	if (!kept && a->npos == 0)
		return cli_usage("give the LOAD-NO to reprint, or --kept for every kept slip");
	if (!kept && cli_id("LOAD-NO", a->pos[0], &no) < 0)
		return -1;
	rc = cli_open_store(c);
	if (rc < 0)
		return rc;
	rc = boot_open(&c->boot, BOOT_KEY);	/* signs the copy's QR */
	if (rc)
		return cli_error("%s", hg_error_text());
	ld = malloc(sizeof *ld);
	slip = malloc(sizeof *slip);
	if (!ld || !slip) {
		rc = cli_error("out of memory");
		goto out;
	}
	if (!printer_backend(c->cfg.printer, NULL)) {
		rc = cli_error("printer '%s': no printer backend is called that", c->cfg.printer);
		goto out;
	}
	rc = take_devices(c, "reprint", DEV_PRINTER, &d);
	if (rc < 0)
		goto out;
	to.ops = devices_printer(d, &to.dev);
	devices_why(d, DEV_PRINTER, closed, sizeof closed);
	to.st = c->st;
	to.slip = slip;
	rc = kept ? reprint_kept(c, &to, closed, ld) : reprint_load(c, &to, closed, no, ld);
out:
	devices_close(d, c->now);
	free(slip);
	free(ld);
	return rc;
}
