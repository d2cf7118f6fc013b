// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "toplevel.h"

#define MAX_POLL 8

static void wm_base_ping(void *data, struct xdg_wm_base *wm_base,
		uint32_t serial)
{
	xdg_wm_base_pong(wm_base, serial);
}

static const struct xdg_wm_base_listener wm_base_listener = {
	.ping = wm_base_ping,
};

static void presentation_clock_id(void *data,
		struct wp_presentation *presentation, uint32_t clk_id)
{
	struct verso_client *c = data;
	c->presentation_clock = clk_id;
}

static const struct wp_presentation_listener presentation_listener = {
	.clock_id = presentation_clock_id,
};

static void registry_global(void *data, struct wl_registry *registry,
		uint32_t name, const char *interface, uint32_t version)
{
	struct verso_client *c = data;
	if (strcmp(interface, wl_compositor_interface.name) == 0) {
		c->compositor = wl_registry_bind(registry, name,
			&wl_compositor_interface, version < 4 ? version : 4);
	} else if (strcmp(interface, wl_shm_interface.name) == 0) {
		c->shm = wl_registry_bind(registry, name, &wl_shm_interface, 1);
	} else if (strcmp(interface, xdg_wm_base_interface.name) == 0) {
		c->wm_base = wl_registry_bind(registry, name,
			&xdg_wm_base_interface, 1);
		xdg_wm_base_add_listener(c->wm_base, &wm_base_listener, c);
	} else if (strcmp(interface, zwp_linux_dmabuf_v1_interface.name) == 0 &&
			version >= 3) {
		/* v3: formats come as modifier events, no feedback objects. */
		c->dmabuf = wl_registry_bind(registry, name,
			&zwp_linux_dmabuf_v1_interface, 3);
		c->dmabuf_version = 3;
		if (c->listener && c->listener->dmabuf_bound)
			c->listener->dmabuf_bound(c, c->data);
	} else if (strcmp(interface, wp_presentation_interface.name) == 0) {
		c->presentation = wl_registry_bind(registry, name,
			&wp_presentation_interface, 1);
		wp_presentation_add_listener(c->presentation,
			&presentation_listener, c);
	}
}

static void registry_global_remove(void *data, struct wl_registry *registry,
		uint32_t name)
{
}

static const struct wl_registry_listener registry_listener = {
	.global = registry_global,
	.global_remove = registry_global_remove,
};

static void xdg_surface_configure(void *data, struct xdg_surface *xdg_surface,
		uint32_t serial)
{
	struct verso_client *c = data;
	xdg_surface_ack_configure(xdg_surface, serial);
	c->width = c->pending_width > 0 ? c->pending_width : c->default_width;
	c->height = c->pending_height > 0 ? c->pending_height :
		c->default_height;
	c->configured = true;
	if (c->listener && c->listener->configure)
		c->listener->configure(c, c->data);
}

static const struct xdg_surface_listener xdg_surface_listener = {
	.configure = xdg_surface_configure,
};

static void toplevel_configure(void *data, struct xdg_toplevel *toplevel,
		int32_t width, int32_t height, struct wl_array *states)
{
	struct verso_client *c = data;
	c->pending_width = width;
	c->pending_height = height;
}

static void toplevel_close(void *data, struct xdg_toplevel *toplevel)
{
	struct verso_client *c = data;
	c->closed = true;
	if (c->listener && c->listener->close)
		c->listener->close(c, c->data);
}

static const struct xdg_toplevel_listener toplevel_listener = {
	.configure = toplevel_configure,
	.close = toplevel_close,
};

