// SPDX-License-Identifier: MIT
/*
 * The accidental-touch filter, on its own and, through the recorded
 * sequences in tests/data/touch/, together with the gesture recognizer.
 */
#include <dirent.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/config.h"
#include "core/touch-filter.h"
#include "core/touch-trace.h"

#define TOUCH_DATA VERSO_TEST_DATA "/touch"

/* Collects what the filter lets through. */
struct sink {
	struct verso_touch_event ev[256];
	size_t n;
};

static void collect(const struct verso_touch_event *ev, void *data) {
	struct sink *s = data;
	if (s->n < sizeof(s->ev) / sizeof(s->ev[0])) {
		s->ev[s->n] = *ev;
	}
	s->n++;
}

static void feed(struct verso_touch_filter *f, enum verso_touch_type type,
		int32_t id, int64_t t, double x, double y, double major) {
	struct verso_touch_event ev = {
		.type = type, .id = id, .time_ms = t, .x = x, .y = y,
		.major = major,
	};
	verso_touch_filter_feed(f, &ev);
}

static void setup_filter(struct verso_touch_filter *f, struct sink *s) {
	struct verso_touch_filter_config cfg;
	verso_touch_filter_config_defaults(&cfg);
	memset(s, 0, sizeof(*s));
	verso_touch_filter_init(f, &cfg, 480, 480, 1, collect, s);
}

/* One recorded sequence: the gestures it yields must be its "expect". */
static void run_fixture(void **state) {
	const char *name = *state;
	char path[512], err[256];
	struct verso_touch_trace trace;
	struct verso_trace_result res;
	struct verso_config_error cerr;

	snprintf(path, sizeof(path), TOUCH_DATA "/%s", name);
	if (!verso_touch_trace_load(&trace, path, err, sizeof(err))) {
		fail_msg("%s: %s", name, err);
	}
	assert_non_null(trace.expect);

	struct verso_config *cfg = trace.config ?
		verso_config_load_string(trace.config, name, &cerr) :
		verso_config_create();
	if (cfg == NULL) {
		fail_msg("%s: %s", name, cerr.message);
	}
	verso_touch_trace_replay(&trace, cfg, &res);

	char got[256] = "";
	for (size_t i = 0; i < res.n_gestures && i < 64; i++) {
		size_t used = strlen(got);
		snprintf(got + used, sizeof(got) - used, "%s%s", i ? " " : "",
			verso_gesture_type_str(res.gestures[i].type));
	}
	if (res.n_gestures == 0) {
		snprintf(got, sizeof(got), "none");
	}
	print_message("%-28s expect %-22s got %-22s (fwd %zu, cancel %zu, "
		"edge-released %u)\n", name, trace.expect, got, res.n_accepted,
		res.n_cancels, res.filter.released_from_edge);
	assert_string_equal(got, trace.expect);

	verso_config_destroy(cfg);
	verso_touch_trace_finish(&trace);
}

/* Reasons behind some fixtures' outcomes, beyond the gestures. */
static void replay_named(const char *name, struct verso_trace_result *res) {
	char path[512], err[256];
	struct verso_touch_trace trace;
	snprintf(path, sizeof(path), TOUCH_DATA "/%s", name);
	if (!verso_touch_trace_load(&trace, path, err, sizeof(err))) {
		fail_msg("%s: %s", name, err);
	}
	struct verso_config *cfg = verso_config_create();
	verso_touch_trace_replay(&trace, cfg, res);
	verso_config_destroy(cfg);
	verso_touch_trace_finish(&trace);
}

