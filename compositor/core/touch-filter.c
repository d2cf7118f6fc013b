// SPDX-License-Identifier: MIT
#include <math.h>
#include <string.h>
#include "touch-filter.h"

enum {
	EDGE_LEFT = 1 << 0,
	EDGE_RIGHT = 1 << 1,
	EDGE_TOP = 1 << 2,
	EDGE_BOTTOM = 1 << 3,
};

#define BURST_RING (sizeof(((struct verso_touch_filter *)0)->recent_downs) / \
	sizeof(int64_t))

void verso_touch_filter_config_defaults(struct verso_touch_filter_config *cfg) {
	*cfg = (struct verso_touch_filter_config){
		.edge_band_px = 12,
		.edge_escape_px = 40,
		.max_contact_mm = 14,
		.max_major = 0,
		.palm_radius_px = 120,
		.grace_after_wake_ms = 300,
		.proximity = true,
		.pocket = true,
		.pocket_touches = 4,
		.pocket_burst = 6,
		.pocket_window_ms = 1000,
	};
}

const char *verso_touch_verdict_str(enum verso_touch_verdict verdict) {
	switch (verdict) {
	case VERSO_TOUCH_ACCEPTED:
		return "accepted";
	case VERSO_TOUCH_HELD:
		return "held";
	case VERSO_TOUCH_REJECT_EDGE:
		return "edge";
	case VERSO_TOUCH_REJECT_PALM:
		return "palm";
	case VERSO_TOUCH_REJECT_PROXIMITY:
		return "proximity";
	case VERSO_TOUCH_REJECT_GRACE:
		return "grace";
	case VERSO_TOUCH_REJECT_POCKET:
		return "pocket";
	case VERSO_TOUCH_REJECT_FULL:
		return "full";
	}
	return "unknown";
}

/* b - a in ms, saturated, so absurd timestamps cannot overflow. */
static int64_t elapsed(int64_t a, int64_t b) {
	int64_t d;
	if (__builtin_sub_overflow(b, a, &d)) {
		return b > a ? INT64_MAX : INT64_MIN;
	}
	return d;
}

void verso_touch_filter_configure(struct verso_touch_filter *f,
		const struct verso_touch_filter_config *cfg, double width, double height,
		double units_per_mm) {
	f->cfg = *cfg;
	f->width = isfinite(width) && width > 0 ? width : 0;
	f->height = isfinite(height) && height > 0 ? height : 0;
	f->units_per_mm = isfinite(units_per_mm) && units_per_mm > 0 ?
		units_per_mm : 0;
}

void verso_touch_filter_init(struct verso_touch_filter *f,
		const struct verso_touch_filter_config *cfg, double width, double height,
		double units_per_mm, verso_touch_emit_fn emit, void *data) {
	memset(f, 0, sizeof(*f));
	f->emit = emit;
	f->emit_data = data;
	verso_touch_filter_configure(f, cfg, width, height, units_per_mm);
}

static void emit(struct verso_touch_filter *f, enum verso_touch_type type,
		const struct verso_touch_contact *c, int64_t time_ms, double x,
		double y, double major, double minor) {
	struct verso_touch_event ev = {
		.type = type,
		.id = c ? c->id : 0,
		.time_ms = time_ms,
		.x = x,
		.y = y,
		.major = major,
		.minor = minor,
	};
	if (type != VERSO_TOUCH_FRAME) {
		f->pending_frame = true;
	}
	if (f->emit != NULL) {
		f->emit(&ev, f->emit_data);
	}
}

static void flush_frame(struct verso_touch_filter *f, int64_t time_ms) {
	if (f->pending_frame) {
		f->pending_frame = false;
		emit(f, VERSO_TOUCH_FRAME, NULL, time_ms, 0, 0, 0, 0);
	}
}

static struct verso_touch_contact *find(struct verso_touch_filter *f,
		int32_t id) {
	for (size_t i = 0; i < VERSO_TOUCH_MAX; i++) {
		if (f->contacts[i].active && f->contacts[i].id == id) {
			return &f->contacts[i];
		}
	}
	return NULL;
}

