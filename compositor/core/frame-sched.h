/* SPDX-License-Identifier: MIT */
/*
 * Frame scheduling policy for the rear output: when to draw, at which
 * refresh, when to blank, and when the compositor needs a timer at all.
 *
 * States:
 *  - ACTIVE: full refresh (config refresh, 120 Hz, or the closest mode below).
 *  - IDLE: entered idle_after_ms after the last damage, touch or animation.
 *    The output runs the low refresh: adaptive sync at the active mode when
 *    the connector has VRR, else the lowest mode at or above idle_refresh
 *    (the 1-10 Hz modes a panel offers). Damage still draws, at that rate.
 *    Touch, animation, a notification or a wake go back to ACTIVE at once.
 *    Damage alone goes back only when a client draws continuously, that is
 *    when two damages in a row each follow, within VERSO_FRAME_BUSY_GAP_MS,
 *    a frame that drew damage: a clock ticking once a second stays IDLE,
 *    also one that asks for a frame callback before each tick.
 *  - BLANK: blank_timeout_ms after the last user activity (touch,
 *    notification, wake), unless inhibited (idle-inhibit). Damage is noted
 *    but not drawn. Only wake() and notification() unblank; touch does not,
 *    the compositor decides which gesture wakes (double tap by default).
 *
 * Every entry point takes the time (CLOCK_MONOTONIC ms) and returns a mask
 * of actions for the compositor. After any call, the compositor re-arms its
 * single timer from verso_frame_sched_next_deadline(), which is -1 (disarm)
 * once the output is IDLE with no blank pending or BLANK: zero wakeups when
 * nothing changes.
 */
#ifndef VERSO_CORE_FRAME_SCHED_H
#define VERSO_CORE_FRAME_SCHED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VERSO_FRAME_BUSY_GAP_MS 50
#define VERSO_FRAME_MAX_MODES 32

struct verso_frame_sched_config {
	int32_t refresh_hz; /* wanted active refresh */
	int32_t idle_refresh_hz; /* 0: never lower the refresh */
	int32_t idle_after_ms;
	int32_t blank_timeout_ms; /* 0: never blank */
};

void verso_frame_sched_config_defaults(struct verso_frame_sched_config *cfg);

enum verso_frame_state {
	VERSO_FRAME_ACTIVE,
	VERSO_FRAME_IDLE,
	VERSO_FRAME_BLANK,
};

const char *verso_frame_state_str(enum verso_frame_state state);

enum verso_frame_action {
	VERSO_FRAME_DO_SCHEDULE = 1 << 0, /* wlr_output_schedule_frame() */
	VERSO_FRAME_DO_SET_MODE = 1 << 1, /* apply verso_frame_sched_mode() */
	VERSO_FRAME_DO_BLANK = 1 << 2, /* disable the output */
	VERSO_FRAME_DO_UNBLANK = 1 << 3, /* enable it with the mode; redraw all */
};

struct verso_frame_mode {
	int32_t refresh_mhz;
	bool adaptive_sync;
};

struct verso_frame_sched_stats {
	uint32_t frames, mode_switches, blanks, wakes, ticks;
};

struct verso_frame_sched {
	struct verso_frame_sched_config cfg;
	/* Private. */
	int32_t modes[VERSO_FRAME_MAX_MODES]; /* mHz at the native size */
	size_t n_modes;
	bool vrr;
	struct verso_frame_mode active_mode, idle_mode, mode;
	enum verso_frame_state state;
	bool damage_pending, animating, inhibited;
	int64_t last_busy_ms, last_activity_ms, last_frame_ms;
	bool have_frame, last_frame_damaged;
	bool mode_unapplied; /* SET_MODE returned, mode_applied() not yet */
	int fast_damages;
	struct verso_frame_sched_stats stats;
};

void verso_frame_sched_init(struct verso_frame_sched *fs,
	const struct verso_frame_sched_config *cfg, int64_t now_ms);
/* New config (reload). May change the mode. */
uint32_t verso_frame_sched_configure(struct verso_frame_sched *fs,
	const struct verso_frame_sched_config *cfg, int64_t now_ms);
/* The refresh rates (mHz) of the modes at the output's native size, and
 * whether it supports adaptive sync. Zero modes: trust the config. */
uint32_t verso_frame_sched_set_modes(struct verso_frame_sched *fs,
	const int32_t *refresh_mhz, size_t n, bool vrr, int64_t now_ms);

/* New content: call it when a client's damage arrives, not when its frame
 * is drawn (at a fixed idle refresh that is one slow vblank later). */
uint32_t verso_frame_sched_damage(struct verso_frame_sched *fs, int64_t now_ms);
uint32_t verso_frame_sched_animation(struct verso_frame_sched *fs, bool active,
	int64_t now_ms);
uint32_t verso_frame_sched_touch(struct verso_frame_sched *fs, int64_t now_ms);
uint32_t verso_frame_sched_notification(struct verso_frame_sched *fs,
	int64_t now_ms);
uint32_t verso_frame_sched_wake(struct verso_frame_sched *fs, int64_t now_ms);
uint32_t verso_frame_sched_blank(struct verso_frame_sched *fs, int64_t now_ms);
uint32_t verso_frame_sched_inhibit(struct verso_frame_sched *fs, bool inhibit,
	int64_t now_ms);
/* A frame was committed (the output's frame event handler rendered). */
uint32_t verso_frame_sched_frame_done(struct verso_frame_sched *fs,
	int64_t now_ms);
/*
 * The mode asked for with SET_MODE is on the output now. Until then the
 * policy does not go idle: at a slow fixed refresh the switch waits for the
 * page flip in flight, and the idle countdown starts once it has landed.
 */
uint32_t verso_frame_sched_mode_applied(struct verso_frame_sched *fs,
	int64_t now_ms);
/* The timer fired. Early, late or spurious calls are harmless. */
uint32_t verso_frame_sched_tick(struct verso_frame_sched *fs, int64_t now_ms);

/* When to call tick(), or -1 for no timer. */
int64_t verso_frame_sched_next_deadline(const struct verso_frame_sched *fs);
struct verso_frame_mode verso_frame_sched_mode(const struct verso_frame_sched *fs);
enum verso_frame_state verso_frame_sched_state(const struct verso_frame_sched *fs);

#endif
