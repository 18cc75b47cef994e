/* test_nfc_reader.c: the kiosk's card-reader thread (kiosk/sdl_nfc.c) over
 * the libnfc backend and the PN532 emulator.
 *
 * SDL with its event subsystem only (no window): the thread pushes card and
 * status events, the test waits for them on this thread as the kiosk's main
 * loop does.  kiosk/sdl_nfc.c is compiled into this program (#include of the
 * .c: it needs only SDL and drivers/nfc.h), the rest comes from
 * build/libhaulgate.a; the emulator is build/peers/pn532_emu
 * (tests/unit/pn532_peer.h says how it is found).  Covered: the reader
 * missing at start (offline, then online when it appears, no restart), a
 * card tap as one event while held, the reader vanishing (offline) and
 * coming back (online, next card read), corrupt frames (no false UID); every
 * teardown stops the thread (reader_stop), some while it is backing off; and
 * the UI's wake-up hook comes after each event is queued. */
#include "../unit/testutil.h"
#include "../unit/pn532_peer.h"

#include "../../kiosk/sdl_nfc.c"

struct fx {
	char dir[512];
	struct pn532_peer emu;
	struct reader *rd;
	Uint32 ev_card, ev_status;
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof *fx);

	if (!fx)
		return -1;
	if (SDL_Init(SDL_INIT_EVENTS) != 0) {
		fprintf(stderr, "test_nfc_reader: SDL_Init: %s\n", SDL_GetError());
		free(fx);
		return -1;
	}
	fx->ev_card = SDL_RegisterEvents(2);
	fx->ev_status = fx->ev_card + 1;
	if (fx->ev_card == (Uint32)-1 || tu_tmpdir(fx->dir, sizeof fx->dir, "nfcrd") != 0) {
		SDL_Quit();
		free(fx);
		return -1;
	}
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;
	SDL_Event e;

	reader_stop(fx->rd);
	pn532_stop(&fx->emu);
	while (SDL_PollEvent(&e))
		if (e.type == fx->ev_card)
			free(e.user.data1);
	SDL_Quit();
	tu_rmtree(fx->dir);
	free(fx);
	return 0;
}

static void start_emu(struct fx *fx)
{
	if (pn532_start(&fx->emu, fx->dir) != 0)
		fail_msg("%s", fx->emu.why);
}

static void start_reader(struct fx *fx)
{
	char spec[CFG_PATH];
	int n = snprintf(spec, sizeof spec, "libnfc:pn532_uart:%s/ttyPN532", fx->dir);

	assert_true(n > 0 && (size_t)n < sizeof spec);
	assert_int_equal(reader_start(&fx->rd, spec, fx->ev_card, fx->ev_status), HG_OK);
}

/* The next card or status event within ms: 'c' (uid set), 'o' offline,
 * 'n' online, or 0 when none came. */
static int next_event(struct fx *fx, long ms, char uid[LIM_UID + 1])
{
	long end = pn532_now_ms() + ms;
	SDL_Event e;

	uid[0] = '\0';
	for (;;) {
		long left = end - pn532_now_ms();

		if (left <= 0 || !SDL_WaitEventTimeout(&e, (int)left)) {
			if (pn532_now_ms() >= end)
				return 0;
			continue;
		}
		if (e.type == fx->ev_card) {
			snprintf(uid, LIM_UID + 1, "%s", (char *)e.user.data1);
			free(e.user.data1);
			return 'c';
		}
		if (e.type == fx->ev_status)
			return e.user.code ? 'o' : 'n';
	}
}

static void expect_event(struct fx *fx, long ms, int want, const char *want_uid)
{
	char uid[LIM_UID + 1];
	int got = next_event(fx, ms, uid);

	if (got != want)
		fail_msg("expected event '%c' within %ld ms, got '%c' (uid \"%s\")", want, ms,
			 got ? got : '-', uid);
	if (want_uid)
		assert_string_equal(uid, want_uid);
}

static void ctl(struct fx *fx, const char *line)
{
	assert_int_equal(pn532_ctl(&fx->emu, line), 0);
}

/* Reader there from the start: online, one event per tap, held = one. */
static void test_taps(void **state)
{
	struct fx *fx = *state;

	start_emu(fx);
	start_reader(fx);
	expect_event(fx, 5000, 'n', NULL);
	ctl(fx, "on 04A1B2C3");
	expect_event(fx, 3000, 'c', "04a1b2c3");
	expect_event(fx, 1500, 0, NULL);	/* held: nothing more */
	ctl(fx, "on 0411223344556677889A");	/* another card in its place */
	expect_event(fx, 3000, 'c', "0411223344556677889a");
	ctl(fx, "off");
	expect_event(fx, 300, 0, NULL);
}

