// SPDX-License-Identifier: MIT
/*
 * wlr-layer-shell: overlays on the rear output. Notification banners go on
 * the overlay layer and light a blanked display when they map; an
 * "ongoing activity" strip (music, a timer) goes on the top layer. Both
 * draw above the cards; background and bottom draw below them.
 *
 * Cards are fullscreen, so exclusive zones are not honoured: an overlay
 * covers part of a card rather than shrinking it. Popups (a strip's menu)
 * draw above everything, a wallpaper's too, kept on the output: each layer
 * surface has a popup tree at its position in one tree on top of the
 * scene. Any visible layer surface
 * makes the scene composite (no direct scanout), which is the point of an
 * overlay.
 */
#include <stdint.h>
#include <stdlib.h>
#include <wlr/types/wlr_layer_shell_v1.h>
#include <wlr/types/wlr_xdg_shell.h>
#include <wlr/util/log.h>
#include "protocols.h"
#include "server.h"

struct verso_layer {
	struct verso_protocols *protocols;
	struct wlr_layer_surface_v1 *surface;
	struct wlr_scene_node *node;
	struct wlr_scene_tree *popups; /* at node's position, above all */
	struct wl_list link; /* verso_protocols.layers */
	enum zwlr_layer_shell_v1_layer layer;
	int sent_w, sent_h; /* the last configure sent */

	struct wl_listener map;
	struct wl_listener unmap;
	struct wl_listener destroy;
	struct wl_listener commit;
	struct wl_listener new_popup;
};

static int clamp_int(int64_t v, int lo, int hi) {
	return v < lo ? lo : v > hi ? hi : (int)v;
}

/* Places one surface on an output of width x height; sends a configure
 * when the size it gets differs from what it has. */
static void arrange_layer(struct verso_layer *layer, int width, int height) {
	struct wlr_layer_surface_v1_state *state = &layer->surface->current;
	uint32_t anchor = state->anchor;
	const uint32_t both_h = ZWLR_LAYER_SURFACE_V1_ANCHOR_LEFT |
		ZWLR_LAYER_SURFACE_V1_ANCHOR_RIGHT;
	const uint32_t both_v = ZWLR_LAYER_SURFACE_V1_ANCHOR_TOP |
		ZWLR_LAYER_SURFACE_V1_ANCHOR_BOTTOM;

	/* Clients send any 32-bit size and margin: clamped to the output,
	 * the sums below stay far from overflowing. Margins may be negative. */
	int left = clamp_int((int32_t)state->margin.left, -width, width);
	int right = clamp_int((int32_t)state->margin.right, -width, width);
	int top = clamp_int((int32_t)state->margin.top, -height, height);
	int bottom = clamp_int((int32_t)state->margin.bottom, -height, height);
	int w = clamp_int(state->desired_width, 0, width);
	int h = clamp_int(state->desired_height, 0, height);
	int x, y;
	/* A 0 size along an axis means "stretch between the anchors". */
	if (w == 0 || (anchor & both_h) == both_h) {
		w = clamp_int(width - left - right, 1, width);
	}
	if (h == 0 || (anchor & both_v) == both_v) {
		h = clamp_int(height - top - bottom, 1, height);
	}
	if ((anchor & both_h) == ZWLR_LAYER_SURFACE_V1_ANCHOR_LEFT) {
		x = left;
	} else if ((anchor & both_h) == ZWLR_LAYER_SURFACE_V1_ANCHOR_RIGHT) {
		x = width - w - right;
	} else {
		x = (width - w) / 2;
	}
	if ((anchor & both_v) == ZWLR_LAYER_SURFACE_V1_ANCHOR_TOP) {
		y = top;
	} else if ((anchor & both_v) == ZWLR_LAYER_SURFACE_V1_ANCHOR_BOTTOM) {
		y = height - h - bottom;
	} else {
		y = (height - h) / 2;
	}
	wlr_scene_node_set_position(layer->node, x, y);
	wlr_scene_node_set_position(&layer->popups->node, x, y);
	/*
	 * Against the last configure sent, not the last acked: wlroots 0.15
	 * queues every configure until the client acks, so a client that
	 * commits without acking must not grow the queue. One that is
	 * neither configured nor waiting (a fresh or unmapped surface) gets
	 * one again.
	 */
	struct wlr_layer_surface_v1 *surface = layer->surface;
	bool waiting = surface->configured ||
		!wl_list_empty(&surface->configure_list);
	if (!waiting || w != layer->sent_w || h != layer->sent_h) {
		wlr_layer_surface_v1_configure(surface, w, h);
		layer->sent_w = w;
		layer->sent_h = h;
	}
}

