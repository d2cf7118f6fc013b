// SPDX-License-Identifier: MIT
/*
 * The rear connector as a DRM lease from the phone's main compositor.
 *
 * Only one process can be DRM master of the display controller, and on a
 * phone that is the main shell. The rear connector is non-desktop, so a
 * shell that speaks wp_drm_lease_v1 (sway 1.7) offers it instead of
 * driving it: versod connects to the shell as a Wayland client, leases
 * the connector, and runs wlroots' DRM backend on the lease fd. The lease
 * ends when the shell revokes it or exits; versod then stops, so a
 * service manager can start it again once the shell offers the connector.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <libseat.h>
#include <wayland-client.h>
#include <wlr/backend/drm.h>
#include <wlr/backend/session.h>
#include <wlr/util/log.h>
#include <xf86drm.h>
#include "drm-lease-v1-client-protocol.h"
#include "lease.h"

/*
 * How long the shell may take to offer the connector and grant the lease:
 * started together at boot, versod may be up before the shell lit its
 * outputs.
 */
#define LEASE_TIMEOUT_MS 10000

struct lease_connector {
	struct wp_drm_lease_connector_v1 *obj;
	char *name;
	struct wl_list link;
};

struct verso_lease {
	struct wl_display *remote;
	struct wp_drm_lease_device_v1 *device;
	struct wl_list connectors; /* lease_connector.link */
	bool device_done;
	struct wp_drm_lease_v1 *lease;
	int lease_fd;
	bool finished;
	char *connector;
	const char *want;
	struct wl_event_source *source;
	void (*revoked)(void *data);
	void *revoked_data;
};

static void connector_name(void *data, struct wp_drm_lease_connector_v1 *obj,
		const char *name) {
	struct lease_connector *c = data;
	free(c->name);
	c->name = strdup(name);
}

static void connector_description(void *data,
		struct wp_drm_lease_connector_v1 *obj, const char *description) {
}

static void connector_id(void *data, struct wp_drm_lease_connector_v1 *obj,
		uint32_t id) {
}

static void connector_done(void *data, struct wp_drm_lease_connector_v1 *obj) {
}

static void connector_free(struct lease_connector *c) {
	wp_drm_lease_connector_v1_destroy(c->obj);
	wl_list_remove(&c->link);
	free(c->name);
	free(c);
}

static void connector_withdrawn(void *data,
		struct wp_drm_lease_connector_v1 *obj) {
	connector_free(data);
}

static const struct wp_drm_lease_connector_v1_listener connector_listener = {
	.name = connector_name,
	.description = connector_description,
	.connector_id = connector_id,
	.done = connector_done,
	.withdrawn = connector_withdrawn,
};

static void device_drm_fd(void *data, struct wp_drm_lease_device_v1 *dev,
		int32_t fd) {
	/* The lease fd names the device on its own. */
	close(fd);
}

static void device_connector(void *data, struct wp_drm_lease_device_v1 *dev,
		struct wp_drm_lease_connector_v1 *obj) {
	struct verso_lease *lease = data;
	struct lease_connector *c = calloc(1, sizeof(*c));
	if (c == NULL) {
		wp_drm_lease_connector_v1_destroy(obj);
		return;
	}
	c->obj = obj;
	wl_list_insert(lease->connectors.prev, &c->link);
	wp_drm_lease_connector_v1_add_listener(obj, &connector_listener, c);
}

static void device_done(void *data, struct wp_drm_lease_device_v1 *dev) {
	struct verso_lease *lease = data;
	lease->device_done = true;
}

static void device_released(void *data, struct wp_drm_lease_device_v1 *dev) {
	struct verso_lease *lease = data;
	wp_drm_lease_device_v1_destroy(dev);
	lease->device = NULL;
}

static const struct wp_drm_lease_device_v1_listener device_listener = {
	.drm_fd = device_drm_fd,
	.connector = device_connector,
	.done = device_done,
	.released = device_released,
};

static void lease_fd_event(void *data, struct wp_drm_lease_v1 *obj,
		int32_t fd) {
	struct verso_lease *lease = data;
	if (lease->lease_fd >= 0) {
		close(lease->lease_fd);
	}
	lease->lease_fd = fd;
}

static void lease_finished(void *data, struct wp_drm_lease_v1 *obj) {
	struct verso_lease *lease = data;
	lease->finished = true;
}

static const struct wp_drm_lease_v1_listener lease_listener = {
	.lease_fd = lease_fd_event,
	.finished = lease_finished,
};

static void registry_global(void *data, struct wl_registry *registry,
		uint32_t name, const char *interface, uint32_t version) {
	struct verso_lease *lease = data;
	/* The first device: a phone has one display controller. */
	if (lease->device == NULL &&
			strcmp(interface, wp_drm_lease_device_v1_interface.name) == 0) {
		lease->device = wl_registry_bind(registry, name,
			&wp_drm_lease_device_v1_interface, 1);
		wp_drm_lease_device_v1_add_listener(lease->device,
			&device_listener, lease);
	}
}

