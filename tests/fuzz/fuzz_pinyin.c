/* fuzz_pinyin.c - the pinyin loader: any bytes as data/pinyin.txt; what
 * loads is used for a search key. */
#include "config.h"

#include "fuzz.h"
#include "guanqing/pinyin.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_file("pinyin.txt", data, size);
	struct gq_err e;

	if (pinyin_load_file(path, &e) == GQ_OK) {
		struct pinyin_key k;
		const char *r[8];

		pinyin_key_init(&k);
		pinyin_key_set(&k, "单志强");
		pinyin_key_release(&k);
		pinyin_readings(0x5355, r, 8);
	}
	pinyin_unload();
	return 0;
}
