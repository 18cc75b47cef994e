/* schema.c: the station database's schema as a list of migrations.
 *
 * migrations[i] brings a database from PRAGMA user_version i to i + 1; it is
 * applied in its own transaction together with the new user_version, so a
 * database is always at exactly one version.  A migration, once released, is
 * never edited: a change is a new entry at the end.  Every haulgate database
 * carries PRAGMA application_id STORE_APP_ID, set by the first migration.
 *
 * schema_check() decides, reading only, whether a file is a haulgate database
 * this program can use; nothing is written to a file it refuses.  Every
 * table and column is described in docs/SCHEMA.md.  Times are INTEGER UTC
 * seconds (NULL = did not happen); days are local "YYYY-MM-DD" text.
 *
 * Every index costs a page write in the commit of each load (WAL frames are
 * whole pages), so there are only those a query at the gate or the month
 * report needs: no index on sources.last_used (a hauler's few remembered
 * sources are sorted in memory) and none on events.load_no (an audit of one
 * load scans the log, off the gate's path). */
#include <stdio.h>
#include <string.h>
#include "store_int.h"
#include "../core/report.h"

struct migration {
	const char *sql;
	const char *tables;	/* the tables it creates, comma-separated */
};

static const struct migration migrations[] = {
	/* 1: the first schema */
	{
		"PRAGMA application_id = 1212630082;\n"	/* STORE_APP_ID */
		"CREATE TABLE meta (\n"
		"  key TEXT PRIMARY KEY,\n"
		"  value TEXT NOT NULL\n"
		") STRICT;\n"
		"CREATE TABLE haulers (\n"
		"  id INTEGER PRIMARY KEY,\n"
		"  company TEXT NOT NULL,\n"
		"  contact TEXT NOT NULL DEFAULT '',\n"
		"  address TEXT NOT NULL DEFAULT '',\n"
		"  phone TEXT NOT NULL DEFAULT '',\n"
		"  permit TEXT NOT NULL DEFAULT '',\n"
		"  permit_from TEXT NOT NULL DEFAULT '',\n"
		"  permit_to TEXT NOT NULL DEFAULT '',\n"
		"  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),\n"
		"  waste_allowed TEXT NOT NULL DEFAULT '',\n"
		"  analysis_date TEXT NOT NULL DEFAULT '',\n"
		"  created INTEGER NOT NULL\n"
		") STRICT;\n"
		"CREATE TABLE cards (\n"
		"  id INTEGER PRIMARY KEY,\n"
		"  uid TEXT NOT NULL UNIQUE,\n"
		"  hauler_id INTEGER NOT NULL REFERENCES haulers(id),\n"
		"  driver TEXT NOT NULL DEFAULT '',\n"
		"  pin_hash TEXT NOT NULL,\n"
		"  revoked INTEGER NOT NULL DEFAULT 0,\n"
		"  failures INTEGER NOT NULL DEFAULT 0,\n"
		"  locked_until INTEGER NOT NULL DEFAULT 0,\n"
		"  created INTEGER NOT NULL\n"
		") STRICT;\n"
		"CREATE INDEX cards_hauler ON cards(hauler_id);\n"
		"CREATE TABLE trucks (\n"
		"  id INTEGER PRIMARY KEY,\n"
		"  hauler_id INTEGER NOT NULL REFERENCES haulers(id),\n"
		"  ident TEXT NOT NULL,\n"
		"  capacity INTEGER NOT NULL DEFAULT 0\n"
		") STRICT;\n"
		"CREATE INDEX trucks_hauler ON trucks(hauler_id);\n"
		"CREATE TABLE sources (\n"
		"  id INTEGER PRIMARY KEY,\n"
		"  hauler_id INTEGER NOT NULL REFERENCES haulers(id),\n"
		"  name TEXT NOT NULL,\n"
		"  address TEXT NOT NULL DEFAULT '',\n"
		"  industry TEXT NOT NULL DEFAULT '',\n"
		"  last_used INTEGER NOT NULL,\n"
		"  UNIQUE (hauler_id, name, address)\n"
		") STRICT;\n"
		"CREATE TABLE operators (\n"
		"  id INTEGER PRIMARY KEY,\n"
		"  name TEXT NOT NULL,\n"
		"  uid TEXT NOT NULL UNIQUE,\n"
		"  pin_hash TEXT NOT NULL,\n"
		"  failures INTEGER NOT NULL DEFAULT 0,\n"
		"  locked_until INTEGER NOT NULL DEFAULT 0,\n"
		"  active INTEGER NOT NULL DEFAULT 1,\n"
		"  created INTEGER NOT NULL\n"
		") STRICT;\n"
		"CREATE TABLE loads (\n"
		"  load_no INTEGER PRIMARY KEY,\n"
		"  station TEXT NOT NULL DEFAULT '',\n"
		"  day TEXT NOT NULL,\n"
		"  hauler_id INTEGER NOT NULL REFERENCES haulers(id),\n"
		"  card_id INTEGER REFERENCES cards(id),\n"
		"  company TEXT NOT NULL DEFAULT '',\n"
		"  company_address TEXT NOT NULL DEFAULT '',\n"
		"  driver TEXT NOT NULL DEFAULT '',\n"
		"  permit TEXT NOT NULL DEFAULT '',\n"
		"  truck_id INTEGER REFERENCES trucks(id),\n"
		"  truck TEXT NOT NULL DEFAULT '',\n"
		"  truck_capacity INTEGER NOT NULL DEFAULT 0,\n"
		"  waste TEXT NOT NULL DEFAULT '',\n"
		"  gallons INTEGER NOT NULL DEFAULT 0,\n"
		"  gallons_measured INTEGER NOT NULL DEFAULT 0,\n"
		"  characteristics TEXT NOT NULL DEFAULT '',\n"
		"  constituents TEXT NOT NULL DEFAULT '',\n"
		"  rcra TEXT NOT NULL DEFAULT '',\n"
		"  signer TEXT NOT NULL DEFAULT '',\n"
		"  lang TEXT NOT NULL DEFAULT 'en',\n"
		"  record TEXT NOT NULL DEFAULT '',\n"
		"  record_sha256 TEXT NOT NULL DEFAULT '',\n"
		"  verdict TEXT NOT NULL CHECK (verdict IN ('accepted', 'refused', 'sample-hold')),\n"
		"  refuse_reasons TEXT NOT NULL DEFAULT '',\n"
		"  sample_reasons TEXT NOT NULL DEFAULT '',\n"
		"  sampled INTEGER NOT NULL DEFAULT 0,\n"
		"  manual_flag INTEGER NOT NULL DEFAULT 0,\n"
		"  bottle TEXT NOT NULL DEFAULT '',\n"
		"  sampled_by INTEGER REFERENCES operators(id),\n"
		"  t_card INTEGER,\n"
		"  t_pin INTEGER,\n"
		"  t_form INTEGER,\n"
		"  t_certified INTEGER,\n"
		"  t_decided INTEGER NOT NULL,\n"
		"  t_sampled INTEGER,\n"
		"  t_discharge_start INTEGER,\n"
		"  t_discharge_end INTEGER,\n"
		"  discharge_end_why TEXT NOT NULL DEFAULT ''\n"
		") STRICT;\n"
		/* by day, and covering for the month report and today's volume */
		"CREATE INDEX loads_month ON loads(day, hauler_id, verdict, waste, gallons, sampled);\n"
		/* by hauler + day; covering for a hauler's history counts */
		"CREATE INDEX loads_hauler_day ON loads(hauler_id, day, verdict);\n"
		/* flagged for sampling: few rows, the last one per hauler at once */
		"CREATE INDEX loads_flagged ON loads(hauler_id, load_no) WHERE sampled = 1;\n"
		"CREATE TABLE load_sources (\n"
		"  load_no INTEGER NOT NULL REFERENCES loads(load_no),\n"
		"  idx INTEGER NOT NULL,\n"
		"  name TEXT NOT NULL,\n"
		"  address TEXT NOT NULL DEFAULT '',\n"
		"  industry TEXT NOT NULL DEFAULT '',\n"
		"  PRIMARY KEY (load_no, idx)\n"
		") STRICT, WITHOUT ROWID;\n"
		"CREATE TABLE rv_visits (\n"
		"  id INTEGER PRIMARY KEY,\n"
		"  name TEXT NOT NULL DEFAULT '',\n"
		"  plate TEXT NOT NULL DEFAULT '',\n"
		"  plate_state TEXT NOT NULL DEFAULT '',\n"
		"  lang TEXT NOT NULL DEFAULT 'en',\n"
		"  signed_in INTEGER,\n"
		"  rules_accepted INTEGER,\n"
		"  declared INTEGER,\n"
		"  done INTEGER,\n"
		"  day TEXT NOT NULL\n"
		") STRICT;\n"
		"CREATE INDEX rv_visits_day ON rv_visits(day);\n"
		"CREATE TABLE events (\n"
		"  seq INTEGER PRIMARY KEY,\n"
		"  ts INTEGER NOT NULL,\n"
		"  type TEXT NOT NULL,\n"
		"  load_no INTEGER NOT NULL DEFAULT 0,\n"
		"  actor TEXT NOT NULL DEFAULT '',\n"
		"  detail TEXT NOT NULL DEFAULT '',\n"
		"  prev_hash BLOB NOT NULL,\n"
		"  hash BLOB NOT NULL\n"
		") STRICT;\n",
		"meta,haulers,cards,trucks,sources,operators,loads,load_sources,rv_visits,events"
	},
	/* 2: the flow meter's flag on a load ('' = none, 'meter_mismatch',
	 * 'meter_failed'); no index: flagged loads are few and listed by day */
	{
		"ALTER TABLE loads ADD COLUMN meter_flag TEXT NOT NULL DEFAULT '';\n",
		""
	},
	/* 3: a source's town or ZIP code, the field the service area is matched
	 * against ('' for the sources of loads recorded before) */
	{
		"ALTER TABLE load_sources ADD COLUMN town TEXT NOT NULL DEFAULT '';\n"
		"ALTER TABLE sources ADD COLUMN town TEXT NOT NULL DEFAULT '';\n",
		""
	},
	/* 4: what the plant said of this station's log (docs/SYNC.md): not
	 * records, not events, outside the projection; written by
	 * db/store_sync.c only */
	{
		"CREATE TABLE sync_state (\n"
		"  id INTEGER PRIMARY KEY CHECK (id = 1),\n"
		"  plant_size INTEGER NOT NULL DEFAULT 0,\n"
		"  last_success INTEGER,\n"
		"  last_attempt INTEGER,\n"
		"  last_error TEXT NOT NULL DEFAULT '',\n"
		"  fork_seq INTEGER,\n"
		"  fork_at INTEGER,\n"
		"  roster_version INTEGER NOT NULL DEFAULT 0\n"
		") STRICT;\n"
		"CREATE TABLE sync_checkpoints (\n"
		"  size INTEGER PRIMARY KEY,\n"
		"  root BLOB NOT NULL,\n"
		"  note TEXT NOT NULL,\n"
		"  received INTEGER NOT NULL\n"
		") STRICT;\n",
		"sync_state,sync_checkpoints"
	},
	/* 5: the plant's roster log as far as this station applied it
	 * (docs/SYNC.md): the hash of the plant's event roster_version and the
	 * right edge of its Merkle tree (struct merkle_range's hashes), so the
	 * next answer's chain and checkpoint are checked; db/store_sync.c */
	{
		"ALTER TABLE sync_state ADD COLUMN roster_head BLOB;\n"
		"ALTER TABLE sync_state ADD COLUMN roster_edge BLOB;\n",
		""
	},
	/* 6: the plant's policy, laid over station.ini (core/config_policy.h):
	 * the projection of the roster's policy_set and policy_unset events;
	 * scope '*' (all stations) or a station id, active 0 once unset */
	{
		"CREATE TABLE policy (\n"
		"  scope TEXT NOT NULL,\n"
		"  section TEXT NOT NULL,\n"
		"  key TEXT NOT NULL,\n"
		"  value TEXT NOT NULL DEFAULT '',\n"
		"  active INTEGER NOT NULL DEFAULT 1,\n"
		"  PRIMARY KEY (scope, section, key)\n"
		") STRICT, WITHOUT ROWID;\n",
		"policy"
	},
};

