/* SPDX-License-Identifier: MIT */
#ifndef VERSO_SERVER_H
#define VERSO_SERVER_H

#include <stdbool.h>
#include <wayland-server-core.h>
#include <wlr/backend.h>
#include <wlr/render/allocator.h>
#include <wlr/render/wlr_renderer.h>
#include <wlr/types/wlr_output.h>
#include <wlr/types/wlr_scene.h>
#include <wlr/types/wlr_seat.h>
#include <wlr/types/wlr_xdg_shell.h>
#include "stats.h"

struct verso_ipc;
struct verso_screenshot;

struct verso_server {
	struct wl_display *display;
	struct wl_event_loop *loop;
	struct wlr_backend *backend;
	struct wlr_renderer *renderer;
	struct wlr_allocator *allocator;
	struct wlr_presentation *presentation;
	bool renderer_needs_finish; /* software GLES: no implicit fences */

	struct wlr_scene *scene;
	struct wlr_scene_tree *views_tree;

	struct wlr_xdg_shell *xdg_shell;
	struct wl_listener new_xdg_surface;
	struct wl_list views; /* verso_view.link, topmost first */

	struct wlr_seat *seat;
	struct wl_list keyboards; /* verso_keyboard.link */
	struct wl_list touches; /* verso_touch.link */
	struct wl_listener new_input;

	struct wl_list outputs; /* verso_output.link, every output seen */
	struct verso_output *rear; /* the one output we light, or NULL */
	struct wl_listener new_output;
	bool started; /* wlr_backend_start() returned */

	struct verso_stats stats;
	struct verso_ipc *ipc;

	/* options */
	const char *output_name; /* --output or VERSOD_OUTPUT */
	bool system_bus;
	bool running;
};

struct verso_output {
	struct wlr_output *wlr_output;
	struct verso_server *server;
	struct wl_list link;

	struct wlr_scene_output *scene_output; /* only for the rear output */
	bool after_present; /* the next frame event follows a page flip */
	bool frame_pending; /* a committed frame is waiting for its vblank */

	struct wl_listener frame;
	struct wl_listener present;
	struct wl_listener precommit;
	struct wl_listener commit;
	struct wl_listener mode;
	struct wl_listener destroy;
};

struct verso_view {
	struct verso_server *server;
	struct wl_list link; /* verso_server.views, only while mapped */
	struct wlr_xdg_surface *xdg_surface;
	struct wlr_scene_tree *tree;

	struct wl_listener map;
	struct wl_listener unmap;
	struct wl_listener destroy;
	struct wl_listener request_fullscreen;
	struct wl_listener request_maximize;
};

/* output.c */
void output_init(struct verso_server *server);
/* Chooses the rear output among those seen so far and lights it. */
void output_select_rear(struct verso_server *server);
/* Size the shell should configure toplevels to; 0x0 without an output. */
void output_get_size(struct verso_server *server, int *width, int *height);
/* "976x596@120.000", or "" without an output. */
void output_describe_mode(struct verso_server *server, char *buf, size_t len);
/* True for a software GLES renderer, which must finish frames itself. */
bool output_renderer_needs_finish(struct wlr_renderer *renderer);

/* shell.c */
void shell_init(struct verso_server *server);
/* Reconfigures every toplevel after the output size changed. */
void shell_configure_all(struct verso_server *server);
struct verso_view *shell_top_view(struct verso_server *server);

/* input.c */
void input_init(struct verso_server *server);
void input_focus_view(struct verso_server *server, struct verso_view *view);

/* ipc.c */
struct verso_ipc *ipc_create(struct verso_server *server, bool system_bus);
void ipc_destroy(struct verso_ipc *ipc);
/* Called from output.c when a page flip completed. */
void ipc_handle_present(struct verso_ipc *ipc);

#endif
