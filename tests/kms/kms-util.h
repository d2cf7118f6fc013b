/* SPDX-License-Identifier: MIT */
#ifndef VERSO_TESTS_KMS_UTIL_H
#define VERSO_TESTS_KMS_UTIL_H

#include <stdbool.h>
#include <stddef.h>
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

/*
 * The conformance suite (kms-atomic, kms-flip, ...): shared helpers.
 * Every subtest is named "igt_test/subtest" after the IGT subtest it holds
 * the driver to, so the results of verso and vkms compare line by line.
 */
struct kms_dev {
	int fd;
	const char *driver;
	bool is_verso;
	int minor;
};

/*
 * Opens the driver named by $KMS_DRIVER (default verso) with the universal
 * planes and atomic client caps set. Returns 0 or -errno.
 */
int kms_dev_open(struct kms_dev *dev);

/* The connector the suite drives: $KMS_CONNECTOR, DSI-2 on verso, else Virtual-1. */
const char *kms_dev_connector(const struct kms_dev *dev);

/* One display pipe: a connector, its CRTC and the CRTC's planes. */
struct kms_pipe {
	char name[32];
	uint32_t conn_id, crtc_id, crtc_index;
	drmModeModeInfo mode; /* the preferred mode */
	uint32_t primary, overlay, cursor; /* 0 when the CRTC has none */
};

/* Fills @pipe for the connector called @connector. Returns 0 or -errno. */
int kms_pipe_find(int fd, const char *connector, struct kms_pipe *pipe);

/* The id of the named property of an object, or 0. */
uint32_t kms_prop_id(int fd, uint32_t obj_id, uint32_t obj_type, const char *name);

/* Adds "name = value" to an atomic request. Returns 0, or -ENOENT without the property. */
int kms_req_add(drmModeAtomicReq *req, int fd, uint32_t obj_id,
	uint32_t obj_type, const char *name, uint64_t value);

/* Adds a plane's CRTC, FB and (integer) source and destination rectangles. */
void kms_req_plane(drmModeAtomicReq *req, int fd, uint32_t plane,
	uint32_t crtc, uint32_t fb, int32_t x, int32_t y, uint32_t w,
	uint32_t h, uint32_t src_x, uint32_t src_y, uint32_t src_w,
	uint32_t src_h);

/* Commits a request; returns 0 or -errno. */
int kms_commit(int fd, drmModeAtomicReq *req, uint32_t flags);

/* Turns every CRTC and plane off. Returns 0 or -errno. */
int kms_reset(int fd);

/*
 * Lights @pipe in @mode (the preferred one when NULL) with @fb_id fullscreen on
 * its primary plane, in one blocking atomic modeset. Returns 0 or -errno.
 */
int kms_pipe_enable(int fd, const struct kms_pipe *pipe,
	const drmModeModeInfo *mode, uint32_t fb_id);

/*
 * A framebuffer in a dumb buffer, mapped for CPU access: XRGB8888, ARGB8888,
 * XBGR8888, ABGR8888, RGB565, YUYV or NV12 (both planes in one buffer).
 */
struct kms_fb {
	uint32_t handle, fb_id, width, height, format;
	uint32_t pitches[4], offsets[4];
	uint64_t size;
	uint8_t *map;
};

/*
 * Creates a cleared framebuffer: black, transparent (YUV: black, opaque).
 * Returns 0 or -errno.
 */
int kms_fb_create(int fd, uint32_t width, uint32_t height, uint32_t format,
	struct kms_fb *fb);
void kms_fb_destroy(int fd, struct kms_fb *fb);

/* Fills a rectangle with a 0xAARRGGBB colour, converted to the fb's format. */
void kms_fb_fill(struct kms_fb *fb, uint32_t x, uint32_t y, uint32_t w,
	uint32_t h, uint32_t argb);

/* Reads the pixel (x, y) of an XRGB/ARGB8888 fb. */
uint32_t kms_fb_pixel(const struct kms_fb *fb, uint32_t x, uint32_t y);

/* Pipe CRCs through debugfs dri/N/crtc-I/crc/{control,data}. */
struct kms_crc {
	int data_fd;
};

/* Selects @source ("auto") and opens crc/data. Returns 0 or -errno. */
int kms_crc_start(const struct kms_dev *dev, uint32_t crtc_index,
	const char *source, int open_flags, struct kms_crc *crc);

/*
 * Reads one CRC entry; @frame gets the frame counter (~0 when the driver has
 * none). Returns 0, -ETIMEDOUT after @timeout_ms, or -errno.
 */
int kms_crc_read(struct kms_crc *crc, uint32_t *frame, uint32_t *value,
	int timeout_ms);
void kms_crc_stop(struct kms_crc *crc);

/* The CRC of what the pipe shows now (after two settling frames). */
int kms_crc_now(const struct kms_dev *dev, uint32_t crtc_index, uint32_t *value);

/* Waits for one DRM event on @fd and dispatches it. Returns 0 or -ETIMEDOUT. */
int kms_handle_event(int fd, drmEventContext *ev, int timeout_ms);

/* CLOCK_MONOTONIC in ns. */
uint64_t kms_now_ns(void);

/* Writeback: the writeback connector that can feed from @crtc_index, or 0. */
uint32_t kms_writeback_connector(int fd, uint32_t crtc_index);

#endif
