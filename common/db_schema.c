/* Schema version 1 (and the steps to versions 2 and 3 at the end). Each tool owns its part; docs/DATABASE.md explains it.
 * Any change after a release adds a migration in db.c, never edits these. */
#include "db.h"

const char uk_schema_common[] =
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);\n"
	/* One row per store path (multi-volume stores have several). */
	"CREATE TABLE store(\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  path TEXT NOT NULL UNIQUE,\n"  /* absolute local path of the store root */
	"  kind TEXT NOT NULL\n"          /* hardlink | uncompressed */
	");\n";

const char uk_schema_verify[] =
	"CREATE TABLE verify_run(\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  started TEXT NOT NULL,\n"      /* ISO 8601 UTC */
	"  finished TEXT,\n"              /* NULL: interrupted, never trusted by purge */
	"  version TEXT NOT NULL,\n"
	"  host TEXT,\n"
	"  command_line TEXT,\n"
	"  files INTEGER, bytes INTEGER, hashed_bytes INTEGER,\n"
	"  sole_copy INTEGER, readonly INTEGER, repaired INTEGER,\n"
	"  seconds REAL,\n"
	"  result TEXT\n"                 /* ok | risk */
	");\n"
	/* The --map rules of the run, in order: report applies them to log paths. */
	"CREATE TABLE verify_map(\n"
	"  run_id INTEGER NOT NULL REFERENCES verify_run(id),\n"
	"  seq INTEGER NOT NULL,\n"
	"  from_prefix TEXT NOT NULL,\n"
	"  to_prefix TEXT NOT NULL,\n"
	"  PRIMARY KEY(run_id, seq)\n"
	");\n"
	"CREATE TABLE verify_run_store(\n"
	"  run_id INTEGER NOT NULL REFERENCES verify_run(id),\n"
	"  store_id INTEGER NOT NULL REFERENCES store(id),\n"
	"  PRIMARY KEY(run_id, store_id)\n"
	");\n"
	/* One row per store entry (files, links and other non-directories). */
	"CREATE TABLE entry(\n"
	"  run_id INTEGER NOT NULL REFERENCES verify_run(id),\n"
	"  store_id INTEGER NOT NULL REFERENCES store(id),\n"
	"  rel TEXT NOT NULL,\n"          /* below <store>/USMT/File, '/'-separated: C$/Users/a/x.doc */
	"  win_path TEXT NOT NULL,\n"     /* C:\\Users\\a\\x.doc, after --map */
	"  local_path TEXT NOT NULL,\n"   /* the restored path checked on this machine */
	"  type TEXT NOT NULL,\n"         /* file | link | other */
	"  verdict TEXT,\n"               /* linked|identical|modified|missing|unreadable|excluded; NULL for link/other */
	"  size INTEGER,\n"
	"  nlink INTEGER,\n"
	"  readonly INTEGER NOT NULL DEFAULT 0,\n"
	"  sole_copy INTEGER NOT NULL DEFAULT 0,\n"
	"  fid TEXT,\n"                   /* store entry identity, uk_fid_str() */
	"  restored_fid TEXT,\n"
	"  restored_readonly INTEGER,\n"
	"  hash TEXT,\n"                  /* XXH3-128 hex of the store entry, when hashed */
	"  mtime INTEGER,\n"
	"  error TEXT,\n"
	"  repaired INTEGER NOT NULL DEFAULT 0,\n"
	"  rule TEXT,\n"                  /* Config.xml HardLinkStoreControl rule for copies */
	"  PRIMARY KEY(run_id, store_id, rel)\n"
	") WITHOUT ROWID;\n"
	/* No index on win_path: the report joins on its own folded key (uk_fold),
	 * and keeping a NOCASE index up to date was a third of usmt-verify's
	 * instructions on a linked store (docs/BENCHMARKS.md). */
	/* Store directories, so purge can remove them bottom-up. */
	"CREATE TABLE entry_dir(\n"
	"  run_id INTEGER NOT NULL REFERENCES verify_run(id),\n"
	"  store_id INTEGER NOT NULL REFERENCES store(id),\n"
	"  rel TEXT NOT NULL,\n"
	"  PRIMARY KEY(run_id, store_id, rel)\n"
	") WITHOUT ROWID;\n";

