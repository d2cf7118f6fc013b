// SPDX-License-Identifier: MIT
/*
 * Contact sizes from evdev slots, matched to libinput's touch ids
 * (compositor/core/touch-slots.c).
 */
#include <linux/input.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "core/touch-slots.h"

/* A 1000x500 unit device with 10 slots. */
static void setup(struct verso_mt_track *t) {
	verso_mt_init(t, 10, 0, 999, 0, 499);
}

static void ev(struct verso_mt_track *t, uint16_t code, int32_t value) {
	verso_mt_event(t, EV_ABS, code, value);
}

static void syn(struct verso_mt_track *t) {
	verso_mt_event(t, EV_SYN, SYN_REPORT, 0);
}

/* A contact lands in slot at x, y (device units). */
static void land(struct verso_mt_track *t, int slot, int tracking, int x,
		int y, int major) {
	ev(t, ABS_MT_SLOT, slot);
	ev(t, ABS_MT_TRACKING_ID, tracking);
	ev(t, ABS_MT_POSITION_X, x);
	ev(t, ABS_MT_POSITION_Y, y);
	ev(t, ABS_MT_TOUCH_MAJOR, major);
}

static void lift(struct verso_mt_track *t, int slot) {
	ev(t, ABS_MT_SLOT, slot);
	ev(t, ABS_MT_TRACKING_ID, -1);
}

static int major_of(struct verso_mt_track *t, int32_t id) {
	struct verso_mt_size size;
	assert_true(verso_mt_take(t, id, &size));
	return size.major;
}

static void test_one_contact(void **state) {
	struct verso_mt_track t;
	setup(&t);
	land(&t, 0, 7, 500, 250, 80);
	syn(&t);
	assert_true(verso_mt_match(&t, 0, 0.5, 0.5));
	assert_int_equal(major_of(&t, 0), 80);
	/* It spreads: the change is reported once. */
	ev(&t, ABS_MT_TOUCH_MAJOR, 220);
	syn(&t);
	size_t iter = 0;
	int32_t id = -1;
	assert_true(verso_mt_next_changed(&t, &iter, &id));
	assert_int_equal(id, 0);
	assert_false(verso_mt_next_changed(&t, &iter, &id));
	assert_int_equal(major_of(&t, 0), 220);
	iter = 0;
	assert_false(verso_mt_next_changed(&t, &iter, &id));
	lift(&t, 0);
	syn(&t);
	verso_mt_release(&t, 0);
	assert_int_equal(verso_mt_count(&t), 0);
	/* Nothing to match, or unknown ids. */
	struct verso_mt_size size;
	assert_false(verso_mt_match(&t, 0, 0.5, 0.5));
	assert_false(verso_mt_take(&t, 3, &size));
}

/*
 * A contact spreads and lifts between two polls of the kernel's slots
 * (touch-evdev.c without read access to the node): the poll commits the
 * lifted slot's last values before its end, so the spread is still seen.
 */
static void test_spread_then_lift_polled(void **state) {
	struct verso_mt_track t;
	setup(&t);
	land(&t, 0, 7, 500, 250, 10);
	syn(&t);
	assert_true(verso_mt_match(&t, 0, 0.5, 0.5));
	assert_int_equal(major_of(&t, 0), 10);
	/* The poll: the slot's values with its tracking id -1, in two frames. */
	ev(&t, ABS_MT_SLOT, 0);
	ev(&t, ABS_MT_POSITION_X, 500);
	ev(&t, ABS_MT_POSITION_Y, 250);
	ev(&t, ABS_MT_TOUCH_MAJOR, 300);
	syn(&t);
	ev(&t, ABS_MT_SLOT, 0);
	ev(&t, ABS_MT_TRACKING_ID, -1);
	syn(&t);
	assert_int_equal(major_of(&t, 0), 300);
	verso_mt_release(&t, 0);
	assert_int_equal(verso_mt_count(&t), 0);
}

