// SPDX-License-Identifier: MIT
/*
 * Planes, held to what IGT's kms_plane, kms_plane_multiple, kms_cursor_crc,
 * kms_plane_alpha_blend and kms_rotation_crc require. Every configuration is
 * checked against a reference: the same picture drawn by the CPU into one
 * full-screen XRGB8888 primary, compared by pipe CRC (exact), or read back
 * through writeback where blending or YUV conversion rounds (within 2-8 per
 * channel).
 */
#include "kms-suite.h"
#include "verso/capture.h"

#define RED	0xffff0000u
#define GREEN	0xff00ff00u
#define BLUE	0xff0000ffu
#define WHITE	0xffffffffu
#define BLACK	0xff000000u

static const uint32_t quad_colours[4] = { RED, GREEN, BLUE, WHITE };

struct rect {
	int32_t x, y;
	uint32_t w, h, colour;
};

static void fill_quads(struct kms_fb *fb, const uint32_t c[4])
{
	uint32_t hw = fb->width / 2, hh = fb->height / 2;
	kms_fb_fill(fb, 0, 0, hw, hh, c[0]);
	kms_fb_fill(fb, hw, 0, fb->width - hw, hh, c[1]);
	kms_fb_fill(fb, 0, hh, hw, fb->height - hh, c[2]);
	kms_fb_fill(fb, hw, hh, fb->width - hw, fb->height - hh, c[3]);
}

/* CRC of a CPU-drawn reference: a background and rectangles, clipped. */
static uint32_t ref_crc(uint32_t bg, const struct rect *rects, int n,
	const uint32_t *quads)
{
	const int32_t w = pipe0.mode.hdisplay, h = pipe0.mode.vdisplay;
	struct kms_fb fb;
	light_pipe(bg, &fb);
	if (quads)
		fill_quads(&fb, quads);
	for (int i = 0; i < n; i++) {
		int32_t x0 = rects[i].x < 0 ? 0 : rects[i].x;
		int32_t y0 = rects[i].y < 0 ? 0 : rects[i].y;
		int32_t x1 = rects[i].x + (int32_t)rects[i].w;
		int32_t y1 = rects[i].y + (int32_t)rects[i].h;
		if (x1 > w)
			x1 = w;
		if (y1 > h)
			y1 = h;
		if (x1 > x0 && y1 > y0)
			kms_fb_fill(&fb, x0, y0, x1 - x0, y1 - y0, rects[i].colour);
	}
	/* Re-commit so drivers that copy at commit see the drawing. */
	assert_int_equal(kms_pipe_enable(dev.fd, &pipe0, NULL, fb.fb_id), 0);
	uint32_t v = crc_now();
	kms_fb_destroy(dev.fd, &fb);
	return v;
}

static void commit_plane(uint32_t plane, uint32_t fb, int32_t x, int32_t y,
	uint32_t w, uint32_t h, uint32_t sx, uint32_t sy)
{
	drmModeAtomicReq *req = drmModeAtomicAlloc();
	kms_req_plane(req, dev.fd, plane, fb ? pipe0.crtc_id : 0, fb, x, y,
		fb ? w : 0, fb ? h : 0, sx, sy, fb ? w : 0, fb ? h : 0);
	int ret = kms_commit(dev.fd, req, 0);
	drmModeAtomicFree(req);
	if (ret)
		fail_msg("plane %u commit: %s", plane, strerror(-ret));
}

static const uint32_t rgb_formats[] = {
	DRM_FORMAT_XRGB8888, DRM_FORMAT_ARGB8888, DRM_FORMAT_XBGR8888,
	DRM_FORMAT_ABGR8888, DRM_FORMAT_RGB565,
};

