/* SPDX-License-Identifier: MIT */
/* State of protocols.c and layer-shell.c. */
#ifndef VERSO_PROTOCOLS_H
#define VERSO_PROTOCOLS_H

#include <wayland-server-core.h>
#include <wlr/types/wlr_layer_shell_v1.h>
#include <wlr/types/wlr_scene.h>

struct verso_server;

struct verso_protocols {
	struct verso_server *server;
	struct wlr_screencopy_manager_v1 *screencopy;
	struct wlr_output_layout *layout; /* for xdg-output: the rear output */
	struct wlr_xdg_activation_v1 *activation;
	struct wl_listener request_activate;

	struct wlr_layer_shell_v1 *layer_shell;
	struct wl_listener new_layer_surface;
	/* Indexed by zwlr_layer_shell_v1_layer: background and bottom sit
	 * below the cards, top and overlay above. */
	struct wlr_scene_tree *layer_trees[4];
	struct wlr_scene_tree *popup_tree; /* layer surfaces' popups */
	struct wl_list layers; /* verso_layer.link */
};

void layer_shell_finish(struct verso_server *server);

#endif
