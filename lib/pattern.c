// SPDX-License-Identifier: MIT
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "verso/pattern.h"

uint32_t verso_pattern_quadrant(uint32_t x, uint32_t y, uint32_t width,
		uint32_t height)
{
	int left = x < width / 2;
	int top = y < height / 2;

	if (top)
		return left ? VERSO_QUAD_TOP_LEFT : VERSO_QUAD_TOP_RIGHT;
	return left ? VERSO_QUAD_BOTTOM_LEFT : VERSO_QUAD_BOTTOM_RIGHT;
}

void verso_pattern_fill_quadrants(struct verso_image *img)
{
	verso_pattern_fill_quadrants_rotated(img, 0);
}

int verso_pattern_fill_quadrants_rotated(struct verso_image *img,
		int degrees)
{
	uint32_t w = img->width, h = img->height;

	if (degrees != 0 && degrees != 90 && degrees != 180 && degrees != 270)
		return -EINVAL;
	for (uint32_t y = 0; y < h; y++) {
		uint32_t *row = (uint32_t *)((uint8_t *)img->data +
				(size_t)y * img->stride);
		for (uint32_t x = 0; x < w; x++) {
			/* The client's pixel that raster pixel (x, y) shows. */
			switch (degrees) {
			case 90:
				row[x] = verso_pattern_quadrant(h - 1 - y, x,
						h, w);
				break;
			case 180:
				row[x] = verso_pattern_quadrant(w - 1 - x,
						h - 1 - y, w, h);
				break;
			case 270:
				row[x] = verso_pattern_quadrant(y, w - 1 - x,
						h, w);
				break;
			default:
				row[x] = verso_pattern_quadrant(x, y, w, h);
			}
		}
	}
	return 0;
}

void verso_pattern_fill_solid(struct verso_image *img, uint32_t colour)
{
	for (uint32_t y = 0; y < img->height; y++) {
		uint32_t *row = (uint32_t *)((uint8_t *)img->data +
				(size_t)y * img->stride);
		for (uint32_t x = 0; x < img->width; x++)
			row[x] = colour;
	}
}

int verso_parse_colour(const char *s, uint32_t *colour)
{
	if (!s)
		return -EINVAL;
	if (*s == '#')
		s++;
	if (strlen(s) != 6)
		return -EINVAL;
	for (const char *p = s; *p; p++) {
		if (!isxdigit((unsigned char)*p))
			return -EINVAL;
	}
	*colour = 0xff000000u | (uint32_t)strtoul(s, NULL, 16);
	return 0;
}
