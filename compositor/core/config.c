// SPDX-License-Identifier: MIT
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <libconfig.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "config.h"

enum key_kind {
	KEY_INT, /* int32_t */
	KEY_NUMBER, /* double; integers accepted */
	KEY_DURATION, /* int32_t ms */
	KEY_BOOL, /* bool */
	KEY_STRING, /* char *, owned; "" stores NULL */
	KEY_CHOICE, /* enum stored as int, from a string among choices */
	KEY_ANGLE, /* int32_t, a multiple of 90 in [0, 270] */
	KEY_GROUP,
};

struct key {
	const char *name;
	enum key_kind kind;
	size_t offset;
	double min, max;
	const char *const *choices; /* KEY_CHOICE, NULL-terminated */
	const struct key *children; /* KEY_GROUP, terminated by a NULL name */
};

#define OFF(field) offsetof(struct verso_config, field)

static const char *const renderer_names[] = { "auto", "gles2", "pixman", NULL };
static const char *const bus_names[] = { "session", "system", NULL };
static const char *const wake_names[] = {
	"double-tap", "tap", "any", "none", NULL,
};

/* 24 days: the longest duration an int32_t of ms holds, rounded down. */
#define MAX_MS 2073600000.0

static const struct key output_keys[] = {
	{ "name", KEY_STRING, OFF(output.name), 0, 0, NULL, NULL },
	{ "refresh", KEY_INT, OFF(frames.refresh_hz), 1, 1000, NULL, NULL },
	{ "idle_refresh", KEY_INT, OFF(frames.idle_refresh_hz), 0, 1000, NULL, NULL },
	{ "idle_after", KEY_DURATION, OFF(frames.idle_after_ms), 0, MAX_MS, NULL, NULL },
	{ "blank_timeout", KEY_DURATION, OFF(frames.blank_timeout_ms), 0, MAX_MS, NULL, NULL },
	{ "rotation", KEY_ANGLE, OFF(output.rotation), 0, 270, NULL, NULL },
	{ "scale", KEY_NUMBER, OFF(output.scale), 0.25, 8, NULL, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL },
};

static const struct key touch_keys[] = {
	{ "device", KEY_STRING, OFF(touch.device), 0, 0, NULL, NULL },
	{ "udev_property", KEY_STRING, OFF(touch.udev_property), 0, 0, NULL, NULL },
	{ "wake", KEY_CHOICE, OFF(touch.wake), 0, 0, wake_names, NULL },
	{ "edge_band_px", KEY_NUMBER, OFF(filter.edge_band_px), 0, 4096, NULL, NULL },
	{ "edge_escape_px", KEY_NUMBER, OFF(filter.edge_escape_px), 0, 4096, NULL, NULL },
	{ "max_contact_mm", KEY_NUMBER, OFF(filter.max_contact_mm), 0, 1000, NULL, NULL },
	{ "max_major", KEY_NUMBER, OFF(filter.max_major), 0, 1e6, NULL, NULL },
	{ "palm_radius_px", KEY_NUMBER, OFF(filter.palm_radius_px), 0, 8192, NULL, NULL },
	{ "grace_after_wake", KEY_DURATION, OFF(filter.grace_after_wake_ms), 0, 60000, NULL, NULL },
	{ "proximity", KEY_BOOL, OFF(filter.proximity), 0, 0, NULL, NULL },
	{ "pocket", KEY_BOOL, OFF(filter.pocket), 0, 0, NULL, NULL },
	{ "pocket_touches", KEY_INT, OFF(filter.pocket_touches), 0, VERSO_TOUCH_MAX, NULL, NULL },
	{ "pocket_burst", KEY_INT, OFF(filter.pocket_burst), 0, 32, NULL, NULL },
	{ "pocket_window", KEY_DURATION, OFF(filter.pocket_window_ms), 0, 60000, NULL, NULL },
	{ "long_press", KEY_DURATION, OFF(gesture.long_press_ms), 0, 60000, NULL, NULL },
	{ "double_tap", KEY_DURATION, OFF(gesture.double_tap_ms), 0, 60000, NULL, NULL },
	{ "swipe_min_px", KEY_NUMBER, OFF(gesture.swipe_min_px), 1, 8192, NULL, NULL },
	{ "tap_slop_px", KEY_NUMBER, OFF(gesture.tap_slop_px), 0, 8192, NULL, NULL },
	{ "double_tap_slop_px", KEY_NUMBER, OFF(gesture.double_tap_slop_px), 0, 8192, NULL, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL },
};

