/* Test helper: holdlock PATH -- takes usmt-purge's lock (uk_fs_lock) on PATH,
 * prints "locked", and holds it until its standard input is closed, so a
 * test can prove that a second purge refuses while one holds the lock. */
#include <stdio.h>

#include "fs.h"

int main(int argc, char **argv)
{
	uk_lock *l;
	char eb[128];
	int err;

	if (argc != 2) {
		fprintf(stderr, "usage: holdlock PATH\n");
		return 2;
	}
	if ((err = uk_fs_lock(argv[1], &l)) != 0) {
		fprintf(stderr, "holdlock: %s: %s\n", argv[1], uk_fs_strerror(err, eb, sizeof(eb)));
		return 1;
	}
	printf("locked\n");
	fflush(stdout);
	while (getchar() != EOF)
		;
	uk_fs_unlock(l);
	return 0;
}