static void test_fixture_reasons(void **state) {
	struct verso_trace_result r;

	replay_named("palm-edge.txt", &r);
	assert_int_equal(r.n_accepted, 0);
	assert_int_equal(r.filter.rejected[VERSO_TOUCH_REJECT_PALM], 2);

	replay_named("palm-grows.txt", &r);
	assert_int_equal(r.n_cancels, 1);
	assert_int_equal(r.filter.rejected[VERSO_TOUCH_REJECT_PALM], 1);

	replay_named("edge-grip.txt", &r);
	assert_int_equal(r.n_accepted, 0);
	assert_int_equal(r.filter.rejected[VERSO_TOUCH_REJECT_EDGE], 1);

	replay_named("swipe-right-from-edge.txt", &r);
	assert_int_equal(r.filter.released_from_edge, 1);

	replay_named("pocket-burst.txt", &r);
	assert_true(r.filter.rejected[VERSO_TOUCH_REJECT_POCKET] >= 3);

	replay_named("pocket-multi.txt", &r);
	assert_int_equal(r.filter.rejected[VERSO_TOUCH_REJECT_POCKET], 4);
	assert_int_equal(r.n_cancels, 3);

	replay_named("grace-tap.txt", &r);
	assert_int_equal(r.filter.rejected[VERSO_TOUCH_REJECT_GRACE], 1);

	replay_named("proximity-covered.txt", &r);
	assert_int_equal(r.filter.rejected[VERSO_TOUCH_REJECT_PROXIMITY], 1);

	replay_named("proximity-during-swipe.txt", &r);
	assert_int_equal(r.n_cancels, 1);
}

static void test_edge_release_keeps_origin(void **state) {
	struct verso_touch_filter f;
	struct sink s;
	setup_filter(&f, &s);

	feed(&f, VERSO_TOUCH_DOWN, 3, 100, 5, 200, 6);
	feed(&f, VERSO_TOUCH_MOTION, 3, 110, 20, 200, 6);
	assert_int_equal(s.n, 0);
	assert_int_equal(verso_touch_filter_verdict(&f, 3), VERSO_TOUCH_HELD);
	feed(&f, VERSO_TOUCH_MOTION, 3, 120, 50, 201, 6);
	feed(&f, VERSO_TOUCH_FRAME, 0, 120, 0, 0, 0);
	assert_int_equal(s.n, 3);
	/* Where it landed, at the time it was let through. */
	assert_int_equal(s.ev[0].type, VERSO_TOUCH_DOWN);
	assert_int_equal(s.ev[0].time_ms, 120);
	assert_true(s.ev[0].x == 5 && s.ev[0].y == 200);
	assert_int_equal(s.ev[1].type, VERSO_TOUCH_MOTION);
	assert_true(s.ev[1].x == 50);
	assert_int_equal(s.ev[2].type, VERSO_TOUCH_FRAME);

	/* Moving along the edge is not moving inward. */
	feed(&f, VERSO_TOUCH_DOWN, 4, 200, 240, 475, 6);
	feed(&f, VERSO_TOUCH_MOTION, 4, 220, 400, 476, 6);
	feed(&f, VERSO_TOUCH_UP, 4, 240, 0, 0, 0);
	assert_int_equal(s.n, 3);
}

