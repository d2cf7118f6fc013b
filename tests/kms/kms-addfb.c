// SPDX-License-Identifier: MIT
/*
 * Framebuffer creation and lookup, held to what IGT's kms_addfb_basic and
 * kms_getfb require: bad handles, pitches, offsets, sizes, formats and
 * modifiers fail ADDFB2 with EINVAL (including the all-ones modifier vkms
 * 6.1 accepts), good ones succeed, RMFB is per client, and GETFB/GETFB2
 * return the right metadata, fresh handles, and nothing to unprivileged
 * clients.
 */
#include <sys/wait.h>
#include "kms-suite.h"

#define X_TILED fourcc_mod_code(INTEL, 1)

static uint32_t bo_big, bo_small;

static uint32_t dumb(uint32_t w, uint32_t h)
{
	struct drm_mode_create_dumb c = { .width = w, .height = h, .bpp = 32 };
	assert_int_equal(drmIoctl(dev.fd, DRM_IOCTL_MODE_CREATE_DUMB, &c), 0);
	assert_int_equal(c.pitch, w * 4);
	return c.handle;
}

static int fb_setup(void **state)
{
	if (test_reset(state))
		return -1;
	bo_big = dumb(1024, 1024);
	bo_small = dumb(1024, 1023);
	return 0;
}

static int fb_teardown(void **state)
{
	struct drm_mode_destroy_dumb d = { .handle = bo_big };
	drmIoctl(dev.fd, DRM_IOCTL_MODE_DESTROY_DUMB, &d);
	d.handle = bo_small;
	drmIoctl(dev.fd, DRM_IOCTL_MODE_DESTROY_DUMB, &d);
	return 0;
}

#define FB_SUBTEST(name, fn) { name, fn, fb_setup, fb_teardown, NULL }

static struct drm_mode_fb_cmd2 base_fb(uint32_t w, uint32_t h, uint32_t pitch)
{
	struct drm_mode_fb_cmd2 f = {
		.width = w, .height = h, .pixel_format = DRM_FORMAT_XRGB8888,
		.handles = { bo_big }, .pitches = { pitch },
	};
	return f;
}

static int addfb(struct drm_mode_fb_cmd2 *f)
{
	f->fb_id = 0;
	int ret = drmIoctl(dev.fd, DRM_IOCTL_MODE_ADDFB2, f) ? -errno : 0;
	if (ret == 0)
		drmModeRmFB(dev.fd, f->fb_id);
	return ret;
}

static void test_unused(void **state)
{
	struct drm_mode_fb_cmd2 f = base_fb(512, 512, 2048);
	f.flags = DRM_MODE_FB_MODIFIERS;
	assert_int_equal(addfb(&f), 0);
	f.handles[1] = bo_small;
	assert_errno(addfb(&f), EINVAL);
	f.handles[1] = 0;
	f.pitches[1] = 512;
	assert_errno(addfb(&f), EINVAL);
	f.pitches[1] = 0;
	f.offsets[1] = 512;
	assert_errno(addfb(&f), EINVAL);
	f.offsets[1] = 0;
	f.modifier[1] = X_TILED;
	assert_errno(addfb(&f), EINVAL);
	f.modifier[1] = 0;
	assert_int_equal(addfb(&f), 0);
}

static void test_no_handle(void **state)
{
	struct drm_mode_fb_cmd2 f = base_fb(512, 512, 2048);
	f.handles[0] = 0;
	assert_errno(addfb(&f), EINVAL);
	f.handles[0] = 0xdeadbeef;
	assert_errno(addfb(&f), ENOENT);
}

static void test_basic(void **state)
{
	struct drm_mode_fb_cmd2 f = base_fb(512, 512, 4096);
	assert_int_equal(drmIoctl(dev.fd, DRM_IOCTL_MODE_ADDFB2, &f), 0);
	assert_true(f.fb_id != 0);
	assert_int_equal(drmModeRmFB(dev.fd, f.fb_id), 0);
	assert_int_equal(drmModeRmFB(dev.fd, f.fb_id), -ENOENT);
}

static void test_bad_pitch(void **state)
{
	static const uint32_t pitches[] = { 0, 32, 63, 128, 256, 1024, 999, 65536 };
	for (size_t i = 0; i < sizeof(pitches) / sizeof(pitches[0]); i++) {
		struct drm_mode_fb_cmd2 f = base_fb(512, 512, pitches[i]);
		int ret = addfb(&f);
		if (ret != -EINVAL)
			fail_msg("pitch %u: %d, expected -EINVAL", pitches[i], ret);
	}
}

