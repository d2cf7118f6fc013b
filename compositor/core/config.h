/* SPDX-License-Identifier: MIT */
/*
 * versod's configuration file, in libconfig syntax (Debian's libconfig9).
 * Every key, its default and its range is in
 * Documentation/compositor-config.md.
 *
 *   output = { refresh = 120; idle_refresh = 1; blank_timeout = "15s"; };
 *   touch = { edge_band_px = 12; grace_after_wake = "300ms"; };
 *
 * Loading always builds a new struct: on any error (unreadable file, syntax,
 * unknown key, wrong type, value out of range) nothing is returned and the
 * error says which key, where, and why. A reload therefore keeps the running
 * config until the new one is entirely valid: see verso_config_reload().
 *
 * Durations are integers in milliseconds or strings with a unit: "300ms",
 * "15s", "1.5s", "2min", "1h".
 */
#ifndef VERSO_CORE_CONFIG_H
#define VERSO_CORE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "carousel.h"
#include "frame-sched.h"
#include "gesture.h"
#include "touch-filter.h"

enum verso_renderer {
	VERSO_RENDERER_AUTO, /* GLES2, falling back to pixman */
	VERSO_RENDERER_GLES2,
	VERSO_RENDERER_PIXMAN,
};

enum verso_dbus_bus {
	VERSO_DBUS_SESSION,
	VERSO_DBUS_SYSTEM,
};

/* Which touch on a blanked display wakes it. */
enum verso_touch_wake {
	VERSO_WAKE_DOUBLE_TAP,
	VERSO_WAKE_TAP,
	VERSO_WAKE_ANY, /* any accepted touch-down */
	VERSO_WAKE_NONE,
};

struct verso_config {
	struct {
		char *name; /* connector; NULL: automatic selection */
		int32_t rotation; /* degrees: 0, 90, 180 or 270 */
		double scale;
	} output;
	/* output.refresh, idle_refresh, idle_after, blank_timeout */
	struct verso_frame_sched_config frames;
	struct {
		char *device; /* substring of the libinput device name */
		char *udev_property; /* "NAME" or "NAME=value" */
		enum verso_touch_wake wake;
	} touch;
	struct verso_touch_filter_config filter; /* touch.* rejection rules */
	struct verso_gesture_config gesture; /* touch.* gesture thresholds */
	struct verso_carousel_config cards;
	enum verso_renderer renderer;
	enum verso_dbus_bus dbus;
	struct {
		int32_t default_percent;
		int32_t min_percent;
	} brightness;
	char *source; /* file it was read from, NULL for defaults or strings */
};

enum verso_config_error_kind {
	VERSO_CONFIG_OK = 0,
	VERSO_CONFIG_ERR_IO, /* cannot read the file */
	VERSO_CONFIG_ERR_SYNTAX,
	VERSO_CONFIG_ERR_UNKNOWN_KEY,
	VERSO_CONFIG_ERR_TYPE,
	VERSO_CONFIG_ERR_VALUE, /* right type, out of range or not a choice */
	VERSO_CONFIG_ERR_NOMEM,
};

struct verso_config_error {
	enum verso_config_error_kind kind;
	int line; /* 0 if unknown */
	char key[64]; /* dotted path, "" if not about a key */
	/* "file:line: key: what is wrong", ready to log. */
	char message[512];
};

/* A config with every default. NULL only when out of memory. */
struct verso_config *verso_config_create(void);
void verso_config_destroy(struct verso_config *cfg);

/* name labels messages ("versod.conf"); NULL means "<string>". Neither
 * loader accepts @include (see config.c). */
struct verso_config *verso_config_load_string(const char *text,
	const char *name, struct verso_config_error *err);
struct verso_config *verso_config_load_file(const char *path,
	struct verso_config_error *err);

/*
 * Loads path and, only if it is valid, replaces *cfg (destroying the old
 * one). On failure *cfg is untouched and err says why.
 */
bool verso_config_reload(struct verso_config **cfg, const char *path,
	struct verso_config_error *err);

/*
 * The config file to use: $XDG_CONFIG_HOME/verso/versod.conf (default
 * ~/.config), else /etc/verso/versod.conf, the first that exists. Writes it
 * to buf and returns buf, or NULL when neither exists (run on defaults).
 */
const char *verso_config_find(char *buf, size_t size);

const char *verso_renderer_str(enum verso_renderer renderer);
const char *verso_dbus_bus_str(enum verso_dbus_bus bus);
const char *verso_touch_wake_str(enum verso_touch_wake wake);

/* Parses a duration ("300ms", "15s", "1.5s", "2min", "1h", "250") into
 * milliseconds. False if malformed, negative or beyond INT32_MAX ms. */
bool verso_parse_duration(const char *text, int32_t *ms);

#endif