static void test_palm_cancels_neighbours(void **state) {
	struct verso_touch_filter f;
	struct sink s;
	setup_filter(&f, &s);

	feed(&f, VERSO_TOUCH_DOWN, 1, 0, 200, 200, 6);
	feed(&f, VERSO_TOUCH_DOWN, 2, 5, 260, 210, 6); /* same hand */
	feed(&f, VERSO_TOUCH_DOWN, 3, 8, 200, 420, 6); /* 220 px away */
	feed(&f, VERSO_TOUCH_FRAME, 0, 8, 0, 0, 0);
	assert_int_equal(s.n, 4);
	s.n = 0;
	/* Contact 1 flattens into a palm. */
	feed(&f, VERSO_TOUCH_MOTION, 1, 20, 202, 200, 30);
	feed(&f, VERSO_TOUCH_FRAME, 0, 20, 0, 0, 0);
	assert_int_equal(s.n, 3);
	assert_int_equal(s.ev[0].type, VERSO_TOUCH_CANCEL);
	assert_int_equal(s.ev[0].id, 1);
	assert_int_equal(s.ev[1].type, VERSO_TOUCH_CANCEL);
	assert_int_equal(s.ev[1].id, 2);
	assert_int_equal(s.ev[2].type, VERSO_TOUCH_FRAME);
	assert_int_equal(verso_touch_filter_verdict(&f, 3), VERSO_TOUCH_ACCEPTED);
	/* Cancelled contacts stay silent until they lift. */
	s.n = 0;
	feed(&f, VERSO_TOUCH_MOTION, 2, 30, 270, 210, 6);
	feed(&f, VERSO_TOUCH_UP, 2, 40, 0, 0, 0);
	assert_int_equal(s.n, 0);
	/* A new contact next to the palm is palm too. */
	feed(&f, VERSO_TOUCH_DOWN, 5, 50, 230, 230, 6);
	assert_int_equal(verso_touch_filter_verdict(&f, 5),
		VERSO_TOUCH_REJECT_PALM);
	/* The far one still works. */
	feed(&f, VERSO_TOUCH_UP, 3, 60, 0, 0, 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.ev[0].type, VERSO_TOUCH_UP);
	assert_int_equal(s.ev[0].id, 3);
}

/* Size changes without a move, and the device's own palm verdict. */
static void test_palm_size_only(void **state) {
	struct verso_touch_filter f;
	struct sink s;
	setup_filter(&f, &s);

	feed(&f, VERSO_TOUCH_DOWN, 1, 0, 200, 200, 6);
	feed(&f, VERSO_TOUCH_DOWN, 2, 0, 260, 200, 6); /* same hand */
	feed(&f, VERSO_TOUCH_DOWN, 3, 0, 200, 420, 6); /* 220 px away */
	feed(&f, VERSO_TOUCH_FRAME, 0, 0, 0, 0, 0);
	s.n = 0;
	/* Unknown ids and finger sizes change nothing. */
	verso_touch_filter_size(&f, 9, 40, true, 10);
	verso_touch_filter_size(&f, 1, 12, false, 10);
	assert_int_equal(s.n, 0);
	/* Spreads to 20 mm in place: it and its neighbour, in their own frame. */
	verso_touch_filter_size(&f, 1, 20, false, 20);
	assert_int_equal(s.n, 3);
	assert_int_equal(s.ev[0].type, VERSO_TOUCH_CANCEL);
	assert_int_equal(s.ev[0].id, 1);
	assert_int_equal(s.ev[1].type, VERSO_TOUCH_CANCEL);
	assert_int_equal(s.ev[1].id, 2);
	assert_int_equal(s.ev[2].type, VERSO_TOUCH_FRAME);
	/* Once a palm, it stays one silently. */
	verso_touch_filter_size(&f, 1, 30, true, 30);
	assert_int_equal(s.n, 3);

	/* The tool type says palm: a palm whatever the size limits. */
	struct verso_touch_filter_config cfg;
	verso_touch_filter_config_defaults(&cfg);
	cfg.max_contact_mm = 0;
	verso_touch_filter_configure(&f, &cfg, 480, 480, 0);
	s.n = 0;
	verso_touch_filter_size(&f, 3, 1000, false, 40);
	assert_int_equal(s.n, 0);
	verso_touch_filter_size(&f, 3, 0, true, 40);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.ev[0].type, VERSO_TOUCH_CANCEL);
	assert_int_equal(s.ev[0].id, 3);
	assert_int_equal(verso_touch_filter_verdict(&f, 3),
		VERSO_TOUCH_REJECT_PALM);
}

/* The controller flags a contact a palm at its down (MT_TOOL_PALM): it
 * never reaches a client, and takes its neighbours along. */
