// SPDX-License-Identifier: MIT
/*
 * Writeback connectors, held to what IGT's kms_writeback requires: the
 * format list, bad framebuffers, formats, sizes and fences rejected with
 * EINVAL, WRITEBACK_FB_ID being a one-shot property, and the written buffer
 * holding exactly what the CRTC composed, signalled by the out-fence.
 */
#include <poll.h>
#include "kms-suite.h"

static uint32_t wb_conn;

static void need_wb(void)
{
	wb_conn = kms_writeback_connector(dev.fd, pipe0.crtc_index);
	if (!wb_conn) {
		if (dev.is_verso)
			fail_msg("no writeback connector for crtc %u", pipe0.crtc_index);
		skip();
	}
}

/* The writeback out-fence must exist and signal within 2 s; consumes it. */
static void wait_fence(int32_t fence)
{
	assert_true(fence >= 0);
	struct pollfd pfd = { .fd = fence, .events = POLLIN };
	assert_int_equal(poll(&pfd, 1, 2000), 1);
	close(fence);
}

/*
 * One modeset: the CRTC in its mode with @src on the primary, feeding only
 * the writeback connector (the display connector detached, which every
 * driver accepts); @wb_fb and @fence go on the writeback connector.
 */
static int wb_commit(uint32_t src, uint32_t wb_fb, int32_t *fence, uint32_t flags)
{
	const uint32_t w = pipe0.mode.hdisplay, h = pipe0.mode.vdisplay;
	const uint32_t C = DRM_MODE_OBJECT_CONNECTOR;
	uint32_t blob;
	if (drmModeCreatePropertyBlob(dev.fd, &pipe0.mode, sizeof(pipe0.mode), &blob))
		return -errno;
	drmModeAtomicReq *req = drmModeAtomicAlloc();
	kms_req_add(req, dev.fd, pipe0.conn_id, C, "CRTC_ID", 0);
	kms_req_add(req, dev.fd, wb_conn, C, "CRTC_ID", pipe0.crtc_id);
	kms_req_add(req, dev.fd, pipe0.crtc_id, DRM_MODE_OBJECT_CRTC, "MODE_ID", blob);
	kms_req_add(req, dev.fd, pipe0.crtc_id, DRM_MODE_OBJECT_CRTC, "ACTIVE", 1);
	kms_req_plane(req, dev.fd, pipe0.primary, pipe0.crtc_id, src, 0, 0, w, h,
		0, 0, w, h);
	/* With a fence, WRITEBACK_FB_ID is set even to 0: that makes the job. */
	if (wb_fb || fence)
		kms_req_add(req, dev.fd, wb_conn, C, "WRITEBACK_FB_ID", wb_fb);
	if (fence)
		kms_req_add(req, dev.fd, wb_conn, C, "WRITEBACK_OUT_FENCE_PTR",
			(uint64_t)(uintptr_t)fence);
	int ret = kms_commit(dev.fd, req, flags | DRM_MODE_ATOMIC_ALLOW_MODESET);
	drmModeAtomicFree(req);
	drmModeDestroyPropertyBlob(dev.fd, blob);
	return ret;
}

static bool wb_has_format(uint32_t format)
{
	uint64_t blob_id = kms_get_prop(dev.fd, wb_conn, DRM_MODE_OBJECT_CONNECTOR,
		"WRITEBACK_PIXEL_FORMATS", 0);
	drmModePropertyBlobPtr blob = drmModeGetPropertyBlob(dev.fd, (uint32_t)blob_id);
	bool found = false;
	for (uint32_t i = 0; blob && i < blob->length / 4; i++)
		found |= ((const uint32_t *)blob->data)[i] == format;
	drmModeFreePropertyBlob(blob);
	return found;
}