int schema_current(void)
{
	return (int)HG_ARRAY_LEN(migrations);
}

static int pragma_int(sqlite3 *db, const char *sql, long long *out)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(db, sql, -1, &s, NULL);

	if (rc != SQLITE_OK)
		return rc;
	rc = sqlite3_step(s);
	*out = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		rc = SQLITE_OK;
	sqlite3_finalize(s);
	return rc;
}

static int has_table(sqlite3 *db, const char *name, size_t len, int *yes)
{
	static const char sql[] =
		"SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?1";
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(db, sql, -1, &s, NULL);

	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_text(s, 1, name, (int)len, SQLITE_TRANSIENT);
	rc = sqlite3_step(s);
	*yes = rc == SQLITE_ROW && sqlite3_column_int(s, 0) > 0;
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		rc = SQLITE_OK;
	sqlite3_finalize(s);
	return rc;
}

static int read_error(sqlite3 *db, int rc, const char *path)
{
	int base = rc & 0xff;

	if (base == SQLITE_NOTADB || base == SQLITE_CORRUPT)
		return hg_fail(HG_ECORRUPT, "'%s' is not a haulgate database (not an sqlite file, "
			       "or damaged)", path);
	if (base == SQLITE_BUSY || base == SQLITE_LOCKED)
		return hg_fail(HG_EBUSY, "cannot open '%s': database is locked by another program", path);
	return hg_fail(HG_EIO, "cannot read '%s': %s", path, sqlite3_errmsg(db));
}

