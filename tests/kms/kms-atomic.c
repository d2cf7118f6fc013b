// SPDX-License-Identifier: MIT
/*
 * Atomic modesetting, held to what IGT's kms_atomic requires: legacy plane
 * updates land in the atomic state, TEST_ONLY changes nothing, mutable zpos
 * reorders planes (checked by pipe CRC), and bad plane, CRTC, fence and ioctl
 * arguments fail with the errno the DRM core defines.
 */
#include <poll.h>
#include "kms-suite.h"

static uint64_t plane_prop(uint32_t plane, const char *name)
{
	return kms_get_prop(dev.fd, plane, DRM_MODE_OBJECT_PLANE, name, ~0ull);
}

static void legacy_setplane(uint32_t plane, uint32_t format, uint32_t w, uint32_t h)
{
	if (!plane)
		skip();
	struct kms_fb bg, fb;
	light_pipe(0xff000000, &bg);
	make_fb(w, h, format, 0xff00ff00, &fb);
	assert_int_equal(drmModeSetPlane(dev.fd, plane, pipe0.crtc_id, fb.fb_id, 0,
		16, 16, w, h, 0, 0, w << 16, h << 16), 0);
	/* The legacy update is visible in the atomic state. */
	assert_int_equal(plane_prop(plane, "FB_ID"), fb.fb_id);
	assert_int_equal(plane_prop(plane, "CRTC_ID"), pipe0.crtc_id);
	assert_int_equal(plane_prop(plane, "CRTC_X"), 16);
	assert_int_equal(plane_prop(plane, "CRTC_W"), w);
	assert_int_equal(plane_prop(plane, "SRC_W"), (uint64_t)w << 16);
	/* And fb 0 turns the plane off. */
	assert_int_equal(drmModeSetPlane(dev.fd, plane, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0), 0);
	assert_int_equal(plane_prop(plane, "FB_ID"), 0);
	assert_int_equal(plane_prop(plane, "CRTC_ID"), 0);
	kms_fb_destroy(dev.fd, &fb);
	kms_fb_destroy(dev.fd, &bg);
}

static void test_plane_primary_legacy(void **state)
{
	struct kms_fb a, b;
	light_pipe(0xffff0000, &a);
	uint32_t crc_a = crc_now();
	make_fb(pipe0.mode.hdisplay, pipe0.mode.vdisplay, DRM_FORMAT_XRGB8888,
		0xff0000ff, &b);
	/* The legacy SetCrtc path on an atomic driver. */
	assert_int_equal(drmModeSetCrtc(dev.fd, pipe0.crtc_id, b.fb_id, 0, 0,
		&pipe0.conn_id, 1, &pipe0.mode), 0);
	assert_int_equal(plane_prop(pipe0.primary, "FB_ID"), b.fb_id);
	assert_int_equal(plane_prop(pipe0.primary, "CRTC_ID"), pipe0.crtc_id);
	assert_int_equal(kms_get_prop(dev.fd, pipe0.crtc_id, DRM_MODE_OBJECT_CRTC,
		"ACTIVE", 0), 1);
	uint32_t crc_b = crc_now();
	assert_int_not_equal(crc_a, crc_b);
	/* SetPlane on the primary back to the first fb restores its CRC. */
	assert_int_equal(drmModeSetPlane(dev.fd, pipe0.primary, pipe0.crtc_id,
		a.fb_id, 0, 0, 0, pipe0.mode.hdisplay, pipe0.mode.vdisplay, 0, 0,
		pipe0.mode.hdisplay << 16, pipe0.mode.vdisplay << 16), 0);
	assert_int_equal(plane_prop(pipe0.primary, "FB_ID"), a.fb_id);
	assert_int_equal(crc_now(), crc_a);
	kms_fb_destroy(dev.fd, &a);
	kms_fb_destroy(dev.fd, &b);
}

static void test_plane_overlay_legacy(void **state)
{
	legacy_setplane(pipe0.overlay, DRM_FORMAT_XRGB8888, 128, 96);
}

static void test_plane_cursor_legacy(void **state)
{
	legacy_setplane(pipe0.cursor, DRM_FORMAT_ARGB8888, 64, 64);
}

