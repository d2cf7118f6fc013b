/* SPDX-License-Identifier: MIT */
/* PNG files to and from 32-bit DRM-layout pixels, with libpng. */
#ifndef VERSO_PNG_H
#define VERSO_PNG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "verso/image.h"

/*
 * Writes width x height pixels (native-endian 0xAARRGGBB words, `stride`
 * bytes per row) to path. With alpha false the X byte is dropped and an RGB
 * PNG is written (XRGB8888); with alpha true an RGBA PNG (ARGB8888,
 * non-premultiplied as PNG requires: pass straight alpha).
 * Returns 0, or -errno with a message in err.
 */
int verso_png_write(const char *path, const void *pixels, uint32_t width,
		uint32_t height, uint32_t stride, bool alpha, char *err,
		size_t errlen);

/* Writes an image as an RGB PNG (the alpha byte is dropped). */
int verso_png_write_image(const char *path, const struct verso_image *img,
		char *err, size_t errlen);

/*
 * Reads any 8-bit or 16-bit grey, RGB or palette PNG, with or without alpha,
 * into img (tightly packed; opaque images get alpha 0xff). Free it with
 * verso_image_finish(). Returns 0, or -errno with a message in err.
 */
int verso_png_read(const char *path, struct verso_image *img, char *err,
		size_t errlen);

#endif /* VERSO_PNG_H */
