// SPDX-License-Identifier: MIT
/*
 * Screenshots of the rear output. On KMS the honest source is the CRTC
 * itself, read back through the driver's writeback connector. Elsewhere (or
 * when the driver has none) the scene is rendered once more and read back:
 * that also sees a scanned-out client buffer, which a read of the
 * renderer's last target would miss.
 */
#include <drm_fourcc.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xf86drmMode.h>
#include <wlr/backend/drm.h>
#include <wlr/util/log.h>
#include "screenshot.h"
#include "server.h"
#include "verso/capture.h"
#include "verso/image.h"
#include "verso/png.h"

static uint32_t rear_crtc(struct wlr_output *wlr_output, int fd) {
	/* The current state only: a full probe can stall on real panels. */
	drmModeConnector *conn =
		drmModeGetConnectorCurrent(fd, wlr_drm_connector_get_id(wlr_output));
	if (conn == NULL) {
		return 0;
	}
	uint32_t crtc = 0;
	if (conn->encoder_id != 0) {
		drmModeEncoder *enc = drmModeGetEncoder(fd, conn->encoder_id);
		if (enc != NULL) {
			crtc = enc->crtc_id;
			drmModeFreeEncoder(enc);
		}
	}
	drmModeFreeConnector(conn);
	return crtc;
}

static bool use_writeback(struct verso_server *server) {
	return server->rear != NULL && wlr_output_is_drm(server->rear->wlr_output);
}

bool screenshot_must_wait(struct verso_server *server) {
	/* A writeback commit fails with EBUSY while a page flip is pending. */
	return use_writeback(server) && server->rear->frame_pending;
}

static int capture_writeback(struct verso_server *server,
		struct verso_image *img, char *err, size_t errlen) {
	struct wlr_output *wlr_output = server->rear->wlr_output;
	int fd = wlr_backend_get_drm_fd(wlr_output->backend);
	if (fd < 0) {
		snprintf(err, errlen, "no DRM device");
		return -ENODEV;
	}
	uint32_t crtc = rear_crtc(wlr_output, fd);
	if (crtc == 0) {
		snprintf(err, errlen, "%s has no CRTC", wlr_output->name);
		return -ENODEV;
	}
	return verso_wb_capture_image(fd, crtc, img, err, errlen);
}

static int capture_renderer(struct verso_server *server,
		struct verso_image *img, char *err, size_t errlen) {
	struct wlr_output *wlr_output = server->rear->wlr_output;
	struct wlr_renderer *renderer = server->renderer;
	int width = wlr_output->width, height = wlr_output->height;

	int ret = verso_image_init(img, width, height);
	if (ret < 0) {
		snprintf(err, errlen, "out of memory");
		return ret;
	}

	/*
	 * Render into the output's own next buffer and roll back instead of
	 * committing: a buffer the output already renders to is one every
	 * renderer handles (llvmpipe crashed on a separately allocated one).
	 * The full scene is drawn, so the buffer's stale-age contents stay
	 * correct for damage tracking.
	 */
	if (!wlr_output_attach_render(wlr_output, NULL)) {
		verso_image_finish(img);
		snprintf(err, errlen, "cannot render on %s", wlr_output->name);
		return -EIO;
	}
	wlr_renderer_begin(renderer, width, height);
	wlr_renderer_clear(renderer, (float[4]){ 0.0, 0.0, 0.0, 1.0 });
	/*
	 * wlr_scene_render_output() marks what it draws as sampled for
	 * wp_presentation; this frame is never presented, so keep the
	 * presentation object out of it.
	 */
	struct wlr_presentation *presentation = server->scene->presentation;
	server->scene->presentation = NULL;
	/* The scene's damage is in transformed (rotated) output coordinates;
	 * the image stays the panel's native raster. */
	int logical_w, logical_h;
	wlr_output_transformed_resolution(wlr_output, &logical_w, &logical_h);
	pixman_region32_t damage;
	pixman_region32_init_rect(&damage, 0, 0, logical_w, logical_h);
	wlr_scene_render_output(server->scene, wlr_output, 0, 0, &damage);
	pixman_region32_fini(&damage);
	server->scene->presentation = presentation;

	uint32_t flags = 0;
	if (!wlr_renderer_read_pixels(renderer, DRM_FORMAT_XRGB8888, &flags,
			img->stride, width, height, 0, 0, 0, 0, img->data)) {
		snprintf(err, errlen, "the renderer cannot read pixels back");
		ret = -EIO;
	} else if (flags & WLR_RENDERER_READ_PIXELS_Y_INVERT) {
		for (int y = 0; y < height / 2; y++) {
			uint32_t *a = img->data + (size_t)y * width;
			uint32_t *b = img->data + (size_t)(height - 1 - y) * width;
			for (int x = 0; x < width; x++) {
				uint32_t t = a[x];
				a[x] = b[x];
				b[x] = t;
			}
		}
	}
	wlr_renderer_end(renderer);
	wlr_output_rollback(wlr_output);
	if (ret < 0) {
		verso_image_finish(img);
	}
	return ret;
}

int screenshot_take(struct verso_server *server, const char *path,
		const char **method, char *err, size_t errlen) {
	if (server->rear == NULL || server->rear->scene_output == NULL) {
		snprintf(err, errlen, "no output is lit");
		return -ENODEV;
	}

	struct verso_image img = { 0 };
	int ret = -ENODEV;
	if (use_writeback(server)) {
		char wb_err[256] = "";
		ret = capture_writeback(server, &img, wb_err, sizeof(wb_err));
		if (ret == 0) {
			*method = "writeback";
		} else {
			wlr_log(WLR_INFO, "Writeback capture failed (%s), "
				"rendering the screenshot instead", wb_err);
		}
	}
	if (ret != 0) {
		ret = capture_renderer(server, &img, err, errlen);
		if (ret < 0) {
			return ret;
		}
		*method = "renderer";
	}

	ret = verso_png_write_image(path, &img, err, errlen);
	verso_image_finish(&img);
	return ret;
}
