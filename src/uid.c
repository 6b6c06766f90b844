/* uid.c - UUIDs from libuuid. */
#include "config.h"

#include <ctype.h>
#include <stdint.h>
#include <string.h>
#include <uuid/uuid.h>

#include "guanqing/clock.h"
#include "guanqing/uid.h"

void uid_new(char out[UID_LEN + 1])
{
	uuid_t u;

	uuid_generate_random(u);
	uuid_unparse_lower(u, out);
}

void uid_new_of(const char *origin, char out[UID_LEN + 1])
{
	uuid_t u, o;
	uint64_t ms = (uint64_t)clock_now_ms() & 0xffffffffffffULL;

	uuid_generate_random(u);
	/* Bytes 0-3: the origin's first four, when it is a UUID. */
	if (origin && uuid_parse(origin, o) == 0)
		memcpy(u, o, 4);
	/* 48 bits of time around the version and the variant: bytes 4-5
	 * bits 47-32, byte 6 the version (8) and bits 31-28, byte 7 bits
	 * 27-20, byte 8 the variant (10) and bits 19-14, byte 9 bits 13-6,
	 * byte 10 bits 5-0 above two random bits; the rest random. */
	u[4] = (unsigned char)(ms >> 40);
	u[5] = (unsigned char)(ms >> 32);
	u[6] = (unsigned char)(0x80 | ((ms >> 28) & 0x0f));
	u[7] = (unsigned char)(ms >> 20);
	u[8] = (unsigned char)(0x80 | ((ms >> 14) & 0x3f));
	u[9] = (unsigned char)(ms >> 6);
	u[10] = (unsigned char)((ms & 0x3f) << 2 | (u[10] & 0x03));
	uuid_unparse_lower(u, out);
}

int uid_valid(const char *s)
{
	size_t i;

	if (!s || strlen(s) != UID_LEN)
		return 0;
	for (i = 0; i < UID_LEN; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return 0;
		} else if (!isxdigit((unsigned char)s[i])) {
			return 0;
		}
	}
	return 1;
}