/*
 * A full-screen overlay above the primary hides it; with the zpos values
 * swapped, the primary hides the overlay. CRCs tell which one is on top.
 */
static void test_mutable_zpos(void **state)
{
	if (!pipe0.overlay ||
	    !kms_has_prop(dev.fd, pipe0.primary, DRM_MODE_OBJECT_PLANE, "zpos") ||
	    !kms_has_prop(dev.fd, pipe0.overlay, DRM_MODE_OBJECT_PLANE, "zpos"))
		skip();
	const uint32_t w = pipe0.mode.hdisplay, h = pipe0.mode.vdisplay;
	uint32_t crc_red = crc_of_solid(0xffff0000);
	uint32_t crc_blue = crc_of_solid(0xff0000ff);
	assert_int_not_equal(crc_red, crc_blue);

	struct kms_fb red, blue;
	light_pipe(0xffff0000, &red);
	make_fb(w, h, DRM_FORMAT_XRGB8888, 0xff0000ff, &blue);
	uint64_t zp = plane_prop(pipe0.primary, "zpos");
	uint64_t zo = plane_prop(pipe0.overlay, "zpos");
	assert_true(zp < zo);

	drmModeAtomicReq *req = drmModeAtomicAlloc();
	kms_req_plane(req, dev.fd, pipe0.overlay, pipe0.crtc_id, blue.fb_id, 0, 0,
		w, h, 0, 0, w, h);
	assert_int_equal(kms_commit(dev.fd, req, 0), 0);
	drmModeAtomicFree(req);
	assert_int_equal(crc_now(), crc_blue);

	req = drmModeAtomicAlloc();
	assert_int_equal(kms_req_add(req, dev.fd, pipe0.primary,
		DRM_MODE_OBJECT_PLANE, "zpos", zo), 0);
	assert_int_equal(kms_req_add(req, dev.fd, pipe0.overlay,
		DRM_MODE_OBJECT_PLANE, "zpos", zp), 0);
	assert_int_equal(kms_commit(dev.fd, req, 0), 0);
	drmModeAtomicFree(req);
	assert_int_equal(plane_prop(pipe0.primary, "zpos"), zo);
	assert_int_equal(plane_prop(pipe0.overlay, "zpos"), zp);
	assert_int_equal(crc_now(), crc_red);
	kms_fb_destroy(dev.fd, &blue);
	kms_fb_destroy(dev.fd, &red);
}

