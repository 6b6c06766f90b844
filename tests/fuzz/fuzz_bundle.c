/* fuzz_bundle.c - the bundle reader before decryption: any bytes as a
 * bundle file through bundle_peek_header, bundle_check, bundle_verify and
 * the record reader, with the recipient's and the sender's keys. With
 * GQ_FUZZ_SEEDS=DIR the first run writes real bundles there as seeds. */
#include "config.h"

#include "fuzz.h"
#include "fuzz_keys_fixed.h"
#include "guanqing/merge.h"

static struct keys_own station, county;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *seeds = getenv("GQ_FUZZ_SEEDS");

	(void)argc;
	(void)argv;
	fuzz_keys(&station, 1);
	fuzz_keys(&county, 2);
	if (seeds && *seeds) {
		static const char *const texts[] = {
			"person|张桂兰|F|1945-03-02|宋岗村第3组12号",
			"visit|elderly_visit|home|血压偏高，已提醒按时服药",
			"guardian|欧阳强|father|在外务工",
			"",
		};
		const unsigned char *recs[4];
		size_t lens[4], i;
		char path[512];

		for (i = 0; i < 4; i++) {
			recs[i] = (const unsigned char *)texts[i];
			lens[i] = strlen(texts[i]);
		}
		for (i = 1; i <= 4; i++) {
			snprintf(path, sizeof(path), "%s/bundle-%zu.gqb", seeds, i);
			fuzz_write_bundle(path, &station, &county.pub, recs, lens, i);
		}
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_file("in.gqb", data, size);
	struct bundle_header h;
	struct bundle_reader *r = NULL;
	enum bundle_reason reason;
	struct gq_err e;

	bundle_header_init(&h);
	bundle_peek_header(path, &h, &reason, &e);
	bundle_header_release(&h);
	bundle_header_init(&h);
	bundle_check(path, &station.pub, &h, &reason, &e);
	bundle_header_release(&h);
	bundle_header_init(&h);
	bundle_verify(path, FUZZ_COUNTY_ID, &county, &station.pub, &h, &reason, &e);
	bundle_header_release(&h);
	if (bundle_reader_open(&r, path, FUZZ_COUNTY_ID, &county, &station.pub, &reason, &e) == GQ_OK) {
		const unsigned char *rec;
		size_t len;

		while (bundle_reader_next(r, &rec, &len, &e) == GQ_OK && rec)
			;
	}
	bundle_reader_free(&r);
	return 0;
}
