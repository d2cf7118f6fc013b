// SPDX-License-Identifier: MIT
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <drm_fourcc.h>
#include "kms-util.h"

int kms_open_driver(const char *driver)
{
	for (int i = 0; i < 16; i++) {
		char path[64];
		snprintf(path, sizeof(path), "/dev/dri/card%d", i);
		int fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		drmVersionPtr ver = drmGetVersion(fd);
		bool match = ver && strcmp(ver->name, driver) == 0;
		drmFreeVersion(ver);
		if (match)
			return fd;
		close(fd);
	}
	return -1;
}

void kms_connector_name(const drmModeConnector *conn, char *name, size_t len)
{
	const char *type = drmModeGetConnectorTypeName(conn->connector_type);
	snprintf(name, len, "%s-%u", type ? type : "Unknown",
		conn->connector_type_id);
}

drmModeConnector *kms_find_connector(int fd, const char *name)
{
	drmModeRes *res = drmModeGetResources(fd);
	if (!res)
		return NULL;
	drmModeConnector *found = NULL;
	for (int i = 0; i < res->count_connectors && !found; i++) {
		drmModeConnector *conn = drmModeGetConnector(fd, res->connectors[i]);
		if (!conn)
			continue;
		char cname[64];
		kms_connector_name(conn, cname, sizeof(cname));
		if (strcmp(cname, name) == 0)
			found = conn;
		else
			drmModeFreeConnector(conn);
	}
	drmModeFreeResources(res);
	return found;
}

static drmModePropertyPtr find_prop(int fd, uint32_t obj_id, uint32_t obj_type,
	const char *name, uint64_t *value)
{
	drmModeObjectProperties *props =
		drmModeObjectGetProperties(fd, obj_id, obj_type);
	if (!props)
		return NULL;
	drmModePropertyPtr found = NULL;
	for (uint32_t i = 0; i < props->count_props && !found; i++) {
		drmModePropertyPtr prop = drmModeGetProperty(fd, props->props[i]);
		if (prop && strcmp(prop->name, name) == 0) {
			found = prop;
			*value = props->prop_values[i];
		} else {
			drmModeFreeProperty(prop);
		}
	}
	drmModeFreeObjectProperties(props);
	return found;
}

uint64_t kms_get_prop(int fd, uint32_t obj_id, uint32_t obj_type,
	const char *name, uint64_t fallback)
{
	uint64_t value = fallback;
	drmModePropertyPtr prop = find_prop(fd, obj_id, obj_type, name, &value);
	drmModeFreeProperty(prop);
	return prop ? value : fallback;
}

bool kms_has_prop(int fd, uint32_t obj_id, uint32_t obj_type, const char *name)
{
	uint64_t value;
	drmModePropertyPtr prop = find_prop(fd, obj_id, obj_type, name, &value);
	drmModeFreeProperty(prop);
	return prop != NULL;
}

uint64_t kms_mode_refresh_mhz(const drmModeModeInfo *mode)
{
	uint64_t total = (uint64_t)mode->htotal * mode->vtotal;
	if (total == 0)
		return 0;
	return ((uint64_t)mode->clock * 1000000ull + total / 2) / total;
}

int kms_fb_create(int fd, uint32_t width, uint32_t height, uint32_t fill,
	struct kms_fb *fb)
{
	memset(fb, 0, sizeof(*fb));
	struct drm_mode_create_dumb create = {
		.width = width, .height = height, .bpp = 32,
	};
	if (drmIoctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &create) < 0)
		return -errno;
	fb->handle = create.handle;
	fb->pitch = create.pitch;
	fb->size = create.size;
	fb->width = width;
	fb->height = height;

	uint32_t handles[4] = { fb->handle }, pitches[4] = { fb->pitch };
	uint32_t offsets[4] = { 0 };
	if (drmModeAddFB2(fd, width, height, DRM_FORMAT_XRGB8888, handles,
			pitches, offsets, &fb->fb_id, 0) < 0) {
		int err = -errno;
		kms_fb_destroy(fd, fb);
		return err;
	}

	struct drm_mode_map_dumb map = { .handle = fb->handle };
	if (drmIoctl(fd, DRM_IOCTL_MODE_MAP_DUMB, &map) < 0) {
		int err = -errno;
		kms_fb_destroy(fd, fb);
		return err;
	}
	void *ptr = mmap(NULL, fb->size, PROT_READ | PROT_WRITE, MAP_SHARED,
		fd, map.offset);
	if (ptr == MAP_FAILED) {
		int err = -errno;
		kms_fb_destroy(fd, fb);
		return err;
	}
	fb->map = ptr;
	for (uint32_t y = 0; y < height; y++)
		for (uint32_t x = 0; x < width; x++)
			fb->map[y * (fb->pitch / 4) + x] = fill;
	return 0;
}

void kms_fb_destroy(int fd, struct kms_fb *fb)
{
	if (fb->map)
		munmap(fb->map, fb->size);
	if (fb->fb_id)
		drmModeRmFB(fd, fb->fb_id);
	if (fb->handle) {
		struct drm_mode_destroy_dumb destroy = { .handle = fb->handle };
		drmIoctl(fd, DRM_IOCTL_MODE_DESTROY_DUMB, &destroy);
	}
	memset(fb, 0, sizeof(*fb));
}
