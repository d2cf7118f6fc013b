// SPDX-License-Identifier: MIT
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <drm_fourcc.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

#include "verso/capture.h"
#include "verso/drm-util.h"
#include "verso/png.h"

struct wb_props {
	uint32_t crtc_id;
	uint32_t fb_id;
	uint32_t out_fence_ptr;
	uint32_t pixel_formats;
};

static int fail(char *err, size_t errlen, int ret, const char *fmt, ...)
{
	if (err && errlen > 0) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return ret;
}

static bool props_find(int fd, uint32_t conn_id, struct wb_props *p)
{
	uint64_t formats_blob = 0;
	p->crtc_id = verso_prop_find(fd, conn_id, DRM_MODE_OBJECT_CONNECTOR,
		"CRTC_ID", NULL);
	p->fb_id = verso_prop_find(fd, conn_id, DRM_MODE_OBJECT_CONNECTOR,
		"WRITEBACK_FB_ID", NULL);
	p->out_fence_ptr = verso_prop_find(fd, conn_id,
		DRM_MODE_OBJECT_CONNECTOR, "WRITEBACK_OUT_FENCE_PTR", NULL);
	uint32_t formats = verso_prop_find(fd, conn_id,
		DRM_MODE_OBJECT_CONNECTOR, "WRITEBACK_PIXEL_FORMATS",
		&formats_blob);
	p->pixel_formats = formats ? (uint32_t)formats_blob : 0;
	return p->crtc_id && p->fb_id && p->out_fence_ptr && p->pixel_formats;
}

static bool blob_has_format(int fd, uint32_t blob_id, uint32_t format)
{
	drmModePropertyBlobRes *blob = drmModeGetPropertyBlob(fd, blob_id);
	if (!blob)
		return false;
	bool found = false;
	const uint32_t *formats = blob->data;
	for (size_t i = 0; i < blob->length / sizeof(uint32_t); i++) {
		if (formats[i] == format)
			found = true;
	}
	drmModeFreePropertyBlob(blob);
	return found;
}

/* Finds a writeback connector (and its encoder) the CRTC can feed. */
static uint32_t find_wb_connector(int fd, const drmModeRes *res, int crtc_index,
		uint32_t *encoder_id)
{
	for (int i = 0; i < res->count_connectors; i++) {
		drmModeConnector *conn = drmModeGetConnector(fd,
			res->connectors[i]);
		if (!conn)
			continue;
		uint32_t usable = 0;
		if (conn->connector_type == DRM_MODE_CONNECTOR_WRITEBACK) {
			for (int e = 0; e < conn->count_encoders && !usable; e++) {
				drmModeEncoder *enc = drmModeGetEncoder(fd,
					conn->encoders[e]);
				if (!enc)
					continue;
				if (enc->possible_crtcs & (1u << crtc_index))
					usable = enc->encoder_id;
				drmModeFreeEncoder(enc);
			}
		}
		uint32_t id = conn->connector_id;
		drmModeFreeConnector(conn);
		if (usable) {
			*encoder_id = usable;
			return id;
		}
	}
	return 0;
}

static int encoder_index(const drmModeRes *res, uint32_t encoder_id)
{
	for (int i = 0; i < res->count_encoders; i++) {
		if (res->encoders[i] == encoder_id)
			return i;
	}
	return -1;
}

/* Display connectors the CRTC drives now, detached while capturing. */
struct displaced {
	int n;
	uint32_t conn_ids[8];
	uint32_t crtc_props[8];
};

/*
 * The core only lets encoders share a CRTC when each lists the others in
 * possible_clones (drm_atomic_check_valid_clones). Some drivers, vkms among
 * them, do not offer the writeback encoder as a clone of the display
 * encoder: then the display connectors are detached for the one captured
 * frame. The CRTC keeps its mode and planes, so the frame is the same.
 */
static int find_displaced(int fd, const drmModeRes *res, uint32_t crtc_id,
		uint32_t wb_encoder, struct displaced *d)
{
	*d = (struct displaced){0};
	uint32_t encoders[9]; /* up to 8 displaced, and the writeback one */
	int n_enc = 0;
	for (int i = 0; i < res->count_connectors; i++) {
		drmModeConnector *conn = drmModeGetConnector(fd,
			res->connectors[i]);
		if (!conn)
			continue;
		uint64_t on_crtc = 0;
		uint32_t prop = verso_prop_find(fd, conn->connector_id,
			DRM_MODE_OBJECT_CONNECTOR, "CRTC_ID", &on_crtc);
		if (conn->connector_type != DRM_MODE_CONNECTOR_WRITEBACK &&
				prop && on_crtc == crtc_id && d->n < 8) {
			d->conn_ids[d->n] = conn->connector_id;
			d->crtc_props[d->n] = prop;
			encoders[n_enc++] = conn->encoder_id;
			d->n++;
		}
		drmModeFreeConnector(conn);
	}
	encoders[n_enc++] = wb_encoder;

	uint32_t mask = 0;
	for (int i = 0; i < n_enc; i++) {
		int idx = encoder_index(res, encoders[i]);
		if (idx >= 0)
			mask |= 1u << idx;
	}
	for (int i = 0; i < n_enc; i++) {
		drmModeEncoder *enc = drmModeGetEncoder(fd, encoders[i]);
		if (!enc)
			continue;
		uint32_t clones = enc->possible_clones;
		drmModeFreeEncoder(enc);
		if (clones && (mask & clones) != mask)
			return d->n; /* not clonable: detach them */
	}
	d->n = 0;
	return 0;
}

