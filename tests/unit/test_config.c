/* test_config.c: unit tests of core/config.c.
 *
 * Each case writes a small station.ini into a fresh temporary folder and
 * loads it over the defaults.  The bad-value table has one row per kind of
 * mistake, each with the line it must be reported on and a piece of the
 * message; other tests check that every error of a file is reported, paths,
 * list continuation lines, the opening hours and the time zone; and
 * config_station_id(), the rule between the file's [station] id and the
 * database's. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../core/config.h"
#include "../../core/report.h"
#include "../../host/config_file.h"
#include "../../core/text.h"

static char dir[512];

static int setup(void **state)
{
	(void)state;
	return tu_tmpdir(dir, sizeof dir, "config");
}

static int teardown(void **state)
{
	(void)state;
	return tu_rmtree(dir);
}

/* Write content (n bytes, or strlen when n is 0) to dir/name; path into out. */
static void write_file(const char *name, const char *content, size_t n, char *out, size_t cap)
{
	FILE *f;

	assert_true((size_t)snprintf(out, cap, "%s/%s", dir, name) < cap);
	f = fopen(out, "wb");
	assert_non_null(f);
	if (n == 0)
		n = strlen(content);
	assert_int_equal(fwrite(content, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

/* Load content over the defaults. */
static int load(const char *content, struct config *cfg, struct config_errors *errs)
{
	char path[600];

	write_file("station.ini", content, 0, path, sizeof path);
	config_defaults(cfg);
	memset(errs, 0, sizeof *errs);
	return config_load(cfg, path, errs);
}

static void dump(const struct config_errors *errs)
{
	for (int i = 0; i < errs->n; i++)
		print_message("  line %d: %s\n", errs->e[i].line, errs->e[i].msg);
}

/* ---- defaults ---- */

/* The flow meter: none by default; a meter and its [meter] keys; `meter =`
 * empty takes a meter away again. */
static void test_meter(void **state)
{
	struct config cfg;
	struct config_errors errs;
	char want[700];

	(void)state;
	config_defaults(&cfg);
	assert_string_equal(cfg.meter, "");
	assert_true(cfg.meter_mismatch > 0.0999 && cfg.meter_mismatch < 0.1001);
	assert_int_equal(cfg.meter_mismatch_min, 25);

	assert_int_equal(load("[hardware]\nmeter = sim:var/meter\n[meter]\nmismatch = 5%\n"
			      "mismatch_min_gallons = 0\n", &cfg, &errs), HG_OK);
	snprintf(want, sizeof want, "sim:%s/var/meter", dir);	/* relative to the file */
	assert_string_equal(cfg.meter, want);
	assert_true(cfg.meter_mismatch > 0.0499 && cfg.meter_mismatch < 0.0501);
	assert_int_equal(cfg.meter_mismatch_min, 0);
	/* the random rate is a K_RATE too: each goes to its own field */
	assert_true(cfg.sample_random_rate > 0.0499 && cfg.sample_random_rate < 0.0501);

	assert_int_equal(load("[hardware]\nmeter = modbus-tcp:10.0.0.9:502,register=100,scale=0.1\n"
			      "[meter]\nmismatch = 0.25\n", &cfg, &errs), HG_OK);
	assert_string_equal(cfg.meter, "modbus-tcp:10.0.0.9:502,register=100,scale=0.1");
	assert_true(cfg.meter_mismatch > 0.2499 && cfg.meter_mismatch < 0.2501);

	cfg.meter[0] = 'x';
	assert_int_equal(load("[hardware]\nmeter =\n", &cfg, &errs), HG_OK);
	assert_string_equal(cfg.meter, "");
}

static void test_defaults(void **state)
{
	struct config cfg;

	(void)state;
	config_defaults(&cfg);
	assert_string_equal(cfg.station_id, "demo-01");
	assert_string_equal(cfg.station_name, "Demo Water Reclamation Facility");
	assert_string_equal(cfg.verify_base, "https://potw.example.org/r");
	assert_string_equal(cfg.timezone, "");
	assert_string_equal(cfg.db_path, "var/haulgate.db");
	assert_string_equal(cfg.key_path, "var/station.key");
	assert_int_equal(cfg.lang_default, LANG_EN);
	assert_int_equal(cfg.hours[1].open, 360);	/* mon 06:00-18:00 */
	assert_int_equal(cfg.hours[1].close, 1080);
	assert_int_equal(cfg.hours[5].close, 1080);	/* fri */
	assert_int_equal(cfg.hours[6].open, 420);	/* sat 07:00-12:00 */
	assert_int_equal(cfg.hours[6].close, 720);
	assert_int_equal(cfg.hours[0].open, 0);		/* sun closed */
	assert_int_equal(cfg.hours[0].close, 0);
	assert_int_equal(cfg.n_closed, 0);
	assert_int_equal(cfg.waste_allowed, WASTE_ALL);
	assert_int_equal(cfg.refuse_rcra, 1);
	assert_int_equal(cfg.no_analysis_sample, 1);
	assert_int_equal(cfg.daily_limit_gallons, 60000);
	assert_int_equal(cfg.n_area, 4);
	assert_string_equal(cfg.area[0], "Springfield");
	assert_string_equal(cfg.area[3], "80403");
	assert_int_equal(cfg.sample_first_load, 1);
	assert_int_equal(cfg.sample_waste, (1u << WASTE_INDUSTRIAL) | (1u << WASTE_GREASE));
	assert_int_equal(cfg.sample_rcra_unknown, 1);
	assert_int_equal(cfg.sample_constituents, 1);
	assert_true(cfg.sample_random_rate > 0.0499 && cfg.sample_random_rate < 0.0501);
	assert_int_equal(cfg.sample_every_n, 10);
	assert_int_equal(cfg.pin_max_failures, 5);
	assert_int_equal(cfg.pin_lockout_s, 900);
	assert_int_equal(cfg.inactivity_s, 120);
	assert_int_equal(cfg.max_discharge_s, 1800);
	assert_int_equal(cfg.rv_max_dump_s, 900);
	assert_string_equal(cfg.relay, "sim:var/relays");
	assert_string_equal(cfg.nfc, "sim:var/nfc.fifo");
	assert_string_equal(cfg.printer, "file:var/receipts");
	assert_string_equal(config_relay_arg(&cfg, "gate"), "0");
	assert_string_equal(config_relay_arg(&cfg, "valve"), "1");
	assert_null(config_relay_arg(&cfg, "pump"));
	assert_int_equal(cfg.kiosk_speech, 0);
	assert_string_equal(cfg.speech_output, "play");
	assert_int_equal(cfg.kiosk_renderer, CFG_RENDERER_SOFTWARE);
	assert_int_equal(cfg.kiosk_fullscreen, 1);
}

/* ---- every key, good values ---- */

static void test_good_file(void **state)
{
	struct config cfg;
	struct config_errors errs;
	int rc;

	(void)state;
	rc = load("; a full file\n"
		  "[station]\n"
		  "id = POTW-7\n"
		  "name = \"Springfield WRF\"\n"
		  "verify_base = https://wrf.example.gov/verify\n"
		  "timezone = America/Denver\n"
		  "db = /srv/haulgate/h.db\n"
		  "key = /srv/haulgate/station.key\n"
		  "language = es\n"
		  "[hours]\n"
		  "mon = 05:30-19:00\n"
		  "tue = closed\n"
		  "wed = 00:00-24:00\n"
		  "sun = 08:00-09:00 ; inline comment\n"
		  "closed_dates = 2026-12-25, 2027-01-01\n"
		  "[policy]\n"
		  "waste_types = septage, grease\n"
		  "industrial_without_analysis = refuse\n"
		  "daily_limit_gallons = 0\n"
		  "service_area = Capital City\n"
		  "rcra_hazardous = refuse\n"
		  "[sampling]\n"
		  "first_load = no\n"
		  "waste_types =\n"
		  "rcra_unknown = yes\n"
		  "constituents = No\n"
		  "random_rate = 12.5%\n"
		  "every_n_loads = 0\n"
		  "[session]\n"
		  "pin_attempts = 3\n"
		  "pin_lockout = 1h\n"
		  "inactivity_timeout = 30s\n"
		  "max_discharge = 45m\n"
		  "rv_max_dump = 1h30m\n"
		  "[hardware]\n"
		  "relay = modbus:/dev/ttyUSB0:1\n"
		  "nfc = sim:/run/nfc.fifo\n"
		  "printer = file:/var/spool/receipts\n"
		  "[relays]\n"
		  "gate = 4\n"
		  "light = 2\n"
		  "[kiosk]\n"
		  "speech = on\n"
		  "speech_output = wav:/var/lib/haulgate/speech\n"
		  "renderer = auto\n"
		  "fullscreen = no\n",
		  &cfg, &errs);
	dump(&errs);
	assert_int_equal(rc, HG_OK);
	assert_int_equal(errs.n, 0);
	assert_string_equal(cfg.station_id, "POTW-7");
	assert_string_equal(cfg.station_name, "Springfield WRF");	/* quotes removed */
	assert_string_equal(cfg.verify_base, "https://wrf.example.gov/verify");
	assert_string_equal(cfg.timezone, "America/Denver");
	assert_string_equal(cfg.db_path, "/srv/haulgate/h.db");
	assert_string_equal(cfg.key_path, "/srv/haulgate/station.key");
	assert_int_equal(cfg.lang_default, LANG_ES);
	assert_int_equal(cfg.hours[1].open, 330);
	assert_int_equal(cfg.hours[1].close, 1140);
	assert_int_equal(cfg.hours[2].open, 0);
	assert_int_equal(cfg.hours[2].close, 0);
	assert_int_equal(cfg.hours[3].close, 1440);
	assert_int_equal(cfg.hours[0].open, 480);
	assert_int_equal(cfg.n_closed, 2);
	assert_string_equal(cfg.closed[1], "2027-01-01");
	assert_int_equal(cfg.waste_allowed, (1u << WASTE_SEPTAGE) | (1u << WASTE_GREASE));
	assert_int_equal(cfg.no_analysis_sample, 0);
	assert_int_equal(cfg.daily_limit_gallons, 0);
	assert_int_equal(cfg.n_area, 1);
	assert_string_equal(cfg.area[0], "Capital City");
	assert_int_equal(cfg.refuse_rcra, 1);
	assert_int_equal(cfg.sample_first_load, 0);
	assert_int_equal(cfg.sample_waste, 0);
	assert_int_equal(cfg.sample_constituents, 0);
	assert_true(cfg.sample_random_rate > 0.1249 && cfg.sample_random_rate < 0.1251);
	assert_int_equal(cfg.sample_every_n, 0);
	assert_int_equal(cfg.pin_max_failures, 3);
	assert_int_equal(cfg.pin_lockout_s, 3600);
	assert_int_equal(cfg.inactivity_s, 30);
	assert_int_equal(cfg.max_discharge_s, 2700);
	assert_int_equal(cfg.rv_max_dump_s, 5400);
	assert_string_equal(cfg.relay, "modbus:/dev/ttyUSB0:1");	/* other backends untouched */
	assert_string_equal(cfg.nfc, "sim:/run/nfc.fifo");
	assert_string_equal(cfg.printer, "file:/var/spool/receipts");
	assert_int_equal(cfg.n_relays, 3);
	assert_string_equal(config_relay_arg(&cfg, "gate"), "4");
	assert_string_equal(config_relay_arg(&cfg, "valve"), "1");	/* default kept */
	assert_string_equal(config_relay_arg(&cfg, "light"), "2");
	assert_int_equal(cfg.kiosk_speech, 1);
	assert_string_equal(cfg.speech_output, "wav:/var/lib/haulgate/speech");
	assert_int_equal(cfg.kiosk_renderer, CFG_RENDERER_AUTO);
	assert_int_equal(cfg.kiosk_fullscreen, 0);
}

/* ---- one bad value per row ---- */

struct bad_row {
	const char *ini;
	int line;		/* where the error must be reported */
	const char *msg;	/* a piece of the message */
};

static const struct bad_row bad_rows[] = {
	/* [station] */
	{ "[station]\nid = demo 01\n", 2, "[station] id: must be 1 to 31 letters" },	/* space in id */
	{ "[station]\nid = abcdefghijabcdefghijabcdefghij12\n", 2, "[station] id:" },	/* 32 characters */
	{ "[station]\nid =\n", 2, "[station] id:" },						/* empty id */
	{ "[station]\nname =\n", 2, "[station] name: must not be empty" },		/* empty name */
	{ "[station]\nname = a\x01z\n", 2, "without control characters" },		/* control character */
	{ "[station]\nname = \xc3\x28\n", 2, "[station] name: must be UTF-8" },		/* broken UTF-8 */
	{ "[station]\nverify_base = ftp://x.org/r\n", 2, "[station] verify_base:" },	/* not http(s) */
	{ "[station]\nverify_base = https://x.org/r?a=1\n", 2, "'?'" },			/* a query already */
	{ "[station]\ntimezone = Mars/Olympus\n", 2, "[station] timezone: \"Mars/Olympus\" is not a time zone" },
	{ "[station]\ntimezone = ../../etc/passwd\n", 2, "[station] timezone:" },	/* path games */
	{ "[station]\ntimezone = /etc/localtime\n", 2, "[station] timezone:" },		/* absolute path */
	{ "[station]\ndb =\n", 2, "[station] db: must be a file path" },		/* empty path */
	{ "[station]\nlanguage = fr\n", 2, "[station] language: must be en or es, not \"fr\"" },
	/* [hours] */
	{ "[hours]\nmon = 18:00-06:00\n", 2, "[hours] mon: must be HH:MM-HH:MM" },	/* overnight */
	{ "[hours]\ntue = 6:00-18:00\n", 2, "[hours] tue:" },				/* one-digit hour */
	{ "[hours]\nwed = 06:00-06:00\n", 2, "[hours] wed:" },				/* empty span */
	{ "[hours]\nthu = 24:00-24:00\n", 2, "[hours] thu:" },				/* opens at 24:00 */
	{ "[hours]\nfri = 06:00-25:00\n", 2, "[hours] fri:" },				/* hour 25 */
	{ "[hours]\nsat = 06:60-07:00\n", 2, "[hours] sat:" },				/* minute 60 */
	{ "[hours]\nsun = shut\n", 2, "[hours] sun: must be HH:MM-HH:MM (opening before closing, 24:00 the latest) or closed, not \"shut\"" },
	{ "[hours]\nclosed_dates = 2026-12-25, 2026-02-30\n", 2, "\"2026-02-30\" is not a real date" },
	{ "[hours]\nclosed_dates = 12/25/2026\n", 2, "[hours] closed_dates:" },		/* US date */
	/* [policy] */
	{ "[policy]\nwaste_types = septage, sludge\n", 2, "\"sludge\" is not a waste type" },
	{ "[policy]\nwaste_types =\n", 2, "[policy] waste_types: must name at least one" },
	{ "[policy]\nindustrial_without_analysis = maybe\n", 2, "must be refuse or sample, not \"maybe\"" },
	{ "[policy]\ndaily_limit_gallons = -1\n", 2, "must be a whole number from 0 to 10000000, not \"-1\"" },
	{ "[policy]\ndaily_limit_gallons = 60,000\n", 2, "[policy] daily_limit_gallons:" },	/* thousands comma */
	{ "[policy]\nrcra_hazardous = accept\n", 2, "RCRA hazardous waste is always refused" },
	{ "[policy]\nrcra_hazardous = sample\n", 2, "the only value is refuse" },
	{ "[policy]\nservice_area = ok, a\x7f" "b\n", 2, "[policy] service_area:" },	/* DEL in a town */
	/* [sampling] */
	{ "[sampling]\nfirst_load = maybe\n", 2, "[sampling] first_load: must be yes or no, not \"maybe\"" },
	{ "[sampling]\nwaste_types = oil\n", 2, "\"oil\" is not a waste type" },
	{ "[sampling]\nrandom_rate = 1.5\n", 2, "[sampling] random_rate: must be a fraction" },
	{ "[sampling]\nrandom_rate = 150%\n", 2, "[sampling] random_rate:" },		/* over 100% */
	{ "[sampling]\nrandom_rate = -0.1\n", 2, "[sampling] random_rate:" },		/* negative */
	{ "[sampling]\nrandom_rate = 5%%\n", 2, "[sampling] random_rate:" },		/* junk */
	{ "[sampling]\nrandom_rate = 1e-2\n", 2, "[sampling] random_rate:" },		/* exponent */
	{ "[sampling]\nevery_n_loads = ten\n", 2, "[sampling] every_n_loads:" },
	/* [session] */
	{ "[session]\npin_attempts = abc\n", 2, "[session] pin_attempts: must be a whole number from 1 to 20, not \"abc\"" },
	{ "[session]\npin_attempts = 0\n", 2, "from 1 to 20, not \"0\"" },
	{ "[session]\npin_attempts = 21\n", 2, "from 1 to 20, not \"21\"" },
	{ "[session]\npin_attempts = 99999999999999999999\n", 2, "[session] pin_attempts:" },	/* overflow */
	{ "[session]\npin_lockout = soon\n", 2, "[session] pin_lockout: must be a duration from 1m to 1d" },
	{ "[session]\ninactivity_timeout = 10s\n", 2, "must be a duration from 30s to 1h" },	/* under the minimum */
	{ "[session]\nmax_discharge = 5h\n", 2, "[session] max_discharge: must be a duration from 1m to 4h" },
	{ "[session]\nrv_max_dump = 15\n", 2, "[session] rv_max_dump:" },		/* 15 seconds */
	/* [hardware] */
	{ "[hardware]\nrelay = var/relays\n", 2, "[hardware] relay: must be <backend>:<argument>" },
	{ "[hardware]\nnfc = sim:\n", 2, "[hardware] nfc: needs a path after 'sim:'" },
	{ "[hardware]\nprinter = FILE:x\n", 2, "[hardware] printer:" },			/* capital scheme */
	{ "[hardware]\nmeter = flowmeter\n", 2, "[hardware] meter: must be <backend>:<argument>" },
	{ "[hardware]\nmeter = sim:\n", 2, "[hardware] meter: needs a path after 'sim:'" },
	/* [meter] */
	{ "[meter]\nmismatch = 120%\n", 2, "[meter] mismatch: must be a fraction from 0 to 1" },
	{ "[meter]\nmismatch = ten\n", 2, "[meter] mismatch:" },			/* not a number */
	{ "[meter]\nmismatch_min_gallons = -5\n", 2, "[meter] mismatch_min_gallons: must be a whole number from 0 to 100000" },
	{ "[meter]\nmismatch_min_gallons = 25 gal\n", 2, "[meter] mismatch_min_gallons:" },	/* a unit */
	{ "[meter]\nshare = 10%\n", 2, "[meter] unknown key \"share\"" },
	/* [relays] */
	{ "[relays]\nvalve = 0\n", 2, "[relays] valve: uses the same relay (0) as gate" },
	{ "[relays]\nmy relay = 3\n", 2, "a relay name is 1 to 31 letters" },
	{ "[relays]\npump =\n", 2, "[relays] pump: must be the relay's backend argument" },
	{ "[relays]\na=2\nb=3\nc=4\nd=5\ne=6\nf=7\ng=8\n", 8, "[relays] g: more than 8 relays" },
	/* [kiosk] */
	{ "[kiosk]\nspeech = loud\n", 2, "[kiosk] speech: must be yes or no, not \"loud\"" },
	{ "[kiosk]\nspeech_output = speaker\n", 2, "[kiosk] speech_output: must be play or wav:<folder>, not \"speaker\"" },
	{ "[kiosk]\nspeech_output = off\n", 2, "[kiosk] speech_output: must be play or wav:" },	/* off is speech = off */
	{ "[kiosk]\nspeech_output = wav:\n", 2, "[kiosk] speech_output: needs a folder after 'wav:'" },
	{ "[kiosk]\nspeech_output = Play\n", 2, "[kiosk] speech_output:" },		/* lowercase only */
	{ "[kiosk]\nrenderer = opengl\n", 2, "[kiosk] renderer: must be software or auto, not \"opengl\"" },
	{ "[kiosk]\nfullscreen = maybe\n", 2, "[kiosk] fullscreen: must be yes or no" },
	{ "[kiosk]\nwindow = 800x480\n", 2, "[kiosk] unknown key \"window\"" },
	/* [sync] */
	{ "[sync]\nurl = http://potw.example.org\n", 2, "[sync] url: must be the plant's https:// address" },	/* no TLS */
	{ "[sync]\nurl = https://\n", 2, "[sync] url:" },				/* no host */
	{ "[sync]\nurl = https://potw.example.org/a b\n", 2, "[sync] url:" },	/* a space */
	{ "[sync]\npin = sha256//abc=\n", 2, "[sync] pin: must be sha256// and the base64" },	/* too short */
	{ "[sync]\npin = sha1//YhKJKSzoTt2b5FP18fvpHo7fJYqQCjAa3HWY3tvRMwE=\n", 2, "[sync] pin:" },
	{ "[sync]\npin = sha256//YhKJKSzoTt2b5FP18fvpHo7fJYqQCjAa3HWY3tvRMwE=;\n", 2, "[sync] pin:" },	/* empty second pin */
	{ "[sync]\nplant_key = PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW\n", 2,
	  "[sync] plant_key: must be the plant's note verifier key" },			/* key id off by one */
	{ "[sync]\ninterval = 1s\n", 2, "[sync] interval: must be a duration from 5s" },
	{ "[sync]\nwarn_after = 40d\n", 0, "[sync] offline_after must be longer than warn_after" },
	{ "[sync]\nurl = https://potw.example.org\nplant_key = PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW\n",
	  2, "[sync] url is set: pin must be set too" },
	{ "[sync]\noffline_waste_types = septage, sludge\n", 2, "[sync] offline_waste_types:" },
	/* structure */
	{ "[station]\nid = a\n\n[sesion]\npin_attempts = 3\n", 4, "unknown section [sesion]" },
	{ "[session]\npin_attempt = 3\n", 2, "[session] unknown key \"pin_attempt\"" },
	{ "id = demo\n[station]\n", 1, "\"id\" comes before any [section]" },
	{ "[session]\npin_attempts = 3\npin_attempts = 4\n", 3, "given twice (first on line 2)" },
	{ "[relays]\ngate = 5\ngate = 6\n", 3, "[relays] gate: given twice (first on line 2)" },
	{ "[station\nid = x\n", 1, "section header without ']'" },
	{ "[station]\njust words\n", 2, "expected key = value or [section], not \"just words\"" },
	{ "[session]\npin_attempts = 3\n   oops\n", 3, "indented line \"oops\" continues nothing" },
	{ "[station] junk\n", 1, "text after the section header" },
};

static void test_bad_values(void **state)
{
	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(bad_rows); i++) {
		const struct bad_row *r = &bad_rows[i];
		struct config cfg;
		struct config_errors errs;
		int rc = load(r->ini, &cfg, &errs);

		if (rc != HG_EINVAL || errs.n != 1 || errs.e[0].line != r->line ||
		    !strstr(errs.e[0].msg, r->msg)) {
			dump(&errs);
			fail_msg("row %zu: rc %d, %d errors; want line %d \"%s\"", i, rc, errs.n,
				 r->line, r->msg);
		}
	}
}

/* A plant-managed station's [sync], every key set. */
static void test_sync_keys(void **state)
{
	struct config cfg;
	struct config_errors errs;

	(void)state;
	assert_int_equal(load("[sync]\nurl = https://127.0.0.1:8443/plant\n"
			      "pin = sha256//YhKJKSzoTt2b5FP18fvpHo7fJYqQCjAa3HWY3tvRMwE=;"
			      "sha256//47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n"
			      "plant_key = PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW\n"
			      "interval = 1m\nwarn_after = 2d\noffline_after = 10d\n"
			      "offline_waste_types =\n", &cfg, &errs), HG_OK);
	assert_string_equal(cfg.sync_url, "https://127.0.0.1:8443/plant");
	assert_non_null(strchr(cfg.sync_pin, ';'));
	assert_string_equal(cfg.sync_plant_key,
			    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW");
	assert_int_equal(cfg.sync_interval_s, 60);
	assert_int_equal(cfg.sync_warn_after_s, 2 * 86400);
	assert_int_equal(cfg.sync_offline_after_s, 10 * 86400);
	assert_int_equal(cfg.sync_offline_waste, 0);
	/* the defaults: not plant-managed */
	assert_int_equal(load("", &cfg, &errs), HG_OK);
	assert_string_equal(cfg.sync_url, "");
	assert_int_equal(cfg.sync_interval_s, 30);
}

/* Bad values leave the defaults in place; good keys around them still apply. */
static void test_bad_keeps_defaults(void **state)
{
	struct config cfg;
	struct config_errors errs;

	(void)state;
	assert_int_equal(load("[session]\npin_attempts = abc\ninactivity_timeout = 5m\n", &cfg,
			      &errs), HG_EINVAL);
	assert_int_equal(cfg.pin_max_failures, 5);
	assert_int_equal(cfg.inactivity_s, 300);
	/* a section with a broken header: its keys are not applied */
	assert_int_equal(load("[session\npin_attempts = 7\n", &cfg, &errs), HG_EINVAL);
	assert_int_equal(cfg.pin_max_failures, 5);
	/* an unknown section: its keys are not applied, nor reported one by one */
	assert_int_equal(load("[extra]\nfoo = 1\nbar = 2\n", &cfg, &errs), HG_EINVAL);
	assert_int_equal(errs.n, 1);
	assert_int_equal(errs.e[0].line, 1);
}

/* Every error of a file, each with its own line number. */
static void test_every_error(void **state)
{
	static const struct {
		int line;
		const char *msg;
	} want[] = {
		{ 3, "[station] id:" },
		{ 5, "[station] language:" },
		{ 7, "[hours] mon:" },
		{ 9, "[session] pin_attempts: must be a whole number from 1 to 20, not \"abc\"" },
		{ 10, "[session] unknown key \"pin_lockot\"" },
		{ 11, "[session] max_discharge:" },
		{ 14, "[sampling] random_rate:" },
		{ 15, "expected key = value" },
	};
	struct config cfg;
	struct config_errors errs;
	int rc;

	(void)state;
	rc = load("# station.ini with many mistakes\n"	/* 1 */
		  "[station]\n"				/* 2 */
		  "id = bad id!\n"			/* 3 */
		  "name = Fine\n"			/* 4 */
		  "language = de\n"			/* 5 */
		  "[hours]\n"				/* 6 */
		  "mon = 9-5\n"				/* 7 */
		  "[session]\n"				/* 8 */
		  "pin_attempts = abc\n"		/* 9 */
		  "pin_lockot = 15m\n"			/* 10 */
		  "max_discharge = forever\n"		/* 11 */
		  "\n"					/* 12 */
		  "[sampling]\n"			/* 13 */
		  "random_rate = lots\n"		/* 14 */
		  "garbage\n",				/* 15 */
		  &cfg, &errs);
	assert_int_equal(rc, HG_EINVAL);
	if (errs.n != (int)HG_ARRAY_LEN(want))
		dump(&errs);
	assert_int_equal(errs.n, HG_ARRAY_LEN(want));
	for (size_t i = 0; i < HG_ARRAY_LEN(want); i++) {
		if (errs.e[i].line != want[i].line || !strstr(errs.e[i].msg, want[i].msg))
			fail_msg("error %zu: line %d \"%s\"", i, errs.e[i].line, errs.e[i].msg);
	}
	assert_string_equal(cfg.station_name, "Fine");	/* the good key was applied */
}

/* More errors than fit: the last slot says so. */
static void test_too_many_errors(void **state)
{
	char ini[4096];
	size_t o = 0;
	struct config cfg;
	struct config_errors errs;

	(void)state;
	o += (size_t)snprintf(ini + o, sizeof ini - o, "[station]\n");
	for (int i = 0; i < 40; i++)
		o += (size_t)snprintf(ini + o, sizeof ini - o, "nokey%d = 1\n", i);
	assert_int_equal(load(ini, &cfg, &errs), HG_EINVAL);
	assert_int_equal(errs.n, CFG_MAX_ERRORS);
	assert_int_equal(errs.e[0].line, 2);
	assert_int_equal(errs.e[CFG_MAX_ERRORS - 2].line, CFG_MAX_ERRORS);
	assert_non_null(strstr(errs.e[CFG_MAX_ERRORS - 1].msg, "more errors not shown"));
}

/* ---- files ---- */

static void test_missing_file(void **state)
{
	struct config cfg;
	struct config_errors errs = { 0 };
	char path[600];

	(void)state;
	snprintf(path, sizeof path, "%s/no-such.ini", dir);
	config_defaults(&cfg);
	assert_int_equal(config_load(&cfg, path, &errs), HG_EIO);
	assert_int_equal(errs.n, 1);
	assert_int_equal(errs.e[0].line, 0);
	assert_non_null(strstr(errs.e[0].msg, "No such file"));
	assert_string_equal(cfg.station_id, "demo-01");	/* untouched */
	/* a folder is not a configuration file */
	memset(&errs, 0, sizeof errs);
	assert_int_equal(config_load(&cfg, dir, &errs), HG_EIO);
	assert_int_equal(errs.n, 1);
	/* errs may be NULL */
	assert_int_equal(config_load(&cfg, path, NULL), HG_EIO);
}

static void test_empty_file(void **state)
{
	struct config cfg;
	struct config_errors errs;

	(void)state;
	assert_int_equal(load("", &cfg, &errs), HG_OK);
	assert_int_equal(errs.n, 0);
	assert_string_equal(cfg.station_id, "demo-01");
	assert_int_equal(load("; only a comment\n# and another\n\n", &cfg, &errs), HG_OK);
}

/* Paths: relative to the file's folder; absolute ones as they are. */
static void test_paths(void **state)
{
	struct config cfg;
	struct config_errors errs = { 0 };
	char sub[600], path[700], want[800];

	(void)state;
	snprintf(sub, sizeof sub, "%s/etc", dir);
	assert_int_equal(mkdir(sub, 0755), 0);
	write_file("etc/station.ini",
		   "[station]\n"
		   "db = data/h.db\n"
		   "key = /abs/station.key\n"
		   "[hardware]\n"
		   "relay = sim:var/relays\n"
		   "nfc = sim:/run/nfc\n"
		   "printer = file:out\n"
		   "[kiosk]\n"
		   "speech_output = wav:voice\n",
		   0, path, sizeof path);
	config_defaults(&cfg);
	assert_int_equal(config_load(&cfg, path, &errs), HG_OK);
	snprintf(want, sizeof want, "%s/data/h.db", sub);
	assert_string_equal(cfg.db_path, want);
	assert_string_equal(cfg.key_path, "/abs/station.key");
	snprintf(want, sizeof want, "sim:%s/var/relays", sub);
	assert_string_equal(cfg.relay, want);
	assert_string_equal(cfg.nfc, "sim:/run/nfc");
	snprintf(want, sizeof want, "file:%s/out", sub);
	assert_string_equal(cfg.printer, want);
	snprintf(want, sizeof want, "wav:%s/voice", sub);
	assert_string_equal(cfg.speech_output, want);
	/* defaults not named in the file stay relative to the current folder */
	config_defaults(&cfg);
	write_file("etc/station.ini", "[station]\nid = x\n", 0, path, sizeof path);
	assert_int_equal(config_load(&cfg, path, &errs), HG_OK);
	assert_string_equal(cfg.db_path, "var/haulgate.db");
	assert_string_equal(cfg.speech_output, "play");
}

/* Lists go on over indented lines; indented keys are keys. */
static void test_continuation(void **state)
{
	struct config cfg;
	struct config_errors errs;
	int rc;

	(void)state;
	rc = load("[policy]\n"
		  "service_area = Springfield, Shelbyville,\n"
		  "    80401, 80403\n"
		  "    Capital City ; and a comment\n"
		  "  daily_limit_gallons = 5000\n"	/* indented key */
		  "[hours]\n"
		  "closed_dates = 2026-12-25\n"
		  "\t2027-01-01\n",
		  &cfg, &errs);
	dump(&errs);
	assert_int_equal(rc, HG_OK);
	assert_int_equal(cfg.n_area, 5);
	assert_string_equal(cfg.area[2], "80401");
	assert_string_equal(cfg.area[4], "Capital City");
	assert_int_equal(cfg.daily_limit_gallons, 5000);
	assert_int_equal(cfg.n_closed, 2);
	assert_string_equal(cfg.closed[1], "2027-01-01");

	/* a bad item on a continuation line is reported on that line */
	rc = load("[hours]\nclosed_dates = 2026-12-25,\n  2026-13-01\n", &cfg, &errs);
	assert_int_equal(rc, HG_EINVAL);
	assert_int_equal(errs.n, 1);
	assert_int_equal(errs.e[0].line, 3);
	/* an empty service area turns the check off */
	assert_int_equal(load("[policy]\nservice_area =\n", &cfg, &errs), HG_OK);
	assert_int_equal(cfg.n_area, 0);
	/* the types of industry go on over lines too; empty: typed at the kiosk */
	assert_int_equal(load("[policy]\nindustries = residential,\n  brewery\n", &cfg, &errs),
			 HG_OK);
	assert_int_equal(cfg.n_industries, 2);
	assert_string_equal(cfg.industries[1], "brewery");
	assert_int_equal(load("[policy]\nindustries =\n", &cfg, &errs), HG_OK);
	assert_int_equal(cfg.n_industries, 0);
}

/* A line longer than inih's buffer is one error, on its line. */
static void test_long_line(void **state)
{
	char ini[6000];
	struct config cfg;
	struct config_errors errs;
	int n;

	(void)state;
	n = snprintf(ini, sizeof ini, "[station]\nname = ");
	memset(ini + n, 'x', 5000);
	snprintf(ini + n + 5000, sizeof ini - (size_t)n - 5000, "\nid = ok-1\n");
	assert_int_equal(load(ini, &cfg, &errs), HG_EINVAL);
	assert_int_equal(errs.n, 1);
	assert_int_equal(errs.e[0].line, 2);
	assert_non_null(strstr(errs.e[0].msg, "line too long"));
	assert_string_equal(cfg.station_id, "ok-1");	/* the next line still counts */
}

/* Windows line ends, a UTF-8 BOM, a NUL byte. */
static void test_odd_bytes(void **state)
{
	static const char nul[] = "[station]\nid = a\0b\npin = 1\n";
	struct config cfg;
	struct config_errors errs;
	char path[600];

	(void)state;
	assert_int_equal(load("\xef\xbb\xbf[station]\r\nid = bom-1\r\nname = Caf\xc3\xa9\r\n", &cfg,
			      &errs), HG_OK);
	assert_string_equal(cfg.station_id, "bom-1");
	assert_string_equal(cfg.station_name, "Caf\xc3\xa9");

	write_file("nul.ini", nul, sizeof nul - 1, path, sizeof path);
	config_defaults(&cfg);
	memset(&errs, 0, sizeof errs);
	assert_int_equal(config_load(&cfg, path, &errs), HG_EINVAL);
	assert_int_equal(errs.n, 2);
	assert_int_equal(errs.e[0].line, 2);
	assert_non_null(strstr(errs.e[0].msg, "NUL"));
	assert_int_equal(errs.e[1].line, 3);		/* [station] pin: unknown key */
}

/* The example file at the root of the repository loads without an error. */
static void test_example_file(void **state)
{
	char path[1024];
	const char *here = __FILE__;
	const char *cut = strstr(here, "tests/unit/test_config.c");
	struct config cfg, def;
	struct config_errors errs = { 0 };
	FILE *f;

	(void)state;
	snprintf(path, sizeof path, "%.*sstation.ini.example", cut ? (int)(cut - here) : 0, here);
	f = fopen(path, "r");
	if (!f) {
		print_message("skipped: %s not found from here\n", path);
		skip();
	}
	fclose(f);
	config_defaults(&cfg);
	config_defaults(&def);
	assert_int_equal(config_load(&cfg, path, &errs), HG_OK);
	/* it states the defaults: the values match (paths aside) */
	assert_string_equal(cfg.station_id, def.station_id);
	assert_string_equal(cfg.station_name, def.station_name);
	assert_int_equal(cfg.pin_lockout_s, def.pin_lockout_s);
	assert_int_equal(cfg.n_area, def.n_area);
	assert_int_equal(cfg.sample_waste, def.sample_waste);
	assert_int_equal(cfg.hours[6].close, def.hours[6].close);
	assert_int_equal(cfg.n_relays, def.n_relays);
	assert_int_equal(cfg.kiosk_speech, def.kiosk_speech);
	assert_string_equal(cfg.speech_output, def.speech_output);
	assert_int_equal(cfg.kiosk_renderer, def.kiosk_renderer);
	assert_int_equal(cfg.kiosk_fullscreen, def.kiosk_fullscreen);
}

/* ---- opening hours and the time zone ---- */

static void test_is_open(void **state)
{
	static const struct {
		const char *when;	/* UTC */
		int open;
	} rows[] = {
		{ "2026-03-02T05:59:59Z", 0 },	/* Monday, a second before opening */
		{ "2026-03-02T06:00:00Z", 1 },	/* Monday, opening */
		{ "2026-03-02T17:59:59Z", 1 },	/* Monday, last second */
		{ "2026-03-02T18:00:00Z", 0 },	/* Monday, closing */
		{ "2026-03-07T07:00:00Z", 1 },	/* Saturday morning */
		{ "2026-03-07T12:00:00Z", 0 },	/* Saturday noon: closed */
		{ "2026-03-08T10:00:00Z", 0 },	/* Sunday */
		{ "2026-03-03T10:00:00Z", 0 },	/* Tuesday, but a closed date */
		{ "2026-03-04T10:00:00Z", 1 },	/* Wednesday */
	};
	struct config cfg;

	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	config_defaults(&cfg);
	cfg.n_closed = 1;
	memcpy(cfg.closed[0], "2026-03-03", 11);
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		hg_time t;

		assert_int_equal(text_parse_time(rows[i].when, &t), HG_OK);
		if (config_is_open(&cfg, t) != rows[i].open)
			fail_msg("row %zu: %s open=%d", i, rows[i].when, !rows[i].open);
	}
}

static void test_timezone(void **state)
{
	struct config cfg;
	hg_time t;

	(void)state;
	config_defaults(&cfg);
	setenv("TZ", "UTC", 1);
	tzset();
	assert_int_equal(config_apply_timezone(&cfg), HG_OK);	/* "" changes nothing */
	assert_string_equal(getenv("TZ"), "UTC");

	memcpy(cfg.timezone, "America/Denver", 15);
	assert_int_equal(config_apply_timezone(&cfg), HG_OK);
	assert_string_equal(getenv("TZ"), "America/Denver");
	/* 13:00 UTC on a Monday is 06:00 in Denver (MST): just open */
	assert_int_equal(text_parse_time("2026-03-02T13:00:00Z", &t), HG_OK);
	assert_int_equal(config_is_open(&cfg, t), 1);
	assert_int_equal(text_parse_time("2026-03-02T12:59:00Z", &t), HG_OK);
	assert_int_equal(config_is_open(&cfg, t), 0);

	memcpy(cfg.timezone, "Nowhere/City", 13);
	assert_int_equal(config_apply_timezone(&cfg), HG_EINVAL);
	assert_string_equal(getenv("TZ"), "America/Denver");	/* unchanged */
	setenv("TZ", "UTC", 1);
	tzset();
}

/* [relays] numbers: decimal or 0x, whatever the spelling one coil or line
 * is one relay (caught with the later line), a badly written number named
 * (not for simulated relays: they have no numbers). */
static void test_relay_numbers(void **state)
{
	static const char modbus[] = "[hardware]\nrelay = modbus-tcp:127.0.0.1:502\n[relays]\n";
	static const char gpio[] = "[hardware]\nrelay = gpio:gpiochip0\n[relays]\n";
	static const struct {
		const char *head;	/* lines 1-3 (or 1 for "[relays]\n") */
		const char *rest;
		int line;		/* 0: no error */
		const char *msg;
	} rows[] = {
		{ modbus, "gate = 0\nvalve = 010\n", 0, NULL },	/* 010 is ten, not eight */
		{ modbus, "gate = 8\nvalve = 010\n", 0, NULL },	/* so it is not gate's 8 */
		{ modbus, "gate = 10\nvalve = 010\n", 5,
		  "[relays] valve: uses the same relay (010) as gate on line 4, written 10 there" },
		{ modbus, "gate = 1\nvalve = 0x1\n", 5,
		  "[relays] valve: uses the same relay (0x1) as gate on line 4, written 1 there" },
		{ modbus, "gate = 0X10\nvalve = 16\n", 5,
		  "[relays] valve: uses the same relay (16) as gate on line 4, written 0X10 there" },
		{ modbus, "valve = 0x0\n", 4,			/* gate is 0 by default */
		  "[relays] valve: uses the same relay (0x0) as gate (by default 0)" },
		{ modbus, "gate = 2\nvalve = 3\npump = 002\n", 6,
		  "[relays] pump: uses the same relay (002) as gate on line 4, written 2 there" },
		{ gpio, "gate = 17\nvalve = 17,active-low\n", 5,
		  "[relays] valve: uses the same relay (17,active-low) as gate on line 4, written 17 there" },
		{ gpio, "gate = 17,active-low\nvalve = 0x11,active-low\n", 5,
		  "[relays] valve: uses the same relay (0x11,active-low) as gate on line 4" },
		{ gpio, "gate = 17\nvalve = 27,active-low\n", 0, NULL },	/* two lines */
		{ modbus, "gate = 0\nvalve = 1x\n", 5,
		  "[relays] valve: \"1x\" has something after the number (a coil or line number is decimal, or hex written 0x.., at most 65535)" },
		{ modbus, "gate = 0\nvalve = -1\n", 5, "[relays] valve: \"-1\" is signed" },
		{ modbus, "gate = 0\nvalve = +1\n", 5, "[relays] valve: \"+1\" is signed" },
		{ modbus, "gate = 0\nvalve = 65536\n", 5, "[relays] valve: \"65536\" is too large" },
		{ modbus, "gate = 0\nvalve = 99999999999999999999999\n", 5, "is too large" },	/* overflow */
		{ modbus, "gate = 0\nvalve = 0x\n", 5, "has something after the number" },	/* no hex digits */
		{ modbus, "gate = 0\nvalve = 0xg\n", 5, "is not a number" },
		{ modbus, "gate = 0\nvalve = one\n", 5, "\"one\" is not a number (a coil or line number is decimal, or hex written 0x.." },
		{ modbus, "gate = 0\nvalve = 1 2\n", 5, "has something after the number" },
		{ "[relays]\n", "gate = 0\nvalve = one\n", 0, NULL },	/* sim: no numbers */
		{ "[relays]\n", "gate = 0\nvalve = 0x0\n", 3,		/* but one coil all the same */
		  "[relays] valve: uses the same relay (0x0) as gate on line 2, written 0 there" },
	};
	char ini[512];

	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		struct config cfg;
		struct config_errors errs;
		int rc;

		snprintf(ini, sizeof ini, "%s%s", rows[i].head, rows[i].rest);
		rc = load(ini, &cfg, &errs);
		if (rows[i].line == 0 ? rc != HG_OK
				      : rc != HG_EINVAL || errs.n != 1 ||
						errs.e[0].line != rows[i].line ||
						!strstr(errs.e[0].msg, rows[i].msg)) {
			dump(&errs);
			fail_msg("row %zu: rc %d, %d errors; want line %d \"%s\"", i, rc, errs.n,
				 rows[i].line, rows[i].msg ? rows[i].msg : "");
		}
	}
}

/* config_station_id(): the one rule between [station] id and the id the
 * database recorded at init (or init is about to record). */
static void test_station_id(void **state)
{
	static const char other[] = "[station]\nname = Plant\nid = test-01\n";	/* id on line 3 */
	static const struct {
		const char *ini;	/* NULL: the built-in defaults, no file */
		const char *recorded;
		enum config_id_use use;
		int rc;
		const char *id;		/* cfg->station_id after */
		const char *msg;	/* in msg; "" = msg must be empty */
		const char *msg2;	/* also in msg, or NULL */
	} rows[] = {
		/* no file: the default demo-01 is no one's word, the database's id wins */
		{ NULL, "plant-07", CFG_ID_WRITE, HG_OK, "plant-07", "", NULL },
		/* a file without [station] id: the same, silently */
		{ "[station]\nname = Plant\n", "plant-07", CFG_ID_WRITE, HG_OK, "plant-07", "", NULL },
		/* the file names the database's id: nothing to say */
		{ "[station]\nid = plant-07\n", "plant-07", CFG_ID_WRITE, HG_OK, "plant-07", "", NULL },
		/* another id, for a command that writes: refused, cfg untouched */
		{ other, "plant-07", CFG_ID_WRITE, HG_EINVAL, "test-01",
		  "station.ini:3: [station] id is 'test-01' but the database 'var/haulgate.db' is "
		  "station 'plant-07'", "write \"id = plant-07\" on that line or remove it" },
		/* another id, for a command that only reads: a warning, the database's id */
		{ other, "plant-07", CFG_ID_READ, HG_OK, "plant-07",
		  "station.ini:3: [station] id is 'test-01' but the database", "going on as station 'plant-07'" },
		/* the same file and id for a read: nothing to say */
		{ "[station]\nid = plant-07\n", "plant-07", CFG_ID_READ, HG_OK, "plant-07", "", NULL },
		/* init with --station-id another than the file's: refused */
		{ other, "plant-07", CFG_ID_INIT, HG_EINVAL, "test-01",
		  "station.ini:3: [station] id is 'test-01' but --station-id is 'plant-07'",
		  "leave out --station-id" },
		/* init with the file's own id (no --station-id): taken */
		{ other, "test-01", CFG_ID_INIT, HG_OK, "test-01", "", NULL },
		/* init with --station-id and no id in the file: taken */
		{ NULL, "plant-07", CFG_ID_INIT, HG_OK, "plant-07", "", NULL },
		/* ids are compared exactly: case counts */
		{ "[station]\nid = Plant-07\n", "plant-07", CFG_ID_WRITE, HG_EINVAL, "Plant-07",
		  "[station] id is 'Plant-07' but the database", NULL },
		/* a database holding something that is not an id: refused even for a read */
		{ NULL, "bad id!", CFG_ID_READ, HG_EINVAL, "demo-01",
		  "holds 'bad id!' as its station id, which is not one", NULL },
		{ NULL, "", CFG_ID_WRITE, HG_EINVAL, "demo-01", "which is not one", NULL },
		/* init with a --station-id that is not an id: refused, said as the option's */
		{ NULL, "bad id!", CFG_ID_INIT, HG_EINVAL, "demo-01",
		  "--station-id: 'bad id!' is not a station id: 1 to 31 letters, digits or '-'", NULL },
		{ NULL, "abcdefghijabcdefghijabcdefghij12", CFG_ID_READ, HG_EINVAL, "demo-01",
		  "which is not one", NULL },						/* 32 characters */
	};

	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		struct config cfg;
		struct config_errors errs;
		char msg[512];
		int rc;

		if (rows[i].ini)
			assert_int_equal(load(rows[i].ini, &cfg, &errs), HG_OK);
		else
			config_defaults(&cfg);
		hg_error_clear();
		rc = config_station_id(&cfg, rows[i].recorded, rows[i].use, "station.ini");
		/* an error's words, or a warning's (a read goes on) */
		snprintf(msg, sizeof msg, "%s%s", hg_error_text(), hg_warning_text());
		if (rc != rows[i].rc || strcmp(cfg.station_id, rows[i].id) != 0 ||
		    (rows[i].msg[0] ? !strstr(msg, rows[i].msg) : msg[0] != '\0') ||
		    (rows[i].msg2 && !strstr(msg, rows[i].msg2)))
			fail_msg("row %zu: rc %d, id '%s', msg \"%.300s\"", i, rc, cfg.station_id, msg);
	}
	{
		/* init without --station-id records the configuration's own id:
		 * recorded is cfg->station_id itself */
		struct config cfg;

		config_defaults(&cfg);
		hg_error_clear();
		assert_int_equal(config_station_id(&cfg, cfg.station_id, CFG_ID_INIT, NULL), HG_OK);
		assert_string_equal(cfg.station_id, "demo-01");
		assert_string_equal(hg_error_text(), "");
		assert_string_equal(hg_warning_text(), "");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_good_file),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_sync_keys),
		cmocka_unit_test(test_bad_keeps_defaults),
		cmocka_unit_test(test_every_error),
		cmocka_unit_test(test_too_many_errors),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_empty_file),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_continuation),
		cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_odd_bytes),
		cmocka_unit_test(test_example_file),
		cmocka_unit_test(test_is_open),
		cmocka_unit_test(test_meter),
		cmocka_unit_test(test_timezone),
		cmocka_unit_test(test_relay_numbers),
		cmocka_unit_test(test_station_id),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
