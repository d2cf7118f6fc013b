// SPDX-License-Identifier: MIT
/*
 * Input basics: keyboards go to the shown view. Touch is in touch.c.
 */
#include <stdlib.h>
#include <xkbcommon/xkbcommon.h>
#include <wlr/types/wlr_input_device.h>
#include <wlr/types/wlr_keyboard.h>
#include <wlr/util/log.h>
#include "input-direct.h"
#include "server.h"

struct verso_keyboard {
	struct verso_server *server;
	struct wlr_input_device *device;
	struct wl_list link;
	struct wl_listener modifiers;
	struct wl_listener key;
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

/* False if versod does not use the device. */
static bool add_device(struct verso_server *server,
		struct wlr_input_device *device) {
	switch (device->type) {
	case WLR_INPUT_DEVICE_KEYBOARD:
		new_keyboard(server, device);
		break;
	case WLR_INPUT_DEVICE_TOUCH:
		/* touch.c: only the rear touchscreen, through the filter. */
		if (!touch_add_device(server, device)) {
			return false;
		}
		break;
	default:
		wlr_log(WLR_DEBUG, "Ignoring input device %s", device->name);
		return false;
	}
	update_capabilities(server);
	return true;
}

static void handle_new_input(struct wl_listener *listener, void *data) {
	struct verso_server *server = wl_container_of(listener, server, new_input);
	add_device(server, data);
}

static bool handle_direct_input(struct wlr_input_device *device, void *data) {
	return add_device(data, device);
}

void input_start_direct(struct verso_server *server, const char *seat) {
	server->input_direct = input_direct_create(server->loop, seat,
		handle_direct_input, server);
}

void input_finish(struct verso_server *server) {
	input_direct_destroy(server->input_direct);
	server->input_direct = NULL;
}

void input_init(struct verso_server *server) {
	wl_list_init(&server->keyboards);
	wl_list_init(&server->touches);
	server->seat = wlr_seat_create(server->display, "seat0");
	server->new_input.notify = handle_new_input;
	wl_signal_add(&server->backend->events.new_input, &server->new_input);
}
