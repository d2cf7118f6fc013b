// SPDX-License-Identifier: MIT
/*
 * A misbehaving Wayland client, for robustness tests: each mode breaks the
 * protocol or the buffer contract in one way. The compositor must disconnect
 * it (or survive it) and keep serving everybody else.
 *
 *   bad-client role-twice | bad-stride | shrink | huge | disconnect |
 *              popup-orphan | inhibit-orphan | inhibit-orphan-layer |
 *              layer-huge | layer-no-ack | bad-title | nonchar-title |
 *              subsurface-orphan
 *
 * The orphan modes end a surface's role object but keep the wl_surface,
 * which keeps its role: a popup is then parented to it, or an idle
 * inhibitor is left (and made) on it. subsurface-orphan destroys the
 * parent wl_surface of a desynchronized subsurface, which keeps drawing.
 */
#define _GNU_SOURCE
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <wayland-client.h>
#include "idle-inhibit-unstable-v1-client-protocol.h"
#include "wlr-layer-shell-unstable-v1-client-protocol.h"
#include "xdg-shell-client-protocol.h"

static struct wl_compositor *compositor;
static struct wl_shm *shm;
static struct xdg_wm_base *wm_base;
static struct zwp_idle_inhibit_manager_v1 *inhibit_manager;
static struct zwlr_layer_shell_v1 *layer_shell;
static struct wl_subcompositor *subcompositor;

static void handle_global(void *data, struct wl_registry *registry,
		uint32_t name, const char *interface, uint32_t version) {
	if (strcmp(interface, wl_compositor_interface.name) == 0) {
		compositor = wl_registry_bind(registry, name, &wl_compositor_interface, 4);
	} else if (strcmp(interface, wl_shm_interface.name) == 0) {
		shm = wl_registry_bind(registry, name, &wl_shm_interface, 1);
	} else if (strcmp(interface, xdg_wm_base_interface.name) == 0) {
		wm_base = wl_registry_bind(registry, name, &xdg_wm_base_interface, 1);
	} else if (strcmp(interface, zwp_idle_inhibit_manager_v1_interface.name) == 0) {
		inhibit_manager = wl_registry_bind(registry, name,
			&zwp_idle_inhibit_manager_v1_interface, 1);
	} else if (strcmp(interface, wl_subcompositor_interface.name) == 0) {
		subcompositor = wl_registry_bind(registry, name,
			&wl_subcompositor_interface, 1);
	} else if (strcmp(interface, zwlr_layer_shell_v1_interface.name) == 0) {
		layer_shell = wl_registry_bind(registry, name,
			&zwlr_layer_shell_v1_interface, 1);
	}
}

static void handle_global_remove(void *data, struct wl_registry *registry,
		uint32_t name) {
}

static const struct wl_registry_listener registry_listener = {
	.global = handle_global,
	.global_remove = handle_global_remove,
};

static void handle_configure(void *data, struct xdg_surface *surface,
		uint32_t serial) {
	xdg_surface_ack_configure(surface, serial);
	*(bool *)data = true;
}

static const struct xdg_surface_listener xdg_surface_listener = {
	.configure = handle_configure,
};

/* A pool of @size bytes on a memfd; returns the fd through @fd_out. */
static struct wl_shm_pool *make_pool(off_t size, int *fd_out) {
	int fd = memfd_create("bad-client", MFD_CLOEXEC);
	if (fd < 0 || ftruncate(fd, size) < 0) {
		perror("bad-client: memfd");
		exit(1);
	}
	*fd_out = fd;
	return wl_shm_create_pool(shm, fd, size);
}

static uint32_t layer_width, layer_height;

static void layer_configure(void *data, struct zwlr_layer_surface_v1 *layer,
		uint32_t serial, uint32_t width, uint32_t height) {
	zwlr_layer_surface_v1_ack_configure(layer, serial);
	layer_width = width;
	layer_height = height;
	*(bool *)data = true;
}

static void layer_closed(void *data, struct zwlr_layer_surface_v1 *layer) {
}

static const struct zwlr_layer_surface_v1_listener layer_listener = {
	.configure = layer_configure,
	.closed = layer_closed,
};

