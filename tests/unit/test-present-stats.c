// SPDX-License-Identifier: MIT
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "present-stats.h"

#define P(t, q, f) { .state = PRESENT_PRESENTED, .ts_ns = (t), \
	.seq = (q), .refresh_ns = 8333333, .flags = (f) }
#define D { .state = PRESENT_DISCARDED }
#define PENDING { .state = PRESENT_PENDING }

static void test_empty(void **state)
{
	struct present_stats s;
	present_stats_compute(NULL, 0, &s);
	assert_int_equal(s.frames, 0);
	assert_int_equal(s.presented, 0);
	assert_int_equal(s.mean_interval_ns, 0);
	assert_int_equal(s.min_interval_ns, 0);
	assert_int_equal(s.max_interval_ns, 0);
}

static void test_single_frame_has_no_interval(void **state)
{
	struct present_frame f[] = { P(1000, 5, PRESENT_VSYNC) };
	struct present_stats s;
	present_stats_compute(f, 1, &s);
	assert_int_equal(s.presented, 1);
	assert_int_equal(s.vsync, 1);
	assert_int_equal(s.refresh_ns, 8333333);
	assert_int_equal(s.mean_interval_ns, 0);
	assert_int_equal(s.max_interval_ns, 0);
}

static void test_intervals_skip_discarded(void **state)
{
	const uint32_t all = PRESENT_VSYNC | PRESENT_HW_CLOCK |
		PRESENT_HW_COMPLETION | PRESENT_ZERO_COPY;
	struct present_frame f[] = {
		P(1000000000, 100, all),
		D,
		P(1008333333, 101, PRESENT_VSYNC),
		/* One refresh skipped: seq jumps by 2. */
		P(1025000000, 103, PRESENT_VSYNC | PRESENT_ZERO_COPY),
		D,
		P(1033333333, 104, 0),
		PENDING,
	};
	struct present_stats s;
	present_stats_compute(f, sizeof(f) / sizeof(f[0]), &s);
	assert_int_equal(s.frames, 7);
	assert_int_equal(s.presented, 4);
	assert_int_equal(s.discarded, 2);
	assert_int_equal(s.vsync, 3);
	assert_int_equal(s.hw_clock, 1);
	assert_int_equal(s.hw_completion, 1);
	assert_int_equal(s.zero_copy, 2);
	assert_int_equal(s.min_interval_ns, 8333333);
	assert_int_equal(s.max_interval_ns, 16666667);
	/* (1033333333 - 1000000000) / 3 intervals */
	assert_int_equal(s.mean_interval_ns, 11111111);
	assert_int_equal(s.seq_gaps, 1);
}

static void test_unknown_seq_is_no_gap(void **state)
{
	/* Compositors without a refresh counter report seq 0. */
	struct present_frame f[] = { P(0, 0, 0), P(100, 0, 0), P(50, 7, 0) };
	struct present_stats s;
	present_stats_compute(f, 3, &s);
	assert_int_equal(s.seq_gaps, 0);
	/* A timestamp going backwards is a zero interval, not a wrap. */
	assert_int_equal(s.min_interval_ns, 0);
	assert_int_equal(s.max_interval_ns, 100);
}

static void test_format(void **state)
{
	struct present_frame f[] = {
		P(2000, 1, PRESENT_VSYNC), P(3000, 3, PRESENT_VSYNC), D,
	};
	struct present_stats s;
	present_stats_compute(f, 3, &s);
	char line[512];
	int n = present_stats_format(&s, line, sizeof(line));
	assert_int_equal(n, (int)strlen(line));
	assert_string_equal(line, "present: frames=3 presented=2 discarded=1 "
		"refresh_ns=8333333 mean_interval_ns=1000 min_interval_ns=1000 "
		"max_interval_ns=1000 vsync=2 hw_clock=0 hw_completion=0 "
		"zero_copy=0 seq_gaps=1 seq_period_ns=500 grid_err_max_ns=0");
}

static void test_refresh_grid(void **state)
{
	/* 120 Hz (8333333.3 ns), a frame every one to three refreshes, one
	 * present 0.3 ms off the grid; pending, discarded and seq-less
	 * frames do not count. */
	struct present_frame f[] = {
		PENDING, P(5, 0, 0), P(1000000000, 10, 0), D,
		P(1016666667, 12, 0), P(1041666667 + 300000, 15, 0),
		P(1083333333, 20, 0), PENDING,
	};
	struct present_stats s;
	present_stats_compute(f, sizeof(f) / sizeof(f[0]), &s);
	assert_int_equal(s.seq_period_ns, 8333333);
	assert_int_equal(s.grid_err_max_ns, 300000);

	/* One present, or no refresh counter: no grid. */
	present_stats_compute(f + 2, 1, &s);
	assert_int_equal(s.seq_period_ns, 0);
	assert_int_equal(s.grid_err_max_ns, 0);
	struct present_frame noseq[] = { P(100, 0, 0), P(200, 0, 0) };
	present_stats_compute(noseq, 2, &s);
	assert_int_equal(s.seq_period_ns, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_single_frame_has_no_interval),
		cmocka_unit_test(test_intervals_skip_discarded),
		cmocka_unit_test(test_unknown_seq_is_no_gap),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_refresh_grid),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
