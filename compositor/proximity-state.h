/* SPDX-License-Identifier: MIT */
/*
 * When versod holds the proximity sensor, and what the touch filter is told.
 *
 * Pure: proximity.c feeds it what it learns from iio-sensor-proxy and the
 * display's power state, and carries out the claim/release it returns.
 *
 * The sensor is claimed only while it matters: touch.proximity is on, the
 * service has a sensor, and the display is lit or the sensor is covered.
 * Blanking while it reads "far" releases it so it can sleep. A phone that
 * blanked in a pocket keeps it claimed and stays "covered", so fabric
 * cannot wake it by touch; the "far" reading on leaving the pocket
 * releases it and touch (a double tap) wakes the display again.
 * Losing the service, the sensor or the setting forgets the reading
 * (no information never blocks touch).
 */
#ifndef VERSO_PROXIMITY_STATE_H
#define VERSO_PROXIMITY_STATE_H

#include <stdbool.h>

enum verso_prox_action {
	VERSO_PROX_KEEP = 0,
	VERSO_PROX_CLAIM, /* call ClaimProximity */
	VERSO_PROX_RELEASE, /* call ReleaseProximity */
};

enum verso_prox_claim {
	VERSO_PROX_UNCLAIMED = 0,
	VERSO_PROX_CLAIMING, /* ClaimProximity sent, no reply yet */
	VERSO_PROX_CLAIMED,
};

struct verso_prox {
	bool enabled; /* touch.proximity */
	bool display_on;
	bool service; /* net.hadess.SensorProxy has an owner */
	bool has_sensor; /* its HasProximity */
	bool failed; /* the claim was refused: not retried until the service
	              * or its sensor comes back */
	enum verso_prox_claim claim;
	bool near; /* the last reading */
	bool fresh; /* near was read (signal or Get) since the claim */
};

void verso_prox_init(struct verso_prox *p, bool enabled, bool display_on);

/* Each returns what to do now; at most one action per event. */
enum verso_prox_action verso_prox_set_enabled(struct verso_prox *p, bool enabled);
enum verso_prox_action verso_prox_set_display(struct verso_prox *p, bool on);
enum verso_prox_action verso_prox_set_service(struct verso_prox *p, bool present);
enum verso_prox_action verso_prox_set_has_sensor(struct verso_prox *p, bool has);
/* The reply to the claim in flight; ok false: an error reply. */
enum verso_prox_action verso_prox_claim_done(struct verso_prox *p, bool ok);
/* ProximityNear, from a PropertiesChanged or a Get. Ignored unless claimed
 * (or claiming): the service keeps a stale value while nobody holds it.
 * "far" while blank releases the sensor. */
enum verso_prox_action verso_prox_reading(struct verso_prox *p, bool near);

/* What the touch filter should be told. */
bool verso_prox_covered(const struct verso_prox *p);

/* For GetStats: "disabled", "unavailable" (no service, no sensor, or the
 * claim was refused), "standby" (display blank, sensor released),
 * "claiming" (no reading yet since the claim), "near" (also while blank,
 * in a pocket) or "far". */
const char *verso_prox_state_str(const struct verso_prox *p);

#endif
