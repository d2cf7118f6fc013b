// SPDX-License-Identifier: MIT
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/config.h"

#define DATA VERSO_TEST_DATA "/config/"

static struct verso_config *load(const char *name,
		struct verso_config_error *err) {
	char path[512];
	snprintf(path, sizeof(path), DATA "%s", name);
	return verso_config_load_file(path, err);
}

static void test_defaults(void **state) {
	struct verso_config *cfg = verso_config_create();
	assert_non_null(cfg);
	assert_null(cfg->output.name);
	assert_int_equal(cfg->frames.refresh_hz, 120);
	assert_int_equal(cfg->frames.idle_refresh_hz, 1);
	assert_int_equal(cfg->frames.blank_timeout_ms, 15000);
	assert_int_equal(cfg->output.rotation, 0);
	assert_true(cfg->output.scale == 1.0);
	assert_int_equal(cfg->filter.grace_after_wake_ms, 300);
	assert_true(cfg->filter.proximity);
	assert_true(cfg->filter.pocket);
	assert_int_equal(cfg->gesture.long_press_ms, 500);
	assert_int_equal(cfg->gesture.double_tap_ms, 300);
	assert_int_equal(cfg->renderer, VERSO_RENDERER_AUTO);
	assert_int_equal(cfg->dbus, VERSO_DBUS_SESSION);
	assert_int_equal(cfg->touch.wake, VERSO_WAKE_DOUBLE_TAP);
	assert_false(cfg->cards.wrap);
	verso_config_destroy(cfg);
}

static void test_full(void **state) {
	struct verso_config_error err;
	struct verso_config *cfg = load("full.conf", &err);
	if (cfg == NULL) {
		fail_msg("%s", err.message);
	}
	assert_int_equal(err.kind, VERSO_CONFIG_OK);
	assert_string_equal(cfg->output.name, "DSI-2");
	assert_int_equal(cfg->frames.refresh_hz, 90);
	assert_int_equal(cfg->frames.idle_refresh_hz, 10);
	assert_int_equal(cfg->frames.idle_after_ms, 750);
	assert_int_equal(cfg->frames.blank_timeout_ms, 30000);
	assert_int_equal(cfg->output.rotation, 270);
	assert_true(cfg->output.scale == 1.5);
	assert_string_equal(cfg->touch.device, "fts_ts");
	assert_string_equal(cfg->touch.udev_property, "VERSO_REAR_TOUCH=1");
	assert_int_equal(cfg->touch.wake, VERSO_WAKE_TAP);
	assert_true(cfg->filter.edge_band_px == 20);
	assert_true(cfg->filter.edge_escape_px == 50.5);
	assert_true(cfg->filter.max_contact_mm == 12.5);
	assert_true(cfg->filter.max_major == 300);
	assert_true(cfg->filter.palm_radius_px == 90);
	assert_int_equal(cfg->filter.grace_after_wake_ms, 500);
	assert_false(cfg->filter.proximity);
	assert_false(cfg->filter.pocket);
	assert_int_equal(cfg->filter.pocket_touches, 5);
	assert_int_equal(cfg->filter.pocket_burst, 8);
	assert_int_equal(cfg->filter.pocket_window_ms, 1500);
	assert_int_equal(cfg->gesture.long_press_ms, 650);
	assert_int_equal(cfg->gesture.double_tap_ms, 250);
	assert_true(cfg->gesture.swipe_min_px == 80);
	assert_true(cfg->gesture.tap_slop_px == 10);
	assert_true(cfg->gesture.double_tap_slop_px == 40);
	assert_true(cfg->cards.wrap);
	assert_int_equal(cfg->cards.anim_ms, 180);
	assert_int_equal(cfg->renderer, VERSO_RENDERER_PIXMAN);
	assert_int_equal(cfg->dbus, VERSO_DBUS_SYSTEM);
	assert_int_equal(cfg->brightness.default_percent, 70);
	assert_int_equal(cfg->brightness.min_percent, 10);
	assert_non_null(strstr(cfg->source, "full.conf"));
	verso_config_destroy(cfg);
}