static void test_pixel_formats(void **state)
{
	need_wb();
	uint64_t blob_id = kms_get_prop(dev.fd, wb_conn, DRM_MODE_OBJECT_CONNECTOR,
		"WRITEBACK_PIXEL_FORMATS", 0);
	assert_true(blob_id != 0);
	drmModePropertyBlobPtr blob = drmModeGetPropertyBlob(dev.fd, (uint32_t)blob_id);
	assert_non_null(blob);
	assert_true(blob->length > 0 && blob->length % 4 == 0);
	printf("# writeback formats:");
	for (uint32_t i = 0; i < blob->length / 4; i++)
		printf(" %.4s", (const char *)&((const uint32_t *)blob->data)[i]);
	printf("\n");
	drmModeFreePropertyBlob(blob);
	assert_true(wb_has_format(DRM_FORMAT_XRGB8888));
	if (dev.is_verso) {
		assert_true(wb_has_format(DRM_FORMAT_ARGB8888));
		assert_true(wb_has_format(DRM_FORMAT_XBGR8888));
		assert_true(wb_has_format(DRM_FORMAT_ABGR8888));
	}
	/* The writeback connector is hidden from clients without the cap. */
	int fd2 = kms_open_driver(dev.driver);
	drmModeConnector *conn = drmModeGetConnector(fd2, wb_conn);
	drmModeRes *res = drmModeGetResources(fd2);
	for (int i = 0; i < res->count_connectors; i++)
		assert_int_not_equal(res->connectors[i], wb_conn);
	drmModeFreeResources(res);
	drmModeFreeConnector(conn);
	close(fd2);
}

static void test_invalid_parameters(void **state)
{
	need_wb();
	const uint32_t w = pipe0.mode.hdisplay, h = pipe0.mode.vdisplay;
	struct kms_fb src, small, good;
	make_fb(w, h, DRM_FORMAT_XRGB8888, 0xff112233, &src);
	make_fb(w - 2, h, DRM_FORMAT_XRGB8888, 0, &small);
	make_fb(w, h, DRM_FORMAT_XRGB8888, 0, &good);
	/* Baseline: the good buffer works. */
	int32_t fence = -1;
	assert_int_equal(wb_commit(src.fb_id, good.fb_id, &fence, 0), 0);
	wait_fence(fence);
	/* No such fb. */
	assert_errno(wb_commit(src.fb_id, 0xdeadbeef, NULL, 0), EINVAL);
	/* A buffer of the wrong size. */
	assert_errno(wb_commit(src.fb_id, small.fb_id, NULL, 0), EINVAL);
	/* A format the connector cannot write. */
	static const uint32_t others[] = { DRM_FORMAT_RGB565, DRM_FORMAT_XBGR8888,
		DRM_FORMAT_ARGB8888, DRM_FORMAT_NV12, DRM_FORMAT_YUYV };
	bool tried = false;
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]) && !tried; i++) {
		struct kms_fb bad;
		if (wb_has_format(others[i]) ||
		    kms_fb_create(dev.fd, w, h, others[i], &bad))
			continue;
		assert_errno(wb_commit(src.fb_id, bad.fb_id, NULL, 0), EINVAL);
		kms_fb_destroy(dev.fd, &bad);
		tried = true;
	}
	/* An out-fence without a buffer. */
	fence = -1;
	assert_errno(wb_commit(src.fb_id, 0, &fence, 0), EINVAL);
	/* A buffer on a writeback connector without a CRTC. */
	drmModeAtomicReq *req = drmModeAtomicAlloc();
	kms_req_add(req, dev.fd, wb_conn, DRM_MODE_OBJECT_CONNECTOR, "CRTC_ID", 0);
	kms_req_add(req, dev.fd, wb_conn, DRM_MODE_OBJECT_CONNECTOR,
		"WRITEBACK_FB_ID", good.fb_id);
	assert_errno(kms_commit(dev.fd, req, DRM_MODE_ATOMIC_ALLOW_MODESET), EINVAL);
	drmModeAtomicFree(req);
	kms_fb_destroy(dev.fd, &src);
	kms_fb_destroy(dev.fd, &small);
	kms_fb_destroy(dev.fd, &good);
}

