/* The /progress log reader: the input follows a valid first progress
 * record, so every line is read as progress (or unknown); the first byte
 * picks the chunk size of the streamed reading compared with the whole. */
#include "fuzz_log.h"

static const char head[] = "08 Jun 2023, 10:00:00 -07:00, 00:00:00, program, LoadState.exe, "
                           "productVersion, 10.0.19041.1, computerName, PC-1, commandLine, "
                           "loadstate.exe C:\\USMTMIG /c /hardlink /nocompress\r\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t chunk, n = sizeof(head) - 1;
	uint8_t *buf;

	if (size < 1)
		return 0;
	chunk = data[0] ? data[0] : 4096;
	buf = malloc(n + size);
	FUZZ_CHECK(buf != NULL);
	memcpy(buf, head, n);
	memcpy(buf + n, data + 1, size - 1);
	fuzz_log(buf, n + size - 1, chunk);
	free(buf);
	return 0;
}