/* usmt-report: parsed logs, so a report can be re-rendered and merged
 * without re-reading them. A log file is keyed by its absolute path:
 * ingesting it again replaces all its rows in one transaction (a log that
 * grew by an appended run is read again whole), and an unchanged file (same
 * size and XXH3-128) is skipped, so re-ingesting never duplicates anything.
 * Runs are keyed (log_id, seq), events and summary rows (run_id, seq),
 * skipped profiles (run_id, sid), progress errors (log_id, seq). */
const char uk_schema_report[] =
	"CREATE TABLE log_file(\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  path TEXT NOT NULL UNIQUE,\n"  /* absolute local path as read */
	"  name TEXT NOT NULL,\n"         /* as given on the command line, shown in reports */
	"  kind TEXT NOT NULL,\n"         /* usmt | progress | empty */
	"  encoding TEXT NOT NULL,\n"     /* utf-8 | utf-8-bom | utf-16le | windows-1252 */
	"  crlf INTEGER NOT NULL,\n"
	"  size INTEGER NOT NULL,\n"
	"  hash TEXT NOT NULL,\n"         /* XXH3-128 of the bytes */
	"  lines INTEGER NOT NULL, unknown_lines INTEGER NOT NULL,\n"
	"  truncated_lines INTEGER NOT NULL,\n"
	"  ingested TEXT NOT NULL\n"      /* ISO 8601 UTC */
	");\n"
	/* One run: `<PROGRAM>.EXE Version` / `USMT Started at` to the next. */
	"CREATE TABLE log_run(\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  log_id INTEGER NOT NULL REFERENCES log_file(id) ON DELETE CASCADE,\n"
	"  seq INTEGER NOT NULL,\n"
	"  program TEXT,\n"               /* loadstate | scanstate | NULL */
	"  version TEXT, command_line TEXT,\n"
	"  used_c INTEGER NOT NULL,\n"
	"  started TEXT, completed TEXT,\n" /* local time as logged, ISO 8601 */
	"  return_code INTEGER, errors_ignored INTEGER,\n"
	"  abort_logged INTEGER NOT NULL,\n"
	"  aborted INTEGER NOT NULL,\n"   /* abort logged, failing return code or no completion */
	"  unknown_lines INTEGER NOT NULL,\n"
	"  UNIQUE(log_id, seq)\n"
	");\n"
	/* Every Error and Warning record. */
	"CREATE TABLE log_event(\n"
	"  run_id INTEGER NOT NULL REFERENCES log_run(id) ON DELETE CASCADE,\n"
	"  seq INTEGER NOT NULL,\n"
	"  line INTEGER NOT NULL,\n"
	"  time TEXT,\n"
	"  level TEXT NOT NULL,\n"        /* warning | error */
	"  code TEXT,\n"                  /* component id 0x0803ba: not a Win32 code */
	"  win32 INTEGER,\n"              /* the Win32 error the message names */
	"  gle INTEGER,\n"                /* trailing [gle=...]: often stale */
	"  path TEXT,\n"                  /* the Windows path it names, as logged */
	"  message TEXT NOT NULL,\n"
	"  PRIMARY KEY(run_id, seq)\n"
	") WITHOUT ROWID;\n"
	"CREATE TABLE log_error_summary(\n"
	"  run_id INTEGER NOT NULL REFERENCES log_run(id) ON DELETE CASCADE,\n"
	"  seq INTEGER NOT NULL,\n"
	"  win32 INTEGER NOT NULL, caused_abort INTEGER NOT NULL,\n"
	"  recurrence INTEGER NOT NULL, first TEXT NOT NULL,\n"
	"  PRIMARY KEY(run_id, seq)\n"
	") WITHOUT ROWID;\n"
	"CREATE TABLE log_skipped_profile(\n"
	"  run_id INTEGER NOT NULL REFERENCES log_run(id) ON DELETE CASCADE,\n"
	"  sid TEXT NOT NULL,\n"
	"  line INTEGER NOT NULL, time TEXT, win32 INTEGER,\n"
	"  PRIMARY KEY(run_id, sid)\n"
	") WITHOUT ROWID;\n"
	"CREATE TABLE progress_log(\n"
	"  log_id INTEGER PRIMARY KEY REFERENCES log_file(id) ON DELETE CASCADE,\n"
	"  program TEXT, version TEXT, computer TEXT, command_line TEXT,\n"
	"  aborted INTEGER NOT NULL,\n"   /* an `action, Abort` record */
	"  ignored INTEGER,\n"            /* last numberOfIgnoredErrors */
	"  errors INTEGER NOT NULL\n"
	");\n"
	"CREATE TABLE progress_error(\n"
	"  log_id INTEGER NOT NULL REFERENCES log_file(id) ON DELETE CASCADE,\n"
	"  seq INTEGER NOT NULL,\n"
	"  line INTEGER NOT NULL, time TEXT,\n"
	"  error TEXT NOT NULL,\n"        /* UnableToApply, UnableToCopy, ... */
	"  path TEXT, action TEXT,\n"     /* action Ignore = skipped because of /c */
	"  win32 INTEGER,\n"
	"  PRIMARY KEY(log_id, seq)\n"
	") WITHOUT ROWID;\n"
	/* Lines the reader did not understand: the first 100 of each log. */
	"CREATE TABLE log_unknown(\n"
	"  log_id INTEGER NOT NULL REFERENCES log_file(id) ON DELETE CASCADE,\n"
	"  line INTEGER NOT NULL,\n"
	"  text TEXT NOT NULL,\n"
	"  PRIMARY KEY(log_id, line)\n"
	") WITHOUT ROWID;\n";

