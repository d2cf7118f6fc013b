// SPDX-License-Identifier: MIT
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/gesture.h"

static struct verso_gesture_event out[VERSO_GESTURE_MAX_OUT];

static int feed(struct verso_gesture *g, enum verso_touch_type type,
		int32_t id, int64_t t, double x, double y) {
	struct verso_touch_event ev = {
		.type = type, .id = id, .time_ms = t, .x = x, .y = y,
	};
	return verso_gesture_feed(g, &ev, out);
}

static void init(struct verso_gesture *g) {
	struct verso_gesture_config cfg;
	verso_gesture_config_defaults(&cfg);
	verso_gesture_init(g, &cfg);
}

static void test_deadline_only_while_needed(void **state) {
	struct verso_gesture g;
	init(&g);
	assert_int_equal(verso_gesture_next_deadline(&g), -1);

	assert_int_equal(feed(&g, VERSO_TOUCH_DOWN, 0, 1000, 100, 100), 0);
	assert_int_equal(verso_gesture_next_deadline(&g), 1500);
	/* Within the slop the timer stays armed. */
	feed(&g, VERSO_TOUCH_MOTION, 0, 1100, 110, 105);
	assert_int_equal(verso_gesture_next_deadline(&g), 1500);
	/* Out of it, no long press is possible any more: disarm. */
	feed(&g, VERSO_TOUCH_MOTION, 0, 1150, 140, 100);
	assert_int_equal(verso_gesture_next_deadline(&g), -1);
	feed(&g, VERSO_TOUCH_UP, 0, 1200, 0, 0);
	assert_int_equal(verso_gesture_next_deadline(&g), -1);

	feed(&g, VERSO_TOUCH_DOWN, 0, 2000, 100, 100);
	feed(&g, VERSO_TOUCH_UP, 0, 2050, 0, 0);
	assert_int_equal(verso_gesture_next_deadline(&g), -1);
}

static void test_long_press_timer(void **state) {
	struct verso_gesture g;
	init(&g);
	feed(&g, VERSO_TOUCH_DOWN, 4, 0, 200, 200);
	/* Early timer: nothing. */
	assert_int_equal(verso_gesture_timeout(&g, 499, out), 0);
	assert_int_equal(verso_gesture_timeout(&g, 500, out), 1);
	assert_int_equal(out[0].type, VERSO_GESTURE_LONG_PRESS);
	assert_int_equal(out[0].time_ms, 500);
	assert_true(out[0].x == 200 && out[0].y == 200);
	assert_int_equal(verso_gesture_next_deadline(&g), -1);
	/* Fires once; the release is silent. */
	assert_int_equal(verso_gesture_timeout(&g, 600, out), 0);
	assert_int_equal(feed(&g, VERSO_TOUCH_UP, 4, 900, 0, 0), 0);
}

static void test_late_event_fires_long_press_first(void **state) {
	struct verso_gesture g;
	init(&g);
	feed(&g, VERSO_TOUCH_DOWN, 0, 0, 200, 200);
	/* The compositor's timer was late; the up arrives at 800. */
	assert_int_equal(feed(&g, VERSO_TOUCH_UP, 0, 800, 0, 0), 1);
	assert_int_equal(out[0].type, VERSO_GESTURE_LONG_PRESS);
	assert_int_equal(out[0].time_ms, 500);
}

static void test_long_press_disabled(void **state) {
	struct verso_gesture g;
	struct verso_gesture_config cfg;
	verso_gesture_config_defaults(&cfg);
	cfg.long_press_ms = 0;
	verso_gesture_init(&g, &cfg);
	feed(&g, VERSO_TOUCH_DOWN, 0, 0, 200, 200);
	assert_int_equal(verso_gesture_next_deadline(&g), -1);
	assert_int_equal(feed(&g, VERSO_TOUCH_UP, 0, 5000, 0, 0), 1);
	assert_int_equal(out[0].type, VERSO_GESTURE_TAP);
}

