/* usmt-purge: options -> uk_purge_opts -> uk_purge_main (run.c). */
#include <getopt.h>
#include <stdarg.h>
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
	"running) or kept (the store is still there: changed entries, sole copies,\n"
	"--no-schedule leftovers), 2 usage or not a store, 3 runtime failure,\n"
	"%d leftovers scheduled for deletion at restart.\n"
	"See docs/usmt-purge.md.\n";

enum {
	OPT_DB = 256, OPT_DRY_RUN, OPT_FORCE, OPT_NO_SCHEDULE, OPT_READONLY_ONLY,
	OPT_RUN_PENDING, OPT_ALL_VOLUMES, OPT_JSON, OPT_LOG, OPT_PROGRESS, OPT_NO_PROGRESS
};

/* --force and --force-data-loss share a value so that getopt_long takes an
 * abbreviation of both ("--forc") as the first, --force; the index tells
 * them apart. */
static const struct option longopts[] = {
	{ "db", required_argument, NULL, OPT_DB },
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "force-data-loss", no_argument, NULL, OPT_FORCE },
	{ "no-schedule", no_argument, NULL, OPT_NO_SCHEDULE },
	{ "readonly-only", no_argument, NULL, OPT_READONLY_ONLY },
	{ "run-pending", no_argument, NULL, OPT_RUN_PENDING },
	{ "all-volumes", no_argument, NULL, OPT_ALL_VOLUMES },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "log", required_argument, NULL, OPT_LOG },
	{ "progress", no_argument, NULL, OPT_PROGRESS },
	{ "no-progress", no_argument, NULL, OPT_NO_PROGRESS },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};
#define UK_OPT_FORCE_DATA_LOSS 3 /* its index in longopts */

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

/* The option as written: "--db" of "--db=", for the messages. */
static int opt_len(const char *a)
{
	return (int)strcspn(a, "=");
}

/* 0 parsed, -1 done (help/version printed), else an exit code. */
static int parse(int argc, char **argv, uk_purge_opts *o)
{
	int c, idx;

	o->progress = -1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":qhV", longopts, &idx)) != -1) {
		const char **dst = NULL;
		switch (c) {
		case OPT_DB: dst = &o->db; break;
		case OPT_LOG: dst = &o->log; break;
		case OPT_DRY_RUN: o->dry_run = 1; break;
		case OPT_FORCE:
			if (idx == UK_OPT_FORCE_DATA_LOSS)
				o->force_data_loss = 1;
			else
				o->force = 1;
			break;
		case OPT_NO_SCHEDULE: o->no_schedule = 1; break;
		case OPT_READONLY_ONLY: o->readonly_only = 1; break;
		case OPT_RUN_PENDING: o->run_pending = 1; break;
		case OPT_ALL_VOLUMES: o->all_volumes = 1; break;
		case OPT_JSON: o->json = 1; break;
		case OPT_PROGRESS: o->progress = 1; break;
		case OPT_NO_PROGRESS: o->progress = 0; break;
		case 'q': o->quiet = 1; break;
		case 'h':
			printf(usage, UK_EXIT_REBOOT);
			return -1;
		case 'V':
			printf("usmt-purge %s\n", UK_VERSION);
			return -1;
		case ':':
			return bad("option '%.*s' needs a value", opt_len(argv[optind - 1]),
			           argv[optind - 1]);
		default:
			if (strncmp(argv[optind - 1], "--", 2) == 0 && strchr(argv[optind - 1], '='))
				return bad("option '%.*s' takes no value", opt_len(argv[optind - 1]),
				           argv[optind - 1]);
			return bad("unknown option '%s'", argv[optind - 1]);
		}
		if (dst && !*optarg)
			return bad("option '%.*s' needs a value", opt_len(argv[optind - 1]),
			           argv[optind - 1]);
		if (dst)
			*dst = optarg;
	}
	o->stores = argv + optind;
	o->nstores = (size_t)(argc - optind);
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
	char **volumes = NULL; /* --all-volumes' list */
	size_t nvolumes = 0;
	int rc;

	memset(&o, 0, sizeof(o));
	uk_out_init("usmt-purge");
	/* Before getopt_long permutes argv. */
	o.command_line = uk_cmdline_join(argc, argv);
	if (!o.command_line) {
		uk_error("out of memory");
		return UK_EXIT_RUNTIME;
	}
	rc = parse(argc, argv, &o);
	if (rc != 0)
		goto out;
	if (o.all_volumes) {
		rc = uk_store_all_volumes(o.stores, o.nstores, &volumes, &nvolumes);
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
	rc = uk_purge_main(&o, &p);
	uk_purge_free(&p);
out:
	uk_out_close();
	free(o.command_line);
	uk_store_list_free(volumes, nvolumes);
	return rc < 0 ? UK_EXIT_OK : rc;
}

UK_ENTRY(purge_main)
