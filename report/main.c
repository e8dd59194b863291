/* usmt-report: options -> uk_report_opts -> uk_report_run(). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "entry.h"
#include "exitcode.h"
#include "out.h"
#include "report.h"

static const char usage[] =
"Usage: usmt-report [options] [LOG...]\n"
"       usmt-report --merge [options] DB...\n"
"Reads LoadState/ScanState logs and /progress logs (any encoding, appended\n"
"runs) and the usmt-verify database, and says whether deleting the store is\n"
"safe: risk none, medium, high or critical, and which user files are at risk.\n"
"\n"
"  --db FILE             database to store the logs in and read verdicts from\n"
"  --store STORE         use STORE.usmtkit.db (the database usmt-verify wrote)\n"
"                        (without either: the logs alone, nothing kept)\n"
"  --format FMT          text (default), json, jsonl, csv, html or cmtrace\n"
"  --output FILE         write the report to FILE instead of stdout\n"
"  --merge               the arguments are databases of many machines: one row a\n"
"                        machine and the fleet totals\n"
"  -h, --help            this help;  -V, --version   the version\n"
"\n"
"Exit: 0 no risk, 1 risk found, 2 usage error or unreadable input, 3 database error.\n";

enum { OPT_DB = 256, OPT_STORE, OPT_FORMAT, OPT_OUTPUT, OPT_MERGE };

static const struct option longopts[] = {
	{ "db", required_argument, NULL, OPT_DB },
	{ "store", required_argument, NULL, OPT_STORE },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "output", required_argument, NULL, OPT_OUTPUT },
	{ "merge", no_argument, NULL, OPT_MERGE },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

static int parse_format(const char *s)
{
	static const char *const names[] = { "text", "json", "csv", "html", "cmtrace", "jsonl" };

	for (int i = 0; i < (int)(sizeof names / sizeof names[0]); i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

static int report_main(int argc, char **argv)
{
	uk_report_opts o = { 0 };
	int c;

	uk_out_init("usmt-report");
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hV", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_DB: o.db = optarg; break;
		case OPT_STORE: o.store = optarg; break;
		case OPT_OUTPUT: o.output = optarg; break;
		case OPT_MERGE: o.merge = 1; break;
		case OPT_FORMAT:
			if ((o.format = parse_format(optarg)) < 0) {
				uk_error("--format '%s': expected text, json, jsonl, csv, html or cmtrace",
				         optarg);
				return UK_EXIT_USAGE;
			}
			break;
		case 'h':
			fputs(usage, stdout);
			return UK_EXIT_OK;
		case 'V':
			printf("usmt-report %s\n", UK_VERSION);
			return UK_EXIT_OK;
		case ':':
			uk_error("option '%s' needs a value (see --help)", argv[optind - 1]);
			return UK_EXIT_USAGE;
		default:
			uk_error("unknown option '%s' (see --help)", argv[optind - 1]);
			return UK_EXIT_USAGE;
		}
	}
	o.args = argv + optind;
	o.nargs = argc - optind;
	if (o.db && o.store) {
		uk_error("give --db or --store, not both");
		return UK_EXIT_USAGE;
	}
	if (o.merge && (o.db || o.store)) {
		uk_error("--merge takes the databases as arguments, not --db/--store");
		return UK_EXIT_USAGE;
	}
	if (o.nargs == 0 && !o.db && !o.store) {
		uk_error(o.merge ? "--merge: no database given (see --help)"
		                 : "nothing to report: give logs, --db or --store (see --help)");
		return UK_EXIT_USAGE;
	}
	return uk_report_run(&o);
}

UK_ENTRY(report_main)
