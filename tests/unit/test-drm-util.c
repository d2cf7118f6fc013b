// SPDX-License-Identifier: MIT
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "verso/capture.h"
#include "verso/drm-util.h"

static void test_connector_name(void **state)
{
	char buf[32];
	assert_int_equal(verso_connector_name(DRM_MODE_CONNECTOR_DSI, 2, buf,
		sizeof(buf)), 5);
	assert_string_equal(buf, "DSI-2");
	verso_connector_name(DRM_MODE_CONNECTOR_VIRTUAL, 1, buf, sizeof(buf));
	assert_string_equal(buf, "Virtual-1");
	verso_connector_name(DRM_MODE_CONNECTOR_WRITEBACK, 3, buf, sizeof(buf));
	assert_string_equal(buf, "Writeback-3");
	verso_connector_name(DRM_MODE_CONNECTOR_HDMIA, 1, buf, sizeof(buf));
	assert_string_equal(buf, "HDMI-A-1");
}

static void test_connector_name_errors(void **state)
{
	char buf[4] = "xyz";
	assert_int_equal(verso_connector_name(0xdead, 1, buf, sizeof(buf)),
		-EINVAL);
	/* Truncation is reported like snprintf and stays terminated. */
	assert_int_equal(verso_connector_name(DRM_MODE_CONNECTOR_DSI, 12, buf,
		sizeof(buf)), 6);
	assert_string_equal(buf, "DSI");
}

static void test_crtc_index(void **state)
{
	uint32_t crtcs[] = { 40, 41, 57 };
	drmModeRes res = { .count_crtcs = 3, .crtcs = crtcs };
	assert_int_equal(verso_crtc_index(&res, 40), 0);
	assert_int_equal(verso_crtc_index(&res, 57), 2);
	assert_int_equal(verso_crtc_index(&res, 42), -ENOENT);
	res.count_crtcs = 0;
	assert_int_equal(verso_crtc_index(&res, 40), -ENOENT);
}

static void test_bad_fd(void **state)
{
	/* No DRM device: helpers fail cleanly instead of crashing. */
	errno = 0;
	assert_null(verso_find_connector(-1, "DSI-2"));
	assert_int_not_equal(errno, 0);
	assert_int_equal(verso_prop_find(-1, 1, DRM_MODE_OBJECT_CONNECTOR,
		"CRTC_ID", NULL), 0);

	struct verso_image img;
	char err[256] = "";
	assert_true(verso_wb_capture_image(-1, 1, &img, err, sizeof(err)) < 0);
	assert_null(img.data);
	assert_true(strlen(err) > 0);
	err[0] = '\0';
	assert_true(verso_wb_capture(-1, 1, "/tmp/never.png", err,
		sizeof(err)) < 0);
	assert_true(strlen(err) > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_connector_name),
		cmocka_unit_test(test_connector_name_errors),
		cmocka_unit_test(test_crtc_index),
		cmocka_unit_test(test_bad_fd),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
