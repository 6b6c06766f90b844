/* test_keys.c - key pairs, key text, passphrases, the sealed setup file. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <sodium.h>

#include "guanqing/err.h"
#include "guanqing/keys.h"

static const char setup_text[] =
	"station_id=6f1c2d9e-4b7a-4c1e-9a55-0d3e8f1b2c47\n"
	"village=411524100201\n"
	"village_name=商城县赤城街道办事处城关社区居民委员会\n"
	"county_sign=gq-sign-pub:AAAA\n";

static int contains(const unsigned char *hay, size_t n, const char *needle)
{
	size_t k = strlen(needle), i;

	for (i = 0; i + k <= n; i++)
		if (!memcmp(hay + i, needle, k))
			return 1;
	return 0;
}

static void test_generate_and_check(void **state)
{
	struct keys_own a, b;
	struct gq_err e;

	(void)state;
	assert_int_equal(keys_generate(&a, &e), GQ_OK);
	assert_int_equal(keys_generate(&b, &e), GQ_OK);
	assert_memory_not_equal(a.pub.sign, b.pub.sign, KEYS_SIGN_PUBLIC_BYTES);
	assert_memory_not_equal(a.box_secret, b.box_secret, KEYS_BOX_SECRET_BYTES);
	assert_int_equal(keys_check(&a, "站点", &e), GQ_OK);

	/* A secret from another pair is caught, and the message names it. */
	memcpy(a.box_secret, b.box_secret, KEYS_BOX_SECRET_BYTES);
	assert_int_equal(keys_check(&a, "城关社区", &e), GQ_EINVAL);
	assert_non_null(strstr(e.msg, "城关社区"));
	assert_non_null(strstr(e.msg, "encryption"));
	assert_int_equal(keys_generate(&a, NULL), GQ_OK);
	memcpy(a.sign_secret, b.sign_secret, KEYS_SIGN_SECRET_BYTES);
	assert_int_equal(keys_check(&a, NULL, &e), GQ_EINVAL);
	assert_non_null(strstr(e.msg, "signing"));

	keys_release(&a);
	keys_release(&b);
	{
		static const unsigned char zero[sizeof(a)];

		assert_memory_equal(&a, zero, sizeof(a));
	}
	keys_release(NULL);
}

static void test_text_round_trip(void **state)
{
	struct keys_own k;
	unsigned char back[KEYS_SIGN_SECRET_BYTES];
	char text[KEYS_TEXT_MAX];
	struct gq_err e;
	const struct {
		enum keys_kind kind;
		const unsigned char *key;
		const char *prefix;
	} cases[] = {
		{ KEYS_SIGN_PUBLIC, k.pub.sign, "gq-sign-pub:" },
		{ KEYS_SIGN_SECRET, k.sign_secret, "gq-sign-sec:" },
		{ KEYS_BOX_PUBLIC, k.pub.box, "gq-box-pub:" },
		{ KEYS_BOX_SECRET, k.box_secret, "gq-box-sec:" },
	};
	size_t i;

	(void)state;
	assert_int_equal(keys_generate(&k, &e), GQ_OK);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t n = keys_kind_size(cases[i].kind);

		keys_to_text(cases[i].kind, cases[i].key, text);
		assert_true(strlen(text) < KEYS_TEXT_MAX);
		assert_int_equal(strncmp(text, cases[i].prefix,
					 strlen(cases[i].prefix)), 0);
		memset(back, 0xAA, sizeof(back));
		assert_int_equal(keys_from_text(cases[i].kind, text, back, NULL, &e),
				 GQ_OK);
		assert_memory_equal(back, cases[i].key, n);
	}
	/* White space around the text is harmless (pasted from a file). */
	keys_to_text(KEYS_BOX_PUBLIC, k.pub.box, text);
	{
		char padded[KEYS_TEXT_MAX + 8];

		snprintf(padded, sizeof(padded), "  %s\n", text);
		assert_int_equal(keys_from_text(KEYS_BOX_PUBLIC, padded, back,
						NULL, &e), GQ_OK);
		assert_memory_equal(back, k.pub.box, KEYS_BOX_PUBLIC_BYTES);
	}
	keys_wipe(text, sizeof(text));
	keys_release(&k);
}

