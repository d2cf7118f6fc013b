// SPDX-License-Identifier: MIT
/*
 * proto-probe: a test client for versod's extra protocols.
 *
 *   proto-probe layer [--layer top|overlay|bottom|background] [--map-layer LAYER]
 *                     [--anchor top|bottom]
 *                     [--height N] [--solid RRGGBB] [--duration S]
 *                     [--popup RRGGBB]
 *       maps a wlr-layer-shell surface of a solid colour, full width, and
 *       prints "layer: mapped WxH" once configured. --popup: then a 120x60
 *       popup of that colour, anchored 10 px from its right edge and
 *       growing right, off the surface's top edge and up, allowed to
 *       slide; prints "popup: X,Y WxH" as configured, relative to the
 *       layer surface. Then a popup of that popup, the same size, anchored
 *       10 px from its right edge, growing right and down: "popup2: X,Y
 *       WxH", relative to the first popup.
 *   proto-probe power on|off
 *       sets the output's mode with wlr-output-power-management and prints
 *       "power: MODE" when the compositor confirms it.
 *   proto-probe popup
 *       maps a fullscreen toplevel whose window geometry leaves a margin of
 *       client-side shadow, then a 120x60 popup anchored near the top right
 *       corner of that geometry, growing right and down, allowed to slide;
 *       prints "popup: X,Y WxH" as configured, relative to the window
 *       geometry, and "window: WxH".
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wayland-client.h>
#include "shm.h"
#include "toplevel.h"
#include "xdg-shell-client-protocol.h"
#include "wlr-layer-shell-unstable-v1-client-protocol.h"
#include "wlr-output-power-management-unstable-v1-client-protocol.h"

struct probe {
	struct wl_compositor *compositor;
	struct wl_shm *shm;
	struct wl_output *output;
	struct zwlr_layer_shell_v1 *layer_shell;
	struct zwlr_output_power_manager_v1 *power_manager;
	struct xdg_wm_base *wm_base;
	uint32_t width, height;
	bool configured, closed;
	int power_mode; /* -1 unknown */
	bool power_failed;
};

static void wm_base_ping(void *data, struct xdg_wm_base *wm_base,
		uint32_t serial)
{
	xdg_wm_base_pong(wm_base, serial);
}

static const struct xdg_wm_base_listener wm_base_listener = {
	.ping = wm_base_ping,
};

static void registry_global(void *data, struct wl_registry *reg, uint32_t name,
		const char *iface, uint32_t version)
{
	struct probe *p = data;
	if (strcmp(iface, wl_compositor_interface.name) == 0)
		p->compositor = wl_registry_bind(reg, name, &wl_compositor_interface, 4);
	else if (strcmp(iface, wl_shm_interface.name) == 0)
		p->shm = wl_registry_bind(reg, name, &wl_shm_interface, 1);
	else if (strcmp(iface, wl_output_interface.name) == 0 && !p->output)
		p->output = wl_registry_bind(reg, name, &wl_output_interface, 1);
	else if (strcmp(iface, zwlr_layer_shell_v1_interface.name) == 0)
		p->layer_shell = wl_registry_bind(reg, name,
			&zwlr_layer_shell_v1_interface, version < 4 ? version : 4);
	else if (strcmp(iface, xdg_wm_base_interface.name) == 0) {
		p->wm_base = wl_registry_bind(reg, name, &xdg_wm_base_interface, 1);
		xdg_wm_base_add_listener(p->wm_base, &wm_base_listener, p);
	} else if (strcmp(iface, zwlr_output_power_manager_v1_interface.name) == 0)
		p->power_manager = wl_registry_bind(reg, name,
			&zwlr_output_power_manager_v1_interface, 1);
}

static void registry_remove(void *data, struct wl_registry *reg, uint32_t name)
{
}

static const struct wl_registry_listener registry_listener = {
	.global = registry_global,
	.global_remove = registry_remove,
};

static void layer_configure(void *data, struct zwlr_layer_surface_v1 *surface,
		uint32_t serial, uint32_t width, uint32_t height)
{
	struct probe *p = data;
	p->width = width;
	p->height = height;
	p->configured = true;
	zwlr_layer_surface_v1_ack_configure(surface, serial);
}

static void layer_closed(void *data, struct zwlr_layer_surface_v1 *surface)
{
	struct probe *p = data;
	p->closed = true;
}

static const struct zwlr_layer_surface_v1_listener layer_listener = {
	.configure = layer_configure,
	.closed = layer_closed,
};

