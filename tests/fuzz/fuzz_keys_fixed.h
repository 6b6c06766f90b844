/* fuzz_keys_fixed.h - key pairs from fixed seeds for the bundle targets,
 * so that the seed corpus written by one run verifies in the next. */
#ifndef GUANQING_FUZZ_KEYS_FIXED_H
#define GUANQING_FUZZ_KEYS_FIXED_H

#include <sodium.h>

#include "guanqing/bundle.h"
#include "guanqing/keys.h"

#define FUZZ_STATION_ID "5e1b6c3a-0c2d-4f6e-9a41-3b2d7c8e9f01"
#define FUZZ_COUNTY_ID "0a9b8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d"

static inline void fuzz_keys(struct keys_own *k, unsigned char fill)
{
	unsigned char seed[32];

	if (sodium_init() < 0)
		abort();
	memset(seed, fill, sizeof(seed));
	crypto_sign_seed_keypair(k->pub.sign, k->sign_secret, seed);
	crypto_box_seed_keypair(k->pub.box, k->box_secret, seed);
}

static inline void fuzz_header(struct bundle_header *h)
{
	bundle_header_init(h);
	h->schema_version = DB_RECORDS_VERSION;
	strcpy(h->sender, FUZZ_STATION_ID);
	strcpy(h->recipient, FUZZ_COUNTY_ID);
	h->number = 1;
	h->clock_wall_ms = INT64_C(1795852800000);
	h->clock_hlc = INT64_C(1795852800000) << 16;
}

/* Write a bundle of the records to path; 0 on success. */
static inline int fuzz_write_bundle(const char *path, const struct keys_own *from,
			     const struct keys_public *to, const unsigned char *const *recs,
			     const size_t *lens, size_t n)
{
	struct bundle_header h;
	struct bundle_writer *w = NULL;
	struct gq_err e;
	FILE *f = fopen(path, "w+b");
	size_t i;
	int bad = 0;

	if (!f)
		return -1;
	fuzz_header(&h);
	bad = bundle_header_set_acks(&h, "received=1\n", 11, &e) != GQ_OK ||
	      bundle_writer_open(&w, f, &h, from, to, path, &e) != GQ_OK;
	for (i = 0; !bad && i < n; i++)
		bad = bundle_writer_add(w, recs[i], lens[i], &e) != GQ_OK;
	if (!bad)
		bad = bundle_writer_finish(w, &e) != GQ_OK;
	bundle_writer_free(&w);
	bundle_header_release(&h);
	if (fclose(f) != 0)
		bad = 1;
	return bad ? -1 : 0;
}

#endif
