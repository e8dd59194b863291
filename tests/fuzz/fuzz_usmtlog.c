/* The LoadState/ScanState log reader on any bytes, in every encoding: the
 * first input byte picks how the rest is presented (as is, after a UTF-8
 * BOM, widened to UTF-16LE after its BOM, or as raw UTF-16LE bytes of any
 * length after a BOM), the second the chunk size of the streamed reading. */
#include "fuzz_log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t n, chunk;
	uint8_t *buf;
	int how;

	if (size < 2)
		return 0;
	how = data[0] & 3;
	chunk = data[1] ? data[1] : 4096;
	data += 2;
	size -= 2;
	buf = malloc(2 * size + 3);
	FUZZ_CHECK(buf != NULL);
	n = 0;
	if (how == 1) {
		memcpy(buf, "\xEF\xBB\xBF", 3);
		n = 3;
	} else if (how >= 2) {
		buf[n++] = 0xFF;
		buf[n++] = 0xFE;
	}
	if (how == 2) {
		for (size_t i = 0; i < size; i++) {
			buf[n++] = data[i];
			buf[n++] = 0;
		}
	} else {
		memcpy(buf + n, data, size);
		n += size;
	}
	fuzz_log(buf, n, chunk);
	free(buf);
	return 0;
}
