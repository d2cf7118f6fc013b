// SPDX-License-Identifier: MIT
/*
 * verso-capture: save what a connector shows through DRM writeback, for use
 * when no compositor holds the device (KMS tests, conformance checks).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <drm_fourcc.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

#include "verso/capture.h"
#include "verso/display.h"
#include "verso/drm-util.h"
#include "verso/pattern.h"
#include "verso/png.h"

#define MAX_CARDS 16

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: verso-capture [-d DEVICE] [-c CONNECTOR] OUT.png\n"
		"       verso-capture --test-pattern [-d DEVICE] [-c CONNECTOR] [OUT.png]\n"
		"\n"
		"Saves the frame a connector's CRTC shows, read back through the\n"
		"kernel's DRM writeback connector. Needs DRM master: run it while no\n"
		"compositor owns the device.\n"
		"\n"
		"  -d, --device PATH   DRM device (default: the first /dev/dri/card*\n"
		"                      that has the connector)\n"
		"  -c, --connector NAME connector to capture (default %s)\n"
		"  -t, --test-pattern  conformance check: light the connector's\n"
		"                      preferred mode with a four-quadrant pattern,\n"
		"                      capture it and compare every pixel; exit 0 on\n"
		"                      an exact match, 1 otherwise\n"
		"  -h, --help          show this help\n",
		VERSO_REAR_CONNECTOR);
}

/* Opens the device holding the connector; returns fd or -1 (message shown). */
static int open_device(const char *path, const char *conn_name,
		drmModeConnector **conn)
{
	if (path) {
		int fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0) {
			fprintf(stderr, "verso-capture: cannot open %s: %s\n", path,
				strerror(errno));
			return -1;
		}
		*conn = verso_find_connector(fd, conn_name);
		if (!*conn) {
			if (errno == ENOENT)
				fprintf(stderr, "verso-capture: %s has no "
					"connector %s\n", path, conn_name);
			else
				fprintf(stderr, "verso-capture: %s is not a KMS "
					"device: %s\n", path, strerror(errno));
			close(fd);
			return -1;
		}
		return fd;
	}

	/* A card we may not open could be the one: say so if none has it. */
	char denied[32] = "";
	int denied_errno = 0;
	for (int i = 0; i < MAX_CARDS; i++) {
		char card[32];
		snprintf(card, sizeof(card), "/dev/dri/card%d", i);
		int fd = open(card, O_RDWR | O_CLOEXEC);
		if (fd < 0) {
			if (errno != ENOENT) {
				snprintf(denied, sizeof(denied), "%s", card);
				denied_errno = errno;
			}
			continue;
		}
		*conn = verso_find_connector(fd, conn_name);
		if (*conn)
			return fd;
		close(fd);
	}
	if (denied[0] != '\0')
		fprintf(stderr, "verso-capture: no DRM device it can open has a "
			"connector %s (cannot open %s: %s)\n", conn_name, denied,
			strerror(denied_errno));
	else
		fprintf(stderr, "verso-capture: no DRM device under /dev/dri "
			"has a connector %s\n", conn_name);
	return -1;
}

static int capture_active(int fd, drmModeConnector *conn, const char *name,
		const char *out)
{
	uint32_t crtc_id = verso_connector_crtc(fd, conn);
	if (!crtc_id) {
		fprintf(stderr, "verso-capture: %s is not lit (no active CRTC); "
			"nothing to capture\n", name);
		return 1;
	}
	char err[256];
	if (verso_wb_capture(fd, crtc_id, out, err, sizeof(err)) < 0) {
		fprintf(stderr, "verso-capture: %s: %s\n", name, err);
		return 1;
	}
	printf("verso-capture: %s (CRTC %u) saved to %s\n", name, crtc_id, out);
	return 0;
}

static const drmModeModeInfo *preferred_mode(const drmModeConnector *conn)
{
	for (int i = 0; i < conn->count_modes; i++) {
		if (conn->modes[i].type & DRM_MODE_TYPE_PREFERRED)
			return &conn->modes[i];
	}
	return conn->count_modes > 0 ? &conn->modes[0] : NULL;
}

/* A CRTC for the connector: the one driving it, else the first it can use. */
static uint32_t pick_crtc(int fd, const drmModeConnector *conn)
{
	uint32_t crtc_id = verso_connector_crtc(fd, conn);
	if (crtc_id)
		return crtc_id;
	drmModeRes *res = drmModeGetResources(fd);
	if (!res)
		return 0;
	uint32_t possible = 0;
	for (int i = 0; i < conn->count_encoders; i++) {
		drmModeEncoder *enc = drmModeGetEncoder(fd, conn->encoders[i]);
		if (enc) {
			possible |= enc->possible_crtcs;
			drmModeFreeEncoder(enc);
		}
	}
	for (int i = 0; i < res->count_crtcs && !crtc_id; i++) {
		if (possible & (1u << i))
			crtc_id = res->crtcs[i];
	}
	drmModeFreeResources(res);
	return crtc_id;
}

struct dumb_fb {
	uint32_t handle, fb_id;
	struct verso_image img; /* maps the buffer */
	uint64_t size;
};

