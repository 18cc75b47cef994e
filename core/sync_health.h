/* sync_health.h: how the station stands with the plant, from what the last
 * sync rounds wrote, as a value: what `sync status` and the operator screen
 * show, and what the offline rule (core/policy.h policy_offline_waste())
 * goes by.  Pure: values in, value out (the round itself is station/sync.c,
 * which reads sync_state from the store and calls sync_health() there). */
#ifndef SYNC_HEALTH_H
#define SYNC_HEALTH_H

#include "config.h"

/* In order of weight: the first that holds is the health. */
enum sync_health {
	SYNC_H_UNMANAGED = 0,	/* [sync] url empty: no plant */
	SYNC_H_FORK,		/* the plant holds another event at some seq */
	SYNC_H_NEVER,		/* no round has succeeded yet */
	SYNC_H_OFFLINE,		/* no success for more than offline_after */
	SYNC_H_WARN,		/* no success for more than warn_after */
	SYNC_H_BEHIND,		/* events not yet at the plant */
	SYNC_H_OK		/* the plant had everything at the last round */
};

/* cfg's station at time now, whose last rounds said: fork_seq (0: no fork),
 * last_success (0: never), plant_size (events the plant acknowledged), with
 * local_size events in its log.  Values in, value out. */
enum sync_health sync_health_at(const struct config *cfg, long long fork_seq,
				hg_time last_success, long long plant_size,
				long long local_size, hg_time now);

/* "not plant-managed", "fork", "never", "offline", "warn", "behind", "ok";
 * "?" outside the enum. */
const char *sync_health_name(enum sync_health h);

#endif
