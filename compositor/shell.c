// SPDX-License-Identifier: MIT
/*
 * xdg-shell: every toplevel is fullscreen on the rear output. The newest
 * mapped one is shown and focused; the others stay in the scene but
 * disabled, so they are neither drawn nor sent frame callbacks. When the
 * top one goes, the previous one shows again.
 */
#include <stdlib.h>
#include <wlr/util/log.h>
#include "server.h"

struct verso_view *shell_top_view(struct verso_server *server) {
	if (wl_list_empty(&server->views)) {
		return NULL;
	}
	struct verso_view *view = wl_container_of(server->views.next, view, link);
	return view;
}

static void view_configure(struct verso_view *view) {
	int width, height;
	output_get_size(view->server, &width, &height);
	wlr_xdg_toplevel_set_fullscreen(view->xdg_surface, true);
	/* 0x0 before there is an output lets the client pick its size. */
	wlr_xdg_toplevel_set_size(view->xdg_surface, width, height);
}

void shell_configure_all(struct verso_server *server) {
	struct verso_view *view;
	wl_list_for_each(view, &server->views, link) {
		view_configure(view);
	}
}

/* Shows the topmost view only, and gives it the keyboard. */
static void shell_update(struct verso_server *server) {
	struct verso_view *top = shell_top_view(server);
	struct verso_view *view;
	wl_list_for_each(view, &server->views, link) {
		wlr_scene_node_set_enabled(&view->tree->node, view == top);
		wlr_xdg_toplevel_set_activated(view->xdg_surface, view == top);
	}
	if (top != NULL) {
		wlr_scene_node_raise_to_top(&top->tree->node);
	}
	input_focus_view(server, top);
}

static void view_handle_map(struct wl_listener *listener, void *data) {
	struct verso_view *view = wl_container_of(listener, view, map);
	struct verso_server *server = view->server;

	/* Align the window geometry, not the shadow, with the output. */
	struct wlr_box geo;
	wlr_xdg_surface_get_geometry(view->xdg_surface, &geo);
	wlr_scene_node_set_position(&view->tree->node, -geo.x, -geo.y);

	wl_list_insert(&server->views, &view->link);
	view_configure(view);
	shell_update(server);
}

static void view_handle_unmap(struct wl_listener *listener, void *data) {
	struct verso_view *view = wl_container_of(listener, view, unmap);

	wlr_scene_node_set_enabled(&view->tree->node, false);
	wl_list_remove(&view->link);
	wl_list_init(&view->link);
	shell_update(view->server);
}

static void view_handle_destroy(struct wl_listener *listener, void *data) {
	struct verso_view *view = wl_container_of(listener, view, destroy);

	wl_list_remove(&view->map.link);
	wl_list_remove(&view->unmap.link);
	wl_list_remove(&view->destroy.link);
	wl_list_remove(&view->request_fullscreen.link);
	wl_list_remove(&view->request_maximize.link);
	/* Unmap normally comes first; a client that vanishes mid-frame may
	 * still be listed. */
	bool listed = !wl_list_empty(&view->link);
	wl_list_remove(&view->link);
	wlr_scene_node_destroy(&view->tree->node);
	if (listed) {
		shell_update(view->server);
	}
	free(view);
}

/* Fullscreen is not negotiable, but the protocol wants an answer to
 * every fullscreen and maximize request: a configure with the same state. */
static void view_answer_request(struct verso_view *view) {
	wlr_xdg_surface_schedule_configure(view->xdg_surface);
}

static void view_handle_request_fullscreen(struct wl_listener *listener,
		void *data) {
	struct verso_view *view =
		wl_container_of(listener, view, request_fullscreen);
	view_answer_request(view);
}

static void view_handle_request_maximize(struct wl_listener *listener,
		void *data) {
	struct verso_view *view =
		wl_container_of(listener, view, request_maximize);
	view_answer_request(view);
}

static void new_popup(struct verso_server *server,
		struct wlr_xdg_surface *xdg_surface) {
	struct wlr_surface *parent_surface = xdg_surface->popup->parent;
	if (parent_surface == NULL || !wlr_surface_is_xdg_surface(parent_surface)) {
		/* Not ours to place (no parent yet, or a layer surface). */
		return;
	}
	struct wlr_xdg_surface *parent =
		wlr_xdg_surface_from_wlr_surface(parent_surface);
	struct wlr_scene_node *parent_node = parent != NULL ? parent->data : NULL;
	if (parent_node == NULL) {
		return;
	}
	struct wlr_scene_node *node =
		wlr_scene_xdg_surface_create(parent_node, xdg_surface);
	if (node == NULL) {
		return;
	}
	xdg_surface->data = node;

	/* Toplevels fill the output from its origin, so the output box in
	 * toplevel coordinates is simply the output size. */
	struct wlr_box box = { 0 };
	output_get_size(server, &box.width, &box.height);
	if (box.width > 0 && box.height > 0) {
		wlr_xdg_popup_unconstrain_from_box(xdg_surface->popup, &box);
	}
}

static void handle_new_xdg_surface(struct wl_listener *listener, void *data) {
	struct verso_server *server =
		wl_container_of(listener, server, new_xdg_surface);
	struct wlr_xdg_surface *xdg_surface = data;

	if (xdg_surface->role == WLR_XDG_SURFACE_ROLE_POPUP) {
		new_popup(server, xdg_surface);
		return;
	}
	if (xdg_surface->role != WLR_XDG_SURFACE_ROLE_TOPLEVEL) {
		return;
	}

	struct verso_view *view = calloc(1, sizeof(*view));
	if (view == NULL) {
		wl_resource_post_no_memory(xdg_surface->resource);
		return;
	}
	view->server = server;
	view->xdg_surface = xdg_surface;
	wl_list_init(&view->link);

	view->tree = wlr_scene_tree_create(&server->views_tree->node);
	struct wlr_scene_node *node = view->tree != NULL ?
		wlr_scene_xdg_surface_create(&view->tree->node, xdg_surface) : NULL;
	if (node == NULL) {
		if (view->tree != NULL) {
			wlr_scene_node_destroy(&view->tree->node);
		}
		free(view);
		wl_resource_post_no_memory(xdg_surface->resource);
		return;
	}
	wlr_scene_node_set_enabled(&view->tree->node, false);
	xdg_surface->data = node;

	view->map.notify = view_handle_map;
	wl_signal_add(&xdg_surface->events.map, &view->map);
	view->unmap.notify = view_handle_unmap;
	wl_signal_add(&xdg_surface->events.unmap, &view->unmap);
	view->destroy.notify = view_handle_destroy;
	wl_signal_add(&xdg_surface->events.destroy, &view->destroy);
	view->request_fullscreen.notify = view_handle_request_fullscreen;
	wl_signal_add(&xdg_surface->toplevel->events.request_fullscreen,
		&view->request_fullscreen);
	view->request_maximize.notify = view_handle_request_maximize;
	wl_signal_add(&xdg_surface->toplevel->events.request_maximize,
		&view->request_maximize);

	/* Ask for fullscreen from the first configure on. */
	view_configure(view);
}

void shell_init(struct verso_server *server) {
	wl_list_init(&server->views);
	server->views_tree = wlr_scene_tree_create(&server->scene->node);
	server->xdg_shell = wlr_xdg_shell_create(server->display);
	server->new_xdg_surface.notify = handle_new_xdg_surface;
	wl_signal_add(&server->xdg_shell->events.new_surface,
		&server->new_xdg_surface);
}
