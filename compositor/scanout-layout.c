// SPDX-License-Identifier: MIT
/*
 * The layout of a buffer as a plane sees it: what decides whether a later
 * buffer can skip the scanout test (scanout.c). Contents never matter.
 */
#include <wlr/render/dmabuf.h>
#include <wlr/types/wlr_buffer.h>
#include "scanout.h"

void scanout_layout_of(struct wlr_buffer *buffer,
		struct verso_scanout_layout *layout) {
	*layout = (struct verso_scanout_layout){
		.valid = true,
		.width = buffer->width,
		.height = buffer->height,
	};
	/* Borrowed attributes: the buffer keeps its file descriptors. */
	struct wlr_dmabuf_attributes dmabuf;
	if (wlr_buffer_get_dmabuf(buffer, &dmabuf)) {
		layout->dmabuf = true;
		layout->format = dmabuf.format;
		layout->modifier = dmabuf.modifier;
		layout->n_planes = dmabuf.n_planes;
		layout->stride = dmabuf.stride[0];
		layout->offset = dmabuf.offset[0];
	}
}

bool scanout_layout_equal(const struct verso_scanout_layout *a,
		const struct verso_scanout_layout *b) {
	return a->valid && b->valid && a->dmabuf == b->dmabuf &&
		a->width == b->width && a->height == b->height &&
		a->format == b->format && a->modifier == b->modifier &&
		a->n_planes == b->n_planes && a->stride == b->stride &&
		a->offset == b->offset;
}
