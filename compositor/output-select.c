// SPDX-License-Identifier: MIT
#include <string.h>
#include "output-select.h"

static bool name_is(const char *name, const char *want) {
	return name != NULL && want != NULL && strcmp(name, want) == 0;
}

int verso_output_select(const struct verso_output_candidate *cands, size_t n,
		const char *configured, const char *rear_name, bool allow_single,
		enum verso_output_reason *reason) {
	enum verso_output_reason why = VERSO_OUTPUT_NONE;
	int found = -1;

	if (configured != NULL && configured[0] != '\0') {
		/* An explicit choice never falls back to a guess: lighting the
		 * main display by mistake is worse than lighting nothing. */
		for (size_t i = 0; i < n; i++) {
			if (name_is(cands[i].name, configured)) {
				found = (int)i;
				why = VERSO_OUTPUT_BY_NAME;
				break;
			}
		}
		goto out;
	}

	size_t non_desktop = 0;
	for (size_t i = 0; i < n; i++) {
		if (!cands[i].non_desktop) {
			continue;
		}
		if (non_desktop++ == 0 || name_is(cands[i].name, rear_name)) {
			found = (int)i;
		}
	}
	if (found >= 0) {
		why = VERSO_OUTPUT_NON_DESKTOP;
		goto out;
	}

	size_t named = 0;
	for (size_t i = 0; i < n; i++) {
		if (name_is(cands[i].name, rear_name)) {
			named++;
			found = (int)i;
		}
	}
	if (named == 1) {
		why = VERSO_OUTPUT_REAR_NAME;
		goto out;
	}
	found = -1;

	if (allow_single && n == 1) {
		found = 0;
		why = VERSO_OUTPUT_ONLY_ONE;
	}

out:
	if (reason != NULL) {
		*reason = why;
	}
	return found;
}

const char *verso_output_reason_str(enum verso_output_reason reason) {
	switch (reason) {
	case VERSO_OUTPUT_BY_NAME:
		return "configured name";
	case VERSO_OUTPUT_NON_DESKTOP:
		return "non-desktop connector";
	case VERSO_OUTPUT_REAR_NAME:
		return "rear connector name";
	case VERSO_OUTPUT_ONLY_ONE:
		return "only output";
	case VERSO_OUTPUT_NONE:
		break;
	}
	return "none";
}

static int64_t area(const struct verso_mode_candidate *m) {
	return (int64_t)m->width * m->height;
}

int verso_mode_select(const struct verso_mode_candidate *modes, size_t n) {
	if (n == 0) {
		return -1;
	}

	int native = -1;
	for (size_t i = 0; i < n; i++) {
		if (modes[i].preferred) {
			native = (int)i;
			break;
		}
	}
	if (native < 0) {
		native = 0;
		for (size_t i = 1; i < n; i++) {
			if (area(&modes[i]) > area(&modes[native])) {
				native = (int)i;
			}
		}
	}

	int best = native;
	for (size_t i = 0; i < n; i++) {
		if (modes[i].width == modes[native].width &&
				modes[i].height == modes[native].height &&
				modes[i].refresh > modes[best].refresh) {
			best = (int)i;
		}
	}
	return best;
}