static const struct key cards_keys[] = {
	{ "wrap", KEY_BOOL, OFF(cards.wrap), 0, 0, NULL, NULL },
	{ "animation", KEY_DURATION, OFF(cards.anim_ms), 0, 10000, NULL, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL },
};

static const struct key brightness_keys[] = {
	{ "default", KEY_INT, OFF(brightness.default_percent), 0, 100, NULL, NULL },
	{ "min", KEY_INT, OFF(brightness.min_percent), 0, 100, NULL, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL },
};

static const struct key root_keys[] = {
	{ "output", KEY_GROUP, 0, 0, 0, NULL, output_keys },
	{ "touch", KEY_GROUP, 0, 0, 0, NULL, touch_keys },
	{ "cards", KEY_GROUP, 0, 0, 0, NULL, cards_keys },
	{ "brightness", KEY_GROUP, 0, 0, 0, NULL, brightness_keys },
	{ "renderer", KEY_CHOICE, OFF(renderer), 0, 0, renderer_names, NULL },
	{ "dbus", KEY_CHOICE, OFF(dbus), 0, 0, bus_names, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL },
};

const char *verso_renderer_str(enum verso_renderer renderer) {
	return (unsigned)renderer < 3 ? renderer_names[renderer] : "unknown";
}

const char *verso_dbus_bus_str(enum verso_dbus_bus bus) {
	return (unsigned)bus < 2 ? bus_names[bus] : "unknown";
}

const char *verso_touch_wake_str(enum verso_touch_wake wake) {
	return (unsigned)wake < 4 ? wake_names[wake] : "unknown";
}

struct verso_config *verso_config_create(void) {
	struct verso_config *cfg = calloc(1, sizeof(*cfg));
	if (cfg == NULL) {
		return NULL;
	}
	cfg->output.rotation = 0;
	cfg->output.scale = 1;
	verso_frame_sched_config_defaults(&cfg->frames);
	cfg->touch.wake = VERSO_WAKE_DOUBLE_TAP;
	verso_touch_filter_config_defaults(&cfg->filter);
	verso_gesture_config_defaults(&cfg->gesture);
	verso_carousel_config_defaults(&cfg->cards);
	cfg->renderer = VERSO_RENDERER_AUTO;
	cfg->dbus = VERSO_DBUS_SESSION;
	cfg->brightness.default_percent = 60;
	cfg->brightness.min_percent = 5;
	return cfg;
}

void verso_config_destroy(struct verso_config *cfg) {
	if (cfg == NULL) {
		return;
	}
	free(cfg->output.name);
	free(cfg->touch.device);
	free(cfg->touch.udev_property);
	free(cfg->source);
	free(cfg);
}

bool verso_parse_duration(const char *text, int32_t *ms) {
	static const struct {
		const char *suffix;
		double factor;
	} units[] = {
		{ "", 1 }, { "ms", 1 }, { "s", 1000 }, { "min", 60000 },
		{ "m", 60000 }, { "h", 3600000 },
	};
	if (text == NULL) {
		return false;
	}
	while (isspace((unsigned char)*text)) {
		text++;
	}
	/* Plain decimals only: strtod alone would take "inf", "nan", "1e9"
	 * and hex floats. */
	size_t digits = strspn(text, "0123456789.");
	char num[32], *end;
	if (digits == 0 || digits >= sizeof(num)) {
		return false;
	}
	memcpy(num, text, digits);
	num[digits] = '\0';
	errno = 0;
	double v = strtod(num, &end);
	if (errno != 0 || *end != '\0' || !isfinite(v) || v < 0) {
		return false;
	}
	end = (char *)text + digits;
	while (isspace((unsigned char)*end)) {
		end++;
	}
	size_t len = strlen(end);
	while (len > 0 && isspace((unsigned char)end[len - 1])) {
		len--;
	}
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strlen(units[i].suffix) == len &&
				strncmp(end, units[i].suffix, len) == 0) {
			double r = round(v * units[i].factor);
			if (r > MAX_MS) {
				return false;
			}
			*ms = (int32_t)r;
			return true;
		}
	}
	return false;
}

struct parser {
	struct verso_config *cfg;
	struct verso_config_error *err;
	const char *source;
};

