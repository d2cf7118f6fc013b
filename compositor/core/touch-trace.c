// SPDX-License-Identifier: MIT
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "touch-trace.h"

const char *verso_touch_type_str(enum verso_touch_type type) {
	switch (type) {
	case VERSO_TOUCH_DOWN:
		return "down";
	case VERSO_TOUCH_MOTION:
		return "motion";
	case VERSO_TOUCH_UP:
		return "up";
	case VERSO_TOUCH_CANCEL:
		return "cancel";
	case VERSO_TOUCH_FRAME:
		return "frame";
	}
	return "unknown";
}

void verso_touch_trace_finish(struct verso_touch_trace *trace) {
	free(trace->events);
	free(trace->expect);
	free(trace->config);
	memset(trace, 0, sizeof(*trace));
}

__attribute__((format(printf, 4, 5)))
static bool fail(char *err, size_t size, int line, const char *fmt, ...) {
	if (err != NULL && size > 0) {
		char what[192];
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(what, sizeof(what), fmt, ap);
		va_end(ap);
		snprintf(err, size, "line %d: %s", line, what);
	}
	return false;
}

static char *append(char *dst, const char *src) {
	size_t a = dst ? strlen(dst) : 0, b = strlen(src);
	char *r = realloc(dst, a + b + 2);
	if (r == NULL) {
		free(dst);
		return NULL;
	}
	memcpy(r + a, src, b);
	r[a + b] = '\n';
	r[a + b + 1] = '\0';
	return r;
}

static const char *after_directive(const char *line, const char *name) {
	size_t n = strlen(name);
	while (*line == '#' || *line == ' ' || *line == '\t') {
		line++;
	}
	if (strncmp(line, name, n) != 0 || line[n] != ':') {
		return NULL;
	}
	line += n + 1;
	while (*line == ' ' || *line == '\t') {
		line++;
	}
	return line;
}

static bool directive(struct verso_touch_trace *t, const char *line,
		char *err, size_t size, int lineno) {
	const char *v;
	if ((v = after_directive(line, "expect")) != NULL) {
		free(t->expect);
		t->expect = strdup(v);
		return t->expect != NULL || fail(err, size, lineno, "out of memory");
	}
	if ((v = after_directive(line, "config")) != NULL) {
		t->config = append(t->config, v);
		return t->config != NULL || fail(err, size, lineno, "out of memory");
	}
	if ((v = after_directive(line, "size")) != NULL) {
		double w, h;
		if (sscanf(v, "%lf %lf", &w, &h) != 2 || !(w >= 1 && w <= 65536) ||
				!(h >= 1 && h <= 65536)) {
			return fail(err, size, lineno, "bad size");
		}
		t->width = w;
		t->height = h;
		return true;
	}
	if ((v = after_directive(line, "units_per_mm")) != NULL) {
		double u;
		if (sscanf(v, "%lf", &u) != 1 || !(u > 0 && u < 1e6)) {
			return fail(err, size, lineno, "bad units_per_mm");
		}
		t->units_per_mm = u;
		return true;
	}
	return true; /* a plain comment */
}

static bool push(struct verso_touch_trace *t, const struct verso_trace_event *ev) {
	if (t->len == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		struct verso_trace_event *e = realloc(t->events, cap * sizeof(*e));
		if (e == NULL) {
			return false;
		}
		t->events = e;
		t->cap = cap;
	}
	t->events[t->len++] = *ev;
	return true;
}

static bool event_line(struct verso_touch_trace *t, const char *line,
		char *err, size_t size, int lineno, int64_t *last_ms) {
	static const struct {
		const char *name;
		enum verso_trace_kind kind;
		enum verso_touch_type type;
		int min_args; /* after the type */
	} names[] = {
		{ "down", VERSO_TRACE_TOUCH, VERSO_TOUCH_DOWN, 3 },
		{ "motion", VERSO_TRACE_TOUCH, VERSO_TOUCH_MOTION, 3 },
		{ "up", VERSO_TRACE_TOUCH, VERSO_TOUCH_UP, 1 },
		{ "cancel", VERSO_TRACE_TOUCH, VERSO_TOUCH_CANCEL, 1 },
		{ "frame", VERSO_TRACE_TOUCH, VERSO_TOUCH_FRAME, 0 },
		{ "cover", VERSO_TRACE_COVER, 0, 0 },
		{ "uncover", VERSO_TRACE_UNCOVER, 0, 0 },
		{ "wake", VERSO_TRACE_WAKE, 0, 0 },
		{ "palm", VERSO_TRACE_PALM, 0, 1 },
	};
	long long t_ms;
	char type[16];
	long long id = 0;
	int used = 0;
	double v[4] = { 0, 0, 0, 0 };

	if (sscanf(line, "%lld %15s%n", &t_ms, type, &used) != 2) {
		return fail(err, size, lineno, "expected: t_ms type ...");
	}
	if (t_ms < 0 || t_ms < *last_ms) {
		return fail(err, size, lineno, "time %lld goes backwards", t_ms);
	}
	*last_ms = t_ms;

	size_t i = 0;
	while (i < sizeof(names) / sizeof(names[0]) &&
			strcmp(names[i].name, type) != 0) {
		i++;
	}
	if (i == sizeof(names) / sizeof(names[0])) {
		return fail(err, size, lineno, "unknown event '%s'", type);
	}

	const char *rest = line + used;
	int got = 0, n = 0;
	if (names[i].min_args > 0) {
		got = sscanf(rest, "%lld%n", &id, &n);
		if (got != 1 || id < INT32_MIN || id > INT32_MAX) {
			return fail(err, size, lineno, "%s needs an id", type);
		}
		rest += n;
		for (int k = 0; k < 4; k++) {
			if (sscanf(rest, "%lf%n", &v[k], &n) != 1) {
				break;
			}
			rest += n;
			got++;
		}
		if (got < names[i].min_args) {
			return fail(err, size, lineno, "%s needs id x y", type);
		}
	}

	struct verso_trace_event ev = {
		.kind = names[i].kind,
		.touch = {
			.type = names[i].type,
			.id = (int32_t)id,
			.time_ms = t_ms,
			.x = v[0],
			.y = v[1],
			.major = v[2],
			.minor = v[3],
		},
	};
	return push(t, &ev) || fail(err, size, lineno, "out of memory");
}

