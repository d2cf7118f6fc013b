// SPDX-License-Identifier: MIT
/*
 * Basic KMS checks run inside the test VM against a real driver: the
 * connectors and modes verso exposes, non-desktop, one pipe per connector, and
 * page-flip event timestamps. KMS_DRIVER selects the driver (default verso),
 * KMS_CONNECTOR the connector used for flips, so the same binary also runs on
 * vkms as the reference.
 */
#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <drm_fourcc.h>
#include "verso/display.h"
#include "kms-util.h"

struct ctx {
	int fd;
	const char *driver;
	bool is_verso;
};

static int setup(void **state)
{
	static struct ctx ctx;
	ctx.driver = getenv("KMS_DRIVER") ? getenv("KMS_DRIVER") : VERSO_DRIVER_NAME;
	ctx.is_verso = strcmp(ctx.driver, VERSO_DRIVER_NAME) == 0;
	ctx.fd = kms_open_driver(ctx.driver);
	if (ctx.fd < 0) {
		fprintf(stderr, "no DRM device with driver '%s'\n", ctx.driver);
		return -1;
	}
	drmSetClientCap(ctx.fd, DRM_CLIENT_CAP_UNIVERSAL_PLANES, 1);
	*state = &ctx;
	return 0;
}

static int teardown(void **state)
{
	struct ctx *ctx = *state;
	close(ctx->fd);
	return 0;
}

static const char *flip_connector(const struct ctx *ctx)
{
	const char *name = getenv("KMS_CONNECTOR");
	if (name)
		return name;
	return ctx->is_verso ? VERSO_REAR_CONNECTOR : "Virtual-1";
}

/* Every connected connector lists modes with sane timings; print them. */
static void test_listing(void **state)
{
	struct ctx *ctx = *state;
	drmModeRes *res = drmModeGetResources(ctx->fd);
	assert_non_null(res);
	assert_true(res->count_connectors > 0);
	assert_true(res->count_crtcs > 0);
	int connected = 0;
	for (int i = 0; i < res->count_connectors; i++) {
		drmModeConnector *conn = drmModeGetConnector(ctx->fd, res->connectors[i]);
		assert_non_null(conn);
		char name[64];
		kms_connector_name(conn, name, sizeof(name));
		printf("# %s: %s, %d modes, non-desktop=%d\n", name,
			conn->connection == DRM_MODE_CONNECTED ? "connected" : "disconnected",
			conn->count_modes,
			(int)kms_get_prop(ctx->fd, conn->connector_id,
				DRM_MODE_OBJECT_CONNECTOR, "non-desktop", 0));
		if (conn->connection == DRM_MODE_CONNECTED) {
			connected++;
			assert_true(conn->count_modes > 0);
		}
		for (int m = 0; m < conn->count_modes; m++) {
			const drmModeModeInfo *mode = &conn->modes[m];
			uint64_t mhz = kms_mode_refresh_mhz(mode);
			if (m < 4)
				printf("#   %ux%u@%.3f\n", mode->hdisplay, mode->vdisplay,
					mhz / 1000.0);
			assert_true(mode->hdisplay > 0 && mode->vdisplay > 0);
			assert_true(mode->htotal >= mode->hdisplay);
			assert_true(mode->vtotal >= mode->vdisplay);
			assert_true(mhz > 0);
		}
		drmModeFreeConnector(conn);
	}
	assert_true(connected > 0);
	drmModeFreeResources(res);
}

/* verso exposes exactly the main DSI-1 and the rear DSI-2, both connected. */
static void test_verso_connectors(void **state)
{
	struct ctx *ctx = *state;
	if (!ctx->is_verso)
		skip();
	static const char *names[] = { "DSI-1", VERSO_REAR_CONNECTOR };
	for (size_t i = 0; i < 2; i++) {
		drmModeConnector *conn = kms_find_connector(ctx->fd, names[i]);
		assert_non_null(conn);
		assert_int_equal(conn->connector_type, DRM_MODE_CONNECTOR_DSI);
		assert_int_equal(conn->connection, DRM_MODE_CONNECTED);
		assert_true(conn->mmWidth > 0 && conn->mmHeight > 0);
		drmModeFreeConnector(conn);
	}
	/* Only writeback-capable clients see more connectors. */
	drmModeRes *res = drmModeGetResources(ctx->fd);
	assert_int_equal(res->count_connectors, 2);
	assert_int_equal(res->count_crtcs, 2);
	drmModeFreeResources(res);
}

