// SPDX-License-Identifier: MIT
/*
 * Input basics: keyboards go to the shown view, touch points are mapped
 * onto the rear output and go to the surface under them.
 */
#include <stdlib.h>
#include <xkbcommon/xkbcommon.h>
#include <wlr/types/wlr_input_device.h>
#include <wlr/types/wlr_keyboard.h>
#include <wlr/types/wlr_touch.h>
#include <wlr/util/log.h>
#include "server.h"

struct verso_keyboard {
	struct verso_server *server;
	struct wlr_input_device *device;
	struct wl_list link;
	struct wl_listener modifiers;
	struct wl_listener key;
	struct wl_listener destroy;
};

struct verso_touch {
	struct verso_server *server;
	struct wlr_input_device *device;
	struct wl_list link;
	struct wl_listener down;
	struct wl_listener up;
	struct wl_listener motion;
	struct wl_listener cancel;
	struct wl_listener frame;
	struct wl_listener destroy;
};

static void update_capabilities(struct verso_server *server) {
	uint32_t caps = 0;
	if (!wl_list_empty(&server->keyboards)) {
		caps |= WL_SEAT_CAPABILITY_KEYBOARD;
	}
	if (!wl_list_empty(&server->touches)) {
		caps |= WL_SEAT_CAPABILITY_TOUCH;
	}
	wlr_seat_set_capabilities(server->seat, caps);
}

void input_focus_view(struct verso_server *server, struct verso_view *view) {
	struct wlr_seat *seat = server->seat;
	if (view == NULL) {
		wlr_seat_keyboard_notify_clear_focus(seat);
		return;
	}
	struct wlr_surface *surface = view->xdg_surface->surface;
	if (seat->keyboard_state.focused_surface == surface) {
		return;
	}
	struct wlr_keyboard *keyboard = wlr_seat_get_keyboard(seat);
	if (keyboard != NULL) {
		wlr_seat_keyboard_notify_enter(seat, surface, keyboard->keycodes,
			keyboard->num_keycodes, &keyboard->modifiers);
	} else {
		wlr_seat_keyboard_notify_enter(seat, surface, NULL, 0, NULL);
	}
}

static void keyboard_handle_modifiers(struct wl_listener *listener, void *data) {
	struct verso_keyboard *keyboard =
		wl_container_of(listener, keyboard, modifiers);
	wlr_seat_set_keyboard(keyboard->server->seat, keyboard->device);
	wlr_seat_keyboard_notify_modifiers(keyboard->server->seat,
		&keyboard->device->keyboard->modifiers);
}

static void keyboard_handle_key(struct wl_listener *listener, void *data) {
	struct verso_keyboard *keyboard = wl_container_of(listener, keyboard, key);
	struct wlr_event_keyboard_key *event = data;
	wlr_seat_set_keyboard(keyboard->server->seat, keyboard->device);
	wlr_seat_keyboard_notify_key(keyboard->server->seat, event->time_msec,
		event->keycode, event->state);
}

static void keyboard_handle_destroy(struct wl_listener *listener, void *data) {
	struct verso_keyboard *keyboard =
		wl_container_of(listener, keyboard, destroy);
	struct verso_server *server = keyboard->server;
	wl_list_remove(&keyboard->modifiers.link);
	wl_list_remove(&keyboard->key.link);
	wl_list_remove(&keyboard->destroy.link);
	wl_list_remove(&keyboard->link);
	free(keyboard);
	update_capabilities(server);
}

static void new_keyboard(struct verso_server *server,
		struct wlr_input_device *device) {
	struct xkb_context *context = xkb_context_new(XKB_CONTEXT_NO_FLAGS);
	struct xkb_keymap *keymap = context != NULL ? xkb_keymap_new_from_names(
		context, NULL, XKB_KEYMAP_COMPILE_NO_FLAGS) : NULL;
	if (keymap == NULL) {
		wlr_log(WLR_ERROR, "No keymap for %s", device->name);
		xkb_context_unref(context);
		return;
	}
	struct verso_keyboard *keyboard = calloc(1, sizeof(*keyboard));
	if (keyboard == NULL) {
		xkb_keymap_unref(keymap);
		xkb_context_unref(context);
		return;
	}
	wlr_keyboard_set_keymap(device->keyboard, keymap);
	xkb_keymap_unref(keymap);
	xkb_context_unref(context);
	wlr_keyboard_set_repeat_info(device->keyboard, 25, 600);

	keyboard->server = server;
	keyboard->device = device;
	keyboard->modifiers.notify = keyboard_handle_modifiers;
	wl_signal_add(&device->keyboard->events.modifiers, &keyboard->modifiers);
	keyboard->key.notify = keyboard_handle_key;
	wl_signal_add(&device->keyboard->events.key, &keyboard->key);
	keyboard->destroy.notify = keyboard_handle_destroy;
	wl_signal_add(&device->events.destroy, &keyboard->destroy);
	wl_list_insert(&server->keyboards, &keyboard->link);

	wlr_seat_set_keyboard(server->seat, device);
}

/* Surface-local coordinates of a touch point given in 0..1 of the output. */
static struct wlr_surface *touch_target(struct verso_server *server,
		double x, double y, double *sx, double *sy) {
	int width, height;
	output_get_size(server, &width, &height);
	if (width == 0 || height == 0) {
		return NULL;
	}
	struct wlr_scene_node *node = wlr_scene_node_at(&server->scene->node,
		x * width, y * height, sx, sy);
	if (node == NULL || node->type != WLR_SCENE_NODE_SURFACE) {
		return NULL;
	}
	return wlr_scene_surface_from_node(node)->surface;
}