static void test_palm_tool_at_down(void **state) {
	struct verso_touch_filter f;
	struct sink s;
	setup_filter(&f, &s);

	struct verso_touch_event palm = {
		.type = VERSO_TOUCH_DOWN, .id = 1, .time_ms = 0, .x = 200,
		.y = 200, .major = 6, .palm = true,
	};
	verso_touch_filter_feed(&f, &palm);
	feed(&f, VERSO_TOUCH_DOWN, 2, 0, 240, 210, 6); /* same hand */
	feed(&f, VERSO_TOUCH_DOWN, 3, 0, 200, 420, 6); /* 220 px away */
	feed(&f, VERSO_TOUCH_FRAME, 0, 0, 0, 0, 0);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.ev[0].type, VERSO_TOUCH_DOWN);
	assert_int_equal(s.ev[0].id, 3);
	assert_int_equal(s.ev[1].type, VERSO_TOUCH_FRAME);
	assert_int_equal(verso_touch_filter_verdict(&f, 1),
		VERSO_TOUCH_REJECT_PALM);
	assert_int_equal(verso_touch_filter_verdict(&f, 2),
		VERSO_TOUCH_REJECT_PALM);

	/* Flagged later, on a motion of finger size: cancelled, no motion. */
	s.n = 0;
	struct verso_touch_event later = {
		.type = VERSO_TOUCH_MOTION, .id = 3, .time_ms = 10, .x = 202,
		.y = 420, .major = 6, .palm = true,
	};
	verso_touch_filter_feed(&f, &later);
	feed(&f, VERSO_TOUCH_FRAME, 0, 10, 0, 0, 0);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.ev[0].type, VERSO_TOUCH_CANCEL);
	assert_int_equal(s.ev[0].id, 3);
	assert_int_equal(s.ev[1].type, VERSO_TOUCH_FRAME);
}

static void test_palm_units(void **state) {
	struct verso_touch_filter f;
	struct verso_touch_filter_config cfg;
	struct sink s = { .n = 0 };
	verso_touch_filter_config_defaults(&cfg);

	/* Resolution unknown: max_contact_mm cannot apply. */
	verso_touch_filter_init(&f, &cfg, 480, 480, 0, collect, &s);
	feed(&f, VERSO_TOUCH_DOWN, 1, 0, 240, 240, 500);
	assert_int_equal(verso_touch_filter_verdict(&f, 1), VERSO_TOUCH_ACCEPTED);

	/* Raw device units: max_major. */
	cfg.max_major = 200;
	verso_touch_filter_init(&f, &cfg, 480, 480, 0, collect, &s);
	feed(&f, VERSO_TOUCH_DOWN, 1, 0, 240, 240, 201);
	assert_int_equal(verso_touch_filter_verdict(&f, 1),
		VERSO_TOUCH_REJECT_PALM);

	/* 20 units per mm: 14 mm is 280 units. */
	cfg.max_major = 0;
	verso_touch_filter_init(&f, &cfg, 480, 480, 20, collect, &s);
	feed(&f, VERSO_TOUCH_DOWN, 1, 0, 240, 240, 279);
	feed(&f, VERSO_TOUCH_DOWN, 2, 0, 40, 40, 281);
	assert_int_equal(verso_touch_filter_verdict(&f, 1), VERSO_TOUCH_ACCEPTED);
	assert_int_equal(verso_touch_filter_verdict(&f, 2),
		VERSO_TOUCH_REJECT_PALM);
}