static int dumb_fb_create(int fd, uint32_t w, uint32_t h, struct dumb_fb *fb)
{
	*fb = (struct dumb_fb){0};
	uint32_t pitch;
	uint64_t offset;
	if (drmModeCreateDumbBuffer(fd, w, h, 32, 0, &fb->handle, &pitch,
			&fb->size) < 0)
		return -errno;
	uint32_t handles[4] = { fb->handle }, pitches[4] = { pitch };
	uint32_t offsets[4] = {0};
	if (drmModeAddFB2(fd, w, h, DRM_FORMAT_XRGB8888, handles, pitches,
			offsets, &fb->fb_id, 0) < 0)
		return -errno;
	if (drmModeMapDumbBuffer(fd, fb->handle, &offset) < 0)
		return -errno;
	void *map = mmap(NULL, fb->size, PROT_READ | PROT_WRITE, MAP_SHARED,
		fd, offset);
	if (map == MAP_FAILED)
		return -errno;
	fb->img = (struct verso_image){ .width = w, .height = h,
		.stride = pitch, .data = map };
	return 0;
}

static void dumb_fb_destroy(int fd, struct dumb_fb *fb)
{
	if (fb->img.data)
		munmap(fb->img.data, fb->size);
	if (fb->fb_id)
		drmModeRmFB(fd, fb->fb_id);
	if (fb->handle)
		drmModeDestroyDumbBuffer(fd, fb->handle);
}

static int test_pattern(int fd, drmModeConnector *conn, const char *name,
		const char *out)
{
	const drmModeModeInfo *mode = preferred_mode(conn);
	if (!mode) {
		fprintf(stderr, "verso-capture: %s has no modes (is it "
			"connected?)\n", name);
		return 1;
	}
	uint32_t crtc_id = pick_crtc(fd, conn);
	if (!crtc_id) {
		fprintf(stderr, "verso-capture: no CRTC can drive %s\n", name);
		return 1;
	}

	struct dumb_fb fb;
	int ret = dumb_fb_create(fd, mode->hdisplay, mode->vdisplay, &fb);
	if (ret < 0) {
		fprintf(stderr, "verso-capture: cannot create a %ux%u buffer: "
			"%s\n", mode->hdisplay, mode->vdisplay, strerror(-ret));
		dumb_fb_destroy(fd, &fb);
		return 1;
	}
	verso_pattern_fill_quadrants(&fb.img);

	uint32_t conn_id = conn->connector_id;
	drmModeModeInfo m = *mode;
	if (drmModeSetCrtc(fd, crtc_id, fb.fb_id, 0, 0, &conn_id, 1, &m) < 0) {
		int e = errno;
		fprintf(stderr, "verso-capture: cannot set %s to %s on CRTC %u: "
			"%s%s\n", name, mode->name, crtc_id, strerror(e),
			e == EACCES ? " (another process is DRM master)" : "");
		dumb_fb_destroy(fd, &fb);
		return 1;
	}

	struct verso_image got, want;
	char err[256];
	ret = verso_wb_capture_image(fd, crtc_id, &got, err, sizeof(err));
	if (ret < 0) {
		fprintf(stderr, "verso-capture: %s: %s\n", name, err);
		dumb_fb_destroy(fd, &fb);
		return 1;
	}
	int status = 0;
	if (verso_image_init(&want, mode->hdisplay, mode->vdisplay) < 0) {
		fprintf(stderr, "verso-capture: out of memory\n");
		status = 1;
		goto out;
	}
	verso_pattern_fill_quadrants(&want);

	size_t first = 0;
	long diff = verso_image_diff(&want, &got, 0, &first);
	if (diff != 0) {
		uint32_t x = first % want.width, y = first / want.width;
		fprintf(stderr, "verso-capture: FAIL: %s %ux%u@%u: %ld of %u "
			"pixels differ; first at (%u,%u): want %06x, got %06x\n",
			name, want.width, want.height, mode->vrefresh, diff,
			want.width * want.height, x, y,
			verso_image_pixel(&want, x, y) & 0xffffff,
			verso_image_pixel(&got, x, y) & 0xffffff);
		status = 1;
	} else {
		printf("verso-capture: PASS: %s %ux%u@%u on CRTC %u: writeback "
			"matches the test pattern (%u pixels)\n", name, want.width,
			want.height, mode->vrefresh, crtc_id,
			want.width * want.height);
	}
	if (out && verso_png_write_image(out, &got, err, sizeof(err)) < 0) {
		fprintf(stderr, "verso-capture: %s\n", err);
		status = 1;
	}
out:
	verso_image_finish(&want);
	verso_image_finish(&got);
	dumb_fb_destroy(fd, &fb);
	return status;
}

int main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "device", required_argument, NULL, 'd' },
		{ "connector", required_argument, NULL, 'c' },
		{ "test-pattern", no_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{0},
	};
	const char *device = NULL, *conn_name = VERSO_REAR_CONNECTOR;
	bool pattern = false;
	int c;
	while ((c = getopt_long(argc, argv, "d:c:th", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			device = optarg;
			break;
		case 'c':
			conn_name = optarg;
			break;
		case 't':
			pattern = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	const char *out = optind < argc ? argv[optind] : NULL;
	if (argc - optind > 1 || (!pattern && !out)) {
		usage(stderr);
		return 2;
	}

	drmModeConnector *conn = NULL;
	int fd = open_device(device, conn_name, &conn);
	if (fd < 0)
		return 1;
	int ret = pattern ? test_pattern(fd, conn, conn_name, out) :
		capture_active(fd, conn, conn_name, out);
	drmModeFreeConnector(conn);
	close(fd);
	return ret;
}
