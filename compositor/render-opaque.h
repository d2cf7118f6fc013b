/* SPDX-License-Identifier: MIT */
#ifndef VERSO_RENDER_OPAQUE_H
#define VERSO_RENDER_OPAQUE_H

#include <stdbool.h>

struct verso_output;
struct wlr_output;
struct wlr_scene_surface;
struct wlr_surface;

/*
 * Whether a surface that covers the output exactly is drawn by
 * render_opaque_commit() rather than by wlr_scene: it is opaque all over,
 * and its buffer can never be scanned out on this output.
 */
bool render_opaque_applies(struct wlr_output *output,
	struct wlr_surface *surface, bool dmabuf);

/* Draws the damage of such a surface, without a clear, and commits. */
bool render_opaque_commit(struct verso_output *output,
	struct wlr_scene_surface *scene_surface);

#endif
