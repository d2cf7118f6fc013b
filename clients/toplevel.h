/* SPDX-License-Identifier: MIT */
/*
 * One Wayland connection with one xdg-shell toplevel: what every verso cover
 * client needs. Drawing and buffers are the caller's (see shm.h).
 */
#ifndef VERSO_CLIENT_TOPLEVEL_H
#define VERSO_CLIENT_TOPLEVEL_H

#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <wayland-client.h>

#include "linux-dmabuf-unstable-v1-client-protocol.h"
#include "presentation-time-client-protocol.h"
#include "xdg-shell-client-protocol.h"

struct verso_client;

struct verso_client_listener {
	/* The surface was configured (c->width/height may have changed). */
	void (*configure)(struct verso_client *c, void *data);
	/* The compositor asked the window to close. */
	void (*close)(struct verso_client *c, void *data);
	/*
	 * c->dmabuf was just bound, before the roundtrip that delivers its
	 * format events: add a listener here to see them.
	 */
	void (*dmabuf_bound)(struct verso_client *c, void *data);
};

struct verso_client {
	const char *name; /* prefix for messages: the app id */
	struct wl_display *display;
	struct wl_registry *registry;
	struct wl_compositor *compositor;
	struct wl_shm *shm;
	struct xdg_wm_base *wm_base;
	struct wp_presentation *presentation; /* NULL when not offered */
	uint32_t presentation_clock; /* clockid_t of presentation timestamps */
	/* linux-dmabuf v3 (format/modifier events), NULL when not offered. */
	struct zwp_linux_dmabuf_v1 *dmabuf;
	uint32_t dmabuf_version;

	struct wl_surface *surface;
	struct xdg_surface *xdg_surface;
	struct xdg_toplevel *toplevel;

	/* Size to draw at; the compositor's choice, else the default. */
	int32_t width, height;
	int32_t default_width, default_height;
	int32_t pending_width, pending_height;
	bool configured;
	bool closed;

	const struct verso_client_listener *listener;
	void *data;
};

struct verso_client_options {
	const char *title;
	const char *app_id;
	int32_t default_width, default_height; /* used while configured 0x0 */
	bool fullscreen;
};

/*
 * Connects to $WAYLAND_DISPLAY, binds the globals and maps a toplevel.
 * Returns 0, or -1 after printing why to stderr (prefixed by the app id).
 */
int verso_client_init(struct verso_client *c,
		const struct verso_client_options *opts,
		const struct verso_client_listener *listener, void *data);

void verso_client_finish(struct verso_client *c);

/*
 * Flushes requests, waits up to timeout_ms (-1: forever) for events or for
 * one of the extra fds, and dispatches Wayland events. Returns the number of
 * extra fds with revents set (0 on timeout or signal), or -1 when the
 * connection is lost (message printed).
 */
int verso_client_dispatch(struct verso_client *c, struct pollfd *extra,
		int n_extra, int timeout_ms);

/* Marks the whole surface opaque (for XRGB content). */
void verso_client_set_opaque(struct verso_client *c);

#endif /* VERSO_CLIENT_TOPLEVEL_H */
