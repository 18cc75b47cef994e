/* config.h: station.ini, the one configuration file of a station.
 *
 * config_defaults() gives a station that works out of the box (demo values,
 * simulated hardware); config_parse() reads an INI text over those defaults with
 * inih and collects one message per bad key, with its line number (the file
 * itself is read by host/config_file.c).  Every key is documented in
 * docs/CONFIG.md. */
#ifndef CONFIG_H
#define CONFIG_H

#include "hg.h"
#include "manifest.h"

#define CFG_MAX_AREA 64		/* towns or ZIP codes in the service area */
#define CFG_MAX_CLOSED 64	/* closed dates */
#define CFG_MAX_INDUSTRIES 12	/* types of industry the kiosk offers as buttons */
#define CFG_MAX_RELAYS 8
#define CFG_MAX_ERRORS 32
#define CFG_PATH 256
#define CFG_URL_MAX 256		/* [sync] url */
#define CFG_PIN_MAX 256		/* [sync] pin: up to 4 "sha256//" + 44 base64, ';' */
#define CFG_VKEY_MAX 320	/* [sync] plant_key: a note verifier key (NOTE_VKEY_MAX) */

/* Opening hours of one weekday, minutes after local midnight; open < close.
 * open == close == 0 means closed all day. */
struct cfg_hours {
	int open, close;
};

/* [kiosk] panel_size: the picture's size; all 0 = auto (the EDID, SDL, a
 * default: kiosk/panel.h).  diag_mm is set whichever way it was written. */
struct cfg_panel {
	double w_mm, h_mm;	/* "<W>x<H>mm"; 0 when written as a diagonal */
	double diag_mm;		/* "<D>in", or the diagonal of W x H */
};

struct cfg_relay {
	char name[32];		/* "gate", "valve", ... */
	char arg[64];		/* backend-specific: coil address, line offset, ... */
};

struct config {
	/* [station] */
	char station_id[32];	/* goes into every receipt: letters, digits, '-' */
	int station_id_line;	/* line of [station] id in the file; 0: not in it */
	char station_name[HG_BUF(LIM_COMPANY)];
	char verify_base[256];	/* QR prefix, e.g. https://potw.example.org/r */
	char timezone[64];	/* e.g. America/Denver; "" = the machine's */
	char db_path[CFG_PATH];
	char key_path[CFG_PATH];	/* Ed25519 private key; public is key_path + ".pub" */
	int lang_default;	/* enum lang */

	/* [hours]: index 0 = Sunday .. 6 = Saturday, as struct tm */
	struct cfg_hours hours[7];
	int n_closed;
	char closed[CFG_MAX_CLOSED][LIM_DATE + 1];	/* YYYY-MM-DD */

	/* [policy] */
	unsigned waste_allowed;		/* mask of 1u << enum waste_type */
	int refuse_rcra;		/* always 1: RCRA hazardous waste is refused */
	int no_analysis_sample;		/* industrial without analysis: 1 hold for sampling, 0 refuse */
	long daily_limit_gallons;	/* 0 = no limit */
	int n_area;
	char area[CFG_MAX_AREA][64];	/* towns or ZIP codes, matched in source addresses; none = no check */
	int n_industries;
	/* the kiosk's types of industry, each the stable value a source records
	 * ("restaurant"), shown through the catalogue's ui.industry.<key>; none =
	 * typed on the keyboard */
	char industries[CFG_MAX_INDUSTRIES][HG_BUF(LIM_INDUSTRY)];

	/* [sampling] */
	int sample_first_load;
	unsigned sample_waste;		/* mask of waste types always sampled */
	int sample_rcra_unknown;
	int sample_constituents;
	double sample_random_rate;	/* 0..1 */
	int sample_every_n;		/* at least one sample per hauler per N loads; 0 = off */

	/* [session] */
	int pin_max_failures;		/* 5 */
	long pin_lockout_s;		/* 900 */
	long inactivity_s;		/* 120: back to start, entry discarded */
	long max_discharge_s;		/* 1800: the valve closes itself */
	long rv_max_dump_s;		/* 900: the RV gate locks itself */

	/* [hardware] */
	char relay[CFG_PATH];		/* "sim:<state file>" */
	char nfc[CFG_PATH];		/* "sim:<fifo>" */
	char printer[CFG_PATH];		/* "file:<folder>" */
	char meter[CFG_PATH];		/* flow meter "<backend>:<arg>"; "" = none */
	int n_relays;
	struct cfg_relay relays[CFG_MAX_RELAYS];	/* gate and valve always present */

	/* [meter]: only used when [hardware] meter names a meter */
	double meter_mismatch;		/* 0..1: share of the declared gallons beyond which a load is flagged */
	long meter_mismatch_min;	/* gallons: a smaller difference is never flagged */