static void pixel_formats(uint32_t plane)
{
	if (!plane)
		skip();
	const uint32_t w = pipe0.mode.hdisplay, h = pipe0.mode.vdisplay;
	uint32_t ref = ref_crc(BLACK, NULL, 0, quad_colours);
	int tested = 0;
	for (size_t i = 0; i < sizeof(rgb_formats) / sizeof(rgb_formats[0]); i++) {
		uint32_t f = rgb_formats[i];
		if (!plane_has_format(plane, f)) {
			if (dev.is_verso)
				fail_msg("plane %u lacks %.4s", plane, (const char *)&f);
			continue;
		}
		struct kms_fb bg, fb;
		light_pipe(BLACK, &bg);
		make_fb(w, h, f, BLACK, &fb);
		fill_quads(&fb, quad_colours);
		commit_plane(plane, fb.fb_id, 0, 0, w, h, 0, 0);
		uint32_t got = crc_now();
		printf("# plane %u %.4s: %s\n", plane, (const char *)&f,
			got == ref ? "match" : "MISMATCH");
		if (got != ref)
			fail_msg("%.4s: CRC %08x, reference %08x", (const char *)&f, got, ref);
		tested++;
		kms_fb_destroy(dev.fd, &fb);
		kms_fb_destroy(dev.fd, &bg);
	}
	assert_true(tested > 0);
}

static void test_pixel_format(void **state)
{
	pixel_formats(pipe0.primary);
}

static void test_pixel_format_overlay(void **state)
{
	pixel_formats(pipe0.overlay);
}

static bool close_to(uint32_t got, uint32_t want, int tol)
{
	for (int s = 0; s < 24; s += 8) {
		int d = (int)((got >> s) & 0xff) - (int)((want >> s) & 0xff);
		if (d > tol || d < -tol)
			return false;
	}
	return true;
}

/* Reads the pipe back through writeback and checks sample points. */
static void check_readback(const struct rect *samples, int n, int tol)
{
	struct verso_image img = { 0 };
	char err[256] = "";
	int ret = verso_wb_capture_image(dev.fd, pipe0.crtc_id, &img, err, sizeof(err));
	if (ret)
		fail_msg("writeback capture: %s (%s)", strerror(-ret), err);
	for (int i = 0; i < n; i++) {
		uint32_t got = verso_image_pixel(&img, samples[i].x, samples[i].y);
		if (!close_to(got, samples[i].colour, tol))
			fail_msg("pixel (%d,%d): %06x, expected %06x +-%d",
				samples[i].x, samples[i].y, got & 0xffffff,
				samples[i].colour & 0xffffff, tol);
	}
	verso_image_finish(&img);
}

static void quad_samples(struct rect s[4], uint32_t w, uint32_t h, const uint32_t c[4])
{
	s[0] = (struct rect){ w / 4, h / 4, 0, 0, c[0] };
	s[1] = (struct rect){ 3 * w / 4, h / 4, 0, 0, c[1] };
	s[2] = (struct rect){ w / 4, 3 * h / 4, 0, 0, c[2] };
	s[3] = (struct rect){ 3 * w / 4, 3 * h / 4, 0, 0, c[3] };
}

/* NV12 and YUYV on the overlay (the viewfinder path), BT.601 limited. */
static void test_pixel_format_yuv(void **state)
{
	static const uint32_t yuv[] = { DRM_FORMAT_NV12, DRM_FORMAT_YUYV };
	static const uint32_t colours[4] = { 0xffe02020, 0xff20c040, 0xff2040e0, 0xfff0f0f0 };
	const uint32_t w = pipe0.mode.hdisplay, h = pipe0.mode.vdisplay;
	int tested = 0;
	for (int i = 0; i < 2; i++) {
		if (!pipe0.overlay || !plane_has_format(pipe0.overlay, yuv[i])) {
			if (dev.is_verso)
				fail_msg("overlay lacks %.4s", (const char *)&yuv[i]);
			continue;
		}
		struct kms_fb bg, fb;
		light_pipe(BLACK, &bg);
		make_fb(w, h, yuv[i], BLACK, &fb);
		fill_quads(&fb, colours);
		commit_plane(pipe0.overlay, fb.fb_id, 0, 0, w, h, 0, 0);
		struct rect s[4];
		quad_samples(s, w, h, colours);
		check_readback(s, 4, 8);
		kms_fb_destroy(dev.fd, &fb);
		kms_fb_destroy(dev.fd, &bg);
		tested++;
	}
	if (!tested)
		skip();
}