static void test_proximity_and_reset(void **state) {
	struct verso_touch_filter f;
	struct sink s;
	setup_filter(&f, &s);

	feed(&f, VERSO_TOUCH_DOWN, 1, 0, 240, 240, 6);
	verso_touch_filter_proximity(&f, true, 10);
	assert_int_equal(s.n, 3); /* down, cancel, frame */
	assert_int_equal(s.ev[1].type, VERSO_TOUCH_CANCEL);
	assert_int_equal(s.ev[2].type, VERSO_TOUCH_FRAME);
	feed(&f, VERSO_TOUCH_UP, 1, 20, 0, 0, 0);
	assert_int_equal(s.n, 3);
	verso_touch_filter_proximity(&f, false, 30);

	feed(&f, VERSO_TOUCH_DOWN, 2, 40, 240, 240, 6);
	feed(&f, VERSO_TOUCH_DOWN, 3, 40, 100, 100, 6);
	s.n = 0;
	verso_touch_filter_reset(&f, 50);
	assert_int_equal(s.n, 3);
	assert_int_equal(s.ev[0].type, VERSO_TOUCH_CANCEL);
	assert_int_equal(s.ev[1].type, VERSO_TOUCH_CANCEL);
	assert_int_equal(verso_touch_filter_verdict(&f, 2), -1);
	/* Their late ups are ignored. */
	feed(&f, VERSO_TOUCH_UP, 2, 60, 0, 0, 0);
	assert_int_equal(s.n, 3);
}

static void test_too_many_contacts(void **state) {
	struct verso_touch_filter f;
	struct verso_touch_filter_config cfg;
	struct sink s = { .n = 0 };
	verso_touch_filter_config_defaults(&cfg);
	cfg.pocket = false;
	verso_touch_filter_init(&f, &cfg, 1000, 1000, 1, collect, &s);
	for (int i = 0; i < VERSO_TOUCH_MAX + 4; i++) {
		feed(&f, VERSO_TOUCH_DOWN, i, i, 100 + 40 * (i % 20),
			100 + 300 * (i / 20), 6);
	}
	assert_int_equal(s.n, VERSO_TOUCH_MAX);
	assert_int_equal(f.stats.rejected[VERSO_TOUCH_REJECT_FULL], 4);
	assert_int_equal(verso_touch_filter_verdict(&f, VERSO_TOUCH_MAX), -1);
}

/*
 * Random junk, including NaN, infinities, absurd times and ids: nothing
 * crashes (ASan/UBSan builds), and the output stays a well-formed stream:
 * DOWN only for an id not open, MOTION/UP/CANCEL only for an open one.
 */
