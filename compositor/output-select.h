/* SPDX-License-Identifier: MIT */
/*
 * Choosing the rear output and its mode. Pure functions over plain data so
 * the policy is unit tested without a backend.
 */
#ifndef VERSO_OUTPUT_SELECT_H
#define VERSO_OUTPUT_SELECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct verso_output_candidate {
	const char *name;
	bool non_desktop;
};

enum verso_output_reason {
	VERSO_OUTPUT_NONE = 0,
	VERSO_OUTPUT_BY_NAME,
	VERSO_OUTPUT_NON_DESKTOP,
	VERSO_OUTPUT_REAR_NAME,
	VERSO_OUTPUT_ONLY_ONE,
};

/*
 * Returns the index of the rear output in cands, or -1.
 *
 * configured: a name given by the user; when set, only that name matches.
 * Otherwise the connector flagged non-desktop wins (the one named rear_name
 * if several are), else the single output named rear_name. allow_single lets
 * a lone output of any name win (nested and headless backends, which have
 * exactly one window or virtual output).
 */
int verso_output_select(const struct verso_output_candidate *cands, size_t n,
	const char *configured, const char *rear_name, bool allow_single,
	enum verso_output_reason *reason);

const char *verso_output_reason_str(enum verso_output_reason reason);

struct verso_mode_candidate {
	int32_t width, height;
	int32_t refresh; /* mHz */
	bool preferred;
};

/*
 * Returns the index of the mode to use, or -1 if there are none: the highest
 * refresh at the native size. The native size is the preferred mode's size,
 * else the largest mode.
 */
int verso_mode_select(const struct verso_mode_candidate *modes, size_t n);

#endif
