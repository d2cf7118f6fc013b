/* SPDX-License-Identifier: MIT */
/*
 * Recorded touch sequences: a line format for real or hand-made touch input,
 * replayed through the touch filter and the gesture recognizer. The unit
 * tests keep theirs in tests/data/touch/.
 *
 *   # comment
 *   # size: 480 480              output size in pixels (default 480x480)
 *   # units_per_mm: 1            touch major resolution (default 1: mm)
 *   # config: touch = { pocket = false; };   versod.conf text, concatenated
 *   # expect: tap double-tap     gestures the sequence must produce, or none
 *   t_ms down|motion ID X Y [MAJOR [MINOR]]
 *   t_ms up|cancel ID
 *   t_ms frame | cover | uncover | wake
 *   t_ms palm ID
 *
 * cover/uncover are the proximity sensor, wake is the display waking,
 * palm is the device marking contact ID a palm (ABS_MT_TOOL_TYPE
 * MT_TOOL_PALM) from this frame on; right after its down, it went down
 * as a palm.
 * Times must not go backwards.
 */
#ifndef VERSO_CORE_TOUCH_TRACE_H
#define VERSO_CORE_TOUCH_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include "config.h"
#include "gesture.h"
#include "touch-filter.h"

enum verso_trace_kind {
	VERSO_TRACE_TOUCH,
	VERSO_TRACE_COVER,
	VERSO_TRACE_UNCOVER,
	VERSO_TRACE_WAKE,
	VERSO_TRACE_PALM,
};

struct verso_trace_event {
	enum verso_trace_kind kind;
	struct verso_touch_event touch; /* time_ms set for every kind */
};

struct verso_touch_trace {
	struct verso_trace_event *events;
	size_t len, cap;
	double width, height, units_per_mm;
	char *expect; /* NULL if the file has no expect line */
	char *config; /* NULL if no config lines */
};

/* On failure, err gets "line N: why" and the trace is left empty. */
bool verso_touch_trace_parse(struct verso_touch_trace *trace, const char *text,
	char *err, size_t err_size);
bool verso_touch_trace_load(struct verso_touch_trace *trace, const char *path,
	char *err, size_t err_size);
void verso_touch_trace_finish(struct verso_touch_trace *trace);

struct verso_trace_result {
	struct verso_gesture_event gestures[64];
	size_t n_gestures; /* beyond 64 are counted, not stored */
	size_t n_accepted; /* touch events forwarded by the filter */
	size_t n_cancels; /* CANCELs the filter emitted */
	struct verso_touch_filter_stats filter;
};

/*
 * Replays trace through a touch filter and a gesture recognizer configured
 * from cfg, firing the long-press timer where the compositor would, and
 * once more after the last event.
 */
void verso_touch_trace_replay(const struct verso_touch_trace *trace,
	const struct verso_config *cfg, struct verso_trace_result *result);

#endif
