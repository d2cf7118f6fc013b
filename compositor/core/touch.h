/* SPDX-License-Identifier: MIT */
/*
 * The touch event shared by the touch filter, the gesture recognizer and the
 * recorded sequences. Coordinates are output pixels after rotation; times
 * are milliseconds on CLOCK_MONOTONIC (libinput's time_usec / 1000).
 */
#ifndef VERSO_CORE_TOUCH_H
#define VERSO_CORE_TOUCH_H

#include <stdbool.h>
#include <stdint.h>

/* Contacts tracked at once; further downs are dropped. */
#define VERSO_TOUCH_MAX 16

enum verso_touch_type {
	VERSO_TOUCH_DOWN,
	VERSO_TOUCH_MOTION,
	VERSO_TOUCH_UP,
	VERSO_TOUCH_CANCEL, /* this contact ends and its effects are void */
	VERSO_TOUCH_FRAME, /* end of a set of simultaneous changes */
};

struct verso_touch_event {
	enum verso_touch_type type;
	int32_t id; /* libinput seat slot; any value, matched by equality */
	int64_t time_ms;
	double x, y; /* output pixels; unused for UP, CANCEL and FRAME */
	/* Contact ellipse axes in device units (ABS_MT_TOUCH_MAJOR/MINOR);
	 * 0 when the device does not report them. */
	double major, minor;
	/* The controller says it is a palm (ABS_MT_TOOL_TYPE MT_TOOL_PALM). */
	bool palm;
};

const char *verso_touch_type_str(enum verso_touch_type type);

#endif