static void test_verso_modes(void **state)
{
	struct ctx *ctx = *state;
	if (!ctx->is_verso)
		skip();
	drmModeConnector *front = kms_find_connector(ctx->fd, "DSI-1");
	assert_non_null(front);
	assert_true(front->count_modes >= 1);
	assert_int_equal(front->modes[0].hdisplay, VERSO_MAIN_HDISPLAY);
	assert_int_equal(front->modes[0].vdisplay, VERSO_MAIN_VDISPLAY);
	assert_true(front->modes[0].type & DRM_MODE_TYPE_PREFERRED);
	drmModeFreeConnector(front);

	drmModeConnector *rear = kms_find_connector(ctx->fd, VERSO_REAR_CONNECTOR);
	assert_non_null(rear);
	assert_true(rear->count_modes >= 1);
	const drmModeModeInfo *mode = &rear->modes[0];
	assert_int_equal(mode->hdisplay, VERSO_REAR_HDISPLAY);
	assert_int_equal(mode->vdisplay, VERSO_REAR_VDISPLAY);
	assert_int_equal(mode->vrefresh, VERSO_REAR_REFRESH_HZ);
	assert_true(mode->type & DRM_MODE_TYPE_PREFERRED);
	/* Exactly 120.000 Hz, not a rounded 119.9x. */
	assert_int_equal(kms_mode_refresh_mhz(mode), VERSO_REAR_REFRESH_HZ * 1000);
	drmModeFreeConnector(rear);
}

static void test_verso_non_desktop(void **state)
{
	struct ctx *ctx = *state;
	if (!ctx->is_verso)
		skip();
	drmModeConnector *front = kms_find_connector(ctx->fd, "DSI-1");
	drmModeConnector *rear = kms_find_connector(ctx->fd, VERSO_REAR_CONNECTOR);
	assert_non_null(front);
	assert_non_null(rear);
	uint64_t expect = getenv("KMS_EXPECT_NON_DESKTOP") ?
		strtoull(getenv("KMS_EXPECT_NON_DESKTOP"), NULL, 0) : 1;
	assert_true(kms_has_prop(ctx->fd, rear->connector_id,
		DRM_MODE_OBJECT_CONNECTOR, "non-desktop"));
	assert_int_equal(kms_get_prop(ctx->fd, rear->connector_id,
		DRM_MODE_OBJECT_CONNECTOR, "non-desktop", 99), expect);
	/* The main display is a desktop output: absent or 0. */
	assert_int_equal(kms_get_prop(ctx->fd, front->connector_id,
		DRM_MODE_OBJECT_CONNECTOR, "non-desktop", 0), 0);
	drmModeFreeConnector(front);
	drmModeFreeConnector(rear);
}

/* Each connector reaches its own CRTC, and each CRTC has its own primary. */
static void test_verso_pipes(void **state)
{
	struct ctx *ctx = *state;
	if (!ctx->is_verso)
		skip();
	drmModeRes *res = drmModeGetResources(ctx->fd);
	uint32_t crtc_masks = 0;
	for (int i = 0; i < res->count_connectors; i++) {
		drmModeConnector *conn = drmModeGetConnector(ctx->fd, res->connectors[i]);
		assert_int_equal(conn->count_encoders, 1);
		drmModeEncoder *enc = drmModeGetEncoder(ctx->fd, conn->encoders[0]);
		assert_non_null(enc);
		assert_int_equal(enc->encoder_type, DRM_MODE_ENCODER_DSI);
		/* exactly one bit, and not shared with the other connector */
		assert_int_equal(__builtin_popcount(enc->possible_crtcs), 1);
		assert_int_equal(crtc_masks & enc->possible_crtcs, 0);
		crtc_masks |= enc->possible_crtcs;
		drmModeFreeEncoder(enc);
		drmModeFreeConnector(conn);
	}
	drmModePlaneRes *planes = drmModeGetPlaneResources(ctx->fd);
	assert_non_null(planes);
	uint32_t primaries = 0;
	for (uint32_t i = 0; i < planes->count_planes; i++) {
		drmModePlane *plane = drmModeGetPlane(ctx->fd, planes->planes[i]);
		uint64_t type = kms_get_prop(ctx->fd, plane->plane_id,
			DRM_MODE_OBJECT_PLANE, "type", ~0ull);
		if (type == DRM_PLANE_TYPE_PRIMARY) {
			assert_int_equal(__builtin_popcount(plane->possible_crtcs), 1);
			assert_int_equal(primaries & plane->possible_crtcs, 0);
			primaries |= plane->possible_crtcs;
			bool xrgb = false, argb = false;
			for (uint32_t f = 0; f < plane->count_formats; f++) {
				xrgb |= plane->formats[f] == DRM_FORMAT_XRGB8888;
				argb |= plane->formats[f] == DRM_FORMAT_ARGB8888;
			}
			assert_true(xrgb && argb);
		}
		drmModeFreePlane(plane);
	}
	assert_int_equal(primaries, 0x3);
	drmModeFreePlaneResources(planes);
	drmModeFreeResources(res);
}

struct flip_log {
	unsigned int count;
	unsigned int seq[128];
	uint64_t ns[128];
};

