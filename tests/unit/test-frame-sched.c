// SPDX-License-Identifier: MIT
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/frame-sched.h"

/* What a DSI cover panel offers at its native size. */
static const int32_t panel_modes[] = { 120000, 90000, 60000, 10000, 1000 };
#define N_PANEL (sizeof(panel_modes) / sizeof(panel_modes[0]))

static void init(struct verso_frame_sched *fs) {
	struct verso_frame_sched_config cfg;
	verso_frame_sched_config_defaults(&cfg);
	verso_frame_sched_init(fs, &cfg, 0);
	verso_frame_sched_set_modes(fs, panel_modes, N_PANEL, false, 0);
}

/*
 * Drives the scheduler as the compositor's event loop would, with nothing
 * happening: the timer fires only at deadlines. Returns the wakeups.
 */
static int run_idle(struct verso_frame_sched *fs, int64_t *now, int64_t until) {
	int wakeups = 0;
	for (;;) {
		int64_t at = verso_frame_sched_next_deadline(fs);
		if (at < 0 || at > until) {
			break;
		}
		assert_true(at >= *now);
		*now = at;
		verso_frame_sched_tick(fs, at);
		wakeups++;
		assert_true(wakeups < 100);
	}
	return wakeups;
}

static void test_idle_then_blank_then_silence(void **state) {
	struct verso_frame_sched fs;
	int64_t now = 0;
	init(&fs);
	assert_int_equal(verso_frame_sched_mode(&fs).refresh_mhz, 120000);
	assert_int_equal(verso_frame_sched_next_deadline(&fs), 500);

	/* Idle after 500 ms: down to the 1 Hz mode. */
	assert_int_equal(verso_frame_sched_tick(&fs, 499), 0);
	assert_int_equal(verso_frame_sched_tick(&fs, 500), VERSO_FRAME_DO_SET_MODE);
	assert_int_equal(verso_frame_sched_state(&fs), VERSO_FRAME_IDLE);
	assert_int_equal(verso_frame_sched_mode(&fs).refresh_mhz, 1000);
	assert_false(verso_frame_sched_mode(&fs).adaptive_sync);
	/* Blank 15 s after the last activity. */
	assert_int_equal(verso_frame_sched_next_deadline(&fs), 15000);
	assert_int_equal(verso_frame_sched_tick(&fs, 15000), VERSO_FRAME_DO_BLANK);
	assert_int_equal(verso_frame_sched_state(&fs), VERSO_FRAME_BLANK);
	/* Then nothing at all: no timer. */
	assert_int_equal(verso_frame_sched_next_deadline(&fs), -1);
	now = 15000;
	assert_int_equal(run_idle(&fs, &now, 3600 * 1000), 0);
}

static void test_one_idle_hour_wakeups(void **state) {
	struct verso_frame_sched fs;
	int64_t now = 0;
	init(&fs);
	/* Two timer wakeups in an hour of nothing: idle, then blank. */
	int w = run_idle(&fs, &now, 3600 * 1000);
	print_message("wakeups in an idle hour: %d\n", w);
	assert_int_equal(w, 2);

	/* Never blanking, never lowering the refresh: zero, from the start. */
	struct verso_frame_sched_config cfg;
	verso_frame_sched_config_defaults(&cfg);
	cfg.blank_timeout_ms = 0;
	cfg.idle_refresh_hz = 0;
	verso_frame_sched_init(&fs, &cfg, 0);
	now = 0;
	assert_int_equal(run_idle(&fs, &now, 3600 * 1000), 0);
}