static uint64_t rng = 88172645463325252ull;
static uint64_t next_rand(void) {
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

struct checker {
	int32_t open[VERSO_TOUCH_MAX * 2];
	size_t n_open;
	size_t events;
};

static void check_stream(const struct verso_touch_event *ev, void *data) {
	struct checker *c = data;
	size_t i = 0;
	c->events++;
	if (ev->type == VERSO_TOUCH_FRAME) {
		return;
	}
	while (i < c->n_open && c->open[i] != ev->id) {
		i++;
	}
	bool is_open = i < c->n_open;
	if (ev->type == VERSO_TOUCH_DOWN) {
		assert_false(is_open);
		assert_true(isfinite(ev->x) && isfinite(ev->y));
		assert_true(c->n_open < VERSO_TOUCH_MAX);
		c->open[c->n_open++] = ev->id;
		return;
	}
	assert_true(is_open);
	if (ev->type == VERSO_TOUCH_MOTION) {
		assert_true(isfinite(ev->x) && isfinite(ev->y));
	} else {
		c->open[i] = c->open[--c->n_open];
	}
}

static void random_run(bool pocket, size_t *out_events) {
	static const double values[] = {
		0, 1, 5, 11.9, 12, 100, 160, 240, 300, 468, 479.5, 480, 481,
		-1, -1e300, 1e300, NAN, INFINITY, -INFINITY,
	};
	static const enum verso_touch_type types[] = {
		VERSO_TOUCH_DOWN, VERSO_TOUCH_DOWN, VERSO_TOUCH_MOTION,
		VERSO_TOUCH_MOTION, VERSO_TOUCH_MOTION, VERSO_TOUCH_MOTION,
		VERSO_TOUCH_UP, VERSO_TOUCH_UP, VERSO_TOUCH_UP,
		VERSO_TOUCH_CANCEL, VERSO_TOUCH_FRAME, VERSO_TOUCH_FRAME,
	};
	const size_t nv = sizeof(values) / sizeof(values[0]);
	const size_t nt = sizeof(types) / sizeof(types[0]);
	struct verso_touch_filter_config cfg;
	struct verso_touch_filter f;
	struct checker c = { .n_open = 0 };
	verso_touch_filter_config_defaults(&cfg);
	cfg.pocket = pocket;
	verso_touch_filter_init(&f, &cfg, 480, 480, 1, check_stream, &c);

	int64_t t = 0;
	for (int i = 0; i < 200000; i++) {
		uint64_t r = next_rand();
		struct verso_touch_event ev = {
			.type = types[r % nt],
			.id = (int32_t)((r >> 8) % 24) - 4,
			.x = values[(r >> 16) % nv],
			.y = values[(r >> 24) % nv],
			.major = (r >> 32) % 4 ? 6 : values[(r >> 34) % nv],
		};
		if ((r >> 40) % 1000 == 0) {
			t = (int64_t)next_rand(); /* a clock gone mad */
		} else {
			t += (int64_t)((r >> 44) % 50);
		}
		ev.time_ms = t;
		switch ((r >> 56) % 64) {
		case 0:
			verso_touch_filter_proximity(&f, (r >> 50) & 1, t);
			break;
		case 1:
			verso_touch_filter_wake(&f, t);
			break;
		case 2:
			verso_touch_filter_reset(&f, t);
			break;
		default:
			verso_touch_filter_feed(&f, &ev);
			break;
		}
	}
	print_message("random input (pocket %s): %zu events out\n",
		pocket ? "on" : "off", c.events);
	*out_events = c.events;
}

static void test_random_input(void **state) {
	size_t with, without;
	random_run(true, &with);
	random_run(false, &without);
	/* Junk is mostly rejected, yet the filter does not seize up. */
	assert_true(with > 1000);
	assert_true(without > with);
}

static void test_trace_parser(void **state) {
	static const struct {
		const char *text;
		const char *error; /* NULL: must parse */
	} cases[] = {
		{ "# size: 976 596\n0 down 1 10 10\n5 up 1\n", NULL },
		{ "\n   \n# just comments\n", NULL },
		{ "0 down 1 10 10 5 4\r\n1 frame\n2 cover\n3 uncover\n4 wake\n",
			NULL },
		{ "0 hover 1 10 10\n", "line 1: unknown event 'hover'" },
		{ "0 down 1 10\n", "line 1: down needs id x y" },
		{ "0 up\n", "line 1: up needs an id" },
		{ "5 frame\n4 frame\n", "line 2: time 4 goes backwards" },
		{ "-1 frame\n", "line 1: time -1 goes backwards" },
		{ "down 1 2 3\n", "line 1: expected: t_ms type ..." },
		{ "0 down 99999999999 1 1\n", "line 1: down needs an id" },
		{ "# size: 0 10\n", "line 1: bad size" },
		{ "# units_per_mm: -3\n", "line 1: bad units_per_mm" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct verso_touch_trace t;
		char err[128] = "";
		bool ok = verso_touch_trace_parse(&t, cases[i].text, err,
			sizeof(err));
		if (cases[i].error == NULL) {
			if (!ok) {
				fail_msg("case %zu: %s", i, err);
			}
		} else {
			assert_false(ok);
			assert_string_equal(err, cases[i].error);
			assert_int_equal(t.len, 0);
		}
		verso_touch_trace_finish(&t);
	}

	char *big = malloc(4096);
	assert_non_null(big);
	memset(big, '7', 4095);
	big[4095] = '\0';
	struct verso_touch_trace t;
	char err[128];
	assert_false(verso_touch_trace_parse(&t, big, err, sizeof(err)));
	assert_string_equal(err, "line 1: line too long");
	free(big);
	assert_false(verso_touch_trace_parse(&t, NULL, err, sizeof(err)));
	assert_false(verso_touch_trace_load(&t, "/nonexistent.txt", err,
		sizeof(err)));
}

static void test_reconfigure(void **state) {
	struct verso_touch_filter f;
	struct verso_touch_filter_config cfg;
	struct sink s;
	setup_filter(&f, &s);
	/* Rotated to portrait: the old right band is now inside. */
	feed(&f, VERSO_TOUCH_DOWN, 1, 0, 475, 100, 6);
	assert_int_equal(verso_touch_filter_verdict(&f, 1), VERSO_TOUCH_HELD);
	verso_touch_filter_config_defaults(&cfg);
	cfg.edge_band_px = 4;
	verso_touch_filter_configure(&f, &cfg, 596, 976, 1);
	/* The contact in flight keeps its verdict, new ones use the rules. */
	assert_int_equal(verso_touch_filter_verdict(&f, 1), VERSO_TOUCH_HELD);
	feed(&f, VERSO_TOUCH_DOWN, 2, 10, 475, 100, 6);
	assert_int_equal(verso_touch_filter_verdict(&f, 2), VERSO_TOUCH_ACCEPTED);
	/* Bad sizes disable the band rather than misbehave. */
	verso_touch_filter_configure(&f, &cfg, NAN, -5, INFINITY);
	feed(&f, VERSO_TOUCH_DOWN, 3, 20, 0, 0, 6);
	assert_int_equal(verso_touch_filter_verdict(&f, 3), VERSO_TOUCH_ACCEPTED);
	assert_string_equal(verso_touch_verdict_str(VERSO_TOUCH_REJECT_POCKET),
		"pocket");
}

static int by_name(const void *a, const void *b) {
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void) {
	const struct CMUnitTest fixed[] = {
		cmocka_unit_test(test_fixture_reasons),
		cmocka_unit_test(test_edge_release_keeps_origin),
		cmocka_unit_test(test_palm_cancels_neighbours),
		cmocka_unit_test(test_palm_size_only),
		cmocka_unit_test(test_palm_tool_at_down),
		cmocka_unit_test(test_palm_units),
		cmocka_unit_test(test_proximity_and_reset),
		cmocka_unit_test(test_too_many_contacts),
		cmocka_unit_test(test_random_input),
		cmocka_unit_test(test_trace_parser),
		cmocka_unit_test(test_reconfigure),
	};
	const size_t n_fixed = sizeof(fixed) / sizeof(fixed[0]);
	char *names[256];
	size_t n = 0;

	/* Every recorded sequence in the directory is a test. */
	DIR *dir = opendir(TOUCH_DATA);
	if (dir == NULL) {
		perror(TOUCH_DATA);
		return 1;
	}
	struct dirent *de;
	while ((de = readdir(dir)) != NULL && n < 256) {
		size_t len = strlen(de->d_name);
		if (len > 4 && strcmp(de->d_name + len - 4, ".txt") == 0) {
			names[n++] = strdup(de->d_name);
		}
	}
	closedir(dir);
	qsort(names, n, sizeof(names[0]), by_name);

	struct CMUnitTest *tests = calloc(n + n_fixed, sizeof(*tests));
	if (tests == NULL) {
		return 1;
	}
	for (size_t i = 0; i < n; i++) {
		tests[i] = (struct CMUnitTest)cmocka_unit_test_prestate(run_fixture,
			names[i]);
		tests[i].name = names[i];
	}
	memcpy(&tests[n], fixed, sizeof(fixed));
	int rc = _cmocka_run_group_tests("touch-filter", tests, n + n_fixed,
		NULL, NULL);
	for (size_t i = 0; i < n; i++) {
		free(names[i]);
	}
	free(tests);
	/* Fewer fixtures than written means they were not found. */
	return rc != 0 ? rc : n < 20;
}
