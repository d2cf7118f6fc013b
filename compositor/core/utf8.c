// SPDX-License-Identifier: MIT
#include <stdint.h>
#include "utf8.h"

bool verso_utf8_valid(const char *s) {
	const unsigned char *p = (const unsigned char *)s;
	while (*p != '\0') {
		uint32_t c = *p++;
		int more;
		uint32_t min;
		if (c < 0x80) {
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			more = 1, min = 0x80, c &= 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			more = 2, min = 0x800, c &= 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			more = 3, min = 0x10000, c &= 0x07;
		} else {
			return false;
		}
		for (; more > 0; more--, p++) {
			/* The terminating NUL fails this too. */
			if ((*p & 0xc0) != 0x80) {
				return false;
			}
			c = c << 6 | (*p & 0x3f);
		}
		if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) {
			return false;
		}
		/* Noncharacters, which sd-bus refuses as well. */
		if ((c >= 0xfdd0 && c <= 0xfdef) || (c & 0xfffe) == 0xfffe) {
			return false;
		}
	}
	return true;
}