static void test_mode_choice(void **state) {
	struct verso_frame_sched fs;
	init(&fs);

	/* VRR: stay at the fast mode, adaptive sync does the idling. */
	verso_frame_sched_set_modes(&fs, panel_modes, N_PANEL, true, 0);
	verso_frame_sched_tick(&fs, 500);
	assert_int_equal(verso_frame_sched_mode(&fs).refresh_mhz, 120000);
	assert_true(verso_frame_sched_mode(&fs).adaptive_sync);

	/* No low modes: the slowest there is. */
	static const int32_t plain[] = { 60000, 120000 };
	init(&fs);
	verso_frame_sched_set_modes(&fs, plain, 2, false, 0);
	verso_frame_sched_tick(&fs, 500);
	assert_int_equal(verso_frame_sched_mode(&fs).refresh_mhz, 60000);

	/* A single mode: no idle switch and no idle timer. */
	static const int32_t one[] = { 119940 };
	init(&fs);
	verso_frame_sched_set_modes(&fs, one, 1, false, 0);
	assert_int_equal(verso_frame_sched_mode(&fs).refresh_mhz, 119940);
	assert_int_equal(verso_frame_sched_next_deadline(&fs), 15000);

	/* refresh = 90: the 90 Hz mode, idle_refresh = 5: the 10 Hz mode. */
	struct verso_frame_sched_config cfg;
	verso_frame_sched_config_defaults(&cfg);
	cfg.refresh_hz = 90;
	cfg.idle_refresh_hz = 5;
	verso_frame_sched_init(&fs, &cfg, 0);
	verso_frame_sched_set_modes(&fs, panel_modes, N_PANEL, false, 0);
	assert_int_equal(verso_frame_sched_mode(&fs).refresh_mhz, 90000);
	verso_frame_sched_tick(&fs, 500);
	assert_int_equal(verso_frame_sched_mode(&fs).refresh_mhz, 10000);

	/* Junk modes are ignored, too many are cut. */
	int32_t many[100];
	for (int i = 0; i < 100; i++) {
		many[i] = i % 3 ? 1000 * i : -5;
	}
	verso_frame_sched_set_modes(&fs, many, 100, false, 0);
	assert_true(fs.n_modes <= VERSO_FRAME_MAX_MODES);
}

static void test_damage_and_frames(void **state) {
	struct verso_frame_sched fs;
	init(&fs);
	assert_int_equal(verso_frame_sched_damage(&fs, 100),
		VERSO_FRAME_DO_SCHEDULE);
	/* While a frame is pending there is no idle timer. */
	assert_int_equal(verso_frame_sched_next_deadline(&fs), 15000);
	assert_int_equal(verso_frame_sched_frame_done(&fs, 108), 0);
	assert_int_equal(verso_frame_sched_next_deadline(&fs), 600);
	assert_int_equal(fs.stats.frames, 1);
}

static void test_clock_stays_idle(void **state) {
	struct verso_frame_sched fs;
	init(&fs);
	verso_frame_sched_tick(&fs, 500);
	int switches = fs.stats.mode_switches;
	/* A clock hand ticking once a second for a minute. */
	for (int64_t t = 1000; t <= 60000; t += 1000) {
		uint32_t act = verso_frame_sched_damage(&fs, t);
		assert_int_equal(act, VERSO_FRAME_DO_SCHEDULE);
		verso_frame_sched_frame_done(&fs, t + 900);
		if (t == 14000) {
			verso_frame_sched_touch(&fs, t + 950);
			verso_frame_sched_mode_applied(&fs, t + 950);
			verso_frame_sched_tick(&fs, t + 1450);
		}
	}
	assert_int_equal(verso_frame_sched_state(&fs), VERSO_FRAME_IDLE);
	/* Only the touch switched up and back. */
	assert_int_equal(fs.stats.mode_switches - switches, 2);
}

static void test_continuous_client_goes_active(void **state) {
	struct verso_frame_sched fs;
	init(&fs);
	verso_frame_sched_tick(&fs, 500);
	/* A client redrawing on every frame callback. */
	int64_t t = 1000;
	uint32_t act = verso_frame_sched_damage(&fs, t);
	assert_false(act & VERSO_FRAME_DO_SET_MODE);
	verso_frame_sched_frame_done(&fs, t += 1000);
	act = verso_frame_sched_damage(&fs, t += 2);
	assert_false(act & VERSO_FRAME_DO_SET_MODE);
	verso_frame_sched_frame_done(&fs, t += 1000);
	act = verso_frame_sched_damage(&fs, t += 2);
	assert_true(act & VERSO_FRAME_DO_SET_MODE);
	assert_int_equal(verso_frame_sched_mode(&fs).refresh_mhz, 120000);
}

