// SPDX-License-Identifier: MIT
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/carousel.h"

static uint32_t current(const struct verso_carousel *c) {
	uint32_t id = 0;
	assert_true(verso_carousel_current(c, &id));
	return id;
}

static void init(struct verso_carousel *c, bool wrap) {
	struct verso_carousel_config cfg;
	verso_carousel_config_defaults(&cfg);
	cfg.wrap = wrap;
	verso_carousel_init(c, &cfg);
}

static void test_empty(void **state) {
	struct verso_carousel c;
	uint32_t id;
	init(&c, false);
	assert_false(verso_carousel_current(&c, &id));
	assert_false(verso_carousel_next(&c, 0));
	assert_false(verso_carousel_prev(&c, 0));
	assert_false(verso_carousel_show(&c, 1, 0));
	assert_false(verso_carousel_remove(&c, 1, 0));
	assert_false(verso_carousel_animating(&c, 0));
	verso_carousel_finish(&c);
}

static void test_add_newest_current(void **state) {
	struct verso_carousel c;
	init(&c, false);
	assert_true(verso_carousel_add(&c, 10, 0));
	/* The first card has nothing to slide from. */
	assert_false(verso_carousel_animating(&c, 0));
	assert_true(verso_carousel_add(&c, 20, 1000));
	assert_true(verso_carousel_add(&c, 30, 2000));
	assert_int_equal(current(&c), 30);
	assert_false(verso_carousel_add(&c, 20, 3000)); /* duplicate */
	assert_int_equal(c.len, 3);
	assert_int_equal(verso_carousel_index(&c, 10), 0);
	assert_int_equal(verso_carousel_index(&c, 30), 2);
	assert_int_equal(verso_carousel_index(&c, 99), -1);
	verso_carousel_finish(&c);
}

static void test_clamp(void **state) {
	struct verso_carousel c;
	init(&c, false);
	verso_carousel_add(&c, 1, 0);
	verso_carousel_add(&c, 2, 0);
	verso_carousel_add(&c, 3, 0);
	assert_false(verso_carousel_next(&c, 0)); /* at the right end */
	assert_int_equal(current(&c), 3);
	assert_true(verso_carousel_prev(&c, 0));
	assert_true(verso_carousel_prev(&c, 0));
	assert_int_equal(current(&c), 1);
	assert_false(verso_carousel_prev(&c, 0));
	assert_true(verso_carousel_next(&c, 0));
	assert_int_equal(current(&c), 2);
	verso_carousel_finish(&c);
}

static void test_wrap(void **state) {
	struct verso_carousel c;
	init(&c, true);
	verso_carousel_add(&c, 1, 0);
	assert_false(verso_carousel_next(&c, 0)); /* one card: nowhere to go */
	verso_carousel_add(&c, 2, 0);
	verso_carousel_add(&c, 3, 0);
	assert_true(verso_carousel_next(&c, 10000));
	assert_int_equal(current(&c), 1);
	/* Wrapping still slides in from the side the finger pulled. */
	assert_true(verso_carousel_offset(&c, 10000) > 0.99);
	assert_true(verso_carousel_prev(&c, 20000));
	assert_int_equal(current(&c), 3);
	assert_true(verso_carousel_offset(&c, 20000) < -0.99);
	verso_carousel_finish(&c);
}

static void test_remove(void **state) {
	struct verso_carousel c;
	init(&c, false);
	for (uint32_t id = 1; id <= 4; id++) {
		verso_carousel_add(&c, id, 0);
	}
	verso_carousel_show(&c, 2, 0);
	/* Current removed: the right neighbour comes in from the right. */
	assert_true(verso_carousel_remove(&c, 2, 10000));
	assert_int_equal(current(&c), 3);
	assert_true(verso_carousel_offset(&c, 10000) > 0.99);
	assert_false(c.has_previous);
	/* A card left of the current one: current stays. */
	assert_true(verso_carousel_remove(&c, 1, 20000));
	assert_int_equal(current(&c), 3);
	assert_false(verso_carousel_animating(&c, 20000));
	/* The last card of the row, current: the left neighbour. */
	verso_carousel_show(&c, 4, 30000);
	assert_true(verso_carousel_remove(&c, 4, 40000));
	assert_int_equal(current(&c), 3);
	assert_true(verso_carousel_offset(&c, 40000) < -0.99);
	assert_false(verso_carousel_remove(&c, 4, 40000));
	assert_true(verso_carousel_remove(&c, 3, 50000));
	uint32_t id;
	assert_false(verso_carousel_current(&c, &id));
	assert_false(verso_carousel_animating(&c, 50000));
	verso_carousel_finish(&c);
}