void layer_shell_arrange(struct verso_server *server) {
	struct verso_protocols *protocols = server->protocols;
	if (protocols == NULL) {
		return;
	}
	int width, height;
	output_get_size(server, &width, &height);
	if (width == 0 || height == 0) {
		return;
	}
	struct verso_layer *layer;
	wl_list_for_each(layer, &protocols->layers, link) {
		arrange_layer(layer, width, height);
	}
}

/* Follows set_layer: the scene tree of the layer the client is on now. */
static void sync_layer(struct verso_layer *layer) {
	if (layer->surface->current.layer != layer->layer) {
		layer->layer = layer->surface->current.layer;
		wlr_scene_node_reparent(layer->node,
			&layer->protocols->layer_trees[layer->layer]->node);
	}
}

static void layer_handle_commit(struct wl_listener *listener, void *data) {
	struct verso_layer *layer = wl_container_of(listener, layer, commit);
	struct wlr_layer_surface_v1 *surface = layer->surface;
	if (surface->current.committed == 0 && surface->configured) {
		return;
	}
	sync_layer(layer);
	int width, height;
	output_get_size(layer->protocols->server, &width, &height);
	if (width > 0 && height > 0) {
		arrange_layer(layer, width, height);
	}
}

static void layer_handle_map(struct wl_listener *listener, void *data) {
	struct verso_layer *layer = wl_container_of(listener, layer, map);
	/* wlroots 0.15 maps before it emits the commit that may also have
	 * moved the surface to another layer. */
	sync_layer(layer);
	wlr_scene_node_set_enabled(layer->node, true);
	wlr_scene_node_set_enabled(&layer->popups->node, true);
	wlr_log(WLR_DEBUG, "Layer surface '%s' mapped on layer %d",
		layer->surface->namespace, layer->layer);
	/* A new banner is a notification: it lights a blanked display. */
	if (layer->layer == ZWLR_LAYER_SHELL_V1_LAYER_OVERLAY) {
		server_wake(layer->protocols->server, "notification");
	}
}

static void layer_handle_unmap(struct wl_listener *listener, void *data) {
	struct verso_layer *layer = wl_container_of(listener, layer, unmap);
	wlr_scene_node_set_enabled(layer->node, false);
	wlr_scene_node_set_enabled(&layer->popups->node, false);
}

static void layer_handle_new_popup(struct wl_listener *listener, void *data) {
	struct verso_layer *layer = wl_container_of(listener, layer, new_popup);
	struct wlr_xdg_popup *popup = data;
	/* The output in the layer surface's coordinates. */
	struct wlr_box box = {
		.x = -layer->node->state.x,
		.y = -layer->node->state.y,
	};
	output_get_size(layer->protocols->server, &box.width, &box.height);
	shell_popup_attach(popup->base, &layer->popups->node, &box);
}

static void layer_handle_destroy(struct wl_listener *listener, void *data) {
	struct verso_layer *layer = wl_container_of(listener, layer, destroy);
	wl_list_remove(&layer->new_popup.link);
	wl_list_remove(&layer->map.link);
	wl_list_remove(&layer->unmap.link);
	wl_list_remove(&layer->destroy.link);
	wl_list_remove(&layer->commit.link);
	wl_list_remove(&layer->link);
	wlr_scene_node_destroy(&layer->popups->node);
	wlr_scene_node_destroy(layer->node);
	free(layer);
}

