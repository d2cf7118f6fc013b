// SPDX-License-Identifier: MIT
/* When versod holds the proximity sensor (compositor/proximity-state.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "proximity-state.h"

/* Enabled, lit, service up with a sensor, claim granted: the usual state. */
static void claimed(struct verso_prox *p) {
	verso_prox_init(p, true, true);
	assert_int_equal(verso_prox_set_service(p, true), VERSO_PROX_KEEP);
	assert_int_equal(verso_prox_set_has_sensor(p, true), VERSO_PROX_CLAIM);
	assert_string_equal(verso_prox_state_str(p), "claiming");
	assert_int_equal(verso_prox_claim_done(p, true), VERSO_PROX_KEEP);
	assert_int_equal(p->claim, VERSO_PROX_CLAIMED);
}

static void claims_only_with_everything(void **state) {
	struct verso_prox p;
	verso_prox_init(&p, true, true);
	assert_string_equal(verso_prox_state_str(&p), "unavailable");
	/* A service without a sensor: nothing to claim. */
	assert_int_equal(verso_prox_set_service(&p, true), VERSO_PROX_KEEP);
	assert_int_equal(verso_prox_set_has_sensor(&p, false), VERSO_PROX_KEEP);
	assert_string_equal(verso_prox_state_str(&p), "unavailable");
	/* The sensor shows up (hotplug). */
	assert_int_equal(verso_prox_set_has_sensor(&p, true), VERSO_PROX_CLAIM);
	/* Repeating it does not claim twice. */
	assert_int_equal(verso_prox_set_has_sensor(&p, true), VERSO_PROX_KEEP);

	/* Disabled: never claimed, whatever the service says. */
	verso_prox_init(&p, false, true);
	assert_int_equal(verso_prox_set_service(&p, true), VERSO_PROX_KEEP);
	assert_int_equal(verso_prox_set_has_sensor(&p, true), VERSO_PROX_KEEP);
	assert_string_equal(verso_prox_state_str(&p), "disabled");

	/* Blank at start: claimed only once lit. */
	verso_prox_init(&p, true, false);
	verso_prox_set_service(&p, true);
	assert_int_equal(verso_prox_set_has_sensor(&p, true), VERSO_PROX_KEEP);
	assert_string_equal(verso_prox_state_str(&p), "standby");
	assert_int_equal(verso_prox_set_display(&p, true), VERSO_PROX_CLAIM);
}

static void readings_cover_touch(void **state) {
	struct verso_prox p;
	claimed(&p);
	assert_false(verso_prox_covered(&p));
	verso_prox_reading(&p, false);
	assert_string_equal(verso_prox_state_str(&p), "far");
	verso_prox_reading(&p, true);
	assert_true(verso_prox_covered(&p));
	assert_string_equal(verso_prox_state_str(&p), "near");
	verso_prox_reading(&p, false);
	assert_false(verso_prox_covered(&p));
}

static void reading_during_claim_counts(void **state) {
	/* The service polls as the claim starts it and may signal the change
	 * before its reply. */
	struct verso_prox p;
	verso_prox_init(&p, true, true);
	verso_prox_set_service(&p, true);
	verso_prox_set_has_sensor(&p, true);
	verso_prox_reading(&p, true);
	assert_true(verso_prox_covered(&p));
	verso_prox_claim_done(&p, true);
	assert_string_equal(verso_prox_state_str(&p), "near");
}

static void stale_readings_ignored(void **state) {
	/* Unclaimed, the service's ProximityNear is an old value. */
	struct verso_prox p;
	verso_prox_init(&p, true, false);
	verso_prox_set_service(&p, true);
	verso_prox_set_has_sensor(&p, true);
	verso_prox_reading(&p, true);
	assert_false(verso_prox_covered(&p));
	/* Nor before the sensor exists. */
	verso_prox_init(&p, true, true);
	verso_prox_set_service(&p, true);
	verso_prox_reading(&p, true);
	assert_false(verso_prox_covered(&p));
}

static void blank_far_releases(void **state) {
	struct verso_prox p;
	claimed(&p);
	verso_prox_reading(&p, false);
	assert_int_equal(verso_prox_set_display(&p, false), VERSO_PROX_RELEASE);
	assert_false(verso_prox_covered(&p));
	assert_string_equal(verso_prox_state_str(&p), "standby");
	assert_int_equal(verso_prox_set_display(&p, false), VERSO_PROX_KEEP);
	/* Readings while released are the service's stale value. */
	assert_int_equal(verso_prox_reading(&p, true), VERSO_PROX_KEEP);
	assert_false(verso_prox_covered(&p));
	/* Lit again: claimed, no reading yet. */
	assert_int_equal(verso_prox_set_display(&p, true), VERSO_PROX_CLAIM);
	assert_string_equal(verso_prox_state_str(&p), "claiming");
	assert_false(verso_prox_covered(&p));
}