int schema_check(sqlite3 *db, const char *path, int create, int *version)
{
	long long app = 0, uv = 0, ntab = 0;
	int rc;

	*version = 0;
	rc = pragma_int(db, "SELECT count(*) FROM sqlite_schema", &ntab);
	if (rc != SQLITE_OK)
		return read_error(db, rc, path);
	rc = pragma_int(db, "PRAGMA application_id", &app);
	if (rc != SQLITE_OK)
		return read_error(db, rc, path);
	rc = pragma_int(db, "PRAGMA user_version", &uv);
	if (rc != SQLITE_OK)
		return read_error(db, rc, path);

	if (ntab == 0 && app == 0 && uv == 0) {
		if (create)
			return HG_OK;
		return hg_fail(HG_ECORRUPT, "'%s' is an empty file, not a haulgate database", path);
	}
	if (app != STORE_APP_ID)
		return hg_fail(HG_ECORRUPT, "'%s' is an sqlite database of another program, not a "
			       "haulgate one", path);
	if (uv < 1 || uv > schema_current())
		return hg_fail(HG_ECORRUPT, "'%s' has schema version %lld; this haulgate knows "
			       "versions 1 to %d (a newer haulgate made it?)", path, uv, schema_current());
	for (int i = 0; i < uv; i++) {
		const char *p = migrations[i].tables;

		while (*p) {
			size_t n = strcspn(p, ",");
			int yes = 0;

			rc = has_table(db, p, n, &yes);
			if (rc != SQLITE_OK)
				return read_error(db, rc, path);
			if (!yes)
				return hg_fail(HG_ECORRUPT, "'%s' is a damaged haulgate database: table "
					       "%.*s is missing", path, (int)n, p);
			p += n;
			if (*p == ',')
				p++;
		}
	}
	*version = (int)uv;
	return HG_OK;
}

int schema_migrate(sqlite3 *db, int version)
{
	for (int i = version; i < schema_current(); i++) {
		char sql[64];
		int rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);

		if (rc != SQLITE_OK)
			goto fail;
		rc = sqlite3_exec(db, migrations[i].sql, NULL, NULL, NULL);
		if (rc != SQLITE_OK)
			goto fail;
		snprintf(sql, sizeof sql, "PRAGMA user_version = %d", i + 1);
		rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
		if (rc != SQLITE_OK)
			goto fail;
		rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
		if (rc != SQLITE_OK)
			goto fail;
		continue;
fail:
		rc = hg_fail((rc & 0xff) == SQLITE_BUSY ? HG_EBUSY : HG_EIO,
			     "cannot bring the database to schema version %d: %s", i + 1,
			     (rc & 0xff) == SQLITE_BUSY ? "database is locked by another program"
							: sqlite3_errmsg(db));
		if (!sqlite3_get_autocommit(db))
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		return rc;
	}
	return HG_OK;
}
