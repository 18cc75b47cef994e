/* store_lab_sqlite.c: the plant store's version 8, the plant's own lab
 * records and fees.
 *
 * A station's record (rec_*) is the copy of what its log says and is never
 * edited at the plant; what the plant itself finds and decides about a
 * load is kept beside it, in tables of its own, each change with its
 * staff log entry (store_lab.c, store_fees.c):
 *
 * - lab_params: the parameters the plant measures, each with its unit and
 *   limits (millionths, lab.h; NULL: none) and the ordinance section the
 *   limit comes from.  It starts with section 2.1's numeric prohibitions
 *   (B.1 a closed-cup flash point under 60 degrees C, B.2 a pH under 5.0,
 *   B.5 heat past 40 degrees C) and the usual parameters of a hauled load
 *   without a limit (the plant sets its local limits, section 2.3).
 * - lab_results: each result entered for a sampled load, with the limit it
 *   was judged against copied in (a limit changed later changes no verdict
 *   given) and whether it exceeded.
 * - novs: a Notice of Violation (section 8.1) per load in violation,
 *   drafted by its first exceeding result, issued by the coordinator.
 * - violations: what an exceedance marks: the load, its hauler, each of
 *   its sources, each row naming the result and the notice.
 * - fee_schedule: per waste type, from a day on, a base per load (cents)
 *   and a rate per gallon (ten-thousandths of a dollar: fees.h).
 *
 * potw/store_sqlite.c's check_schema() calls potw_sq_lab_migrate() on a
 * version-7 file. */
#include "store_lab_sqlite.h"
#include "store_sqlite_ext.h"
#include "store_sqlx.h"
#include "../core/hg.h"
#include "../core/report.h"

const char potw_lab_schema[] =
	"CREATE TABLE lab_params (\n"
	"  name TEXT PRIMARY KEY,\n"
	"  unit TEXT NOT NULL,\n"
	"  min_u INTEGER,\n"
	"  max_u INTEGER,\n"
	"  section TEXT NOT NULL,\n"
	"  changed INTEGER NOT NULL,\n"
	"  changed_by TEXT NOT NULL\n"
	") STRICT;\n"
	"CREATE TABLE novs (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  station_id TEXT NOT NULL,\n"
	"  load_no INTEGER NOT NULL,\n"
	"  hauler_id INTEGER NOT NULL,\n"
	"  company TEXT NOT NULL,\n"
	"  state TEXT NOT NULL CHECK (state IN ('draft', 'issued')),\n"
	"  drafted INTEGER NOT NULL,\n"
	"  drafted_by TEXT NOT NULL,\n"
	"  issued INTEGER,\n"
	"  issued_by TEXT\n"
	") STRICT;\n"
	"CREATE INDEX novs_load ON novs(station_id, load_no);\n"
	"CREATE TABLE lab_results (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  station_id TEXT NOT NULL,\n"
	"  load_no INTEGER NOT NULL,\n"
	"  param TEXT NOT NULL REFERENCES lab_params(name),\n"
	"  value_u INTEGER NOT NULL,\n"
	"  unit TEXT NOT NULL,\n"
	"  method TEXT NOT NULL,\n"
	"  lab TEXT NOT NULL,\n"
	"  analysed TEXT NOT NULL,\n"
	"  min_u INTEGER,\n"
	"  max_u INTEGER,\n"
	"  section TEXT NOT NULL,\n"
	"  exceeds INTEGER NOT NULL CHECK (exceeds IN (0, 1)),\n"
	"  nov_id INTEGER REFERENCES novs(id),\n"
	"  entered INTEGER NOT NULL,\n"
	"  entered_by TEXT NOT NULL\n"
	") STRICT;\n"
	"CREATE INDEX lab_results_load ON lab_results(station_id, load_no);\n"
	"CREATE TABLE violations (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  result_id INTEGER NOT NULL REFERENCES lab_results(id),\n"
	"  nov_id INTEGER NOT NULL REFERENCES novs(id),\n"
	"  station_id TEXT NOT NULL,\n"
	"  load_no INTEGER NOT NULL,\n"
	"  subject TEXT NOT NULL CHECK (subject IN ('load', 'hauler', 'source')),\n"
	"  subject_id INTEGER NOT NULL,\n"
	"  name TEXT NOT NULL,\n"
	"  created INTEGER NOT NULL\n"
	") STRICT;\n"
	"CREATE INDEX violations_subject ON violations(subject, station_id, subject_id);\n"
	"CREATE TABLE fee_schedule (\n"
	"  waste TEXT NOT NULL,\n"
	"  effective TEXT NOT NULL,\n"
	"  base_cents INTEGER NOT NULL CHECK (base_cents >= 0),\n"
	"  rate INTEGER NOT NULL CHECK (rate >= 0),\n"
	"  changed INTEGER NOT NULL,\n"
	"  changed_by TEXT NOT NULL,\n"
	"  PRIMARY KEY (waste, effective)\n"
	") STRICT;\n"
	/* section 2.1's numeric prohibitions, then parameters without a limit */
	"INSERT INTO lab_params VALUES\n"
	"  ('pH', 'SU', 5000000, NULL, '2.1.B.2', 0, 'ordinance'),\n"
	"  ('Flash point', '\xC2\xB0" "C', 60000000, NULL, '2.1.B.1', 0, 'ordinance'),\n"
	"  ('Temperature', '\xC2\xB0" "C', NULL, 40000000, '2.1.B.5', 0, 'ordinance'),\n"
	"  ('BOD', 'mg/L', NULL, NULL, '2.3', 0, 'ordinance'),\n"
	"  ('COD', 'mg/L', NULL, NULL, '2.3', 0, 'ordinance'),\n"
	"  ('TSS', 'mg/L', NULL, NULL, '2.3', 0, 'ordinance'),\n"
	"  ('FOG', 'mg/L', NULL, NULL, '2.1.B.16', 0, 'ordinance'),\n"
	"  ('As', 'mg/L', NULL, NULL, '2.3', 0, 'ordinance'),\n"
	"  ('Cd', 'mg/L', NULL, NULL, '2.3', 0, 'ordinance'),\n"
	"  ('Cr', 'mg/L', NULL, NULL, '2.3', 0, 'ordinance'),\n"
	"  ('Cu', 'mg/L', NULL, NULL, '2.3', 0, 'ordinance'),\n"
	"  ('Hg', 'mg/L', NULL, NULL, '2.3', 0, 'ordinance'),\n"
	"  ('Ni', 'mg/L', NULL, NULL, '2.3', 0, 'ordinance'),\n"
	"  ('Pb', 'mg/L', NULL, NULL, '2.3', 0, 'ordinance'),\n"
	"  ('Zn', 'mg/L', NULL, NULL, '2.3', 0, 'ordinance');\n";

int potw_sq_lab_migrate(sqlite3 *db, const char *path)
{
	return potw_sq_migrate(db, path, 7, potw_lab_schema, "the lab records, fees");
}