/* TEST_ONLY validates without applying anything. */
static void test_test_only(void **state)
{
	const uint32_t w = pipe0.mode.hdisplay, h = pipe0.mode.vdisplay;
	struct kms_fb a, b;
	make_fb(w, h, DRM_FORMAT_XRGB8888, 0xff102030, &a);
	make_fb(w, h, DRM_FORMAT_XRGB8888, 0xff302010, &b);
	uint32_t blob;
	assert_int_equal(drmModeCreatePropertyBlob(dev.fd, &pipe0.mode,
		sizeof(pipe0.mode), &blob), 0);

	/* A full modeset, tested only: the pipe stays off. */
	drmModeAtomicReq *req = drmModeAtomicAlloc();
	kms_req_add(req, dev.fd, pipe0.conn_id, DRM_MODE_OBJECT_CONNECTOR,
		"CRTC_ID", pipe0.crtc_id);
	kms_req_add(req, dev.fd, pipe0.crtc_id, DRM_MODE_OBJECT_CRTC, "MODE_ID", blob);
	kms_req_add(req, dev.fd, pipe0.crtc_id, DRM_MODE_OBJECT_CRTC, "ACTIVE", 1);
	kms_req_plane(req, dev.fd, pipe0.primary, pipe0.crtc_id, a.fb_id, 0, 0,
		w, h, 0, 0, w, h);
	/* Without ALLOW_MODESET a modeset is refused, even as a test. */
	assert_errno(kms_commit(dev.fd, req, DRM_MODE_ATOMIC_TEST_ONLY), EINVAL);
	assert_int_equal(kms_commit(dev.fd, req, DRM_MODE_ATOMIC_TEST_ONLY |
		DRM_MODE_ATOMIC_ALLOW_MODESET), 0);
	/* Test and event together are contradictory. */
	assert_errno(kms_commit(dev.fd, req, DRM_MODE_ATOMIC_TEST_ONLY |
		DRM_MODE_ATOMIC_ALLOW_MODESET | DRM_MODE_PAGE_FLIP_EVENT), EINVAL);
	assert_int_equal(kms_get_prop(dev.fd, pipe0.crtc_id, DRM_MODE_OBJECT_CRTC,
		"ACTIVE", 9), 0);
	assert_int_equal(plane_prop(pipe0.primary, "FB_ID"), 0);
	assert_int_equal(kms_get_prop(dev.fd, pipe0.conn_id,
		DRM_MODE_OBJECT_CONNECTOR, "CRTC_ID", 9), 0);
	/* Now for real. */
	assert_int_equal(kms_commit(dev.fd, req, DRM_MODE_ATOMIC_ALLOW_MODESET), 0);
	drmModeAtomicFree(req);
	assert_int_equal(plane_prop(pipe0.primary, "FB_ID"), a.fb_id);
	uint32_t crc_a = crc_now();

	/* A tested flip to b leaves a on screen. */
	req = drmModeAtomicAlloc();
	kms_req_add(req, dev.fd, pipe0.primary, DRM_MODE_OBJECT_PLANE, "FB_ID", b.fb_id);
	assert_int_equal(kms_commit(dev.fd, req, DRM_MODE_ATOMIC_TEST_ONLY), 0);
	drmModeAtomicFree(req);
	assert_int_equal(plane_prop(pipe0.primary, "FB_ID"), a.fb_id);
	assert_int_equal(crc_now(), crc_a);

	/* A tested invalid state fails the same way a real one would. */
	req = drmModeAtomicAlloc();
	kms_req_add(req, dev.fd, pipe0.primary, DRM_MODE_OBJECT_PLANE, "SRC_W",
		(uint64_t)(w + 1) << 16);
	assert_errno(kms_commit(dev.fd, req, DRM_MODE_ATOMIC_TEST_ONLY), ENOSPC);
	assert_errno(kms_commit(dev.fd, req, 0), ENOSPC);
	drmModeAtomicFree(req);
	assert_int_equal(plane_prop(pipe0.primary, "SRC_W"), (uint64_t)w << 16);

	drmModeDestroyPropertyBlob(dev.fd, blob);
	kms_fb_destroy(dev.fd, &a);
	kms_fb_destroy(dev.fd, &b);
}

static int commit_one(uint32_t obj, uint32_t type, const char *name, uint64_t value)
{
	drmModeAtomicReq *req = drmModeAtomicAlloc();
	int ret = kms_req_add(req, dev.fd, obj, type, name, value);
	if (ret == 0)
		ret = kms_commit(dev.fd, req, 0);
	drmModeAtomicFree(req);
	return ret;
}

static void test_plane_invalid_params(void **state)
{
	const uint32_t P = DRM_MODE_OBJECT_PLANE;
	const uint32_t w = pipe0.mode.hdisplay, h = pipe0.mode.vdisplay;
	struct kms_fb fb;
	light_pipe(0xff405060, &fb);

	/* Ids that name no framebuffer / CRTC. */
	assert_errno(commit_one(pipe0.primary, P, "FB_ID", 0xdeadbeef), EINVAL);
	assert_errno(commit_one(pipe0.primary, P, "FB_ID", pipe0.crtc_id), EINVAL);
	assert_errno(commit_one(pipe0.primary, P, "CRTC_ID", 0xdeadbeef), EINVAL);
	assert_errno(commit_one(pipe0.primary, P, "CRTC_ID", fb.fb_id), EINVAL);
	/* An fb without a CRTC, a CRTC without an fb. */
	assert_errno(commit_one(pipe0.primary, P, "CRTC_ID", 0), EINVAL);
	if (pipe0.overlay)
		assert_errno(commit_one(pipe0.overlay, P, "CRTC_ID", pipe0.crtc_id),
			EINVAL);
	/* Source rectangles outside the fb. */
	assert_errno(commit_one(pipe0.primary, P, "SRC_X", 1 << 16), ENOSPC);
	assert_errno(commit_one(pipe0.primary, P, "SRC_H", (uint64_t)(h + 1) << 16),
		ENOSPC);
	/* A plane on a CRTC outside its possible_crtcs. */
	drmModeRes *res = drmModeGetResources(dev.fd);
	for (int i = 0; i < res->count_crtcs; i++)
		if ((uint32_t)i != pipe0.crtc_index)
			assert_errno(commit_one(pipe0.primary, P, "CRTC_ID",
				res->crtcs[i]), EINVAL);
	drmModeFreeResources(res);
	/* A format the primary plane does not scan out (if any plane does). */
	static const uint32_t formats[] = { DRM_FORMAT_NV12, DRM_FORMAT_YUYV,
		DRM_FORMAT_ARGB8888, DRM_FORMAT_RGB565 };
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		struct kms_fb other;
		if (plane_has_format(pipe0.primary, formats[i]) ||
		    kms_fb_create(dev.fd, w, h, formats[i], &other))
			continue;
		assert_errno(commit_one(pipe0.primary, P, "FB_ID", other.fb_id), EINVAL);
		kms_fb_destroy(dev.fd, &other);
	}
	/* Nothing of the above changed the state. */
	assert_int_equal(plane_prop(pipe0.primary, "FB_ID"), fb.fb_id);
	assert_int_equal(plane_prop(pipe0.primary, "CRTC_ID"), pipe0.crtc_id);
	kms_fb_destroy(dev.fd, &fb);
}