/* Seat slots are not device slots: the position decides. */
static void test_match_by_position(void **state) {
	struct verso_mt_track t;
	setup(&t);
	land(&t, 2, 10, 100, 100, 240); /* a palm, left */
	land(&t, 7, 11, 900, 400, 80); /* a finger, right */
	syn(&t);
	/* libinput announces the right one first under seat slot 0. */
	assert_true(verso_mt_match(&t, 0, 0.9, 0.8));
	assert_true(verso_mt_match(&t, 1, 0.1, 0.2));
	assert_int_equal(major_of(&t, 0), 80);
	assert_int_equal(major_of(&t, 1), 240);
}

/* The reader is ahead: two taps at one spot and the next landing, all
 * read before libinput reports the first. Earliest first. */
static void test_ahead_of_libinput(void **state) {
	struct verso_mt_track t;
	setup(&t);
	land(&t, 0, 1, 500, 250, 60);
	syn(&t);
	lift(&t, 0);
	syn(&t);
	land(&t, 0, 2, 502, 251, 90);
	syn(&t);
	assert_true(verso_mt_match(&t, 0, 0.5, 0.5));
	assert_int_equal(major_of(&t, 0), 60);
	verso_mt_release(&t, 0);
	assert_true(verso_mt_match(&t, 0, 0.5, 0.5));
	assert_int_equal(major_of(&t, 0), 90);
	assert_int_equal(verso_mt_count(&t), 1);
}

/* The largest size between two reads is the one reported. */
static void test_peak(void **state) {
	struct verso_mt_track t;
	setup(&t);
	land(&t, 3, 1, 500, 250, 80);
	syn(&t);
	assert_true(verso_mt_match(&t, 5, 0.5, 0.5));
	assert_int_equal(major_of(&t, 5), 80);
	ev(&t, ABS_MT_TOUCH_MAJOR, 300);
	syn(&t);
	ev(&t, ABS_MT_TOUCH_MAJOR, 90);
	syn(&t);
	assert_int_equal(major_of(&t, 5), 300);
	assert_int_equal(major_of(&t, 5), 90);
}

/* MT_TOOL_PALM: libinput swallows a palm from the start (never matched)
 * and cancels one that turns palm. */
static void test_tool_palm(void **state) {
	struct verso_mt_track t;
	struct verso_mt_size size;
	setup(&t);
	land(&t, 0, 1, 100, 250, 0);
	ev(&t, ABS_MT_TOOL_TYPE, MT_TOOL_PALM);
	land(&t, 1, 2, 800, 250, 0);
	ev(&t, ABS_MT_TOOL_TYPE, MT_TOOL_FINGER);
	syn(&t);
	assert_true(verso_mt_match(&t, 0, 0.8, 0.5));
	assert_true(verso_mt_take(&t, 0, &size));
	assert_false(size.palm);
	ev(&t, ABS_MT_TOOL_TYPE, MT_TOOL_PALM);
	syn(&t);
	assert_true(verso_mt_take(&t, 0, &size));
	assert_true(size.palm);
	/* libinput cancels it; the device keeps it down: never matched again. */
	verso_mt_release(&t, 0);
	assert_false(verso_mt_match(&t, 0, 0.8, 0.5));
	lift(&t, 0);
	lift(&t, 1);
	syn(&t);
	verso_mt_release(&t, 0);
	/* The swallowed palm lingers until the table needs its room. */
	assert_true(verso_mt_count(&t) <= 1);
}

/* A calibration matrix (here a 90° turn) applies as libinput applies it. */
static void test_calibration(void **state) {
	struct verso_mt_track t;
	setup(&t);
	const float turn[6] = { 0, -1, 1, 1, 0, 0 };
	verso_mt_set_calibration(&t, turn);
	land(&t, 0, 1, 100, 100, 50); /* 0.1, 0.2 -> 0.8, 0.1 */
	land(&t, 1, 2, 900, 400, 150); /* 0.9, 0.8 -> 0.2, 0.9 */
	syn(&t);
	assert_true(verso_mt_match(&t, 0, 0.2, 0.9));
	assert_int_equal(major_of(&t, 0), 150);
	assert_true(verso_mt_match(&t, 1, 0.8, 0.1));
	assert_int_equal(major_of(&t, 1), 50);
	const float bad[6] = { 1, 0, 0, 0, 1, NAN };
	verso_mt_set_calibration(&t, bad); /* ignored */
	assert_true(t.calib[5] == 0);
}