/* usmt-purge's journal: every step is written (planned) before it is carried
 * out, so a purge killed at any instant is resumed by the next one. Dry runs
 * use TEMP copies of these tables and never write the file. */
const char uk_schema_purge[] =
	"CREATE TABLE purge_run(\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  verify_run_id INTEGER,\n"     /* the verify run the gate accepted; NULL for run-pending */
	"  mode TEXT NOT NULL,\n"        /* purge | readonly-only | run-pending */
	"  started TEXT NOT NULL,\n"
	"  finished TEXT,\n"             /* NULL: running or killed; the next purge resumes it */
	"  version TEXT NOT NULL,\n"
	"  command_line TEXT,\n"
	"  force INTEGER NOT NULL DEFAULT 0,\n"
	"  force_data_loss INTEGER NOT NULL DEFAULT 0,\n"
	"  result TEXT,\n"               /* purged | scheduled | readonly-only */
	"  deleted_files INTEGER, deleted_dirs INTEGER, readonly_restored INTEGER,\n"
	"  scheduled INTEGER, kept INTEGER\n"
	");\n"
	"CREATE TABLE purge_run_store(\n"
	"  run_id INTEGER NOT NULL,\n"
	"  store_id INTEGER NOT NULL,\n"
	"  PRIMARY KEY(run_id, store_id)\n"
	") WITHOUT ROWID;\n"
	/* The journal. phase: 1 store entry, 2 folder under USMT/File, 3 USMT/File,
	 * 4 control file, 5 USMT, 6 the store root; carried out in that order
	 * (phase 2 deepest first). */
	"CREATE TABLE purge_step(\n"
	"  run_id INTEGER NOT NULL,\n"
	"  store_id INTEGER NOT NULL,\n"
	"  phase INTEGER NOT NULL,\n"
	"  rel TEXT NOT NULL,\n"          /* phases 1-2: below USMT/File; 3-6: below the store root */
	"  kind TEXT NOT NULL,\n"         /* file | link | other | unknown | dir */
	"  readonly INTEGER NOT NULL DEFAULT 0,\n"   /* recorded before anything is touched */
	"  ro_cleared INTEGER NOT NULL DEFAULT 0,\n"  /* set before read-only is cleared to delete */
	"  state TEXT NOT NULL,\n"        /* planned | done | gone | kept | scheduled */
	"  reason TEXT,\n"
	"  PRIMARY KEY(run_id, store_id, phase, rel)\n"
	") WITHOUT ROWID;\n"
	/* Locked leftovers waiting for a restart, carried out in seq order
	 * (files before their folders). */
	"CREATE TABLE purge_pending(\n"
	"  path TEXT PRIMARY KEY,\n"      /* local path */
	"  run_id INTEGER NOT NULL,\n"
	"  store_id INTEGER NOT NULL,\n"
	"  phase INTEGER NOT NULL,\n"
	"  rel TEXT NOT NULL,\n"
	"  seq INTEGER NOT NULL,\n"
	"  os_scheduled INTEGER NOT NULL,\n" /* 1: handed to the OS (MoveFileExW); 0: --run-pending deletes it */
	"  added TEXT NOT NULL,\n"
	"  last_error TEXT\n"
	");\n";