/* WRITEBACK_FB_ID is one-shot: it reads back 0 after the commit. */
static void test_fb_id(void **state)
{
	need_wb();
	const uint32_t w = pipe0.mode.hdisplay, h = pipe0.mode.vdisplay;
	struct kms_fb src, out;
	make_fb(w, h, DRM_FORMAT_XRGB8888, 0xff112233, &src);
	make_fb(w, h, DRM_FORMAT_XRGB8888, 0, &out);
	assert_int_equal(wb_commit(src.fb_id, out.fb_id, NULL,
		DRM_MODE_ATOMIC_TEST_ONLY), 0);
	assert_int_equal(wb_commit(src.fb_id, out.fb_id, NULL, 0), 0);
	assert_int_equal(kms_get_prop(dev.fd, wb_conn, DRM_MODE_OBJECT_CONNECTOR,
		"WRITEBACK_FB_ID", 99), 0);
	/* A commit without a buffer keeps the connector attached, writing nothing. */
	assert_int_equal(wb_commit(src.fb_id, 0, NULL, 0), 0);
	kms_fb_destroy(dev.fd, &src);
	kms_fb_destroy(dev.fd, &out);
}

static uint32_t to_format(uint32_t argb, uint32_t format)
{
	uint32_t a = argb >> 24, r = (argb >> 16) & 0xff, g = (argb >> 8) & 0xff,
		b = argb & 0xff;
	if (format == DRM_FORMAT_XBGR8888 || format == DRM_FORMAT_ABGR8888)
		return a << 24 | b << 16 | g << 8 | r;
	return argb;
}

/* The written buffer equals the composed frame, pixel for pixel. */
static void check_output(uint32_t format)
{
	need_wb();
	if (!wb_has_format(format)) {
		if (dev.is_verso)
			fail_msg("writeback lacks %.4s", (const char *)&format);
		skip();
	}
	const uint32_t w = pipe0.mode.hdisplay, h = pipe0.mode.vdisplay;
	static const uint32_t frames[2][4] = {
		{ 0xffe02020, 0xff20c040, 0xff2040e0, 0xfff0f0f0 },
		{ 0xff010203, 0xfffefdfc, 0xff808080, 0xff7f00ff },
	};
	for (int f = 0; f < 2; f++) {
		struct kms_fb src, out;
		make_fb(w, h, DRM_FORMAT_XRGB8888, 0, &src);
		kms_fb_fill(&src, 0, 0, w / 2, h / 2, frames[f][0]);
		kms_fb_fill(&src, w / 2, 0, w - w / 2, h / 2, frames[f][1]);
		kms_fb_fill(&src, 0, h / 2, w / 2, h - h / 2, frames[f][2]);
		kms_fb_fill(&src, w / 2, h / 2, w - w / 2, h - h / 2, frames[f][3]);
		make_fb(w, h, format, 0xff5a5a5a, &out);
		int32_t fence = -1;
		assert_int_equal(wb_commit(src.fb_id, out.fb_id, &fence, 0), 0);
		wait_fence(fence);
		long bad = 0;
		uint32_t first_x = 0, first_y = 0, got0 = 0, want0 = 0;
		for (uint32_t y = 0; y < h; y++)
			for (uint32_t x = 0; x < w; x++) {
				uint32_t q = (y >= h / 2) * 2 + (x >= w / 2);
				uint32_t want = to_format(frames[f][q], format) & 0x00ffffff;
				uint32_t got = kms_fb_pixel(&out, x, y) & 0x00ffffff;
				if (got != want && bad++ == 0) {
					first_x = x;
					first_y = y;
					got0 = got;
					want0 = want;
				}
			}
		if (bad)
			fail_msg("%.4s frame %d: %ld pixels differ, first (%u,%u) %06x != %06x",
				(const char *)&format, f, bad, first_x, first_y, got0, want0);
		kms_fb_destroy(dev.fd, &src);
		kms_fb_destroy(dev.fd, &out);
	}
}

