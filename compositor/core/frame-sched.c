// SPDX-License-Identifier: MIT
#include <string.h>
#include "frame-sched.h"

/* Modes within this many mHz count as the wanted rate (119.96 is 120). */
#define MHZ_SLACK 500

void verso_frame_sched_config_defaults(struct verso_frame_sched_config *cfg) {
	*cfg = (struct verso_frame_sched_config){
		.refresh_hz = 120,
		.idle_refresh_hz = 1,
		.idle_after_ms = 500,
		.blank_timeout_ms = 15000,
	};
}

const char *verso_frame_state_str(enum verso_frame_state state) {
	switch (state) {
	case VERSO_FRAME_ACTIVE:
		return "active";
	case VERSO_FRAME_IDLE:
		return "idle";
	case VERSO_FRAME_BLANK:
		return "blank";
	}
	return "unknown";
}

static int64_t add_ms(int64_t t, int32_t ms) {
	int64_t r;
	if (__builtin_add_overflow(t, (int64_t)ms, &r)) {
		return INT64_MAX;
	}
	return r < 0 ? 0 : r; /* -1 means "no deadline" */
}

static void pick_modes(struct verso_frame_sched *fs) {
	int64_t want = (int64_t)fs->cfg.refresh_hz * 1000;
	int64_t want_idle = (int64_t)fs->cfg.idle_refresh_hz * 1000;
	int32_t active = 0, lowest = 0;

	if (fs->n_modes == 0) {
		fs->active_mode = (struct verso_frame_mode){ (int32_t)want, false };
		fs->idle_mode = fs->active_mode;
		return;
	}
	/* Active: the fastest mode not above the wanted rate, else the
	 * slowest mode there is. */
	for (size_t i = 0; i < fs->n_modes; i++) {
		int32_t m = fs->modes[i];
		if (m <= want + MHZ_SLACK && m > active) {
			active = m;
		}
		if (lowest == 0 || m < lowest) {
			lowest = m;
		}
	}
	if (active == 0) {
		active = lowest;
	}
	fs->active_mode = (struct verso_frame_mode){ active, false };

	fs->idle_mode = fs->active_mode;
	if (fs->cfg.idle_refresh_hz <= 0) {
		return;
	}
	if (fs->vrr) {
		/* The panel slows down by itself between commits. */
		fs->idle_mode.adaptive_sync = true;
		return;
	}
	/* Idle: the slowest mode at or above idle_refresh, never faster than
	 * the active one. */
	int32_t idle = active;
	for (size_t i = 0; i < fs->n_modes; i++) {
		int32_t m = fs->modes[i];
		if (m >= want_idle - MHZ_SLACK && m < idle) {
			idle = m;
		}
	}
	fs->idle_mode.refresh_mhz = idle;
}

static bool mode_eq(struct verso_frame_mode a, struct verso_frame_mode b) {
	return a.refresh_mhz == b.refresh_mhz && a.adaptive_sync == b.adaptive_sync;
}

/* Sets the current mode from the state; SET_MODE if it changed. */
static uint32_t apply_mode(struct verso_frame_sched *fs) {
	struct verso_frame_mode m = fs->state == VERSO_FRAME_IDLE ?
		fs->idle_mode : fs->active_mode;
	if (fs->state == VERSO_FRAME_BLANK || mode_eq(m, fs->mode)) {
		return 0;
	}
	fs->mode = m;
	fs->mode_unapplied = true;
	fs->stats.mode_switches++;
	return VERSO_FRAME_DO_SET_MODE;
}

void verso_frame_sched_init(struct verso_frame_sched *fs,
		const struct verso_frame_sched_config *cfg, int64_t now_ms) {
	memset(fs, 0, sizeof(*fs));
	fs->cfg = *cfg;
	fs->state = VERSO_FRAME_ACTIVE;
	fs->last_busy_ms = fs->last_activity_ms = now_ms;
	pick_modes(fs);
	fs->mode = fs->active_mode;
}

uint32_t verso_frame_sched_configure(struct verso_frame_sched *fs,
		const struct verso_frame_sched_config *cfg, int64_t now_ms) {
	fs->cfg = *cfg;
	pick_modes(fs);
	return apply_mode(fs);
}

uint32_t verso_frame_sched_set_modes(struct verso_frame_sched *fs,
		const int32_t *refresh_mhz, size_t n, bool vrr, int64_t now_ms) {
	fs->n_modes = 0;
	for (size_t i = 0; i < n && fs->n_modes < VERSO_FRAME_MAX_MODES; i++) {
		if (refresh_mhz[i] > 0) {
			fs->modes[fs->n_modes++] = refresh_mhz[i];
		}
	}
	fs->vrr = vrr;
	pick_modes(fs);
	return apply_mode(fs);
}

/* Back to full refresh, if not there already. */
static uint32_t activate(struct verso_frame_sched *fs, int64_t now_ms) {
	fs->last_busy_ms = now_ms;
	fs->fast_damages = 0;
	if (fs->state != VERSO_FRAME_IDLE) {
		return 0;
	}
	fs->state = VERSO_FRAME_ACTIVE;
	return apply_mode(fs);
}

uint32_t verso_frame_sched_damage(struct verso_frame_sched *fs, int64_t now_ms) {
	uint32_t act = 0;
	fs->damage_pending = true;
	if (fs->state == VERSO_FRAME_BLANK) {
		return 0;
	}
	if (fs->state == VERSO_FRAME_ACTIVE) {
		fs->last_busy_ms = now_ms;
	} else {
		int64_t gap;
		/* Right after a frame that drew damage: a client paced by
		 * its frame callbacks. One that waits for a callback before
		 * each tick follows an empty frame. */
		bool fast = fs->have_frame && fs->last_frame_damaged &&
			!__builtin_sub_overflow(now_ms, fs->last_frame_ms, &gap) &&
			gap >= 0 && gap <= VERSO_FRAME_BUSY_GAP_MS;
		fs->fast_damages = fast ? fs->fast_damages + 1 : 0;
		if (fs->fast_damages >= 2) {
			act |= activate(fs, now_ms);
		}
	}
	return act | VERSO_FRAME_DO_SCHEDULE;
}

