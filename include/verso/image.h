/* SPDX-License-Identifier: MIT */
/*
 * A CPU-side 32-bit image, as read back from writeback or a PNG. Pixels are
 * native-endian 0xAARRGGBB words (DRM's ARGB8888/XRGB8888 layout).
 */
#ifndef VERSO_IMAGE_H
#define VERSO_IMAGE_H

#include <stddef.h>
#include <stdint.h>

struct verso_image {
	uint32_t width;
	uint32_t height;
	uint32_t stride; /* bytes between rows, >= width * 4 */
	uint32_t *data;
};

/* Returns the pixel at (x, y); the caller keeps x, y in range. */
static inline uint32_t verso_image_pixel(const struct verso_image *img,
		uint32_t x, uint32_t y)
{
	const uint8_t *row = (const uint8_t *)img->data + (size_t)y * img->stride;
	return ((const uint32_t *)row)[x];
}

/* Allocates a zeroed, tightly packed image. Returns 0 or -errno. */
int verso_image_init(struct verso_image *img, uint32_t width, uint32_t height);

/* Frees the pixels; safe on a zeroed or already finished image. */
void verso_image_finish(struct verso_image *img);

/*
 * Counts pixels that differ between a and b, comparing only the colour
 * channels (the X/alpha byte is ignored) over the first `rows` rows (all rows
 * if rows is 0). Returns -EINVAL when the sizes differ. When first is not
 * NULL, it gets the index y * width + x of the first mismatch.
 */
long verso_image_diff(const struct verso_image *a, const struct verso_image *b,
		uint32_t rows, size_t *first);

#endif /* VERSO_IMAGE_H */
