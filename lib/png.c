// SPDX-License-Identifier: MIT
/*
 * libpng reports errors by longjmp()ing out of png_error(); every object
 * touched on both sides of the setjmp() is volatile or set up before it.
 */
#include <errno.h>
#include <fcntl.h>
#include <png.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "verso/png.h"

struct png_err {
	char *buf;
	size_t len;
};

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	if (!err || errlen == 0)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static void on_png_error(png_structp png, png_const_charp msg)
{
	struct png_err *e = png_get_error_ptr(png);
	set_err(e->buf, e->len, "libpng: %s", msg);
	png_longjmp(png, 1);
}

static void on_png_warning(png_structp png, png_const_charp msg)
{
	/* Warnings (e.g. unknown chunks) do not make a file unusable. */
}

int verso_png_write(const char *path, const void *pixels, uint32_t width,
		uint32_t height, uint32_t stride, bool alpha, char *err,
		size_t errlen)
{
	if (!path || !pixels || width == 0 || height == 0 ||
			width > PNG_UINT_31_MAX / 4 || stride < width * 4) {
		set_err(err, errlen, "invalid image for %s (%ux%u, stride %u)",
			path ? path : "(null)", width, height, stride);
		return -EINVAL;
	}

	int channels = alpha ? 4 : 3;
	png_bytep row = malloc((size_t)width * channels);
	if (!row) {
		set_err(err, errlen, "out of memory");
		return -ENOMEM;
	}

	/*
	 * The caller may be a compositor's event loop: a FIFO must fail at
	 * once (ENXIO without a reader) rather than block the open, and
	 * only a regular file is written.
	 */
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NONBLOCK |
		O_CLOEXEC, 0644);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0) {
		int ret = -errno;
		set_err(err, errlen, "cannot create %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		free(row);
		return ret;
	}
	if (!S_ISREG(st.st_mode)) {
		set_err(err, errlen, "cannot write %s: not a regular file", path);
		close(fd);
		free(row);
		return -EINVAL;
	}
	FILE *f = NULL;
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) < 0 ||
			!(f = fdopen(fd, "wb"))) {
		int ret = -errno;
		set_err(err, errlen, "cannot write %s: %s", path, strerror(errno));
		close(fd);
		free(row);
		return ret;
	}

	struct png_err e = { .buf = err, .len = errlen };
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &e,
		on_png_error, on_png_warning);
	png_infop info = png ? png_create_info_struct(png) : NULL;
	if (!info) {
		set_err(err, errlen, "out of memory");
		png_destroy_write_struct(&png, NULL);
		fclose(f);
		free(row);
		return -ENOMEM;
	}

	if (setjmp(png_jmpbuf(png))) {
		png_destroy_write_struct(&png, &info);
		fclose(f);
		remove(path);
		free(row);
		return -EIO;
	}

	png_init_io(png, f);
	png_set_IHDR(png, info, width, height, 8,
		alpha ? PNG_COLOR_TYPE_RGB_ALPHA : PNG_COLOR_TYPE_RGB,
		PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
		PNG_FILTER_TYPE_DEFAULT);
	/* Screenshots are mostly flat colour: fast compression is enough. */
	png_set_compression_level(png, 3);
	png_write_info(png, info);

	for (uint32_t y = 0; y < height; y++) {
		const uint32_t *src = (const uint32_t *)
			((const uint8_t *)pixels + (size_t)y * stride);
		png_bytep dst = row;
		for (uint32_t x = 0; x < width; x++) {
			uint32_t p = src[x];
			*dst++ = (p >> 16) & 0xff;
			*dst++ = (p >> 8) & 0xff;
			*dst++ = p & 0xff;
			if (alpha)
				*dst++ = p >> 24;
		}
		png_write_row(png, row);
	}
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	free(row);

	if (fclose(f) != 0) {
		int ret = -errno;
		set_err(err, errlen, "cannot write %s: %s", path, strerror(errno));
		remove(path);
		return ret;
	}
	return 0;
}

int verso_png_write_image(const char *path, const struct verso_image *img,
		char *err, size_t errlen)
{
	return verso_png_write(path, img->data, img->width, img->height,
		img->stride, false, err, errlen);
}

int verso_png_read(const char *path, struct verso_image *img, char *err,
		size_t errlen)
{
	*img = (struct verso_image){0};
	if (!path) {
		set_err(err, errlen, "no PNG path");
		return -EINVAL;
	}

	FILE *f = fopen(path, "rb");
	if (!f) {
		int ret = -errno;
		set_err(err, errlen, "cannot open %s: %s", path, strerror(errno));
		return ret;
	}

	png_byte sig[8];
	if (fread(sig, 1, sizeof(sig), f) != sizeof(sig) ||
			png_sig_cmp(sig, 0, sizeof(sig)) != 0) {
		set_err(err, errlen, "%s is not a PNG file", path);
		fclose(f);
		return -EINVAL;
	}

	struct png_err e = { .buf = err, .len = errlen };
	png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &e,
		on_png_error, on_png_warning);
	png_infop info = png ? png_create_info_struct(png) : NULL;
	if (!info) {
		set_err(err, errlen, "out of memory");
		png_destroy_read_struct(&png, NULL, NULL);
		fclose(f);
		return -ENOMEM;
	}

	/* Allocated after setjmp(); volatile so the error path sees it. */
	uint8_t *volatile rgba = NULL;
	png_bytep *volatile rows = NULL;
	if (setjmp(png_jmpbuf(png))) {
		png_destroy_read_struct(&png, &info, NULL);
		fclose(f);
		free(rows);
		free(rgba);
		return -EINVAL;
	}

	png_init_io(png, f);
	png_set_sig_bytes(png, sizeof(sig));
	/* Refuse sizes no display here has before allocating: 16k x 16k
	 * is 1 GiB of RGBA already. */
	png_set_user_limits(png, 16384, 16384);
	png_read_info(png, info);

	/* Normalise every colour type and depth to 8-bit RGBA. */
	png_set_expand(png);
	png_set_strip_16(png);
	png_set_gray_to_rgb(png);
	png_set_add_alpha(png, 0xff, PNG_FILLER_AFTER);
	png_set_interlace_handling(png);
	png_read_update_info(png, info);

	uint32_t width = png_get_image_width(png, info);
	uint32_t height = png_get_image_height(png, info);
	if (png_get_rowbytes(png, info) != (size_t)width * 4)
		png_error(png, "unexpected row size after conversion");

	rgba = malloc((size_t)width * height * 4);
	rows = malloc(height * sizeof(*rows));
	if (!rgba || !rows)
		png_error(png, "out of memory");
	for (uint32_t y = 0; y < height; y++)
		rows[y] = rgba + (size_t)y * width * 4;
	png_read_image(png, rows);
	png_read_end(png, NULL);
	png_destroy_read_struct(&png, &info, NULL);
	fclose(f);
	free(rows);

	int ret = verso_image_init(img, width, height);
	if (ret < 0) {
		set_err(err, errlen, "out of memory");
		free(rgba);
		return ret;
	}
	const uint8_t *s = rgba;
	for (size_t i = 0; i < (size_t)width * height; i++, s += 4)
		img->data[i] = (uint32_t)s[3] << 24 | (uint32_t)s[0] << 16 |
			(uint32_t)s[1] << 8 | s[2];
	free(rgba);
	return 0;
}
