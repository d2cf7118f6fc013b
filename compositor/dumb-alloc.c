// SPDX-License-Identifier: MIT
/*
 * A dumb-buffer allocator for a leased connector.
 *
 * wlroots 0.15 allocates on a reopened node, which it then authenticates
 * through the backend's fd. A lessee cannot do that: the new fd's magic
 * belongs to the lessor's master, so drmAuthMagic fails and
 * wlr_allocator_autocreate gives up. Dumb buffers need no authentication,
 * so this allocator creates them on its own unauthenticated fd of the same
 * node (never the lease fd: the backend imports and closes GEM handles
 * there). Each buffer is a mapped dmabuf: pixman draws into the mapping,
 * GLES imports the dmabuf, and the backend scans it out. The GEM handle is
 * closed at once; the dmabuf and the mapping keep the memory.
 */
#include <drm_fourcc.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#include <wlr/render/allocator.h>
#include <wlr/render/dmabuf.h>
#include <wlr/render/drm_format_set.h>
#include <wlr/types/wlr_buffer.h>
#include <wlr/util/log.h>
#include <xf86drm.h>
#include <xf86drmMode.h>
#include "dumb-alloc.h"

struct dumb_allocator {
	struct wlr_allocator base;
	int fd;
};

struct dumb_buffer {
	struct wlr_buffer base;
	struct wlr_dmabuf_attributes dmabuf;
	void *data;
	size_t size;
};

static void dumb_buffer_destroy(struct wlr_buffer *wlr_buffer) {
	struct dumb_buffer *buf = wl_container_of(wlr_buffer, buf, base);
	munmap(buf->data, buf->size);
	wlr_dmabuf_attributes_finish(&buf->dmabuf);
	free(buf);
}

static bool dumb_buffer_get_dmabuf(struct wlr_buffer *wlr_buffer,
		struct wlr_dmabuf_attributes *attribs) {
	struct dumb_buffer *buf = wl_container_of(wlr_buffer, buf, base);
	*attribs = buf->dmabuf;
	return true;
}

static bool dumb_buffer_begin_data_ptr_access(struct wlr_buffer *wlr_buffer,
		uint32_t flags, void **data, uint32_t *format, size_t *stride) {
	struct dumb_buffer *buf = wl_container_of(wlr_buffer, buf, base);
	*data = buf->data;
	*format = buf->dmabuf.format;
	*stride = buf->dmabuf.stride[0];
	return true;
}

static void dumb_buffer_end_data_ptr_access(struct wlr_buffer *wlr_buffer) {
}

static const struct wlr_buffer_impl dumb_buffer_impl = {
	.destroy = dumb_buffer_destroy,
	.get_dmabuf = dumb_buffer_get_dmabuf,
	.begin_data_ptr_access = dumb_buffer_begin_data_ptr_access,
	.end_data_ptr_access = dumb_buffer_end_data_ptr_access,
};

static uint32_t format_bpp(uint32_t format) {
	switch (format) {
	case DRM_FORMAT_XRGB8888:
	case DRM_FORMAT_ARGB8888:
	case DRM_FORMAT_XBGR8888:
	case DRM_FORMAT_ABGR8888:
		return 32;
	case DRM_FORMAT_RGB565:
		return 16;
	default:
		return 0;
	}
}

static bool linear_allowed(const struct wlr_drm_format *format) {
	if (format->len == 0) {
		return true;
	}
	for (size_t i = 0; i < format->len; i++) {
		if (format->modifiers[i] == DRM_FORMAT_MOD_LINEAR ||
				format->modifiers[i] == DRM_FORMAT_MOD_INVALID) {
			return true;
		}
	}
	return false;
}

static struct wlr_buffer *dumb_create_buffer(struct wlr_allocator *wlr_alloc,
		int width, int height, const struct wlr_drm_format *format) {
	struct dumb_allocator *alloc = wl_container_of(wlr_alloc, alloc, base);
	uint32_t bpp = format_bpp(format->format);
	if (bpp == 0 || !linear_allowed(format)) {
		wlr_log(WLR_ERROR, "Dumb buffers are linear and 16 or 32 bpp: "
			"format 0x%08x does not fit", format->format);
		return NULL;
	}

	struct dumb_buffer *buf = calloc(1, sizeof(*buf));
	if (buf == NULL) {
		return NULL;
	}
	wlr_buffer_init(&buf->base, &dumb_buffer_impl, width, height);

	struct drm_mode_create_dumb create = {
		.width = (uint32_t)width,
		.height = (uint32_t)height,
		.bpp = bpp,
	};
	if (drmIoctl(alloc->fd, DRM_IOCTL_MODE_CREATE_DUMB, &create) != 0) {
		wlr_log_errno(WLR_ERROR, "Cannot create a %dx%d dumb buffer",
			width, height);
		free(buf);
		return NULL;
	}
	struct drm_mode_map_dumb map = { .handle = create.handle };
	int prime_fd = -1;
	void *data = MAP_FAILED;
	if (drmIoctl(alloc->fd, DRM_IOCTL_MODE_MAP_DUMB, &map) == 0) {
		data = mmap(NULL, create.size, PROT_READ | PROT_WRITE,
			MAP_SHARED, alloc->fd, (off_t)map.offset);
	}
	if (data != MAP_FAILED) {
		drmPrimeHandleToFD(alloc->fd, create.handle,
			DRM_CLOEXEC | DRM_RDWR, &prime_fd);
	}
	struct drm_mode_destroy_dumb destroy = { .handle = create.handle };
	drmIoctl(alloc->fd, DRM_IOCTL_MODE_DESTROY_DUMB, &destroy);
	if (prime_fd < 0) {
		wlr_log_errno(WLR_ERROR, "Cannot map or export a dumb buffer");
		if (data != MAP_FAILED) {
			munmap(data, create.size);
		}
		free(buf);
		return NULL;
	}

	buf->data = data;
	buf->size = create.size;
	buf->dmabuf = (struct wlr_dmabuf_attributes){
		.width = width,
		.height = height,
		.format = format->format,
		.modifier = DRM_FORMAT_MOD_LINEAR,
		.n_planes = 1,
		.offset[0] = 0,
		.stride[0] = create.pitch,
		.fd[0] = prime_fd,
	};
	return &buf->base;
}

static void dumb_allocator_destroy(struct wlr_allocator *wlr_alloc) {
	struct dumb_allocator *alloc = wl_container_of(wlr_alloc, alloc, base);
	close(alloc->fd);
	free(alloc);
}

static const struct wlr_allocator_interface dumb_allocator_impl = {
	.create_buffer = dumb_create_buffer,
	.destroy = dumb_allocator_destroy,
};

struct wlr_allocator *dumb_allocator_create(int drm_fd) {
	char *path = drmGetDeviceNameFromFd2(drm_fd);
	if (path == NULL) {
		wlr_log(WLR_ERROR, "Cannot name the DRM node to allocate on");
		return NULL;
	}
	int fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		wlr_log_errno(WLR_ERROR, "Cannot open %s for buffers", path);
		free(path);
		return NULL;
	}
	free(path);

	struct dumb_allocator *alloc = calloc(1, sizeof(*alloc));
	if (alloc == NULL) {
		close(fd);
		return NULL;
	}
	alloc->fd = fd;
	wlr_allocator_init(&alloc->base, &dumb_allocator_impl,
		WLR_BUFFER_CAP_DATA_PTR | WLR_BUFFER_CAP_DMABUF);
	return &alloc->base;
}