static void test_plane_invalid_params_fence(void **state)
{
	struct kms_fb fb;
	light_pipe(0xff405060, &fb);
	if (!kms_prop_id(dev.fd, pipe0.primary, DRM_MODE_OBJECT_PLANE, "IN_FENCE_FD"))
		fail_msg("no IN_FENCE_FD on the primary plane");
	/* An fd that is not a sync_file. */
	assert_errno(commit_one(pipe0.primary, DRM_MODE_OBJECT_PLANE,
		"IN_FENCE_FD", (uint64_t)dev.fd), EINVAL);
	/* A closed fd. */
	assert_errno(commit_one(pipe0.primary, DRM_MODE_OBJECT_PLANE,
		"IN_FENCE_FD", 1000), EINVAL);
	kms_fb_destroy(dev.fd, &fb);
}

static void test_crtc_invalid_params(void **state)
{
	const uint32_t C = DRM_MODE_OBJECT_CRTC;
	struct kms_fb fb;
	light_pipe(0xff405060, &fb);
	/* No such blob, a blob that is not a mode, a non-blob object. */
	drmModeAtomicReq *req = drmModeAtomicAlloc();
	kms_req_add(req, dev.fd, pipe0.crtc_id, C, "MODE_ID", 0xdeadbeef);
	assert_errno(kms_commit(dev.fd, req, DRM_MODE_ATOMIC_ALLOW_MODESET), EINVAL);
	drmModeAtomicFree(req);
	uint32_t small;
	uint8_t junk[10] = { 0 };
	assert_int_equal(drmModeCreatePropertyBlob(dev.fd, junk, sizeof(junk), &small), 0);
	req = drmModeAtomicAlloc();
	kms_req_add(req, dev.fd, pipe0.crtc_id, C, "MODE_ID", small);
	assert_errno(kms_commit(dev.fd, req, DRM_MODE_ATOMIC_ALLOW_MODESET), EINVAL);
	drmModeAtomicFree(req);
	drmModeDestroyPropertyBlob(dev.fd, small);
	/* ACTIVE without a mode. */
	req = drmModeAtomicAlloc();
	kms_req_add(req, dev.fd, pipe0.crtc_id, C, "MODE_ID", 0);
	assert_errno(kms_commit(dev.fd, req, DRM_MODE_ATOMIC_ALLOW_MODESET), EINVAL);
	drmModeAtomicFree(req);
	/* A modeset without ALLOW_MODESET. */
	req = drmModeAtomicAlloc();
	kms_req_add(req, dev.fd, pipe0.crtc_id, C, "ACTIVE", 0);
	assert_errno(kms_commit(dev.fd, req, 0), EINVAL);
	drmModeAtomicFree(req);
	assert_int_equal(kms_get_prop(dev.fd, pipe0.crtc_id, C, "ACTIVE", 9), 1);
	kms_fb_destroy(dev.fd, &fb);
}

