// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdlib.h>

#include "verso/image.h"

int verso_image_init(struct verso_image *img, uint32_t width, uint32_t height)
{
	*img = (struct verso_image){0};
	if (width == 0 || height == 0 || width > UINT32_MAX / 4)
		return -EINVAL;
	img->data = calloc((size_t)width * height, sizeof(uint32_t));
	if (!img->data)
		return -ENOMEM;
	img->width = width;
	img->height = height;
	img->stride = width * 4;
	return 0;
}

void verso_image_finish(struct verso_image *img)
{
	free(img->data);
	*img = (struct verso_image){0};
}

long verso_image_diff(const struct verso_image *a, const struct verso_image *b,
		uint32_t rows, size_t *first)
{
	if (a->width != b->width || a->height != b->height)
		return -EINVAL;
	if (rows == 0 || rows > a->height)
		rows = a->height;

	long diff = 0;
	for (uint32_t y = 0; y < rows; y++) {
		for (uint32_t x = 0; x < a->width; x++) {
			uint32_t pa = verso_image_pixel(a, x, y) & 0xffffff;
			uint32_t pb = verso_image_pixel(b, x, y) & 0xffffff;
			if (pa == pb)
				continue;
			if (diff == 0 && first)
				*first = (size_t)y * a->width + x;
			diff++;
		}
	}
	return diff;
}
