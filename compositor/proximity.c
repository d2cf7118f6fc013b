// SPDX-License-Identifier: MIT
/*
 * Proximity: iio-sensor-proxy's reading feeds the touch filter, which
 * ignores touch while the sensor is covered (a pocket, a cheek).
 *
 * iio-sensor-proxy (net.hadess.SensorProxy on the system bus) is the Linux
 * phone standard: it finds the IIO sensor through udev and polls it only
 * while a client holds a claim. versod claims it while the display is lit
 * and touch.proximity is on, and releases it on blank so the sensor can
 * sleep, unless it is covered then (proximity-state.c decides; this file
 * talks D-Bus). Everything is event-driven: NameOwnerChanged tells when
 * the service comes and goes, PropertiesChanged brings the readings, and
 * the bus fd sits in the Wayland event loop. A timer is armed only while
 * sd-bus waits for a reply, so an unchanging sensor costs versod no
 * wakeups at all.
 *
 * Without a system bus or the service, versod logs it once and touch is
 * never blocked.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-bus.h>
#include <wlr/util/log.h>
#include "core/config.h"
#include "bus-source.h"
#include "proximity-state.h"
#include "server.h"

#define PROXY_NAME "net.hadess.SensorProxy"
#define PROXY_PATH "/net/hadess/SensorProxy"
#define PROXY_IFACE "net.hadess.SensorProxy"
#define DBUS_NAME "org.freedesktop.DBus"
#define DBUS_PATH "/org/freedesktop/DBus"
#define PROPS_IFACE "org.freedesktop.DBus.Properties"

struct verso_proximity {
	struct verso_server *server;
	struct verso_prox state;
	bool covered; /* what the touch filter was last told */

	sd_bus *bus;
	struct verso_bus_source source;
	sd_bus_slot *owner_match; /* NameOwnerChanged for PROXY_NAME */
	sd_bus_slot *props_match; /* PropertiesChanged on PROXY_PATH */
	sd_bus_slot *owner_call; /* GetNameOwner in flight */
	sd_bus_slot *props_call; /* GetAll in flight */
	sd_bus_slot *claim_call; /* ClaimProximity, then Get, in flight */
	char *owner; /* the service's unique name, NULL when absent */

	/* Each problem is logged once, not on every wake. */
	bool warned_bus, warned_service, warned_claim;
	struct wl_listener config_changed;
};

static void drop_calls(struct verso_proximity *prox) {
	prox->owner_call = sd_bus_slot_unref(prox->owner_call);
	prox->props_call = sd_bus_slot_unref(prox->props_call);
	prox->claim_call = sd_bus_slot_unref(prox->claim_call);
}

/* Tells the touch filter when the verdict changed. */
static void feed_touch(struct verso_proximity *prox) {
	bool covered = verso_prox_covered(&prox->state);
	if (covered == prox->covered) {
		return;
	}
	prox->covered = covered;
	wlr_log(WLR_INFO, "Proximity sensor %s", covered ?
		"covered: ignoring touch" : "clear: touch back on");
	touch_set_proximity(prox->server, covered);
}

static int handle_claim_reply(sd_bus_message *reply, void *data,
	sd_bus_error *error);

static void act(struct verso_proximity *prox, enum verso_prox_action action) {
	int r = 0;
	switch (action) {
	case VERSO_PROX_KEEP:
		break;
	case VERSO_PROX_CLAIM:
		prox->claim_call = sd_bus_slot_unref(prox->claim_call);
		r = sd_bus_call_method_async(prox->bus, &prox->claim_call,
			prox->owner, PROXY_PATH, PROXY_IFACE, "ClaimProximity",
			handle_claim_reply, prox, "");
		if (r < 0) {
			/* As a refused claim: touch is not blocked. */
			wlr_log(WLR_ERROR, "Cannot claim the proximity sensor: %s",
				strerror(-r));
			verso_prox_claim_done(&prox->state, false);
			feed_touch(prox);
			return;
		}
		wlr_log(WLR_DEBUG, "Claiming the proximity sensor");
		break;
	case VERSO_PROX_RELEASE:
		/* A claim still in flight is answered before the release
		 * (one connection keeps order); its reply no longer matters. */
		prox->claim_call = sd_bus_slot_unref(prox->claim_call);
		/* No callback: no reply is expected. */
		r = sd_bus_call_method_async(prox->bus, NULL, prox->owner,
			PROXY_PATH, PROXY_IFACE, "ReleaseProximity", NULL, NULL, "");
		if (r >= 0) {
			wlr_log(WLR_DEBUG, "Released the proximity sensor");
		}
		break;
	}
	if (r < 0) {
		wlr_log(WLR_ERROR, "Cannot call %s: %s", PROXY_NAME, strerror(-r));
	}
	feed_touch(prox);
}

