// SPDX-License-Identifier: MIT
/*
 * Small protocol globals that need little more than creation:
 * wlr-screencopy (screenshots by clients such as grim) and xdg-activation
 * (a client asks for its card to be shown). Layer shell is layer-shell.c,
 * output power and idle-inhibit are power.c.
 */
#include <stdlib.h>
#include <wlr/types/wlr_output_layout.h>
#include <wlr/types/wlr_screencopy_v1.h>
#include <wlr/types/wlr_xdg_output_v1.h>
#include <wlr/types/wlr_xdg_activation_v1.h>
#include <wlr/util/log.h>
#include "protocols.h"
#include "server.h"

/*
 * screencopy in wlroots 0.15 copies from the buffer of the next output
 * commit and only schedules a frame event to get one. versod commits only
 * on damage (zero idle commits), so without help an idle output would keep
 * a screencopy client waiting forever. A frame asked for without
 * copy_with_damage therefore forces one commit. On the direct-scanout path
 * that commit carries the client's own buffer, which screencopy reads: the
 * capture shows what the plane shows, even for an idle scanned-out surface.
 */
bool protocols_want_frame(struct verso_server *server,
		struct wlr_output *output) {
	struct verso_protocols *protocols = server->protocols;
	if (protocols == NULL || protocols->screencopy == NULL) {
		return false;
	}
	struct wlr_screencopy_frame_v1 *frame;
	wl_list_for_each(frame, &protocols->screencopy->frames, link) {
		if (frame->output == output && !frame->with_damage &&
				(frame->shm_buffer != NULL || frame->dma_buffer != NULL)) {
			return true;
		}
	}
	return false;
}

/* Screenshot tools (grim) place outputs with xdg-output: the rear output
 * alone, at 0,0. */
void protocols_output_changed(struct verso_server *server) {
	struct verso_protocols *protocols = server->protocols;
	if (protocols == NULL || protocols->layout == NULL) {
		return;
	}
	struct verso_output *output;
	wl_list_for_each(output, &server->outputs, link) {
		if (output != server->rear) {
			wlr_output_layout_remove(protocols->layout, output->wlr_output);
		}
	}
	if (server->rear != NULL) {
		wlr_output_layout_add(protocols->layout, server->rear->wlr_output,
			0, 0);
	}
}

static struct verso_view *view_from_surface(struct verso_server *server,
		struct wlr_surface *surface) {
	if (surface == NULL || !wlr_surface_is_xdg_surface(surface)) {
		return NULL;
	}
	struct wlr_xdg_surface *xdg = wlr_xdg_surface_from_wlr_surface(surface);
	struct verso_view *view;
	wl_list_for_each(view, &server->views, link) {
		if (view->xdg_surface == xdg) {
			return view;
		}
	}
	return NULL;
}

/* The token is wlroots' to check; a valid request shows the card and, like
 * a notification, lights a blanked display. */
static void handle_request_activate(struct wl_listener *listener, void *data) {
	struct verso_protocols *protocols =
		wl_container_of(listener, protocols, request_activate);
	struct wlr_xdg_activation_v1_request_activate_event *event = data;
	struct verso_server *server = protocols->server;
	struct verso_view *view = view_from_surface(server, event->surface);
	if (view == NULL) {
		return;
	}
	wlr_log(WLR_INFO, "Activation of card %u", view->card_id);
	shell_show_card(server, view->card_id);
	server_wake(server, "notification");
}

void protocols_init(struct verso_server *server) {
	struct verso_protocols *protocols = calloc(1, sizeof(*protocols));
	if (protocols == NULL) {
		wlr_log(WLR_ERROR, "Out of memory: no extra protocols");
		return;
	}
	protocols->server = server;
	server->protocols = protocols;
	wl_list_init(&protocols->layers);

	protocols->screencopy = wlr_screencopy_manager_v1_create(server->display);
	protocols->layout = wlr_output_layout_create();
	if (protocols->layout != NULL) {
		wlr_xdg_output_manager_v1_create(server->display, protocols->layout);
	}
	protocols->activation = wlr_xdg_activation_v1_create(server->display);
	if (protocols->activation != NULL) {
		protocols->request_activate.notify = handle_request_activate;
		wl_signal_add(&protocols->activation->events.request_activate,
			&protocols->request_activate);
	} else {
		wl_list_init(&protocols->request_activate.link);
	}
	layer_shell_init(server);
}

void protocols_finish(struct verso_server *server) {
	struct verso_protocols *protocols = server->protocols;
	if (protocols == NULL) {
		return;
	}
	layer_shell_finish(server);
	wl_list_remove(&protocols->request_activate.link);
	/* The globals go with the display; the layout is ours. */
	if (protocols->layout != NULL) {
		wlr_output_layout_destroy(protocols->layout);
	}
	free(protocols);
	server->protocols = NULL;
}
