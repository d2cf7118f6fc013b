// SPDX-License-Identifier: MIT
#include <linux/input.h> /* codes, and MT_TOOL_PALM */
#include <math.h>
#include <string.h>
#include "touch-slots.h"

/* Contacts this close (in 0..1 of the panel) to the nearest count as
 * equally near: the earliest of them wins. */
#define MATCH_TIE 0.02
/* libinput reports the first position itself; a record further away is
 * some other contact (one libinput swallowed), never a guess. */
#define MATCH_MAX 0.1

void verso_mt_init(struct verso_mt_track *t, int nslots, int x_min, int x_max,
		int y_min, int y_max) {
	memset(t, 0, sizeof(*t));
	t->nslots = nslots < 0 ? 0 : nslots > VERSO_MT_SLOTS ? VERSO_MT_SLOTS :
		nslots;
	t->x_min = x_min;
	t->y_min = y_min;
	/* libinput scales by max - min + 1 */
	t->x_range = x_max >= x_min ? (double)x_max - x_min + 1 : 1;
	t->y_range = y_max >= y_min ? (double)y_max - y_min + 1 : 1;
	const float identity[6] = { 1, 0, 0, 0, 1, 0 };
	memcpy(t->calib, identity, sizeof(identity));
	for (int i = 0; i < VERSO_MT_SLOTS; i++) {
		t->slots[i].tracking_id = -1;
		t->slots[i].contact = -1;
	}
}

void verso_mt_set_calibration(struct verso_mt_track *t, const float m[6]) {
	for (int i = 0; i < 6; i++) {
		if (!isfinite(m[i])) {
			return;
		}
	}
	memcpy(t->calib, m, sizeof(t->calib));
}

static void free_contact(struct verso_mt_track *t, int i) {
	t->contacts[i] = (struct verso_mt_contact){ 0 };
}

static bool in_slot(const struct verso_mt_track *t, int i) {
	for (int s = 0; s < t->nslots; s++) {
		if (t->slots[s].contact == i) {
			return true;
		}
	}
	return false;
}

/* A free record, evicting the one least likely to be asked for: a lifted
 * contact libinput never reported, then any contact libinput never
 * reported, then the oldest not in a slot. */
static int alloc_contact(struct verso_mt_track *t) {
	int victim = -1, rank = 4;
	for (int i = 0; i < VERSO_MT_CONTACTS; i++) {
		const struct verso_mt_contact *c = &t->contacts[i];
		int r;
		if (!c->used) {
			return i;
		} else if (!c->down && !c->matched) {
			r = 0;
		} else if (!c->matched && !in_slot(t, i)) {
			r = 1;
		} else if (!in_slot(t, i)) {
			r = 2;
		} else {
			continue;
		}
		if (r < rank || (r == rank &&
				c->seq - t->contacts[victim].seq > UINT32_MAX / 2)) {
			victim = i;
			rank = r;
		}
	}
	if (victim >= 0) {
		if (t->contacts[victim].down) {
			/* Only a resync can leave a slot's contact unknown. */
			for (int s = 0; s < t->nslots; s++) {
				if (t->slots[s].contact == victim) {
					t->slots[s].contact = -1;
				}
			}
		}
		free_contact(t, victim);
	}
	return victim;
}

/* The contact in slot s lifted (or was replaced). */
static void end_slot_contact(struct verso_mt_track *t, struct verso_mt_slot *s) {
	if (s->contact < 0) {
		return;
	}
	struct verso_mt_contact *c = &t->contacts[s->contact];
	c->down = false;
	if (c->done) {
		free_contact(t, s->contact);
	}
	s->contact = -1;
}

static void tracking_id(struct verso_mt_track *t, struct verso_mt_slot *s,
		int32_t value) {
	if (value >= 0 && value == s->tracking_id && s->contact >= 0) {
		return;
	}
	end_slot_contact(t, s);
	s->tracking_id = value < 0 ? -1 : value;
	if (value < 0) {
		return;
	}
	int i = alloc_contact(t);
	if (i < 0) {
		return;
	}
	t->contacts[i] = (struct verso_mt_contact){
		.used = true,
		.down = true,
		.fresh = true,
	};
	s->contact = i;
}

/* Position as libinput reports it: 0..1 of the axis range, calibrated. */
static void normalize(const struct verso_mt_track *t, int x, int y,
		double *u, double *v) {
	double nx = (x - t->x_min) / t->x_range, ny = (y - t->y_min) / t->y_range;
	*u = t->calib[0] * nx + t->calib[1] * ny + t->calib[2];
	*v = t->calib[3] * nx + t->calib[4] * ny + t->calib[5];
}

/* SYN_REPORT: the frame's values are final; new contacts get their first
 * position and their order, in slot order as libinput announces them. */