static void test_minimal_and_partial(void **state) {
	struct verso_config_error err;
	struct verso_config *def = verso_config_create();
	struct verso_config *cfg = load("minimal.conf", &err);
	assert_non_null(cfg);
	/* Same values as the defaults, field by field where it matters. */
	assert_memory_equal(&cfg->frames, &def->frames, sizeof(def->frames));
	assert_memory_equal(&cfg->filter, &def->filter, sizeof(def->filter));
	assert_memory_equal(&cfg->gesture, &def->gesture, sizeof(def->gesture));
	verso_config_destroy(cfg);

	cfg = load("partial.conf", &err);
	if (cfg == NULL) {
		fail_msg("%s", err.message);
	}
	assert_int_equal(cfg->frames.blank_timeout_ms, 60000);
	assert_int_equal(cfg->gesture.long_press_ms, 800);
	assert_int_equal(cfg->frames.refresh_hz, 120);
	assert_int_equal(cfg->gesture.double_tap_ms, 300);
	verso_config_destroy(cfg);
	verso_config_destroy(def);
}

static void test_no_include(void **state) {
	struct verso_config_error err;
	/* libconfig 1.5 exit()s on an include of a directory: refused. */
	static const char *const texts[] = {
		"@include \"/etc/passwd\"\n",
		"@include \".\"\n",
		"@include \"../../../tmp\"\n",
	};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		struct verso_config *cfg = verso_config_load_string(texts[i],
			"s", &err);
		assert_null(cfg);
		assert_int_equal(err.kind, VERSO_CONFIG_ERR_SYNTAX);
		assert_string_equal(err.message, "s:1: @include is not supported");
	}
	/* Same from a file, whose directory exists. */
	assert_null(load("bad-include-dir.conf", &err));
	assert_int_equal(err.kind, VERSO_CONFIG_ERR_SYNTAX);
}

struct bad_case {
	const char *file;
	enum verso_config_error_kind kind;
	int line;
	const char *key; /* expected err.key, NULL to skip */
	const char *needle; /* must appear in the message */
};

static const struct bad_case bad_cases[] = {
	{ "bad-syntax.conf", VERSO_CONFIG_ERR_SYNTAX, 3, NULL, "syntax error" },
	{ "bad-unknown-key.conf", VERSO_CONFIG_ERR_UNKNOWN_KEY, 4, NULL,
		"unknown key 'touch.edge_bnd_px'" },
	{ "bad-unknown-group.conf", VERSO_CONFIG_ERR_UNKNOWN_KEY, 2, NULL,
		"unknown key 'screen'" },
	{ "bad-type.conf", VERSO_CONFIG_ERR_TYPE, 2, "output.refresh",
		"expected an integer, got a string" },
	{ "bad-type-bool.conf", VERSO_CONFIG_ERR_TYPE, 2, "touch.pocket",
		"expected a boolean (true or false), got an integer" },
	{ "bad-group-type.conf", VERSO_CONFIG_ERR_TYPE, 1, "output",
		"expected a group" },
	{ "bad-rotation.conf", VERSO_CONFIG_ERR_VALUE, 2, "output.rotation",
		"must be 0, 90, 180 or 270 (got 45)" },
	{ "bad-range.conf", VERSO_CONFIG_ERR_VALUE, 2, "brightness.default",
		"150 is out of range [0, 100]" },
	{ "bad-duration.conf", VERSO_CONFIG_ERR_VALUE, 2, "output.blank_timeout",
		"\"15 parsecs\" is not a duration" },
	{ "bad-choice.conf", VERSO_CONFIG_ERR_VALUE, 1, "renderer",
		"\"vulkan\" is not one of: auto, gles2, pixman" },
	{ "bad-brightness-order.conf", VERSO_CONFIG_ERR_VALUE, 3,
		"brightness.min", "above brightness.default" },
	{ "bad-duplicate.conf", VERSO_CONFIG_ERR_SYNTAX, 2, NULL,
		"duplicate setting name" },
	{ "bad-include.conf", VERSO_CONFIG_ERR_SYNTAX, 1, NULL,
		"@include is not supported" },
	{ "does-not-exist.conf", VERSO_CONFIG_ERR_IO, 0, NULL,
		"No such file or directory" },
	{ ".", VERSO_CONFIG_ERR_IO, 0, NULL, "not a regular file" },
};

