/* fuzz_setup.c - the station setup file: any bytes as a sealed setup file
 * opened with its passphrase. With GQ_FUZZ_SEEDS=DIR the first run seals a
 * real setup text there as the seed. The passphrase's key derivation is
 * slow by design, so this target runs fewer inputs than the others. */
#include "config.h"

#include "fuzz.h"
#include "guanqing/keys.h"

static const char passphrase[] = "ABCD-EFGH-JKLM-NPQR-STUV";

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *seeds = getenv("GQ_FUZZ_SEEDS");
	static const char text[] = "guanqing-setup=1\nstation_id=5e1b6c3a-0c2d-4f6e-9a41-3b2d7c8e9f01\n"
		"village=411524103205\ncounty_id=0a9b8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d\n"
		"division=411524\n";
	unsigned char *sealed = NULL;
	size_t len = 0;
	struct gq_err e;

	(void)argc;
	(void)argv;
	if (seeds && *seeds &&
	    keys_setup_seal(passphrase, text, strlen(text), &sealed, &len, &e) == GQ_OK) {
		char path[512];
		FILE *f;

		snprintf(path, sizeof(path), "%s/station.gqsetup", seeds);
		f = fopen(path, "wb");
		if (f) {
			fwrite(sealed, 1, len, f);
			fclose(f);
		}
		free(sealed);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *plain = NULL;
	size_t plain_len = 0;
	struct gq_err e;

	if (keys_setup_open(passphrase, data, size, "fuzz.gqsetup", &plain, &plain_len, &e) == GQ_OK)
		keys_free_secret(&plain, plain_len + 1);
	return 0;
}