static void overlay_rect_test(const struct rect *r)
{
	if (!pipe0.overlay)
		skip();
	uint32_t ref = ref_crc(RED, r, 1, NULL);
	struct kms_fb bg, fb;
	light_pipe(RED, &bg);
	make_fb(r->w, r->h, DRM_FORMAT_XRGB8888, r->colour, &fb);
	commit_plane(pipe0.overlay, fb.fb_id, r->x, r->y, r->w, r->h, 0, 0);
	assert_int_equal(crc_now(), ref);
	kms_fb_destroy(dev.fd, &fb);
	kms_fb_destroy(dev.fd, &bg);
}

static void test_position_covered(void **state)
{
	struct rect r = { 0, 0, pipe0.mode.hdisplay, pipe0.mode.vdisplay, BLUE };
	overlay_rect_test(&r);
}

static void test_position_hole(void **state)
{
	struct rect r = { 40, 30, 200, 100, BLUE };
	overlay_rect_test(&r);
}

/* Partly off the screen: clipped by the core, composed correctly. */
static void test_position_partial(void **state)
{
	struct rect r = { -50, (int32_t)pipe0.mode.vdisplay - 60, 200, 100, GREEN };
	overlay_rect_test(&r);
}

static void panning(int corner)
{
	const uint32_t w = pipe0.mode.hdisplay, h = pipe0.mode.vdisplay;
	uint32_t ref = ref_crc(quad_colours[corner], NULL, 0, NULL);
	struct kms_fb bg, fb;
	light_pipe(BLACK, &bg);
	make_fb(2 * w, 2 * h, DRM_FORMAT_XRGB8888, BLACK, &fb);
	fill_quads(&fb, quad_colours);
	commit_plane(pipe0.primary, fb.fb_id, 0, 0, w, h, corner & 1 ? w : 0,
		corner & 2 ? h : 0);
	assert_int_equal(crc_now(), ref);
	kms_fb_destroy(dev.fd, &fb);
	kms_fb_destroy(dev.fd, &bg);
}

static void test_panning_top_left(void **state)
{
	panning(0);
}

static void test_panning_bottom_right(void **state)
{
	panning(3);
}

/* Primary, overlay and cursor together, stacked in their default order. */
static void test_plane_multiple(void **state)
{
	if (!pipe0.overlay || !pipe0.cursor)
		skip();
	struct rect r[2] = {
		{ 100, 50, 300, 200, GREEN },
		{ 380, 220, 64, 64, WHITE }, /* the cursor overlaps the overlay */
	};
	uint32_t ref = ref_crc(RED, r, 2, NULL);
	struct kms_fb bg, ov, cur;
	light_pipe(RED, &bg);
	make_fb(300, 200, DRM_FORMAT_XRGB8888, GREEN, &ov);
	make_fb(64, 64, DRM_FORMAT_ARGB8888, WHITE, &cur);
	drmModeAtomicReq *req = drmModeAtomicAlloc();
	kms_req_plane(req, dev.fd, pipe0.overlay, pipe0.crtc_id, ov.fb_id, 100, 50,
		300, 200, 0, 0, 300, 200);
	kms_req_plane(req, dev.fd, pipe0.cursor, pipe0.crtc_id, cur.fb_id, 380, 220,
		64, 64, 0, 0, 64, 64);
	assert_int_equal(kms_commit(dev.fd, req, 0), 0);
	drmModeAtomicFree(req);
	assert_int_equal(crc_now(), ref);
	kms_fb_destroy(dev.fd, &cur);
	kms_fb_destroy(dev.fd, &ov);
	kms_fb_destroy(dev.fd, &bg);
}