static void handle_new_layer_surface(struct wl_listener *listener, void *data) {
	struct verso_protocols *protocols =
		wl_container_of(listener, protocols, new_layer_surface);
	struct verso_server *server = protocols->server;
	struct wlr_layer_surface_v1 *surface = data;

	/* Only the rear output shows anything. */
	if (server->rear == NULL || (surface->output != NULL &&
			surface->output != server->rear->wlr_output)) {
		wlr_layer_surface_v1_destroy(surface);
		return;
	}
	surface->output = server->rear->wlr_output;

	struct verso_layer *layer = calloc(1, sizeof(*layer));
	if (layer == NULL) {
		wlr_layer_surface_v1_destroy(surface);
		return;
	}
	layer->protocols = protocols;
	layer->surface = surface;
	layer->layer = surface->pending.layer;
	struct wlr_scene_node *node = wlr_scene_subsurface_tree_create(
		&protocols->layer_trees[layer->layer]->node, surface->surface);
	layer->popups = node != NULL ?
		wlr_scene_tree_create(&protocols->popup_tree->node) : NULL;
	if (layer->popups == NULL) {
		if (node != NULL) {
			wlr_scene_node_destroy(node);
		}
		free(layer);
		wlr_layer_surface_v1_destroy(surface);
		return;
	}
	layer->node = node;
	wlr_scene_node_set_enabled(node, false);
	wlr_scene_node_set_enabled(&layer->popups->node, false);
	surface->data = layer;

	layer->map.notify = layer_handle_map;
	wl_signal_add(&surface->events.map, &layer->map);
	layer->unmap.notify = layer_handle_unmap;
	wl_signal_add(&surface->events.unmap, &layer->unmap);
	layer->destroy.notify = layer_handle_destroy;
	wl_signal_add(&surface->events.destroy, &layer->destroy);
	layer->commit.notify = layer_handle_commit;
	wl_signal_add(&surface->surface->events.commit, &layer->commit);
	layer->new_popup.notify = layer_handle_new_popup;
	wl_signal_add(&surface->events.new_popup, &layer->new_popup);
	wl_list_insert(&protocols->layers, &layer->link);
}

/* Swipe down (touch.c): closes the topmost overlay, else the topmost
 * top-layer strip. */
bool shell_dismiss_overlay(struct verso_server *server) {
	struct verso_protocols *protocols = server->protocols;
	if (protocols == NULL) {
		return false;
	}
	for (int l = ZWLR_LAYER_SHELL_V1_LAYER_OVERLAY;
			l >= ZWLR_LAYER_SHELL_V1_LAYER_TOP; l--) {
		/* Newest first: the list is in creation order, newest at head. */
		struct verso_layer *layer;
		wl_list_for_each(layer, &protocols->layers, link) {
			if ((int)layer->layer == l && layer->surface->mapped) {
				wlr_log(WLR_INFO, "Dismissing '%s'",
					layer->surface->namespace);
				wlr_layer_surface_v1_destroy(layer->surface);
				return true;
			}
		}
	}
	return false;
}

void layer_shell_init(struct verso_server *server) {
	struct verso_protocols *protocols = server->protocols;
	for (int i = 0; i < 4; i++) {
		protocols->layer_trees[i] = wlr_scene_tree_create(&server->scene->node);
	}
	/* Order: background, bottom, cards, top, overlay. */
	wlr_scene_node_place_below(&protocols->layer_trees[1]->node,
		&server->views_tree->node);
	wlr_scene_node_place_below(&protocols->layer_trees[0]->node,
		&protocols->layer_trees[1]->node);
	wlr_scene_node_place_above(&protocols->layer_trees[2]->node,
		&server->views_tree->node);
	wlr_scene_node_place_above(&protocols->layer_trees[3]->node,
		&protocols->layer_trees[2]->node);
	/* Created last: the top of the scene. */
	protocols->popup_tree = wlr_scene_tree_create(&server->scene->node);

	protocols->layer_shell = wlr_layer_shell_v1_create(server->display);
	protocols->new_layer_surface.notify = handle_new_layer_surface;
	wl_signal_add(&protocols->layer_shell->events.new_surface,
		&protocols->new_layer_surface);
}

void layer_shell_finish(struct verso_server *server) {
	wl_list_remove(&server->protocols->new_layer_surface.link);
}
