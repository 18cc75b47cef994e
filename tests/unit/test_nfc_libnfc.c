/* test_nfc_libnfc.c: the libnfc card-reader backend against the PN532
 * emulator.
 *
 * Real libnfc, real pn532_uart driver, a real pty: each test starts
 * build/peers/pn532_emu in its own folder (pn532_peer.h), opens
 * "libnfc:pn532_uart:<link>" through nfc_backend() as the kiosk does, and
 * steers the emulator's cards and faults through its control FIFO.  Covered:
 * 4-, 7- and 10-byte UIDs (and an ISO 14443-4 card), libnfc's own discovery
 * (bare "libnfc"), a card held 10 s counting as one tap, two cards in turn
 * and one replacing the other, the reader vanishing mid-poll and coming back
 * (HG_EIO, opens failing while it is gone, the next card read after), corrupt
 * frames (no false UID, recovery), bad connection strings, and the card's
 * type from its ATQA and SAK (card_type()).  Waits are
 * bounded by generous deadlines; timing figures belong in
 * tests/bench/bench_nfc.c. */
#include "testutil.h"
#include "pn532_peer.h"

#include "../../drivers/nfc.h"

#define READ_MS 100	/* what the kiosk's reader thread asks for */

struct fx {
	char dir[512];
	struct pn532_peer emu;
	const struct nfc_ops *ops;
	struct nfc_dev *dev;
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof *fx);

	if (!fx)
		return -1;
	if (tu_tmpdir(fx->dir, sizeof fx->dir, "nfclib") != 0) {
		free(fx);
		return -1;
	}
	if (pn532_start(&fx->emu, fx->dir) != 0) {
		fprintf(stderr, "test_nfc_libnfc: %s\n", fx->emu.why);
		pn532_stop(&fx->emu);
		tu_rmtree(fx->dir);
		free(fx);
		return -1;
	}
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	if (fx->dev)
		fx->ops->close(fx->dev);
	pn532_stop(&fx->emu);
	tu_rmtree(fx->dir);
	free(fx);
	return 0;
}

/* Open "libnfc:<the emulator's connstring>" into fx->dev. */
static void open_reader(struct fx *fx)
{
	char spec[1100];
	const char *arg = NULL;

	snprintf(spec, sizeof spec, "libnfc:%s", fx->emu.conn);
	fx->ops = nfc_backend(spec, &arg);
	assert_non_null(fx->ops);
	assert_string_equal(fx->ops->scheme, "libnfc");
	assert_int_equal(fx->ops->open(&fx->dev, arg), HG_OK);
	assert_non_null(fx->dev);
}

/* Read with READ_MS until a tap, an error or ms go by: the first result
 * that is not HG_EBUSY (HG_EBUSY when none came). */
static int read_for(struct fx *fx, long ms, char uid[LIM_UID + 1])
{
	long end = pn532_now_ms() + ms;
	int rc;

	do {
		rc = fx->ops->read(fx->dev, READ_MS, uid);
		if (rc != HG_EBUSY)
			return rc;
	} while (pn532_now_ms() < end);
	return HG_EBUSY;
}

static void ctl(struct fx *fx, const char *line)
{
	assert_int_equal(pn532_ctl(&fx->emu, line), 0);
}

static void expect_tap(struct fx *fx, const char *want)
{
	char uid[LIM_UID + 1];

	assert_int_equal(read_for(fx, 3000, uid), HG_OK);
	assert_string_equal(uid, want);
}

static void expect_quiet(struct fx *fx, long ms)
{
	char uid[LIM_UID + 1] = "";
	int rc = read_for(fx, ms, uid);

	if (rc != HG_EBUSY)
		fail_msg("expected no tap for %ld ms, got %d \"%s\"", ms, rc, uid);
}

/* Take the card away and let the reader see it gone. */
static void card_off(struct fx *fx)
{
	ctl(fx, "off");
	expect_quiet(fx, 200);
}