static const char *type_name(int type) {
	switch (type) {
	case CONFIG_TYPE_GROUP:
		return "a group";
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64:
		return "an integer";
	case CONFIG_TYPE_FLOAT:
		return "a number";
	case CONFIG_TYPE_STRING:
		return "a string";
	case CONFIG_TYPE_BOOL:
		return "a boolean";
	case CONFIG_TYPE_ARRAY:
		return "an array";
	case CONFIG_TYPE_LIST:
		return "a list";
	}
	return "nothing";
}

static const char *kind_name(enum key_kind kind) {
	switch (kind) {
	case KEY_INT:
	case KEY_ANGLE:
		return "an integer";
	case KEY_NUMBER:
		return "a number";
	case KEY_DURATION:
		return "a duration (milliseconds or a string such as \"300ms\")";
	case KEY_BOOL:
		return "a boolean (true or false)";
	case KEY_STRING:
	case KEY_CHOICE:
		return "a string";
	case KEY_GROUP:
		return "a group { ... }";
	}
	return "?";
}

__attribute__((format(printf, 5, 6)))
static bool fail(struct parser *p, enum verso_config_error_kind kind,
		const config_setting_t *s, const char *key, const char *fmt, ...) {
	struct verso_config_error *err = p->err;
	char what[384];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);

	err->kind = kind;
	err->line = s != NULL ? (int)config_setting_source_line(s) : 0;
	snprintf(err->key, sizeof(err->key), "%s", key ? key : "");
	const char *file = s != NULL && config_setting_source_file(s) != NULL ?
		config_setting_source_file(s) : p->source;
	if (err->line > 0 && key != NULL) {
		snprintf(err->message, sizeof(err->message), "%s:%d: %s: %s",
			file, err->line, key, what);
	} else if (err->line > 0) {
		snprintf(err->message, sizeof(err->message), "%s:%d: %s",
			file, err->line, what);
	} else {
		snprintf(err->message, sizeof(err->message), "%s: %s", file, what);
	}
	return false;
}

static bool is_int(const config_setting_t *s) {
	int t = config_setting_type(s);
	return t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64;
}

static bool check_range(struct parser *p, const struct key *k,
		const config_setting_t *s, const char *path, double v) {
	if (!(v >= k->min && v <= k->max)) {
		return fail(p, VERSO_CONFIG_ERR_VALUE, s, path,
			"%g is out of range [%g, %g]", v, k->min, k->max);
	}
	return true;
}

static bool set_value(struct parser *p, const struct key *k,
		const config_setting_t *s, const char *path) {
	void *field = (char *)p->cfg + k->offset;
	int type = config_setting_type(s);
	const char *str;

	switch (k->kind) {
	case KEY_INT:
	case KEY_ANGLE: {
		if (!is_int(s)) {
			break;
		}
		long long v = config_setting_get_int64(s);
		if (k->kind == KEY_ANGLE && (v < 0 || v > 270 || v % 90 != 0)) {
			return fail(p, VERSO_CONFIG_ERR_VALUE, s, path,
				"must be 0, 90, 180 or 270 (got %lld)", v);
		}
		if (!check_range(p, k, s, path, (double)v)) {
			return false;
		}
		*(int32_t *)field = (int32_t)v;
		return true;
	}
	case KEY_NUMBER: {
		double v;
		if (type == CONFIG_TYPE_FLOAT) {
			v = config_setting_get_float(s);
		} else if (is_int(s)) {
			v = (double)config_setting_get_int64(s);
		} else {
			break;
		}
		if (!check_range(p, k, s, path, v)) {
			return false;
		}
		*(double *)field = v;
		return true;
	}
	case KEY_DURATION: {
		int32_t ms;
		if (is_int(s)) {
			long long v = config_setting_get_int64(s);
			if (v < 0 || v > (long long)MAX_MS) {
				return fail(p, VERSO_CONFIG_ERR_VALUE, s, path,
					"%lld ms is not a valid duration", v);
			}
			ms = (int32_t)v;
		} else if (type == CONFIG_TYPE_STRING) {
			str = config_setting_get_string(s);
			if (!verso_parse_duration(str, &ms)) {
				return fail(p, VERSO_CONFIG_ERR_VALUE, s, path,
					"\"%.64s\" is not a duration (use \"300ms\", "
					"\"15s\", \"2min\" or milliseconds)", str);
			}
		} else {
			break;
		}
		if (!check_range(p, k, s, path, ms)) {
			return false;
		}
		*(int32_t *)field = ms;
		return true;
	}
	case KEY_BOOL:
		if (type != CONFIG_TYPE_BOOL) {
			break;
		}
		*(bool *)field = config_setting_get_bool(s);
		return true;
	case KEY_STRING: {
		if (type != CONFIG_TYPE_STRING) {
			break;
		}
		str = config_setting_get_string(s);
		char *dup = NULL;
		if (str != NULL && str[0] != '\0' && (dup = strdup(str)) == NULL) {
			return fail(p, VERSO_CONFIG_ERR_NOMEM, s, path,
				"out of memory");
		}
		free(*(char **)field);
		*(char **)field = dup;
		return true;
	}
	case KEY_CHOICE: {
		if (type != CONFIG_TYPE_STRING) {
			break;
		}
		str = config_setting_get_string(s);
		char list[128] = "";
		for (int i = 0; k->choices[i] != NULL; i++) {
			if (str != NULL && strcmp(str, k->choices[i]) == 0) {
				*(int *)field = i;
				return true;
			}
			size_t used = strlen(list);
			snprintf(list + used, sizeof(list) - used, "%s%s",
				i ? ", " : "", k->choices[i]);
		}
		return fail(p, VERSO_CONFIG_ERR_VALUE, s, path,
			"\"%.64s\" is not one of: %s", str ? str : "", list);
	}
	case KEY_GROUP:
		break;
	}
	return fail(p, VERSO_CONFIG_ERR_TYPE, s, path, "expected %s, got %s",
		kind_name(k->kind), type_name(type));
}