/* A slot replaced without a lift (a resync), slots out of range, events
 * of other types, and a lost up all keep the state sane. */
static void test_odd_sequences(void **state) {
	struct verso_mt_track t;
	setup(&t);
	land(&t, 4, 1, 500, 250, 70);
	syn(&t);
	assert_true(verso_mt_match(&t, 0, 0.5, 0.5));
	ev(&t, ABS_MT_SLOT, 4);
	ev(&t, ABS_MT_TRACKING_ID, 2);
	ev(&t, ABS_MT_TOUCH_MAJOR, 130);
	syn(&t);
	/* libinput lost the up: matching id 0 again takes the new contact. */
	assert_true(verso_mt_match(&t, 0, 0.5, 0.5));
	assert_int_equal(major_of(&t, 0), 130);
	land(&t, 12, 3, 10, 10, 999); /* no such slot */
	ev(&t, ABS_MT_SLOT, -5);
	ev(&t, ABS_MT_TOUCH_MAJOR, 999);
	verso_mt_event(&t, EV_KEY, BTN_TOUCH, 1);
	verso_mt_event(&t, EV_SYN, SYN_DROPPED, 0);
	syn(&t);
	assert_int_equal(major_of(&t, 0), 130);
	assert_false(verso_mt_match(&t, 1, 0.01, 0.02));
	assert_false(verso_mt_match(&t, 2, NAN, 0.5));
}

/* Contacts libinput never reports (palms it swallowed) cannot fill the
 * table for good. */
static void test_eviction(void **state) {
	struct verso_mt_track t;
	setup(&t);
	for (int i = 0; i < 200; i++) {
		land(&t, i % 10, i, 10 * (i % 90), 100, 300);
		syn(&t);
		if (i % 3 == 0) {
			lift(&t, i % 10);
			syn(&t);
		}
		assert_true(verso_mt_count(&t) <= VERSO_MT_CONTACTS);
	}
	for (int s = 0; s < 10; s++) {
		lift(&t, s);
	}
	syn(&t);
	land(&t, 5, 1000, 600, 450, 77);
	syn(&t);
	assert_true(verso_mt_match(&t, 0, 0.6, 0.9));
	assert_int_equal(major_of(&t, 0), 77);
}

/* Any sequence is safe. */
static void test_random(void **state) {
	struct verso_mt_track t;
	static const uint16_t codes[] = {
		ABS_MT_SLOT, ABS_MT_TRACKING_ID, ABS_MT_POSITION_X,
		ABS_MT_POSITION_Y, ABS_MT_TOUCH_MAJOR, ABS_MT_TOOL_TYPE,
	};
	uint64_t r = 12345;
	verso_mt_init(&t, 40, 5, 4, 0, 0); /* odd ranges and slot count */
	for (int i = 0; i < 200000; i++) {
		r = r * 6364136223846793005ULL + 1442695040888963407ULL;
		int32_t value = (int32_t)(r >> 40) % 24 - 4;
		switch ((r >> 20) % 10) {
		case 0:
			syn(&t);
			break;
		case 1:
			verso_mt_match(&t, value, (r >> 8 & 255) / 255.0, 0.5);
			break;
		case 2:
			verso_mt_release(&t, value);
			break;
		case 3: {
			struct verso_mt_size size;
			size_t iter = 0;
			int32_t id;
			while (verso_mt_next_changed(&t, &iter, &id)) {
				verso_mt_take(&t, id, &size);
			}
			break;
		}
		default:
			ev(&t, codes[(r >> 12) % 6], value);
			break;
		}
		assert_true(verso_mt_count(&t) <= VERSO_MT_CONTACTS);
	}
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_contact),
		cmocka_unit_test(test_spread_then_lift_polled),
		cmocka_unit_test(test_match_by_position),
		cmocka_unit_test(test_ahead_of_libinput),
		cmocka_unit_test(test_peak),
		cmocka_unit_test(test_tool_palm),
		cmocka_unit_test(test_calibration),
		cmocka_unit_test(test_odd_sequences),
		cmocka_unit_test(test_eviction),
		cmocka_unit_test(test_random),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
