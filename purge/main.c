/* usmt-purge: options -> uk_purge_opts -> uk_purge_main (run.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmdline.h"
#include "entry.h"
#include "exitcode.h"
#include "out.h"
#include "purge.h"
#include "store.h"

static const char usage[] =
	"Usage: usmt-purge [options] STORE...\n"
	"Delete a USMT hard-link migration store without losing a byte: only after a\n"
	"finished usmt-verify run found nothing at risk, each entry re-checked first.\n"
	"\n"
	"  --db FILE          the usmtkit database (default: first STORE + .usmtkit.db)\n"
	"  --dry-run          print the plan (deleted, kept, read-only re-applied); change nothing\n"
	"  --force            purge although verify found files at risk; sole copies are kept\n"
	"  --force-data-loss  with --force: delete sole copies too (their data is LOST)\n"
	"  --no-schedule      leave locked leftovers in place instead of scheduling them\n"
	"  --readonly-only    re-apply the recorded read-only attributes; delete nothing\n"
	"  --run-pending      delete the leftovers scheduled by an earlier purge (at boot)\n"
	"  --all-volumes      also the same-named store on every other fixed volume (Windows)\n"
	"  --json             print one JSON object\n"
	"  --log FILE         append CMTrace lines to FILE\n"
	"  --progress, --no-progress   progress line on stderr (default: on a terminal)\n"
	"  -q, --quiet        no informational messages\n"
	"  -h, --help; -V, --version\n"
	"\n"
	"Exit: 0 purged, 1 refused (verify found risk, no verify run, another purge\n"
	"running), 2 usage or not a store, 3 runtime failure or leftovers left by\n"
	"--no-schedule, " "%d leftovers scheduled for deletion at restart.\n"
	"See docs/usmt-purge.md.\n";

static int bad(const char *fmt, ...) UK_PRINTF(1, 2);
static int bad(const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	uk_error("%s (see --help)", msg);
	return UK_EXIT_USAGE;
}

/* 0 parsed, -1 done (help/version printed), else an exit code. */
static int parse(int argc, char **argv, uk_purge_opts *o)
{
	static const struct { const char *name; size_t off; } flags[] = {
		{ "--dry-run", offsetof(uk_purge_opts, dry_run) },
		{ "--force", offsetof(uk_purge_opts, force) },
		{ "--force-data-loss", offsetof(uk_purge_opts, force_data_loss) },
		{ "--no-schedule", offsetof(uk_purge_opts, no_schedule) },
		{ "--readonly-only", offsetof(uk_purge_opts, readonly_only) },
		{ "--run-pending", offsetof(uk_purge_opts, run_pending) },
		{ "--json", offsetof(uk_purge_opts, json) },
		{ "--all-volumes", offsetof(uk_purge_opts, all_volumes) },
	};
	int i, only_stores = 0;
	size_t k;

	o->progress = -1;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *val = NULL;
		const char **dst = NULL;
		if (only_stores || a[0] != '-' || a[1] == '\0') {
			o->stores[o->nstores++] = argv[i];
			continue;
		}
		if (strcmp(a, "--") == 0) {
			only_stores = 1;
			continue;
		}
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			printf(usage, UK_EXIT_REBOOT);
			return -1;
		}
		if (strcmp(a, "--version") == 0 || strcmp(a, "-V") == 0) {
			printf("usmt-purge %s\n", UK_VERSION);
			return -1;
		}
		if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
			o->quiet = 1;
			continue;
		}
		if (strcmp(a, "--progress") == 0 || strcmp(a, "--no-progress") == 0) {
			o->progress = a[2] == 'p';
			continue;
		}
		for (k = 0; k < sizeof(flags) / sizeof(flags[0]); k++)
			if (strcmp(a, flags[k].name) == 0)
				break;
		if (k < sizeof(flags) / sizeof(flags[0])) {
			*(int *)((char *)o + flags[k].off) = 1;
			continue;
		}
		if (strncmp(a, "--db", 4) == 0 && (a[4] == '\0' || a[4] == '='))
			dst = &o->db;
		else if (strncmp(a, "--log", 5) == 0 && (a[5] == '\0' || a[5] == '='))
			dst = &o->log;
		if (!dst)
			return bad("unknown option '%s'", a);
		val = strchr(a, '=') ? strchr(a, '=') + 1 : (i + 1 < argc ? argv[++i] : NULL);
		if (!val || !*val)
			return bad("option '%.*s' needs a value", (int)strcspn(a, "="), a);
		*dst = val;
	}
	if (o->nstores == 0)
		return bad("no STORE given");
	if (o->force_data_loss && !o->force)
		return bad("--force-data-loss only goes with --force");
	if (o->readonly_only + o->run_pending > 1)
		return bad("--readonly-only and --run-pending do not go together");
	if ((o->readonly_only || o->run_pending) && o->force)
		return bad("--force does not go with %s",
		           o->readonly_only ? "--readonly-only" : "--run-pending");
	return 0;
}

static int purge_main(int argc, char **argv)
{
	uk_purge_opts o;
	uk_purge p;
	char **args, **volumes = NULL; /* the STORE arguments; --all-volumes' list */
	size_t nvolumes = 0;
	int rc;

	memset(&o, 0, sizeof(o));
	uk_out_init("usmt-purge");
	o.stores = args = calloc((size_t)argc, sizeof(char *));
	if (!args) {
		uk_error("out of memory");
		return UK_EXIT_RUNTIME;
	}
	rc = parse(argc, argv, &o);
	if (rc != 0)
		goto out;
	if (o.all_volumes) {
		rc = uk_store_all_volumes(args, o.nstores, &volumes, &nvolumes);
		if (rc != UK_EXIT_OK)
			goto out;
		o.stores = volumes;
		o.nstores = nvolumes;
	}
	uk_out_quiet(o.quiet);
	uk_out_progress(o.progress);
	if (o.log && (rc = uk_out_open_log(o.log)) != 0) {
		char eb[128];
		uk_error("--log %s: cannot open it for appending: %s", o.log,
		         uk_fs_strerror(rc, eb, sizeof(eb)));
		rc = UK_EXIT_USAGE;
		goto out;
	}
	o.command_line = uk_cmdline_join(argc, argv);
	rc = uk_purge_main(&o, &p);
	uk_purge_free(&p);
out:
	uk_out_close();
	free(o.command_line);
	free(args);
	uk_store_list_free(volumes, nvolumes);
	return rc < 0 ? UK_EXIT_OK : rc;
}

UK_ENTRY(purge_main)
