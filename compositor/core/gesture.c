// SPDX-License-Identifier: MIT
#include <math.h>
#include <string.h>
#include "gesture.h"

static const char *const type_names[] = {
	[VERSO_GESTURE_NONE] = "none",
	[VERSO_GESTURE_TAP] = "tap",
	[VERSO_GESTURE_DOUBLE_TAP] = "double-tap",
	[VERSO_GESTURE_LONG_PRESS] = "long-press",
	[VERSO_GESTURE_SWIPE_LEFT] = "swipe-left",
	[VERSO_GESTURE_SWIPE_RIGHT] = "swipe-right",
	[VERSO_GESTURE_SWIPE_UP] = "swipe-up",
	[VERSO_GESTURE_SWIPE_DOWN] = "swipe-down",
};

#define N_TYPES (sizeof(type_names) / sizeof(type_names[0]))

const char *verso_gesture_type_str(enum verso_gesture_type type) {
	if ((size_t)type >= N_TYPES) {
		return "unknown";
	}
	return type_names[type];
}

enum verso_gesture_type verso_gesture_type_from_str(const char *name) {
	for (size_t i = 0; name != NULL && i < N_TYPES; i++) {
		if (strcmp(name, type_names[i]) == 0) {
			return (enum verso_gesture_type)i;
		}
	}
	return VERSO_GESTURE_NONE;
}

void verso_gesture_config_defaults(struct verso_gesture_config *cfg) {
	*cfg = (struct verso_gesture_config){
		.long_press_ms = 500,
		.double_tap_ms = 300,
		.swipe_min_px = 60,
		.tap_slop_px = 16,
		.double_tap_slop_px = 48,
	};
}

void verso_gesture_configure(struct verso_gesture *g,
		const struct verso_gesture_config *cfg) {
	g->cfg = *cfg;
}

void verso_gesture_init(struct verso_gesture *g,
		const struct verso_gesture_config *cfg) {
	memset(g, 0, sizeof(*g));
	verso_gesture_configure(g, cfg);
}

void verso_gesture_reset(struct verso_gesture *g) {
	struct verso_gesture_config cfg = g->cfg;
	verso_gesture_init(g, &cfg);
}

int64_t verso_gesture_next_deadline(const struct verso_gesture *g) {
	int64_t at;
	if (!g->tracking || g->long_pressed || g->moved ||
			g->cfg.long_press_ms <= 0) {
		return -1;
	}
	/* Past the end of time (or before its start) there is no timer. */
	if (__builtin_add_overflow(g->down_ms, (int64_t)g->cfg.long_press_ms,
			&at) || at < 0) {
		return -1;
	}
	return at;
}

static struct verso_gesture_event make(const struct verso_gesture *g,
		enum verso_gesture_type type, int64_t time_ms) {
	return (struct verso_gesture_event){
		.type = type,
		.time_ms = time_ms,
		.x = g->x0,
		.y = g->y0,
		.dx = g->x - g->x0,
		.dy = g->y - g->y0,
	};
}

int verso_gesture_timeout(struct verso_gesture *g, int64_t now_ms,
		struct verso_gesture_event *out) {
	int64_t at = verso_gesture_next_deadline(g);
	if (at < 0 || now_ms < at) {
		return 0;
	}
	g->long_pressed = true;
	g->last_tap_valid = false;
	out[0] = make(g, VERSO_GESTURE_LONG_PRESS, at);
	return 1;
}

static bool track_id(struct verso_gesture *g, int32_t id, bool add) {
	for (uint32_t i = 0; i < g->down; i++) {
		if (g->ids[i] == id) {
			if (!add) {
				g->ids[i] = g->ids[--g->down];
			}
			return true;
		}
	}
	if (add && g->down < VERSO_TOUCH_MAX) {
		g->ids[g->down++] = id;
	}
	return false;
}

static enum verso_gesture_type classify_release(struct verso_gesture *g,
		int64_t time_ms) {
	double dx = g->x - g->x0, dy = g->y - g->y0;
	double ax = fabs(dx), ay = fabs(dy);

	if (g->long_pressed) {
		return VERSO_GESTURE_NONE;
	}
	if (!g->moved) {
		int64_t gap;
		bool dbl = g->cfg.double_tap_ms > 0 && g->last_tap_valid &&
			!__builtin_sub_overflow(g->down_ms, g->last_tap_ms, &gap) &&
			gap >= 0 && gap <= g->cfg.double_tap_ms &&
			hypot(g->x0 - g->last_tap_x, g->y0 - g->last_tap_y) <=
				g->cfg.double_tap_slop_px;
		if (dbl) {
			g->last_tap_valid = false;
			return VERSO_GESTURE_DOUBLE_TAP;
		}
		g->last_tap_valid = true;
		g->last_tap_ms = time_ms;
		g->last_tap_x = g->x0;
		g->last_tap_y = g->y0;
		return VERSO_GESTURE_TAP;
	}
	g->last_tap_valid = false;
	if (ax >= ay && ax >= g->cfg.swipe_min_px && ax >= 2 * ay) {
		return dx < 0 ? VERSO_GESTURE_SWIPE_LEFT : VERSO_GESTURE_SWIPE_RIGHT;
	}
	if (ay > ax && ay >= g->cfg.swipe_min_px && ay >= 2 * ax) {
		return dy < 0 ? VERSO_GESTURE_SWIPE_UP : VERSO_GESTURE_SWIPE_DOWN;
	}
	return VERSO_GESTURE_NONE;
}

int verso_gesture_feed(struct verso_gesture *g,
		const struct verso_touch_event *ev, struct verso_gesture_event *out) {
	int n = 0;
	if (ev->type == VERSO_TOUCH_FRAME) {
		return 0;
	}
	/* A deadline missed by the caller still fires, before this event. */
	n += verso_gesture_timeout(g, ev->time_ms, out);

	switch (ev->type) {
	case VERSO_TOUCH_DOWN:
		if (!isfinite(ev->x) || !isfinite(ev->y)) {
			break;
		}
		track_id(g, ev->id, true);
		if (g->down == 1) {
			g->tracking = true;
			g->long_pressed = false;
			g->moved = false;
			g->id = ev->id;
			g->down_ms = ev->time_ms;
			g->x0 = g->x = ev->x;
			g->y0 = g->y = ev->y;
		} else {
			g->tracking = false;
			g->last_tap_valid = false;
		}
		break;
	case VERSO_TOUCH_MOTION:
		if (!g->tracking || ev->id != g->id || !isfinite(ev->x) ||
				!isfinite(ev->y)) {
			break;
		}
		g->x = ev->x;
		g->y = ev->y;
		if (hypot(g->x - g->x0, g->y - g->y0) > g->cfg.tap_slop_px) {
			g->moved = true;
		}
		break;
	case VERSO_TOUCH_UP:
		track_id(g, ev->id, false);
		if (g->tracking && ev->id == g->id) {
			g->tracking = false;
			enum verso_gesture_type t = classify_release(g, ev->time_ms);
			if (t != VERSO_GESTURE_NONE) {
				out[n++] = make(g, t, ev->time_ms);
			}
		}
		break;
	case VERSO_TOUCH_CANCEL:
		track_id(g, ev->id, false);
		if (g->tracking && ev->id == g->id) {
			g->tracking = false;
			g->last_tap_valid = false;
		}
		break;
	case VERSO_TOUCH_FRAME:
		break;
	}
	return n;
}