int verso_client_init(struct verso_client *c,
		const struct verso_client_options *opts,
		const struct verso_client_listener *listener, void *data)
{
	*c = (struct verso_client){
		.name = opts->app_id,
		.default_width = opts->default_width,
		.default_height = opts->default_height,
		.listener = listener,
		.data = data,
	};
	const char *name = c->name;

	c->display = wl_display_connect(NULL);
	if (!c->display) {
		fprintf(stderr, "%s: cannot connect to a Wayland compositor "
			"(WAYLAND_DISPLAY=%s): %s\n", name,
			getenv("WAYLAND_DISPLAY") ? getenv("WAYLAND_DISPLAY") :
			"unset", strerror(errno));
		return -1;
	}
	c->registry = wl_display_get_registry(c->display);
	wl_registry_add_listener(c->registry, &registry_listener, c);
	/* Twice: globals first, then their initial events (clock_id). */
	if (wl_display_roundtrip(c->display) < 0 ||
			wl_display_roundtrip(c->display) < 0) {
		fprintf(stderr, "%s: lost the Wayland connection\n", name);
		return -1;
	}
	const char *missing = !c->compositor ? "wl_compositor" :
		!c->shm ? "wl_shm" : !c->wm_base ? "xdg_wm_base" : NULL;
	if (missing) {
		fprintf(stderr, "%s: the compositor does not offer %s\n", name,
			missing);
		return -1;
	}

	c->surface = wl_compositor_create_surface(c->compositor);
	c->xdg_surface = xdg_wm_base_get_xdg_surface(c->wm_base, c->surface);
	xdg_surface_add_listener(c->xdg_surface, &xdg_surface_listener, c);
	c->toplevel = xdg_surface_get_toplevel(c->xdg_surface);
	xdg_toplevel_add_listener(c->toplevel, &toplevel_listener, c);
	xdg_toplevel_set_title(c->toplevel, opts->title);
	xdg_toplevel_set_app_id(c->toplevel, opts->app_id);
	if (opts->fullscreen)
		xdg_toplevel_set_fullscreen(c->toplevel, NULL);
	/* The initial commit without a buffer asks for the first configure. */
	wl_surface_commit(c->surface);
	return 0;
}

void verso_client_finish(struct verso_client *c)
{
	if (c->toplevel)
		xdg_toplevel_destroy(c->toplevel);
	if (c->xdg_surface)
		xdg_surface_destroy(c->xdg_surface);
	if (c->surface)
		wl_surface_destroy(c->surface);
	if (c->presentation)
		wp_presentation_destroy(c->presentation);
	if (c->dmabuf)
		zwp_linux_dmabuf_v1_destroy(c->dmabuf);
	if (c->wm_base)
		xdg_wm_base_destroy(c->wm_base);
	if (c->shm)
		wl_shm_destroy(c->shm);
	if (c->compositor)
		wl_compositor_destroy(c->compositor);
	if (c->registry)
		wl_registry_destroy(c->registry);
	if (c->display) {
		wl_display_flush(c->display);
		wl_display_disconnect(c->display);
	}
	*c = (struct verso_client){0};
}

int verso_client_dispatch(struct verso_client *c, struct pollfd *extra,
		int n_extra, int timeout_ms)
{
	struct pollfd fds[MAX_POLL + 1];
	if (n_extra > MAX_POLL)
		n_extra = MAX_POLL;

	while (wl_display_prepare_read(c->display) != 0) {
		if (wl_display_dispatch_pending(c->display) < 0)
			goto lost;
	}
	fds[0] = (struct pollfd){ .fd = wl_display_get_fd(c->display),
		.events = POLLIN };
	/* A full socket buffer: wait until it drains as well. */
	if (wl_display_flush(c->display) < 0) {
		if (errno != EAGAIN) {
			wl_display_cancel_read(c->display);
			goto lost;
		}
		fds[0].events |= POLLOUT;
	}
	for (int i = 0; i < n_extra; i++) {
		fds[i + 1] = extra[i];
		fds[i + 1].revents = 0;
	}

	int n = poll(fds, n_extra + 1, timeout_ms);
	if (n < 0) {
		wl_display_cancel_read(c->display);
		if (errno == EINTR)
			return 0;
		fprintf(stderr, "%s: poll: %s\n", c->name, strerror(errno));
		return -1;
	}
	if (fds[0].revents & (POLLIN | POLLERR | POLLHUP)) {
		if (wl_display_read_events(c->display) < 0)
			goto lost;
	} else {
		wl_display_cancel_read(c->display);
	}
	if (wl_display_dispatch_pending(c->display) < 0)
		goto lost;

	int ready = 0;
	for (int i = 0; i < n_extra; i++) {
		extra[i].revents = fds[i + 1].revents;
		if (extra[i].revents)
			ready++;
	}
	return ready;

lost:
	fprintf(stderr, "%s: lost the Wayland connection: %s\n", c->name,
		strerror(wl_display_get_error(c->display)));
	return -1;
}

void verso_client_set_opaque(struct verso_client *c)
{
	struct wl_region *region = wl_compositor_create_region(c->compositor);
	wl_region_add(region, 0, 0, c->width, c->height);
	wl_surface_set_opaque_region(c->surface, region);
	wl_region_destroy(region);
}
