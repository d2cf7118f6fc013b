/* SPDX-License-Identifier: MIT */
/*
 * Gesture recognizer over the touch filter's accepted events.
 *
 * Only single-finger gestures are recognised: a second contact going down
 * abandons the current one (multi-finger input belongs to clients), and so
 * does a CANCEL. Recognised:
 *
 *  - TAP: down and up within long_press_ms, moving less than tap_slop_px.
 *    Reported at once on release, never delayed to rule out a double tap.
 *  - DOUBLE_TAP: a tap that starts within double_tap_ms of the previous
 *    tap's release and within double_tap_slop_px of it. It replaces the
 *    second TAP, so a double tap reads "tap, double-tap". A third tap starts
 *    over.
 *  - LONG_PRESS: a contact held long_press_ms without leaving tap_slop_px.
 *    Its release then yields nothing.
 *  - SWIPE_LEFT/RIGHT/UP/DOWN: on release, a travel of at least
 *    swipe_min_px whose main axis is at least twice the other one, named
 *    after the way the finger moved (SWIPE_LEFT: the finger moved left,
 *    which shows the next card). Diagonal strokes are no gesture.
 *
 * Long press is the only timed gesture. verso_gesture_next_deadline() gives
 * the time it would fire, or -1 when nothing is pending, so the compositor
 * arms a timer only while a finger is down and still: no wakeups when idle.
 * Events that arrive after a missed deadline fire the long press first.
 */
#ifndef VERSO_CORE_GESTURE_H
#define VERSO_CORE_GESTURE_H

#include <stdbool.h>
#include <stdint.h>
#include "touch.h"

struct verso_gesture_config {
	int32_t long_press_ms; /* 0 disables long press */
	int32_t double_tap_ms; /* 0 disables double tap */
	double swipe_min_px;
	double tap_slop_px;
	double double_tap_slop_px;
};

void verso_gesture_config_defaults(struct verso_gesture_config *cfg);

enum verso_gesture_type {
	VERSO_GESTURE_NONE = 0,
	VERSO_GESTURE_TAP,
	VERSO_GESTURE_DOUBLE_TAP,
	VERSO_GESTURE_LONG_PRESS,
	VERSO_GESTURE_SWIPE_LEFT,
	VERSO_GESTURE_SWIPE_RIGHT,
	VERSO_GESTURE_SWIPE_UP,
	VERSO_GESTURE_SWIPE_DOWN,
};

const char *verso_gesture_type_str(enum verso_gesture_type type);
/* The inverse, for recorded sequences; VERSO_GESTURE_NONE if unknown. */
enum verso_gesture_type verso_gesture_type_from_str(const char *name);

struct verso_gesture_event {
	enum verso_gesture_type type;
	int64_t time_ms;
	double x, y; /* where the contact started */
	double dx, dy; /* travel at release (swipes) */
};

/* At most this many gestures come out of one call. */
#define VERSO_GESTURE_MAX_OUT 2

struct verso_gesture {
	struct verso_gesture_config cfg;
	/* Private. */
	bool tracking; /* one contact down, gesture still possible */
	bool long_pressed;
	bool moved; /* left the slop circle */
	int32_t id;
	uint32_t down; /* contacts currently down */
	int32_t ids[VERSO_TOUCH_MAX];
	int64_t down_ms;
	double x0, y0, x, y;
	bool last_tap_valid;
	int64_t last_tap_ms;
	double last_tap_x, last_tap_y;
};

void verso_gesture_init(struct verso_gesture *g,
	const struct verso_gesture_config *cfg);
void verso_gesture_configure(struct verso_gesture *g,
	const struct verso_gesture_config *cfg);

/* Feeds one accepted touch event; returns how many gestures were written to
 * out (at most VERSO_GESTURE_MAX_OUT). */
int verso_gesture_feed(struct verso_gesture *g,
	const struct verso_touch_event *event, struct verso_gesture_event *out);

/* The time the long press fires, or -1 if no timer is needed. */
int64_t verso_gesture_next_deadline(const struct verso_gesture *g);

/* Call when the timer armed from next_deadline expires (early or late
 * calls are harmless); returns the number of gestures written to out. */
int verso_gesture_timeout(struct verso_gesture *g, int64_t now_ms,
	struct verso_gesture_event *out);

/* Forgets contacts and pending taps (display blanked, config reloaded). */
void verso_gesture_reset(struct verso_gesture *g);

#endif
