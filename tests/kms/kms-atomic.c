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
	struct kms_fbf bg, fb;
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
	kms_fbf_destroy(dev.fd, &fb);
	kms_fbf_destroy(dev.fd, &bg);
}

static void test_plane_primary_legacy(void **state)
{
	struct kms_fbf a, b;
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
	kms_fbf_destroy(dev.fd, &a);
	kms_fbf_destroy(dev.fd, &b);
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

	struct kms_fbf red, blue;
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
	kms_fbf_destroy(dev.fd, &blue);
	kms_fbf_destroy(dev.fd, &red);
}

/* TEST_ONLY validates without applying anything. */
static void test_test_only(void **state)
{
	const uint32_t w = pipe0.mode.hdisplay, h = pipe0.mode.vdisplay;
	struct kms_fbf a, b;
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
	kms_fbf_destroy(dev.fd, &a);
	kms_fbf_destroy(dev.fd, &b);
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
	struct kms_fbf fb;
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
		struct kms_fbf other;
		if (plane_has_format(pipe0.primary, formats[i]) ||
		    kms_fbf_create(dev.fd, w, h, formats[i], &other))
			continue;
		assert_errno(commit_one(pipe0.primary, P, "FB_ID", other.fb_id), EINVAL);
		kms_fbf_destroy(dev.fd, &other);
	}
	/* Nothing of the above changed the state. */
	assert_int_equal(plane_prop(pipe0.primary, "FB_ID"), fb.fb_id);
	assert_int_equal(plane_prop(pipe0.primary, "CRTC_ID"), pipe0.crtc_id);
	kms_fbf_destroy(dev.fd, &fb);
}

static void test_plane_invalid_params_fence(void **state)
{
	struct kms_fbf fb;
	light_pipe(0xff405060, &fb);
	if (!kms_prop_id(dev.fd, pipe0.primary, DRM_MODE_OBJECT_PLANE, "IN_FENCE_FD"))
		fail_msg("no IN_FENCE_FD on the primary plane");
	/* An fd that is not a sync_file. */
	assert_errno(commit_one(pipe0.primary, DRM_MODE_OBJECT_PLANE,
		"IN_FENCE_FD", (uint64_t)dev.fd), EINVAL);
	/* A closed fd. */
	assert_errno(commit_one(pipe0.primary, DRM_MODE_OBJECT_PLANE,
		"IN_FENCE_FD", 1000), EINVAL);
	kms_fbf_destroy(dev.fd, &fb);
}

static void test_crtc_invalid_params(void **state)
{
	const uint32_t C = DRM_MODE_OBJECT_CRTC;
	struct kms_fbf fb;
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
	kms_fbf_destroy(dev.fd, &fb);
}

static void test_crtc_invalid_params_fence(void **state)
{
	struct kms_fbf fb;
	light_pipe(0xff405060, &fb);
	/* An out-fence pointer userspace cannot write. */
	assert_errno(commit_one(pipe0.crtc_id, DRM_MODE_OBJECT_CRTC,
		"OUT_FENCE_PTR", 16), EFAULT);
	assert_errno(commit_one(pipe0.crtc_id, DRM_MODE_OBJECT_CRTC,
		"OUT_FENCE_PTR", ~0ull << 12), EFAULT);
	kms_fbf_destroy(dev.fd, &fb);
}

/* A commit with an out-fence: the fence signals once the frame is out. */
static void test_crtc_out_fence(void **state)
{
	struct kms_fbf a, b;
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
	kms_fbf_destroy(dev.fd, &a);
	kms_fbf_destroy(dev.fd, &b);
}

static int raw_atomic(struct drm_mode_atomic *arg)
{
	return drmIoctl(dev.fd, DRM_IOCTL_MODE_ATOMIC, arg) ? -errno : 0;
}

static void test_atomic_invalid_params(void **state)
{
	struct kms_fbf fb;
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
	kms_fbf_destroy(dev.fd, &fb);
}

static void test_atomic_plane_damage(void **state)
{
	if (!kms_has_prop(dev.fd, pipe0.primary, DRM_MODE_OBJECT_PLANE,
			"FB_DAMAGE_CLIPS"))
		skip();
	struct kms_fbf fb;
	light_pipe(0xff405060, &fb);
	struct drm_mode_rect clip = { 10, 10, 100, 50 };
	uint32_t blob, bad;
	assert_int_equal(drmModeCreatePropertyBlob(dev.fd, &clip, sizeof(clip), &blob), 0);
	assert_int_equal(drmModeCreatePropertyBlob(dev.fd, &clip, 10, &bad), 0);
	assert_int_equal(commit_one(pipe0.primary, DRM_MODE_OBJECT_PLANE,
		"FB_DAMAGE_CLIPS", blob), 0);
	assert_errno(commit_one(pipe0.primary, DRM_MODE_OBJECT_PLANE,
		"FB_DAMAGE_CLIPS", bad), EINVAL);
	drmModeDestroyPropertyBlob(dev.fd, blob);
	drmModeDestroyPropertyBlob(dev.fd, bad);
	kms_fbf_destroy(dev.fd, &fb);
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