static void test_sizes(void **state)
{
	/* size-max: the whole bo, as XRGB8888 and as RGB565. */
	struct drm_mode_fb_cmd2 f = base_fb(1024, 1024, 4096);
	assert_int_equal(addfb(&f), 0);
	struct drm_mode_fb_cmd2 f16 = base_fb(1024, 2048, 2048);
	f16.pixel_format = DRM_FORMAT_RGB565;
	assert_int_equal(addfb(&f16), 0);
	/* too-wide, too-high */
	f.width = 1025;
	assert_errno(addfb(&f), EINVAL);
	f.width = 1024;
	f.height = 1025;
	assert_errno(addfb(&f), EINVAL);
	f16.height = 2049;
	assert_errno(addfb(&f16), EINVAL);
	/* bo-too-small, then small-bo */
	f.height = 1024;
	f.handles[0] = bo_small;
	assert_errno(addfb(&f), EINVAL);
	f.height = 1020;
	assert_int_equal(addfb(&f), 0);
	/* An offset that pushes the last line past the bo. */
	f.offsets[0] = 4096 * 4;
	assert_errno(addfb(&f), EINVAL);
	/* Zero and over-the-limit dimensions. */
	drmModeRes *res = drmModeGetResources(dev.fd);
	struct drm_mode_fb_cmd2 z = base_fb(0, 512, 4096);
	assert_errno(addfb(&z), EINVAL);
	z = base_fb(res->max_width + 1, 1, (res->max_width + 1) * 4);
	assert_errno(addfb(&z), EINVAL);
	z = base_fb(1, res->max_height + 1, 4);
	assert_errno(addfb(&z), EINVAL);
	drmModeFreeResources(res);
}

static void test_bad_format(void **state)
{
	struct drm_mode_fb_cmd2 f = base_fb(512, 512, 4096);
	f.pixel_format = 0xdeadbeef;
	assert_errno(addfb(&f), EINVAL);
	/* Real formats no plane of this device scans out. */
	f.pixel_format = DRM_FORMAT_C8;
	assert_errno(addfb(&f), EINVAL);
	f.pixel_format = DRM_FORMAT_XRGB2101010;
	assert_errno(addfb(&f), EINVAL);
	/* A two-plane format without its second plane. */
	f.pixel_format = DRM_FORMAT_NV12;
	f.pitches[0] = 512;
	int ret = addfb(&f);
	assert_int_equal(ret, -EINVAL);
	/* And complete: accepted only if some plane scans NV12 out. */
	f.handles[1] = bo_big;
	f.pitches[1] = 512;
	f.offsets[1] = 512 * 512;
	ret = addfb(&f);
	if (dev.is_verso)
		assert_int_equal(ret, 0);
	else
		assert_true(ret == 0 || ret == -EINVAL);
}

/* Packed YUV comes in pixel pairs: an odd width has half a pair. */
static void test_yuyv_odd_width(void **state)
{
	struct drm_mode_fb_cmd2 f = base_fb(33, 32, 128);
	f.pixel_format = DRM_FORMAT_YUYV;
	int odd = addfb(&f);
	f.width = 32;
	int even = addfb(&f);
	if (dev.is_verso) {
		assert_int_equal(odd, -EINVAL);
		assert_int_equal(even, 0);
	} else {
		assert_true(odd == 0 || odd == -EINVAL);
	}
}

static void test_legacy_format(void **state)
{
	static const struct { uint32_t bpp, depth; int expect; } known[] = {
		{ 32, 24, 0 }, { 16, 16, 0 }, { 8, 8, -EINVAL }, { 24, 24, -EINVAL },
		{ 32, 30, -EINVAL }, { 33, 24, -EINVAL }, { 32, 25, -EINVAL },
		{ 0, 0, -EINVAL }, { 0xffffffff, 24, -EINVAL },
	};
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		struct drm_mode_fb_cmd arg = {
			.width = 512, .height = 512, .pitch = 4096,
			.bpp = known[i].bpp, .depth = known[i].depth, .handle = bo_big,
		};
		int ret = drmIoctl(dev.fd, DRM_IOCTL_MODE_ADDFB, &arg) ? -errno : 0;
		if (ret == 0)
			drmModeRmFB(dev.fd, arg.fb_id);
		if (ret != known[i].expect)
			fail_msg("ADDFB bpp %u depth %u: %d, expected %d", known[i].bpp,
				known[i].depth, ret, known[i].expect);
	}
}

static void modifier(uint64_t mod, uint32_t flags, int expect)
{
	struct drm_mode_fb_cmd2 f = base_fb(1024, 1024, 4096);
	f.flags = flags;
	f.modifier[0] = mod;
	int ret = addfb(&f);
	if (ret != expect)
		fail_msg("modifier 0x%llx flags %u: %d, expected %d",
			(unsigned long long)mod, flags, ret, expect);
}