static void on_flip(int fd, unsigned int seq, unsigned int sec,
	unsigned int usec, void *data)
{
	struct flip_log *log = data;
	if (log->count < 128) {
		log->seq[log->count] = seq;
		log->ns[log->count] = (uint64_t)sec * 1000000000ull + usec * 1000ull;
	}
	log->count++;
}

static int wait_flip(int fd, struct flip_log *log, unsigned int want)
{
	drmEventContext ev = {
		.version = 2,
		.page_flip_handler = on_flip,
	};
	while (log->count < want) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int ret = poll(&pfd, 1, 2000);
		if (ret <= 0)
			return -ETIMEDOUT;
		drmHandleEvent(fd, &ev);
	}
	return 0;
}

/*
 * Page-flip events are driven by the vblank timer: sequences increase and the
 * time between two events is the sequence delta times the frame duration,
 * within 0.5%, even when TCG makes the test miss vblanks.
 */
static void test_flip_timestamps(void **state)
{
	struct ctx *ctx = *state;
	drmModeConnector *conn = kms_find_connector(ctx->fd, flip_connector(ctx));
	assert_non_null(conn);
	assert_true(conn->count_modes > 0);
	drmModeModeInfo mode = conn->modes[0];
	for (int m = 0; m < conn->count_modes; m++)
		if (conn->modes[m].type & DRM_MODE_TYPE_PREFERRED) {
			mode = conn->modes[m];
			break;
		}
	drmModeEncoder *enc = drmModeGetEncoder(ctx->fd, conn->encoders[0]);
	assert_non_null(enc);
	drmModeRes *res = drmModeGetResources(ctx->fd);
	uint32_t crtc_id = 0;
	for (int i = 0; i < res->count_crtcs; i++)
		if (enc->possible_crtcs & (1u << i)) {
			crtc_id = res->crtcs[i];
			break;
		}
	assert_true(crtc_id != 0);

	struct kms_fb fb[2];
	for (int i = 0; i < 2; i++) {
		assert_int_equal(kms_fb_create(ctx->fd, mode.hdisplay, mode.vdisplay,
			DRM_FORMAT_XRGB8888, &fb[i]), 0);
		kms_fb_fill(&fb[i], 0, 0, mode.hdisplay, mode.vdisplay,
			i ? 0xff604020 : 0xff204060);
	}
	assert_int_equal(drmModeSetCrtc(ctx->fd, crtc_id, fb[0].fb_id, 0, 0,
		&conn->connector_id, 1, &mode), 0);

	const uint64_t frame_ns = 1000000000000ull / kms_mode_refresh_mhz(&mode);
	struct flip_log log = { 0 };
	const unsigned int flips = 60;
	for (unsigned int i = 0; i < flips; i++) {
		assert_int_equal(drmModePageFlip(ctx->fd, crtc_id,
			fb[(i + 1) % 2].fb_id, DRM_MODE_PAGE_FLIP_EVENT, &log), 0);
		assert_int_equal(wait_flip(ctx->fd, &log, i + 1), 0);
	}
	unsigned int missed = 0;
	for (unsigned int i = 1; i < flips; i++) {
		unsigned int dseq = log.seq[i] - log.seq[i - 1];
		assert_true(dseq >= 1);
		missed += dseq - 1;
		uint64_t expect = dseq * frame_ns;
		uint64_t got = log.ns[i] - log.ns[i - 1];
		uint64_t diff = got > expect ? got - expect : expect - got;
		if (diff * 1000 > expect * 5)
			fail_msg("flip %u: %llu ns for %u frames, expected %llu ns",
				i, (unsigned long long)got, dseq,
				(unsigned long long)expect);
	}
	double span = (log.ns[flips - 1] - log.ns[0]) / 1e9;
	printf("# %s: %u flips, %.3f Hz per vblank, %u vblanks missed\n",
		flip_connector(ctx), flips,
		(log.seq[flips - 1] - log.seq[0]) / span, missed);

	/* Turn the pipe off again before the next test. */
	assert_int_equal(drmModeSetCrtc(ctx->fd, crtc_id, 0, 0, 0, NULL, 0, NULL), 0);
	kms_fb_destroy(ctx->fd, &fb[0]);
	kms_fb_destroy(ctx->fd, &fb[1]);
	drmModeFreeResources(res);
	drmModeFreeEncoder(enc);
	drmModeFreeConnector(conn);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_listing),
		cmocka_unit_test(test_verso_connectors),
		cmocka_unit_test(test_verso_modes),
		cmocka_unit_test(test_verso_non_desktop),
		cmocka_unit_test(test_verso_pipes),
		cmocka_unit_test(test_flip_timestamps),
	};
	return cmocka_run_group_tests_name("kms-basic", tests, setup, teardown);
}
