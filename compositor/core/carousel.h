/* SPDX-License-Identifier: MIT */
/*
 * The card carousel: an ordered row of cards (xdg toplevels, by id) of which
 * one, the current card, fills the display.
 *
 * Order: a new card goes to the right end of the row and becomes current.
 * next() moves right, prev() left. At the ends the row clamps by default:
 * a swipe always reveals the card the finger pulled in from that side, and
 * a swipe past the end does nothing, which a user reads as "no more cards".
 * With wrap set, next() on the last card goes to the first. Removing the
 * current card makes its right neighbour current, or its left one at the end
 * of the row.
 *
 * Animation: every change of current card starts a slide. offset(t) is how
 * far, in card widths, the current card is from its resting place: +1 means
 * one width to the right (it slides in from the right, after next()), -1 to
 * the left. It eases out (cubic) to 0 over anim_ms. A change during a slide
 * starts from where the slide is, so there is no jump. The compositor draws
 * the current card at offset * width and the card it came from beside it,
 * and schedules frames only while verso_carousel_animating() is true.
 */
#ifndef VERSO_CORE_CAROUSEL_H
#define VERSO_CORE_CAROUSEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct verso_carousel_config {
	bool wrap;
	int32_t anim_ms; /* 0: changes are instant */
};

void verso_carousel_config_defaults(struct verso_carousel_config *cfg);

struct verso_carousel {
	struct verso_carousel_config cfg;
	/* Read-only for users. */
	uint32_t *ids;
	size_t len, cap;
	size_t current; /* valid when len > 0 */
	uint32_t previous_id; /* the card the last slide came from */
	bool has_previous;
	/* Private: the slide. */
	double anim_from;
	int64_t anim_start_ms;
	bool anim_running;
};

void verso_carousel_init(struct verso_carousel *c,
	const struct verso_carousel_config *cfg);
void verso_carousel_finish(struct verso_carousel *c);

/* Appends id and makes it current. False if id is already there or memory
 * ran out (the carousel is then unchanged). */
bool verso_carousel_add(struct verso_carousel *c, uint32_t id, int64_t now_ms);
/* False if id is not a card. */
bool verso_carousel_remove(struct verso_carousel *c, uint32_t id,
	int64_t now_ms);
/* Return true if the current card changed. */
bool verso_carousel_next(struct verso_carousel *c, int64_t now_ms);
bool verso_carousel_prev(struct verso_carousel *c, int64_t now_ms);
bool verso_carousel_show(struct verso_carousel *c, uint32_t id, int64_t now_ms);

/* The current card's id; false if there are no cards. */
bool verso_carousel_current(const struct verso_carousel *c, uint32_t *id);
/* Index of id, or -1. */
int verso_carousel_index(const struct verso_carousel *c, uint32_t id);

double verso_carousel_offset(const struct verso_carousel *c, int64_t now_ms);
bool verso_carousel_animating(const struct verso_carousel *c, int64_t now_ms);

#endif
