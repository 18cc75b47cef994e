/* cmd_hw.c: `haulgate hw ...`, commissioning a station's devices.
 *
 * Installers and operators check the devices the configuration names, one
 * command each: check (probe every device), read-card, relay NAME on|off,
 * meter, print-test, reprint LOAD-NO | --kept.  Each takes the station's device lock
 * first (drivers/devlock.h): while the kiosk runs it holds the devices and
 * these commands refuse, saying who holds them.  Opening the relays puts
 * every relay in its safe state (off) and closing does it again, so `hw relay
 * valve on` holds the valve open for --hold seconds and then closes it: no
 * command leaves a relay energised behind it.  Start reading at cmd_hw_check(). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sodium.h>
#include "cli.h"
#include "../core/receipt.h"
#include "../core/text.h"
#include "../drivers/devlock.h"
#include "../drivers/hwerr.h"
#include "../drivers/meter.h"
#include "../drivers/nfc.h"
#include "../drivers/printer.h"
#include "../drivers/relay.h"
#include "../station/slip.h"

#define HW_PRINT_WAIT_S 60	/* longest wait for a printer to finish a test job */
#define HW_KEPT_BATCH 50	/* kept slips read from the log at a time */

static volatile sig_atomic_t interrupted;

static void on_interrupt(int sig)
{
	(void)sig;
	interrupted = 1;
}

/* Ctrl-C and SIGTERM end a wait early (and the relay goes off on the way out). */
static void catch_interrupts(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_interrupt;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

static void sleep_ms(long ms)
{
	struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};

	while (nanosleep(&t, &t) != 0 && errno == EINTR && !interrupted)
		;
}

/* The device lock, or say who holds it.  Once the station has a database,
 * its id is settled first (cli_open_store): a [station] id that is not the
 * database's is refused before any device is touched; before init there is
 * only the configuration's.  Returns 0 or -1. */
static int take_devices(struct cli *c, const char *what, struct devlock **lock)
{
	char holder[256], who[64];
	int rc;

	if (access(c->cfg.db_path, F_OK) == 0) {
		rc = cli_open_store(c);
		if (rc < 0)
			return rc;
	}
	snprintf(who, sizeof who, "haulgate hw %s", what);
	rc = devlock_take(c->cfg.db_path, who, lock, holder, sizeof holder);
	if (rc == HG_EBUSY)
		return cli_error("the station's devices are in use by %s: stop it first "
				 "(the kiosk holds them while it runs)", holder);
	if (rc != HG_OK)
		return cli_error("%s", holder);
	return 0;
}

/* ---- relays ---- */

struct relays {
	const struct relay_ops *ops;
	struct relay_dev *dev;
};

static int relays_open(struct cli *c, struct relays *r, char *why, size_t cap)
{
	const char *names[CFG_MAX_RELAYS], *args[CFG_MAX_RELAYS], *arg;
	int rc;

	r->dev = NULL;
	r->ops = relay_backend(c->cfg.relay, &arg);
	if (!r->ops) {
		snprintf(why, cap, "no relay backend is called that");
		return HG_EINVAL;
	}
	for (int i = 0; i < c->cfg.n_relays; i++) {
		names[i] = c->cfg.relays[i].name;
		args[i] = c->cfg.relays[i].arg;
	}
	rc = r->ops->open(&r->dev, arg, names, args, c->cfg.n_relays, c->now);
	if (rc != HG_OK) {
		r->dev = NULL;
		snprintf(why, cap, "%s", hw_error_text(rc));
	}
	return rc;
}

static void relays_close(struct cli *c, struct relays *r)
{
	if (r->dev)
		r->ops->close(r->dev, c->now);	/* every relay off */
	r->dev = NULL;
}