static void swipe(struct verso_gesture *g, double dx, double dy,
		enum verso_gesture_type want) {
	feed(g, VERSO_TOUCH_DOWN, 0, 10000, 240, 240);
	feed(g, VERSO_TOUCH_MOTION, 0, 10050, 240 + dx / 2, 240 + dy / 2);
	feed(g, VERSO_TOUCH_MOTION, 0, 10100, 240 + dx, 240 + dy);
	int n = feed(g, VERSO_TOUCH_UP, 0, 10110, 0, 0);
	if (want == VERSO_GESTURE_NONE) {
		assert_int_equal(n, 0);
		return;
	}
	assert_int_equal(n, 1);
	if (out[0].type != want) {
		fail_msg("dx %g dy %g: %s, want %s", dx, dy,
			verso_gesture_type_str(out[0].type),
			verso_gesture_type_str(want));
	}
	assert_true(out[0].dx == dx && out[0].dy == dy);
}

static void test_swipes(void **state) {
	struct verso_gesture g;
	init(&g);
	swipe(&g, -200, 10, VERSO_GESTURE_SWIPE_LEFT);
	swipe(&g, 200, -10, VERSO_GESTURE_SWIPE_RIGHT);
	swipe(&g, 5, 150, VERSO_GESTURE_SWIPE_DOWN);
	swipe(&g, 0, -150, VERSO_GESTURE_SWIPE_UP);
	swipe(&g, 60, 0, VERSO_GESTURE_SWIPE_RIGHT); /* exactly swipe_min */
	swipe(&g, 59, 0, VERSO_GESTURE_NONE);
	swipe(&g, 150, 100, VERSO_GESTURE_NONE); /* diagonal */
	swipe(&g, 150, 75, VERSO_GESTURE_SWIPE_RIGHT); /* 2:1 */

	struct verso_gesture_config cfg;
	verso_gesture_config_defaults(&cfg);
	cfg.swipe_min_px = 300;
	verso_gesture_configure(&g, &cfg);
	swipe(&g, -200, 0, VERSO_GESTURE_NONE);
}

static void test_double_tap(void **state) {
	struct verso_gesture g;
	init(&g);
	feed(&g, VERSO_TOUCH_DOWN, 0, 0, 100, 100);
	assert_int_equal(feed(&g, VERSO_TOUCH_UP, 0, 50, 0, 0), 1);
	assert_int_equal(out[0].type, VERSO_GESTURE_TAP);
	feed(&g, VERSO_TOUCH_DOWN, 0, 349, 120, 110);
	assert_int_equal(feed(&g, VERSO_TOUCH_UP, 0, 400, 0, 0), 1);
	assert_int_equal(out[0].type, VERSO_GESTURE_DOUBLE_TAP);

	/* Too far apart on the glass: two taps. */
	feed(&g, VERSO_TOUCH_DOWN, 0, 2000, 100, 100);
	feed(&g, VERSO_TOUCH_UP, 0, 2050, 0, 0);
	feed(&g, VERSO_TOUCH_DOWN, 0, 2150, 300, 100);
	assert_int_equal(feed(&g, VERSO_TOUCH_UP, 0, 2200, 0, 0), 1);
	assert_int_equal(out[0].type, VERSO_GESTURE_TAP);

	/* A swipe between two taps breaks the pair. */
	feed(&g, VERSO_TOUCH_DOWN, 0, 5000, 100, 100);
	feed(&g, VERSO_TOUCH_UP, 0, 5050, 0, 0);
	feed(&g, VERSO_TOUCH_DOWN, 0, 5100, 100, 100);
	feed(&g, VERSO_TOUCH_MOTION, 0, 5150, 300, 100);
	feed(&g, VERSO_TOUCH_UP, 0, 5160, 0, 0);
	feed(&g, VERSO_TOUCH_DOWN, 0, 5200, 100, 100);
	assert_int_equal(feed(&g, VERSO_TOUCH_UP, 0, 5250, 0, 0), 1);
	assert_int_equal(out[0].type, VERSO_GESTURE_TAP);
}

