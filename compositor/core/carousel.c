// SPDX-License-Identifier: MIT
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "carousel.h"

void verso_carousel_config_defaults(struct verso_carousel_config *cfg) {
	*cfg = (struct verso_carousel_config){
		.wrap = false,
		.anim_ms = 250,
	};
}

void verso_carousel_init(struct verso_carousel *c,
		const struct verso_carousel_config *cfg) {
	memset(c, 0, sizeof(*c));
	c->cfg = *cfg;
}

void verso_carousel_finish(struct verso_carousel *c) {
	free(c->ids);
	c->ids = NULL;
	c->len = c->cap = c->current = 0;
}

int verso_carousel_index(const struct verso_carousel *c, uint32_t id) {
	for (size_t i = 0; i < c->len; i++) {
		if (c->ids[i] == id) {
			return (int)i;
		}
	}
	return -1;
}

bool verso_carousel_current(const struct verso_carousel *c, uint32_t *id) {
	if (c->len == 0) {
		return false;
	}
	*id = c->ids[c->current];
	return true;
}

static double ease_out(double u) {
	double v = 1 - u;
	return 1 - v * v * v;
}

double verso_carousel_offset(const struct verso_carousel *c, int64_t now_ms) {
	if (!c->anim_running || c->cfg.anim_ms <= 0) {
		return 0;
	}
	double u = ((double)now_ms - (double)c->anim_start_ms) / c->cfg.anim_ms;
	if (!(u < 1)) {
		return 0;
	}
	if (u < 0) {
		u = 0; /* clock went back: hold the start */
	}
	return c->anim_from * (1 - ease_out(u));
}

bool verso_carousel_animating(const struct verso_carousel *c, int64_t now_ms) {
	return verso_carousel_offset(c, now_ms) != 0;
}

/* Slides the new current card in from direction (+1 right, -1 left). */
static void slide(struct verso_carousel *c, size_t from, int direction,
		int64_t now_ms) {
	double off = verso_carousel_offset(c, now_ms);
	c->previous_id = c->ids[from];
	c->has_previous = true;
	if (c->cfg.anim_ms <= 0) {
		c->anim_running = false;
		return;
	}
	/* Never more than two widths away, however fast the swipes. */
	c->anim_from = fmax(-2, fmin(2, off + direction));
	c->anim_start_ms = now_ms;
	c->anim_running = true;
}

bool verso_carousel_add(struct verso_carousel *c, uint32_t id, int64_t now_ms) {
	if (verso_carousel_index(c, id) >= 0) {
		return false;
	}
	if (c->len == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 8;
		uint32_t *ids = realloc(c->ids, cap * sizeof(*ids));
		if (ids == NULL) {
			return false;
		}
		c->ids = ids;
		c->cap = cap;
	}
	c->ids[c->len++] = id;
	if (c->len == 1) {
		c->current = 0;
		c->has_previous = false;
		c->anim_running = false;
		return true;
	}
	size_t from = c->current;
	c->current = c->len - 1;
	slide(c, from, +1, now_ms);
	return true;
}

bool verso_carousel_remove(struct verso_carousel *c, uint32_t id,
		int64_t now_ms) {
	int idx = verso_carousel_index(c, id);
	if (idx < 0) {
		return false;
	}
	size_t i = (size_t)idx;
	memmove(&c->ids[i], &c->ids[i + 1], (c->len - i - 1) * sizeof(*c->ids));
	c->len--;
	if (c->has_previous && c->previous_id == id) {
		c->has_previous = false;
	}
	if (c->len == 0) {
		c->current = 0;
		c->anim_running = false;
		return true;
	}
	if (i < c->current) {
		c->current--;
	} else if (i == c->current) {
		/* The right neighbour slid into index i; at the end, go left. */
		int direction = +1;
		if (c->current == c->len) {
			c->current--;
			direction = -1;
		}
		/* The removed card is gone: slide with nothing beside it. */
		double off = verso_carousel_offset(c, now_ms);
		c->has_previous = false;
		if (c->cfg.anim_ms > 0) {
			c->anim_from = fmax(-2, fmin(2, off + direction));
			c->anim_start_ms = now_ms;
			c->anim_running = true;
		}
	}
	return true;
}

static bool move_to(struct verso_carousel *c, size_t to, int direction,
		int64_t now_ms) {
	if (c->len == 0 || to == c->current) {
		return false;
	}
	size_t from = c->current;
	c->current = to;
	slide(c, from, direction, now_ms);
	return true;
}

bool verso_carousel_next(struct verso_carousel *c, int64_t now_ms) {
	if (c->len < 2) {
		return false;
	}
	if (c->current + 1 < c->len) {
		return move_to(c, c->current + 1, +1, now_ms);
	}
	return c->cfg.wrap && move_to(c, 0, +1, now_ms);
}

bool verso_carousel_prev(struct verso_carousel *c, int64_t now_ms) {
	if (c->len < 2) {
		return false;
	}
	if (c->current > 0) {
		return move_to(c, c->current - 1, -1, now_ms);
	}
	return c->cfg.wrap && move_to(c, c->len - 1, -1, now_ms);
}

bool verso_carousel_show(struct verso_carousel *c, uint32_t id, int64_t now_ms) {
	int idx = verso_carousel_index(c, id);
	if (idx < 0) {
		return false;
	}
	return move_to(c, (size_t)idx, (size_t)idx > c->current ? +1 : -1, now_ms);
}
