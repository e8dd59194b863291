/* /progress logs: `08 Jun 2023, 20:46:21 -08:00, 00:04:48, key, value, ...`.
 * Values may themselves hold ", " (paths, command lines), so a value runs
 * until the next ", <known key>, ". */
#include <string.h>
#include "usmtlog_int.h"

static int isdig(int c) { return c >= '0' && c <= '9'; }

static const char *const uk_progress_keys[] = {
	"program", "productVersion", "computerName", "commandLine", "PHASE",
	"detectedUser", "forUser", "includedInMigration", "totalSizeInMBToTransfer",
	"totalPercentageCompleted", "error", "objectName", "action", "errorCode",
	"numberOfIgnoredErrors", "message",
};

static int known_key(const char *s, size_t n)
{
	for (size_t i = 0; i < sizeof uk_progress_keys / sizeof uk_progress_keys[0]; i++)
		if (strlen(uk_progress_keys[i]) == n && memcmp(uk_progress_keys[i], s, n) == 0)
			return 1;
	return 0;
}

/* "HH:MM:SS" at s. */
static int hms(const char *s)
{
	return isdig((unsigned char)s[0]) && isdig((unsigned char)s[1]) && s[2] == ':' &&
	       isdig((unsigned char)s[3]) && isdig((unsigned char)s[4]) && s[5] == ':' &&
	       isdig((unsigned char)s[6]) && isdig((unsigned char)s[7]);
}

int uk_log_progress_line(const char *line, char time[32], size_t *rest_off)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	const char *s = line;
	int day = 0, mon = -1;

	while (isdig((unsigned char)*s) && day < 100)
		day = day * 10 + (*s++ - '0');
	if (s == line || s - line > 2 || *s++ != ' ')
		return 0;
	for (int m = 0; m < 12; m++)
		if (memcmp(s, months + 3 * m, 3) == 0)
			mon = m + 1;
	if (mon < 0 || s[3] != ' ')
		return 0;
	s += 4;
	const char *year = s;
	for (int i = 0; i < 4; i++)
		if (!isdig((unsigned char)s[i]))
			return 0;
	s += 4;
	if (s[0] != ',' || s[1] != ' ' || !hms(s + 2))
		return 0;
	const char *clock = s + 2;
	s += 10;
	char zone[8] = "";
	if (*s == ' ' && (s[1] == '+' || s[1] == '-') && isdig((unsigned char)s[2]) &&
	    isdig((unsigned char)s[3]) && s[4] == ':' && isdig((unsigned char)s[5]) &&
	    isdig((unsigned char)s[6])) {
		memcpy(zone, s + 1, 6);
		zone[6] = '\0';
		s += 7;
	}
	if (s[0] != ',' || s[1] != ' ' || !hms(s + 2))
		return 0;
	s += 10;
	if (*s != '\0' && (s[0] != ',' || s[1] != ' '))
		return 0;
	/* "2023-06-08T20:46:21-08:00" */
	memcpy(time, year, 4);
	time[4] = '-';
	time[5] = (char)('0' + mon / 10);
	time[6] = (char)('0' + mon % 10);
	time[7] = '-';
	time[8] = (char)('0' + day / 10);
	time[9] = (char)('0' + day % 10);
	time[10] = 'T';
	memcpy(time + 11, clock, 8);
	strcpy(time + 19, zone);
	*rest_off = (size_t)(s - line) + (*s ? 2 : 0);
	return 1;
}

/* The next key/value pair of rest: key at *k (kn bytes), value at *v (vn). */
static int next_pair(const char **rest, const char **k, size_t *kn, const char **v, size_t *vn)
{
	const char *s = *rest, *comma;

	if (*s == '\0')
		return 0;
	comma = strstr(s, ", ");
	*k = s;
	*kn = comma ? (size_t)(comma - s) : strlen(s);
	if (!comma) {
		*v = s + *kn;
		*vn = 0;
		*rest = s + *kn;
		return 1;
	}
	*v = comma + 2;
	s = *v;
	for (;;) {
		comma = strstr(s, ", ");
		if (!comma) {
			*vn = strlen(*v);
			*rest = *v + *vn;
			return 1;
		}
		const char *nk = comma + 2, *ne = strstr(nk, ", ");
		size_t nkn = ne ? (size_t)(ne - nk) : strlen(nk);
		if (known_key(nk, nkn)) {
			*vn = (size_t)(comma - *v);
			*rest = nk;
			return 1;
		}
		s = nk;
	}
}

static int program_of(const char *v, size_t n)
{
	if (n >= 9 && uk_log_ci_prefix(v, "loadstate"))
		return UK_LOG_LOADSTATE;
	if (n >= 9 && uk_log_ci_prefix(v, "scanstate"))
		return UK_LOG_SCANSTATE;
	return UK_LOG_PROG_UNKNOWN;
}

int uk_log_progress_record(uk_log_progress *pg, const char *time, const char *rest,
                           unsigned long line, unsigned long *seq, const uk_log_sink *sink)
{
	char error[128] = "", action[64] = "", path[UK_LOG_TEXT_MAX] = "";
	int has_error = 0, has_path = 0, has_action = 0;
	long win32 = -1;
	const char *k, *v;
	size_t kn, vn;

	while (next_pair(&rest, &k, &kn, &v, &vn)) {
#define KEY(name) (kn == sizeof name - 1 && memcmp(k, name, kn) == 0)
		if (KEY("error")) {
			has_error = 1;
			uk_log_copy(error, sizeof error, v, vn);
		} else if (KEY("objectName")) {
			has_path = 1;
			uk_log_copy(path, sizeof path, v, vn);
		} else if (KEY("action")) {
			has_action = 1;
			uk_log_copy(action, sizeof action, v, vn);
			if (vn == 5 && memcmp(v, "Abort", 5) == 0)
				pg->aborted = 1;
		} else if (KEY("errorCode")) {
			long c;
			if (uk_log_number(v, &c) > 0)
				win32 = c;
		} else if (KEY("numberOfIgnoredErrors")) {
			long c;
			if (uk_log_number(v, &c) > 0)
				pg->ignored = c;
		} else if (KEY("program")) {
			pg->program = program_of(v, vn);
		} else if (KEY("productVersion")) {
			uk_log_copy(pg->version, sizeof pg->version, v, vn);
		} else if (KEY("computerName")) {
			uk_log_copy(pg->computer, sizeof pg->computer, v, vn);
		} else if (KEY("commandLine")) {
			uk_log_copy(pg->command_line, sizeof pg->command_line, v, vn);
			if (pg->program == UK_LOG_PROG_UNKNOWN) {
				if (uk_log_ci_find(v, vn, "loadstate"))
					pg->program = UK_LOG_LOADSTATE;
				else if (uk_log_ci_find(v, vn, "scanstate"))
					pg->program = UK_LOG_SCANSTATE;
			}
		}
#undef KEY
	}
	if (!has_error)
		return 0;
	pg->errors++;
	uk_log_perror pe = {
		.seq = (*seq)++, .line = line, .time = time, .error = error,
		.path = has_path ? path : NULL, .action = has_action ? action : NULL,
		.win32 = win32,
	};
	return sink->perror ? sink->perror(sink->ctx, &pe) : 0;
}
