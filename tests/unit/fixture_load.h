/* fixture_load.h: the demo-like load and the station key that the receipt
 * and raster tests start from; include it after testutil.h.
 *
 * One load, written once, so that a receipt test and the raster test of the
 * same receipt speak of the same load: Acme Septic, two sources, 3,000
 * gallons of septage, accepted, with names in UTF-8.  A test that needs a
 * variant (a sample hold, a measured volume) changes the fields after
 * fixture_load_make().  Each test program has one fixture (its statics), made
 * by fixture_load_setup() in the group setup and removed by
 * fixture_load_teardown(). */
#ifndef FIXTURE_LOAD_H
#define FIXTURE_LOAD_H

#include <time.h>

#include <sodium.h>

#include "../../core/receipt.h"
#include "../../core/text.h"
#include "../../host/keyfile.h"

struct load_fixture {
	char dir[512];		/* a fresh temp folder, removed at teardown */
	struct load_rec *ld;	/* big: on the heap */
	struct keypair kp;	/* <dir>/station.key, made once */
};

/* text_copy into a field, which must fit: a fixture that does not fit its
 * own fields is a broken test, not a case. */
static inline void fixture_set(char *dst, size_t cap, const char *src)
{
	assert_int_equal(text_copy(dst, cap, src), HG_OK);
}
#define FIXTURE_SET(field, value) fixture_set(field, sizeof(field), value)

/* The load every receipt and raster test starts from; decided
 * 2026-03-02T17:15:00Z. */
static inline void fixture_load_make(struct load_rec *l)
{
	struct manifest *m = &l->m;

	memset(l, 0, sizeof *l);
	l->load_no = 42;
	FIXTURE_SET(l->station, "demo-01");
	FIXTURE_SET(m->company, "Acme Septic LLC");
	FIXTURE_SET(m->company_address, "12 Main St, Springfield");
	FIXTURE_SET(m->driver, "Jos\xc3\xa9 \xc3\x91\xc3\xba\xc3\xb1" "ez");
	FIXTURE_SET(m->permit, "SP-2026/07 \xc3\xa9");
	FIXTURE_SET(m->truck, "CO ABC-123");
	m->n_sources = 2;
	FIXTURE_SET(m->sources[0].name, "Smith residence");
	FIXTURE_SET(m->sources[0].address, "4 Elm Rd, Shelbyville");
	FIXTURE_SET(m->sources[0].industry, "residential");
	FIXTURE_SET(m->sources[0].town, "Shelbyville");	/* source 2 has none: recorded before towns */
	FIXTURE_SET(m->sources[1].name, "Blue Diner");
	FIXTURE_SET(m->sources[1].address, "9 Oak Ave, 80401");
	FIXTURE_SET(m->sources[1].industry, "restaurant");
	m->waste = WASTE_SEPTAGE;
	m->gallons = 3000;
	FIXTURE_SET(m->characteristics, "Dark, septic odour");
	FIXTURE_SET(m->constituents, "none");
	m->rcra = RCRA_NO;
	FIXTURE_SET(m->signer, "Jos\xc3\xa9 \xc3\x91\xc3\xba\xc3\xb1" "ez");
	l->lang = LANG_EN;
	l->d.verdict = VERDICT_ACCEPTED;
	l->t.decided = 1772471700;	/* 2026-03-02T17:15:00Z */
}

/* In UTC, with libsodium ready: a temp folder "hg-<tag>-*", the load's
 * memory and a new station key in the folder.  0, or -1 (cmocka then skips
 * the group and says the setup failed). */
static inline int fixture_load_setup(struct load_fixture *fx, const char *tag)
{
	char path[600];

	setenv("TZ", "UTC", 1);
	tzset();
	if (sodium_init() < 0 || tu_tmpdir(fx->dir, sizeof fx->dir, tag) < 0)
		return -1;
	fx->ld = calloc(1, sizeof *fx->ld);
	if (!fx->ld)
		return -1;
	snprintf(path, sizeof path, "%s/station.key", fx->dir);
	return keys_create(path, &fx->kp) == HG_OK ? 0 : -1;
}

/* Free the load, forget the key, remove the folder.  0 or -1. */
static inline int fixture_load_teardown(struct load_fixture *fx)
{
	free(fx->ld);
	fx->ld = NULL;
	sodium_memzero(&fx->kp, sizeof fx->kp);
	return tu_rmtree(fx->dir);
}

#endif
