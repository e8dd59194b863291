/* usmt-rescue: options -> uk_rescue_opts -> uk_rescue_main (run.c). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmdline.h"
#include "entry.h"
#include "exitcode.h"
#include "out.h"
#include "rescue.h"

static const char usage[] =
"Usage: usmt-rescue [options] STORE DEST\n"
"Copy the user data only the store still holds to other media (a USB disk, a\n"
"mounted share): by default every sole copy and every missing, modified or\n"
"corrupt entry of the last finished usmt-verify run, to DEST/<machine>/C$/...\n"
"Each copy is verified against the recorded hash; a re-run resumes.\n"
"\n"
"  --all                 every file of the store (without a verify run: walk it)\n"
"  --same-volume         allow DEST on the store's own volume (that is no rescue)\n"
"  --db FILE             database (default: STORE.usmtkit.db beside the store)\n"
"  --json                print one JSON object\n"
"  --log FILE            append CMTrace lines to FILE\n"
"  --progress, --no-progress   progress line on stderr (default: on a terminal)\n"
"  -q, --quiet           no informational lines on stderr\n"
"  -h, --help            this help;  -V, --version   the version\n"
"\n"
"Exit: 0 all copied and verified, 1 some failed, partial (disk full) or refused,\n"
"2 usage or not a store, 3 runtime error. See docs/usmt-rescue.md.\n";

enum { OPT_ALL = 256, OPT_SAME_VOLUME, OPT_DB, OPT_JSON, OPT_LOG, OPT_PROGRESS, OPT_NO_PROGRESS };

static const struct option longopts[] = {
	{ "all", no_argument, NULL, OPT_ALL },
	{ "same-volume", no_argument, NULL, OPT_SAME_VOLUME },
	{ "db", required_argument, NULL, OPT_DB },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "log", required_argument, NULL, OPT_LOG },
	{ "progress", no_argument, NULL, OPT_PROGRESS },
	{ "no-progress", no_argument, NULL, OPT_NO_PROGRESS },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

static int rescue_main(int argc, char **argv)
{
	uk_rescue_opts o = { 0 };
	uk_rescue r;
	const char *log_path = NULL;
	char eb[128];
	int c, progress = -1, rc = UK_EXIT_USAGE;

	memset(&r, 0, sizeof(r));
	uk_out_init("usmt-rescue");
	/* Before getopt_long permutes argv. */
	o.command_line = uk_cmdline_join(argc, argv);
	if (!o.command_line) {
		uk_error("out of memory");
		rc = UK_EXIT_RUNTIME;
		goto out;
	}
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":qhV", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_ALL: o.all = 1; break;
		case OPT_SAME_VOLUME: o.same_volume = 1; break;
		case OPT_DB: o.db = optarg; break;
		case OPT_JSON: o.json = 1; break;
		case OPT_LOG: log_path = optarg; break;
		case OPT_PROGRESS: progress = 1; break;
		case OPT_NO_PROGRESS: progress = 0; break;
		case 'q': uk_out_quiet(1); break;
		case 'h':
			fputs(usage, stdout);
			rc = UK_EXIT_OK;
			goto out;
		case 'V':
			printf("usmt-rescue %s\n", UK_VERSION);
			rc = UK_EXIT_OK;
			goto out;
		case ':':
			uk_error("option '%s' needs a value (see --help)", argv[optind - 1]);
			goto out;
		default:
			uk_error("unknown option '%s' (see --help)", argv[optind - 1]);
			goto out;
		}
	}
	if (argc - optind != 2) {
		uk_error("%s (see --help)", argc - optind < 1 ? "no STORE and DEST given" :
		         argc - optind < 2 ? "no DEST given" : "too many arguments: STORE DEST");
		goto out;
	}
	if (o.db && !*o.db) {
		uk_error("option '--db' needs a value (see --help)");
		goto out;
	}
	o.store = argv[optind];
	o.dest = argv[optind + 1];
	uk_out_progress(progress);
	if (log_path && (rc = uk_out_open_log(log_path)) != 0) {
		uk_error("--log %s: cannot open it for appending: %s", log_path,
		         uk_fs_strerror(rc, eb, sizeof(eb)));
		rc = UK_EXIT_USAGE;
		goto out;
	}
	rc = uk_rescue_main(&o, &r);
	uk_rescue_free(&r);
out:
	uk_out_close();
	free(o.command_line);
	return rc;
}

UK_ENTRY(rescue_main)
