/* station.h: the running station: core session + store + drivers.
 *
 * station_feed() takes one event (a card read, a button, typed text, a tick),
 * fills in what the core cannot know (the card lookup, a CSPRNG draw), runs
 * session_step() and carries out its actions through the store and the drivers,
 * feeding back EV_STORED / EV_FAULT.  It is what the CLI's `simulate`, the
 * kiosk and the tests all drive.  Fail secure: station_open() locks the gate and
 * closes the valve before anything else, station_close() does it again, and a
 * relay or database fault puts the station out of service with every relay off. */
#ifndef STATION_H
#define STATION_H

#include "../core/config.h"
#include "../core/session.h"
#include "../core/receipt.h"
#include "../db/store.h"
#include "../drivers/relay.h"
#include "../drivers/printer.h"

struct station;

/* A wall clock that moved against the monotonic one by more than this
 * between two events was stepped: logged as clock_stepped (station.c
 * watch_clock).  Both clocks are read in whole seconds, so 1 s is noise. */
#define STATION_STEP_S 5

/* While idle, every relay is read back this often; this many failed
 * read-backs in a row are a relay fault (station.c probe_relays). */
#define STATION_PROBE_S 10
#define STATION_PROBE_STRIKES 2

/* Called for every action carried out, after it was carried out; result is
 * HG_OK or the error the driver or store gave. */
typedef void (*station_watch_fn)(void *ctx, const struct action *a, int result,
				 const struct session *f);

/* Open the station on cfg with store st (borrowed) and keys kp (copied: the
 * station key and the PIN key, which must have been read: keys_pin_load(),
 * else HG_EINVAL), open the relays, the printer and the meter the config
 * names through station/devices.c (the device lock, and the fail-safe hook
 * armed until station_close()), and put the relays in the safe state.  cfg->station_id must be st's
 * (config_station_id() settled it), else HG_EINVAL before any device.  cfg must
 * outlive s: the station runs on a copy with the plant's policy laid over it
 * (station_config()).  now and mono: the wall and the monotonic
 * clock (as in struct session_event).  On failure hg_error_text() says why. */
int station_open(struct station **out, const struct config *cfg, struct store *st,
		 const struct keypair *kp, hg_time now, hg_time mono, station_watch_fn watch,
		 void *ctx);

/* Every relay off, devices closed.  Safe to call with NULL. */
void station_close(struct station *s, hg_time now);

/* One event through the core.  ev->now and ev->mono: both clocks, read by
 * the caller as it makes the event (a step between them is logged here).
 * For EV_CARD, ev->text is the UID (looked up here); ev->rnd is drawn here.  Returns HG_OK (the event was handled, whatever
 * the core decided) or an error when the station could not carry it out. */
int station_feed(struct station *s, struct session_event *ev);

const struct session *station_session(const struct station *s);
struct relay_dev *station_relays(struct station *s);
struct printer_dev *station_printer(struct station *s);

/* The backends in use (the scenario's `fault` works on simulated ones only). */
const struct relay_ops *station_relay_ops(const struct station *s);
const struct printer_ops *station_printer_ops(const struct station *s);
/* The meter backend (NULL: no [hardware] meter), and the config in use. */
const struct meter_ops *station_meter_ops(const struct station *s);
/* The meter device (NULL: none, or it could not be opened yet); the
 * scenario's `fault meter` arms the simulated one's fault on it. */
struct meter_dev *station_meter(struct station *s);
/* The configuration the station runs on: cfg as given to station_open()
 * with the plant's policy laid over it (station/plant_policy.c), read
 * again at every card; the pointer stays the same while s is open. */
const struct config *station_config(const struct station *s);
/* The store in use (the scenario's `fault db` works on it). */
struct store *station_store(struct station *s);

/* Current state of a relay (read back from the device). */
int station_relay_get(struct station *s, const char *name, int *on);

/* How many slips are kept (the printer could not print them;
 * store_kept_slips()): what the operator's "reprint kept slips" would print,
 * STATION_KEPT_MAX at a press.  HG_OK, or the store's error (*n 0). */
#define STATION_KEPT_MAX 50
int station_kept_count(struct station *s, long *n);

/* What the station's start found its last run had left open, for the
 * operator screen (station/recover.c): a discharge closed as interrupted
 * (when: the last moment the station was known alive; its receipt is kept),
 * or a load left at its sample hold (when: this start), offered to the
 * operator ("sample_waiting") until its sample is taken. */
enum notice_kind { NOTICE_INTERRUPTED = 1, NOTICE_SAMPLE_WAITING };
struct station_notice {
	enum notice_kind kind;
	long long load_no;
	hg_time when;
	long long hauler_id;	/* SAMPLE_WAITING: whose load (a new load of the
				 * hauler owes the sample instead: the offer goes) */
};
#define STATION_NOTICE_MAX 8

/* How the station stands with the plant, for the operator screen: what
 * `haulgate sync run` last wrote (sync_state) against [sync] warn_after and
 * offline_after at now; health is an enum sync_health (core/sync_health.h). */
struct station_sync {
	int health;
	long long pending;	/* events of the log not yet at the plant */
	long long fork_seq;	/* 0, or where the plant holds another event */
	hg_time last_success;	/* 0: never */
};
/* Read it (one small read of the store: no network).  HG_OK or the
 * store's error (out then says SYNC_H_NEVER for a managed station). */
int station_sync_view(struct station *s, hg_time now, struct station_sync *out);
/* The notices standing, oldest first, at most cap into out; returns how many. */
int station_notices(const struct station *s, struct station_notice *out, int cap);

#endif