static void registry_global_remove(void *data, struct wl_registry *registry,
		uint32_t name) {
}

static const struct wl_registry_listener registry_listener = {
	.global = registry_global,
	.global_remove = registry_global_remove,
};

static int64_t now_ms(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Dispatches the shell's events until done() says so or time runs out.
 * False only when the connection broke.
 */
static bool dispatch_until(struct verso_lease *lease,
		bool (*done)(struct verso_lease *lease)) {
	int64_t deadline = now_ms() + LEASE_TIMEOUT_MS;
	while (!done(lease)) {
		while (wl_display_prepare_read(lease->remote) != 0) {
			if (wl_display_dispatch_pending(lease->remote) < 0) {
				return false;
			}
			if (done(lease)) {
				return true;
			}
		}
		if (wl_display_flush(lease->remote) < 0 && errno != EAGAIN) {
			wl_display_cancel_read(lease->remote);
			return false;
		}
		int left = (int)(deadline - now_ms());
		struct pollfd pfd = {
			.fd = wl_display_get_fd(lease->remote),
			.events = POLLIN,
		};
		if (left <= 0 || poll(&pfd, 1, left) <= 0) {
			wl_display_cancel_read(lease->remote);
			return true;
		}
		if (wl_display_read_events(lease->remote) < 0 ||
				wl_display_dispatch_pending(lease->remote) < 0) {
			return false;
		}
	}
	return true;
}

/* The connector to lease: the named one, else DSI-2, else the only one. */
static struct lease_connector *pick_connector(struct verso_lease *lease) {
	const char *want = lease->want;
	struct lease_connector *c, *dsi2 = NULL, *only = NULL;
	int n = 0;
	wl_list_for_each(c, &lease->connectors, link) {
		if (c->name == NULL) {
			continue;
		}
		if (want != NULL && strcmp(c->name, want) == 0) {
			return c;
		}
		if (strcmp(c->name, "DSI-2") == 0) {
			dsi2 = c;
		}
		only = c;
		n++;
	}
	if (want != NULL) {
		return NULL;
	}
	return dsi2 != NULL ? dsi2 : n == 1 ? only : NULL;
}

/* Connectors may come after the first done: wait for the one to lease. */
static bool offer_complete(struct verso_lease *lease) {
	return lease->device == NULL || (lease->device_done &&
		pick_connector(lease) != NULL);
}

static bool lease_answered(struct verso_lease *lease) {
	return lease->lease_fd >= 0 || lease->finished;
}

static void log_offer(struct verso_lease *lease, const char *display) {
	char names[256] = "";
	struct lease_connector *c;
	wl_list_for_each(c, &lease->connectors, link) {
		if (c->name != NULL && strlen(names) + strlen(c->name) + 3 <
				sizeof(names)) {
			strcat(names, names[0] ? ", " : "");
			strcat(names, c->name);
		}
	}
	wlr_log(WLR_ERROR, "'%s' offers %s for lease; %s", display,
		names[0] ? names : "no connector",
		lease->want != NULL ? "--output names another" :
		"name one with --output");
}

struct verso_lease *lease_acquire(const char *display, const char *want) {
	struct verso_lease *lease = calloc(1, sizeof(*lease));
	if (lease == NULL) {
		return NULL;
	}
	lease->lease_fd = -1;
	lease->want = want;
	wl_list_init(&lease->connectors);

	lease->remote = wl_display_connect(display);
	if (lease->remote == NULL) {
		wlr_log_errno(WLR_ERROR, "Cannot connect to the main compositor "
			"at '%s' to lease the rear connector", display);
		goto error;
	}
	struct wl_registry *registry = wl_display_get_registry(lease->remote);
	wl_registry_add_listener(registry, &registry_listener, lease);
	if (wl_display_roundtrip(lease->remote) < 0) {
		wlr_log(WLR_ERROR, "Lost '%s' while reading its globals", display);
		goto error_registry;
	}
	if (lease->device == NULL) {
		wlr_log(WLR_ERROR, "'%s' offers no DRM lease (wp_drm_lease_v1): "
			"run versod as the DRM master instead", display);
		goto error_registry;
	}
	if (!dispatch_until(lease, offer_complete) || lease->device == NULL) {
		wlr_log(WLR_ERROR, "Lost '%s' while it listed its connectors",
			display);
		goto error_registry;
	}

	struct lease_connector *c = pick_connector(lease);
	if (c == NULL) {
		log_offer(lease, display);
		goto error_registry;
	}
	lease->connector = strdup(c->name);
	struct wp_drm_lease_request_v1 *req =
		wp_drm_lease_device_v1_create_lease_request(lease->device);
	wp_drm_lease_request_v1_request_connector(req, c->obj);
	lease->lease = wp_drm_lease_request_v1_submit(req);
	wp_drm_lease_v1_add_listener(lease->lease, &lease_listener, lease);
	if (!dispatch_until(lease, lease_answered) || lease->lease_fd < 0) {
		wlr_log(WLR_ERROR, "'%s' refused to lease %s", display,
			lease->connector);
		goto error_registry;
	}
	wl_registry_destroy(registry);
	wlr_log(WLR_INFO, "Leased %s from '%s'", lease->connector, display);
	return lease;

error_registry:
	wl_registry_destroy(registry);
error:
	lease_destroy(lease);
	return NULL;
}

/*
 * wlroots 0.15 builds a DRM backend only on a device its session opened.
 * The session is libseat's noop one (the seat is the main shell's):
 * devices are opened directly, and it is always active. versod opens the
 * card through it and then puts the lease in place of that fd with dup2,
 * so the session's bookkeeping (fd, device id, dev_t) stays its own.
 */
struct wlr_backend *lease_backend_create(struct verso_lease *lease,
		struct wl_display *display) {
	setenv("LIBSEAT_BACKEND", "noop", true);
	struct wlr_session *session = wlr_session_create(display);
	if (session == NULL) {
		wlr_log(WLR_ERROR, "Cannot open a noop seat session");
		return NULL;
	}
	/*
	 * A noop seat is always usable, but with libseat 0.7 the session is
	 * still inactive after a dispatch, and wlroots refuses to commit on an
	 * inactive one: say it is active, as enable_seat would.
	 */
	if (!session->active) {
		libseat_dispatch(session->seat_handle, 0);
	}
	if (!session->active) {
		session->active = true;
		wl_signal_emit(&session->events.active, session);
	}
	char *path = drmGetDeviceNameFromFd2(lease->lease_fd);
	struct wlr_device *dev = path != NULL ?
		wlr_session_open_file(session, path) : NULL;
	if (dev == NULL) {
		wlr_log(WLR_ERROR, "Cannot open %s, the leased device",
			path != NULL ? path : "the DRM node");
		free(path);
		return NULL;
	}
	free(path);
	/* dup2 clears close-on-exec: the --startup clients must not get
	 * a master fd of the rear display. */
	if (dup2(lease->lease_fd, dev->fd) < 0 ||
			fcntl(dev->fd, F_SETFD, FD_CLOEXEC) < 0) {
		wlr_log_errno(WLR_ERROR, "Cannot install the lease fd");
		wlr_session_close_file(session, dev);
		return NULL;
	}
	close(lease->lease_fd);
	lease->lease_fd = -1;

	/*
	 * The DRM backend alone: wlroots' libinput backend cannot run on this
	 * session (input-direct.c says why). A device the backend fails on
	 * stays the session's, which closes it when the display goes.
	 */
	struct wlr_backend *drm = wlr_drm_backend_create(display, session,
		dev, NULL);
	if (drm == NULL) {
		wlr_log(WLR_ERROR, "Cannot run the DRM backend on the lease");
	}
	return drm;
}

static int handle_remote(int fd, uint32_t mask, void *data) {
	struct verso_lease *lease = data;
	bool lost = (mask & (WL_EVENT_HANGUP | WL_EVENT_ERROR)) != 0;
	if (!lost && (mask & WL_EVENT_READABLE)) {
		lost = wl_display_dispatch(lease->remote) < 0;
	}
	if (!lost && !lease->finished) {
		wl_display_flush(lease->remote);
		return 0;
	}
	wlr_log(WLR_ERROR, "The lease of %s ended: %s", lease->connector,
		lease->finished ? "the main compositor revoked it" :
		"the main compositor went away");
	wl_event_source_remove(lease->source);
	lease->source = NULL;
	if (lease->revoked != NULL) {
		lease->revoked(lease->revoked_data);
	}
	return 0;
}

bool lease_watch(struct verso_lease *lease, struct wl_event_loop *loop,
		void (*revoked)(void *data), void *data) {
	lease->revoked = revoked;
	lease->revoked_data = data;
	wl_display_flush(lease->remote);
	lease->source = wl_event_loop_add_fd(loop,
		wl_display_get_fd(lease->remote), WL_EVENT_READABLE,
		handle_remote, lease);
	return lease->source != NULL;
}

void lease_destroy(struct verso_lease *lease) {
	if (lease == NULL) {
		return;
	}
	if (lease->source != NULL) {
		wl_event_source_remove(lease->source);
	}
	struct lease_connector *c, *tmp;
	wl_list_for_each_safe(c, tmp, &lease->connectors, link) {
		connector_free(c);
	}
	if (lease->lease != NULL) {
		wp_drm_lease_v1_destroy(lease->lease);
	}
	if (lease->device != NULL) {
		wp_drm_lease_device_v1_release(lease->device);
		wp_drm_lease_device_v1_destroy(lease->device);
	}
	if (lease->lease_fd >= 0) {
		close(lease->lease_fd);
	}
	if (lease->remote != NULL) {
		wl_display_flush(lease->remote);
		wl_display_disconnect(lease->remote);
	}
	free(lease->connector);
	free(lease);
}
