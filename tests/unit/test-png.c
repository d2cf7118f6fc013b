// SPDX-License-Identifier: MIT
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "verso/png.h"

struct fixture {
	char dir[64];
	char path[128];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/verso-test-png-XXXXXX");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	snprintf(f->path, sizeof(f->path), "%s/out.png", f->dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	unlink(f->path);
	rmdir(f->dir);
	free(f);
	return 0;
}

/* A padded-stride image whose every pixel differs, padding filled with junk. */
static uint32_t *make_pixels(uint32_t w, uint32_t h, uint32_t stride)
{
	uint8_t *buf = malloc((size_t)stride * h);
	assert_non_null(buf);
	memset(buf, 0xa5, (size_t)stride * h);
	for (uint32_t y = 0; y < h; y++) {
		uint32_t *row = (uint32_t *)(buf + (size_t)y * stride);
		for (uint32_t x = 0; x < w; x++)
			row[x] = (0x10u + x * 7 + y) << 24 | (x * 37 & 0xff) << 16 |
				(y * 53 & 0xff) << 8 | ((x ^ y) & 0xff);
	}
	return (uint32_t *)buf;
}

static void test_roundtrip_rgb_with_stride(void **state)
{
	struct fixture *f = *state;
	const uint32_t w = 37, h = 11, stride = w * 4 + 20;
	uint32_t *px = make_pixels(w, h, stride);
	char err[256] = "";

	assert_int_equal(verso_png_write(f->path, px, w, h, stride, false,
		err, sizeof(err)), 0);

	struct verso_image img;
	assert_int_equal(verso_png_read(f->path, &img, err, sizeof(err)), 0);
	assert_int_equal(img.width, w);
	assert_int_equal(img.height, h);
	assert_int_equal(img.stride, w * 4);
	for (uint32_t y = 0; y < h; y++) {
		for (uint32_t x = 0; x < w; x++) {
			uint32_t src = ((uint32_t *)((uint8_t *)px + y * stride))[x];
			/* RGB PNGs drop X and read back opaque. */
			assert_int_equal(verso_image_pixel(&img, x, y),
				0xff000000u | (src & 0xffffff));
		}
	}
	verso_image_finish(&img);
	assert_null(img.data);
	free(px);
}

static void test_roundtrip_alpha(void **state)
{
	struct fixture *f = *state;
	const uint32_t w = 16, h = 9, stride = w * 4 + 4;
	uint32_t *px = make_pixels(w, h, stride);
	char err[256] = "";

	assert_int_equal(verso_png_write(f->path, px, w, h, stride, true,
		err, sizeof(err)), 0);
	struct verso_image img;
	assert_int_equal(verso_png_read(f->path, &img, err, sizeof(err)), 0);
	for (uint32_t y = 0; y < h; y++) {
		for (uint32_t x = 0; x < w; x++) {
			uint32_t src = ((uint32_t *)((uint8_t *)px + y * stride))[x];
			assert_int_equal(verso_image_pixel(&img, x, y), src);
		}
	}
	verso_image_finish(&img);
	free(px);
}

static void test_write_image(void **state)
{
	struct fixture *f = *state;
	struct verso_image a, b;
	char err[256] = "";
	assert_int_equal(verso_image_init(&a, 5, 3), 0);
	a.data[7] = 0x00123456;
	assert_int_equal(verso_png_write_image(f->path, &a, err, sizeof(err)), 0);
	assert_int_equal(verso_png_read(f->path, &b, err, sizeof(err)), 0);
	assert_int_equal(verso_image_diff(&a, &b, 0, NULL), 0);
	assert_int_equal(b.data[7], 0xff123456u);
	assert_int_equal(b.data[6], 0xff000000u);
	verso_image_finish(&a);
	verso_image_finish(&b);
}

static void test_write_bad_path(void **state)
{
	uint32_t px[4] = {0};
	char err[256] = "";
	int ret = verso_png_write("/nonexistent-dir/x.png", px, 2, 2, 8, false,
		err, sizeof(err));
	assert_int_equal(ret, -ENOENT);
	assert_non_null(strstr(err, "/nonexistent-dir/x.png"));
}

