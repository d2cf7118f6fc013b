// SPDX-License-Identifier: MIT
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/utf8.h"

static void test_valid(void **state) {
	assert_true(verso_utf8_valid(""));
	assert_true(verso_utf8_valid("Music"));
	assert_true(verso_utf8_valid("caf\xc3\xa9"));		/* U+00E9 */
	assert_true(verso_utf8_valid("\xe2\x82\xac 5"));	/* U+20AC */
	assert_true(verso_utf8_valid("\xf0\x9f\x8e\xb5"));	/* U+1F3B5 */
	assert_true(verso_utf8_valid("\xef\xbf\xbd"));		/* U+FFFD */
	assert_true(verso_utf8_valid("\xef\xb7\x8f"));		/* U+FDCF */
	assert_true(verso_utf8_valid("\xf4\x8f\xbf\xbd"));	/* U+10FFFD */
	assert_true(verso_utf8_valid("\xed\x9f\xbf"));		/* U+D7FF */
}

static void test_invalid(void **state) {
	assert_false(verso_utf8_valid("\xff"));
	assert_false(verso_utf8_valid("\x80"));			/* lone continuation */
	assert_false(verso_utf8_valid("ab\xc3"));		/* cut at the end */
	assert_false(verso_utf8_valid("\xe2\x82"));
	assert_false(verso_utf8_valid("\xc3" "a"));		/* no continuation */
	assert_false(verso_utf8_valid("\xc0\xaf"));		/* overlong '/' */
	assert_false(verso_utf8_valid("\xe0\x80\xaf"));
	assert_false(verso_utf8_valid("\xed\xa0\x80"));		/* U+D800 */
	assert_false(verso_utf8_valid("\xf4\x90\x80\x80"));	/* past U+10FFFF */
	/* Noncharacters: sd-bus refuses them in strings. */
	assert_false(verso_utf8_valid("\xef\xbf\xbe"));		/* U+FFFE */
	assert_false(verso_utf8_valid("\xef\xbf\xbf"));		/* U+FFFF */
	assert_false(verso_utf8_valid("\xef\xb7\x90"));		/* U+FDD0 */
	assert_false(verso_utf8_valid("\xef\xb7\xaf"));		/* U+FDEF */
	assert_false(verso_utf8_valid("\xf0\x9f\xbf\xbe"));	/* U+1FFFE */
	assert_false(verso_utf8_valid("\xf4\x8f\xbf\xbf"));	/* U+10FFFF */
	assert_false(verso_utf8_valid("\xf8\x88\x80\x80\x80"));	/* 5 bytes */
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_invalid),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
