/* SPDX-License-Identifier: MIT */
#ifndef VERSO_LEASE_H
#define VERSO_LEASE_H

#include <stdbool.h>
#include <wayland-server-core.h>

struct wlr_backend;
struct verso_lease;

/*
 * Leases the connector named want (NULL: DSI-2, else the only one offered)
 * from the compositor at Wayland display name display. NULL, with the
 * reason logged, when it offers no such connector or refuses.
 */
struct verso_lease *lease_acquire(const char *display, const char *want);
/* wlroots' DRM backend on the lease; touch is input-direct.c's. */
struct wlr_backend *lease_backend_create(struct verso_lease *lease,
	struct wl_display *display);
/* Calls revoked once when the lessor revokes the lease or goes away. */
bool lease_watch(struct verso_lease *lease, struct wl_event_loop *loop,
	void (*revoked)(void *data), void *data);
void lease_destroy(struct verso_lease *lease);

#endif
