// SPDX-License-Identifier: MIT
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "verso/image.h"
#include "verso/pattern.h"

static void test_init_rejects_empty(void **state)
{
	struct verso_image img;
	assert_int_equal(verso_image_init(&img, 0, 10), -EINVAL);
	assert_null(img.data);
	assert_int_equal(verso_image_init(&img, 10, 0), -EINVAL);
	/* Finishing a failed or zeroed image is harmless. */
	verso_image_finish(&img);
	verso_image_finish(&img);
}

static void test_diff(void **state)
{
	struct verso_image a, b, c;
	assert_int_equal(verso_image_init(&a, 4, 3), 0);
	assert_int_equal(verso_image_init(&b, 4, 3), 0);
	assert_int_equal(verso_image_init(&c, 3, 4), 0);

	size_t first = 99;
	assert_int_equal(verso_image_diff(&a, &b, 0, &first), 0);
	assert_int_equal(first, 99);

	/* Only the colour channels count. */
	b.data[1] = 0xff000000u;
	assert_int_equal(verso_image_diff(&a, &b, 0, NULL), 0);

	b.data[6] = 0x00000001u;
	b.data[9] = 0x00010000u;
	assert_int_equal(verso_image_diff(&a, &b, 0, &first), 2);
	assert_int_equal(first, 6);
	/* Rows limit: row 2 (index 9) is left out, so is all but row 0. */
	assert_int_equal(verso_image_diff(&a, &b, 2, NULL), 1);
	assert_int_equal(verso_image_diff(&a, &b, 1, NULL), 0);

	assert_int_equal(verso_image_diff(&a, &c, 0, NULL), -EINVAL);

	verso_image_finish(&a);
	verso_image_finish(&b);
	verso_image_finish(&c);
}

static void test_quadrants_odd_size(void **state)
{
	/* 5x3: left is x < 2, top is y < 1. */
	assert_int_equal(verso_pattern_quadrant(0, 0, 5, 3), VERSO_QUAD_TOP_LEFT);
	assert_int_equal(verso_pattern_quadrant(1, 0, 5, 3), VERSO_QUAD_TOP_LEFT);
	assert_int_equal(verso_pattern_quadrant(2, 0, 5, 3), VERSO_QUAD_TOP_RIGHT);
	assert_int_equal(verso_pattern_quadrant(4, 0, 5, 3), VERSO_QUAD_TOP_RIGHT);
	assert_int_equal(verso_pattern_quadrant(0, 1, 5, 3),
		VERSO_QUAD_BOTTOM_LEFT);
	assert_int_equal(verso_pattern_quadrant(4, 2, 5, 3),
		VERSO_QUAD_BOTTOM_RIGHT);
}

static void test_fill_quadrants_with_stride(void **state)
{
	uint32_t buf[4 * 6];
	for (size_t i = 0; i < 24; i++)
		buf[i] = 0xdeadbeef;
	/* 4x4 image in a 6-pixel stride: columns 4 and 5 stay untouched. */
	struct verso_image img = { .width = 4, .height = 4, .stride = 24,
		.data = buf };
	verso_pattern_fill_quadrants(&img);
	assert_int_equal(buf[0], VERSO_QUAD_TOP_LEFT);
	assert_int_equal(buf[3], VERSO_QUAD_TOP_RIGHT);
	assert_int_equal(buf[4], 0xdeadbeef);
	assert_int_equal(buf[5], 0xdeadbeef);
	assert_int_equal(verso_image_pixel(&img, 1, 2), VERSO_QUAD_BOTTOM_LEFT);
	assert_int_equal(verso_image_pixel(&img, 3, 3), VERSO_QUAD_BOTTOM_RIGHT);

	verso_pattern_fill_solid(&img, 0xff102030);
	assert_int_equal(verso_image_pixel(&img, 3, 3), 0xff102030);
	assert_int_equal(buf[5], 0xdeadbeef);
}

