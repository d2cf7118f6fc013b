/* SPDX-License-Identifier: MIT */
/*
 * Known test images that clients draw and tests read back through writeback.
 * Colours are exact XRGB8888 values; the off-by-a-bit channel values catch
 * swapped channels and lossy paths that pure primaries would hide.
 */
#ifndef VERSO_PATTERN_H
#define VERSO_PATTERN_H

#include <stdint.h>

#include "verso/image.h"

#define VERSO_QUAD_TOP_LEFT	0xffe02020u /* red */
#define VERSO_QUAD_TOP_RIGHT	0xff20c040u /* green */
#define VERSO_QUAD_BOTTOM_LEFT	0xff2040e0u /* blue */
#define VERSO_QUAD_BOTTOM_RIGHT	0xfff0f0f0u /* white */

/*
 * The quadrants colour at (x, y) of a width x height image. The left half is
 * x < width / 2, the top half y < height / 2.
 */
uint32_t verso_pattern_quadrant(uint32_t x, uint32_t y, uint32_t width,
		uint32_t height);

/* Fills img with the quadrants pattern. */
void verso_pattern_fill_quadrants(struct verso_image *img);

/*
 * Fills img, a panel's raster, with what it shows of a client that draws
 * the quadrants pattern while the output is rotated by degrees (0, 90, 180
 * or 270, counter-clockwise, as wl_output.transform): at 90 the client is
 * img->height wide, and raster pixel (x, y) shows its pixel
 * (height - 1 - y, x). Returns 0 or -EINVAL for another angle.
 */
int verso_pattern_fill_quadrants_rotated(struct verso_image *img,
		int degrees);

/* Fills img with one colour. */
void verso_pattern_fill_solid(struct verso_image *img, uint32_t colour);

/*
 * Parses "RRGGBB" (an optional leading '#' is accepted) into an opaque
 * 0xffRRGGBB colour. Returns 0 or -EINVAL.
 */
int verso_parse_colour(const char *s, uint32_t *colour);

#endif /* VERSO_PATTERN_H */
