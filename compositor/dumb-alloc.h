/* SPDX-License-Identifier: MIT */
#ifndef VERSO_DUMB_ALLOC_H
#define VERSO_DUMB_ALLOC_H

struct wlr_allocator;

/* Dumb buffers on a fresh fd of drm_fd's node, for a leased connector. */
struct wlr_allocator *dumb_allocator_create(int drm_fd);

#endif