static void test_text_refused(void **state)
{
	struct keys_own k;
	unsigned char key[KEYS_SIGN_SECRET_BYTES];
	char text[KEYS_TEXT_MAX];
	struct gq_err e;

	(void)state;
	assert_int_equal(keys_generate(&k, &e), GQ_OK);

	/* A secret key where a public key belongs. */
	keys_to_text(KEYS_SIGN_SECRET, k.sign_secret, text);
	assert_int_equal(keys_from_text(KEYS_SIGN_PUBLIC, text, key,
					"县局的签名公钥", &e), GQ_EINVAL);
	assert_non_null(strstr(e.msg, "县局的签名公钥"));
	assert_non_null(strstr(e.msg, "secret signing key"));

	/* A box key where a signing key belongs. */
	keys_to_text(KEYS_BOX_PUBLIC, k.pub.box, text);
	assert_int_equal(keys_from_text(KEYS_SIGN_PUBLIC, text, key, NULL, &e),
			 GQ_EINVAL);

	/* Right prefix, wrong length or broken base64. */
	assert_int_equal(keys_from_text(KEYS_BOX_PUBLIC, "gq-box-pub:AAAA", key,
					NULL, &e), GQ_EINVAL);
	assert_non_null(strstr(e.msg, "32 bytes"));
	text[strlen(text) - 3] = '*';
	assert_int_equal(keys_from_text(KEYS_BOX_PUBLIC, text, key, NULL, &e),
			 GQ_EINVAL);
	{
		static const unsigned char zero[KEYS_BOX_PUBLIC_BYTES];

		assert_memory_equal(key, zero, sizeof(zero));
	}

	/* Empty, NULL, no prefix, Chinese text. */
	assert_int_equal(keys_from_text(KEYS_BOX_SECRET, "", key, NULL, &e), GQ_EINVAL);
	assert_non_null(strstr(e.msg, "empty"));
	assert_int_equal(keys_from_text(KEYS_BOX_SECRET, NULL, key, NULL, &e), GQ_EINVAL);
	assert_int_equal(keys_from_text(KEYS_BOX_SECRET, "   \n", key, NULL, &e), GQ_EINVAL);
	assert_int_equal(keys_from_text(KEYS_BOX_SECRET, "密钥", key, "钥匙", &e), GQ_EINVAL);
	assert_non_null(strstr(e.msg, "钥匙"));
	assert_non_null(strstr(e.msg, "gq-box-sec:"));
	keys_release(&k);
}

static void test_fingerprint(void **state)
{
	struct keys_own k;
	char fp[KEYS_FINGERPRINT_SIZE], fp2[KEYS_FINGERPRINT_SIZE];
	size_t i;

	(void)state;
	assert_int_equal(keys_generate(&k, NULL), GQ_OK);
	keys_fingerprint(k.pub.sign, sizeof(k.pub.sign), fp);
	assert_int_equal(strlen(fp), KEYS_FINGERPRINT_SIZE - 1);
	for (i = 0; fp[i]; i++) {
		if (i % 5 == 4)
			assert_int_equal(fp[i], '-');
		else
			assert_non_null(strchr("0123456789ABCDEF", fp[i]));
	}
	keys_fingerprint(k.pub.sign, sizeof(k.pub.sign), fp2);
	assert_string_equal(fp, fp2);
	keys_fingerprint(k.pub.box, sizeof(k.pub.box), fp2);
	assert_string_not_equal(fp, fp2);
	/* A known vector: BLAKE2b-256 of nothing starts 0e5751c0 26e543b2. */
	keys_fingerprint((const unsigned char *)"", 0, fp);
	assert_string_equal(fp, "0E57-51C0-26E5-43B2");
	keys_release(&k);
}

static void test_passphrase(void **state)
{
	char a[KEYS_PASSPHRASE_SIZE], b[KEYS_PASSPHRASE_SIZE];
	char typed[64];
	size_t i;

	(void)state;
	keys_passphrase_generate(a);
	keys_passphrase_generate(b);
	assert_int_equal(strlen(a), KEYS_PASSPHRASE_SIZE - 1);
	assert_string_not_equal(a, b);
	for (i = 0; a[i]; i++) {
		if (i % 5 == 4) {
			assert_int_equal(a[i], '-');
			continue;
		}
		assert_non_null(strchr("23456789ABCDEFGHJKLMNPQRSTUVWXYZ", a[i]));
		assert_null(strchr("01OI", a[i]));
	}

	/* Typed in lower case with spaces, it normalises to the same. */
	strcpy(typed, " 7kq2 mx4d-abcd\tEFGH ");
	assert_int_equal(keys_passphrase_normalize(typed), 16);
	assert_string_equal(typed, "7KQ2MX4DABCDEFGH");
	strcpy(typed, "关情-一枝一叶");
	keys_passphrase_normalize(typed);
	assert_string_equal(typed, "关情一枝一叶");
	strcpy(typed, " - ");
	assert_int_equal(keys_passphrase_normalize(typed), 0);
	assert_int_equal(keys_passphrase_normalize(NULL), 0);
}

