// SPDX-License-Identifier: MIT
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
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

/* ---- The conformance suite's helpers ---- */

int kms_dev_open(struct kms_dev *dev)
{
	memset(dev, 0, sizeof(*dev));
	dev->driver = getenv("KMS_DRIVER") ? getenv("KMS_DRIVER") : "verso";
	dev->is_verso = strcmp(dev->driver, "verso") == 0;
	dev->fd = kms_open_driver(dev->driver);
	if (dev->fd < 0) {
		fprintf(stderr, "no DRM device with driver '%s'\n", dev->driver);
		return -ENODEV;
	}
	struct stat st;
	if (fstat(dev->fd, &st) == 0)
		dev->minor = minor(st.st_rdev);
	if (drmSetClientCap(dev->fd, DRM_CLIENT_CAP_UNIVERSAL_PLANES, 1) ||
	    drmSetClientCap(dev->fd, DRM_CLIENT_CAP_ATOMIC, 1))
		return -errno;
	return 0;
}

const char *kms_dev_connector(const struct kms_dev *dev)
{
	if (getenv("KMS_CONNECTOR"))
		return getenv("KMS_CONNECTOR");
	return dev->is_verso ? "DSI-2" : "Virtual-1";
}

int kms_pipe_find(int fd, const char *connector, struct kms_pipe *pipe)
{
	memset(pipe, 0, sizeof(*pipe));
	drmModeConnector *conn = kms_find_connector(fd, connector);
	if (!conn)
		return -ENOENT;
	snprintf(pipe->name, sizeof(pipe->name), "%s", connector);
	pipe->conn_id = conn->connector_id;
	if (conn->count_modes < 1 || conn->count_encoders < 1) {
		drmModeFreeConnector(conn);
		return -ENOENT;
	}
	pipe->mode = conn->modes[0];
	for (int m = 0; m < conn->count_modes; m++)
		if (conn->modes[m].type & DRM_MODE_TYPE_PREFERRED) {
			pipe->mode = conn->modes[m];
			break;
		}
	drmModeEncoder *enc = drmModeGetEncoder(fd, conn->encoders[0]);
	drmModeFreeConnector(conn);
	if (!enc)
		return -ENOENT;
	uint32_t mask = enc->possible_crtcs;
	drmModeFreeEncoder(enc);
	drmModeRes *res = drmModeGetResources(fd);
	if (!res || !mask)
		return -ENOENT;
	pipe->crtc_index = __builtin_ctz(mask);
	pipe->crtc_id = res->crtcs[pipe->crtc_index];
	drmModeFreeResources(res);

	drmModePlaneRes *planes = drmModeGetPlaneResources(fd);
	for (uint32_t i = 0; planes && i < planes->count_planes; i++) {
		drmModePlane *plane = drmModeGetPlane(fd, planes->planes[i]);
		if (!plane)
			continue;
		if (plane->possible_crtcs & (1u << pipe->crtc_index)) {
			uint64_t type = kms_get_prop(fd, plane->plane_id,
				DRM_MODE_OBJECT_PLANE, "type", ~0ull);
			uint32_t *slot = type == DRM_PLANE_TYPE_PRIMARY ? &pipe->primary :
				type == DRM_PLANE_TYPE_CURSOR ? &pipe->cursor : &pipe->overlay;
			if (!*slot)
				*slot = plane->plane_id;
		}
		drmModeFreePlane(plane);
	}
	drmModeFreePlaneResources(planes);
	return pipe->primary ? 0 : -ENOENT;
}

uint32_t kms_prop_id(int fd, uint32_t obj_id, uint32_t obj_type, const char *name)
{
	uint64_t value;
	drmModePropertyPtr prop = find_prop(fd, obj_id, obj_type, name, &value);
	uint32_t id = prop ? prop->prop_id : 0;
	drmModeFreeProperty(prop);
	return id;
}

int kms_req_add(drmModeAtomicReq *req, int fd, uint32_t obj_id,
	uint32_t obj_type, const char *name, uint64_t value)
{
	uint32_t id = kms_prop_id(fd, obj_id, obj_type, name);
	if (!id)
		return -ENOENT;
	return drmModeAtomicAddProperty(req, obj_id, id, value) < 0 ? -EINVAL : 0;
}