/* A clock that asks for a frame callback and draws when it is done: its
 * damage comes right after a frame, but one that drew nothing. */
static void test_callback_clock_stays_idle(void **state) {
	struct verso_frame_sched fs;
	init(&fs);
	verso_frame_sched_tick(&fs, 500);
	for (int64_t t = 1000; t <= 20000; t += 1000) {
		verso_frame_sched_frame_done(&fs, t); /* the callback's frame */
		uint32_t act = verso_frame_sched_damage(&fs, t + 3);
		assert_false(act & VERSO_FRAME_DO_SET_MODE);
		verso_frame_sched_frame_done(&fs, t + 500);
	}
	assert_int_equal(verso_frame_sched_state(&fs), VERSO_FRAME_IDLE);
}

/* A slide asked for at the slow idle refresh: the fast mode lands only
 * after the flip in flight, when the slide is over. The policy must not
 * go idle before it lands, or the switch is dropped. */
static void test_switch_lands_late(void **state) {
	struct verso_frame_sched fs;
	init(&fs);
	verso_frame_sched_tick(&fs, 500);
	assert_int_equal(verso_frame_sched_state(&fs), VERSO_FRAME_IDLE);
	verso_frame_sched_mode_applied(&fs, 510);
	uint32_t act = verso_frame_sched_animation(&fs, true, 1000);
	assert_true(act & VERSO_FRAME_DO_SET_MODE);
	verso_frame_sched_animation(&fs, false, 1250);
	/* 300 ms later the old policy went idle again: not before the
	 * switch has landed. */
	verso_frame_sched_tick(&fs, 1800);
	assert_int_equal(verso_frame_sched_state(&fs), VERSO_FRAME_ACTIVE);
	verso_frame_sched_mode_applied(&fs, 2200);
	assert_int_equal(verso_frame_sched_next_deadline(&fs), 2700);
	verso_frame_sched_tick(&fs, 2700);
	assert_int_equal(verso_frame_sched_state(&fs), VERSO_FRAME_IDLE);
}

static void test_touch_and_animation(void **state) {
	struct verso_frame_sched fs;
	init(&fs);
	verso_frame_sched_tick(&fs, 500);
	assert_int_equal(verso_frame_sched_touch(&fs, 1000),
		VERSO_FRAME_DO_SET_MODE);
	assert_int_equal(verso_frame_sched_state(&fs), VERSO_FRAME_ACTIVE);
	/* No idle countdown until the fast mode is on the output... */
	assert_int_equal(verso_frame_sched_next_deadline(&fs), 16000);
	/* ... which at a slow refresh waits for the flip in flight. */
	verso_frame_sched_mode_applied(&fs, 1040);
	assert_int_equal(verso_frame_sched_next_deadline(&fs), 1540);

	uint32_t act = verso_frame_sched_animation(&fs, true, 1100);
	assert_int_equal(act, VERSO_FRAME_DO_SCHEDULE);
	/* Frames chain while animating, and no idle timer runs. */
	for (int64_t t = 1108; t < 1350; t += 8) {
		assert_int_equal(verso_frame_sched_frame_done(&fs, t),
			VERSO_FRAME_DO_SCHEDULE);
		assert_int_equal(verso_frame_sched_next_deadline(&fs), 16000);
	}
	verso_frame_sched_animation(&fs, false, 1350);
	assert_int_equal(verso_frame_sched_frame_done(&fs, 1358), 0);
	assert_int_equal(verso_frame_sched_next_deadline(&fs), 1850);
}