static bool parse_group(struct parser *p, const struct key *keys,
		const config_setting_t *group, const char *prefix) {
	int n = config_setting_length(group);
	for (int i = 0; i < n; i++) {
		const config_setting_t *s = config_setting_get_elem(group, i);
		const char *name = s ? config_setting_name(s) : NULL;
		char path[64];
		if (name == NULL) {
			return fail(p, VERSO_CONFIG_ERR_SYNTAX, s, prefix,
				"unnamed setting");
		}
		snprintf(path, sizeof(path), "%s%s%.40s", prefix ? prefix : "",
			prefix ? "." : "", name);

		const struct key *k = keys;
		while (k->name != NULL && strcmp(k->name, name) != 0) {
			k++;
		}
		if (k->name == NULL) {
			return fail(p, VERSO_CONFIG_ERR_UNKNOWN_KEY, s, NULL,
				"unknown key '%s'", path);
		}
		if (k->kind == KEY_GROUP) {
			if (!config_setting_is_group(s)) {
				return fail(p, VERSO_CONFIG_ERR_TYPE, s, path,
					"expected a group { ... }, got %s",
					type_name(config_setting_type(s)));
			}
			if (!parse_group(p, k->children, s, path)) {
				return false;
			}
		} else if (!set_value(p, k, s, path)) {
			return false;
		}
	}
	return true;
}

/* Rules across keys. */
static bool validate(struct parser *p, const config_t *lc) {
	struct verso_config *cfg = p->cfg;
	if (cfg->brightness.min_percent > cfg->brightness.default_percent) {
		return fail(p, VERSO_CONFIG_ERR_VALUE,
			config_lookup(lc, "brightness.min"), "brightness.min",
			"%d is above brightness.default (%d)",
			cfg->brightness.min_percent, cfg->brightness.default_percent);
	}
	if (cfg->frames.idle_refresh_hz > cfg->frames.refresh_hz) {
		return fail(p, VERSO_CONFIG_ERR_VALUE,
			config_lookup(lc, "output.idle_refresh"), "output.idle_refresh",
			"%d Hz is above output.refresh (%d Hz)",
			cfg->frames.idle_refresh_hz, cfg->frames.refresh_hz);
	}
	return true;
}

/*
 * No @include: libconfig 1.5 exits the whole process when an include names
 * a directory ("input in flex scanner failed"), so a typo in a reloaded
 * file would kill versod. Rooting includes in a directory that cannot exist
 * makes each one fail cleanly instead.
 */
#define NO_INCLUDE_DIR "/nonexistent/verso-no-include"