static void test_modifier_no_flag(void **state)
{
	modifier(X_TILED, 0, -EINVAL);
}

static void test_bad_modifier(void **state)
{
	modifier(DRM_FORMAT_MOD_INVALID, DRM_MODE_FB_MODIFIERS, -EINVAL);
}

static void test_bad_modifier_all_ones(void **state)
{
	modifier(~0ull, DRM_MODE_FB_MODIFIERS, -EINVAL);
}

static void test_vendor_modifier(void **state)
{
	modifier(X_TILED, DRM_MODE_FB_MODIFIERS, -EINVAL);
	modifier(DRM_FORMAT_MOD_LINEAR, DRM_MODE_FB_MODIFIERS, 0);
	/* An unknown flag. */
	modifier(DRM_FORMAT_MOD_LINEAR, 0x80, -EINVAL);
}

static void test_fb_invalid_prop(void **state)
{
	struct drm_mode_fb_cmd2 f = base_fb(1024, 1024, 4096);
	assert_int_equal(drmIoctl(dev.fd, DRM_IOCTL_MODE_ADDFB2, &f), 0);
	uint32_t prop_ids[1];
	uint64_t values[1];
	for (int any = 0; any < 2; any++) {
		uint32_t type = any ? DRM_MODE_OBJECT_ANY : DRM_MODE_OBJECT_FB;
		struct drm_mode_obj_get_properties get = {
			.props_ptr = (uintptr_t)prop_ids,
			.prop_values_ptr = (uintptr_t)values,
			.count_props = 1, .obj_id = f.fb_id, .obj_type = type,
		};
		assert_int_equal(drmIoctl(dev.fd, DRM_IOCTL_MODE_OBJ_GETPROPERTIES, &get), -1);
		assert_int_equal(errno, EINVAL);
		struct drm_mode_obj_set_property set = {
			.prop_id = 1, .obj_id = f.fb_id, .obj_type = type,
		};
		assert_int_equal(drmIoctl(dev.fd, DRM_IOCTL_MODE_OBJ_SETPROPERTY, &set), -1);
		assert_int_equal(errno, EINVAL);
	}
	drmModeRmFB(dev.fd, f.fb_id);
}

/* An fb belongs to the client that made it, even for a new master. */
static void test_master_rmfb(void **state)
{
	struct drm_mode_fb_cmd2 f = base_fb(1024, 1024, 4096);
	assert_int_equal(drmIoctl(dev.fd, DRM_IOCTL_MODE_ADDFB2, &f), 0);
	assert_int_equal(drmDropMaster(dev.fd), 0);
	int fd2 = kms_open_driver(dev.driver);
	int set = drmSetMaster(fd2);
	int ret = drmModeRmFB(fd2, f.fb_id);
	drmDropMaster(fd2);
	close(fd2);
	assert_int_equal(drmSetMaster(dev.fd), 0);
	assert_int_equal(set, 0);
	assert_int_equal(ret, -ENOENT);
	assert_int_equal(drmModeRmFB(dev.fd, f.fb_id), 0);
}

/* ---- kms_getfb ---- */

static uint32_t make_fb_id(void)
{
	struct drm_mode_fb_cmd2 f = base_fb(1024, 1024, 4096);
	f.flags = DRM_MODE_FB_MODIFIERS;
	assert_int_equal(drmIoctl(dev.fd, DRM_IOCTL_MODE_ADDFB2, &f), 0);
	return f.fb_id;
}

static int getfb(int fd, uint32_t id, struct drm_mode_fb_cmd *out)
{
	memset(out, 0, sizeof(*out));
	out->fb_id = id;
	return drmIoctl(fd, DRM_IOCTL_MODE_GETFB, out) ? -errno : 0;
}

static int getfb2(int fd, uint32_t id, struct drm_mode_fb_cmd2 *out)
{
	memset(out, 0, sizeof(*out));
	out->fb_id = id;
	return drmIoctl(fd, DRM_IOCTL_MODE_GETFB2, out) ? -errno : 0;
}

static void close_handle(uint32_t h)
{
	struct drm_gem_close c = { .handle = h };
	drmIoctl(dev.fd, DRM_IOCTL_GEM_CLOSE, &c);
}

static void test_getfb_negative(void **state)
{
	struct drm_mode_fb_cmd g;
	struct drm_mode_fb_cmd2 g2;
	assert_errno(getfb(dev.fd, 0, &g), ENOENT);
	assert_errno(getfb2(dev.fd, 0, &g2), ENOENT);
	/* Ids of other objects. */
	assert_errno(getfb(dev.fd, pipe0.crtc_id, &g), ENOENT);
	assert_errno(getfb2(dev.fd, pipe0.crtc_id, &g2), ENOENT);
	/* A removed fb. */
	uint32_t id = make_fb_id();
	assert_int_equal(drmModeRmFB(dev.fd, id), 0);
	assert_errno(getfb(dev.fd, id, &g), ENOENT);
	assert_errno(getfb2(dev.fd, id, &g2), ENOENT);
}