static void power_mode(void *data, struct zwlr_output_power_v1 *power,
		uint32_t mode)
{
	struct probe *p = data;
	p->power_mode = mode;
}

static void power_failed(void *data, struct zwlr_output_power_v1 *power)
{
	struct probe *p = data;
	p->power_failed = true;
}

static const struct zwlr_output_power_v1_listener power_listener = {
	.mode = power_mode,
	.failed = power_failed,
};

static int usage(void)
{
	fprintf(stderr, "usage: proto-probe layer [--layer top|overlay|bottom|"
		"background] [--map-layer LAYER] [--anchor top|bottom] [--height N] [--solid RRGGBB] "
		"[--duration S] [--popup RRGGBB]\n       proto-probe power on|off\n"
		"       proto-probe popup\n");
	return 2;
}

/* --- popup --- */

#define POPUP_MARGIN 24 /* shadow around the window geometry */
#define POPUP_W 120
#define POPUP_H 60

struct popup_probe {
	int32_t x, y, w, h;
	bool configured, done;
};

static void popup_configure(void *data, struct xdg_popup *popup, int32_t x,
		int32_t y, int32_t w, int32_t h)
{
	struct popup_probe *pp = data;
	pp->x = x;
	pp->y = y;
	pp->w = w;
	pp->h = h;
}

static void popup_done(void *data, struct xdg_popup *popup)
{
	struct popup_probe *pp = data;
	pp->done = true;
}

static void popup_repositioned(void *data, struct xdg_popup *popup,
		uint32_t token)
{
}

static const struct xdg_popup_listener popup_listener = {
	.configure = popup_configure,
	.popup_done = popup_done,
	.repositioned = popup_repositioned,
};

static void popup_surface_configure(void *data, struct xdg_surface *xdg,
		uint32_t serial)
{
	struct popup_probe *pp = data;
	xdg_surface_ack_configure(xdg, serial);
	pp->configured = true;
}

static const struct xdg_surface_listener popup_surface_listener = {
	.configure = popup_surface_configure,
};

static bool fill_buffer(struct verso_pool *pool, int32_t w, int32_t h,
		uint32_t colour, struct wl_surface *surface)
{
	struct verso_buffer *buf = verso_pool_next(pool, w, h);
	if (!buf) {
		fprintf(stderr, "proto-probe: cannot allocate %dx%d: %s\n",
			w, h, strerror(errno));
		return false;
	}
	for (int32_t y = 0; y < buf->height; y++) {
		uint32_t *row = (uint32_t *)((char *)buf->data + y * buf->stride);
		for (int32_t x = 0; x < buf->width; x++)
			row[x] = 0xff000000 | colour;
	}
	wl_surface_attach(surface, buf->wl_buffer, 0, 0);
	wl_surface_damage(surface, 0, 0, INT32_MAX, INT32_MAX);
	return true;
}

/* A POPUP_W x POPUP_H popup anchored at one point, allowed to slide. */
static struct xdg_positioner *popup_positioner(struct xdg_wm_base *wm_base,
		int32_t x, int32_t y, enum xdg_positioner_anchor anchor,
		enum xdg_positioner_gravity gravity)
{
	struct xdg_positioner *pos = xdg_wm_base_create_positioner(wm_base);
	xdg_positioner_set_size(pos, POPUP_W, POPUP_H);
	xdg_positioner_set_anchor_rect(pos, x, y, 1, 1);
	xdg_positioner_set_anchor(pos, anchor);
	xdg_positioner_set_gravity(pos, gravity);
	xdg_positioner_set_constraint_adjustment(pos,
		XDG_POSITIONER_CONSTRAINT_ADJUSTMENT_SLIDE_X |
		XDG_POSITIONER_CONSTRAINT_ADJUSTMENT_SLIDE_Y);
	return pos;
}

/* A solid popup of the layer mode: of a layer surface or of another. */
struct layer_popup {
	struct wl_surface *surface;
	struct xdg_surface *xdg;
	struct xdg_popup *popup;
	struct verso_pool pool;
	struct popup_probe state;
};

/* Maps it under parent, or under ls when parent is NULL; false if the
 * compositor does not configure it. Takes pos. */