static size_t count_active(const struct verso_touch_filter *f) {
	size_t n = 0;
	for (size_t i = 0; i < VERSO_TOUCH_MAX; i++) {
		n += f->contacts[i].active;
	}
	return n;
}

/* Rejects a contact; a forwarded one gets a CANCEL so consumers undo it. */
static void reject(struct verso_touch_filter *f, struct verso_touch_contact *c,
		enum verso_touch_verdict verdict, int64_t time_ms) {
	if (c->forwarded) {
		emit(f, VERSO_TOUCH_CANCEL, c, time_ms, c->x, c->y, 0, 0);
		c->forwarded = false;
		f->stats.cancelled++;
	}
	if (c->verdict == VERSO_TOUCH_ACCEPTED || c->verdict == VERSO_TOUCH_HELD) {
		f->stats.rejected[verdict]++;
	}
	c->verdict = verdict;
}

static void reject_all(struct verso_touch_filter *f,
		enum verso_touch_verdict verdict, int64_t time_ms) {
	for (size_t i = 0; i < VERSO_TOUCH_MAX; i++) {
		if (f->contacts[i].active) {
			reject(f, &f->contacts[i], verdict, time_ms);
		}
	}
}

static bool is_palm(const struct verso_touch_filter *f, double major) {
	if (!isfinite(major) || major <= 0) {
		return false;
	}
	if (f->cfg.max_major > 0 && major > f->cfg.max_major) {
		return true;
	}
	return f->cfg.max_contact_mm > 0 && f->units_per_mm > 0 &&
		major / f->units_per_mm > f->cfg.max_contact_mm;
}

static bool near(double ax, double ay, double bx, double by, double r) {
	return hypot(ax - bx, ay - by) <= r;
}

/* A palm was found at c: its neighbours are part of the same hand. */
static void reject_palm(struct verso_touch_filter *f,
		struct verso_touch_contact *c, int64_t time_ms) {
	reject(f, c, VERSO_TOUCH_REJECT_PALM, time_ms);
	for (size_t i = 0; i < VERSO_TOUCH_MAX; i++) {
		struct verso_touch_contact *o = &f->contacts[i];
		if (o != c && o->active &&
				o->verdict != VERSO_TOUCH_REJECT_PALM &&
				near(o->x, o->y, c->x, c->y, f->cfg.palm_radius_px)) {
			reject(f, o, VERSO_TOUCH_REJECT_PALM, time_ms);
		}
	}
}

static bool near_palm(const struct verso_touch_filter *f, double x, double y) {
	for (size_t i = 0; i < VERSO_TOUCH_MAX; i++) {
		const struct verso_touch_contact *o = &f->contacts[i];
		if (o->active && o->verdict == VERSO_TOUCH_REJECT_PALM &&
				near(o->x, o->y, x, y, f->cfg.palm_radius_px)) {
			return true;
		}
	}
	return false;
}

static unsigned edge_bands(const struct verso_touch_filter *f, double x,
		double y) {
	double band = f->cfg.edge_band_px;
	unsigned edges = 0;
	if (band <= 0 || f->width <= 0 || f->height <= 0) {
		return 0;
	}
	edges |= x < band ? EDGE_LEFT : 0;
	edges |= x >= f->width - band ? EDGE_RIGHT : 0;
	edges |= y < band ? EDGE_TOP : 0;
	edges |= y >= f->height - band ? EDGE_BOTTOM : 0;
	return edges;
}

/* How far a contact has moved away from the edges it started on. */
static double inward_travel(const struct verso_touch_contact *c) {
	double dx = c->x - c->x0, dy = c->y - c->y0, best = -INFINITY;
	if (c->edges & EDGE_LEFT) {
		best = fmax(best, dx);
	}
	if (c->edges & EDGE_RIGHT) {
		best = fmax(best, -dx);
	}
	if (c->edges & EDGE_TOP) {
		best = fmax(best, dy);
	}
	if (c->edges & EDGE_BOTTOM) {
		best = fmax(best, -dy);
	}
	return best;
}

static bool in_grace(const struct verso_touch_filter *f, int64_t time_ms) {
	if (!f->awake_known || f->cfg.grace_after_wake_ms <= 0) {
		return false;
	}
	int64_t d = elapsed(f->wake_ms, time_ms);
	return d >= 0 && d < f->cfg.grace_after_wake_ms;
}