	/* [kiosk]: build/haulgate-kiosk only; its command line wins */
	int kiosk_speech;		/* 1: speech is on when the kiosk starts */
	char speech_output[CFG_PATH];	/* "play" or "wav:<folder>" (folder resolved) */
	int kiosk_renderer;		/* enum cfg_renderer */
	int kiosk_fullscreen;		/* 1 desktop fullscreen, 0 a window */
	struct cfg_panel kiosk_panel;	/* the panel's size; 0s = auto */

	/* [sync]: the plant's server (docs/SYNC.md); sync_url "" = not
	 * plant-managed, no sync */
	char sync_url[CFG_URL_MAX];	/* https://host[:port][/prefix] */
	char sync_pin[CFG_PIN_MAX];	/* "sha256//BASE64" (;-separated, at most 4) */
	char sync_plant_key[CFG_VKEY_MAX];	/* the plant's note verifier key */
	long sync_interval_s;		/* 30: between rounds of `sync run` */
	long sync_warn_after_s;		/* 7 days without contact: the operator is warned */
	long sync_offline_after_s;	/* 30 days: only sync_offline_waste accepted */
	unsigned sync_offline_waste;	/* mask of 1u << enum waste_type */
};

/* [kiosk] renderer: which SDL renderer the kiosk asks for. */
enum cfg_renderer {
	CFG_RENDERER_SOFTWARE = 0,	/* SDL's software renderer (docs/DECISIONS.md) */
	CFG_RENDERER_AUTO		/* SDL's own choice (a GL one where there is GL) */
};

/* One error: msg says what is wrong without the file or line, e.g.
 * "[session] pin_attempts: must be a whole number from 1 to 20, not \"abc\"";
 * print it as "FILE:LINE: msg" (or "FILE: msg" when line is 0). */
struct config_error {
	int line;		/* 0 when not tied to a line (file missing) */
	char msg[200];
};

struct config_errors {
	int n;
	struct config_error e[CFG_MAX_ERRORS];
};

/* Fill cfg with the built-in defaults (demo station, simulated hardware under
 * ./var/).  Never fails. */
void config_defaults(struct config *cfg);

/* Does the time zone name exist?  The host's answer (host/config_file.c's
 * config_zone_exists() looks under CFG_ZONEINFO). */
typedef int config_zone_fn(const char *name);

/* Read the text of a station.ini (len bytes, not NUL-terminated) over the
 * current contents of cfg.  Every unknown section or key, bad value or line
 * that is not INI adds an error to errs (if not NULL); good keys are still
 * applied.  Relative paths in the text are taken relative to dir (the
 * file's folder; NULL or "": the current one).  A [station] timezone is
 * refused when zone_exists says it does not exist (NULL: any well-formed
 * name is taken).  Returns HG_OK when there was no error, HG_EINVAL
 * otherwise, HG_ENOMEM.  Reads nothing but its arguments: reading the file
 * is host/config_file.c's config_load(). */
int config_parse(struct config *cfg, const char *text, size_t len, const char *dir,
		 config_zone_fn *zone_exists, struct config_errors *errs);

/* Add msg, not tied to a line, to errs as config_parse() adds its errors
 * (for a reader that could not get the text at all). */
void config_error_add(struct config_errors *errs, const char *msg);

/* Is the station open at local time now?  (weekly hours, closed dates) */
int config_is_open(const struct config *cfg, hg_time now);

/* Relay argument for name, or NULL if the config does not name that relay. */
const char *config_relay_arg(const struct config *cfg, const char *name);

/* What a command does with the station, for config_station_id(). */
enum config_id_use {
	CFG_ID_READ,	/* only reads the database: a different id is a warning */
	CFG_ID_WRITE,	/* changes it or drives the devices: a different id is refused */
	CFG_ID_INIT	/* init, recording the id --station-id gave: the same */
};

/* The one rule for the station's id.  recorded is the id recorded at init in
 * the database at cfg->db_path (meta.station_id), or for CFG_ID_INIT the id
 * init is about to record.  It is the station's id: every receipt, label and
 * event carries it.  When the configuration leaves [station] id out
 * (station_id_line 0) or names the same id, cfg->station_id becomes recorded
 * and nothing is said.  When it names another id, the words say both ids,
 * where each comes from and how to fix it (cfg_file names the
 * configuration; NULL: "the configuration"); then for CFG_ID_READ
 * cfg->station_id becomes recorded, the words are a warning (hg_warn) and
 * HG_OK is returned; for CFG_ID_WRITE and CFG_ID_INIT cfg is left as it was
 * and HG_EINVAL is returned with the words as the error (hg_fail: do
 * nothing).  A recorded id that is not a station id (1 to 31 letters,
 * digits or '-') is HG_EINVAL too. */
int config_station_id(struct config *cfg, const char *recorded, enum config_id_use use,
		      const char *cfg_file);

/* The zone file folder host/config_file.c checks. */
#define CFG_ZONEINFO "/usr/share/zoneinfo"

#endif