static void test_crtc_invalid_params_fence(void **state)
{
	struct kms_fb fb;
	light_pipe(0xff405060, &fb);
	/* An out-fence pointer userspace cannot write. */
	assert_errno(commit_one(pipe0.crtc_id, DRM_MODE_OBJECT_CRTC,
		"OUT_FENCE_PTR", 16), EFAULT);
	assert_errno(commit_one(pipe0.crtc_id, DRM_MODE_OBJECT_CRTC,
		"OUT_FENCE_PTR", ~0ull << 12), EFAULT);
	kms_fb_destroy(dev.fd, &fb);
}

/* A commit with an out-fence: the fence signals once the frame is out. */
static void test_crtc_out_fence(void **state)
{
	struct kms_fb a, b;
	light_pipe(0xff405060, &a);
	make_fb(pipe0.mode.hdisplay, pipe0.mode.vdisplay, DRM_FORMAT_XRGB8888,
		0xff604050, &b);
	int32_t fence = -1;
	drmModeAtomicReq *req = drmModeAtomicAlloc();
	kms_req_add(req, dev.fd, pipe0.primary, DRM_MODE_OBJECT_PLANE, "FB_ID", b.fb_id);
	kms_req_add(req, dev.fd, pipe0.crtc_id, DRM_MODE_OBJECT_CRTC,
		"OUT_FENCE_PTR", (uint64_t)(uintptr_t)&fence);
	assert_int_equal(kms_commit(dev.fd, req, DRM_MODE_ATOMIC_NONBLOCK), 0);
	drmModeAtomicFree(req);
	assert_true(fence >= 0);
	struct pollfd pfd = { .fd = fence, .events = POLLIN };
	assert_int_equal(poll(&pfd, 1, 2000), 1);
	close(fence);
	assert_int_equal(plane_prop(pipe0.primary, "FB_ID"), b.fb_id);
	kms_fb_destroy(dev.fd, &a);
	kms_fb_destroy(dev.fd, &b);
}

static int raw_atomic(struct drm_mode_atomic *arg)
{
	return drmIoctl(dev.fd, DRM_IOCTL_MODE_ATOMIC, arg) ? -errno : 0;
}

static void test_atomic_invalid_params(void **state)
{
	struct kms_fb fb;
	light_pipe(0xff405060, &fb);
	uint32_t obj = pipe0.primary, count = 1;
	uint32_t prop = kms_prop_id(dev.fd, pipe0.primary, DRM_MODE_OBJECT_PLANE, "FB_ID");
	uint64_t value = fb.fb_id;
	struct drm_mode_atomic base = {
		.count_objs = 1,
		.objs_ptr = (uintptr_t)&obj,
		.count_props_ptr = (uintptr_t)&count,
		.props_ptr = (uintptr_t)&prop,
		.prop_values_ptr = (uintptr_t)&value,
	};
	struct drm_mode_atomic arg = base;
	assert_int_equal(raw_atomic(&arg), 0);
	/* An empty commit is valid. */
	arg = base;
	arg.count_objs = 0;
	assert_int_equal(raw_atomic(&arg), 0);
	/* Unknown flags, the async flag, reserved bits. */
	arg = base;
	arg.flags = 0x8000;
	assert_errno(raw_atomic(&arg), EINVAL);
	arg = base;
	arg.flags = DRM_MODE_PAGE_FLIP_ASYNC;
	assert_errno(raw_atomic(&arg), EINVAL);
	arg = base;
	arg.reserved = 1;
	assert_errno(raw_atomic(&arg), EINVAL);
	/* Bad pointers. */
	arg = base;
	arg.objs_ptr = 0;
	assert_errno(raw_atomic(&arg), EFAULT);
	arg = base;
	arg.count_props_ptr = 8;
	assert_errno(raw_atomic(&arg), EFAULT);
	arg = base;
	arg.props_ptr = 8;
	assert_errno(raw_atomic(&arg), EFAULT);
	arg = base;
	arg.prop_values_ptr = 8;
	assert_errno(raw_atomic(&arg), EFAULT);
	/* An object that does not exist, a property the object lacks. */
	arg = base;
	obj = 0xdeadbeef;
	assert_errno(raw_atomic(&arg), ENOENT);
	obj = pipe0.crtc_id;
	assert_errno(raw_atomic(&arg), ENOENT);
	/* An object without properties (a framebuffer). */
	obj = fb.fb_id;
	count = 0;
	assert_errno(raw_atomic(&arg), ENOENT);
	/* Atomic from a client that is not the master, then without the cap. */
	int fd2 = kms_open_driver(dev.driver);
	assert_true(fd2 >= 0);
	obj = pipe0.primary;
	count = 1;
	assert_int_equal(drmIoctl(fd2, DRM_IOCTL_MODE_ATOMIC, &arg), -1);
	assert_int_equal(errno, EACCES);
	assert_int_equal(drmDropMaster(dev.fd), 0);
	int set = drmSetMaster(fd2);
	int ret2 = drmIoctl(fd2, DRM_IOCTL_MODE_ATOMIC, &arg) ? errno : 0;
	drmDropMaster(fd2);
	close(fd2);
	assert_int_equal(drmSetMaster(dev.fd), 0);
	assert_int_equal(set, 0);
	assert_int_equal(ret2, EINVAL);
	kms_fb_destroy(dev.fd, &fb);
}

