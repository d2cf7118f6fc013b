/* SPDX-License-Identifier: MIT */
/*
 * An sd-bus connection driven by the Wayland event loop: its fd, and a
 * timer armed only while sd-bus waits for a reply, so a quiet bus costs no
 * wakeups. ipc.c (session bus) and proximity.c (system bus) share it.
 */
#ifndef VERSO_BUS_SOURCE_H
#define VERSO_BUS_SOURCE_H

#include <stdbool.h>
#include <systemd/sd-bus.h>
#include <wayland-server-core.h>

struct verso_bus_source {
	sd_bus *bus; /* the owner's; never closed here */
	struct wl_event_source *fd, *timer;
	/* Called once when the connection breaks (-errno), after the source
	 * is detached from the loop. */
	void (*lost)(struct verso_bus_source *src, int err);
};

/* Watches bus in loop and processes what is already queued. Returns 0, or
 * -ENOMEM with nothing attached. */
int verso_bus_source_attach(struct verso_bus_source *src,
	struct wl_event_loop *loop, sd_bus *bus,
	void (*lost)(struct verso_bus_source *src, int err));

/* Call after queueing messages outside a bus callback: sd-bus may need
 * the fd to become writable, or a reply deadline. */
void verso_bus_source_update(struct verso_bus_source *src);

bool verso_bus_source_attached(const struct verso_bus_source *src);

void verso_bus_source_detach(struct verso_bus_source *src);

#endif