static int wait_fence(int fence, char *err, size_t errlen)
{
	struct pollfd pfd = { .fd = fence, .events = POLLIN };
	int n;
	do {
		n = poll(&pfd, 1, VERSO_WB_TIMEOUT_MS);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return fail(err, errlen, -errno, "polling the writeback fence: %s",
			strerror(errno));
	if (n == 0)
		return fail(err, errlen, -ETIMEDOUT,
			"writeback did not complete within %d ms",
			VERSO_WB_TIMEOUT_MS);
	if (pfd.revents & (POLLERR | POLLNVAL))
		return fail(err, errlen, -EIO, "writeback fence signalled an error");
	return 0;
}

static int commit_error(int ret, const char *what, char *err, size_t errlen)
{
	if (ret == -EACCES || ret == -EPERM)
		return fail(err, errlen, ret, "%s refused: this fd is not the "
			"DRM master (does a compositor own the device?)", what);
	return fail(err, errlen, ret, "%s failed: %s", what, strerror(-ret));
}

/* Attaches the writeback connector, waits for the frame, detaches it. */
static int writeback(int fd, uint32_t conn_id, const struct wb_props *p,
		const struct displaced *d, uint32_t crtc_id, uint32_t fb_id,
		char *err, size_t errlen)
{
	drmModeAtomicReq *req = drmModeAtomicAlloc();
	if (!req)
		return fail(err, errlen, -ENOMEM, "out of memory");

	int32_t fence = -1;
	drmModeAtomicAddProperty(req, conn_id, p->crtc_id, crtc_id);
	drmModeAtomicAddProperty(req, conn_id, p->fb_id, fb_id);
	drmModeAtomicAddProperty(req, conn_id, p->out_fence_ptr,
		(uint64_t)(uintptr_t)&fence);
	for (int i = 0; i < d->n; i++)
		drmModeAtomicAddProperty(req, d->conn_ids[i], d->crtc_props[i], 0);
	/* Routing the CRTC to one more connector is a modeset for the core. */
	int ret = drmModeAtomicCommit(fd, req, DRM_MODE_ATOMIC_ALLOW_MODESET,
		NULL) < 0 ? -errno : 0;
	drmModeAtomicFree(req);
	if (ret < 0)
		return commit_error(ret, "writeback commit", err, errlen);

	if (fence < 0)
		ret = fail(err, errlen, -EIO, "the driver returned no writeback fence");
	else
		ret = wait_fence(fence, err, errlen);
	if (fence >= 0)
		close(fence);

	/* Detach even after a timeout so the connector is free again, and
	 * give displaced display connectors their CRTC back. */
	req = drmModeAtomicAlloc();
	if (!req)
		return ret < 0 ? ret : fail(err, errlen, -ENOMEM, "out of memory");
	drmModeAtomicAddProperty(req, conn_id, p->crtc_id, 0);
	drmModeAtomicAddProperty(req, conn_id, p->fb_id, 0);
	for (int i = 0; i < d->n; i++)
		drmModeAtomicAddProperty(req, d->conn_ids[i], d->crtc_props[i],
			crtc_id);
	int detach = drmModeAtomicCommit(fd, req, DRM_MODE_ATOMIC_ALLOW_MODESET,
		NULL) < 0 ? -errno : 0;
	drmModeAtomicFree(req);
	if (detach < 0 && ret == 0)
		ret = commit_error(detach, "writeback detach commit", err, errlen);
	return ret;
}

static int copy_out(int fd, uint32_t handle, uint32_t pitch, uint64_t size,
		struct verso_image *img, char *err, size_t errlen)
{
	uint64_t offset;
	if (drmModeMapDumbBuffer(fd, handle, &offset) < 0)
		return fail(err, errlen, -errno, "cannot map the capture buffer: %s",
			strerror(errno));
	const uint8_t *map = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, offset);
	if (map == MAP_FAILED)
		return fail(err, errlen, -errno, "mmap of the capture buffer: %s",
			strerror(errno));

	/* X is undefined in XRGB8888: force opaque so images compare. */
	for (uint32_t y = 0; y < img->height; y++) {
		const uint32_t *src = (const uint32_t *)(map + (size_t)y * pitch);
		uint32_t *dst = img->data + (size_t)y * img->width;
		for (uint32_t x = 0; x < img->width; x++)
			dst[x] = 0xff000000u | src[x];
	}
	munmap((void *)map, size);
	return 0;
}

