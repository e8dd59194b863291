/* usmt-report (SPEC.md section 3): logs into the database, the join with
 * verify's verdicts, and one writer per output format. */
#ifndef UK_REPORT_H
#define UK_REPORT_H

#include <stdio.h>
#include <stdint.h>
#include <sqlite3.h>

enum uk_report_format { UK_FMT_TEXT = 0, UK_FMT_JSON, UK_FMT_CSV, UK_FMT_HTML, UK_FMT_CMTRACE,
                        UK_FMT_JSONL };
/* Risk levels, ordered: the report's risk is the highest found. */
enum uk_risk { UK_RISK_NONE = 0, UK_RISK_MEDIUM, UK_RISK_HIGH, UK_RISK_CRITICAL };

typedef struct uk_report_opts {
	const char *db;          /* --db FILE */
	const char *store;       /* --store STORE (database <store>.usmtkit.db) */
	int format;              /* enum uk_report_format */
	const char *output;      /* --output FILE, NULL = stdout */
	int merge;               /* --merge: the arguments are databases */
	char **args;             /* logs, or databases with --merge */
	int nargs;
} uk_report_opts;

/* What the analysis found (details stay in the connection's temp tables). */
typedef struct uk_report_summary {
	int risk;                /* enum uk_risk */
	int64_t verify_run;      /* the verify run joined, 0 if none */
	long long at_risk[4];    /* files per level */
	long long skipped_profiles;
	int last_loadstate_incomplete;
	long long runs, logs;
	int64_t unfinished_verify; /* a later verify run that never finished, 0 if none */
	long long partial_verify;  /* no run joined: finished runs of only some stores */
} uk_report_summary;

/* The whole tool: returns the exit code. */
int uk_report_run(const uk_report_opts *o);
/* run.c: opens a report database, the same way for --db and --store
 * (--merge: uk_report_open_input): a missing file is a usage error when `missing` (the hint said
 * after "no such database") is given, else it is created; a file that is
 * not a usmtkit database is refused. 0 or the exit code. */
int uk_report_open_db(const char *path, const char *missing, sqlite3 **db);
/* run.c: opens a --merge input read-only: never migrated, checkpointed or
 * initialised (an empty file, a folder, a foreign or non-SQLite file is
 * refused, exit 2; a newer schema exit 3), immutable when no WAL or journal
 * is beside it. 0 or the exit code, said on stderr. */
int uk_report_open_input(const char *path, sqlite3 **db);
/* uk_report_nothing_judged() from the input's counts alone (no analysis),
 * so --merge refuses such an input before it writes anything. */
int uk_report_input_judged(sqlite3 *db, const char *path);
/* UK_EXIT_USAGE, said on stderr, when the database holds nothing judged
 * (no log, no finished verify run); else 0. */
int uk_report_nothing_judged(const char *path, const uk_report_summary *s);

/* ingest.c: reads one log into the database (replacing an earlier copy of
 * the same file). 0, UK_EXIT_USAGE (unreadable) or UK_EXIT_RUNTIME (db). */
int uk_report_ingest(sqlite3 *db, const char *path);

/* sqlfn.c: SQL functions uk_win32_name(code), uk_win32_meaning(code),
 * uk_fold(path) (Windows case folding), uk_utf8(text) (invalid bytes -> U+FFFD),
 * uk_map(path) (the --map rules of the
 * joined verify run, see uk_report_load_map). */
int uk_report_sql_functions(sqlite3 *db);
int uk_report_load_map(sqlite3 *db, int64_t verify_run);

/* analyze.c: fills temp tables rpt_logged, rpt_entry, rpt_risk, rpt_why and *s.
 * 0 or UK_EXIT_RUNTIME. */
int uk_report_analyze(sqlite3 *db, uk_report_summary *s);
const char *uk_risk_name(int risk);  /* "none", "medium", "high", "critical" */
/* Each rpt_warning on stderr (after "WHERE: " when given), every time a
 * report is made: a database re-rendered says them again. */
void uk_report_warn(sqlite3 *db, const char *where);

/* One writer per format; `db` is the analysed connection, `label` the
 * database path shown in the report. 0 or UK_EXIT_RUNTIME. */
int uk_report_text(sqlite3 *db, const uk_report_summary *s, const char *label, FILE *f);
int uk_report_json(sqlite3 *db, const uk_report_summary *s, const char *label, FILE *f);
int uk_report_csv(sqlite3 *db, const uk_report_summary *s, const char *label, FILE *f);
int uk_report_html(sqlite3 *db, const uk_report_summary *s, const char *label, FILE *f);
int uk_report_cmtrace(sqlite3 *db, const uk_report_summary *s, const char *label, FILE *f);
/* JSON lines: a "machine" object, then one "at_risk" object per file (also
 * what --merge writes for each machine). */
int uk_report_jsonl(sqlite3 *db, const uk_report_summary *s, const char *label, FILE *f);

/* The fleet page of --merge: machines_sql lists one row a machine and a total. */
int uk_report_html_fleet(sqlite3 *fleet, int risk, const char *machines_sql, FILE *f);

/* merge.c: the fleet view over many machines' databases. Returns the exit code. */
int uk_report_merge(const uk_report_opts *o, FILE *f);
/* The machine a database describes: verify's host, else the progress log's
 * computer, else the database's file name without ".usmtkit.db" (path NULL:
 * none). malloc'd; NULL when none or out of memory. */
char *uk_report_machine_name(sqlite3 *db, int64_t verify_run, const char *path);

/* csv.c: one RFC 4180 field (quoted when it holds , " CR or LF); NULL -> empty. */
void uk_csv_field(FILE *f, const char *s, int last);

#endif
