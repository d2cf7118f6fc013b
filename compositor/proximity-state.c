// SPDX-License-Identifier: MIT
#include "proximity-state.h"

void verso_prox_init(struct verso_prox *p, bool enabled, bool display_on) {
	*p = (struct verso_prox){
		.enabled = enabled,
		.display_on = display_on,
	};
}

/* The sensor's reading means something only with all of these. */
static bool usable(const struct verso_prox *p) {
	return p->enabled && p->service && p->has_sensor && !p->failed;
}

static enum verso_prox_action decide(struct verso_prox *p) {
	if (!usable(p)) {
		/* Nothing to read: never block touch on a stale reading. */
		p->near = false;
		p->fresh = false;
	}
	/* Blank with the sensor covered (a pocket): keep it claimed to learn
	 * when it clears, so touch can wake the display again. */
	bool want = usable(p) && (p->display_on || p->near);
	if (want && p->claim == VERSO_PROX_UNCLAIMED) {
		p->claim = VERSO_PROX_CLAIMING;
		p->fresh = false;
		return VERSO_PROX_CLAIM;
	}
	if (!want && p->claim != VERSO_PROX_UNCLAIMED) {
		p->claim = VERSO_PROX_UNCLAIMED;
		p->fresh = false;
		/* A vanished service holds no claim of ours any more. */
		return p->service ? VERSO_PROX_RELEASE : VERSO_PROX_KEEP;
	}
	return VERSO_PROX_KEEP;
}

enum verso_prox_action verso_prox_set_enabled(struct verso_prox *p,
		bool enabled) {
	p->enabled = enabled;
	return decide(p);
}

enum verso_prox_action verso_prox_set_display(struct verso_prox *p, bool on) {
	p->display_on = on;
	return decide(p);
}

enum verso_prox_action verso_prox_set_service(struct verso_prox *p,
		bool present) {
	if (present != p->service) {
		/* A new instance knows nothing of us: no claim, no failure. */
		p->claim = VERSO_PROX_UNCLAIMED;
		p->failed = false;
		p->has_sensor = false;
	}
	p->service = present;
	return decide(p);
}

enum verso_prox_action verso_prox_set_has_sensor(struct verso_prox *p,
		bool has) {
	if (has && !p->has_sensor) {
		p->failed = false;
	}
	p->has_sensor = has;
	return decide(p);
}

enum verso_prox_action verso_prox_claim_done(struct verso_prox *p, bool ok) {
	if (p->claim != VERSO_PROX_CLAIMING) {
		return VERSO_PROX_KEEP; /* released since: a stale reply */
	}
	if (ok) {
		p->claim = VERSO_PROX_CLAIMED;
		return VERSO_PROX_KEEP;
	}
	p->claim = VERSO_PROX_UNCLAIMED;
	p->failed = true;
	return decide(p);
}

enum verso_prox_action verso_prox_reading(struct verso_prox *p, bool near) {
	if (p->claim == VERSO_PROX_UNCLAIMED || !usable(p)) {
		return VERSO_PROX_KEEP;
	}
	p->near = near;
	p->fresh = true;
	return decide(p);
}

bool verso_prox_covered(const struct verso_prox *p) {
	return usable(p) && p->near;
}

const char *verso_prox_state_str(const struct verso_prox *p) {
	if (!p->enabled) {
		return "disabled";
	}
	if (!usable(p)) {
		return "unavailable";
	}
	if (p->claim == VERSO_PROX_UNCLAIMED) {
		return "standby";
	}
	if (!p->fresh) {
		return "claiming";
	}
	return p->near ? "near" : "far";
}
