// SPDX-License-Identifier: MIT
#define _GNU_SOURCE /* memfd_create */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "shm.h"

static void buffer_release(void *data, struct wl_buffer *wl_buffer)
{
	struct verso_buffer *buf = data;
	buf->busy = false;
	if (buf->pool->release)
		buf->pool->release(buf->pool->data);
}

static const struct wl_buffer_listener buffer_listener = {
	.release = buffer_release,
};

static void buffer_destroy(struct verso_buffer *buf)
{
	if (buf->wl_buffer)
		wl_buffer_destroy(buf->wl_buffer);
	if (buf->data)
		munmap(buf->data, buf->size);
	struct verso_pool *pool = buf->pool;
	*buf = (struct verso_buffer){ .pool = pool };
}

static int buffer_create(struct verso_pool *pool, struct verso_buffer *buf,
		int32_t width, int32_t height)
{
	if (width <= 0 || height <= 0 || width > 16384 || height > 16384)
		return -EINVAL;
	int32_t stride = width * 4;
	size_t size = (size_t)stride * height;

	int fd = memfd_create("verso-shm", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return -errno;
	if (ftruncate(fd, size) < 0) {
		int ret = -errno;
		close(fd);
		return ret;
	}
	/* The compositor maps this too: it must never shrink under it. */
	fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_SEAL);

	void *data = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (data == MAP_FAILED) {
		int ret = -errno;
		close(fd);
		return ret;
	}
	struct wl_shm_pool *shm_pool = wl_shm_create_pool(pool->shm, fd, size);
	buf->wl_buffer = wl_shm_pool_create_buffer(shm_pool, 0, width, height,
		stride, pool->format);
	wl_shm_pool_destroy(shm_pool);
	close(fd);

	wl_buffer_add_listener(buf->wl_buffer, &buffer_listener, buf);
	buf->data = data;
	buf->size = size;
	buf->width = width;
	buf->height = height;
	buf->stride = stride;
	buf->drawn = false;
	return 0;
}

void verso_pool_init(struct verso_pool *pool, struct wl_shm *shm,
		uint32_t format, int count)
{
	*pool = (struct verso_pool){ .shm = shm, .format = format };
	if (count < 1)
		count = 1;
	pool->count = count < VERSO_POOL_MAX ? count : VERSO_POOL_MAX;
	for (int i = 0; i < VERSO_POOL_MAX; i++)
		pool->buffers[i].pool = pool;
}

struct verso_buffer *verso_pool_next(struct verso_pool *pool, int32_t width,
		int32_t height)
{
	struct verso_buffer *free_buf = NULL;
	for (int i = 0; i < pool->count; i++) {
		struct verso_buffer *buf = &pool->buffers[i];
		if (buf->busy)
			continue;
		if (buf->wl_buffer && buf->width == width &&
				buf->height == height) {
			buf->busy = true;
			return buf;
		}
		if (!free_buf)
			free_buf = buf;
	}
	if (!free_buf) {
		errno = EBUSY;
		return NULL;
	}

	buffer_destroy(free_buf);
	int ret = buffer_create(pool, free_buf, width, height);
	if (ret < 0) {
		errno = -ret;
		return NULL;
	}
	free_buf->busy = true;
	return free_buf;
}

void verso_pool_finish(struct verso_pool *pool)
{
	for (int i = 0; i < VERSO_POOL_MAX; i++)
		buffer_destroy(&pool->buffers[i]);
}