/* Every UID size, and card kinds that libnfc handles differently. */
static void test_uid_sizes(void **state)
{
	static const struct {
		const char *ctl;	/* the emulator's "on" line */
		const char *uid;	/* what read() must give */
	} rows[] = {
		/* MIFARE Classic 1K, single-size UID */
		{ "on 04A1B2C3", "04a1b2c3" },
		/* MIFARE Ultralight / NTAG, double-size UID */
		{ "on 04112233445566", "04112233445566" },
		/* triple-size UID (cascade level 3) */
		{ "on 0411223344556677889A", "0411223344556677889a" },
		/* DESFire-like ISO 14443-4 card (SAK 0x20): no RATS is sent */
		{ "on 04D2C1B0A09080 0344 20", "04d2c1b0a09080" },
		/* random single-size UID (first byte 0x08), uppercase hex in */
		{ "on 08ABCDEF", "08abcdef" },
	};
	struct fx *fx = *state;
	size_t i;

	open_reader(fx);
	expect_quiet(fx, 150);	/* no card yet */
	for (i = 0; i < HG_ARRAY_LEN(rows); i++) {
		ctl(fx, rows[i].ctl);
		expect_tap(fx, rows[i].uid);
		card_off(fx);
	}
}

/* card_type(): what the emulator's card says it is (ATQA and SAK on its
 * "on" line), named as NXP AN10833 does; nothing before the first tap, and
 * the last card told stays named after it is taken away. */
static void test_card_type(void **state)
{
	static const struct {
		const char *ctl, *uid, *type;
	} rows[] = {
		{ "on 04A1B2C3", "04a1b2c3", "MIFARE Classic 1K" },	/* emulator default */
		{ "on 04A1B2C4 0004 08", "04a1b2c4", "MIFARE Classic 1K" },
		{ "on 04112233445566", "04112233445566", "MIFARE Ultralight / NTAG" },
		{ "on 04112233445567 0044 00", "04112233445567", "MIFARE Ultralight / NTAG" },
		{ "on 04A1B2C5 0002 18", "04a1b2c5", "MIFARE Classic 4K" },
		{ "on 04A1B2C6 0004 09", "04a1b2c6", "MIFARE Mini" },
		{ "on 04D2C1B0A09080 0344 20", "04d2c1b0a09080", "MIFARE DESFire / ISO 14443-4" },
		{ "on 08ABCDEF 0004 20", "08abcdef", "MIFARE DESFire / ISO 14443-4" },
		{ "on 04A1B2C7 0004 28", "04a1b2c7", "MIFARE Classic 1K emulation / ISO 14443-4" },
		{ "on 04A1B2C8 0042 11", "04a1b2c8", "MIFARE Plus 4K (SL2)" },
		/* not in the table, not ISO 14443-4: the raw values */
		{ "on 04A1B2C9 0123 53", "04a1b2c9", "ISO 14443-A, ATQA 0x0123, SAK 0x53" },
		{ "on 04A1B2CA 0004 01", "04a1b2ca", "ISO 14443-A, ATQA 0x0004, SAK 0x01" },
	};
	struct fx *fx = *state;
	char type[64], small[8];

	open_reader(fx);
	assert_non_null(fx->ops->card_type);
	assert_int_equal(fx->ops->card_type(fx->dev, type, sizeof type), HG_ENOTFOUND);
	assert_string_equal(type, "");
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		print_message("%s\n", rows[i].ctl);
		ctl(fx, rows[i].ctl);
		expect_tap(fx, rows[i].uid);
		assert_int_equal(fx->ops->card_type(fx->dev, type, sizeof type), HG_OK);
		assert_string_equal(type, rows[i].type);
		card_off(fx);
		/* taken away: still the last card told */
		assert_int_equal(fx->ops->card_type(fx->dev, type, sizeof type), HG_OK);
		assert_string_equal(type, rows[i].type);
	}
	/* too small a buffer: as much as fits, and says so */
	assert_int_equal(fx->ops->card_type(fx->dev, small, sizeof small), HG_ETOOLONG);
	assert_string_equal(small, "ISO 144");
	assert_int_equal(fx->ops->card_type(fx->dev, small, 0), HG_EINVAL);
	assert_int_equal(fx->ops->card_type(NULL, type, sizeof type), HG_EINVAL);
}

