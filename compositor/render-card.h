/* SPDX-License-Identifier: MIT */
#ifndef VERSO_RENDER_CARD_H
#define VERSO_RENDER_CARD_H

#include <stdbool.h>

struct verso_output;
struct wlr_scene_surface;

/*
 * Whether the frame of a surface that covers the output exactly (the
 * scanout candidate) is drawn by render_card_commit() rather than by
 * wlr_scene: its buffer can never be scanned out on this output, and it
 * fills the output's pixels exactly.
 */
bool render_card_applies(struct verso_output *output,
	struct wlr_scene_surface *scene_surface, bool dmabuf);

/* Draws the damage of such a surface and commits. */
bool render_card_commit(struct verso_output *output,
	struct wlr_scene_surface *scene_surface);

#endif