static bool layer_popup_open(struct layer_popup *lp, struct probe *p,
		struct wl_display *display, struct xdg_surface *parent,
		struct zwlr_layer_surface_v1 *ls, struct xdg_positioner *pos,
		uint32_t colour)
{
	lp->surface = wl_compositor_create_surface(p->compositor);
	lp->xdg = xdg_wm_base_get_xdg_surface(p->wm_base, lp->surface);
	xdg_surface_add_listener(lp->xdg, &popup_surface_listener, &lp->state);
	lp->popup = xdg_surface_get_popup(lp->xdg, parent, pos);
	xdg_popup_add_listener(lp->popup, &popup_listener, &lp->state);
	if (!parent)
		zwlr_layer_surface_v1_get_popup(ls, lp->popup);
	xdg_positioner_destroy(pos);
	wl_surface_commit(lp->surface);
	for (int i = 0; i < 50 && !lp->state.configured && !lp->state.done; i++)
		if (wl_display_roundtrip(display) < 0)
			break;
	if (!lp->state.configured || lp->state.done ||
			!fill_buffer(&lp->pool, POPUP_W, POPUP_H, colour, lp->surface))
		return false;
	wl_surface_commit(lp->surface);
	wl_display_roundtrip(display);
	return true;
}

static void layer_popup_close(struct layer_popup *lp)
{
	if (lp->popup) {
		xdg_popup_destroy(lp->popup);
		xdg_surface_destroy(lp->xdg);
		wl_surface_destroy(lp->surface);
	}
	verso_pool_finish(&lp->pool);
}

static int run_popup(void)
{
	struct verso_client c;
	const struct verso_client_options opts = {
		.title = "proto-probe popup",
		.app_id = "proto-probe",
		.default_width = 640,
		.default_height = 480,
		.fullscreen = true,
	};
	if (verso_client_init(&c, &opts, NULL, NULL) < 0) {
		verso_client_finish(&c);
		return 1;
	}
	/* Up to 20 s for each answer (slow under emulation). */
	for (int i = 0; i < 200 && !c.configured && !c.closed; i++)
		if (verso_client_dispatch(&c, NULL, 0, 100) < 0)
			break;
	int ret = 1;
	struct verso_pool pool, popup_pool;
	verso_pool_init(&pool, c.shm, WL_SHM_FORMAT_XRGB8888, 1);
	verso_pool_init(&popup_pool, c.shm, WL_SHM_FORMAT_XRGB8888, 1);
	if (!c.configured)
		goto out;

	/* The window fills the output; its shadow lies beyond the edges. */
	int32_t w = c.width, h = c.height;
	if (!fill_buffer(&pool, w + 2 * POPUP_MARGIN, h + 2 * POPUP_MARGIN,
			0x404040, c.surface))
		goto out;
	xdg_surface_set_window_geometry(c.xdg_surface, POPUP_MARGIN,
		POPUP_MARGIN, w, h);
	wl_surface_commit(c.surface);
	wl_display_roundtrip(c.display);

	struct xdg_positioner *pos = popup_positioner(c.wm_base, w - 10, 10,
		XDG_POSITIONER_ANCHOR_BOTTOM_RIGHT,
		XDG_POSITIONER_GRAVITY_BOTTOM_RIGHT);
	struct popup_probe pp = { 0 };
	struct wl_surface *surface = wl_compositor_create_surface(c.compositor);
	struct xdg_surface *xdg = xdg_wm_base_get_xdg_surface(c.wm_base, surface);
	xdg_surface_add_listener(xdg, &popup_surface_listener, &pp);
	struct xdg_popup *popup = xdg_surface_get_popup(xdg, c.xdg_surface, pos);
	xdg_popup_add_listener(popup, &popup_listener, &pp);
	xdg_positioner_destroy(pos);
	wl_surface_commit(surface);
	for (int i = 0; i < 200 && !pp.configured && !pp.done && !c.closed; i++)
		if (verso_client_dispatch(&c, NULL, 0, 100) < 0)
			break;
	if (pp.configured && !pp.done &&
			fill_buffer(&popup_pool, POPUP_W, POPUP_H, 0xffffff, surface)) {
		wl_surface_commit(surface);
		wl_display_roundtrip(c.display);
		printf("window: %dx%d\npopup: %d,%d %dx%d\n", w, h, pp.x, pp.y,
			pp.w, pp.h);
		ret = 0;
	} else {
		fprintf(stderr, "proto-probe: the popup was not configured\n");
	}
	xdg_popup_destroy(popup);
	xdg_surface_destroy(xdg);
	wl_surface_destroy(surface);
out:
	verso_pool_finish(&popup_pool);
	verso_pool_finish(&pool);
	verso_client_finish(&c);
	return ret;
}