static void commit(struct verso_mt_track *t) {
	for (int i = 0; i < t->nslots; i++) {
		struct verso_mt_slot *s = &t->slots[i];
		if (s->contact < 0) {
			continue;
		}
		struct verso_mt_contact *c = &t->contacts[s->contact];
		if (c->fresh) {
			c->fresh = false;
			c->seq = t->next_seq++;
			normalize(t, s->x, s->y, &c->x0, &c->y0);
			c->size.major = s->major;
			c->changed = true;
		}
		if (s->major > c->size.major) {
			c->size.major = s->major;
			c->changed = true;
		}
		c->size.minor = s->minor;
		if (s->tool == MT_TOOL_PALM && !c->size.palm) {
			c->size.palm = true;
			c->changed = true;
		}
	}
}

void verso_mt_event(struct verso_mt_track *t, uint16_t type, uint16_t code,
		int32_t value) {
	if (type == EV_SYN) {
		if (code == SYN_REPORT) {
			commit(t);
		}
		return;
	}
	if (type != EV_ABS) {
		return;
	}
	if (code == ABS_MT_SLOT) {
		t->slot = value >= 0 && value < t->nslots ? value : -1;
		return;
	}
	if (t->slot < 0 || t->slot >= t->nslots) {
		return;
	}
	struct verso_mt_slot *s = &t->slots[t->slot];
	switch (code) {
	case ABS_MT_TRACKING_ID:
		tracking_id(t, s, value);
		break;
	case ABS_MT_POSITION_X:
		s->x = value;
		break;
	case ABS_MT_POSITION_Y:
		s->y = value;
		break;
	case ABS_MT_TOUCH_MAJOR:
		s->major = value;
		break;
	case ABS_MT_TOUCH_MINOR:
		s->minor = value;
		break;
	case ABS_MT_TOOL_TYPE:
		s->tool = value;
		break;
	default:
		break;
	}
}

static int find_matched(const struct verso_mt_track *t, int32_t touch_id) {
	for (int i = 0; i < VERSO_MT_CONTACTS; i++) {
		const struct verso_mt_contact *c = &t->contacts[i];
		if (c->used && c->matched && c->touch_id == touch_id) {
			return i;
		}
	}
	return -1;
}

void verso_mt_release(struct verso_mt_track *t, int32_t touch_id) {
	int i = find_matched(t, touch_id);
	if (i < 0) {
		return;
	}
	struct verso_mt_contact *c = &t->contacts[i];
	if (c->down) {
		/* libinput is done with it (a cancel): never match it again. */
		c->matched = false;
		c->done = true;
	} else {
		free_contact(t, i);
	}
}

bool verso_mt_match(struct verso_mt_track *t, int32_t touch_id, double u,
		double v) {
	verso_mt_release(t, touch_id);
	if (!isfinite(u) || !isfinite(v)) {
		return false;
	}
	double dist[VERSO_MT_CONTACTS];
	double best = INFINITY;
	for (int i = 0; i < VERSO_MT_CONTACTS; i++) {
		const struct verso_mt_contact *c = &t->contacts[i];
		dist[i] = INFINITY;
		if (c->used && !c->fresh && !c->matched && !c->done) {
			dist[i] = hypot(c->x0 - u, c->y0 - v);
			best = fmin(best, dist[i]);
		}
	}
	if (!(best <= MATCH_MAX)) {
		return false;
	}
	int pick = -1;
	for (int i = 0; i < VERSO_MT_CONTACTS; i++) {
		if (dist[i] <= best + MATCH_TIE && (pick < 0 ||
				t->contacts[i].seq - t->contacts[pick].seq >
				UINT32_MAX / 2)) {
			pick = i;
		}
	}
	if (pick < 0) {
		return false; /* unreachable: best is some contact's distance */
	}
	t->contacts[pick].matched = true;
	t->contacts[pick].touch_id = touch_id;
	return true;
}

bool verso_mt_take(struct verso_mt_track *t, int32_t touch_id,
		struct verso_mt_size *size) {
	int i = find_matched(t, touch_id);
	if (i < 0) {
		return false;
	}
	struct verso_mt_contact *c = &t->contacts[i];
	*size = c->size;
	c->changed = false;
	/* From now on, the largest since this take. */
	for (int s = 0; s < t->nslots; s++) {
		if (t->slots[s].contact == i) {
			c->size.major = t->slots[s].major;
		}
	}
	return true;
}

bool verso_mt_next_changed(struct verso_mt_track *t, size_t *iter,
		int32_t *touch_id) {
	for (; *iter < VERSO_MT_CONTACTS; (*iter)++) {
		const struct verso_mt_contact *c = &t->contacts[*iter];
		if (c->used && c->matched && c->changed) {
			*touch_id = c->touch_id;
			(*iter)++;
			return true;
		}
	}
	return false;
}

size_t verso_mt_count(const struct verso_mt_track *t) {
	size_t n = 0;
	for (int i = 0; i < VERSO_MT_CONTACTS; i++) {
		n += t->contacts[i].used;
	}
	return n;
}