/* Legacy cursor ioctls (SetCursor/MoveCursor), as kms_cursor_crc uses them. */
static void cursor_test(uint32_t size, uint32_t colour, const int32_t (*pos)[2],
	int npos)
{
	uint64_t max_w = 64, max_h = 64;
	drmGetCap(dev.fd, DRM_CAP_CURSOR_WIDTH, &max_w);
	drmGetCap(dev.fd, DRM_CAP_CURSOR_HEIGHT, &max_h);
	if (size > max_w || size > max_h)
		skip();
	struct kms_fb cur;
	make_fb(size, size, DRM_FORMAT_ARGB8888, colour, &cur);
	if (cur.pitches[0] != size * 4)
		skip();
	uint32_t refs[8];
	for (int i = 0; i < npos; i++) {
		struct rect r = { pos[i][0], pos[i][1], size, size, colour };
		refs[i] = ref_crc(RED, &r, (colour >> 24) ? 1 : 0, NULL);
	}
	struct kms_fb bg;
	light_pipe(RED, &bg);
	assert_int_equal(drmModeSetCursor(dev.fd, pipe0.crtc_id, cur.handle,
		size, size), 0);
	for (int i = 0; i < npos; i++) {
		assert_int_equal(drmModeMoveCursor(dev.fd, pipe0.crtc_id, pos[i][0],
			pos[i][1]), 0);
		uint32_t got = crc_now();
		if (got != refs[i])
			fail_msg("cursor %ux%u at (%d,%d): CRC %08x, reference %08x",
				size, size, pos[i][0], pos[i][1], got, refs[i]);
	}
	assert_int_equal(drmModeSetCursor(dev.fd, pipe0.crtc_id, 0, 0, 0), 0);
	kms_fb_destroy(dev.fd, &cur);
	kms_fb_destroy(dev.fd, &bg);
}

static void test_cursor_onscreen(void **state)
{
	static const int32_t pos[][2] = { { 100, 100 }, { 0, 0 } };
	cursor_test(64, WHITE, pos, 2);
}

static void test_cursor_offscreen(void **state)
{
	const int32_t w = pipe0.mode.hdisplay, h = pipe0.mode.vdisplay;
	const int32_t pos[][2] = { { -32, -16 }, { w - 20, h - 40 },
		{ w + 10, 10 }, { -100, -100 } };
	cursor_test(64, WHITE, pos, 4);
}

static void test_cursor_sliding(void **state)
{
	static const int32_t pos[][2] = { { 10, 10 }, { 11, 10 }, { 12, 11 },
		{ 13, 13 } };
	cursor_test(64, GREEN, pos, 4);
}

static void test_cursor_alpha_transparent(void **state)
{
	static const int32_t pos[][2] = { { 100, 100 } };
	cursor_test(64, 0x00000000, pos, 1);
}

static void test_cursor_size_change(void **state)
{
	static const int32_t pos[][2] = { { 50, 60 } };
	cursor_test(32, BLUE, pos, 1);
	cursor_test(64, BLUE, pos, 1);
	cursor_test(128, BLUE, pos, 1);
}

static bool blend_props(void)
{
	return pipe0.overlay &&
	       kms_has_prop(dev.fd, pipe0.overlay, DRM_MODE_OBJECT_PLANE, "alpha") &&
	       kms_has_prop(dev.fd, pipe0.overlay, DRM_MODE_OBJECT_PLANE,
			"pixel blend mode");
}

/* An XRGB overlay over the whole screen with a constant plane alpha. */
static void constant_alpha(uint16_t alpha, uint32_t expect, bool exact)
{
	if (!blend_props())
		skip();
	const uint32_t w = pipe0.mode.hdisplay, h = pipe0.mode.vdisplay;
	uint32_t ref = exact ? ref_crc(expect, NULL, 0, NULL) : 0;
	struct kms_fb bg, ov;
	light_pipe(RED, &bg);
	make_fb(w, h, DRM_FORMAT_XRGB8888, BLUE, &ov);
	drmModeAtomicReq *req = drmModeAtomicAlloc();
	kms_req_plane(req, dev.fd, pipe0.overlay, pipe0.crtc_id, ov.fb_id, 0, 0,
		w, h, 0, 0, w, h);
	assert_int_equal(kms_req_add(req, dev.fd, pipe0.overlay,
		DRM_MODE_OBJECT_PLANE, "alpha", alpha), 0);
	assert_int_equal(kms_commit(dev.fd, req, 0), 0);
	drmModeAtomicFree(req);
	if (exact) {
		assert_int_equal(crc_now(), ref);
	} else {
		struct rect s = { w / 2, h / 2, 0, 0, expect };
		check_readback(&s, 1, 2);
	}
	kms_fb_destroy(dev.fd, &ov);
	kms_fb_destroy(dev.fd, &bg);
}

