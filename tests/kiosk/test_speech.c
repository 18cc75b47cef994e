/* test_speech.c: every screen's prompt can be spoken, in both languages.
 *
 * Real espeak-ng, writing WAV files instead of playing (no sound card here):
 * each prompt gives a valid WAV of plausible length, and the Spanish voice is
 * used for Spanish (its audio differs from the English voice reading the same
 * text). */
#include "../unit/testutil.h"
#include "../../kiosk/speech.h"
#include "../../kiosk/screens.h"

static char dir[512];

static long wav_samples(const char *path)
{
	unsigned char h[44];
	FILE *f = fopen(path, "rb");
	long n;

	if (!f)
		return -1;
	if (fread(h, 1, 44, f) != 44 || memcmp(h, "RIFF", 4) || memcmp(h + 8, "WAVE", 4)) {
		fclose(f);
		return -1;
	}
	fclose(f);
	n = (long)h[40] | (long)h[41] << 8 | (long)h[42] << 16 | (long)h[43] << 24;
	return n / 2;
}

static void test_every_prompt_spoken(void **state)
{
	struct speech *s;
	struct session f;
	struct kiosk_view v;
	struct config cfg;
	struct actions out;
	char text[2048], mode[600], path[600];
	int n = 0;

	(void)state;
	config_defaults(&cfg);
	memset(&v, 0, sizeof v);
	snprintf(mode, sizeof mode, "wav:%s", dir);
	assert_int_equal(speech_open(&s, mode), 0);
	for (int l = 0; l < LANG_COUNT; l++)
		for (int sc = 0; sc < SCR_COUNT; sc++) {
			session_init(&f, &cfg, 1795000000, &out);
			f.screen = (enum screen)sc;
			f.lang = (enum lang)l;
			f.message = sc == SCR_PIN ? R_PIN_WRONG : R_NONE;
			screens_speech(&f, &v, text, sizeof text);
			if (strncmp(text, "ui.", 3) == 0)
				fail_msg("screen %s has no spoken prompt", screen_id((enum screen)sc));
			assert_int_equal(speech_say(s, text, (enum lang)l), 0);
			n++;
			snprintf(path, sizeof path, "%s/speech-%03d.wav", dir, n);
			/* 22,050 samples a second: at least a third of a second of speech */
			if (wav_samples(path) < 7000)
				fail_msg("%s: too short for \"%s\"", path, text);
		}
	assert_int_equal(speech_count(s), n);
	speech_close(s);
}

static void test_spanish_voice(void **state)
{
	struct speech *s;
	char mode[600], a[600], b[600];
	FILE *fa, *fb;
	int differ = 0;

	(void)state;
	tu_rmtree(dir);
	assert_int_equal(mkdir(dir, 0755), 0);
	snprintf(mode, sizeof mode, "wav:%s", dir);
	assert_int_equal(speech_open(&s, mode), 0);
	assert_int_equal(speech_say(s, "Uno dos tres", LANG_EN), 0);
	assert_int_equal(speech_say(s, "Uno dos tres", LANG_ES), 0);
	speech_close(s);
	snprintf(a, sizeof a, "%s/speech-001.wav", dir);
	snprintf(b, sizeof b, "%s/speech-002.wav", dir);
	fa = fopen(a, "rb");
	fb = fopen(b, "rb");
	assert_non_null(fa);
	assert_non_null(fb);
	for (int ca = 0, cb = 0; ca != EOF && cb != EOF;) {
		ca = fgetc(fa);
		cb = fgetc(fb);
		if (ca != cb) {
			differ = 1;
			break;
		}
	}
	fclose(fa);
	fclose(fb);
	assert_true(differ);
}

static void test_modes(void **state)
{
	struct speech *s = (struct speech *)1;

	(void)state;
	assert_int_equal(speech_open(&s, "off"), 0);
	assert_null(s);
	assert_int_equal(speech_say(NULL, "nothing", LANG_EN), 0);
	assert_int_not_equal(speech_open(&s, "loud"), 0);
	assert_null(s);
}

static int setup(void **state)
{
	(void)state;
	return tu_tmpdir(dir, sizeof dir, "speech");
}

static int teardown(void **state)
{
	(void)state;
	return tu_rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_prompt_spoken),
		cmocka_unit_test(test_spanish_voice),
		cmocka_unit_test(test_modes),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