static int capture(int fd, uint32_t crtc_id, struct verso_image *img,
		char *err, size_t errlen)
{
	drmModeCrtc *crtc = drmModeGetCrtc(fd, crtc_id);
	if (!crtc)
		return fail(err, errlen, -errno, "no CRTC %u: %s", crtc_id,
			strerror(errno));
	bool active = crtc->mode_valid;
	uint32_t width = crtc->mode.hdisplay, height = crtc->mode.vdisplay;
	drmModeFreeCrtc(crtc);
	if (!active)
		return fail(err, errlen, -ENODEV,
			"CRTC %u is off: there is no frame to capture", crtc_id);

	drmModeRes *res = drmModeGetResources(fd);
	if (!res)
		return fail(err, errlen, -errno, "cannot read KMS resources: %s",
			strerror(errno));
	int index = verso_crtc_index(res, crtc_id);
	uint32_t wb_encoder = 0;
	uint32_t conn_id = index >= 0 ?
		find_wb_connector(fd, res, index, &wb_encoder) : 0;
	struct displaced displaced = {0};
	if (conn_id)
		find_displaced(fd, res, crtc_id, wb_encoder, &displaced);
	drmModeFreeResources(res);
	if (index < 0)
		return fail(err, errlen, -ENOENT, "CRTC %u is not in the device's "
			"resources", crtc_id);
	if (!conn_id)
		return fail(err, errlen, -ENODEV, "no writeback connector can "
			"capture CRTC %u", crtc_id);

	struct wb_props p;
	if (!props_find(fd, conn_id, &p))
		return fail(err, errlen, -ENODEV, "writeback connector %u lacks "
			"the standard writeback properties", conn_id);
	if (!blob_has_format(fd, p.pixel_formats, DRM_FORMAT_XRGB8888))
		return fail(err, errlen, -ENOTSUP, "writeback connector %u "
			"cannot write XRGB8888", conn_id);

	uint32_t handle, pitch;
	uint64_t size;
	if (drmModeCreateDumbBuffer(fd, width, height, 32, 0, &handle, &pitch,
			&size) < 0)
		return fail(err, errlen, -errno, "cannot create a %ux%u dumb "
			"buffer: %s", width, height, strerror(errno));

	uint32_t fb_id = 0;
	uint32_t handles[4] = { handle }, pitches[4] = { pitch }, offsets[4] = {0};
	int ret = 0;
	if (drmModeAddFB2(fd, width, height, DRM_FORMAT_XRGB8888, handles,
			pitches, offsets, &fb_id, 0) < 0)
		ret = fail(err, errlen, -errno, "cannot add the capture "
			"framebuffer: %s", strerror(errno));
	if (ret == 0)
		ret = writeback(fd, conn_id, &p, &displaced, crtc_id, fb_id, err,
			errlen);
	if (ret == 0) {
		ret = verso_image_init(img, width, height);
		if (ret < 0)
			fail(err, errlen, ret, "out of memory");
	}
	if (ret == 0)
		ret = copy_out(fd, handle, pitch, size, img, err, errlen);
	if (ret < 0)
		verso_image_finish(img);

	if (fb_id)
		drmModeRmFB(fd, fb_id);
	drmModeDestroyDumbBuffer(fd, handle);
	return ret;
}

int verso_wb_capture_image(int drm_fd, uint32_t crtc_id,
		struct verso_image *img, char *err, size_t errlen)
{
	*img = (struct verso_image){0};
	if (drmSetClientCap(drm_fd, DRM_CLIENT_CAP_ATOMIC, 1) < 0)
		return fail(err, errlen, -errno, "the device does not support "
			"atomic modesetting: %s", strerror(errno));
	if (drmSetClientCap(drm_fd, DRM_CLIENT_CAP_WRITEBACK_CONNECTORS, 1) < 0)
		return fail(err, errlen, -errno, "the kernel does not offer "
			"writeback connectors: %s", strerror(errno));

	int ret = capture(drm_fd, crtc_id, img, err, errlen);

	/* A compositor sharing this fd must not see writeback connectors. */
	drmSetClientCap(drm_fd, DRM_CLIENT_CAP_WRITEBACK_CONNECTORS, 0);
	return ret;
}

int verso_wb_capture(int drm_fd, uint32_t crtc_id, const char *png_path,
		char *err, size_t errlen)
{
	struct verso_image img;
	int ret = verso_wb_capture_image(drm_fd, crtc_id, &img, err, errlen);
	if (ret < 0)
		return ret;
	ret = verso_png_write_image(png_path, &img, err, errlen);
	verso_image_finish(&img);
	return ret;
}