static struct verso_config *load(config_t *lc, bool ok, const char *source,
		struct verso_config_error *err) {
	struct verso_config_error scratch;
	struct parser p = { .err = err ? err : &scratch, .source = source };

	memset(p.err, 0, sizeof(*p.err));
	if (!ok) {
		bool io = config_error_type(lc) == CONFIG_ERR_FILE_IO;
		const char *text = config_error_text(lc);
		p.err->kind = io ? VERSO_CONFIG_ERR_IO : VERSO_CONFIG_ERR_SYNTAX;
		p.err->line = config_error_line(lc);
		const char *file = config_error_file(lc) ? config_error_file(lc) :
			source;
		if (io) {
			snprintf(p.err->message, sizeof(p.err->message),
				"%s: cannot read: %s", file, strerror(errno));
		} else if (text != NULL && strstr(text, "include") != NULL) {
			snprintf(p.err->message, sizeof(p.err->message),
				"%s:%d: @include is not supported", file,
				p.err->line);
		} else {
			snprintf(p.err->message, sizeof(p.err->message),
				"%s:%d: %s", file, p.err->line,
				text ? text : "syntax error");
		}
		return NULL;
	}

	p.cfg = verso_config_create();
	if (p.cfg == NULL) {
		fail(&p, VERSO_CONFIG_ERR_NOMEM, NULL, NULL, "out of memory");
		return NULL;
	}
	if (!parse_group(&p, root_keys, config_root_setting(lc), NULL) ||
			!validate(&p, lc)) {
		verso_config_destroy(p.cfg);
		return NULL;
	}
	return p.cfg;
}

struct verso_config *verso_config_load_string(const char *text,
		const char *name, struct verso_config_error *err) {
	config_t lc;
	config_init(&lc);
	config_set_include_dir(&lc, NO_INCLUDE_DIR);
	bool ok = text != NULL && config_read_string(&lc, text) == CONFIG_TRUE;
	if (text == NULL) {
		lc.error_type = CONFIG_ERR_PARSE;
		lc.error_text = "no text";
	}
	struct verso_config *cfg = load(&lc, ok, name ? name : "<string>", err);
	config_destroy(&lc);
	return cfg;
}

struct verso_config *verso_config_load_file(const char *path,
		struct verso_config_error *err) {
	struct verso_config_error scratch;
	err = err ? err : &scratch;
	if (path == NULL) {
		memset(err, 0, sizeof(*err));
		err->kind = VERSO_CONFIG_ERR_IO;
		snprintf(err->message, sizeof(err->message), "no config path");
		return NULL;
	}

	/* libconfig reads a directory or a FIFO happily: refuse them. The
	 * check is on the fd that is read, so a file swapped for a FIFO in
	 * between cannot block the compositor. */
	struct stat st;
	const char *why = NULL;
	FILE *f = NULL;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) != 0) {
		why = strerror(errno);
	} else if (!S_ISREG(st.st_mode)) {
		why = "not a regular file";
	} else if ((f = fdopen(fd, "r")) == NULL) {
		why = strerror(errno);
	}
	if (why != NULL) {
		if (fd >= 0) {
			close(fd);
		}
		memset(err, 0, sizeof(*err));
		err->kind = VERSO_CONFIG_ERR_IO;
		snprintf(err->message, sizeof(err->message),
			"%s: cannot read: %s", path, why);
		return NULL;
	}

	config_t lc;
	config_init(&lc);
	config_set_include_dir(&lc, NO_INCLUDE_DIR);
	errno = 0;
	bool ok = config_read(&lc, f) == CONFIG_TRUE;
	fclose(f);
	struct verso_config *cfg = load(&lc, ok, path, err);
	config_destroy(&lc);
	if (cfg != NULL && (cfg->source = strdup(path)) == NULL) {
		verso_config_destroy(cfg);
		err->kind = VERSO_CONFIG_ERR_NOMEM;
		snprintf(err->message, sizeof(err->message), "out of memory");
		return NULL;
	}
	return cfg;
}

bool verso_config_reload(struct verso_config **cfg, const char *path,
		struct verso_config_error *err) {
	struct verso_config *next = verso_config_load_file(path, err);
	if (next == NULL) {
		return false;
	}
	verso_config_destroy(*cfg);
	*cfg = next;
	return true;
}

static bool exists(const char *path) {
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

const char *verso_config_find(char *buf, size_t size) {
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	int n = -1;

	if (xdg != NULL && xdg[0] == '/') {
		n = snprintf(buf, size, "%s/verso/versod.conf", xdg);
	} else if (home != NULL && home[0] != '\0') {
		n = snprintf(buf, size, "%s/.config/verso/versod.conf", home);
	}
	if (n > 0 && (size_t)n < size && exists(buf)) {
		return buf;
	}
	n = snprintf(buf, size, "/etc/verso/versod.conf");
	if (n > 0 && (size_t)n < size && exists(buf)) {
		return buf;
	}
	return NULL;
}
