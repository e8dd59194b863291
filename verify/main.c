/* usmt-verify: options -> uk_verify_opts -> uk_verify_run(). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmdline.h"
#include "entry.h"
#include "exitcode.h"
#include "out.h"
#include "baseline.h"
#include "verify.h"

static const char usage[] =
"Usage: usmt-verify [options] STORE...\n"
"Checks every file of a USMT hard-link (or uncompressed) store against its\n"
"restored file: linked, identical, modified, missing, unreadable or excluded.\n"
"\n"
"  --exclude PATTERN     do not judge files matching a MigXML pattern (repeatable),\n"
"                        e.g. 'C:\\Users\\* [ntuser.dat.LOG*]'\n"
"  --exclude-from FILE   exclusion patterns, one a line\n"
"  --config FILE         Config.xml: report its HardLinkStoreControl rule for copies\n"
"  --db FILE             database (default: STORE.usmtkit.db beside the first store)\n"
"  --root X=DIR          drive X: is restored under DIR (POSIX; repeatable)\n"
"  --map FROM=TO         rewrite a Windows path prefix (repeatable, first match wins)\n"
"  --threads N           hashing threads (default: online CPUs)\n"
"  --hash=auto|always    auto: hash only where file identity does not decide\n"
"  --repair              re-create missing restored files as hard links (same volume)\n"
"  --baseline            record every store file (size, time, XXH3-128) right after\n"
"                        ScanState; later runs then find corrupt and lost files\n"
"  --rehash              read linked files too and compare them with the baseline\n"
"  --all-volumes         also the same-named store on every other fixed volume (Windows)\n"
"  --json                print one JSON object\n"
"  --log FILE            append CMTrace lines to FILE\n"
"  --progress, --no-progress   progress line on stderr (default: on a terminal)\n"
"  -q, --quiet           no informational lines on stderr\n"
"  -h, --help            this help;  -V, --version   the version\n"
"\n"
"Exit: 0 nothing at risk, 1 files at risk, 2 usage or not a store, 3 runtime error.\n";

enum {
	OPT_EXCLUDE = 256, OPT_EXCLUDE_FROM, OPT_CONFIG, OPT_DB, OPT_ROOT, OPT_MAP,
	OPT_THREADS, OPT_HASH, OPT_REPAIR, OPT_ALL_VOLUMES, OPT_JSON, OPT_LOG, OPT_PROGRESS, OPT_NO_PROGRESS,
	OPT_BASELINE, OPT_REHASH
};

static const struct option longopts[] = {
	{ "exclude", required_argument, NULL, OPT_EXCLUDE },
	{ "exclude-from", required_argument, NULL, OPT_EXCLUDE_FROM },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "db", required_argument, NULL, OPT_DB },
	{ "root", required_argument, NULL, OPT_ROOT },
	{ "map", required_argument, NULL, OPT_MAP },
	{ "threads", required_argument, NULL, OPT_THREADS },
	{ "hash", required_argument, NULL, OPT_HASH },
	{ "repair", no_argument, NULL, OPT_REPAIR },
	{ "baseline", no_argument, NULL, OPT_BASELINE },
	{ "rehash", no_argument, NULL, OPT_REHASH },
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

/* "--opt: reason" so the user knows which argument was wrong. */
static void prefix(char *err, size_t n, const char *opt)
{
	size_t len = strlen(opt) + 2;

	if (len + strlen(err) + 1 > n)
		return;
	memmove(err + len, err, strlen(err) + 1);
	memcpy(err, opt, len - 2);
	memcpy(err + len - 2, ": ", 2);
}

static int parse_threads(const char *s, unsigned *out)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (end == s || *end || v < 1 || v > 256)
		return -1;
	*out = (unsigned)v;
	return 0;
}

