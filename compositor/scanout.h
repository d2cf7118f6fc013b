/* SPDX-License-Identifier: MIT */
#ifndef VERSO_SCANOUT_H
#define VERSO_SCANOUT_H

#include <stdbool.h>
#include <stdint.h>

struct verso_output;
struct wlr_buffer;

/* What decides whether a plane takes a buffer: not its contents. */
struct verso_scanout_layout {
	bool valid;
	bool dmabuf;
	int width, height;
	uint32_t format;
	uint64_t modifier;
	int n_planes;
	uint32_t stride, offset; /* of the first plane */
};

/*
 * Commits the next frame of the rear output: the visible card's buffer on
 * the primary plane when it can be, else a composited frame. Returns false
 * when nothing could be committed (the damage is kept).
 */
bool scanout_output_commit(struct verso_output *output);

void scanout_layout_of(struct wlr_buffer *buffer,
	struct verso_scanout_layout *layout);
bool scanout_layout_equal(const struct verso_scanout_layout *a,
	const struct verso_scanout_layout *b);

#endif