void kms_req_plane(drmModeAtomicReq *req, int fd, uint32_t plane,
	uint32_t crtc, uint32_t fb, int32_t x, int32_t y, uint32_t w,
	uint32_t h, uint32_t src_x, uint32_t src_y, uint32_t src_w,
	uint32_t src_h)
{
	const uint32_t t = DRM_MODE_OBJECT_PLANE;
	kms_req_add(req, fd, plane, t, "CRTC_ID", crtc);
	kms_req_add(req, fd, plane, t, "FB_ID", fb);
	kms_req_add(req, fd, plane, t, "CRTC_X", (uint64_t)(int64_t)x);
	kms_req_add(req, fd, plane, t, "CRTC_Y", (uint64_t)(int64_t)y);
	kms_req_add(req, fd, plane, t, "CRTC_W", w);
	kms_req_add(req, fd, plane, t, "CRTC_H", h);
	kms_req_add(req, fd, plane, t, "SRC_X", (uint64_t)src_x << 16);
	kms_req_add(req, fd, plane, t, "SRC_Y", (uint64_t)src_y << 16);
	kms_req_add(req, fd, plane, t, "SRC_W", (uint64_t)src_w << 16);
	kms_req_add(req, fd, plane, t, "SRC_H", (uint64_t)src_h << 16);
}

int kms_commit(int fd, drmModeAtomicReq *req, uint32_t flags)
{
	return drmModeAtomicCommit(fd, req, flags, NULL) ? -errno : 0;
}

/* Plane property values at the first reset, restored by later resets. */
static struct {
	uint32_t plane;
	uint64_t zpos;
} initial_zpos[32];
static int initial_zpos_count = -1;

int kms_reset(int fd)
{
	drmModeRes *res = drmModeGetResources(fd);
	drmModePlaneRes *planes = drmModeGetPlaneResources(fd);
	drmModeAtomicReq *req = drmModeAtomicAlloc();
	if (!res || !planes || !req)
		return -ENOMEM;
	for (int i = 0; i < res->count_connectors; i++)
		kms_req_add(req, fd, res->connectors[i], DRM_MODE_OBJECT_CONNECTOR,
			"CRTC_ID", 0);
	if (initial_zpos_count < 0) {
		initial_zpos_count = 0;
		for (uint32_t i = 0; i < planes->count_planes && i < 32; i++) {
			if (!kms_has_prop(fd, planes->planes[i], DRM_MODE_OBJECT_PLANE, "zpos"))
				continue;
			initial_zpos[initial_zpos_count].plane = planes->planes[i];
			initial_zpos[initial_zpos_count++].zpos = kms_get_prop(fd,
				planes->planes[i], DRM_MODE_OBJECT_PLANE, "zpos", 0);
		}
	}
	for (int i = 0; i < initial_zpos_count; i++)
		kms_req_add(req, fd, initial_zpos[i].plane, DRM_MODE_OBJECT_PLANE,
			"zpos", initial_zpos[i].zpos);
	for (uint32_t i = 0; i < planes->count_planes; i++) {
		uint32_t p = planes->planes[i];
		kms_req_add(req, fd, p, DRM_MODE_OBJECT_PLANE, "FB_ID", 0);
		kms_req_add(req, fd, p, DRM_MODE_OBJECT_PLANE, "CRTC_ID", 0);
		kms_req_add(req, fd, p, DRM_MODE_OBJECT_PLANE, "alpha", 0xffff);
		kms_req_add(req, fd, p, DRM_MODE_OBJECT_PLANE, "rotation",
			DRM_MODE_ROTATE_0);
		kms_req_add(req, fd, p, DRM_MODE_OBJECT_PLANE, "pixel blend mode", 0);
	}
	for (int i = 0; i < res->count_crtcs; i++) {
		kms_req_add(req, fd, res->crtcs[i], DRM_MODE_OBJECT_CRTC, "ACTIVE", 0);
		kms_req_add(req, fd, res->crtcs[i], DRM_MODE_OBJECT_CRTC, "MODE_ID", 0);
		kms_req_add(req, fd, res->crtcs[i], DRM_MODE_OBJECT_CRTC,
			"VRR_ENABLED", 0);
	}
	int ret = kms_commit(fd, req, DRM_MODE_ATOMIC_ALLOW_MODESET);
	drmModeAtomicFree(req);
	drmModeFreePlaneResources(planes);
	drmModeFreeResources(res);
	return ret;
}

int kms_pipe_enable(int fd, const struct kms_pipe *pipe,
	const drmModeModeInfo *mode, uint32_t fb_id)
{
	if (!mode)
		mode = &pipe->mode;
	uint32_t blob = 0;
	if (drmModeCreatePropertyBlob(fd, mode, sizeof(*mode), &blob))
		return -errno;
	drmModeAtomicReq *req = drmModeAtomicAlloc();
	kms_req_add(req, fd, pipe->conn_id, DRM_MODE_OBJECT_CONNECTOR, "CRTC_ID",
		pipe->crtc_id);
	kms_req_add(req, fd, pipe->crtc_id, DRM_MODE_OBJECT_CRTC, "MODE_ID", blob);
	kms_req_add(req, fd, pipe->crtc_id, DRM_MODE_OBJECT_CRTC, "ACTIVE", 1);
	kms_req_plane(req, fd, pipe->primary, pipe->crtc_id, fb_id, 0, 0,
		mode->hdisplay, mode->vdisplay, 0, 0, mode->hdisplay,
		mode->vdisplay);
	int ret = kms_commit(fd, req, DRM_MODE_ATOMIC_ALLOW_MODESET);
	drmModeAtomicFree(req);
	drmModeDestroyPropertyBlob(fd, blob);
	return ret;
}