/* Records a DOWN and tells whether the pocket rule now fires. */
static bool pocket_triggered(struct verso_touch_filter *f, int64_t time_ms) {
	f->recent_downs[f->recent_head] = time_ms;
	f->recent_head = (f->recent_head + 1) % BURST_RING;
	if (f->recent_count < BURST_RING) {
		f->recent_count++;
	}
	if (!f->cfg.pocket) {
		return false;
	}
	if (f->cfg.pocket_touches > 0 &&
			count_active(f) >= (size_t)f->cfg.pocket_touches) {
		return true;
	}
	if (f->cfg.pocket_burst <= 0) {
		return false;
	}
	int32_t n = 0;
	for (size_t i = 0; i < f->recent_count; i++) {
		int64_t d = elapsed(f->recent_downs[i], time_ms);
		if (d >= 0 && d < f->cfg.pocket_window_ms) {
			n++;
		}
	}
	return n >= f->cfg.pocket_burst;
}

static void handle_down(struct verso_touch_filter *f,
		const struct verso_touch_event *ev) {
	if (!isfinite(ev->x) || !isfinite(ev->y)) {
		return;
	}
	struct verso_touch_contact *c = find(f, ev->id);
	if (c != NULL) {
		/* A DOWN for a contact already down: the device lost an UP.
		 * Void the old one and judge the new one afresh. */
		if (c->forwarded) {
			emit(f, VERSO_TOUCH_CANCEL, c, ev->time_ms, c->x, c->y, 0, 0);
			f->stats.cancelled++;
		}
		c->active = false;
	}
	for (size_t i = 0; i < VERSO_TOUCH_MAX && c == NULL; i++) {
		if (!f->contacts[i].active) {
			c = &f->contacts[i];
		}
	}
	if (c == NULL) {
		f->stats.rejected[VERSO_TOUCH_REJECT_FULL]++;
		return;
	}
	*c = (struct verso_touch_contact){
		.active = true,
		.id = ev->id,
		.x0 = ev->x,
		.y0 = ev->y,
		.x = ev->x,
		.y = ev->y,
		.verdict = VERSO_TOUCH_ACCEPTED,
	};

	enum verso_touch_verdict v = VERSO_TOUCH_ACCEPTED;
	bool pocket = pocket_triggered(f, ev->time_ms);
	if (f->cfg.proximity && f->covered) {
		v = VERSO_TOUCH_REJECT_PROXIMITY;
	} else if (f->pocket_latched) {
		v = VERSO_TOUCH_REJECT_POCKET;
	} else if (pocket) {
		f->pocket_latched = true;
		reject_all(f, VERSO_TOUCH_REJECT_POCKET, ev->time_ms);
		return;
	} else if (in_grace(f, ev->time_ms)) {
		v = VERSO_TOUCH_REJECT_GRACE;
	} else if (ev->palm || is_palm(f, ev->major)) {
		reject_palm(f, c, ev->time_ms);
		return;
	} else if (near_palm(f, ev->x, ev->y)) {
		v = VERSO_TOUCH_REJECT_PALM;
	} else if ((c->edges = edge_bands(f, ev->x, ev->y)) != 0) {
		c->verdict = VERSO_TOUCH_HELD;
		return;
	}

	if (v != VERSO_TOUCH_ACCEPTED) {
		reject(f, c, v, ev->time_ms);
		return;
	}
	c->forwarded = true;
	f->stats.accepted++;
	emit(f, VERSO_TOUCH_DOWN, c, ev->time_ms, ev->x, ev->y, ev->major,
		ev->minor);
}