static void test_errors(void **state) {
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];
		struct verso_config_error err;
		struct verso_config *cfg = load(c->file, &err);
		print_message("%-26s -> %s\n", c->file, err.message);
		assert_null(cfg);
		assert_int_equal(err.kind, c->kind);
		assert_int_equal(err.line, c->line);
		if (c->key != NULL) {
			assert_string_equal(err.key, c->key);
		}
		if (strstr(err.message, c->needle) == NULL) {
			fail_msg("%s: '%s' lacks '%s'", c->file, err.message,
				c->needle);
		}
		if (c->line > 0) {
			char where[64];
			snprintf(where, sizeof(where), "%s:%d: ", c->file, c->line);
			assert_non_null(strstr(err.message, where));
		}
	}
}

static void test_durations(void **state) {
	static const struct {
		const char *text;
		bool ok;
		int32_t ms;
	} cases[] = {
		{ "300ms", true, 300 }, { "15s", true, 15000 },
		{ "1.5s", true, 1500 }, { "2min", true, 120000 },
		{ "2m", true, 120000 }, { "1h", true, 3600000 },
		{ "250", true, 250 }, { " 40 ms ", true, 40 }, { "0", true, 0 },
		{ "", false, 0 }, { "s", false, 0 }, { "-1s", false, 0 },
		{ "inf", false, 0 }, { "nan", false, 0 }, { "1e3", false, 0 },
		{ "0x10", false, 0 }, { "1.2.3s", false, 0 }, { ".", false, 0 },
		{ "10 parsecs", false, 0 }, { "1000h", false, 0 },
		{ "99999999999999999999999999999", false, 0 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int32_t ms = -1;
		bool ok = verso_parse_duration(cases[i].text, &ms);
		if (ok != cases[i].ok || (ok && ms != cases[i].ms)) {
			fail_msg("'%s': got %d/%d", cases[i].text, ok, ms);
		}
	}
	assert_false(verso_parse_duration(NULL, NULL));

	/* Integers are milliseconds; negative ones are refused. */
	struct verso_config_error err;
	struct verso_config *cfg = verso_config_load_string(
		"touch = { long_press = -5; };", "t", &err);
	assert_null(cfg);
	assert_int_equal(err.kind, VERSO_CONFIG_ERR_VALUE);
	assert_string_equal(err.key, "touch.long_press");
}

static void test_string_types(void **state) {
	struct verso_config_error err;
	/* Integer where a number is wanted: fine. Float for an int: not. */
	struct verso_config *cfg = verso_config_load_string(
		"output = { scale = 2; };", NULL, &err);
	assert_non_null(cfg);
	assert_true(cfg->output.scale == 2.0);
	verso_config_destroy(cfg);

	cfg = verso_config_load_string("output = { refresh = 120.0; };", NULL,
		&err);
	assert_null(cfg);
	assert_int_equal(err.kind, VERSO_CONFIG_ERR_TYPE);
	assert_non_null(strstr(err.message, "<string>:1: output.refresh"));

	cfg = verso_config_load_string("touch = { device = [1, 2]; };", NULL,
		&err);
	assert_null(cfg);
	assert_int_equal(err.kind, VERSO_CONFIG_ERR_TYPE);
	assert_non_null(strstr(err.message, "got an array"));

	cfg = verso_config_load_string("output = { refresh = 5000000000L; };",
		NULL, &err);
	assert_null(cfg);
	assert_int_equal(err.kind, VERSO_CONFIG_ERR_VALUE);

	/* An empty name means "select automatically". */
	cfg = verso_config_load_string("output = { name = \"\"; };", NULL, &err);
	assert_non_null(cfg);
	assert_null(cfg->output.name);
	verso_config_destroy(cfg);

	cfg = verso_config_load_string(NULL, NULL, &err);
	assert_null(cfg);
	assert_int_equal(err.kind, VERSO_CONFIG_ERR_SYNTAX);

	/* A NULL error pointer is allowed. */
	assert_null(verso_config_load_string("x = 1;", NULL, NULL));
	assert_null(verso_config_load_file(NULL, NULL));
}

static void write_file(const char *path, const char *text) {
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_reload_keeps_old(void **state) {
	char dir[] = "/tmp/verso-test-config-XXXXXX";
	char path[128];
	struct verso_config_error err;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/versod.conf", dir);

	write_file(path, "output = { refresh = 60; };\n");
	struct verso_config *cfg = verso_config_load_file(path, &err);
	assert_non_null(cfg);
	struct verso_config *before = cfg;
	assert_int_equal(cfg->frames.refresh_hz, 60);

	/* Half-edited file: a valid key first, then a typo. */
	write_file(path, "output = { refresh = 90; };\ntouch = { palm = true; };\n");
	assert_false(verso_config_reload(&cfg, path, &err));
	assert_ptr_equal(cfg, before);
	assert_int_equal(cfg->frames.refresh_hz, 60);
	assert_int_equal(err.kind, VERSO_CONFIG_ERR_UNKNOWN_KEY);
	assert_int_equal(err.line, 2);

	write_file(path, "output = { refresh = ; };\n");
	assert_false(verso_config_reload(&cfg, path, &err));
	assert_int_equal(cfg->frames.refresh_hz, 60);
	assert_int_equal(err.kind, VERSO_CONFIG_ERR_SYNTAX);

	unlink(path);
	assert_false(verso_config_reload(&cfg, path, &err));
	assert_int_equal(err.kind, VERSO_CONFIG_ERR_IO);
	assert_int_equal(cfg->frames.refresh_hz, 60);

	write_file(path, "output = { refresh = 90; };\n");
	assert_true(verso_config_reload(&cfg, path, &err));
	assert_int_equal(cfg->frames.refresh_hz, 90);
	verso_config_destroy(cfg);
	unlink(path);
	rmdir(dir);
}

/* A FIFO where the file was is refused at once, not read (and waited on). */
static void test_fifo(void **state) {
	char dir[] = "/tmp/verso-config-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[64];
	snprintf(path, sizeof(path), "%s/versod.conf", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	struct verso_config_error err;
	assert_null(verso_config_load_file(path, &err));
	assert_int_equal(err.kind, VERSO_CONFIG_ERR_IO);
	assert_non_null(strstr(err.message, "not a regular file"));
	unlink(path);
	rmdir(dir);
}

static void test_find(void **state) {
	char dir[] = "/tmp/verso-test-xdg-XXXXXX";
	char sub[128], path[160], buf[256];
	assert_non_null(mkdtemp(dir));
	snprintf(sub, sizeof(sub), "%s/verso", dir);
	snprintf(path, sizeof(path), "%s/versod.conf", sub);
	assert_int_equal(mkdir(sub, 0755), 0);
	write_file(path, "\n");

	setenv("XDG_CONFIG_HOME", dir, 1);
	const char *found = verso_config_find(buf, sizeof(buf));
	assert_non_null(found);
	assert_string_equal(found, path);

	/* Gone: falls back to /etc, which this host may or may not have. */
	unlink(path);
	found = verso_config_find(buf, sizeof(buf));
	if (found != NULL) {
		assert_string_equal(found, "/etc/verso/versod.conf");
	}
	/* Too small a buffer never overflows. */
	char tiny[4];
	write_file(path, "\n");
	found = verso_config_find(tiny, sizeof(tiny));
	assert_true(found == NULL || strlen(found) < sizeof(tiny));
	unlink(path);
	rmdir(sub);
	rmdir(dir);
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_minimal_and_partial),
		cmocka_unit_test(test_no_include),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_durations),
		cmocka_unit_test(test_string_types),
		cmocka_unit_test(test_reload_keeps_old),
		cmocka_unit_test(test_fifo),
		cmocka_unit_test(test_find),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