/*
 * FB_DAMAGE_CLIPS (IGT's atomic-plane-damage): a client that redraws part of
 * the plane's framebuffer commits the same fb with the changed rectangles.
 * The steps follow IGT's: one clip, a clip outside the plane's source (in a
 * framebuffer twice as wide), a clip across the source's edge, a clip in and
 * a clip out, overlapping clips. After each, the pipe CRC must equal the one
 * of the same picture committed whole (no damage) from another fb.
 */
struct damage_step {
	unsigned int n;
	struct drm_mode_rect rect[2]; /* painted, and sent as the damage */
	uint32_t colour[2];
};

static void damage_paint(struct kms_fb *fb, const struct damage_step *st)
{
	for (unsigned int i = 0; i < st->n; i++) {
		const struct drm_mode_rect *r = &st->rect[i];
		kms_fb_fill(fb, r->x1, r->y1, r->x2 - r->x1, r->y2 - r->y1,
			st->colour[i]);
	}
}

/* Commits @fb on the primary, with @n damage clips; returns 0 or -errno. */
static int damage_commit(uint32_t fb_id, const struct drm_mode_rect *clips,
	unsigned int n, uint32_t flags, uint32_t *blob_out)
{
	uint32_t blob = 0;
	if (n && drmModeCreatePropertyBlob(dev.fd, clips, n * sizeof(*clips), &blob))
		return -errno;
	drmModeAtomicReq *req = drmModeAtomicAlloc();
	kms_req_add(req, dev.fd, pipe0.primary, DRM_MODE_OBJECT_PLANE, "FB_ID", fb_id);
	if (n)
		kms_req_add(req, dev.fd, pipe0.primary, DRM_MODE_OBJECT_PLANE,
			"FB_DAMAGE_CLIPS", blob);
	int ret = kms_commit(dev.fd, req, flags);
	drmModeAtomicFree(req);
	if (blob_out)
		*blob_out = blob;
	else if (blob)
		drmModeDestroyPropertyBlob(dev.fd, blob);
	return ret;
}

static int damage_commit_one(uint32_t fb_id, int32_t x1, int32_t y1, int32_t x2,
	int32_t y2)
{
	struct drm_mode_rect r = { x1, y1, x2, y2 };
	return damage_commit(fb_id, &r, 1, 0, NULL);
}

