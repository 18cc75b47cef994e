/* fixture_store.h: a fresh station database in its own temp folder, and the
 * load the store tests commit to it; include it after testutil.h.
 *
 * test_store.c and test_store_day.c open the same kind of database and
 * commit the same kind of load (one source, "Dan Driver", decided at a given
 * time, refused or held with one reason each); the tests change only what
 * they are about.  Times are written as local ISO text and read with
 * fixture_at(), so a test says "2025-02-10T15:00" rather than a number. */
#ifndef FIXTURE_STORE_H
#define FIXTURE_STORE_H

#include "../../db/store.h"
#include "../../core/text.h"

struct store_fx {
	char dir[256];		/* the temp folder, removed by store_fx_close() */
	char path[320];		/* <dir>/station.db */
	struct store *st;
};

/* Local ISO time ("2025-02-10T15:00") as hg_time; the text must parse. */
static inline hg_time fixture_at(const char *iso)
{
	hg_time t = 0;

	assert_int_equal(text_parse_time(iso, &t), HG_OK);
	return t;
}

/* A new database in a new folder "hg-<tag>-*"; fails the test if it cannot. */
static inline void store_fx_open(struct store_fx *f, const char *tag)
{

	assert_int_equal(tu_tmpdir(f->dir, sizeof f->dir, tag), 0);
	snprintf(f->path, sizeof f->path, "%s/station.db", f->dir);
	assert_int_equal(store_open(&f->st, f->path, 1), HG_OK);
}

/* Close the database and remove its folder. */
static inline void store_fx_close(struct store_fx *f)
{
	store_close(f->st);
	f->st = NULL;
	tu_rmtree(f->dir);
}

/* cmocka setup and teardown: *state is a struct store_fx on a new database. */
static inline int store_fx_setup(void **state)
{
	struct store_fx *f = calloc(1, sizeof *f);

	assert_non_null(f);
	store_fx_open(f, "store");
	*state = f;
	return 0;
}

static inline int store_fx_teardown(void **state)
{
	struct store_fx *f = *state;

	store_fx_close(f);
	free(f);
	return 0;
}

/* Fill *ld (not committed) with a load of hauler, decided at decided: one
 * source whose name and address carry the gallons, permit "P-<hauler>",
 * truck "TRK-<hauler>"; refused for RCRA hazardous waste or held for a first
 * load's sample when v says so. */
static inline void fixture_store_load(struct load_rec *ld, long long hauler,
				      const char *company, enum waste_type w, long gallons,
				      enum verdict v, hg_time decided)
{
	memset(ld, 0, sizeof *ld);
	snprintf(ld->station, sizeof ld->station, "ST-1");
	ld->m.hauler_id = hauler;
	snprintf(ld->m.company, sizeof ld->m.company, "%s", company);
	snprintf(ld->m.driver, sizeof ld->m.driver, "Dan Driver");
	snprintf(ld->m.permit, sizeof ld->m.permit, "P-%lld", hauler);
	snprintf(ld->m.truck, sizeof ld->m.truck, "TRK-%lld", hauler);
	ld->m.waste = w;
	ld->m.gallons = gallons;
	ld->m.rcra = RCRA_NO;
	ld->m.n_sources = 1;
	snprintf(ld->m.sources[0].name, sizeof ld->m.sources[0].name, "Home %ld", gallons);
	snprintf(ld->m.sources[0].address, sizeof ld->m.sources[0].address, "%ld Elm St", gallons);
	snprintf(ld->m.sources[0].industry, sizeof ld->m.sources[0].industry, "residential");
	snprintf(ld->m.signer, sizeof ld->m.signer, "Dan Driver");
	ld->d.verdict = v;
	if (v == VERDICT_REFUSED) {
		ld->d.n_refuse = 1;
		ld->d.refuse[0] = R_RCRA_HAZARDOUS;
	}
	if (v == VERDICT_SAMPLE_HOLD) {
		ld->d.n_sample = 1;
		ld->d.sample[0] = R_SAMPLE_FIRST_LOAD;
	}
	ld->t.certified = decided - 5;
	ld->t.decided = decided;
	snprintf(ld->record, sizeof ld->record, "Copy of record: %s, %ld gallons of %s\n", company,
		 gallons, waste_code(w));
}

#endif
