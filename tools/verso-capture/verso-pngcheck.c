// SPDX-License-Identifier: MIT
/*
 * verso-pngcheck: compare a PNG (e.g. a writeback capture) with one of the
 * known test images, pixel for pixel. For scripts: exit 0 on a match.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verso/image.h"
#include "verso/pattern.h"
#include "verso/png.h"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: verso-pngcheck [-b ROWS] [-s WxH] [-r DEG] (quadrants|RRGGBB)"
		" FILE.png\n"
		"\n"
		"Compares FILE.png with the quadrants pattern or a solid colour\n"
		"(the colour channels only) and reports the mismatches.\n"
		"\n"
		"  -b, --ignore-bottom ROWS  skip the last ROWS rows (present-probe\n"
		"                            flips its bottom row every frame: use 1)\n"
		"  -s, --size WxH            also require this image size\n"
		"  -r, --rotation DEG        FILE is a panel's raster with the output\n"
		"                            rotated by DEG (0, 90, 180, 270): expect\n"
		"                            the quadrants as the panel shows them\n"
		"  -h, --help                show this help\n"
		"\n"
		"Exit status: 0 match, 1 mismatch, 2 usage or unreadable file.\n");
}

int main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "ignore-bottom", required_argument, NULL, 'b' },
		{ "size", required_argument, NULL, 's' },
		{ "rotation", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{0},
	};
	unsigned long ignore = 0;
	unsigned want_w = 0, want_h = 0;
	long rotation = 0;
	int c;
	char *end, x;
	while ((c = getopt_long(argc, argv, "b:s:r:h", opts, NULL)) != -1) {
		switch (c) {
		case 'b':
			ignore = strtoul(optarg, &end, 10);
			if (end == optarg || *end) {
				fprintf(stderr, "verso-pngcheck: bad row count "
					"\"%s\"\n", optarg);
				return 2;
			}
			break;
		case 's':
			if (sscanf(optarg, "%ux%u%c", &want_w, &want_h, &x) != 2) {
				fprintf(stderr, "verso-pngcheck: --size wants WxH, "
					"not \"%s\"\n", optarg);
				return 2;
			}
			break;
		case 'r':
			rotation = strtol(optarg, &end, 10);
			if (end == optarg || *end || (rotation != 0 &&
					rotation != 90 && rotation != 180 &&
					rotation != 270)) {
				fprintf(stderr, "verso-pngcheck: rotation is 0, "
					"90, 180 or 270, not \"%s\"\n", optarg);
				return 2;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (argc - optind != 2) {
		usage(stderr);
		return 2;
	}
	const char *what = argv[optind], *path = argv[optind + 1];
	uint32_t colour = 0;
	bool quadrants = strcmp(what, "quadrants") == 0;
	if (!quadrants && verso_parse_colour(what, &colour) < 0) {
		fprintf(stderr, "verso-pngcheck: expected \"quadrants\" or "
			"RRGGBB, not \"%s\"\n", what);
		return 2;
	}

	struct verso_image got, want;
	char err[256];
	if (verso_png_read(path, &got, err, sizeof(err)) < 0) {
		fprintf(stderr, "verso-pngcheck: %s\n", err);
		return 2;
	}
	if (want_w && (got.width != want_w || got.height != want_h)) {
		fprintf(stderr, "verso-pngcheck: FAIL: %s is %ux%u, want "
			"%ux%u\n", path, got.width, got.height, want_w, want_h);
		verso_image_finish(&got);
		return 1;
	}
	if (ignore >= got.height) {
		fprintf(stderr, "verso-pngcheck: ignoring %lu of %u rows leaves "
			"nothing to compare\n", ignore, got.height);
		verso_image_finish(&got);
		return 2;
	}
	if (verso_image_init(&want, got.width, got.height) < 0) {
		fprintf(stderr, "verso-pngcheck: out of memory\n");
		verso_image_finish(&got);
		return 2;
	}
	if (quadrants)
		verso_pattern_fill_quadrants_rotated(&want, (int)rotation);
	else
		verso_pattern_fill_solid(&want, colour);

	uint32_t rows = got.height - ignore;
	size_t first = 0;
	long diff = verso_image_diff(&want, &got, rows, &first);
	int ret = 0;
	if (diff != 0) {
		uint32_t fx = first % got.width, fy = first / got.width;
		fprintf(stderr, "verso-pngcheck: FAIL: %s: %ld of %u pixels "
			"differ from %s; first at (%u,%u): want %06x, got %06x\n",
			path, diff, got.width * rows, what, fx, fy,
			verso_image_pixel(&want, fx, fy) & 0xffffff,
			verso_image_pixel(&got, fx, fy) & 0xffffff);
		ret = 1;
	} else {
		printf("verso-pngcheck: PASS: %s (%ux%u, %u rows compared) "
			"matches %s\n", path, got.width, got.height, rows, what);
	}
	verso_image_finish(&want);
	verso_image_finish(&got);
	return ret;
}