/* Version 2: the store as usmt-verify --baseline saw it right after ScanState,
 * so later verify runs can tell corruption from an edit. One set of rows per
 * store; a new baseline replaces it in one transaction. `rel` and `hash` are
 * spelled as in entry. */
const char uk_schema_v2_baseline[] =
	"CREATE TABLE baseline(\n"
	"  store_id INTEGER NOT NULL REFERENCES store(id),\n"
	"  rel TEXT NOT NULL,\n"
	"  size INTEGER NOT NULL,\n"
	"  mtime INTEGER,\n"
	"  readonly INTEGER NOT NULL,\n"
	"  hash TEXT NOT NULL,\n"
	"  machine TEXT,\n"
	"  taken_at TEXT NOT NULL,\n"
	"  PRIMARY KEY(store_id, rel)\n"
	") WITHOUT ROWID;\n";

/* Version 3, usmt-purge: a locked leftover's pending row records what was at
 * its path when it was scheduled (identity, type, size, mtime), so
 * --run-pending deletes only that and keeps whatever was put there since.
 * ALTER TABLE only: the dry run's TEMP copies of the journal apply the same
 * statements (purge/journal.c). */
const char uk_schema_v3_purge[] =
	"ALTER TABLE purge_pending ADD COLUMN fid TEXT;\n"     /* uk_fid_str() when scheduled */
	"ALTER TABLE purge_pending ADD COLUMN type TEXT;\n"    /* file | link | dir | other */
	"ALTER TABLE purge_pending ADD COLUMN size INTEGER;\n" /* files and links */
	"ALTER TABLE purge_pending ADD COLUMN mtime INTEGER;\n";

/* 2 -> 3 for a pending list written by version 2: a store entry gets the
 * identity and type its verify run recorded (the purge had re-checked them
 * right before it tried to delete it); its size and mtime stay unknown (a
 * linked entry's may have moved with the restored file). Folders and control
 * files scheduled by version 2 have no recorded identity. */
const char uk_schema_v3_fill[] =
	"UPDATE purge_pending AS pp SET fid = e.fid, type = e.type\n"
	"  FROM purge_run r, entry e WHERE pp.phase = 1 AND r.id = pp.run_id AND "
	"  e.run_id = r.verify_run_id AND e.store_id = pp.store_id AND e.rel = pp.rel AND "
	"  e.fid IS NOT NULL;\n";