static void test_alpha_min(void **state)
{
	constant_alpha(0, RED, true);
}

static void test_alpha_max(void **state)
{
	constant_alpha(0xffff, BLUE, true);
}

static void test_alpha_mid(void **state)
{
	constant_alpha(0x8000, 0xff7f007f, false);
}

/* One half-transparent ARGB pixel value under the three blend modes. */
static void test_blend_modes(void **state)
{
	if (!blend_props())
		skip();
	static const struct {
		const char *name;
		uint32_t expect;
	} modes[] = {
		{ "Pre-multiplied", 0xff80007f },
		{ "Coverage", 0xff40007f },
		{ "None", 0xff800000 },
	};
	const uint32_t w = pipe0.mode.hdisplay, h = pipe0.mode.vdisplay;
	uint32_t prop = kms_prop_id(dev.fd, pipe0.overlay, DRM_MODE_OBJECT_PLANE,
		"pixel blend mode");
	drmModePropertyPtr info = drmModeGetProperty(dev.fd, prop);
	assert_non_null(info);
	struct kms_fb bg, ov;
	light_pipe(BLUE, &bg);
	make_fb(w, h, DRM_FORMAT_ARGB8888, 0x80800000, &ov);
	for (size_t m = 0; m < 3; m++) {
		int e = -1;
		for (int i = 0; i < info->count_enums; i++)
			if (!strcmp(info->enums[i].name, modes[m].name))
				e = i;
		if (e < 0)
			fail_msg("no blend mode %s", modes[m].name);
		drmModeAtomicReq *req = drmModeAtomicAlloc();
		kms_req_plane(req, dev.fd, pipe0.overlay, pipe0.crtc_id, ov.fb_id,
			0, 0, w, h, 0, 0, w, h);
		drmModeAtomicAddProperty(req, pipe0.overlay, prop,
			info->enums[e].value);
		assert_int_equal(kms_commit(dev.fd, req, 0), 0);
		drmModeAtomicFree(req);
		struct rect s = { w / 3, h / 3, 0, 0, modes[m].expect };
		check_readback(&s, 1, 2);
	}
	drmModeFreeProperty(info);
	kms_fb_destroy(dev.fd, &ov);
	kms_fb_destroy(dev.fd, &bg);
}

/* Rotation: the plane's quadrants land where the transform puts them. */
static void rotation(uint32_t plane, uint64_t rot, const int map[4])
{
	if (!plane || !kms_has_prop(dev.fd, plane, DRM_MODE_OBJECT_PLANE, "rotation"))
		skip();
	uint32_t prop = kms_prop_id(dev.fd, plane, DRM_MODE_OBJECT_PLANE, "rotation");
	drmModePropertyPtr info = drmModeGetProperty(dev.fd, prop);
	uint64_t supported = 0;
	for (int i = 0; info && i < info->count_enums; i++)
		supported |= 1ull << info->enums[i].value;
	drmModeFreeProperty(info);
	if ((supported & rot) != rot)
		skip();
	const uint32_t w = pipe0.mode.hdisplay, h = pipe0.mode.vdisplay;
	uint32_t moved[4];
	for (int i = 0; i < 4; i++)
		moved[i] = quad_colours[map[i]];
	uint32_t ref = ref_crc(BLACK, NULL, 0, moved);
	struct kms_fb bg, fb;
	light_pipe(BLACK, &bg);
	make_fb(w, h, DRM_FORMAT_XRGB8888, BLACK, &fb);
	fill_quads(&fb, quad_colours);
	drmModeAtomicReq *req = drmModeAtomicAlloc();
	kms_req_plane(req, dev.fd, plane, pipe0.crtc_id, fb.fb_id, 0, 0, w, h,
		0, 0, w, h);
	drmModeAtomicAddProperty(req, plane, prop, rot);
	assert_int_equal(kms_commit(dev.fd, req, 0), 0);
	drmModeAtomicFree(req);
	assert_int_equal(crc_now(), ref);
	kms_fb_destroy(dev.fd, &fb);
	kms_fb_destroy(dev.fd, &bg);
}

