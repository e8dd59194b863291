/* Schema version 1. Each tool owns its part; docs/DATABASE.md explains it.
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
	"CREATE INDEX entry_win ON entry(run_id, win_path COLLATE NOCASE);\n"
	/* Store directories, so purge can remove them bottom-up. */
	"CREATE TABLE entry_dir(\n"
	"  run_id INTEGER NOT NULL REFERENCES verify_run(id),\n"
	"  store_id INTEGER NOT NULL REFERENCES store(id),\n"
	"  rel TEXT NOT NULL,\n"
	"  PRIMARY KEY(run_id, store_id, rel)\n"
	") WITHOUT ROWID;\n";

const char uk_schema_report[] = "";

const char uk_schema_purge[] = "";