/* Reads ProximityNear's variant. */
static int read_bool_variant(sd_bus_message *m, bool *out) {
	int value = 0;
	int r = sd_bus_message_read(m, "v", "b", &value);
	if (r >= 0) {
		*out = value != 0;
	}
	return r;
}

/* An a{sv} of the service's properties (GetAll, PropertiesChanged). The
 * sensor's presence is applied before its reading, whatever their order. */
static int read_properties(struct verso_proximity *prox, sd_bus_message *m) {
	bool has = false, near = false, got_has = false, got_near = false;
	int r = sd_bus_message_enter_container(m, 'a', "{sv}");
	while (r >= 0 && (r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
		const char *key = NULL;
		r = sd_bus_message_read_basic(m, 's', &key);
		if (r >= 0 && strcmp(key, "HasProximity") == 0) {
			r = read_bool_variant(m, &has);
			got_has = r >= 0;
		} else if (r >= 0 && strcmp(key, "ProximityNear") == 0) {
			r = read_bool_variant(m, &near);
			got_near = r >= 0;
		} else if (r >= 0) {
			r = sd_bus_message_skip(m, "v");
		}
		if (r >= 0) {
			r = sd_bus_message_exit_container(m);
		}
	}
	if (r >= 0) {
		r = sd_bus_message_exit_container(m);
	}
	if (r < 0) {
		wlr_log(WLR_ERROR, "Malformed properties from %s: %s", PROXY_NAME,
			strerror(-r));
		return r;
	}
	if (got_has) {
		act(prox, verso_prox_set_has_sensor(&prox->state, has));
	}
	if (got_near) {
		act(prox, verso_prox_reading(&prox->state, near));
	}
	return 0;
}

static int handle_near_reply(sd_bus_message *reply, void *data,
		sd_bus_error *error) {
	struct verso_proximity *prox = data;
	prox->claim_call = sd_bus_slot_unref(prox->claim_call);
	bool near = false;
	if (sd_bus_message_is_method_error(reply, NULL) ||
			read_bool_variant(reply, &near) < 0) {
		return 0; /* PropertiesChanged will tell */
	}
	act(prox, verso_prox_reading(&prox->state, near));
	return 0;
}

static int handle_claim_reply(sd_bus_message *reply, void *data,
		sd_bus_error *error) {
	struct verso_proximity *prox = data;
	prox->claim_call = sd_bus_slot_unref(prox->claim_call);
	const sd_bus_error *err = sd_bus_message_get_error(reply);
	if (err != NULL && !prox->warned_claim) {
		prox->warned_claim = true;
		wlr_log(WLR_ERROR, "%s refused ClaimProximity (%s: %s): touch "
			"ignores proximity", PROXY_NAME, err->name, err->message);
	}
	act(prox, verso_prox_claim_done(&prox->state, err == NULL));
	if (err != NULL || prox->state.claim != VERSO_PROX_CLAIMED) {
		return 0;
	}
	/* The service signals only changes, and polls (every 700 ms in
	 * 3.0) only while claimed: start from its current value, its last
	 * reading, so an unchanged one is known too. */
	int r = sd_bus_call_method_async(prox->bus, &prox->claim_call,
		prox->owner, PROXY_PATH, PROPS_IFACE, "Get", handle_near_reply,
		prox, "ss", PROXY_IFACE, "ProximityNear");
	if (r < 0) {
		wlr_log(WLR_ERROR, "Cannot read ProximityNear: %s", strerror(-r));
	}
	return 0;
}

static int handle_get_all_reply(sd_bus_message *reply, void *data,
		sd_bus_error *error) {
	struct verso_proximity *prox = data;
	prox->props_call = sd_bus_slot_unref(prox->props_call);
	const sd_bus_error *err = sd_bus_message_get_error(reply);
	if (err != NULL) {
		wlr_log(WLR_ERROR, "Cannot read %s's properties (%s: %s)",
			PROXY_NAME, err->name, err->message);
		return 0;
	}
	read_properties(prox, reply);
	if (!prox->state.has_sensor && !prox->warned_service) {
		prox->warned_service = true;
		wlr_log(WLR_INFO, "%s has no proximity sensor (yet)", PROXY_NAME);
	}
	return 0;
}

static void service_gone(struct verso_proximity *prox) {
	if (prox->owner == NULL) {
		return;
	}
	wlr_log(WLR_INFO, "%s left the bus", PROXY_NAME);
	free(prox->owner);
	prox->owner = NULL;
	drop_calls(prox);
	act(prox, verso_prox_set_service(&prox->state, false));
}

static void service_appeared(struct verso_proximity *prox, const char *owner) {
	if (prox->owner != NULL && strcmp(prox->owner, owner) == 0) {
		return;
	}
	service_gone(prox); /* a new owner replaces the old one */
	prox->owner = strdup(owner);
	if (prox->owner == NULL) {
		return;
	}
	wlr_log(WLR_INFO, "%s is on the bus (%s)", PROXY_NAME, owner);
	act(prox, verso_prox_set_service(&prox->state, true));
	/* HasProximity decides whether there is anything to claim. */
	int r = sd_bus_call_method_async(prox->bus, &prox->props_call, owner,
		PROXY_PATH, PROPS_IFACE, "GetAll", handle_get_all_reply, prox,
		"s", PROXY_IFACE);
	if (r < 0) {
		wlr_log(WLR_ERROR, "Cannot query %s: %s", PROXY_NAME, strerror(-r));
	}
}

static int handle_owner_changed(sd_bus_message *m, void *data,
		sd_bus_error *error) {
	struct verso_proximity *prox = data;
	const char *name, *old_owner, *new_owner;
	if (sd_bus_message_read(m, "sss", &name, &old_owner, &new_owner) < 0 ||
			strcmp(name, PROXY_NAME) != 0) {
		return 0;
	}
	/* Whatever GetNameOwner would answer, this is newer. */
	prox->owner_call = sd_bus_slot_unref(prox->owner_call);
	if (new_owner[0] != '\0') {
		service_appeared(prox, new_owner);
	} else {
		service_gone(prox);
	}
	return 0;
}

static int handle_owner_reply(sd_bus_message *reply, void *data,
		sd_bus_error *error) {
	struct verso_proximity *prox = data;
	prox->owner_call = sd_bus_slot_unref(prox->owner_call);
	const char *owner = NULL;
	if (sd_bus_message_is_method_error(reply, NULL) ||
			sd_bus_message_read(reply, "s", &owner) < 0) {
		if (!prox->warned_service) {
			prox->warned_service = true;
			wlr_log(WLR_INFO, "%s is not running: touch ignores "
				"proximity until it starts", PROXY_NAME);
		}
		return 0;
	}
	service_appeared(prox, owner);
	return 0;
}

static int handle_properties_changed(sd_bus_message *m, void *data,
		sd_bus_error *error) {
	struct verso_proximity *prox = data;
	const char *sender = sd_bus_message_get_sender(m);
	const char *iface = NULL;
	/* Only the service's own signals, for its own interface. */
	if (prox->owner == NULL || sender == NULL ||
			strcmp(sender, prox->owner) != 0 ||
			sd_bus_message_read_basic(m, 's', &iface) < 0 ||
			strcmp(iface, PROXY_IFACE) != 0) {
		return 0;
	}
	read_properties(prox, m);
	return 0;
}

/* The system bus went away: never block touch on old news. */
static void disconnect(struct verso_proximity *prox);

static void handle_bus_lost(struct verso_bus_source *src, int err) {
	struct verso_proximity *prox = wl_container_of(src, prox, source);
	wlr_log(WLR_ERROR, "System bus connection lost (%s): touch "
		"ignores proximity until the config is reloaded", strerror(-err));
	/* Drop the dead connection, so that a reload connects again. */
	disconnect(prox);
	verso_prox_set_service(&prox->state, false);
	feed_touch(prox);
}

static void disconnect(struct verso_proximity *prox) {
	drop_calls(prox);
	prox->owner_match = sd_bus_slot_unref(prox->owner_match);
	prox->props_match = sd_bus_slot_unref(prox->props_match);
	verso_bus_source_detach(&prox->source);
	/* Flushing sends a pending release; closing drops our claim anyway. */
	prox->bus = sd_bus_flush_close_unref(prox->bus);
	free(prox->owner);
	prox->owner = NULL;
}

static bool connect_bus(struct verso_proximity *prox) {
	struct verso_server *server = prox->server;
	int r = sd_bus_open_system(&prox->bus);
	if (r < 0) {
		if (!prox->warned_bus) {
			prox->warned_bus = true;
			wlr_log(WLR_INFO, "No D-Bus system bus (%s): touch ignores "
				"proximity", strerror(-r));
		}
		prox->bus = NULL;
		return false;
	}
	/* No sender in the rules: the service is matched by its unique name
	 * (sd-bus cannot match a well-known sender locally). */
	r = sd_bus_add_match_async(prox->bus, &prox->owner_match,
		"type='signal',sender='" DBUS_NAME "',path='" DBUS_PATH "',"
		"interface='" DBUS_NAME "',member='NameOwnerChanged',"
		"arg0='" PROXY_NAME "'", handle_owner_changed, NULL, prox);
	if (r >= 0) {
		r = sd_bus_add_match_async(prox->bus, &prox->props_match,
			"type='signal',path='" PROXY_PATH "',interface='"
			PROPS_IFACE "',member='PropertiesChanged',arg0='"
			PROXY_IFACE "'", handle_properties_changed, NULL, prox);
	}
	/* After the matches, so an owner appearing in between is not lost. */
	if (r >= 0) {
		r = sd_bus_call_method_async(prox->bus, &prox->owner_call,
			DBUS_NAME, DBUS_PATH, DBUS_NAME, "GetNameOwner",
			handle_owner_reply, prox, "s", PROXY_NAME);
	}
	if (r >= 0) {
		r = verso_bus_source_attach(&prox->source, server->loop,
			prox->bus, handle_bus_lost);
	}
	if (r < 0) {
		wlr_log(WLR_ERROR, "Cannot watch %s on the system bus: %s",
			PROXY_NAME, strerror(-r));
		disconnect(prox);
		return false;
	}
	return true;
}

static void apply_config(struct verso_proximity *prox) {
	bool enabled = prox->server->config->filter.proximity;
	if (enabled && prox->bus == NULL) {
		connect_bus(prox);
	}
	act(prox, verso_prox_set_enabled(&prox->state, enabled));
	if (prox->bus != NULL) {
		verso_bus_source_update(&prox->source);
	}
}

static void handle_config_changed(struct wl_listener *listener, void *data) {
	struct verso_proximity *prox =
		wl_container_of(listener, prox, config_changed);
	apply_config(prox);
}

void proximity_power_changed(struct verso_server *server) {
	struct verso_proximity *prox = server->proximity;
	if (prox == NULL || prox->state.display_on == power_is_on(server)) {
		return;
	}
	act(prox, verso_prox_set_display(&prox->state, power_is_on(server)));
	if (prox->bus != NULL) {
		verso_bus_source_update(&prox->source);
	}
}

const char *proximity_state_str(struct verso_server *server) {
	struct verso_proximity *prox = server->proximity;
	return prox != NULL ? verso_prox_state_str(&prox->state) : "disabled";
}

void proximity_init(struct verso_server *server) {
	struct verso_proximity *prox = calloc(1, sizeof(*prox));
	if (prox == NULL) {
		wlr_log(WLR_ERROR, "Out of memory: no proximity sensor");
		return;
	}
	prox->server = server;
	verso_prox_init(&prox->state, false, power_is_on(server));
	prox->config_changed.notify = handle_config_changed;
	wl_signal_add(&server->config_changed, &prox->config_changed);
	server->proximity = prox;
	apply_config(prox);
}

void proximity_finish(struct verso_server *server) {
	struct verso_proximity *prox = server->proximity;
	if (prox == NULL) {
		return;
	}
	if (prox->bus != NULL && verso_bus_source_attached(&prox->source)) {
		act(prox, verso_prox_set_enabled(&prox->state, false));
	}
	disconnect(prox);
	wl_list_remove(&prox->config_changed.link);
	free(prox);
	server->proximity = NULL;
}