int kms_fb_create(int fd, uint32_t width, uint32_t height, uint32_t format,
	struct kms_fb *fb)
{
	memset(fb, 0, sizeof(*fb));
	uint32_t bpp = 32, rows = height;
	switch (format) {
	case DRM_FORMAT_RGB565:
	case DRM_FORMAT_YUYV:
		bpp = 16;
		break;
	case DRM_FORMAT_NV12:
		bpp = 8;
		rows = height + (height + 1) / 2;
		break;
	default:
		break;
	}
	struct drm_mode_create_dumb create = {
		.width = format == DRM_FORMAT_NV12 ? (width + 1) & ~1u : width,
		.height = rows, .bpp = bpp,
	};
	if (drmIoctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &create) < 0)
		return -errno;
	fb->handle = create.handle;
	fb->size = create.size;
	fb->width = width;
	fb->height = height;
	fb->format = format;
	fb->pitches[0] = create.pitch;
	uint32_t handles[4] = { fb->handle };
	if (format == DRM_FORMAT_NV12) {
		handles[1] = fb->handle;
		fb->pitches[1] = create.pitch;
		fb->offsets[1] = create.pitch * height;
	}
	struct drm_mode_map_dumb map = { .handle = fb->handle };
	int err = 0;
	if (drmModeAddFB2(fd, width, height, format, handles, fb->pitches,
			fb->offsets, &fb->fb_id, 0) < 0 ||
	    drmIoctl(fd, DRM_IOCTL_MODE_MAP_DUMB, &map) < 0) {
		err = -errno;
	} else {
		void *ptr = mmap(NULL, fb->size, PROT_READ | PROT_WRITE,
			MAP_SHARED, fd, map.offset);
		if (ptr == MAP_FAILED)
			err = -errno;
		else
			fb->map = ptr;
	}
	if (err) {
		kms_fb_destroy(fd, fb);
		return err;
	}
	memset(fb->map, 0, fb->size);
	if (format == DRM_FORMAT_NV12 || format == DRM_FORMAT_YUYV)
		kms_fb_fill(fb, 0, 0, width, height, 0xff000000);
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

/* BT.601 limited range, as the overlay's default COLOR_ENCODING/RANGE. */
static void rgb_to_yuv(uint32_t argb, uint8_t *y, uint8_t *u, uint8_t *v)
{
	double r = (argb >> 16) & 0xff, g = (argb >> 8) & 0xff, b = argb & 0xff;
	*y = (uint8_t)lround(16 + 219.0 * (0.299 * r + 0.587 * g + 0.114 * b) / 255);
	*u = (uint8_t)lround(128 + 224.0 * (-0.168736 * r - 0.331264 * g + 0.5 * b) / 255);
	*v = (uint8_t)lround(128 + 224.0 * (0.5 * r - 0.418688 * g - 0.081312 * b) / 255);
}

void kms_fb_fill(struct kms_fb *fb, uint32_t x0, uint32_t y0, uint32_t w,
	uint32_t h, uint32_t argb)
{
	uint32_t a = argb >> 24, r = (argb >> 16) & 0xff, g = (argb >> 8) & 0xff,
		b = argb & 0xff;
	uint8_t yy, u, v;
	rgb_to_yuv(argb, &yy, &u, &v);
	/* The common 32-bit case without a per-pixel switch (TCG is slow). */
	if (fb->format != DRM_FORMAT_RGB565 && fb->format != DRM_FORMAT_YUYV &&
	    fb->format != DRM_FORMAT_NV12) {
		uint32_t px = (fb->format == DRM_FORMAT_XBGR8888 ||
			fb->format == DRM_FORMAT_ABGR8888) ?
			(a << 24 | b << 16 | g << 8 | r) : argb;
		uint32_t x1 = x0 + w < fb->width ? x0 + w : fb->width;
		for (uint32_t y = y0; y < y0 + h && y < fb->height; y++) {
			uint32_t *row = (uint32_t *)(fb->map + (size_t)y * fb->pitches[0]);
			for (uint32_t x = x0; x < x1; x++)
				row[x] = px;
		}
		return;
	}
	for (uint32_t y = y0; y < y0 + h && y < fb->height; y++) {
		uint8_t *row = fb->map + (size_t)y * fb->pitches[0];
		for (uint32_t x = x0; x < x0 + w && x < fb->width; x++) {
			switch (fb->format) {
			case DRM_FORMAT_XBGR8888:
			case DRM_FORMAT_ABGR8888:
				((uint32_t *)row)[x] = a << 24 | b << 16 | g << 8 | r;
				break;
			case DRM_FORMAT_RGB565:
				((uint16_t *)row)[x] = (uint16_t)((r >> 3) << 11 |
					(g >> 2) << 5 | (b >> 3));
				break;
			case DRM_FORMAT_YUYV:
				row[x * 2] = yy;
				row[x * 2 + 1] = (x & 1) ? v : u;
				break;
			case DRM_FORMAT_NV12: {
				row[x] = yy;
				uint8_t *uv = fb->map + fb->offsets[1] +
					(size_t)(y / 2) * fb->pitches[1];
				uv[(x / 2) * 2] = u;
				uv[(x / 2) * 2 + 1] = v;
				break;
			}
			default:
				((uint32_t *)row)[x] = argb;
				break;
			}
		}
	}
}