static void test_write_bad_args(void **state)
{
	struct fixture *f = *state;
	uint32_t px[4] = {0};
	char err[256] = "";
	/* Stride shorter than a row. */
	assert_int_equal(verso_png_write(f->path, px, 2, 2, 4, false, err,
		sizeof(err)), -EINVAL);
	assert_true(strlen(err) > 0);
	assert_int_equal(verso_png_write(f->path, px, 0, 2, 8, false, err,
		sizeof(err)), -EINVAL);
	assert_int_equal(verso_png_write(f->path, NULL, 2, 2, 8, false, err,
		sizeof(err)), -EINVAL);
	assert_int_equal(verso_png_write(NULL, px, 2, 2, 8, false, err,
		sizeof(err)), -EINVAL);
	/* A NULL error buffer is allowed. */
	assert_int_equal(verso_png_write(f->path, px, 2, 2, 4, false, NULL, 0),
		-EINVAL);
	assert_int_equal(access(f->path, F_OK), -1);
}

/* Never blocks on, or writes into, something that is not a file. */
static void test_write_not_regular(void **state)
{
	struct fixture *f = *state;
	uint32_t px[4] = {0};
	char err[256] = "";
	/* A FIFO without a reader: an open for writing would block. */
	assert_int_equal(mkfifo(f->path, 0600), 0);
	assert_int_equal(verso_png_write(f->path, px, 2, 2, 8, false, err,
		sizeof(err)), -ENXIO);
	assert_non_null(strstr(err, f->path));
	/* With a reader it opens, and is still refused. */
	int rd = open(f->path, O_RDONLY | O_NONBLOCK);
	assert_true(rd >= 0);
	assert_int_equal(verso_png_write(f->path, px, 2, 2, 8, false, err,
		sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "not a regular file"));
	close(rd);
	unlink(f->path);
	assert_int_equal(verso_png_write("/dev/null", px, 2, 2, 8, false, err,
		sizeof(err)), -EINVAL);
}

static void test_read_missing(void **state)
{
	struct verso_image img;
	char err[256] = "";
	assert_int_equal(verso_png_read("/nonexistent-dir/x.png", &img, err,
		sizeof(err)), -ENOENT);
	assert_null(img.data);
	assert_non_null(strstr(err, "cannot open"));
}

static void test_read_not_png(void **state)
{
	struct fixture *f = *state;
	FILE *fp = fopen(f->path, "w");
	assert_non_null(fp);
	fputs("this is not a PNG file at all\n", fp);
	fclose(fp);

	struct verso_image img;
	char err[256] = "";
	assert_int_equal(verso_png_read(f->path, &img, err, sizeof(err)),
		-EINVAL);
	assert_null(img.data);
	assert_non_null(strstr(err, "not a PNG"));
}

static void test_read_truncated(void **state)
{
	struct fixture *f = *state;
	const uint32_t w = 64, h = 64;
	uint32_t *px = make_pixels(w, h, w * 4);
	char err[256] = "";
	assert_int_equal(verso_png_write(f->path, px, w, h, w * 4, false, err,
		sizeof(err)), 0);
	free(px);

	/* Cut the file in half: libpng fails inside the image data. */
	FILE *fp = fopen(f->path, "r+");
	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	long size = ftell(fp);
	fclose(fp);
	assert_int_equal(truncate(f->path, size / 2), 0);

	struct verso_image img;
	err[0] = '\0';
	assert_true(verso_png_read(f->path, &img, err, sizeof(err)) < 0);
	assert_null(img.data);
	assert_non_null(strstr(err, "libpng"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_roundtrip_rgb_with_stride,
			setup, teardown),
		cmocka_unit_test_setup_teardown(test_roundtrip_alpha, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_write_image, setup, teardown),
		cmocka_unit_test(test_write_bad_path),
		cmocka_unit_test_setup_teardown(test_write_bad_args, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_write_not_regular, setup,
			teardown),
		cmocka_unit_test(test_read_missing),
		cmocka_unit_test_setup_teardown(test_read_not_png, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_truncated, setup,
			teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