static void test_check_output(void **state)
{
	check_output(DRM_FORMAT_XRGB8888);
}

static void test_check_output_xbgr(void **state)
{
	check_output(DRM_FORMAT_XBGR8888);
}

static void test_check_output_argb(void **state)
{
	check_output(DRM_FORMAT_ARGB8888);
}

/* Writeback while the display connector stays lit (a clone), on verso. */
static void test_check_output_clone(void **state)
{
	need_wb();
	drmModeConnector *wb = drmModeGetConnector(dev.fd, wb_conn);
	drmModeConnector *disp = drmModeGetConnector(dev.fd, pipe0.conn_id);
	drmModeEncoder *wenc = drmModeGetEncoder(dev.fd, wb->encoders[0]);
	drmModeEncoder *denc = drmModeGetEncoder(dev.fd, disp->encoders[0]);
	drmModeRes *res = drmModeGetResources(dev.fd);
	int di = -1;
	for (int i = 0; i < res->count_encoders; i++)
		if (res->encoders[i] == denc->encoder_id)
			di = i;
	bool clone = di >= 0 && (wenc->possible_clones & (1u << di));
	drmModeFreeResources(res);
	drmModeFreeEncoder(wenc);
	drmModeFreeEncoder(denc);
	drmModeFreeConnector(wb);
	drmModeFreeConnector(disp);
	if (!clone) {
		if (dev.is_verso)
			fail_msg("writeback cannot clone %s", pipe0.name);
		skip();
	}
	const uint32_t w = pipe0.mode.hdisplay, h = pipe0.mode.vdisplay;
	struct kms_fb src, out;
	light_pipe(0xff123456, &src);
	make_fb(w, h, DRM_FORMAT_XRGB8888, 0, &out);
	int32_t fence = -1;
	drmModeAtomicReq *req = drmModeAtomicAlloc();
	kms_req_add(req, dev.fd, wb_conn, DRM_MODE_OBJECT_CONNECTOR, "CRTC_ID",
		pipe0.crtc_id);
	kms_req_add(req, dev.fd, wb_conn, DRM_MODE_OBJECT_CONNECTOR,
		"WRITEBACK_FB_ID", out.fb_id);
	kms_req_add(req, dev.fd, wb_conn, DRM_MODE_OBJECT_CONNECTOR,
		"WRITEBACK_OUT_FENCE_PTR", (uint64_t)(uintptr_t)&fence);
	assert_int_equal(kms_commit(dev.fd, req, DRM_MODE_ATOMIC_ALLOW_MODESET), 0);
	drmModeAtomicFree(req);
	wait_fence(fence);
	assert_int_equal(kms_fb_pixel(&out, 7, 5) & 0xffffff, 0x123456);
	assert_int_equal(kms_fb_pixel(&out, w - 1, h - 1) & 0xffffff, 0x123456);
	assert_int_equal(kms_get_prop(dev.fd, pipe0.conn_id,
		DRM_MODE_OBJECT_CONNECTOR, "CRTC_ID", 0), pipe0.crtc_id);
	kms_fb_destroy(dev.fd, &src);
	kms_fb_destroy(dev.fd, &out);
}

static const struct CMUnitTest tests[] = {
	KMS_SUBTEST("kms_writeback/writeback-pixel-formats", test_pixel_formats),
	KMS_SUBTEST("kms_writeback/writeback-invalid-parameters", test_invalid_parameters),
	KMS_SUBTEST("kms_writeback/writeback-fb-id", test_fb_id),
	KMS_SUBTEST("kms_writeback/writeback-check-output", test_check_output),
	KMS_SUBTEST("kms_writeback/writeback-check-output-argb8888", test_check_output_argb),
	KMS_SUBTEST("kms_writeback/writeback-check-output-xbgr8888", test_check_output_xbgr),
	KMS_SUBTEST("kms_writeback/writeback-check-output-clone", test_check_output_clone),
};

KMS_SUITE_MAIN("kms_writeback", tests)