/* Bare "libnfc": libnfc finds the reader itself (LIBNFC_DEFAULT_DEVICE). */
static void test_discovery(void **state)
{
	struct fx *fx = *state;
	const char *arg = NULL;
	char *old = getenv("LIBNFC_DEFAULT_DEVICE");
	char saved[1100] = "";
	int rc;

	if (old)
		snprintf(saved, sizeof saved, "%s", old);
	setenv("LIBNFC_DEFAULT_DEVICE", fx->emu.conn, 1);
	fx->ops = nfc_backend("libnfc", &arg);
	assert_non_null(fx->ops);
	assert_string_equal(arg, "");
	rc = fx->ops->open(&fx->dev, arg);
	if (old)
		setenv("LIBNFC_DEFAULT_DEVICE", saved, 1);
	else
		unsetenv("LIBNFC_DEFAULT_DEVICE");
	assert_int_equal(rc, HG_OK);
	ctl(fx, "on 04A1B2C3");
	expect_tap(fx, "04a1b2c3");
}

/* A card left on the reader for 10 s is one tap; taken away and put back,
 * it is a second one. */
static void test_held_card_one_tap(void **state)
{
	struct fx *fx = *state;

	open_reader(fx);
	ctl(fx, "on 04A1B2C3");
	expect_tap(fx, "04a1b2c3");
	expect_quiet(fx, 10000);
	card_off(fx);
	ctl(fx, "on 04A1B2C3");
	expect_tap(fx, "04a1b2c3");
	expect_quiet(fx, 300);
}

/* Two cards in turn, and one put down in place of the other. */
static void test_two_cards(void **state)
{
	struct fx *fx = *state;

	open_reader(fx);
	/* A on, off, B on: A then B */
	ctl(fx, "on 04A1B2C3");
	expect_tap(fx, "04a1b2c3");
	card_off(fx);
	ctl(fx, "on 04112233445566");
	expect_tap(fx, "04112233445566");
	expect_quiet(fx, 300);
	/* B replaced by A with no gap: A is a new tap at once */
	ctl(fx, "on 04A1B2C3");
	expect_tap(fx, "04a1b2c3");
	expect_quiet(fx, 300);
	/* and back: a card is never remembered beyond the one on the reader */
	ctl(fx, "on 04112233445566");
	expect_tap(fx, "04112233445566");
}

/* Unplugged while polling: HG_EIO, opens fail while it is gone, it comes
 * back, and the next card is read by a new open (no restart). */
static void test_vanish_and_return(void **state)
{
	struct fx *fx = *state;
	const char *arg = fx->emu.conn;
	char uid[LIM_UID + 1];
	int rc, i;

	open_reader(fx);
	ctl(fx, "on 04A1B2C3");
	expect_tap(fx, "04a1b2c3");
	ctl(fx, "off");
	expect_quiet(fx, 150);	/* polling, no card: then the plug is pulled */
	ctl(fx, "vanish");
	assert_int_equal(pn532_wait_link(&fx->emu, 0, 2000), 0);
	rc = read_for(fx, 5000, uid);
	assert_int_equal(rc, HG_EIO);
	fx->ops->close(fx->dev);
	fx->dev = NULL;

	for (i = 0; i < 3; i++) {	/* what the reader thread's backoff does */
		assert_int_equal(fx->ops->open(&fx->dev, arg), HG_EIO);
		assert_null(fx->dev);
	}
	ctl(fx, "return");
	assert_int_equal(pn532_wait_link(&fx->emu, 1, 2000), 0);
	assert_int_equal(fx->ops->open(&fx->dev, arg), HG_OK);
	expect_quiet(fx, 150);
	ctl(fx, "on 04112233445566");
	expect_tap(fx, "04112233445566");
}

/* Unplugged with a card held: still HG_EIO, and after the return the card
 * on the reader is a tap of the new connection. */
static void test_vanish_card_held(void **state)
{
	struct fx *fx = *state;
	char uid[LIM_UID + 1];

	open_reader(fx);
	ctl(fx, "on 04A1B2C3");
	expect_tap(fx, "04a1b2c3");
	ctl(fx, "vanish");
	assert_int_equal(read_for(fx, 5000, uid), HG_EIO);
	fx->ops->close(fx->dev);
	fx->dev = NULL;
	ctl(fx, "return");
	assert_int_equal(pn532_wait_link(&fx->emu, 1, 2000), 0);
	assert_int_equal(fx->ops->open(&fx->dev, fx->emu.conn), HG_OK);
	expect_tap(fx, "04a1b2c3");
}