uint32_t verso_frame_sched_animation(struct verso_frame_sched *fs, bool active,
		int64_t now_ms) {
	bool was = fs->animating;
	fs->animating = active;
	if (!active) {
		if (was) {
			fs->last_busy_ms = now_ms;
		}
		return 0;
	}
	if (fs->state == VERSO_FRAME_BLANK) {
		return 0;
	}
	return activate(fs, now_ms) | VERSO_FRAME_DO_SCHEDULE;
}

uint32_t verso_frame_sched_touch(struct verso_frame_sched *fs, int64_t now_ms) {
	if (fs->state == VERSO_FRAME_BLANK) {
		return 0;
	}
	fs->last_activity_ms = now_ms;
	return activate(fs, now_ms);
}

uint32_t verso_frame_sched_wake(struct verso_frame_sched *fs, int64_t now_ms) {
	fs->last_activity_ms = now_ms;
	if (fs->state != VERSO_FRAME_BLANK) {
		return activate(fs, now_ms);
	}
	fs->state = VERSO_FRAME_ACTIVE;
	fs->last_busy_ms = now_ms;
	fs->fast_damages = 0;
	fs->mode = fs->active_mode;
	fs->stats.wakes++;
	/* The output was off: everything is stale, the mode is reapplied. */
	return VERSO_FRAME_DO_UNBLANK | VERSO_FRAME_DO_SET_MODE |
		VERSO_FRAME_DO_SCHEDULE;
}

uint32_t verso_frame_sched_notification(struct verso_frame_sched *fs,
		int64_t now_ms) {
	uint32_t act = verso_frame_sched_wake(fs, now_ms);
	return act | VERSO_FRAME_DO_SCHEDULE;
}

uint32_t verso_frame_sched_blank(struct verso_frame_sched *fs, int64_t now_ms) {
	if (fs->state == VERSO_FRAME_BLANK) {
		return 0;
	}
	fs->state = VERSO_FRAME_BLANK;
	fs->mode_unapplied = false;
	fs->stats.blanks++;
	return VERSO_FRAME_DO_BLANK;
}

uint32_t verso_frame_sched_inhibit(struct verso_frame_sched *fs, bool inhibit,
		int64_t now_ms) {
	if (fs->inhibited && !inhibit) {
		/* The blank countdown starts when the inhibitor goes away. */
		fs->last_activity_ms = now_ms;
	}
	fs->inhibited = inhibit;
	return 0;
}

uint32_t verso_frame_sched_frame_done(struct verso_frame_sched *fs,
		int64_t now_ms) {
	fs->last_frame_damaged = fs->damage_pending;
	fs->damage_pending = false;
	fs->last_frame_ms = now_ms;
	fs->have_frame = true;
	fs->stats.frames++;
	if (fs->state == VERSO_FRAME_ACTIVE) {
		fs->last_busy_ms = fs->animating ? now_ms : fs->last_busy_ms;
	}
	if (fs->animating && fs->state != VERSO_FRAME_BLANK) {
		return VERSO_FRAME_DO_SCHEDULE;
	}
	return 0;
}

uint32_t verso_frame_sched_mode_applied(struct verso_frame_sched *fs,
		int64_t now_ms) {
	if (fs->mode_unapplied && fs->state == VERSO_FRAME_ACTIVE) {
		fs->last_busy_ms = now_ms;
	}
	fs->mode_unapplied = false;
	return 0;
}

static int64_t idle_deadline(const struct verso_frame_sched *fs) {
	if (fs->state != VERSO_FRAME_ACTIVE || fs->animating ||
			fs->mode_unapplied ||
			fs->damage_pending || fs->cfg.idle_refresh_hz <= 0 ||
			mode_eq(fs->idle_mode, fs->active_mode)) {
		return -1;
	}
	return add_ms(fs->last_busy_ms, fs->cfg.idle_after_ms);
}

static int64_t blank_deadline(const struct verso_frame_sched *fs) {
	if (fs->state == VERSO_FRAME_BLANK || fs->inhibited ||
			fs->cfg.blank_timeout_ms <= 0) {
		return -1;
	}
	return add_ms(fs->last_activity_ms, fs->cfg.blank_timeout_ms);
}

int64_t verso_frame_sched_next_deadline(const struct verso_frame_sched *fs) {
	int64_t a = idle_deadline(fs), b = blank_deadline(fs);
	if (a < 0) {
		return b;
	}
	if (b < 0) {
		return a;
	}
	return a < b ? a : b;
}

uint32_t verso_frame_sched_tick(struct verso_frame_sched *fs, int64_t now_ms) {
	uint32_t act = 0;
	int64_t at;
	fs->stats.ticks++;
	at = blank_deadline(fs);
	if (at >= 0 && now_ms >= at) {
		return verso_frame_sched_blank(fs, now_ms);
	}
	at = idle_deadline(fs);
	if (at >= 0 && now_ms >= at) {
		fs->state = VERSO_FRAME_IDLE;
		fs->fast_damages = 0;
		act |= apply_mode(fs);
	}
	return act;
}

struct verso_frame_mode verso_frame_sched_mode(const struct verso_frame_sched *fs) {
	return fs->mode;
}

enum verso_frame_state verso_frame_sched_state(const struct verso_frame_sched *fs) {
	return fs->state;
}