static int run_power(struct wl_display *display, struct probe *p, bool on)
{
	if (!p->power_manager || !p->output) {
		fprintf(stderr, "proto-probe: no wlr-output-power-management\n");
		return 1;
	}
	p->power_mode = -1;
	struct zwlr_output_power_v1 *power =
		zwlr_output_power_manager_v1_get_output_power(p->power_manager,
			p->output);
	zwlr_output_power_v1_add_listener(power, &power_listener, p);
	wl_display_roundtrip(display); /* the current mode */
	uint32_t want = on ? ZWLR_OUTPUT_POWER_V1_MODE_ON :
		ZWLR_OUTPUT_POWER_V1_MODE_OFF;
	zwlr_output_power_v1_set_mode(power, want);
	for (int i = 0; i < 50 && !p->power_failed &&
			p->power_mode != (int)want; i++) {
		wl_display_roundtrip(display);
		if (p->power_mode != (int)want)
			nanosleep(&(struct timespec){ 0, 100000000 }, NULL);
	}
	if (p->power_failed || p->power_mode != (int)want) {
		fprintf(stderr, "proto-probe: power mode not applied\n");
		return 1;
	}
	printf("power: %s\n", on ? "on" : "off");
	return 0;
}

int main(int argc, char *argv[])
{
	if (argc < 2)
		return usage();
	if (strcmp(argv[1], "popup") == 0)
		return argc == 2 ? run_popup() : usage();
	struct probe p = { .power_mode = -1 };
	struct wl_display *display = wl_display_connect(NULL);
	if (!display) {
		fprintf(stderr, "proto-probe: cannot connect to the compositor\n");
		return 1;
	}
	struct wl_registry *reg = wl_display_get_registry(display);
	wl_registry_add_listener(reg, &registry_listener, &p);
	wl_display_roundtrip(display);

	if (strcmp(argv[1], "power") == 0) {
		if (argc != 3 || (strcmp(argv[2], "on") && strcmp(argv[2], "off")))
			return usage();
		int ret = run_power(display, &p, strcmp(argv[2], "on") == 0);
		wl_display_disconnect(display);
		return ret;
	}
	if (strcmp(argv[1], "layer") != 0)
		return usage();

	uint32_t layer = ZWLR_LAYER_SHELL_V1_LAYER_OVERLAY, map_layer = UINT32_MAX;
	uint32_t anchor = ZWLR_LAYER_SURFACE_V1_ANCHOR_TOP;
	uint32_t height = 100, colour = 0xff8000, popup_colour = 0;
	bool want_popup = false;
	double duration = 10;
	for (int i = 2; i + 1 < argc; i += 2) {
		const char *opt = argv[i], *val = argv[i + 1];
		if (strcmp(opt, "--layer") == 0 || strcmp(opt, "--map-layer") == 0) {
			uint32_t l = !strcmp(val, "top") ? ZWLR_LAYER_SHELL_V1_LAYER_TOP :
				!strcmp(val, "bottom") ? ZWLR_LAYER_SHELL_V1_LAYER_BOTTOM :
				!strcmp(val, "background") ?
				ZWLR_LAYER_SHELL_V1_LAYER_BACKGROUND :
				ZWLR_LAYER_SHELL_V1_LAYER_OVERLAY;
			*(strcmp(opt, "--layer") == 0 ? &layer : &map_layer) = l;
		} else if (strcmp(opt, "--anchor") == 0) {
			anchor = !strcmp(val, "bottom") ?
				ZWLR_LAYER_SURFACE_V1_ANCHOR_BOTTOM :
				ZWLR_LAYER_SURFACE_V1_ANCHOR_TOP;
		} else if (strcmp(opt, "--height") == 0) {
			height = strtoul(val, NULL, 10);
		} else if (strcmp(opt, "--solid") == 0) {
			colour = strtoul(val, NULL, 16);
		} else if (strcmp(opt, "--duration") == 0) {
			duration = strtod(val, NULL);
		} else if (strcmp(opt, "--popup") == 0) {
			want_popup = true;
			popup_colour = strtoul(val, NULL, 16);
		} else {
			return usage();
		}
	}
	if (!p.layer_shell || !p.compositor || !p.shm) {
		fprintf(stderr, "proto-probe: no zwlr_layer_shell_v1\n");
		return 1;
	}
	struct wl_surface *surface = wl_compositor_create_surface(p.compositor);
	struct zwlr_layer_surface_v1 *ls = zwlr_layer_shell_v1_get_layer_surface(
		p.layer_shell, surface, NULL, layer, "proto-probe");
	zwlr_layer_surface_v1_add_listener(ls, &layer_listener, &p);
	zwlr_layer_surface_v1_set_anchor(ls, anchor |
		ZWLR_LAYER_SURFACE_V1_ANCHOR_LEFT | ZWLR_LAYER_SURFACE_V1_ANCHOR_RIGHT);
	zwlr_layer_surface_v1_set_size(ls, 0, height);
	wl_surface_commit(surface);
	while (!p.configured && !p.closed && wl_display_dispatch(display) >= 0)
		;
	if (p.closed || !p.configured) {
		fprintf(stderr, "proto-probe: layer surface closed\n");
		return 1;
	}

	struct verso_pool pool;
	verso_pool_init(&pool, p.shm, WL_SHM_FORMAT_XRGB8888, 1);
	struct verso_buffer *buf = verso_pool_next(&pool, p.width, p.height);
	if (!buf) {
		fprintf(stderr, "proto-probe: cannot allocate %ux%u: %s\n",
			p.width, p.height, strerror(errno));
		return 1;
	}
	for (int32_t y = 0; y < buf->height; y++) {
		uint32_t *row = (uint32_t *)((char *)buf->data + y * buf->stride);
		for (int32_t x = 0; x < buf->width; x++)
			row[x] = 0xff000000 | colour;
	}
	/* --map-layer: moved to that layer by the commit that maps it. */
	if (map_layer != UINT32_MAX && zwlr_layer_surface_v1_get_version(ls) >=
			ZWLR_LAYER_SURFACE_V1_SET_LAYER_SINCE_VERSION)
		zwlr_layer_surface_v1_set_layer(ls, map_layer);
	wl_surface_attach(surface, buf->wl_buffer, 0, 0);
	wl_surface_damage(surface, 0, 0, INT32_MAX, INT32_MAX);
	wl_surface_commit(surface);
	wl_display_roundtrip(display);
	printf("layer: mapped %ux%u\n", p.width, p.height);
	fflush(stdout);

	/* A menu off the strip's top edge, and its submenu. */
	struct layer_popup menu = { 0 }, sub = { 0 };
	verso_pool_init(&menu.pool, p.shm, WL_SHM_FORMAT_XRGB8888, 1);
	verso_pool_init(&sub.pool, p.shm, WL_SHM_FORMAT_XRGB8888, 1);
	if (want_popup) {
		if (!p.wm_base) {
			fprintf(stderr, "proto-probe: no xdg_wm_base\n");
			return 1;
		}
		if (!layer_popup_open(&menu, &p, display, NULL, ls,
				popup_positioner(p.wm_base, p.width - 10, 0,
					XDG_POSITIONER_ANCHOR_TOP_LEFT,
					XDG_POSITIONER_GRAVITY_TOP_RIGHT),
				popup_colour)) {
			fprintf(stderr, "proto-probe: the popup was not configured\n");
			return 1;
		}
		printf("popup: %d,%d %dx%d\n", menu.state.x, menu.state.y,
			menu.state.w, menu.state.h);
		fflush(stdout);

		/* Off the output's right edge unless kept on it. */
		if (!layer_popup_open(&sub, &p, display, menu.xdg, NULL,
				popup_positioner(p.wm_base, POPUP_W - 10, 10,
					XDG_POSITIONER_ANCHOR_TOP_LEFT,
					XDG_POSITIONER_GRAVITY_BOTTOM_RIGHT),
				popup_colour)) {
			fprintf(stderr, "proto-probe: the nested popup was not "
				"configured\n");
			return 1;
		}
		printf("popup2: %d,%d %dx%d\n", sub.state.x, sub.state.y,
			sub.state.w, sub.state.h);
		fflush(stdout);
	}

	struct timespec start, now;
	clock_gettime(CLOCK_MONOTONIC, &start);
	int fd = wl_display_get_fd(display);
	while (!p.closed) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		double left = duration - (now.tv_sec - start.tv_sec) -
			(now.tv_nsec - start.tv_nsec) / 1e9;
		if (left <= 0)
			break;
		wl_display_flush(display);
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		if (poll(&pfd, 1, (int)(left * 1000) + 1) > 0 &&
				wl_display_dispatch(display) < 0)
			break;
	}
	if (p.closed)
		printf("layer: closed\n");
	layer_popup_close(&sub);
	layer_popup_close(&menu);
	verso_pool_finish(&pool);
	wl_display_disconnect(display);
	return 0;
}