/* Corners as tests/headless/rotation.sh sees them on the raster. */
static void test_quadrants_rotated(void **state)
{
	static const struct {
		int degrees;
		uint32_t tl, tr, bl, br;
	} want[] = {
		{ 0, VERSO_QUAD_TOP_LEFT, VERSO_QUAD_TOP_RIGHT,
		  VERSO_QUAD_BOTTOM_LEFT, VERSO_QUAD_BOTTOM_RIGHT },
		{ 90, VERSO_QUAD_TOP_RIGHT, VERSO_QUAD_BOTTOM_RIGHT,
		  VERSO_QUAD_TOP_LEFT, VERSO_QUAD_BOTTOM_LEFT },
		{ 180, VERSO_QUAD_BOTTOM_RIGHT, VERSO_QUAD_BOTTOM_LEFT,
		  VERSO_QUAD_TOP_RIGHT, VERSO_QUAD_TOP_LEFT },
		{ 270, VERSO_QUAD_BOTTOM_LEFT, VERSO_QUAD_TOP_LEFT,
		  VERSO_QUAD_BOTTOM_RIGHT, VERSO_QUAD_TOP_RIGHT },
	};
	struct verso_image img;

	assert_int_equal(verso_image_init(&img, 6, 4), 0);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		assert_int_equal(verso_pattern_fill_quadrants_rotated(&img,
				want[i].degrees), 0);
		assert_int_equal(verso_image_pixel(&img, 0, 0), want[i].tl);
		assert_int_equal(verso_image_pixel(&img, 5, 0), want[i].tr);
		assert_int_equal(verso_image_pixel(&img, 0, 3), want[i].bl);
		assert_int_equal(verso_image_pixel(&img, 5, 3), want[i].br);
	}
	/* At 90 the client is 4x6: its left half is x < 2, top half y < 3. */
	verso_pattern_fill_quadrants_rotated(&img, 90);
	assert_int_equal(verso_image_pixel(&img, 2, 1), VERSO_QUAD_TOP_RIGHT);
	assert_int_equal(verso_image_pixel(&img, 3, 1), VERSO_QUAD_BOTTOM_RIGHT);
	assert_int_equal(verso_image_pixel(&img, 2, 2), VERSO_QUAD_TOP_LEFT);
	assert_int_equal(verso_image_pixel(&img, 3, 2), VERSO_QUAD_BOTTOM_LEFT);

	assert_int_equal(verso_pattern_fill_quadrants_rotated(&img, 45),
		-EINVAL);
	verso_image_finish(&img);
}

static void test_quadrant_colours_distinct(void **state)
{
	const uint32_t c[] = { VERSO_QUAD_TOP_LEFT, VERSO_QUAD_TOP_RIGHT,
		VERSO_QUAD_BOTTOM_LEFT, VERSO_QUAD_BOTTOM_RIGHT };
	for (int i = 0; i < 4; i++) {
		for (int j = i + 1; j < 4; j++) {
			assert_int_not_equal(c[i] & 0xffffff, c[j] & 0xffffff);
			/* A red/blue swap must not map one onto another. */
			uint32_t swapped = (c[i] & 0xff00) | (c[i] >> 16 & 0xff) |
				(c[i] & 0xff) << 16;
			assert_int_not_equal(swapped, c[j] & 0xffffff);
		}
	}
}

static void test_parse_colour(void **state)
{
	uint32_t c = 0;
	assert_int_equal(verso_parse_colour("ff8000", &c), 0);
	assert_int_equal(c, 0xffff8000u);
	assert_int_equal(verso_parse_colour("#00A0fF", &c), 0);
	assert_int_equal(c, 0xff00a0ffu);

	c = 42;
	assert_int_equal(verso_parse_colour("fff", &c), -EINVAL);
	assert_int_equal(verso_parse_colour("ff80000", &c), -EINVAL);
	assert_int_equal(verso_parse_colour("gg0000", &c), -EINVAL);
	assert_int_equal(verso_parse_colour(" 12345", &c), -EINVAL);
	assert_int_equal(verso_parse_colour("", &c), -EINVAL);
	assert_int_equal(verso_parse_colour(NULL, &c), -EINVAL);
	assert_int_equal(c, 42);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_rejects_empty),
		cmocka_unit_test(test_diff),
		cmocka_unit_test(test_quadrants_odd_size),
		cmocka_unit_test(test_fill_quadrants_with_stride),
		cmocka_unit_test(test_quadrants_rotated),
		cmocka_unit_test(test_quadrant_colours_distinct),
		cmocka_unit_test(test_parse_colour),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
