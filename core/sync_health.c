/* sync_health.c: how the station stands with the plant (sync_health.h),
 * from the times and sizes its last sync rounds wrote against [sync]
 * warn_after and offline_after.  Pure: no I/O, time passed in.  Moved here
 * from station/sync.c so that the offline rule (core/policy.c) can use it;
 * station/sync.c's sync_health() reads a struct sync_state into it. */
#include "sync_health.h"

enum sync_health sync_health_at(const struct config *cfg, long long fork_seq,
				hg_time last_success, long long plant_size,
				long long local_size, hg_time now)
{
	if (!cfg->sync_url[0])
		return SYNC_H_UNMANAGED;
	if (fork_seq)
		return SYNC_H_FORK;
	if (!last_success)
		return SYNC_H_NEVER;
	if (now - last_success > cfg->sync_offline_after_s)
		return SYNC_H_OFFLINE;
	if (now - last_success > cfg->sync_warn_after_s)
		return SYNC_H_WARN;
	return local_size > plant_size ? SYNC_H_BEHIND : SYNC_H_OK;
}

const char *sync_health_name(enum sync_health h)
{
	static const char *const names[] = {
		[SYNC_H_UNMANAGED] = "not plant-managed", [SYNC_H_FORK] = "fork",
		[SYNC_H_NEVER] = "never", [SYNC_H_OFFLINE] = "offline", [SYNC_H_WARN] = "warn",
		[SYNC_H_BEHIND] = "behind", [SYNC_H_OK] = "ok",
	};

	return (unsigned)h < HG_ARRAY_LEN(names) ? names[h] : "?";
}