static void test_setup_round_trip(void **state)
{
	char pass[KEYS_PASSPHRASE_SIZE], typed[64];
	unsigned char *sealed = NULL, *plain = NULL;
	size_t slen = 0, plen = 0, i, n;
	struct gq_err e;

	(void)state;
	keys_passphrase_generate(pass);
	assert_int_equal(keys_setup_seal(pass, setup_text, strlen(setup_text),
					 &sealed, &slen, &e), GQ_OK);
	assert_non_null(sealed);
	assert_int_equal(slen, 80 + strlen(setup_text) + 16 + 32);
	assert_memory_equal(sealed, "\x89GQS\r\n\x1a\n", 8);
	/* Nothing of the plaintext shows in the sealed file. */
	assert_false(contains(sealed, slen, "411524"));
	assert_false(contains(sealed, slen, "商城县"));

	/* Opened with the passphrase as someone types it. */
	for (i = 0, n = 0; pass[i]; i++)
		if (pass[i] != '-') {
			typed[n++] = (char)(pass[i] >= 'A' && pass[i] <= 'Z' ?
					    pass[i] - 'A' + 'a' : pass[i]);
			if (n % 5 == 4)
				typed[n++] = ' ';
		}
	typed[n] = '\0';
	assert_int_equal(keys_setup_open(typed, sealed, slen, "setup.gqs",
					 &plain, &plen, &e), GQ_OK);
	assert_int_equal(plen, strlen(setup_text));
	assert_string_equal((char *)plain, setup_text);
	keys_free_secret(&plain, plen + 1);
	assert_null(plain);
	keys_free_secret(NULL, 0);
	free(sealed);

	/* An empty plaintext seals and opens too; a Chinese passphrase works. */
	assert_int_equal(keys_setup_seal("一枝一叶总关情", NULL, 0, &sealed,
					 &slen, &e), GQ_OK);
	assert_int_equal(keys_setup_open("一枝一叶总关情", sealed, slen, NULL,
					 &plain, &plen, &e), GQ_OK);
	assert_int_equal(plen, 0);
	assert_string_equal((char *)plain, "");
	keys_free_secret(&plain, 1);
	free(sealed);
}

static void test_setup_wrong_passphrase(void **state)
{
	unsigned char *sealed = NULL, *plain = NULL;
	size_t slen = 0, plen = 0;
	struct gq_err e;

	(void)state;
	assert_int_equal(keys_setup_seal("ABCD-EFGH-JKLM-NPQR-STUV-WXYZ",
					 setup_text, strlen(setup_text),
					 &sealed, &slen, &e), GQ_OK);
	assert_int_equal(keys_setup_open("ABCD-EFGH-JKLM-NPQR-STUV-WXY2",
					 sealed, slen, "赤城街道.gqs", &plain,
					 &plen, &e), GQ_EINVAL);
	assert_null(plain);
	assert_int_equal(e.code, GQ_EINVAL);
	assert_non_null(strstr(e.msg, "passphrase does not open"));
	assert_non_null(strstr(e.msg, "赤城街道.gqs"));

	/* Empty passphrases are refused on both sides. */
	assert_int_equal(keys_setup_open("", sealed, slen, NULL, &plain, &plen, &e),
			 GQ_EINVAL);
	assert_non_null(strstr(e.msg, "empty"));
	assert_int_equal(keys_setup_open(NULL, sealed, slen, NULL, &plain, &plen, &e),
			 GQ_EINVAL);
	free(sealed);
	assert_int_equal(keys_setup_seal(" -- ", "x", 1, &sealed, &slen, &e), GQ_EINVAL);
	assert_null(sealed);
	assert_int_equal(keys_setup_seal(NULL, "x", 1, &sealed, &slen, &e), GQ_EINVAL);
}