static void test_atomic_plane_damage(void **state)
{
	const uint32_t planes[3] = { pipe0.primary, pipe0.overlay, pipe0.cursor };
	for (int i = 0; i < 3; i++) {
		if (!planes[i] || kms_has_prop(dev.fd, planes[i],
				DRM_MODE_OBJECT_PLANE, "FB_DAMAGE_CLIPS"))
			continue;
		if (!dev.is_verso)
			skip();
		fail_msg("plane %u has no FB_DAMAGE_CLIPS", planes[i]);
	}
	const int32_t W = pipe0.mode.hdisplay, H = pipe0.mode.vdisplay;
	const struct damage_step steps[] = {
		{ 1, { { 0, 0, W / 2, H / 2 } }, { 0xffff0000 } },
		{ 1, { { W / 2, 0, W, H / 2 } }, { 0xff00ff00 } },
		/* Outside the plane's source: nothing visible changes. */
		{ 1, { { W, 0, W + W / 2, H / 2 } }, { 0xff0000ff } },
		/* Across the source's right edge. */
		{ 1, { { W / 2, 0, W / 2 + W, H / 2 } }, { 0xffffff00 } },
		/* One clip inside the source, one outside. */
		{ 2, { { 0, H / 2, W / 2, H }, { W + W / 2, H / 2, 2 * W, H } },
			{ 0xff00ffff, 0xff00ff00 } },
		/* Overlapping clips, painted in order. */
		{ 2, { { 0, 0, W / 2, H / 2 }, { W / 4, H / 4, W / 4 + W / 2, H / 4 + H / 2 } },
			{ 0xffff0000, 0xffffffff } },
	};
	const size_t n = sizeof(steps) / sizeof(steps[0]);
	const struct damage_step start = {
		2, { { 0, 0, 2 * W, H }, { W / 4, H / 4, W / 4 + W / 2, H / 4 + H / 2 } },
		{ 0xff333333, 0xffffffff },
	};
	uint32_t ref[sizeof(steps) / sizeof(steps[0]) + 1];

	/* The references: each picture committed whole, without damage. */
	struct kms_fb whole, fb;
	make_fb(2 * W, H, DRM_FORMAT_XRGB8888, 0, &whole);
	make_fb(2 * W, H, DRM_FORMAT_XRGB8888, 0, &fb);
	damage_paint(&whole, &start);
	assert_int_equal(kms_pipe_enable(dev.fd, &pipe0, NULL, whole.fb_id), 0);
	ref[0] = crc_now();
	for (size_t i = 0; i < n; i++) {
		damage_paint(&whole, &steps[i]);
		assert_int_equal(damage_commit(whole.fb_id, NULL, 0, 0, NULL), 0);
		ref[i + 1] = crc_now();
	}
	/* Only the source is scanned out; every other step shows a change. */
	assert_int_equal(ref[3], ref[2]);
	for (size_t i = 1; i <= n; i++)
		if (i != 3)
			assert_int_not_equal(ref[i], ref[i - 1]);

	/* The same pictures, drawn step by step into one fb with damage. */
	damage_paint(&fb, &start);
	assert_int_equal(damage_commit(fb.fb_id, NULL, 0, 0, NULL), 0);
	assert_int_equal(crc_now(), ref[0]);
	for (size_t i = 0; i < n; i++) {
		uint32_t blob;
		damage_paint(&fb, &steps[i]);
		assert_int_equal(damage_commit(fb.fb_id, steps[i].rect, steps[i].n,
			0, &blob), 0);
		/* The state holds the clips of the commit that sent them. */
		assert_int_equal(plane_prop(pipe0.primary, "FB_DAMAGE_CLIPS"), blob);
		drmModeDestroyPropertyBlob(dev.fd, blob);
		uint32_t crc = crc_now();
		if (crc != ref[i + 1])
			fail_msg("step %zu: CRC %08x after a damaged update, %08x for "
				"the whole picture", i + 1, crc, ref[i + 1]);
	}
	/* Damage belongs to one commit: the next one starts without. */
	assert_int_equal(damage_commit(fb.fb_id, NULL, 0, 0, NULL), 0);
	assert_int_equal(plane_prop(pipe0.primary, "FB_DAMAGE_CLIPS"), 0);

	/*
	 * Bad damage, rejected by the core with EINVAL: a blob whose size is
	 * not a multiple of drm_mode_rect, a blob that does not exist, empty
	 * or inverted clips, negative coordinates, clips far past the fb.
	 */
	const struct drm_mode_rect good = { 0, 0, W, H };
	uint32_t bad;
	assert_int_equal(drmModeCreatePropertyBlob(dev.fd, &good, 10, &bad), 0);
	drmModeAtomicReq *req = drmModeAtomicAlloc();
	kms_req_add(req, dev.fd, pipe0.primary, DRM_MODE_OBJECT_PLANE,
		"FB_DAMAGE_CLIPS", bad);
	assert_errno(kms_commit(dev.fd, req, DRM_MODE_ATOMIC_TEST_ONLY), EINVAL);
	assert_errno(kms_commit(dev.fd, req, 0), EINVAL);
	drmModeAtomicFree(req);
	drmModeDestroyPropertyBlob(dev.fd, bad);
	req = drmModeAtomicAlloc();
	kms_req_add(req, dev.fd, pipe0.primary, DRM_MODE_OBJECT_PLANE,
		"FB_DAMAGE_CLIPS", 0xdeadbeef);
	assert_errno(kms_commit(dev.fd, req, 0), EINVAL);
	drmModeAtomicFree(req);
	assert_errno(damage_commit_one(fb.fb_id, 10, 10, 10, 20), EINVAL);
	assert_errno(damage_commit_one(fb.fb_id, 10, 20, 20, 10), EINVAL);
	assert_errno(damage_commit_one(fb.fb_id, -1, 0, 10, 10), EINVAL);
	assert_errno(damage_commit_one(fb.fb_id, 0, -1, 10, 10), EINVAL);
	assert_errno(damage_commit_one(fb.fb_id, 0, 0, INT32_MAX, 10), EINVAL);
	assert_errno(damage_commit_one(fb.fb_id, 0, 0, 10, INT32_MAX), EINVAL);
	struct drm_mode_rect in_out[2] = { { 0, 0, 8, 8 }, { 8, 8, 8, 16 } };
	assert_errno(damage_commit(fb.fb_id, in_out, 2, DRM_MODE_ATOMIC_TEST_ONLY,
		NULL), EINVAL);
	/*
	 * 6.1 and 6.12 compare the clips with the fb size in 16.16 fixed
	 * point, so a clip past the fb is refused only beyond 65536 times its
	 * size. Harmless: the damage helpers clip to the plane's source.
	 */
	assert_int_equal(damage_commit_one(fb.fb_id, 0, 0, 2 * W + 1, H + 1), 0);
	assert_int_equal(damage_commit_one(fb.fb_id, 0, 0, 2 * W << 16, H << 16), 0);
	assert_errno(damage_commit_one(fb.fb_id, 0, 0, (2 * W << 16) + 1, H), EINVAL);
	assert_errno(damage_commit_one(fb.fb_id, 0, 0, 2 * W, (H << 16) + 1), EINVAL);
	/* The whole fb is a valid clip; nothing above changed the state. */
	assert_int_equal(damage_commit_one(fb.fb_id, 0, 0, 2 * W, H), 0);
	assert_int_equal(plane_prop(pipe0.primary, "FB_ID"), fb.fb_id);
	assert_int_equal(crc_now(), ref[n]);
	kms_fb_destroy(dev.fd, &fb);
	kms_fb_destroy(dev.fd, &whole);
}