static const int rot180[4] = { 3, 2, 1, 0 };
static const int reflect_x[4] = { 1, 0, 3, 2 };
static const int reflect_y[4] = { 2, 3, 0, 1 };

static void test_primary_rotation_180(void **state)
{
	if (dev.is_verso)
		assert_true(kms_has_prop(dev.fd, pipe0.primary, DRM_MODE_OBJECT_PLANE,
			"rotation"));
	rotation(pipe0.primary, DRM_MODE_ROTATE_180, rot180);
}

static void test_sprite_rotation_180(void **state)
{
	rotation(pipe0.overlay, DRM_MODE_ROTATE_180, rot180);
}

static void test_primary_reflect_x(void **state)
{
	if (dev.is_verso)
		assert_true(kms_has_prop(dev.fd, pipe0.primary, DRM_MODE_OBJECT_PLANE,
			"rotation"));
	rotation(pipe0.primary, DRM_MODE_ROTATE_0 | DRM_MODE_REFLECT_X, reflect_x);
}

static void test_primary_reflect_y(void **state)
{
	rotation(pipe0.primary, DRM_MODE_ROTATE_0 | DRM_MODE_REFLECT_Y, reflect_y);
}

static const struct CMUnitTest tests[] = {
	KMS_SUBTEST("kms_plane/pixel-format", test_pixel_format),
	KMS_SUBTEST("kms_plane/pixel-format-overlay", test_pixel_format_overlay),
	KMS_SUBTEST("kms_plane/pixel-format-yuv", test_pixel_format_yuv),
	KMS_SUBTEST("kms_plane/plane-position-covered", test_position_covered),
	KMS_SUBTEST("kms_plane/plane-position-hole", test_position_hole),
	KMS_SUBTEST("kms_plane/plane-position-partial", test_position_partial),
	KMS_SUBTEST("kms_plane/plane-panning-top-left", test_panning_top_left),
	KMS_SUBTEST("kms_plane/plane-panning-bottom-right", test_panning_bottom_right),
	KMS_SUBTEST("kms_plane_multiple/tiling-none", test_plane_multiple),
	KMS_SUBTEST("kms_cursor_crc/cursor-onscreen-64x64", test_cursor_onscreen),
	KMS_SUBTEST("kms_cursor_crc/cursor-offscreen-64x64", test_cursor_offscreen),
	KMS_SUBTEST("kms_cursor_crc/cursor-sliding-64x64", test_cursor_sliding),
	KMS_SUBTEST("kms_cursor_crc/cursor-alpha-transparent", test_cursor_alpha_transparent),
	KMS_SUBTEST("kms_cursor_crc/cursor-size-change", test_cursor_size_change),
	KMS_SUBTEST("kms_plane_alpha_blend/constant-alpha-min", test_alpha_min),
	KMS_SUBTEST("kms_plane_alpha_blend/constant-alpha-max", test_alpha_max),
	KMS_SUBTEST("kms_plane_alpha_blend/constant-alpha-mid", test_alpha_mid),
	KMS_SUBTEST("kms_plane_alpha_blend/coverage-vs-premult-vs-constant", test_blend_modes),
	KMS_SUBTEST("kms_rotation_crc/primary-rotation-180", test_primary_rotation_180),
	KMS_SUBTEST("kms_rotation_crc/sprite-rotation-180", test_sprite_rotation_180),
	KMS_SUBTEST("kms_rotation_crc/primary-reflect-x", test_primary_reflect_x),
	KMS_SUBTEST("kms_rotation_crc/primary-reflect-y", test_primary_reflect_y),
};

KMS_SUITE_MAIN("kms_plane", tests)
