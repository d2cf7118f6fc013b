/* SPDX-License-Identifier: MIT */
/*
 * Accidental-touch rejection for the rear display.
 *
 * A phone's cover display is touched by the hand holding it, by a palm, by a
 * pocket or a table. The filter sits between libinput and wl_touch/gestures:
 * raw contacts go in, and only the contacts judged deliberate come out. Each
 * contact is decided once, at DOWN, unless it starts in an edge band (it is
 * then held until it proves itself) or later turns out to be a palm (it is
 * then cancelled). The rules, in order:
 *
 *  1. Proximity: while the proximity sensor reads covered (and
 *     config.proximity is set), new contacts are dropped and contacts already
 *     forwarded are cancelled when it becomes covered.
 *  2. Pocket: with config.pocket, pocket_touches simultaneous contacts, or
 *     pocket_burst contacts starting within pocket_window_ms (fabric rubbing
 *     the glass), latch a pocket state: every contact is dropped and the
 *     forwarded ones cancelled, until all contacts have lifted.
 *  3. Wake grace: contacts starting less than grace_after_wake_ms after a
 *     wake are dropped, whole: the finger that pressed the power key or the
 *     hand that lifted the phone is not a tap.
 *  4. Palm: a contact whose major axis exceeds max_major (device units), or
 *     max_contact_mm once the device resolution is known, or that the
 *     device marks as a palm (verso_touch_filter_size), is a palm at any
 *     time in its life. It is cancelled if it was forwarded, every other
 *     contact within palm_radius_px of it is cancelled too (one palm often
 *     shows as several contacts), and new contacts within that radius are
 *     dropped while the palm stays down.
 *  5. Edge band: a contact starting within edge_band_px of an output edge is
 *     held, not forwarded. If it then travels edge_escape_px inward
 *     (perpendicular to that edge) it is released: the filter emits its DOWN
 *     at the original point and time, then a MOTION to where it is, so an
 *     edge swipe keeps its full length for the gesture recognizer. A held
 *     contact that lifts is dropped: taps in the band are lost by design,
 *     which is why the default band is narrow.
 *
 * Output is a stream of the same events: DOWN/MOTION/UP for accepted
 * contacts, CANCEL for a forwarded contact rejected after the fact, and a
 * FRAME after each batch that emitted something. A contact is never emitted
 * after its CANCEL or UP, so consumers can trust the stream.
 *
 * The filter is pure: no timers (every rule is decided on an input event),
 * no allocation, any input sequence is safe (unknown ids, NaN coordinates,
 * duplicate downs, too many contacts).
 */
#ifndef VERSO_CORE_TOUCH_FILTER_H
#define VERSO_CORE_TOUCH_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "touch.h"

struct verso_touch_filter_config {
	double edge_band_px; /* 0 disables edge rejection */
	double edge_escape_px; /* inward travel that releases a held contact */
	double max_contact_mm; /* 0 disables; needs units_per_mm */
	double max_major; /* device units; 0 disables */
	double palm_radius_px;
	int32_t grace_after_wake_ms; /* 0 disables */
	bool proximity;
	bool pocket;
	int32_t pocket_touches; /* simultaneous contacts; 0 disables */
	int32_t pocket_burst; /* contacts starting within pocket_window_ms; 0 disables */
	int32_t pocket_window_ms;
};

/* The defaults documented in Documentation/compositor-config.md. */
void verso_touch_filter_config_defaults(struct verso_touch_filter_config *cfg);

enum verso_touch_verdict {
	VERSO_TOUCH_ACCEPTED = 0,
	VERSO_TOUCH_HELD, /* in an edge band, waiting */
	VERSO_TOUCH_REJECT_EDGE,
	VERSO_TOUCH_REJECT_PALM,
	VERSO_TOUCH_REJECT_PROXIMITY,
	VERSO_TOUCH_REJECT_GRACE,
	VERSO_TOUCH_REJECT_POCKET,
	VERSO_TOUCH_REJECT_FULL, /* more than VERSO_TOUCH_MAX contacts */
};

const char *verso_touch_verdict_str(enum verso_touch_verdict verdict);

typedef void (*verso_touch_emit_fn)(const struct verso_touch_event *event,
	void *data);

/* Private: one tracked contact. */
struct verso_touch_contact {
	bool active;
	bool forwarded; /* DOWN emitted and not yet ended */
	enum verso_touch_verdict verdict;
	int32_t id;
	double x0, y0, x, y;
	unsigned edges; /* bands it started in */
};

struct verso_touch_filter_stats {
	uint32_t accepted, released_from_edge;
	uint32_t rejected[VERSO_TOUCH_REJECT_FULL + 1]; /* by verdict */
	uint32_t cancelled; /* CANCELs emitted for forwarded contacts */
};

struct verso_touch_filter {
	struct verso_touch_filter_config cfg;
	double width, height; /* output size in pixels */
	double units_per_mm; /* 0: unknown */
	bool covered;
	bool pocket_latched;
	bool awake_known;
	int64_t wake_ms;
	int64_t recent_downs[32]; /* ring of DOWN times for the burst rule */
	size_t recent_head, recent_count;
	bool pending_frame;
	struct verso_touch_contact contacts[VERSO_TOUCH_MAX];
	struct verso_touch_filter_stats stats;
	verso_touch_emit_fn emit;
	void *emit_data;
};

/*
 * width and height: the output in pixels, as the events' coordinates.
 * units_per_mm: the touch major axis resolution, 0 if unknown.
 */
void verso_touch_filter_init(struct verso_touch_filter *f,
	const struct verso_touch_filter_config *cfg, double width, double height,
	double units_per_mm, verso_touch_emit_fn emit, void *data);

/* New rules or output size (rotation, live config reload). Contacts in
 * flight keep their verdict. */
void verso_touch_filter_configure(struct verso_touch_filter *f,
	const struct verso_touch_filter_config *cfg, double width, double height,
	double units_per_mm);

void verso_touch_filter_feed(struct verso_touch_filter *f,
	const struct verso_touch_event *event);

/*
 * The device reported a contact's size (major, device units) or that it is
 * a palm (its tool type said so) without a move: the palm rule applies as
 * on a MOTION, and a FRAME follows any CANCEL it causes. A palm by tool
 * type counts whatever the size limits. Unknown ids are ignored.
 */
void verso_touch_filter_size(struct verso_touch_filter *f, int32_t id,
	double major, bool palm, int64_t time_ms);

/* Context: the proximity sensor changed, and the display woke. */
void verso_touch_filter_proximity(struct verso_touch_filter *f, bool covered,
	int64_t now_ms);
void verso_touch_filter_wake(struct verso_touch_filter *f, int64_t now_ms);

/* Cancels every forwarded contact and forgets all state of contacts (the
 * display blanked, the session was switched away). */
void verso_touch_filter_reset(struct verso_touch_filter *f, int64_t now_ms);

/* The verdict of a tracked contact, or -1 if id is not down. */
int verso_touch_filter_verdict(const struct verso_touch_filter *f, int32_t id);

#endif