static void test_setup_damaged(void **state)
{
	const char *pass = "2345-6789-ABCD-EFGH-JKLM-NPQR";
	unsigned char *sealed = NULL, *plain = NULL, *copy;
	size_t slen = 0, plen = 0, off, cut;
	struct gq_err e;

	(void)state;
	assert_int_equal(keys_setup_seal(pass, setup_text, strlen(setup_text),
					 &sealed, &slen, &e), GQ_OK);
	copy = malloc(slen);

	/* A flipped bit anywhere is damage, never "wrong passphrase". */
	for (off = 0; off < slen; off++) {
		memcpy(copy, sealed, slen);
		copy[off] ^= (unsigned char)(1u << (off % 8));
		assert_int_equal(keys_setup_open(pass, copy, slen, "s.gqs", &plain,
						 &plen, &e), GQ_ECORRUPT);
		assert_null(plain);
		if (off >= 10)
			assert_non_null(strstr(e.msg, "damaged"));
	}
	/* Cut short at any length: damaged. */
	for (cut = 1; cut < slen; cut++) {
		assert_int_equal(keys_setup_open(pass, sealed, cut, "s.gqs", &plain,
						 &plen, &e), GQ_ECORRUPT);
		assert_non_null(strstr(e.msg, "damaged"));
		assert_non_null(strstr(e.msg, "s.gqs"));
	}
	/* Nothing, or something else entirely. */
	assert_int_equal(keys_setup_open(pass, NULL, 0, "空.gqs", &plain, &plen, &e),
			 GQ_ECORRUPT);
	assert_non_null(strstr(e.msg, "not a guanqing setup file"));
	assert_int_equal(keys_setup_open(pass, "village=411524\n", 15, "a.txt",
					 &plain, &plen, &e), GQ_ECORRUPT);
	assert_non_null(strstr(e.msg, "not a guanqing setup file"));

	/* An unknown version is told as such. */
	memcpy(copy, sealed, slen);
	copy[8] = 2;
	assert_int_equal(keys_setup_open(pass, copy, slen, "v2.gqs", &plain, &plen, &e),
			 GQ_ECORRUPT);
	assert_non_null(strstr(e.msg, "version 2"));

	/* Parameters a station PC must not run, checksum made right: refused
	 * before any key derivation. */
	memcpy(copy, sealed, slen);
	copy[24 + 4] = 0x40;	/* memlimit 1 TiB and more */
	crypto_generichash(copy + slen - 32, 32, copy, slen - 32, NULL, 0);
	assert_int_equal(keys_setup_open(pass, copy, slen, "big.gqs", &plain, &plen, &e),
			 GQ_ECORRUPT);
	assert_non_null(strstr(e.msg, "parameters"));

	/* Header changed and checksum recomputed: the AEAD binds the header,
	 * so it does not open (told as a passphrase that does not fit). */
	memcpy(copy, sealed, slen);
	copy[32] ^= 1;	/* the salt */
	crypto_generichash(copy + slen - 32, 32, copy, slen - 32, NULL, 0);
	assert_int_equal(keys_setup_open(pass, copy, slen, "salt.gqs", &plain, &plen, &e),
			 GQ_EINVAL);
	free(copy);
	free(sealed);
}

static void test_setup_file(void **state)
{
	const char *pass = "WXYZ-2345-6789-ABCD-EFGH-JKLM";
	char dir[] = "/tmp/gq-keys-XXXXXX", path[256];
	unsigned char *sealed = NULL, *plain = NULL;
	size_t slen = 0, plen = 0;
	struct gq_err e;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/城关社区.gqs", dir);
	assert_int_equal(keys_setup_seal(pass, setup_text, strlen(setup_text),
					 &sealed, &slen, &e), GQ_OK);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(sealed, 1, slen, f), slen);
	fclose(f);
	assert_int_equal(keys_setup_open_file(path, pass, &plain, &plen, &e), GQ_OK);
	assert_string_equal((char *)plain, setup_text);
	keys_free_secret(&plain, plen + 1);

	assert_int_equal(keys_setup_open_file(path, "WXYZ", &plain, &plen, &e), GQ_EINVAL);
	assert_non_null(strstr(e.msg, "城关社区.gqs"));

	/* Truncated on the stick. */
	assert_int_equal(truncate(path, (off_t)slen - 7), 0);
	assert_int_equal(keys_setup_open_file(path, pass, &plain, &plen, &e), GQ_ECORRUPT);
	assert_non_null(strstr(e.msg, "damaged"));
	assert_non_null(strstr(e.msg, "城关社区.gqs"));
	unlink(path);

	assert_int_equal(keys_setup_open_file(path, pass, &plain, &plen, &e), GQ_ENOTFOUND);
	assert_non_null(strstr(e.msg, "城关社区.gqs"));
	assert_null(plain);
	rmdir(dir);
	free(sealed);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_generate_and_check),
		cmocka_unit_test(test_text_round_trip),
		cmocka_unit_test(test_text_refused),
		cmocka_unit_test(test_fingerprint),
		cmocka_unit_test(test_passphrase),
		cmocka_unit_test(test_setup_round_trip),
		cmocka_unit_test(test_setup_wrong_passphrase),
		cmocka_unit_test(test_setup_damaged),
		cmocka_unit_test(test_setup_file),
	};

	return cmocka_run_group_tests_name("keys", tests, NULL, NULL);
}