static void test_getfb_valid(void **state)
{
	uint32_t id = make_fb_id();
	struct drm_mode_fb_cmd g, g_again;
	assert_int_equal(getfb(dev.fd, id, &g), 0);
	assert_int_equal(g.width, 1024);
	assert_int_equal(g.height, 1024);
	assert_int_equal(g.pitch, 4096);
	assert_int_equal(g.bpp, 32);
	assert_int_equal(g.depth, 24);
	assert_true(g.handle != 0);
	/* getfb-addfb-different-handles, getfb-repeated-different-handles */
	assert_int_not_equal(g.handle, bo_big);
	assert_int_equal(getfb(dev.fd, id, &g_again), 0);
	assert_int_not_equal(g.handle, g_again.handle);
	close_handle(g.handle);
	close_handle(g_again.handle);
	struct drm_mode_fb_cmd2 g2;
	assert_int_equal(getfb2(dev.fd, id, &g2), 0);
	assert_int_equal(g2.pixel_format, DRM_FORMAT_XRGB8888);
	assert_int_equal(g2.pitches[0], 4096);
	assert_true(g2.flags & DRM_MODE_FB_MODIFIERS);
	assert_int_equal(g2.modifier[0], DRM_FORMAT_MOD_LINEAR);
	assert_true(g2.handles[0] != 0);
	assert_int_equal(g2.handles[1], 0);
	/* getfb2-into-addfb2 */
	struct drm_mode_fb_cmd2 f = g2;
	f.fb_id = 0;
	assert_int_equal(drmIoctl(dev.fd, DRM_IOCTL_MODE_ADDFB2, &f), 0);
	assert_int_not_equal(f.fb_id, id);
	drmModeRmFB(dev.fd, f.fb_id);
	close_handle(g2.handles[0]);
	drmModeRmFB(dev.fd, id);
}

/* A client that is neither master nor CAP_SYS_ADMIN gets no handle. */
static void test_getfb_handle_protection(void **state)
{
	uint32_t id = make_fb_id();
	pid_t pid = fork();
	if (pid == 0) {
		int fd2 = kms_open_driver(dev.driver);
		if (fd2 < 0 || setgid(65534) || setuid(65534))
			_exit(10);
		struct drm_mode_fb_cmd g;
		struct drm_mode_fb_cmd2 g2;
		if (getfb(fd2, id, &g) || g.handle != 0 || g.width != 1024)
			_exit(11);
		if (getfb2(fd2, id, &g2) || g2.handles[0] != 0 || g2.width != 1024)
			_exit(12);
		_exit(0);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	drmModeRmFB(dev.fd, id);
}

static const struct CMUnitTest tests[] = {
	FB_SUBTEST("kms_addfb_basic/unused-handle-pitches-offsets-modifier", test_unused),
	FB_SUBTEST("kms_addfb_basic/no-handle", test_no_handle),
	FB_SUBTEST("kms_addfb_basic/basic", test_basic),
	FB_SUBTEST("kms_addfb_basic/bad-pitch", test_bad_pitch),
	FB_SUBTEST("kms_addfb_basic/size-max-too-wide-too-high-bo-too-small", test_sizes),
	FB_SUBTEST("kms_addfb_basic/bad-format", test_bad_format),
	FB_SUBTEST("kms_addfb_basic/yuyv-odd-width", test_yuyv_odd_width),
	FB_SUBTEST("kms_addfb_basic/legacy-format", test_legacy_format),
	FB_SUBTEST("kms_addfb_basic/addfb25-modifier-no-flag", test_modifier_no_flag),
	FB_SUBTEST("kms_addfb_basic/addfb25-bad-modifier", test_bad_modifier),
	FB_SUBTEST("kms_addfb_basic/addfb25-bad-modifier-all-ones", test_bad_modifier_all_ones),
	FB_SUBTEST("kms_addfb_basic/addfb25-vendor-modifier", test_vendor_modifier),
	FB_SUBTEST("kms_addfb_basic/invalid-get-set-prop", test_fb_invalid_prop),
	FB_SUBTEST("kms_addfb_basic/master-rmfb", test_master_rmfb),
	FB_SUBTEST("kms_getfb/getfb-handle-zero-closed-not-fb", test_getfb_negative),
	FB_SUBTEST("kms_getfb/getfb-handle-valid", test_getfb_valid),
	FB_SUBTEST("kms_getfb/getfb-handle-protection", test_getfb_handle_protection),
};

KMS_SUITE_MAIN("kms_addfb_basic", tests)