static const struct CMUnitTest tests[] = {
	KMS_SUBTEST("kms_atomic/plane-primary-legacy", test_plane_primary_legacy),
	KMS_SUBTEST("kms_atomic/plane-overlay-legacy", test_plane_overlay_legacy),
	KMS_SUBTEST("kms_atomic/plane-cursor-legacy", test_plane_cursor_legacy),
	KMS_SUBTEST("kms_atomic/plane-primary-overlay-mutable-zpos", test_mutable_zpos),
	KMS_SUBTEST("kms_atomic/test-only", test_test_only),
	KMS_SUBTEST("kms_atomic/plane-invalid-params", test_plane_invalid_params),
	KMS_SUBTEST("kms_atomic/plane-invalid-params-fence", test_plane_invalid_params_fence),
	KMS_SUBTEST("kms_atomic/crtc-invalid-params", test_crtc_invalid_params),
	KMS_SUBTEST("kms_atomic/crtc-invalid-params-fence", test_crtc_invalid_params_fence),
	KMS_SUBTEST("kms_atomic/crtc-out-fence", test_crtc_out_fence),
	KMS_SUBTEST("kms_atomic/atomic-invalid-params", test_atomic_invalid_params),
	KMS_SUBTEST("kms_atomic/atomic-plane-damage", test_atomic_plane_damage),
};

KMS_SUITE_MAIN("kms_atomic", tests)
