/* The result on stdout: one JSON object (--json) or a short text, the
 * outcome first, then the files that could not be rescued and why. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "out.h"
#include "rescue.h"

void uk_rescue_note_failed(uk_rescue *r, const char *rel, const char *why)
{
	char line[1200];

	snprintf(line, sizeof(line), "%s: %s", rel, why);
	if (r->nfail_list < UK_RESCUE_LIST) {
		r->fail_list[r->nfail_list++] = uk_out_escape(line);
		uk_warn("%s", line);
	} else {
		uk_log(UK_WARN, "%s", line);
	}
}

static void json_out(const uk_rescue *r, int exit_code)
{
	double s = uk_fs_monotonic() - r->t0;

	printf("{\"tool\":\"usmt-rescue\",\"version\":\"%s\",\"result\":", UK_VERSION);
	uk_json_str(stdout, r->result);
	printf(",\"reason\":");
	uk_json_str(stdout, r->reason[0] ? r->reason : NULL);
	printf(",\"copied\":%" PRIu64 ",\"skipped_done\":%" PRIu64 ",\"failed\":%" PRIu64
	       ",\"bytes\":%" PRIu64 ",\"seconds\":%.3f,\"dest\":", r->copied, r->skipped_done,
	       r->failed, r->bytes, s);
	uk_json_str(stdout, r->dest ? r->dest : r->o->dest);
	printf(",\"machine\":");
	uk_json_str(stdout, r->machine);
	printf(",\"store\":");
	uk_json_str(stdout, r->have_store ? r->store.path : r->o->store);
	printf(",\"verify_run\":");
	if (r->verify_run)
		printf("%lld", (long long)r->verify_run);
	else
		printf("null");
	printf(",\"journal\":");
	uk_json_str(stdout, r->j_path);
	printf(",\"exit_code\":%d}\n", exit_code);
}

static void text_out(const uk_rescue *r, int exit_code)
{
	char b[32];

	if (strcmp(r->result, "refused") == 0) {
		printf("usmt-rescue: refused: %s\nNothing was copied.\n", r->reason);
		return;
	}
	printf("usmt-rescue: %s\n", r->result);
	printf("%-15s%s\n", "store", r->store.path);
	printf("%-15s%s\n", "copied to", r->base);
	printf("%-15s%" PRIu64 " files, %s, each verified\n", "copied", r->copied,
	       uk_out_bytes(r->bytes, b));
	printf("%-15s%" PRIu64 " files (done by an earlier run)\n", "already done",
	       r->skipped_done);
	printf("%-15s%" PRIu64 " files%s\n", "failed", r->failed, r->failed ? ":" : "");
	for (size_t i = 0; i < r->nfail_list; i++)
		printf("  %s\n", r->fail_list[i]);
	if (r->failed > r->nfail_list)
		printf("  ... and %" PRIu64 " more (all of them in --log)\n",
		       r->failed - r->nfail_list);
	if (r->stopped)
		printf("Stopped: %s\nFree space on DEST and run the same command again: it "
		       "carries on where it stopped.\n", r->reason);
	else if (exit_code != 0)
		printf("Not everything was rescued (exit %d): the store still holds the only copy "
		       "of the failed files.\n", exit_code);
}

void uk_rescue_print(const uk_rescue *r, int exit_code)
{
	if (r->o->json)
		json_out(r, exit_code);
	else if (r->result)
		text_out(r, exit_code);
	fflush(stdout);
}
