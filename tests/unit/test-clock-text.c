// SPDX-License-Identifier: MIT
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "clock-text.h"

static void test_format(void **state)
{
	struct tm tm = { .tm_hour = 7, .tm_min = 5, .tm_sec = 9,
		.tm_mday = 9, .tm_mon = 2, .tm_year = 124, .tm_wday = 6 };
	struct clock_text t;
	clock_text_format(&tm, true, &t);
	assert_string_equal(t.hm, "07:05");
	assert_string_equal(t.sec, "09");
	assert_string_equal(t.date, "Saturday 9 March");

	clock_text_format(&tm, false, &t);
	assert_string_equal(t.sec, "");
}

static void test_equal(void **state)
{
	struct tm a = { .tm_hour = 12, .tm_min = 34, .tm_sec = 56,
		.tm_mday = 1, .tm_wday = 1 };
	struct tm b = a;
	b.tm_sec = 57;
	struct clock_text ta, tb;

	/* Without seconds, a new second draws nothing new. */
	clock_text_format(&a, false, &ta);
	clock_text_format(&b, false, &tb);
	assert_true(clock_text_equal(&ta, &tb));

	clock_text_format(&a, true, &ta);
	clock_text_format(&b, true, &tb);
	assert_false(clock_text_equal(&ta, &tb));

	b = a;
	b.tm_mday = 2;
	b.tm_wday = 2;
	clock_text_format(&b, true, &tb);
	assert_false(clock_text_equal(&ta, &tb));
}

static void test_parse_time(void **state)
{
	struct tm tm = {0};
	assert_true(clock_parse_time("23:59:58", &tm));
	assert_int_equal(tm.tm_hour, 23);
	assert_int_equal(tm.tm_min, 59);
	assert_int_equal(tm.tm_sec, 58);
	assert_true(clock_parse_time("00:00:00", &tm));

	const char *bad[] = { "24:00:00", "12:60:00", "12:00:60", "1:2:3",
		"12:34", "12:34:56x", "-1:00:00", "ab:cd:ef", "", "12-34-56" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		tm.tm_hour = 42;
		assert_false(clock_parse_time(bad[i], &tm));
		assert_int_equal(tm.tm_hour, 42);
	}
	assert_false(clock_parse_time(NULL, &tm));
}

static void test_parse_date(void **state)
{
	struct tm tm = {0};
	assert_true(clock_parse_date("2024-03-09", &tm));
	assert_int_equal(tm.tm_year, 124);
	assert_int_equal(tm.tm_mon, 2);
	assert_int_equal(tm.tm_mday, 9);
	assert_int_equal(tm.tm_wday, 6); /* a Saturday */
	assert_true(clock_parse_date("2024-02-29", &tm));

	const char *bad[] = { "2023-02-29", "2024-04-31", "2024-13-01",
		"2024-00-10", "2024-1-1", "24-01-01", "2024-01-01T", "" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		tm.tm_year = 42;
		assert_false(clock_parse_date(bad[i], &tm));
		assert_int_equal(tm.tm_year, 42);
	}
}

static void test_next_tick(void **state)
{
	assert_int_equal(clock_next_tick(1000, true), 1001);
	assert_int_equal(clock_next_tick(1000, false), 1020);
	assert_int_equal(clock_next_tick(1019, false), 1020);
	assert_int_equal(clock_next_tick(1020, false), 1080);
}

int main(void)
{
	/* Day and month names are locale-dependent: test in C. */
	setlocale(LC_ALL, "C");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_equal),
		cmocka_unit_test(test_parse_time),
		cmocka_unit_test(test_parse_date),
		cmocka_unit_test(test_next_tick),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