/* An overlay on @surface; @configured is set at its first configure. */
static struct zwlr_layer_surface_v1 *get_overlay(struct wl_surface *surface,
		bool *configured) {
	struct zwlr_layer_surface_v1 *layer = zwlr_layer_shell_v1_get_layer_surface(
		layer_shell, surface, NULL, ZWLR_LAYER_SHELL_V1_LAYER_OVERLAY,
		"bad-client");
	zwlr_layer_surface_v1_add_listener(layer, &layer_listener, configured);
	return layer;
}

/* Attaches and commits a black @w x @h buffer. */
static void show(struct wl_surface *surface, int w, int h) {
	int fd;
	struct wl_shm_pool *pool = make_pool((off_t)w * 4 * h, &fd);
	struct wl_buffer *buffer = wl_shm_pool_create_buffer(pool, 0, w, h,
		w * 4, WL_SHM_FORMAT_XRGB8888);
	wl_shm_pool_destroy(pool);
	close(fd);
	wl_surface_attach(surface, buffer, 0, 0);
	wl_surface_damage(surface, 0, 0, w, h);
	wl_surface_commit(surface);
}

/* An overlay that asks for the largest size and margins there are. */
static void layer_huge(struct wl_display *display) {
	if (layer_shell == NULL) {
		fprintf(stderr, "bad-client: no layer shell\n");
		exit(1);
	}
	struct wl_surface *surface = wl_compositor_create_surface(compositor);
	bool configured = false;
	struct zwlr_layer_surface_v1 *layer = get_overlay(surface, &configured);
	zwlr_layer_surface_v1_set_size(layer, UINT32_MAX, INT32_MAX);
	zwlr_layer_surface_v1_set_anchor(layer,
		ZWLR_LAYER_SURFACE_V1_ANCHOR_RIGHT | ZWLR_LAYER_SURFACE_V1_ANCHOR_BOTTOM);
	zwlr_layer_surface_v1_set_margin(layer, INT32_MIN, INT32_MAX,
		INT32_MAX, INT32_MIN);
	wl_surface_commit(surface);
	while (!configured && wl_display_dispatch(display) != -1) {
	}
	printf("configured %ux%u\n", layer_width, layer_height);
	if (configured) {
		show(surface, layer_width, layer_height);
	}
}

static void count_configure(void *data, struct zwlr_layer_surface_v1 *layer,
		uint32_t serial, uint32_t width, uint32_t height) {
	(*(int *)data)++;
}

static const struct zwlr_layer_surface_v1_listener count_listener = {
	.configure = count_configure,
	.closed = layer_closed,
};

/* An overlay that commits again and again and never acks: one configure
 * is the answer, not one queued in the compositor per commit. */
static void layer_no_ack(struct wl_display *display) {
	if (layer_shell == NULL) {
		fprintf(stderr, "bad-client: no layer shell\n");
		exit(1);
	}
	struct wl_surface *surface = wl_compositor_create_surface(compositor);
	int configures = 0;
	struct zwlr_layer_surface_v1 *layer = zwlr_layer_shell_v1_get_layer_surface(
		layer_shell, surface, NULL, ZWLR_LAYER_SHELL_V1_LAYER_OVERLAY,
		"bad-client");
	zwlr_layer_surface_v1_add_listener(layer, &count_listener, &configures);
	zwlr_layer_surface_v1_set_size(layer, 0, 60);
	zwlr_layer_surface_v1_set_anchor(layer, ZWLR_LAYER_SURFACE_V1_ANCHOR_TOP |
		ZWLR_LAYER_SURFACE_V1_ANCHOR_LEFT | ZWLR_LAYER_SURFACE_V1_ANCHOR_RIGHT);
	for (int i = 0; i < 10000; i++) {
		wl_surface_commit(surface);
		if (i % 500 == 0 && wl_display_roundtrip(display) < 0) {
			break;
		}
	}
	wl_display_roundtrip(display);
	printf("configures %d\n", configures);
}

