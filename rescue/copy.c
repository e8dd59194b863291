/* One file: written under a temporary name in its target folder, hashed
 * while written, flushed, given the source's modification time and
 * read-only attribute, checked against the recorded hash (or, without one,
 * a re-read of what was written), and only then renamed to its name. A
 * mismatch is tried once more, then reported: never left looking complete. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "out.h"
#include "rescue.h"

#define CHUNK (1u << 20)

static void progress(uk_rescue *r)
{
	double s = uk_fs_monotonic() - r->t0, rate = s > 0 ? (double)r->done_bytes / s : 0;
	uint64_t left = r->todo_bytes > r->done_bytes ? r->todo_bytes - r->done_bytes : 0;
	unsigned long eta = rate > 0 ? (unsigned long)((double)left / rate) : 0;
	char b1[32], b2[32], b3[32];

	uk_progress("copying %s of %s, %" PRIu64 "/%" PRIu64 " files, %s/s, ETA %lu:%02lu:%02lu",
	            uk_out_bytes(r->done_bytes, b1), uk_out_bytes(r->todo_bytes, b2),
	            r->done_files, r->todo_files, uk_out_bytes((unsigned long long)rate, b3),
	            eta / 3600, eta / 60 % 60, eta % 60);
}

static int classify(int err)
{
	return uk_fs_err_nospace(err) ? UK_RESCUE_FULL : UK_RESCUE_FAILED;
}

/* Source -> tmp, hashed on the way; *bytes: how much was written. */
static int one_pass(uk_rescue *r, const uk_rescue_item *it, const char *src, const char *tmp,
                    uk_hash128 *h, uint64_t *bytes, char *why, size_t whylen)
{
	char fid[UK_FID_STRLEN];
	uk_hash_stream *hs = uk_hash_stream_new();
	uk_file *in = NULL;
	uk_wfile *out = NULL;
	uk_stat st;
	int64_t sec;
	long nsec;
	char eb[128];
	size_t got;
	int err, e2, rc = UK_RESCUE_FAILED;

	*bytes = 0;
	if (!hs) {
		snprintf(why, whylen, "out of memory");
		return UK_RESCUE_FATAL;
	}
	if ((err = uk_fs_open_read(src, &in, &st)) != 0 ||
	    (err = uk_fs_mtime_ns(src, &sec, &nsec)) != 0) {
		snprintf(why, whylen, "cannot read it: %s", uk_fs_strerror(err, eb, sizeof(eb)));
		goto out;
	}
	/* No hash to check the copy against: then only the file verify saw
	 * (its identity, and its time) is what verify judged to need saving --
	 * not one put in its place, nor one reached through a swapped folder. */
	if (!it->hash && it->fid && (uk_fid_str(&st.id, fid), strcmp(fid, it->fid) != 0)) {
		snprintf(why, whylen, "changed since verify: the store entry is another file now; "
		         "not copied");
		goto out;
	}
	if (!it->hash && it->has_mtime && st.mtime != it->mtime) {
		snprintf(why, whylen, "changed since verify: its modification time differs and no "
		         "hash was recorded to compare; not copied");
		goto out;
	}
	if ((err = uk_fs_create(tmp, &out)) != 0) {
		snprintf(why, whylen, "cannot create %s: %s", tmp,
		         uk_fs_strerror(err, eb, sizeof(eb)));
		rc = classify(err);
		goto out;
	}
	for (;;) {
		if ((err = uk_fs_read(in, r->buf, CHUNK, &got)) != 0) {
			snprintf(why, whylen, "reading it: %s", uk_fs_strerror(err, eb, sizeof(eb)));
			goto out;
		}
		if (got == 0)
			break;
		uk_hash_stream_update(hs, r->buf, got);
		if ((err = uk_fs_write(out, r->buf, got)) != 0) {
			snprintf(why, whylen, "writing %s: %s", tmp, uk_fs_strerror(err, eb, sizeof(eb)));
			rc = classify(err);
			goto out;
		}
		*bytes += got;
		r->done_bytes += got;
		progress(r);
	}
	err = uk_fs_flush(out);
	if (!err)
		err = uk_fs_wset_meta(out, sec, nsec, st.readonly);
	e2 = uk_fs_wclose(out);
	out = NULL;
	if (!err)
		err = e2;
	if (err) {
		snprintf(why, whylen, "writing %s: %s", tmp, uk_fs_strerror(err, eb, sizeof(eb)));
		rc = classify(err);
		goto out;
	}
	uk_hash_stream_digest(hs, h);
	rc = UK_RESCUE_COPIED;
out:
	uk_fs_wclose(out);
	uk_fs_close(in);
	uk_hash_stream_free(hs);
	return rc;
}