/* Corrupt answers (bad DCS, bad LCS, garbage, in turn): never a UID that is
 * not the card's, one bad frame costs no more than a retry, a burst makes
 * the reader HG_EIO, and it opens and reads again once the burst is over. */
static void test_corrupt_frames(void **state)
{
	struct fx *fx = *state;
	char uid[LIM_UID + 1];
	long end;
	int rc, i, opened, eio = 0;

	open_reader(fx);
	/* one of each kind, each alone: retried, no HG_EIO, no tap */
	for (i = 0; i < 3; i++) {
		ctl(fx, "corrupt 1");
		expect_quiet(fx, 150);
	}
	/* a card read while frames go bad: the right UID or nothing */
	ctl(fx, "corrupt 2");
	ctl(fx, "on 04A1B2C3");
	expect_tap(fx, "04a1b2c3");
	expect_quiet(fx, 300);
	card_off(fx);

	/* a burst: HG_EIO; then reopen (as the reader thread would) until
	 * the emulator answers cleanly again; no UID ever but the card's */
	ctl(fx, "on 04112233445566");
	expect_tap(fx, "04112233445566");
	ctl(fx, "corrupt 40");
	end = pn532_now_ms() + 20000;
	opened = 1;
	while (pn532_now_ms() < end) {
		if (!opened) {
			rc = fx->ops->open(&fx->dev, fx->emu.conn);
			if (rc != HG_OK) {
				assert_int_equal(rc, HG_EIO);
				pn532_sleep_ms(20);
				continue;
			}
			opened = 1;
		}
		rc = fx->ops->read(fx->dev, READ_MS, uid);
		if (rc == HG_EIO) {
			eio++;
			fx->ops->close(fx->dev);
			fx->dev = NULL;
			opened = 0;
			continue;
		}
		if (rc == HG_OK) {
			/* a new open reports the card on the reader once */
			assert_string_equal(uid, "04112233445566");
			break;
		}
		assert_int_equal(rc, HG_EBUSY);
	}
	assert_true(eio >= 1);
	assert_int_equal(rc, HG_OK);
	ctl(fx, "corrupt 0");
	card_off(fx);
	ctl(fx, "on 0411223344556677889A");
	expect_tap(fx, "0411223344556677889a");
}

/* Connection strings that lead nowhere: HG_EIO, quickly, nothing held. */
static void test_bad_open(void **state)
{
	static const char *const bad[] = {
		"pn532_uart:/nonexistent/ttyUSB9",	/* no such port */
		"nosuchdriver:/dev/null",		/* no such libnfc driver */
		"pn532_uart:/dev/null",			/* not a tty: no answer */
	};
	struct fx *fx = *state;
	const char *arg = NULL;
	struct nfc_dev *d;
	char toolong[2000];
	long t0;
	size_t i;

	fx->ops = nfc_backend("libnfc:x", &arg);
	assert_non_null(fx->ops);
	for (i = 0; i < HG_ARRAY_LEN(bad); i++) {
		d = (struct nfc_dev *)fx;	/* must be reset */
		t0 = pn532_now_ms();
		assert_int_equal(fx->ops->open(&d, bad[i]), HG_EIO);
		assert_null(d);
		assert_true(pn532_now_ms() - t0 < 5000);
	}
	memset(toolong, 'a', sizeof toolong - 1);
	toolong[sizeof toolong - 1] = '\0';
	assert_int_equal(fx->ops->open(&d, toolong), HG_ETOOLONG);
	assert_int_equal(fx->ops->open(&d, NULL), HG_EINVAL);
	assert_int_equal(fx->ops->open(NULL, bad[0]), HG_EINVAL);
	assert_null(nfc_backend("libnfcx:foo", &arg));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_uid_sizes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_card_type, setup, teardown),
		cmocka_unit_test_setup_teardown(test_discovery, setup, teardown),
		cmocka_unit_test_setup_teardown(test_held_card_one_tap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_cards, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vanish_and_return, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vanish_card_held, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corrupt_frames, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_open, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