/* A video subsurface outliving its window: it has no root surface. */
static void subsurface_orphan(struct wl_display *display) {
	if (subcompositor == NULL) {
		fprintf(stderr, "bad-client: no wl_subcompositor\n");
		exit(1);
	}
	struct wl_surface *surface = wl_compositor_create_surface(compositor);
	struct xdg_surface *xdg_surface =
		xdg_wm_base_get_xdg_surface(wm_base, surface);
	bool configured = false;
	xdg_surface_add_listener(xdg_surface, &xdg_surface_listener, &configured);
	struct xdg_toplevel *toplevel = xdg_surface_get_toplevel(xdg_surface);
	wl_surface_commit(surface);
	while (!configured && wl_display_dispatch(display) != -1) {
	}
	struct wl_surface *child = wl_compositor_create_surface(compositor);
	struct wl_subsurface *sub =
		wl_subcompositor_get_subsurface(subcompositor, child, surface);
	wl_subsurface_set_desync(sub);
	show(child, 64, 64);
	show(surface, 976, 596);
	wl_display_roundtrip(display);

	xdg_toplevel_destroy(toplevel);
	xdg_surface_destroy(xdg_surface);
	wl_surface_destroy(surface);
	wl_display_roundtrip(display);
	for (int i = 0; i < 3; i++) {
		show(child, 64, 64);
		wl_display_roundtrip(display);
	}
}

/* The orphan modes: a mapped toplevel or overlay loses its role object. */
static void orphan(struct wl_display *display, const char *mode) {
	bool layer_mode = strcmp(mode, "inhibit-orphan-layer") == 0;
	bool popup_mode = strcmp(mode, "popup-orphan") == 0;
	if ((!popup_mode && inhibit_manager == NULL) ||
			(layer_mode && layer_shell == NULL)) {
		fprintf(stderr, "bad-client: missing globals for %s\n", mode);
		exit(1);
	}
	struct wl_surface *surface = wl_compositor_create_surface(compositor);
	struct xdg_surface *xdg_surface = NULL;
	struct xdg_toplevel *toplevel = NULL;
	struct zwlr_layer_surface_v1 *layer = NULL;
	bool configured = false;
	if (layer_mode) {
		layer = get_overlay(surface, &configured);
		zwlr_layer_surface_v1_set_size(layer, 100, 100);
	} else {
		xdg_surface = xdg_wm_base_get_xdg_surface(wm_base, surface);
		xdg_surface_add_listener(xdg_surface, &xdg_surface_listener,
			&configured);
		toplevel = xdg_surface_get_toplevel(xdg_surface);
	}
	wl_surface_commit(surface);
	while (!configured && wl_display_dispatch(display) != -1) {
	}
	show(surface, layer_mode ? 100 : 976, layer_mode ? 100 : 596);
	if (!popup_mode) {
		zwp_idle_inhibit_manager_v1_create_inhibitor(inhibit_manager, surface);
	}
	wl_display_roundtrip(display);

	/* The role objects go; the wl_surface keeps its role. */
	if (layer_mode) {
		zwlr_layer_surface_v1_destroy(layer);
	} else {
		xdg_toplevel_destroy(toplevel);
		if (!popup_mode) {
			xdg_surface_destroy(xdg_surface);
		}
	}
	wl_display_roundtrip(display);
	if (popup_mode) {
		/* Parented to the xdg_surface whose toplevel is gone. */
		struct wl_surface *child = wl_compositor_create_surface(compositor);
		struct xdg_surface *child_xdg =
			xdg_wm_base_get_xdg_surface(wm_base, child);
		struct xdg_positioner *positioner =
			xdg_wm_base_create_positioner(wm_base);
		xdg_positioner_set_size(positioner, 10, 10);
		xdg_positioner_set_anchor_rect(positioner, 0, 0, 1, 1);
		xdg_surface_get_popup(child_xdg, xdg_surface, positioner);
		wl_surface_commit(child);
	} else {
		/* A second inhibitor on the orphan is looked at right away. */
		zwp_idle_inhibit_manager_v1_create_inhibitor(inhibit_manager, surface);
		wl_surface_commit(surface);
	}
}