/* Removes a temporary file; 0 when it is gone (or was never there). */
static int drop(const char *tmp)
{
	int err = uk_fs_unlink(tmp);

	return err && !uk_fs_err_notfound(err) ? err : 0;
}

int uk_rescue_copy(uk_rescue *r, const uk_rescue_item *it, const char *src, const char *dst,
                   char hash[UK_HASH_STRLEN], char *why, size_t whylen)
{
	char *dir = uk_path_parent(dst), *tmp = dir ? uk_path_join(dir, UK_RESCUE_TMP) : NULL;
	char *real = NULL;
	char got[UK_HASH_STRLEN], back[UK_HASH_STRLEN], eb[128];
	uk_hash128 h, h2;
	uint64_t bytes = 0, reread;
	int attempt, err, rc = UK_RESCUE_FATAL;

	if (!tmp) {
		snprintf(why, whylen, "out of memory");
		goto out;
	}
	if ((err = uk_fs_mkdir_p(dir)) != 0) {
		snprintf(why, whylen, "cannot create the folder %s: %s", dir,
		         uk_fs_strerror(err, eb, sizeof(eb)));
		rc = classify(err);
		goto out;
	}
	/* A folder in DEST that is a link leads elsewhere: the store, maybe. */
	if ((err = uk_fs_realpath(dir, &real)) != 0 || !uk_rescue_inside(r->base_real, real)) {
		snprintf(why, whylen, "the folder %s leads %s%s (a symbolic link?): not copied", dir,
		         err ? "nowhere it can resolve" : "outside DEST to ", err ? "" : real);
		rc = UK_RESCUE_FAILED;
		goto out;
	}
	for (attempt = 0; attempt < 2; attempt++) {
		/* Left by a run that was killed while writing here. */
		if ((err = drop(tmp)) != 0) {
			snprintf(why, whylen, "cannot remove the unfinished %s: %s", tmp,
			         uk_fs_strerror(err, eb, sizeof(eb)));
			rc = UK_RESCUE_FAILED;
			goto out;
		}
		r->done_bytes -= bytes;
		rc = one_pass(r, it, src, tmp, &h, &bytes, why, whylen);
		if (rc != UK_RESCUE_COPIED)
			break;
		uk_hash_str(&h, got);
		if (it->hash) {
			if (strcmp(got, it->hash) == 0)
				break;
			snprintf(why, whylen, "its content (XXH3-128 %s, %" PRIu64 " bytes) differs "
			         "from the hash recorded for it (%s, %" PRIu64 " bytes): changed since "
			         "it was verified; not copied", got, bytes, it->hash, it->size);
		} else if ((err = uk_hash_file(tmp, &h2, &reread)) != 0) {
			snprintf(why, whylen, "cannot read the copy %s back: %s", tmp,
			         uk_fs_strerror(err, eb, sizeof(eb)));
		} else if (uk_hash_str(&h2, back), strcmp(back, got) != 0 || reread != bytes) {
			snprintf(why, whylen, "the copy read back (XXH3-128 %s) differs from what was "
			         "written (%s)", back, got);
		} else if (bytes != it->size) {
			snprintf(why, whylen, "its size changed since it was verified (%" PRIu64
			         " bytes recorded, %" PRIu64 " now); not copied", it->size, bytes);
		} else {
			break;
		}
		rc = UK_RESCUE_FAILED;
		if (attempt == 0)
			uk_log(UK_WARN, "%s: %s; trying once more", it->rel, why);
	}
	if (rc == UK_RESCUE_COPIED && (err = uk_fs_rename(tmp, dst)) != 0) {
		snprintf(why, whylen, "cannot rename %s to %s: %s", tmp, dst,
		         uk_fs_strerror(err, eb, sizeof(eb)));
		rc = classify(err);
	}
	if (rc == UK_RESCUE_COPIED && (err = uk_fs_sync_dir(dir)) != 0) {
		snprintf(why, whylen, "cannot flush the folder %s: %s", dir,
		         uk_fs_strerror(err, eb, sizeof(eb)));
		rc = classify(err);
	}
	if (rc == UK_RESCUE_COPIED)
		memcpy(hash, got, UK_HASH_STRLEN);
	else
		r->done_bytes -= bytes;
	/* Nothing half-written stays behind under any name. */
	if (rc != UK_RESCUE_COPIED && (err = drop(tmp)) != 0)
		uk_warn("%s: cannot remove it: %s", tmp, uk_fs_strerror(err, eb, sizeof(eb)));
out:
	free(real);
	free(tmp);
	free(dir);
	return rc;
}
