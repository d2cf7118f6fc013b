// SPDX-License-Identifier: MIT
/*
 * The buffer layout versod's scanout fast path keys on
 * (compositor/scanout.c): a buffer is committed without a separate test
 * only when everything a plane checks matches a layout that passed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <drm_fourcc.h>
#include <wlr/render/dmabuf.h>
#include <wlr/types/wlr_buffer.h>
#include "scanout.h"

struct fake_buffer {
	struct wlr_buffer base;
	struct wlr_dmabuf_attributes dmabuf;
	bool has_dmabuf;
};

static bool fake_get_dmabuf(struct wlr_buffer *buffer,
		struct wlr_dmabuf_attributes *attribs) {
	struct fake_buffer *fake = (struct fake_buffer *)buffer;
	*attribs = fake->dmabuf;
	return fake->has_dmabuf;
}

static void fake_destroy(struct wlr_buffer *buffer) {
}

static const struct wlr_buffer_impl fake_impl = {
	.destroy = fake_destroy,
	.get_dmabuf = fake_get_dmabuf,
};

static void fake_init(struct fake_buffer *fake, int w, int h, uint32_t format,
		uint64_t modifier, uint32_t stride) {
	*fake = (struct fake_buffer){
		.has_dmabuf = true,
		.dmabuf = {
			.width = w, .height = h, .format = format,
			.modifier = modifier, .n_planes = 1,
			.stride = { stride }, .fd = { -1 },
		},
	};
	wlr_buffer_init(&fake->base, &fake_impl, w, h);
}

static struct verso_scanout_layout layout(struct fake_buffer *fake) {
	struct verso_scanout_layout l;
	scanout_layout_of(&fake->base, &l);
	return l;
}

static void same_layout_matches(void **state) {
	struct fake_buffer a, b;
	fake_init(&a, 976, 596, DRM_FORMAT_XRGB8888, DRM_FORMAT_MOD_LINEAR, 3904);
	fake_init(&b, 976, 596, DRM_FORMAT_XRGB8888, DRM_FORMAT_MOD_LINEAR, 3904);
	struct verso_scanout_layout la = layout(&a), lb = layout(&b);
	assert_true(la.dmabuf);
	assert_true(scanout_layout_equal(&la, &lb));
}

static void never_tested_never_matches(void **state) {
	/* A new output starts zeroed: its first scanout must be tested. */
	struct verso_scanout_layout none = { 0 };
	struct fake_buffer a;
	fake_init(&a, 0, 0, 0, 0, 0);
	struct verso_scanout_layout la = layout(&a);
	assert_false(scanout_layout_equal(&la, &none));
	assert_false(scanout_layout_equal(&none, &none));
}

static void each_plane_property_counts(void **state) {
	struct fake_buffer base, other;
	fake_init(&base, 976, 596, DRM_FORMAT_XRGB8888, DRM_FORMAT_MOD_LINEAR, 3904);
	struct verso_scanout_layout lbase = layout(&base);

	fake_init(&other, 976, 596, DRM_FORMAT_ARGB8888, DRM_FORMAT_MOD_LINEAR, 3904);
	struct verso_scanout_layout l = layout(&other);
	assert_false(scanout_layout_equal(&lbase, &l));

	fake_init(&other, 976, 596, DRM_FORMAT_XRGB8888, DRM_FORMAT_MOD_INVALID, 3904);
	l = layout(&other);
	assert_false(scanout_layout_equal(&lbase, &l));

	fake_init(&other, 976, 596, DRM_FORMAT_XRGB8888, DRM_FORMAT_MOD_LINEAR, 4096);
	l = layout(&other);
	assert_false(scanout_layout_equal(&lbase, &l));

	fake_init(&other, 596, 976, DRM_FORMAT_XRGB8888, DRM_FORMAT_MOD_LINEAR, 3904);
	l = layout(&other);
	assert_false(scanout_layout_equal(&lbase, &l));

	fake_init(&other, 976, 596, DRM_FORMAT_XRGB8888, DRM_FORMAT_MOD_LINEAR, 3904);
	other.dmabuf.offset[0] = 4096;
	l = layout(&other);
	assert_false(scanout_layout_equal(&lbase, &l));
}

static void shm_and_dmabuf_differ(void **state) {
	struct fake_buffer dmabuf, shm;
	fake_init(&dmabuf, 976, 596, DRM_FORMAT_XRGB8888, DRM_FORMAT_MOD_LINEAR, 3904);
	fake_init(&shm, 976, 596, DRM_FORMAT_XRGB8888, DRM_FORMAT_MOD_LINEAR, 3904);
	shm.has_dmabuf = false;
	struct verso_scanout_layout ld = layout(&dmabuf), ls = layout(&shm);
	assert_false(ls.dmabuf);
	assert_false(scanout_layout_equal(&ld, &ls));
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(same_layout_matches),
		cmocka_unit_test(never_tested_never_matches),
		cmocka_unit_test(each_plane_property_counts),
		cmocka_unit_test(shm_and_dmabuf_differ),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