/* No reader at start: offline; plugged in: online and reading, no restart.
 * Then unplugged (offline), back (online), and the next card is read. */
static void test_offline_online(void **state)
{
	struct fx *fx = *state;

	start_reader(fx);
	expect_event(fx, 3000, 'o', NULL);
	pn532_sleep_ms(600);	/* a few failed opens: the backoff grows */
	start_emu(fx);
	expect_event(fx, 10000, 'n', NULL);
	ctl(fx, "on 04A1B2C3");
	expect_event(fx, 3000, 'c', "04a1b2c3");
	ctl(fx, "off");
	expect_event(fx, 300, 0, NULL);

	ctl(fx, "vanish");
	expect_event(fx, 5000, 'o', NULL);
	expect_event(fx, 1000, 0, NULL);	/* still gone: no flapping */
	ctl(fx, "return");
	expect_event(fx, 10000, 'n', NULL);
	ctl(fx, "on 04112233445566");
	expect_event(fx, 3000, 'c', "04112233445566");
}

/* Corrupt answers: offline at worst, never a UID the card does not have,
 * online again after the burst. */
static void test_corrupt(void **state)
{
	struct fx *fx = *state;
	char uid[LIM_UID + 1];
	int ev, cards = 0, offline = 0, online_again = 0;
	long end;

	start_emu(fx);
	start_reader(fx);
	expect_event(fx, 5000, 'n', NULL);
	ctl(fx, "corrupt 6");	/* 3 failed polls, then 3 failed opens */
	ctl(fx, "on 04A1B2C3");
	end = pn532_now_ms() + 20000;
	while (pn532_now_ms() < end && !(cards && online_again)) {
		ev = next_event(fx, 500, uid);
		if (ev == 'c') {
			assert_string_equal(uid, "04a1b2c3");
			cards++;
		} else if (ev == 'o') {
			offline = 1;
		} else if (ev == 'n') {
			online_again = offline;
		}
	}
	assert_true(offline);	/* 3 bad polls in a row: HG_EIO */
	assert_true(online_again);
	assert_int_equal(cards, 1);
}

/* The wake-up the kiosk's own sleeper needs comes after the event is in the
 * queue (an SDL event watch comes before: the woken loop found nothing and
 * slept on with the tap waiting), and comes from a thread, for cards and
 * status alike. */
static Uint32 woke_type;
static int woke_found, woke_calls;

static void wake_probe(void)
{
	SDL_Event e;

	woke_calls++;
	woke_found += SDL_PeepEvents(&e, 1, SDL_PEEKEVENT, woke_type, woke_type) == 1;
}

static void test_wake_after_queued(void **state)
{
	struct fx *fx = *state;
	SDL_Event e;

	woke_type = fx->ev_card;
	woke_found = woke_calls = 0;
	kiosk_set_wake(wake_probe);
	assert_int_equal(kiosk_push_card(fx->ev_card, "04a1b2c3"), HG_OK);
	assert_int_equal(woke_calls, 1);
	assert_int_equal(woke_found, 1);	/* the event was there when woken */
	kiosk_set_wake(NULL);
	assert_int_equal(kiosk_push_card(fx->ev_card, "04a1b2c4"), HG_OK);
	assert_int_equal(woke_calls, 1);	/* unset: not called */
	while (SDL_PollEvent(&e))
		if (e.type == fx->ev_card)
			free(e.user.data1);

	/* the reader thread's status event wakes it too */
	woke_type = fx->ev_status;
	woke_found = woke_calls = 0;
	kiosk_set_wake(wake_probe);
	assert_int_equal(reader_start(&fx->rd, "libnfc:pn532_uart:/nonexistent/tty", fx->ev_card,
				      fx->ev_status), HG_OK);
	for (int i = 0; i < 200 && !woke_calls; i++)
		SDL_Delay(10);
	reader_stop(fx->rd);
	fx->rd = NULL;
	kiosk_set_wake(NULL);
	assert_true(woke_calls >= 1);
	assert_int_equal(woke_found, woke_calls);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_taps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_offline_online, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corrupt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wake_after_queued, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