uint32_t kms_fb_pixel(const struct kms_fb *fb, uint32_t x, uint32_t y)
{
	return ((const uint32_t *)(fb->map + (size_t)y * fb->pitches[0]))[x];
}

int kms_crc_start(const struct kms_dev *dev, uint32_t crtc_index,
	const char *source, int open_flags, struct kms_crc *crc)
{
	char path[128];
	crc->data_fd = -1;
	snprintf(path, sizeof(path), "/sys/kernel/debug/dri/%d/crtc-%u/crc/control",
		dev->minor, crtc_index);
	int ctl = open(path, O_WRONLY | O_CLOEXEC);
	if (ctl < 0)
		return -errno;
	ssize_t n = write(ctl, source, strlen(source));
	int err = n < 0 ? -errno : 0;
	close(ctl);
	if (err)
		return err;
	snprintf(path, sizeof(path), "/sys/kernel/debug/dri/%d/crtc-%u/crc/data",
		dev->minor, crtc_index);
	crc->data_fd = open(path, O_RDONLY | O_CLOEXEC | open_flags);
	return crc->data_fd < 0 ? -errno : 0;
}

int kms_crc_read(struct kms_crc *crc, uint32_t *frame, uint32_t *value,
	int timeout_ms)
{
	struct pollfd pfd = { .fd = crc->data_fd, .events = POLLIN };
	int ret = poll(&pfd, 1, timeout_ms);
	if (ret < 0)
		return -errno;
	if (ret == 0)
		return -ETIMEDOUT;
	char buf[128];
	ssize_t n = read(crc->data_fd, buf, sizeof(buf) - 1);
	if (n < 0)
		return -errno;
	if (n == 0)
		return -ENODATA;
	buf[n] = '\0';
	char *end;
	*frame = buf[0] == 'X' ? ~0u : (uint32_t)strtoul(buf, &end, 0);
	*value = (uint32_t)strtoul(buf + 10, &end, 0);
	return 0;
}

void kms_crc_stop(struct kms_crc *crc)
{
	if (crc->data_fd >= 0)
		close(crc->data_fd);
	crc->data_fd = -1;
}

int kms_crc_now(const struct kms_dev *dev, uint32_t crtc_index, uint32_t *value)
{
	struct kms_crc crc;
	int ret = kms_crc_start(dev, crtc_index, "auto", 0, &crc);
	uint32_t frame;
	for (int i = 0; ret == 0 && i < 3; i++)
		ret = kms_crc_read(&crc, &frame, value, 3000);
	kms_crc_stop(&crc);
	return ret;
}

int kms_handle_event(int fd, drmEventContext *ev, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int ret = poll(&pfd, 1, timeout_ms);
	if (ret <= 0)
		return -ETIMEDOUT;
	return drmHandleEvent(fd, ev) ? -EIO : 0;
}

uint64_t kms_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

uint32_t kms_writeback_connector(int fd, uint32_t crtc_index)
{
	drmSetClientCap(fd, DRM_CLIENT_CAP_WRITEBACK_CONNECTORS, 1);
	drmModeRes *res = drmModeGetResources(fd);
	uint32_t found = 0;
	for (int i = 0; res && i < res->count_connectors && !found; i++) {
		drmModeConnector *conn = drmModeGetConnector(fd, res->connectors[i]);
		if (!conn)
			continue;
		if (conn->connector_type == DRM_MODE_CONNECTOR_WRITEBACK &&
		    conn->count_encoders > 0) {
			drmModeEncoder *enc = drmModeGetEncoder(fd, conn->encoders[0]);
			if (enc && (enc->possible_crtcs & (1u << crtc_index)))
				found = conn->connector_id;
			drmModeFreeEncoder(enc);
		}
		drmModeFreeConnector(conn);
	}
	drmModeFreeResources(res);
	return found;
}
