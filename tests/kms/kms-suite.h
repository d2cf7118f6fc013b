/* SPDX-License-Identifier: MIT */
/*
 * Glue shared by the conformance programs (kms-atomic, kms-flip, ...): one
 * device and one pipe per program, a reset before every subtest, and names of
 * the form "igt_test/subtest" so results line up with IGT and across drivers.
 *
 * Environment: KMS_DRIVER (verso or vkms), KMS_CONNECTOR (the pipe under test,
 * default DSI-2 on verso, Virtual-1 elsewhere), KMS_FILTER (a cmocka name
 * filter, e.g. "kms_atomic/test-*").
 */
#ifndef VERSO_TESTS_KMS_SUITE_H
#define VERSO_TESTS_KMS_SUITE_H

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include <drm_fourcc.h>
#include "kms-util.h"

static inline void sleep_us(uint64_t us)
{
	struct timespec ts = { .tv_sec = us / 1000000, .tv_nsec = (us % 1000000) * 1000 };
	nanosleep(&ts, NULL);
}

static struct kms_dev dev;
static struct kms_pipe pipe0;

static int suite_setup(void **state)
{
	if (kms_dev_open(&dev))
		return -1;
	if (kms_pipe_find(dev.fd, kms_dev_connector(&dev), &pipe0)) {
		fprintf(stderr, "no pipe for connector %s\n", kms_dev_connector(&dev));
		return -1;
	}
	printf("# driver %s, pipe %s: crtc %u (index %u) %ux%u@%u, planes %u/%u/%u\n",
		dev.driver, pipe0.name, pipe0.crtc_id, pipe0.crtc_index,
		pipe0.mode.hdisplay, pipe0.mode.vdisplay, pipe0.mode.vrefresh,
		pipe0.primary, pipe0.overlay, pipe0.cursor);
	return 0;
}

static int suite_teardown(void **state)
{
	kms_reset(dev.fd);
	close(dev.fd);
	return 0;
}

/* Every subtest starts from all pipes off. */
static int test_reset(void **state)
{
	int ret = kms_reset(dev.fd);
	if (ret)
		fprintf(stderr, "reset failed: %s\n", strerror(-ret));
	return ret ? -1 : 0;
}

#define KMS_SUBTEST(name, fn) { name, fn, test_reset, NULL, NULL }

static inline int kms_suite_main(const char *group,
	const struct CMUnitTest *tests, size_t count)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (getenv("KMS_FILTER"))
		cmocka_set_test_filter(getenv("KMS_FILTER"));
	return _cmocka_run_group_tests(group, tests, count, suite_setup,
		suite_teardown);
}

#define KMS_SUITE_MAIN(group, tests) \
	int main(void) \
	{ \
		return kms_suite_main(group, tests, sizeof(tests) / sizeof(tests[0])); \
	}

/* Asserts that a call returning 0/-errno failed with exactly @err. */
#define assert_errno(call, err) do { \
	int ret_ = (call); \
	if (ret_ != -(err)) \
		fail_msg("%s: got %d (%s), expected -%s", #call, ret_, \
			ret_ ? strerror(-ret_) : "success", #err); \
} while (0)

/* A full-screen XRGB8888 fb of the pipe's mode, filled with @colour. */
static inline void make_fb(uint32_t w, uint32_t h, uint32_t format,
	uint32_t colour, struct kms_fb *fb)
{
	int ret = kms_fb_create(dev.fd, w, h, format, fb);
	if (ret)
		fail_msg("fb %ux%u %.4s: %s", w, h, (const char *)&format, strerror(-ret));
	kms_fb_fill(fb, 0, 0, w, h, colour);
}

/* Lights the main pipe with a solid fb; the caller destroys @fb. */
static inline void light_pipe(uint32_t colour, struct kms_fb *fb)
{
	make_fb(pipe0.mode.hdisplay, pipe0.mode.vdisplay, DRM_FORMAT_XRGB8888,
		colour, fb);
	int ret = kms_pipe_enable(dev.fd, &pipe0, NULL, fb->fb_id);
	if (ret)
		fail_msg("modeset on %s: %s", pipe0.name, strerror(-ret));
}

static inline uint32_t crc_now(void)
{
	uint32_t v = 0;
	int ret = kms_crc_now(&dev, pipe0.crtc_index, &v);
	if (ret)
		fail_msg("CRC on crtc-%u: %s", pipe0.crtc_index, strerror(-ret));
	return v;
}

/* The CRC of the main pipe showing one solid XRGB8888 colour. */
static inline uint32_t crc_of_solid(uint32_t colour)
{
	struct kms_fb fb;
	light_pipe(colour, &fb);
	uint32_t v = crc_now();
	kms_fb_destroy(dev.fd, &fb);
	return v;
}

static inline bool plane_has_format(uint32_t plane_id, uint32_t format)
{
	drmModePlane *plane = drmModeGetPlane(dev.fd, plane_id);
	bool found = false;
	for (uint32_t i = 0; plane && i < plane->count_formats; i++)
		found |= plane->formats[i] == format;
	drmModeFreePlane(plane);
	return found;
}

#endif