/* "gate locked, valve closed" read back from the device. */
static int relays_state(struct cli *c, struct relays *r, char *buf, size_t cap)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int i = 0; i < c->cfg.n_relays; i++) {
		const char *name = c->cfg.relays[i].name;
		int on = 0, rc = r->ops->get(r->dev, name, &on);

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

static int check_relays(struct cli *c)
{
	struct relays r;
	char msg[512];
	int rc = relays_open(c, &r, msg, sizeof msg);

	if (rc == HG_OK)
		rc = relays_state(c, &r, msg, sizeof msg);
	if (rc == HG_OK && strstr(c->cfg.relay, ",heartbeat=none")) {
		size_t n = strlen(msg);

		snprintf(msg + n, sizeof msg - n, "; no heartbeat (heartbeat=none): nothing on the "
			 "module drops a relay if the station dies (docs/HARDWARE.md)");
	}
	relays_close(c, &r);
	line("relays", c->cfg.relay, rc == HG_OK, msg);
	return rc == HG_OK ? 0 : -1;
}

static int check_reader(struct cli *c)
{
	const char *arg;
	const struct nfc_ops *ops = nfc_backend(c->cfg.nfc, &arg);
	struct nfc_dev *d = NULL;
	int rc;

	if (!ops) {
		line("reader", c->cfg.nfc, 0, "no card-reader backend is called that");
		return -1;
	}
	rc = ops->open(&d, arg);
	if (rc == HG_OK)
		ops->close(d);
	line("reader", c->cfg.nfc, rc == HG_OK, rc == HG_OK ? "opened" : hw_error_text(rc));
	return rc == HG_OK ? 0 : -1;
}

static int check_printer(struct cli *c)
{
	const char *arg;
	const struct printer_ops *ops = printer_backend(c->cfg.printer, &arg);
	struct printer_dev *d = NULL;
	int rc;

	if (!ops) {
		line("printer", c->cfg.printer, 0, "no printer backend is called that");
		return -1;
	}
	rc = ops->open(&d, arg);
	if (rc != HG_OK) {
		line("printer", c->cfg.printer, 0, hw_error_text(rc));
		return -1;
	}
	if (ops->check) {
		char msg[256];

		rc = ops->check(d, msg, sizeof msg);
		line("printer", c->cfg.printer, rc == HG_OK, msg);
	} else {
		line("printer", c->cfg.printer, 1, "opened (hw print-test prints a page)");
	}
	ops->close(d);
	return rc == HG_OK ? 0 : -1;
}

/* Open the configured meter and read its totaliser. */
static int meter_read_once(struct cli *c, double *gal, char *why, size_t cap)
{
	const char *arg;
	const struct meter_ops *ops = meter_backend(c->cfg.meter, &arg);
	struct meter_dev *d = NULL;
	int rc;

	if (!ops) {
		snprintf(why, cap, "no meter backend is called that");
		return HG_EINVAL;
	}
	rc = ops->open(&d, arg);
	if (rc == HG_OK) {
		rc = ops->read(d, gal);
		ops->close(d);
	}
	if (rc != HG_OK)
		snprintf(why, cap, "%s", hw_error_text(rc));
	return rc;
}

static int check_meter(struct cli *c)
{
	char msg[128];
	double gal = 0;
	int rc;

	if (!c->cfg.meter[0]) {
		line("meter", "", 1, "no meter configured: gallons are declared only");
		return 0;
	}
	rc = meter_read_once(c, &gal, msg, sizeof msg);
	if (rc == HG_OK)
		snprintf(msg, sizeof msg, "totaliser %.1f gal", gal);
	line("meter", c->cfg.meter, rc == HG_OK, msg);
	return rc == HG_OK ? 0 : -1;
}

int cmd_hw_check(struct cli *c, const struct cli_args *a)
{
	struct devlock *lock;
	int bad = 0;

	(void)a;
	if (take_devices(c, "check", &lock) < 0)
		return -1;
	bad |= check_relays(c);
	bad |= check_reader(c);
	bad |= check_printer(c);
	bad |= check_meter(c);
	devlock_release(lock);
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
	const char *arg, *t = cli_get(a, "timeout");
	const struct nfc_ops *ops;
	struct nfc_dev *d = NULL;
	struct devlock *lock;
	char uid[LIM_UID + 1], type[96];
	long timeout = 30;
	struct timespec t0, t1;
	int rc;

	if (t && cli_long("--timeout", t, 1, 3600, &timeout) < 0)
		return -1;
	ops = nfc_backend(c->cfg.nfc, &arg);
	if (!ops)
		return cli_error("card reader '%s': no card-reader backend is called that",
				 c->cfg.nfc);
	if (take_devices(c, "read-card", &lock) < 0)
		return -1;
	rc = ops->open(&d, arg);
	if (rc != HG_OK) {
		devlock_release(lock);
		return cli_error("card reader '%s' %s", c->cfg.nfc, hw_error_text(rc));
	}
	catch_interrupts();
	fprintf(stderr, "hold a card on the reader (%ld s)...\n", timeout);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		rc = ops->read(d, 200, uid);
		if (rc == HG_OK || rc == HG_EIO || interrupted)
			break;
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (t1.tv_sec - t0.tv_sec >= timeout) {
			rc = HG_EBUSY;
			break;
		}
	}
	if (rc == HG_OK && (!ops->card_type || ops->card_type(d, type, sizeof type) != HG_OK))
		snprintf(type, sizeof type, "%s", uid_kind(strlen(uid)));
	ops->close(d);
	devlock_release(lock);
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

int cmd_hw_relay(struct cli *c, const struct cli_args *a)
{
	const char *name = a->pos[0], *word = a->pos[1], *h = cli_get(a, "hold");
	struct devlock *lock;
	struct relays r;
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
	if (take_devices(c, "relay", &lock) < 0)
		return -1;
	rc = relays_open(c, &r, why, sizeof why);
	if (rc != HG_OK) {
		devlock_release(lock);
		return cli_error("relays '%s' %s", c->cfg.relay, why);
	}
	rc = r.ops->set(r.dev, name, on, c->now);
	if (rc == HG_OK)
		rc = r.ops->get(r.dev, name, &got);
	if (rc == HG_OK && got != on)
		rc = HG_EIO;
	if (rc == HG_EREFUSED) {	/* it answered: say what it refused */
		snprintf(why, sizeof why, "%s", hw_error_text(rc));
		relays_close(c, &r);
		devlock_release(lock);
		return cli_error("relay %s: %s; every relay is off", name, why);
	}
	if (rc != HG_OK) {
		relays_close(c, &r);
		devlock_release(lock);
		return cli_error("relay %s: the write did not read back as %s (%s); every relay "
				 "is off", name, relay_word(name, on), hw_error_text(rc));
	}
	printf("%s %s (read back)\n", name, relay_word(name, on));
	fflush(stdout);
	if (on) {
		catch_interrupts();
		printf("holding for %ld s; every relay goes off at the end (Ctrl-C ends sooner)\n",
		       hold);
		fflush(stdout);
		for (long ms = hold * 1000; ms > 0 && !interrupted; ms -= 100) {
			sleep_ms(100);
			/* a relay that drops by itself (a module's watchdog) is a fault */
			if (r.ops->get(r.dev, name, &got) != HG_OK || !got) {
				printf("%s dropped while held: %s\n", name, relay_word(name, 0));
				rc = HG_EIO;
				break;
			}
		}
	}
	relays_close(c, &r);
	devlock_release(lock);
	if (on)
		printf("%s %s\n", name, relay_word(name, 0));
	return rc == HG_OK ? 0 : -1;
}

/* ---- meter ---- */

int cmd_hw_meter(struct cli *c, const struct cli_args *a)
{
	struct devlock *lock;
	char why[128];
	double gal = 0;
	int rc;

	(void)a;
	if (!c->cfg.meter[0])
		return cli_error("no meter in the configuration ([hardware] meter =)");
	if (take_devices(c, "meter", &lock) < 0)
		return -1;
	rc = meter_read_once(c, &gal, why, sizeof why);
	devlock_release(lock);
	if (rc != HG_OK)
		return cli_error("meter '%s' %s", c->cfg.meter, why);
	printf("totaliser %.1f gal\n", gal);
	return 0;
}

/* ---- print-test, reprint ---- */

/* Print one job and, for a printer that finishes jobs later (CUPS), wait
 * until it says printed or given up.  Returns HG_OK or HG_EIO with why. */
static int print_and_wait(const struct printer_ops *ops, struct printer_dev *d,
			  const struct print_job *job, char *why, size_t cap)
{
	struct print_done done[8];
	int rc = ops->print(d, job);

	why[0] = '\0';
	if (rc != HG_OK) {
		snprintf(why, cap, "the printer did not take the job");
		return rc;
	}
	if (!ops->poll)
		return HG_OK;
	catch_interrupts();
	for (int waited = 0; waited < HW_PRINT_WAIT_S * 10 && !interrupted; waited++) {
		int n = ops->poll(d, done, (int)HG_ARRAY_LEN(done));

		for (int i = 0; i < n; i++) {
			if (strcmp(done[i].name, job->name) != 0)
				continue;
			if (!done[i].ok)
				snprintf(why, cap, "%s", done[i].why);
			return done[i].ok ? HG_OK : HG_EIO;
		}
		sleep_ms(100);
	}
	snprintf(why, cap, interrupted ? "interrupted before the printer finished"
				       : "the printer did not finish within %d s", HW_PRINT_WAIT_S);
	return HG_EIO;
}

/* Open the configured printer, print job, wait, close: 0 or -1 (said). */
static int print_one(struct cli *c, const struct print_job *job)
{
	const char *arg;
	const struct printer_ops *ops = printer_backend(c->cfg.printer, &arg);
	struct printer_dev *d = NULL;
	char why[256];
	int rc;

	if (!ops)
		return cli_error("printer '%s': no printer backend is called that", c->cfg.printer);
	rc = ops->open(&d, arg);
	if (rc != HG_OK)
		return cli_error("printer '%s' %s", c->cfg.printer, hw_error_text(rc));
	rc = print_and_wait(ops, d, job, why, sizeof why);
	ops->close(d);
	if (rc != HG_OK)
		return cli_error("printer '%s': not printed: %s", c->cfg.printer, why);
	return 0;
}

int cmd_hw_print_test(struct cli *c, const struct cli_args *a)
{
	char text[1024], qr[QR_MAX], when[32], name[48];
	struct print_job job = {PRINT_TEST, name, text, qr};
	struct devlock *lock;
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
	if (take_devices(c, "print-test", &lock) < 0)
		return -1;
	rc = print_one(c, &job);
	devlock_release(lock);
	if (rc == 0)
		printf("printed a test page on %s\n", c->cfg.printer);
	return rc;
}

/* Reprint load no's slip, marked COPY: its receipt, or a refused load's
 * refusal slip, in the hauler's language; log it ("printed"/"print_failed",
 * as the kiosk does).  ld and slip are the caller's room.  0, or -1 (said). */
static int reprint_load(struct cli *c, const struct keypair *kp, long long no,
			struct load_rec *ld, struct slip *slip)
{
	char detail[128];
	enum print_kind kind;
	int rc;

	rc = store_load_get(c->st, no, ld);
	if (rc == HG_ENOTFOUND)
		return cli_error("no load %lld in this database", no);
	if (rc != HG_OK)
		return cli_store_error(c);
	kind = ld->d.verdict == VERDICT_REFUSED ? PRINT_REFUSAL : PRINT_RECEIPT;
	rc = slip_compose(slip, kind, ld, 1, ld->lang, &c->cfg, kp, c->st, c->now);
	if (rc != HG_OK)
		return cli_error("cannot compose the receipt of load %lld (error %d)", no, rc);
	rc = print_one(c, &slip->job);
	snprintf(detail, sizeof detail, "{\"kind\":\"%s\",\"copy\":true,\"ok\":%s}",
		 print_kind_code(kind), rc == 0 ? "true" : "false");
	if (store_event(c->st, c->now, rc == 0 ? "printed" : "print_failed", no, c->actor,
			detail) != HG_OK && rc == 0)
		rc = cli_store_error(c);
	if (rc == 0)
		printf("reprinted the %s slip of load %lld (marked COPY) on %s\n", print_kind_code(kind),
		       no, c->cfg.printer);
	return rc;
}

/* --kept: every kept slip (store_kept_slips()), oldest first, read a batch at
 * a time: each one printed leaves the list, so the next batch is the next
 * ones.  The first failure stops it; that slip and the rest stay kept. */
static int reprint_kept(struct cli *c, const struct keypair *kp, struct load_rec *ld,
			struct slip *slip)
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
			rc = reprint_load(c, kp, batch[i], ld, slip);
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
	struct devlock *lock = NULL;
	struct keypair kp;
	char err[512];
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
	err[0] = '\0';
	if (keys_load(c->cfg.key_path, &kp, err, sizeof err) != HG_OK)
		return cli_error("%s", err[0] ? err : "cannot read the station's key");
	ld = malloc(sizeof *ld);
	slip = malloc(sizeof *slip);
	if (!ld || !slip) {
		rc = cli_error("out of memory");
		goto out;
	}
	rc = take_devices(c, "reprint", &lock);
	if (rc < 0)
		goto out;
	rc = kept ? reprint_kept(c, &kp, ld, slip) : reprint_load(c, &kp, no, ld, slip);
out:
	devlock_release(lock);
	sodium_memzero(&kp, sizeof kp);
	free(slip);
	free(ld);
	return rc;
}
