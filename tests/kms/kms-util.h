/* SPDX-License-Identifier: MIT */
#ifndef VERSO_TESTS_KMS_UTIL_H
#define VERSO_TESTS_KMS_UTIL_H

#include <stdbool.h>
#include <stdint.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

/* Opens the first DRM card whose driver name is @driver, or returns -1. */
int kms_open_driver(const char *driver);

/* Fills @name with the connector's name as userspace sees it ("DSI-2"). */
void kms_connector_name(const drmModeConnector *conn, char *name, size_t len);

/* Returns the connector called @name, or NULL. Free with drmModeFreeConnector. */
drmModeConnector *kms_find_connector(int fd, const char *name);

/* Returns the value of the named property on an object, or @fallback. */
uint64_t kms_get_prop(int fd, uint32_t obj_id, uint32_t obj_type,
	const char *name, uint64_t fallback);
bool kms_has_prop(int fd, uint32_t obj_id, uint32_t obj_type, const char *name);

/* Refresh in millihertz computed from the timings, not the rounded vrefresh. */
uint64_t kms_mode_refresh_mhz(const drmModeModeInfo *mode);

/* A dumb buffer with a framebuffer, mapped for CPU writes. */
struct kms_fb {
	uint32_t handle, fb_id, width, height, pitch;
	uint64_t size;
	uint32_t *map;
};

int kms_fb_create(int fd, uint32_t width, uint32_t height, uint32_t fill,
	struct kms_fb *fb);
void kms_fb_destroy(int fd, struct kms_fb *fb);

#endif