bool verso_touch_trace_parse(struct verso_touch_trace *trace, const char *text,
		char *err, size_t err_size) {
	memset(trace, 0, sizeof(*trace));
	trace->width = trace->height = 480;
	trace->units_per_mm = 1;
	if (text == NULL) {
		return fail(err, err_size, 0, "no text");
	}

	int lineno = 0;
	int64_t last_ms = 0;
	const char *p = text;
	while (*p != '\0') {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		char line[512];
		lineno++;
		if (len >= sizeof(line)) {
			verso_touch_trace_finish(trace);
			return fail(err, err_size, lineno, "line too long");
		}
		memcpy(line, p, len);
		line[len] = '\0';
		p += len + (eol != NULL);

		char *s = line;
		while (*s == ' ' || *s == '\t' || *s == '\r') {
			s++;
		}
		bool ok = true;
		if (*s == '#') {
			ok = directive(trace, s, err, err_size, lineno);
		} else if (*s != '\0') {
			ok = event_line(trace, s, err, err_size, lineno, &last_ms);
		}
		if (!ok) {
			verso_touch_trace_finish(trace);
			return false;
		}
	}
	return true;
}

bool verso_touch_trace_load(struct verso_touch_trace *trace, const char *path,
		char *err, size_t err_size) {
	FILE *f = fopen(path, "re");
	memset(trace, 0, sizeof(*trace));
	if (f == NULL) {
		return fail(err, err_size, 0, "%s: %s", path, strerror(errno));
	}
	char *buf = NULL;
	size_t len = 0, cap = 0;
	for (;;) {
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 8192;
			char *b = realloc(buf, cap);
			if (b == NULL || cap > (16u << 20)) {
				free(b ? b : buf);
				fclose(f);
				return fail(err, err_size, 0, "%s: too big", path);
			}
			buf = b;
		}
		size_t n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
		if (n == 0) {
			break;
		}
	}
	fclose(f);
	buf[len] = '\0';
	bool ok = verso_touch_trace_parse(trace, buf, err, err_size);
	free(buf);
	return ok;
}

struct replay {
	struct verso_gesture *gesture;
	struct verso_trace_result *result;
};

static void add_gestures(struct verso_trace_result *r,
		const struct verso_gesture_event *ev, int n) {
	for (int i = 0; i < n; i++) {
		if (r->n_gestures < sizeof(r->gestures) / sizeof(r->gestures[0])) {
			r->gestures[r->n_gestures] = ev[i];
		}
		r->n_gestures++;
	}
}

static void on_accepted(const struct verso_touch_event *ev, void *data) {
	struct replay *rp = data;
	struct verso_gesture_event out[VERSO_GESTURE_MAX_OUT];
	if (ev->type != VERSO_TOUCH_FRAME) {
		rp->result->n_accepted++;
	}
	if (ev->type == VERSO_TOUCH_CANCEL) {
		rp->result->n_cancels++;
	}
	add_gestures(rp->result, out, verso_gesture_feed(rp->gesture, ev, out));
}

/* The compositor's timer: fires at the deadline if it is before now. */
static void run_timer(struct verso_gesture *g, struct verso_trace_result *r,
		int64_t now_ms) {
	struct verso_gesture_event out[VERSO_GESTURE_MAX_OUT];
	int64_t at = verso_gesture_next_deadline(g);
	if (at >= 0 && at <= now_ms) {
		add_gestures(r, out, verso_gesture_timeout(g, at, out));
	}
}

void verso_touch_trace_replay(const struct verso_touch_trace *trace,
		const struct verso_config *cfg, struct verso_trace_result *result) {
	struct verso_touch_filter filter;
	struct verso_gesture gesture;
	struct replay rp = { .gesture = &gesture, .result = result };

	memset(result, 0, sizeof(*result));
	verso_gesture_init(&gesture, &cfg->gesture);
	verso_touch_filter_init(&filter, &cfg->filter, trace->width,
		trace->height, trace->units_per_mm, on_accepted, &rp);

	for (size_t i = 0; i < trace->len; i++) {
		const struct verso_trace_event *ev = &trace->events[i];
		run_timer(&gesture, result, ev->touch.time_ms);
		switch (ev->kind) {
		case VERSO_TRACE_TOUCH:
			verso_touch_filter_feed(&filter, &ev->touch);
			break;
		case VERSO_TRACE_COVER:
		case VERSO_TRACE_UNCOVER:
			verso_touch_filter_proximity(&filter,
				ev->kind == VERSO_TRACE_COVER, ev->touch.time_ms);
			break;
		case VERSO_TRACE_WAKE:
			verso_touch_filter_wake(&filter, ev->touch.time_ms);
			break;
		case VERSO_TRACE_PALM:
			/* As touch.c: after the down or motion it came with. */
			verso_touch_filter_size(&filter, ev->touch.id, 0, true,
				ev->touch.time_ms);
			break;
		}
	}
	run_timer(&gesture, result, INT64_MAX);
	result->filter = filter.stats;
}