static void handle_motion(struct verso_touch_filter *f,
		const struct verso_touch_event *ev) {
	struct verso_touch_contact *c = find(f, ev->id);
	if (c == NULL || !isfinite(ev->x) || !isfinite(ev->y)) {
		return;
	}
	c->x = ev->x;
	c->y = ev->y;
	if ((ev->palm || is_palm(f, ev->major)) &&
			c->verdict != VERSO_TOUCH_REJECT_PALM &&
			c->verdict != VERSO_TOUCH_REJECT_POCKET &&
			c->verdict != VERSO_TOUCH_REJECT_PROXIMITY) {
		reject_palm(f, c, ev->time_ms);
		return;
	}
	if (c->verdict == VERSO_TOUCH_HELD &&
			inward_travel(c) >= f->cfg.edge_escape_px) {
		c->verdict = VERSO_TOUCH_ACCEPTED;
		c->forwarded = true;
		f->stats.accepted++;
		f->stats.released_from_edge++;
		/* Where it landed, so a swipe keeps its full length; but
		 * now, as a finger that dwelt in the band and then travelled
		 * is no long press. */
		emit(f, VERSO_TOUCH_DOWN, c, ev->time_ms, c->x0, c->y0, 0, 0);
	}
	if (c->forwarded) {
		emit(f, VERSO_TOUCH_MOTION, c, ev->time_ms, ev->x, ev->y,
			ev->major, ev->minor);
	}
}

static void end_contact(struct verso_touch_filter *f,
		const struct verso_touch_event *ev) {
	struct verso_touch_contact *c = find(f, ev->id);
	if (c == NULL) {
		return;
	}
	if (c->verdict == VERSO_TOUCH_HELD) {
		f->stats.rejected[VERSO_TOUCH_REJECT_EDGE]++;
		c->verdict = VERSO_TOUCH_REJECT_EDGE;
	}
	if (c->forwarded) {
		emit(f, ev->type, c, ev->time_ms, c->x, c->y, 0, 0);
		if (ev->type == VERSO_TOUCH_CANCEL) {
			f->stats.cancelled++;
		}
	}
	c->active = false;
	c->forwarded = false;
	if (count_active(f) == 0) {
		f->pocket_latched = false;
	}
}

void verso_touch_filter_feed(struct verso_touch_filter *f,
		const struct verso_touch_event *ev) {
	switch (ev->type) {
	case VERSO_TOUCH_DOWN:
		handle_down(f, ev);
		break;
	case VERSO_TOUCH_MOTION:
		handle_motion(f, ev);
		break;
	case VERSO_TOUCH_UP:
	case VERSO_TOUCH_CANCEL:
		end_contact(f, ev);
		break;
	case VERSO_TOUCH_FRAME:
		flush_frame(f, ev->time_ms);
		break;
	}
}

void verso_touch_filter_size(struct verso_touch_filter *f, int32_t id,
		double major, bool palm, int64_t time_ms) {
	struct verso_touch_contact *c = find(f, id);
	if (c == NULL || c->verdict == VERSO_TOUCH_REJECT_PALM ||
			c->verdict == VERSO_TOUCH_REJECT_POCKET ||
			c->verdict == VERSO_TOUCH_REJECT_PROXIMITY) {
		return;
	}
	if (palm || is_palm(f, major)) {
		reject_palm(f, c, time_ms);
		flush_frame(f, time_ms);
	}
}

void verso_touch_filter_proximity(struct verso_touch_filter *f, bool covered,
		int64_t now_ms) {
	f->covered = covered;
	if (covered && f->cfg.proximity) {
		reject_all(f, VERSO_TOUCH_REJECT_PROXIMITY, now_ms);
		flush_frame(f, now_ms);
	}
}

void verso_touch_filter_wake(struct verso_touch_filter *f, int64_t now_ms) {
	f->awake_known = true;
	f->wake_ms = now_ms;
}

void verso_touch_filter_reset(struct verso_touch_filter *f, int64_t now_ms) {
	for (size_t i = 0; i < VERSO_TOUCH_MAX; i++) {
		struct verso_touch_contact *c = &f->contacts[i];
		if (c->active && c->forwarded) {
			emit(f, VERSO_TOUCH_CANCEL, c, now_ms, c->x, c->y, 0, 0);
			f->stats.cancelled++;
		}
		c->active = false;
		c->forwarded = false;
	}
	f->pocket_latched = false;
	flush_frame(f, now_ms);
}

int verso_touch_filter_verdict(const struct verso_touch_filter *f, int32_t id) {
	for (size_t i = 0; i < VERSO_TOUCH_MAX; i++) {
		if (f->contacts[i].active && f->contacts[i].id == id) {
			return (int)f->contacts[i].verdict;
		}
	}
	return -1;
}