static int verify_main(int argc, char **argv)
{
	uk_verify_opts o = { 0 };
	uk_config config;
	const char *config_path = NULL, *log_path = NULL;
	char err[1024];
	int c, progress = -1, rc = UK_EXIT_USAGE, have_config = 0, all_volumes = 0;
	char **volumes = NULL;
	size_t nvolumes = 0;

	uk_out_init("usmt-verify");
	o.exclude = uk_patternset_new();
	o.map = uk_pathmap_new();
	o.threads = uk_fs_cpu_count();
	/* Before getopt_long permutes argv. */
	o.command_line = uk_cmdline_join(argc, argv);
	if (!o.exclude || !o.map || !o.command_line) {
		uk_error("out of memory");
		rc = UK_EXIT_RUNTIME;
		goto out;
	}
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":qhV", longopts, NULL)) != -1) {
		err[0] = '\0';
		switch (c) {
		case OPT_EXCLUDE:
			if (uk_patternset_add(o.exclude, optarg, err, sizeof(err)) != 0)
				prefix(err, sizeof(err), "--exclude");
			break;
		case OPT_EXCLUDE_FROM:
			uk_patternset_add_file(o.exclude, optarg, err, sizeof(err));
			break;
		case OPT_CONFIG: config_path = optarg; break;
		case OPT_DB: o.db_path = optarg; break;
		case OPT_ROOT: uk_pathmap_add_root(o.map, optarg, err, sizeof(err)); break;
		case OPT_MAP: uk_pathmap_add_map(o.map, optarg, err, sizeof(err)); break;
		case OPT_THREADS:
			if (parse_threads(optarg, &o.threads))
				snprintf(err, sizeof(err), "--threads '%s': expected a number from 1 "
				         "to 256", optarg);
			break;
		case OPT_HASH:
			if (strcmp(optarg, "auto") == 0 || strcmp(optarg, "always") == 0)
				o.hash_always = optarg[1] == 'l';
			else
				snprintf(err, sizeof(err), "--hash '%s': expected auto or always", optarg);
			break;
		case OPT_REPAIR: o.repair = 1; break;
		case OPT_BASELINE: o.baseline = 1; break;
		case OPT_REHASH: o.rehash = 1; break;
		case OPT_ALL_VOLUMES: all_volumes = 1; break;
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
			printf("usmt-verify %s\n", UK_VERSION);
			rc = UK_EXIT_OK;
			goto out;
		case ':':
			snprintf(err, sizeof(err), "option '%s' needs a value (see --help)",
			         argv[optind - 1]);
			break;
		default:
			snprintf(err, sizeof(err), "unknown option '%s' (see --help)",
			         argv[optind - 1]);
			break;
		}
		if (err[0]) {
			uk_error("%s", err);
			goto out;
		}
	}
	if (optind >= argc) {
		uk_error("no STORE given (see --help)");
		goto out;
	}
	if (o.baseline && o.repair) {
		uk_error("--repair: a baseline reads the store only, it repairs nothing");
		goto out;
	}
	o.stores = argv + optind;
	o.nstores = (size_t)(argc - optind);
	if (all_volumes) {
		rc = uk_store_all_volumes(argv + optind, o.nstores, &volumes, &nvolumes);
		if (rc != UK_EXIT_OK)
			goto out;
		rc = UK_EXIT_USAGE;
		o.stores = volumes;
		o.nstores = nvolumes;
	}
	uk_out_progress(progress);
	if (log_path && uk_out_open_log(log_path) != 0) {
		uk_error("--log %s: cannot open it for appending", log_path);
		goto out;
	}
	if (config_path) {
		if (uk_config_load(config_path, &config, err, sizeof(err)) != 0) {
			uk_error("%s", err);
			goto out;
		}
		have_config = 1;
		o.config = &config;
	}
	rc = o.baseline ? uk_baseline_take(&o) : uk_verify_run(&o);
out:
	if (have_config)
		uk_config_free(&config);
	uk_patternset_free(o.exclude);
	uk_pathmap_free(o.map);
	free(o.command_line);
	uk_store_list_free(volumes, nvolumes);
	uk_out_close();
	return rc;
}

UK_ENTRY(verify_main)
