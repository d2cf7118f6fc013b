// SPDX-License-Identifier: MIT
/* versod frame counters (compositor/stats.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "stats.h"

#define MS 1000000ull
#define PERIOD 8333333ull /* 120 Hz */

static void counts_frames_by_path(void **state) {
	struct verso_stats s;
	verso_stats_init(&s);
	verso_stats_commit(&s);
	verso_stats_frame(&s, false, false);
	verso_stats_commit(&s);
	verso_stats_frame(&s, true, false);
	verso_stats_commit(&s); /* a mode set: a commit, not a frame */
	assert_int_equal(s.frames_composited, 1);
	assert_int_equal(s.frames_scanout, 1);
	assert_int_equal(s.commits, 3);
	assert_int_equal(s.frames_presented, 0);
}

static void continuous_frames_count_missed_vblanks(void **state) {
	struct verso_stats s;
	verso_stats_init(&s);
	uint64_t t = 1000 * MS;
	unsigned seq = 100;

	verso_stats_frame(&s, false, false);
	verso_stats_present(&s, seq, t);
	/* next vblank: nothing missed */
	verso_stats_frame(&s, false, true);
	verso_stats_present(&s, ++seq, t += PERIOD);
	assert_int_equal(s.vblanks_missed, 0);
	/* landed two vblanks late */
	seq += 3;
	verso_stats_frame(&s, false, true);
	verso_stats_present(&s, seq, t += 3 * PERIOD);
	assert_int_equal(s.vblanks_missed, 2);
	assert_int_equal(s.frames_presented, 3);
}

static void idle_gaps_are_not_missed(void **state) {
	struct verso_stats s;
	verso_stats_init(&s);
	verso_stats_frame(&s, false, false);
	verso_stats_present(&s, 10, 1000 * MS);
	/* a frame after a long idle period starts a new run */
	verso_stats_frame(&s, false, false);
	verso_stats_present(&s, 500, 5000 * MS);
	assert_int_equal(s.vblanks_missed, 0);
}

static void no_counter_no_misses(void **state) {
	struct verso_stats s;
	verso_stats_init(&s);
	for (int i = 0; i < 5; i++) {
		verso_stats_frame(&s, false, true);
		verso_stats_present(&s, 0, (uint64_t)i * 100 * MS);
	}
	assert_int_equal(s.vblanks_missed, 0);
}

static void sequence_wraps(void **state) {
	struct verso_stats s;
	verso_stats_init(&s);
	verso_stats_frame(&s, false, false);
	verso_stats_present(&s, 0xfffffffeu, MS);
	verso_stats_frame(&s, false, true);
	verso_stats_present(&s, 0xffffffffu, 2 * MS);
	verso_stats_frame(&s, false, true);
	verso_stats_present(&s, 2, 3 * MS); /* skipped 0 (and 1) */
	assert_int_equal(s.vblanks_missed, 2);
}

static void fps_over_last_second(void **state) {
	struct verso_stats s;
	verso_stats_init(&s);
	uint64_t t = 10000 * MS;
	for (int i = 0; i < 240; i++) {
		verso_stats_present(&s, 0, t + (uint64_t)i * PERIOD);
	}
	uint64_t last = t + 239 * PERIOD;
	double fps = verso_stats_fps(&s, last);
	assert_true(fps >= 119 && fps <= 121);
	/* idle for two seconds: nothing presented lately */
	assert_true(verso_stats_fps(&s, last + 2000 * MS) == 0);
	/* half a second later, about half the window remains */
	fps = verso_stats_fps(&s, last + 500 * MS);
	assert_true(fps >= 59 && fps <= 61);
}

static void fps_ring_overflow(void **state) {
	struct verso_stats s;
	verso_stats_init(&s);
	/* 1000 Hz for two seconds overflows the ring; it keeps the newest */
	for (uint64_t i = 0; i < 2000; i++) {
		verso_stats_present(&s, 0, i * MS);
	}
	assert_true(verso_stats_fps(&s, 1999 * MS) == VERSO_STATS_FPS_RING);
	assert_int_equal(s.frames_presented, 2000);
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(counts_frames_by_path),
		cmocka_unit_test(continuous_frames_count_missed_vblanks),
		cmocka_unit_test(idle_gaps_are_not_missed),
		cmocka_unit_test(no_counter_no_misses),
		cmocka_unit_test(sequence_wraps),
		cmocka_unit_test(fps_over_last_second),
		cmocka_unit_test(fps_ring_overflow),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
