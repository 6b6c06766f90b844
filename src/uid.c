/* uid.c - UUIDs from libuuid. */
#include "config.h"

#include <ctype.h>
#include <string.h>
#include <uuid/uuid.h>

#include "guanqing/uid.h"

void uid_new(char out[UID_LEN + 1])
{
	uuid_t u;

	uuid_generate_random(u);
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
