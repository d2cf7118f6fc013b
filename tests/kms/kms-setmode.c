// SPDX-License-Identifier: MIT
/*
 * Legacy modesetting, held to what IGT's kms_setmode requires: every mode
 * the connector lists can be set and reads back from GETCRTC with its fb,
 * clones that the encoders do not allow and CRTCs outside possible_crtcs
 * are refused with EINVAL, and bad modes fail.
 */
#include "kms-suite.h"

static void test_basic(void **state)
{
	drmModeConnector *conn = drmModeGetConnector(dev.fd, pipe0.conn_id);
	assert_non_null(conn);
	int n = conn->count_modes < 8 ? conn->count_modes : 8;
	for (int m = 0; m < n; m++) {
		const drmModeModeInfo *mode = &conn->modes[m];
		struct kms_fb fb;
		make_fb(mode->hdisplay, mode->vdisplay, DRM_FORMAT_XRGB8888,
			0xff000000 | (m * 0x203040), &fb);
		int ret = drmModeSetCrtc(dev.fd, pipe0.crtc_id, fb.fb_id, 0, 0,
			&pipe0.conn_id, 1, (drmModeModeInfo *)mode);
		if (ret)
			fail_msg("mode %s@%u: %s", mode->name, mode->vrefresh, strerror(-ret));
		drmModeCrtc *crtc = drmModeGetCrtc(dev.fd, pipe0.crtc_id);
		assert_non_null(crtc);
		assert_true(crtc->mode_valid);
		assert_int_equal(crtc->buffer_id, fb.fb_id);
		assert_int_equal(crtc->mode.hdisplay, mode->hdisplay);
		assert_int_equal(crtc->mode.vdisplay, mode->vdisplay);
		assert_int_equal(crtc->mode.clock, mode->clock);
		assert_int_equal(crtc->mode.vtotal, mode->vtotal);
		drmModeFreeCrtc(crtc);
		drmModeConnector *c2 = drmModeGetConnector(dev.fd, pipe0.conn_id);
		drmModeEncoder *enc = drmModeGetEncoder(dev.fd, c2->encoder_id);
		assert_non_null(enc);
		assert_int_equal(enc->crtc_id, pipe0.crtc_id);
		drmModeFreeEncoder(enc);
		drmModeFreeConnector(c2);
		kms_fb_destroy(dev.fd, &fb);
	}
	drmModeFreeConnector(conn);
	/* Off again: GETCRTC shows no mode. */
	assert_int_equal(drmModeSetCrtc(dev.fd, pipe0.crtc_id, 0, 0, 0, NULL, 0, NULL), 0);
	drmModeCrtc *crtc = drmModeGetCrtc(dev.fd, pipe0.crtc_id);
	assert_false(crtc->mode_valid);
	assert_int_equal(crtc->buffer_id, 0);
	drmModeFreeCrtc(crtc);
}

static bool find_other(struct kms_pipe *other)
{
	drmModeRes *res = drmModeGetResources(dev.fd);
	bool found = false;
	for (int i = 0; i < res->count_connectors && !found; i++) {
		drmModeConnector *conn = drmModeGetConnector(dev.fd, res->connectors[i]);
		char name[32];
		kms_connector_name(conn, name, sizeof(name));
		found = conn->connector_id != pipe0.conn_id && conn->count_modes > 0 &&
			kms_pipe_find(dev.fd, name, other) == 0;
		drmModeFreeConnector(conn);
	}
	drmModeFreeResources(res);
	return found;
}

/* Both connectors on one CRTC: their encoders cannot clone. */
static void test_invalid_clone_single_crtc(void **state)
{
	struct kms_pipe other;
	if (!find_other(&other))
		skip();
	struct kms_fb fb;
	make_fb(pipe0.mode.hdisplay, pipe0.mode.vdisplay, DRM_FORMAT_XRGB8888, 0, &fb);
	uint32_t conns[2] = { pipe0.conn_id, other.conn_id };
	assert_int_equal(drmModeSetCrtc(dev.fd, pipe0.crtc_id, fb.fb_id, 0, 0,
		conns, 2, &pipe0.mode), -EINVAL);
	kms_fb_destroy(dev.fd, &fb);
}

/* A connector on a CRTC outside its encoder's possible_crtcs. */
static void test_invalid_clone_exclusive_crtc(void **state)
{
	struct kms_pipe other;
	if (!find_other(&other) || other.crtc_id == pipe0.crtc_id)
		skip();
	struct kms_fb fb;
	make_fb(pipe0.mode.hdisplay, pipe0.mode.vdisplay, DRM_FORMAT_XRGB8888, 0, &fb);
	assert_int_equal(drmModeSetCrtc(dev.fd, other.crtc_id, fb.fb_id, 0, 0,
		&pipe0.conn_id, 1, &pipe0.mode), -EINVAL);
	kms_fb_destroy(dev.fd, &fb);
}

static void test_invalid_mode(void **state)
{
	struct kms_fb fb;
	make_fb(pipe0.mode.hdisplay, pipe0.mode.vdisplay, DRM_FORMAT_XRGB8888, 0, &fb);
	drmModeModeInfo m = pipe0.mode;
	/* Bigger than the fb. */
	m.hdisplay += 8;
	m.hsync_start += 8;
	m.hsync_end += 8;
	m.htotal += 8;
	assert_int_equal(drmModeSetCrtc(dev.fd, pipe0.crtc_id, fb.fb_id, 0, 0,
		&pipe0.conn_id, 1, &m), -ENOSPC);
	/* An fb offset that pushes the viewport out. */
	assert_int_equal(drmModeSetCrtc(dev.fd, pipe0.crtc_id, fb.fb_id, 8, 0,
		&pipe0.conn_id, 1, &pipe0.mode), -ENOSPC);
	/* Timings that are not timings. */
	m = pipe0.mode;
	m.htotal = m.hdisplay - 1;
	assert_int_equal(drmModeSetCrtc(dev.fd, pipe0.crtc_id, fb.fb_id, 0, 0,
		&pipe0.conn_id, 1, &m), -EINVAL);
	m = pipe0.mode;
	m.clock = 0;
	assert_int_equal(drmModeSetCrtc(dev.fd, pipe0.crtc_id, fb.fb_id, 0, 0,
		&pipe0.conn_id, 1, &m), -EINVAL);
	/* A mode without connectors, connectors without a mode. */
	assert_int_equal(drmModeSetCrtc(dev.fd, pipe0.crtc_id, fb.fb_id, 0, 0,
		NULL, 0, &pipe0.mode), -EINVAL);
	assert_int_equal(drmModeSetCrtc(dev.fd, pipe0.crtc_id, fb.fb_id, 0, 0,
		&pipe0.conn_id, 1, NULL), -EINVAL);
	/* Nothing stuck. */
	drmModeCrtc *crtc = drmModeGetCrtc(dev.fd, pipe0.crtc_id);
	assert_false(crtc->mode_valid);
	drmModeFreeCrtc(crtc);
	kms_fb_destroy(dev.fd, &fb);
}

static const struct CMUnitTest tests[] = {
	KMS_SUBTEST("kms_setmode/basic", test_basic),
	KMS_SUBTEST("kms_setmode/invalid-clone-single-crtc", test_invalid_clone_single_crtc),
	KMS_SUBTEST("kms_setmode/invalid-clone-exclusive-crtc", test_invalid_clone_exclusive_crtc),
	KMS_SUBTEST("kms_setmode/invalid-mode", test_invalid_mode),
};

KMS_SUITE_MAIN("kms_setmode", tests)