/* The other modes: one broken request or buffer on a toplevel. */
static void misbehave(struct wl_display *display, const char *mode) {
	struct wl_surface *surface = wl_compositor_create_surface(compositor);
	struct xdg_surface *xdg_surface = xdg_wm_base_get_xdg_surface(wm_base, surface);
	bool configured = false;
	xdg_surface_add_listener(xdg_surface, &xdg_surface_listener, &configured);
	/* Wayland does not check strings; D-Bus takes only UTF-8, and
	 * sd-bus no noncharacters (here U+FFFE). */
	xdg_toplevel_set_title(xdg_surface_get_toplevel(xdg_surface),
		strcmp(mode, "bad-title") == 0 ? "\xff\xfe" :
		strcmp(mode, "nonchar-title") == 0 ? "Music \xef\xbf\xbe" :
		"bad-client");
	if (strcmp(mode, "role-twice") == 0) {
		/* A surface gets one role; asking again is a protocol error. */
		xdg_surface_get_toplevel(xdg_surface);
	}
	wl_surface_commit(surface);
	while (!configured && wl_display_dispatch(display) != -1) {
	}

	int w = 976, h = 596, stride = w * 4, fd = -1;
	off_t size = (off_t)stride * h;
	if (strcmp(mode, "huge") == 0) {
		/* 16384x16384: 1 GiB of (sparse) pixels. */
		w = h = 16384;
		stride = w * 4;
		size = (off_t)stride * h;
	} else if (strcmp(mode, "bad-stride") == 0) {
		stride = w; /* a quarter of what XRGB8888 needs */
	}
	struct wl_shm_pool *pool = make_pool(size, &fd);
	struct wl_buffer *buffer = wl_shm_pool_create_buffer(pool, 0, w, h,
		stride, WL_SHM_FORMAT_XRGB8888);
	if (strcmp(mode, "shrink") == 0) {
		/* The pool's memory goes away under the compositor's feet. */
		if (ftruncate(fd, 0) < 0) {
			perror("bad-client: ftruncate");
		}
	}
	wl_surface_attach(surface, buffer, 0, 0);
	wl_surface_damage(surface, 0, 0, w, h);
	wl_surface_commit(surface);

	if (strcmp(mode, "disconnect") == 0) {
		/* Gone mid-frame: no roundtrip, no cleanup. */
		wl_display_flush(display);
		_exit(0);
	}
	if (strcmp(mode, "bad-title") == 0 ||
			strcmp(mode, "nonchar-title") == 0) {
		/* Shown for a while, for the test to list the cards. */
		wl_display_roundtrip(display);
		sleep(3);
	}
}

int main(int argc, char *argv[]) {
	if (argc != 2) {
		fprintf(stderr, "usage: bad-client role-twice|bad-stride|shrink|"
			"huge|disconnect|popup-orphan|inhibit-orphan|"
			"inhibit-orphan-layer|layer-huge|layer-no-ack|bad-title|"
			"nonchar-title|subsurface-orphan\n");
		return 2;
	}
	const char *mode = argv[1];
	struct wl_display *display = wl_display_connect(NULL);
	if (display == NULL) {
		fprintf(stderr, "bad-client: cannot connect to the compositor\n");
		return 1;
	}
	struct wl_registry *registry = wl_display_get_registry(display);
	wl_registry_add_listener(registry, &registry_listener, NULL);
	wl_display_roundtrip(display);
	if (compositor == NULL || shm == NULL || wm_base == NULL) {
		fprintf(stderr, "bad-client: missing globals\n");
		return 1;
	}

	if (strcmp(mode, "subsurface-orphan") == 0) {
		subsurface_orphan(display);
	} else if (strstr(mode, "-orphan") != NULL) {
		orphan(display, mode);
	} else if (strcmp(mode, "layer-huge") == 0) {
		layer_huge(display);
	} else if (strcmp(mode, "layer-no-ack") == 0) {
		layer_no_ack(display);
	} else {
		misbehave(display, mode);
	}
	/* Let the compositor act on it; a protocol error ends the loop. */
	int ret = 0;
	for (int i = 0; i < 3 && ret != -1; i++) {
		ret = wl_display_roundtrip(display);
	}
	int err = wl_display_get_error(display);
	printf("bad-client %s: %s\n", mode, err ? "disconnected with a protocol error" :
		"still connected");
	wl_display_disconnect(display);
	return 0;
}
