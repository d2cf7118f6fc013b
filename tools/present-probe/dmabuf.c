// SPDX-License-Identifier: MIT
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <drm_fourcc.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

#include "dmabuf.h"

static void on_modifier(void *data, struct zwp_linux_dmabuf_v1 *global,
		uint32_t format, uint32_t mod_hi, uint32_t mod_lo)
{
	struct probe_dmabuf *d = data;
	uint64_t mod = (uint64_t)mod_hi << 32 | mod_lo;
	if (format != DRM_FORMAT_XRGB8888)
		return;
	if (mod == DRM_FORMAT_MOD_LINEAR)
		d->linear = true;
	else if (mod == DRM_FORMAT_MOD_INVALID)
		d->implicit = true;
}

static void on_format(void *data, struct zwp_linux_dmabuf_v1 *global,
		uint32_t format)
{
	/* Deprecated; modifier events carry the same information. */
}

static const struct zwp_linux_dmabuf_v1_listener dmabuf_listener = {
	.format = on_format,
	.modifier = on_modifier,
};

void probe_dmabuf_listen(struct probe_dmabuf *d,
		struct zwp_linux_dmabuf_v1 *global)
{
	d->global = global;
	zwp_linux_dmabuf_v1_add_listener(global, &dmabuf_listener, d);
}

int probe_dmabuf_open(struct probe_dmabuf *d, const char *device, char *err,
		size_t errlen)
{
	if (!d->global) {
		snprintf(err, errlen, "the compositor offers no "
			"zwp_linux_dmabuf_v1 (version 3 or later)");
		return -1;
	}
	if (!d->linear && !d->implicit) {
		snprintf(err, errlen, "the compositor takes no linear XRGB8888 "
			"dmabufs");
		return -1;
	}
	d->fd = open(device, O_RDWR | O_CLOEXEC);
	if (d->fd < 0) {
		snprintf(err, errlen, "cannot open %s: %s", device,
			strerror(errno));
		return -1;
	}
	for (int i = 0; i < PROBE_DMABUF_COUNT; i++)
		d->buffers[i].owner = d;
	return 0;
}

static void buffer_release(void *data, struct wl_buffer *wl_buffer)
{
	struct probe_dmabuf_buffer *b = data;
	b->buf.busy = false;
	if (b->owner->release)
		b->owner->release(b->owner->data);
}

static const struct wl_buffer_listener buffer_listener = {
	.release = buffer_release,
};

static void buffer_destroy(struct probe_dmabuf *d, struct probe_dmabuf_buffer *b)
{
	if (b->buf.wl_buffer)
		wl_buffer_destroy(b->buf.wl_buffer);
	if (b->buf.data)
		munmap(b->buf.data, b->buf.size);
	if (b->handle)
		drmModeDestroyDumbBuffer(d->fd, b->handle);
	*b = (struct probe_dmabuf_buffer){ .owner = d };
}

static int buffer_create(struct probe_dmabuf *d, struct probe_dmabuf_buffer *b,
		int32_t width, int32_t height)
{
	uint32_t pitch;
	uint64_t size, offset;
	int prime = -1;
	if (drmModeCreateDumbBuffer(d->fd, width, height, 32, 0, &b->handle,
			&pitch, &size) < 0)
		return -errno;
	if (drmPrimeHandleToFD(d->fd, b->handle, DRM_CLOEXEC, &prime) < 0 ||
			drmModeMapDumbBuffer(d->fd, b->handle, &offset) < 0)
		goto fail;
	void *map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, d->fd,
		offset);
	if (map == MAP_FAILED)
		goto fail;

	uint64_t mod = d->linear ? DRM_FORMAT_MOD_LINEAR : DRM_FORMAT_MOD_INVALID;
	struct zwp_linux_buffer_params_v1 *params =
		zwp_linux_dmabuf_v1_create_params(d->global);
	zwp_linux_buffer_params_v1_add(params, prime, 0, 0, pitch, mod >> 32,
		mod & 0xffffffff);
	b->buf.wl_buffer = zwp_linux_buffer_params_v1_create_immed(params,
		width, height, DRM_FORMAT_XRGB8888, 0);
	zwp_linux_buffer_params_v1_destroy(params);
	close(prime);
	wl_buffer_add_listener(b->buf.wl_buffer, &buffer_listener, b);

	/* The fake mmap offset names the GEM object device-wide (the
	 * debugfs "start=" of every framebuffer built on it, in pages): tests
	 * use it to prove that the plane scans out this very buffer. */
	if (getenv("PRESENT_PROBE_BUFFERS"))
		fprintf(stderr, "present-probe: dmabuf %dx%d gem start=%08llx\n",
			width, height, (unsigned long long)(offset >> 12));

	b->buf.data = map;
	b->buf.size = size;
	b->buf.width = width;
	b->buf.height = height;
	b->buf.stride = pitch;
	b->buf.drawn = false;
	return 0;

fail:;
	int ret = -errno;
	if (prime >= 0)
		close(prime);
	return ret;
}

struct verso_buffer *probe_dmabuf_next(struct probe_dmabuf *d, int32_t width,
		int32_t height)
{
	struct probe_dmabuf_buffer *free_buf = NULL;
	for (int i = 0; i < PROBE_DMABUF_COUNT; i++) {
		struct probe_dmabuf_buffer *b = &d->buffers[i];
		if (b->buf.busy)
			continue;
		if (b->buf.wl_buffer && b->buf.width == width &&
				b->buf.height == height) {
			b->buf.busy = true;
			return &b->buf;
		}
		if (!free_buf)
			free_buf = b;
	}
	if (!free_buf) {
		errno = EBUSY;
		return NULL;
	}
	buffer_destroy(d, free_buf);
	int ret = buffer_create(d, free_buf, width, height);
	if (ret < 0) {
		buffer_destroy(d, free_buf);
		errno = -ret;
		return NULL;
	}
	free_buf->buf.busy = true;
	return &free_buf->buf;
}

void probe_dmabuf_finish(struct probe_dmabuf *d)
{
	if (d->fd < 0)
		return;
	for (int i = 0; i < PROBE_DMABUF_COUNT; i++)
		buffer_destroy(d, &d->buffers[i]);
	close(d->fd);
	d->fd = -1;
}