static void test_blank_wake(void **state) {
	struct verso_frame_sched fs;
	init(&fs);
	verso_frame_sched_tick(&fs, 500);
	verso_frame_sched_tick(&fs, 15000);
	assert_int_equal(verso_frame_sched_state(&fs), VERSO_FRAME_BLANK);
	/* Damage and touch while blank draw nothing and wake nothing. */
	assert_int_equal(verso_frame_sched_damage(&fs, 16000), 0);
	assert_int_equal(verso_frame_sched_touch(&fs, 16100), 0);
	assert_int_equal(verso_frame_sched_animation(&fs, true, 16100), 0);
	verso_frame_sched_animation(&fs, false, 16100);
	assert_int_equal(verso_frame_sched_next_deadline(&fs), -1);

	uint32_t act = verso_frame_sched_wake(&fs, 20000);
	assert_int_equal(act, VERSO_FRAME_DO_UNBLANK | VERSO_FRAME_DO_SET_MODE |
		VERSO_FRAME_DO_SCHEDULE);
	assert_int_equal(verso_frame_sched_mode(&fs).refresh_mhz, 120000);
	/* The damage noted while blank is drawn before idling again. */
	assert_int_equal(verso_frame_sched_next_deadline(&fs), 35000);
	verso_frame_sched_frame_done(&fs, 20008);
	assert_int_equal(verso_frame_sched_next_deadline(&fs), 20500);
	/* A second wake is just activity. */
	assert_int_equal(verso_frame_sched_wake(&fs, 20100), 0);

	verso_frame_sched_blank(&fs, 21000);
	act = verso_frame_sched_notification(&fs, 22000);
	assert_true(act & VERSO_FRAME_DO_UNBLANK);
	assert_true(act & VERSO_FRAME_DO_SCHEDULE);
	assert_int_equal(fs.stats.blanks, 2);
	assert_int_equal(fs.stats.wakes, 2);
}

static void test_inhibit(void **state) {
	struct verso_frame_sched fs;
	int64_t now = 0;
	init(&fs);
	verso_frame_sched_inhibit(&fs, true, 0);
	run_idle(&fs, &now, 3600 * 1000);
	assert_int_equal(verso_frame_sched_state(&fs), VERSO_FRAME_IDLE);
	assert_int_equal(verso_frame_sched_next_deadline(&fs), -1);
	/* The countdown starts when the inhibitor goes. */
	verso_frame_sched_inhibit(&fs, false, 100000);
	assert_int_equal(verso_frame_sched_next_deadline(&fs), 115000);
}

static void test_reconfigure(void **state) {
	struct verso_frame_sched fs;
	struct verso_frame_sched_config cfg;
	init(&fs);
	verso_frame_sched_config_defaults(&cfg);
	cfg.refresh_hz = 60;
	assert_int_equal(verso_frame_sched_configure(&fs, &cfg, 10),
		VERSO_FRAME_DO_SET_MODE);
	assert_int_equal(verso_frame_sched_mode(&fs).refresh_mhz, 60000);
	assert_int_equal(verso_frame_sched_configure(&fs, &cfg, 20), 0);
	/* Absurd times saturate instead of wrapping. */
	verso_frame_sched_touch(&fs, INT64_MAX - 5);
	assert_true(verso_frame_sched_next_deadline(&fs) == INT64_MAX);
	verso_frame_sched_tick(&fs, INT64_MAX);
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_idle_then_blank_then_silence),
		cmocka_unit_test(test_one_idle_hour_wakeups),
		cmocka_unit_test(test_mode_choice),
		cmocka_unit_test(test_damage_and_frames),
		cmocka_unit_test(test_clock_stays_idle),
		cmocka_unit_test(test_continuous_client_goes_active),
		cmocka_unit_test(test_callback_clock_stays_idle),
		cmocka_unit_test(test_switch_lands_late),
		cmocka_unit_test(test_touch_and_animation),
		cmocka_unit_test(test_blank_wake),
		cmocka_unit_test(test_inhibit),
		cmocka_unit_test(test_reconfigure),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
