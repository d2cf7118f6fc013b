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
	for (uint32_t y = 0; y < img->height; y++) {
		uint32_t *row = (uint32_t *)((uint8_t *)img->data +
				(size_t)y * img->stride);
		for (uint32_t x = 0; x < img->width; x++)
			row[x] = verso_pattern_quadrant(x, y, img->width,
					img->height);
	}
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