static void touch_handle_down(struct wl_listener *listener, void *data) {
	struct verso_touch *touch = wl_container_of(listener, touch, down);
	struct wlr_event_touch_down *event = data;
	double sx, sy;
	struct wlr_surface *surface =
		touch_target(touch->server, event->x, event->y, &sx, &sy);
	if (surface != NULL) {
		wlr_seat_touch_notify_down(touch->server->seat, surface,
			event->time_msec, event->touch_id, sx, sy);
	}
}

static void touch_handle_up(struct wl_listener *listener, void *data) {
	struct verso_touch *touch = wl_container_of(listener, touch, up);
	struct wlr_event_touch_up *event = data;
	/* Ignores points that never went down on a surface. */
	if (wlr_seat_touch_get_point(touch->server->seat, event->touch_id)) {
		wlr_seat_touch_notify_up(touch->server->seat, event->time_msec,
			event->touch_id);
	}
}

struct surface_lookup {
	struct wlr_surface *surface;
	int x, y;
	bool found;
};

static void find_surface_iter(struct wlr_surface *surface, int sx, int sy,
		void *data) {
	struct surface_lookup *lookup = data;
	if (!lookup->found && surface == lookup->surface) {
		lookup->x = sx;
		lookup->y = sy;
		lookup->found = true;
	}
}

static void touch_handle_motion(struct wl_listener *listener, void *data) {
	struct verso_touch *touch = wl_container_of(listener, touch, motion);
	struct wlr_event_touch_motion *event = data;
	struct verso_server *server = touch->server;
	struct wlr_touch_point *point =
		wlr_seat_touch_get_point(server->seat, event->touch_id);
	if (point == NULL || point->surface == NULL) {
		return;
	}
	/* A point stays with the surface it went down on, even past its
	 * edge, so the motion is relative to where that surface sits. */
	struct surface_lookup lookup = { .surface = point->surface };
	wlr_scene_node_for_each_surface(&server->scene->node,
		find_surface_iter, &lookup);
	if (!lookup.found) {
		return;
	}
	int width, height;
	output_get_size(server, &width, &height);
	wlr_seat_touch_notify_motion(server->seat, event->time_msec,
		event->touch_id, event->x * width - lookup.x,
		event->y * height - lookup.y);
}

static void touch_handle_cancel(struct wl_listener *listener, void *data) {
	struct verso_touch *touch = wl_container_of(listener, touch, cancel);
	struct wlr_event_touch_cancel *event = data;
	struct wlr_touch_point *point =
		wlr_seat_touch_get_point(touch->server->seat, event->touch_id);
	if (point != NULL && point->surface != NULL) {
		wlr_seat_touch_notify_cancel(touch->server->seat, point->surface);
	}
}

static void touch_handle_frame(struct wl_listener *listener, void *data) {
	struct verso_touch *touch = wl_container_of(listener, touch, frame);
	wlr_seat_touch_notify_frame(touch->server->seat);
}

static void touch_handle_destroy(struct wl_listener *listener, void *data) {
	struct verso_touch *touch = wl_container_of(listener, touch, destroy);
	struct verso_server *server = touch->server;
	wl_list_remove(&touch->down.link);
	wl_list_remove(&touch->up.link);
	wl_list_remove(&touch->motion.link);
	wl_list_remove(&touch->cancel.link);
	wl_list_remove(&touch->frame.link);
	wl_list_remove(&touch->destroy.link);
	wl_list_remove(&touch->link);
	free(touch);
	update_capabilities(server);
}

static void new_touch(struct verso_server *server,
		struct wlr_input_device *device) {
	struct verso_touch *touch = calloc(1, sizeof(*touch));
	if (touch == NULL) {
		return;
	}
	touch->server = server;
	touch->device = device;
	touch->down.notify = touch_handle_down;
	wl_signal_add(&device->touch->events.down, &touch->down);
	touch->up.notify = touch_handle_up;
	wl_signal_add(&device->touch->events.up, &touch->up);
	touch->motion.notify = touch_handle_motion;
	wl_signal_add(&device->touch->events.motion, &touch->motion);
	touch->cancel.notify = touch_handle_cancel;
	wl_signal_add(&device->touch->events.cancel, &touch->cancel);
	touch->frame.notify = touch_handle_frame;
	wl_signal_add(&device->touch->events.frame, &touch->frame);
	touch->destroy.notify = touch_handle_destroy;
	wl_signal_add(&device->events.destroy, &touch->destroy);
	wl_list_insert(&server->touches, &touch->link);
}

static void handle_new_input(struct wl_listener *listener, void *data) {
	struct verso_server *server = wl_container_of(listener, server, new_input);
	struct wlr_input_device *device = data;

	switch (device->type) {
	case WLR_INPUT_DEVICE_KEYBOARD:
		new_keyboard(server, device);
		break;
	case WLR_INPUT_DEVICE_TOUCH:
		new_touch(server, device);
		break;
	default:
		wlr_log(WLR_DEBUG, "Ignoring input device %s", device->name);
		return;
	}
	update_capabilities(server);
}

void input_init(struct verso_server *server) {
	wl_list_init(&server->keyboards);
	wl_list_init(&server->touches);
	server->seat = wlr_seat_create(server->display, "seat0");
	server->new_input.notify = handle_new_input;
	wl_signal_add(&server->backend->events.new_input, &server->new_input);
}
