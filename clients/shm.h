/* SPDX-License-Identifier: MIT */
/* wl_shm buffers backed by memfds, reused once the compositor releases them. */
#ifndef VERSO_CLIENT_SHM_H
#define VERSO_CLIENT_SHM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <wayland-client.h>

#define VERSO_POOL_MAX 4

struct verso_buffer {
	struct wl_buffer *wl_buffer;
	void *data;
	size_t size;
	int32_t width, height, stride;
	bool busy;    /* attached; waiting for wl_buffer.release */
	bool drawn;   /* false until the owner first draws into it */
	struct verso_pool *pool;
};

struct verso_pool {
	struct wl_shm *shm;
	uint32_t format; /* WL_SHM_FORMAT_* */
	int count;
	struct verso_buffer buffers[VERSO_POOL_MAX];
	/* Called when a busy buffer comes back; NULL when not needed. */
	void (*release)(void *data);
	void *data;
};

/* Sets up a pool of count (1..VERSO_POOL_MAX) buffers, allocated lazily. */
void verso_pool_init(struct verso_pool *pool, struct wl_shm *shm,
		uint32_t format, int count);

/*
 * Returns a free buffer of the given size, marked busy, (re)allocating it when
 * its size differs. Returns NULL when all buffers are busy (errno EBUSY) or
 * allocation fails (errno set).
 */
struct verso_buffer *verso_pool_next(struct verso_pool *pool, int32_t width,
		int32_t height);

/* Destroys all buffers, busy or not. */
void verso_pool_finish(struct verso_pool *pool);

#endif /* VERSO_CLIENT_SHM_H */