static void test_multi_finger_and_cancel(void **state) {
	struct verso_gesture g;
	init(&g);
	feed(&g, VERSO_TOUCH_DOWN, 0, 0, 100, 100);
	feed(&g, VERSO_TOUCH_DOWN, 1, 10, 300, 100);
	assert_int_equal(verso_gesture_next_deadline(&g), -1);
	assert_int_equal(feed(&g, VERSO_TOUCH_UP, 1, 40, 0, 0), 0);
	/* The first finger's release is no tap either. */
	assert_int_equal(feed(&g, VERSO_TOUCH_UP, 0, 50, 0, 0), 0);

	/* Once all fingers are up, recognition starts over. */
	feed(&g, VERSO_TOUCH_DOWN, 2, 100, 100, 100);
	assert_int_equal(feed(&g, VERSO_TOUCH_UP, 2, 150, 0, 0), 1);

	/* A cancelled swipe is nothing. */
	feed(&g, VERSO_TOUCH_DOWN, 3, 1000, 400, 200);
	feed(&g, VERSO_TOUCH_MOTION, 3, 1050, 100, 200);
	assert_int_equal(feed(&g, VERSO_TOUCH_CANCEL, 3, 1060, 0, 0), 0);
	assert_int_equal(feed(&g, VERSO_TOUCH_UP, 3, 1070, 0, 0), 0);
	assert_int_equal(verso_gesture_next_deadline(&g), -1);
}

static void test_bad_input(void **state) {
	struct verso_gesture g;
	init(&g);
	/* Unknown ids, NaN positions and absurd times change nothing. */
	assert_int_equal(feed(&g, VERSO_TOUCH_UP, 77, 0, 0, 0), 0);
	assert_int_equal(feed(&g, VERSO_TOUCH_MOTION, 77, 0, NAN, 1), 0);
	assert_int_equal(feed(&g, VERSO_TOUCH_DOWN, 1, 0, NAN, 1), 0);
	assert_int_equal(verso_gesture_next_deadline(&g), -1);
	feed(&g, VERSO_TOUCH_DOWN, 1, INT64_MAX - 10, 10, 10);
	assert_int_equal(verso_gesture_next_deadline(&g), -1);
	feed(&g, VERSO_TOUCH_MOTION, 1, INT64_MAX - 5, INFINITY, 10);
	assert_int_equal(feed(&g, VERSO_TOUCH_UP, 1, INT64_MAX, 0, 0), 1);
	assert_int_equal(out[0].type, VERSO_GESTURE_TAP);
	feed(&g, VERSO_TOUCH_DOWN, 1, INT64_MIN, 10, 10);
	assert_int_equal(feed(&g, VERSO_TOUCH_UP, 1, INT64_MIN + 1, 0, 0), 1);
	/* More contacts than tracked never overflow. */
	for (int i = 0; i < 100; i++) {
		feed(&g, VERSO_TOUCH_DOWN, i, 0, 10, 10);
	}
	for (int i = 0; i < 100; i++) {
		feed(&g, VERSO_TOUCH_UP, i, 0, 0, 0);
	}
	assert_string_equal(verso_gesture_type_str(99), "unknown");
	assert_int_equal(verso_gesture_type_from_str("swipe-left"),
		VERSO_GESTURE_SWIPE_LEFT);
	assert_int_equal(verso_gesture_type_from_str("nope"), VERSO_GESTURE_NONE);
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deadline_only_while_needed),
		cmocka_unit_test(test_long_press_timer),
		cmocka_unit_test(test_late_event_fires_long_press_first),
		cmocka_unit_test(test_long_press_disabled),
		cmocka_unit_test(test_swipes),
		cmocka_unit_test(test_double_tap),
		cmocka_unit_test(test_multi_finger_and_cancel),
		cmocka_unit_test(test_bad_input),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
