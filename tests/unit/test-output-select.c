// SPDX-License-Identifier: MIT
/* Rear output and mode choice (compositor/output-select.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "output-select.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void verso_phone_prefers_non_desktop(void **state) {
	const struct verso_output_candidate c[] = {
		{ "DSI-1", false },
		{ "DSI-2", true },
	};
	enum verso_output_reason why;
	assert_int_equal(verso_output_select(c, N(c), NULL, "DSI-2", false, &why), 1);
	assert_int_equal(why, VERSO_OUTPUT_NON_DESKTOP);
}

static void non_desktop_wins_over_name(void **state) {
	/* A rear panel on another connector type still wins by its flag. */
	const struct verso_output_candidate c[] = {
		{ "DSI-2", false },
		{ "eDP-1", true },
	};
	assert_int_equal(verso_output_select(c, N(c), NULL, "DSI-2", false, NULL), 1);
}

static void several_non_desktop_prefer_rear_name(void **state) {
	const struct verso_output_candidate c[] = {
		{ "HDMI-A-1", true },
		{ "DSI-2", true },
		{ "DP-1", true },
	};
	assert_int_equal(verso_output_select(c, N(c), NULL, "DSI-2", false, NULL), 1);
	const struct verso_output_candidate d[] = {
		{ "HDMI-A-1", true },
		{ "DP-1", true },
	};
	assert_int_equal(verso_output_select(d, N(d), NULL, "DSI-2", false, NULL), 0);
}

static void configured_name_wins(void **state) {
	const struct verso_output_candidate c[] = {
		{ "DSI-1", false },
		{ "DSI-2", true },
		{ "Virtual-1", false },
	};
	enum verso_output_reason why;
	assert_int_equal(verso_output_select(c, N(c), "Virtual-1", "DSI-2", false,
		&why), 2);
	assert_int_equal(why, VERSO_OUTPUT_BY_NAME);
	assert_string_equal(verso_output_reason_str(why), "configured name");
}

static void configured_name_missing_never_guesses(void **state) {
	const struct verso_output_candidate c[] = {
		{ "DSI-1", false },
		{ "DSI-2", true },
	};
	enum verso_output_reason why;
	assert_int_equal(verso_output_select(c, N(c), "DSI-3", "DSI-2", true,
		&why), -1);
	assert_int_equal(why, VERSO_OUTPUT_NONE);
}

static void empty_configured_name_is_unset(void **state) {
	const struct verso_output_candidate c[] = {
		{ "DSI-1", false },
		{ "DSI-2", true },
	};
	assert_int_equal(verso_output_select(c, N(c), "", "DSI-2", false, NULL), 1);
}

static void only_dsi2_without_flag(void **state) {
	const struct verso_output_candidate c[] = {
		{ "DSI-1", false },
		{ "DSI-2", false },
	};
	enum verso_output_reason why;
	assert_int_equal(verso_output_select(c, N(c), NULL, "DSI-2", false, &why), 1);
	assert_int_equal(why, VERSO_OUTPUT_REAR_NAME);
}

static void drm_never_lights_a_random_output(void **state) {
	/* vkms: one Virtual-1, no flag, not the rear name. */
	const struct verso_output_candidate c[] = {
		{ "Virtual-1", false },
	};
	assert_int_equal(verso_output_select(c, N(c), NULL, "DSI-2", false, NULL), -1);
	const struct verso_output_candidate d[] = {
		{ "DSI-1", false },
		{ "HDMI-A-1", false },
	};
	assert_int_equal(verso_output_select(d, N(d), NULL, "DSI-2", true, NULL), -1);
}

static void nested_single_output(void **state) {
	const struct verso_output_candidate c[] = {
		{ "WL-1", false },
	};
	enum verso_output_reason why;
	assert_int_equal(verso_output_select(c, N(c), NULL, "DSI-2", true, &why), 0);
	assert_int_equal(why, VERSO_OUTPUT_ONLY_ONE);
}

static void no_outputs(void **state) {
	assert_int_equal(verso_output_select(NULL, 0, NULL, "DSI-2", true, NULL), -1);
	assert_int_equal(verso_output_select(NULL, 0, "DSI-2", "DSI-2", true, NULL), -1);
}

static void null_names_are_safe(void **state) {
	const struct verso_output_candidate c[] = {
		{ NULL, false },
		{ "DSI-2", false },
	};
	assert_int_equal(verso_output_select(c, N(c), NULL, "DSI-2", false, NULL), 1);
	assert_int_equal(verso_output_select(c, N(c), "X", NULL, false, NULL), -1);
}

static void two_dsi2_is_ambiguous(void **state) {
	/* Two drivers each with a DSI-2 and no flag: refuse to guess. */
	const struct verso_output_candidate c[] = {
		{ "DSI-2", false },
		{ "DSI-2", false },
	};
	assert_int_equal(verso_output_select(c, N(c), NULL, "DSI-2", false, NULL), -1);
}

static void mode_highest_refresh_at_native(void **state) {
	const struct verso_mode_candidate m[] = {
		{ 976, 596, 60000, false },
		{ 976, 596, 120000, true },
		{ 976, 596, 10000, false },
		{ 640, 480, 144000, false },
	};
	assert_int_equal(verso_mode_select(m, N(m)), 1);

	/* The preferred mode fixes the size, not the refresh. */
	const struct verso_mode_candidate n[] = {
		{ 976, 596, 60000, true },
		{ 976, 596, 1000, false },
		{ 976, 596, 120000, false },
		{ 1200, 2608, 120000, false },
	};
	assert_int_equal(verso_mode_select(n, N(n)), 2);
}

static void mode_without_preferred_uses_largest(void **state) {
	const struct verso_mode_candidate m[] = {
		{ 800, 600, 75000, false },
		{ 1024, 768, 60000, false },
		{ 1024, 768, 70000, false },
	};
	assert_int_equal(verso_mode_select(m, N(m)), 2);
}

static void mode_none(void **state) {
	assert_int_equal(verso_mode_select(NULL, 0), -1);
	const struct verso_mode_candidate m[] = {
		{ 976, 596, 0, false },
	};
	assert_int_equal(verso_mode_select(m, N(m)), 0);
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(verso_phone_prefers_non_desktop),
		cmocka_unit_test(non_desktop_wins_over_name),
		cmocka_unit_test(several_non_desktop_prefer_rear_name),
		cmocka_unit_test(configured_name_wins),
		cmocka_unit_test(configured_name_missing_never_guesses),
		cmocka_unit_test(empty_configured_name_is_unset),
		cmocka_unit_test(only_dsi2_without_flag),
		cmocka_unit_test(drm_never_lights_a_random_output),
		cmocka_unit_test(nested_single_output),
		cmocka_unit_test(no_outputs),
		cmocka_unit_test(null_names_are_safe),
		cmocka_unit_test(two_dsi2_is_ambiguous),
		cmocka_unit_test(mode_highest_refresh_at_native),
		cmocka_unit_test(mode_without_preferred_uses_largest),
		cmocka_unit_test(mode_none),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