static void blank_in_pocket_waits_for_far(void **state) {
	struct verso_prox p;
	claimed(&p);
	assert_int_equal(verso_prox_reading(&p, true), VERSO_PROX_KEEP);
	/* Asleep in a pocket: the claim stays, touch still cannot wake it. */
	assert_int_equal(verso_prox_set_display(&p, false), VERSO_PROX_KEEP);
	assert_true(verso_prox_covered(&p));
	assert_string_equal(verso_prox_state_str(&p), "near");
	assert_int_equal(verso_prox_reading(&p, true), VERSO_PROX_KEEP);
	/* Out of the pocket: released, touch back on (a double tap wakes). */
	assert_int_equal(verso_prox_reading(&p, false), VERSO_PROX_RELEASE);
	assert_false(verso_prox_covered(&p));
	assert_string_equal(verso_prox_state_str(&p), "standby");
	assert_int_equal(verso_prox_set_display(&p, true), VERSO_PROX_CLAIM);

	/* Woken while still covered (power key): nothing to re-claim. */
	claimed(&p);
	verso_prox_reading(&p, true);
	verso_prox_set_display(&p, false);
	assert_int_equal(verso_prox_set_display(&p, true), VERSO_PROX_KEEP);
	assert_true(verso_prox_covered(&p));
	assert_int_equal(verso_prox_reading(&p, false), VERSO_PROX_KEEP);
	assert_string_equal(verso_prox_state_str(&p), "far");
}

static void losing_source_uncovers(void **state) {
	struct verso_prox p;
	/* The service leaves: nothing to release, touch back on. */
	claimed(&p);
	verso_prox_reading(&p, true);
	assert_int_equal(verso_prox_set_service(&p, false), VERSO_PROX_KEEP);
	assert_false(verso_prox_covered(&p));
	assert_string_equal(verso_prox_state_str(&p), "unavailable");
	/* It comes back: claimed again once it has the sensor. */
	assert_int_equal(verso_prox_set_service(&p, true), VERSO_PROX_KEEP);
	assert_int_equal(verso_prox_set_has_sensor(&p, true), VERSO_PROX_CLAIM);

	/* The sensor goes: release the claim, touch back on. */
	claimed(&p);
	verso_prox_reading(&p, true);
	assert_int_equal(verso_prox_set_has_sensor(&p, false), VERSO_PROX_RELEASE);
	assert_false(verso_prox_covered(&p));

	/* Disabled by a config reload: released, touch back on. */
	claimed(&p);
	verso_prox_reading(&p, true);
	assert_int_equal(verso_prox_set_enabled(&p, false), VERSO_PROX_RELEASE);
	assert_false(verso_prox_covered(&p));
	assert_string_equal(verso_prox_state_str(&p), "disabled");
	assert_int_equal(verso_prox_set_enabled(&p, true), VERSO_PROX_CLAIM);
	/* The old reading was forgotten. */
	assert_false(verso_prox_covered(&p));

	/* Blank and the service leaves: the kept reading goes too. */
	claimed(&p);
	verso_prox_reading(&p, true);
	verso_prox_set_display(&p, false);
	verso_prox_set_service(&p, false);
	assert_false(verso_prox_covered(&p));
}

static void refused_claim_not_retried(void **state) {
	struct verso_prox p;
	verso_prox_init(&p, true, true);
	verso_prox_set_service(&p, true);
	assert_int_equal(verso_prox_set_has_sensor(&p, true), VERSO_PROX_CLAIM);
	assert_int_equal(verso_prox_claim_done(&p, false), VERSO_PROX_KEEP);
	assert_string_equal(verso_prox_state_str(&p), "unavailable");
	verso_prox_reading(&p, true);
	assert_false(verso_prox_covered(&p));
	/* Blank and wake: no claim storm. */
	assert_int_equal(verso_prox_set_display(&p, false), VERSO_PROX_KEEP);
	assert_int_equal(verso_prox_set_display(&p, true), VERSO_PROX_KEEP);
	/* A restarted service gets another chance. */
	verso_prox_set_service(&p, false);
	verso_prox_set_service(&p, true);
	assert_int_equal(verso_prox_set_has_sensor(&p, true), VERSO_PROX_CLAIM);
}

static void stale_claim_reply_ignored(void **state) {
	/* Claim, blank before the reply (released), then the reply. */
	struct verso_prox p;
	verso_prox_init(&p, true, true);
	verso_prox_set_service(&p, true);
	assert_int_equal(verso_prox_set_has_sensor(&p, true), VERSO_PROX_CLAIM);
	assert_int_equal(verso_prox_set_display(&p, false), VERSO_PROX_RELEASE);
	assert_int_equal(verso_prox_claim_done(&p, true), VERSO_PROX_KEEP);
	assert_int_equal(p.claim, VERSO_PROX_UNCLAIMED);
	assert_int_equal(verso_prox_claim_done(&p, false), VERSO_PROX_KEEP);
	assert_false(p.failed);
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(claims_only_with_everything),
		cmocka_unit_test(readings_cover_touch),
		cmocka_unit_test(reading_during_claim_counts),
		cmocka_unit_test(stale_readings_ignored),
		cmocka_unit_test(blank_far_releases),
		cmocka_unit_test(blank_in_pocket_waits_for_far),
		cmocka_unit_test(losing_source_uncovers),
		cmocka_unit_test(refused_claim_not_retried),
		cmocka_unit_test(stale_claim_reply_ignored),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