static void test_show(void **state) {
	struct verso_carousel c;
	init(&c, false);
	for (uint32_t id = 1; id <= 5; id++) {
		verso_carousel_add(&c, id, 0);
	}
	assert_true(verso_carousel_show(&c, 2, 1000));
	assert_int_equal(current(&c), 2);
	assert_int_equal(c.previous_id, 5);
	assert_true(verso_carousel_offset(&c, 1000) < 0);
	assert_false(verso_carousel_show(&c, 2, 1000)); /* already */
	assert_false(verso_carousel_show(&c, 42, 1000));
	verso_carousel_finish(&c);
}

static void test_animation_curve(void **state) {
	struct verso_carousel c;
	init(&c, false);
	verso_carousel_add(&c, 1, 0);
	verso_carousel_add(&c, 2, 0);
	verso_carousel_prev(&c, 1000);
	const int ms = c.cfg.anim_ms;

	assert_true(verso_carousel_animating(&c, 1000));
	assert_true(fabs(verso_carousel_offset(&c, 1000) + 1) < 1e-9);
	/* Ease-out: more than half-way at half time, monotonic. */
	assert_true(fabs(verso_carousel_offset(&c, 1000 + ms / 2)) < 0.5);
	double last = -1;
	for (int t = 0; t <= ms; t += 5) {
		double o = verso_carousel_offset(&c, 1000 + t);
		assert_true(o >= last && o <= 0);
		last = o;
	}
	assert_false(verso_carousel_animating(&c, 1000 + ms));
	assert_true(verso_carousel_offset(&c, 1000 + ms) == 0);
	/* A clock that goes back holds the start instead of overshooting. */
	assert_true(fabs(verso_carousel_offset(&c, 0) + 1) < 1e-9);
	verso_carousel_finish(&c);
}

static void test_animation_continuity(void **state) {
	struct verso_carousel c;
	init(&c, false);
	for (uint32_t id = 1; id <= 6; id++) {
		verso_carousel_add(&c, id, 0);
	}
	verso_carousel_show(&c, 1, 10000);
	verso_carousel_next(&c, 20000);
	double mid = verso_carousel_offset(&c, 20050);
	verso_carousel_next(&c, 20050);
	/* The new slide starts where the old one was, one card further. */
	assert_true(fabs(verso_carousel_offset(&c, 20050) - (mid + 1)) < 1e-9);
	/* Swiping faster than the animation never runs off beyond 2 cards. */
	for (int i = 0; i < 3; i++) {
		verso_carousel_next(&c, 20051);
	}
	assert_true(verso_carousel_offset(&c, 20051) <= 2);

	struct verso_carousel_config cfg = { .wrap = false, .anim_ms = 0 };
	struct verso_carousel d;
	verso_carousel_init(&d, &cfg);
	verso_carousel_add(&d, 1, 0);
	verso_carousel_add(&d, 2, 0);
	assert_false(verso_carousel_animating(&d, 0));
	verso_carousel_finish(&d);
	verso_carousel_finish(&c);
}

/* Random operations against a plain array model. */
static void test_model(void **state) {
	struct verso_carousel c;
	uint32_t model[64];
	size_t n = 0, cur = 0;
	uint64_t r = 1234567;
	init(&c, false);
	for (int i = 0; i < 20000; i++) {
		r = r * 6364136223846793005ull + 1442695040888963407ull;
		uint32_t id = (uint32_t)(r >> 33) % 48;
		switch ((r >> 60) % 4) {
		case 0:
			if (n < 64 && verso_carousel_index(&c, id) < 0) {
				assert_true(verso_carousel_add(&c, id, i));
				model[n++] = id;
				cur = n - 1;
			}
			break;
		case 1: {
			size_t k = 0;
			while (k < n && model[k] != id) {
				k++;
			}
			assert_int_equal(verso_carousel_remove(&c, id, i), k < n);
			if (k < n) {
				memmove(&model[k], &model[k + 1],
					(n - k - 1) * sizeof(model[0]));
				n--;
				if (k < cur || (k == cur && cur == n && n > 0)) {
					cur--;
				}
			}
			break;
		}
		case 2:
			verso_carousel_next(&c, i);
			cur = n && cur + 1 < n ? cur + 1 : cur;
			break;
		case 3:
			verso_carousel_prev(&c, i);
			cur = cur > 0 ? cur - 1 : cur;
			break;
		}
		assert_int_equal(c.len, n);
		for (size_t k = 0; k < n; k++) {
			assert_int_equal(c.ids[k], model[k]);
		}
		if (n > 0) {
			assert_int_equal(current(&c), model[cur]);
		}
		double o = verso_carousel_offset(&c, i);
		assert_true(o >= -2 && o <= 2);
	}
	verso_carousel_finish(&c);
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_add_newest_current),
		cmocka_unit_test(test_clamp),
		cmocka_unit_test(test_wrap),
		cmocka_unit_test(test_remove),
		cmocka_unit_test(test_show),
		cmocka_unit_test(test_animation_curve),
		cmocka_unit_test(test_animation_continuity),
		cmocka_unit_test(test_model),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
