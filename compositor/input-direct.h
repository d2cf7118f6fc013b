/* SPDX-License-Identifier: MIT */
/*
 * Touch from libinput on a udev seat, opened directly rather than through
 * a seat manager: on a DRM lease the seat manager's session is the main
 * shell's.
 */
#ifndef VERSO_INPUT_DIRECT_H
#define VERSO_INPUT_DIRECT_H

#include <stdbool.h>
#include <wayland-server-core.h>

struct libinput_device;
struct wlr_input_device;
struct verso_input_direct;

/* A touch device came: true if it is taken, false to close it again. */
typedef bool (*verso_input_direct_add_fn)(struct wlr_input_device *device,
	void *data);

/*
 * libinput on the devices whose ID_SEAT is seat (seat0 when unset). Only
 * touch devices are kept open. NULL, with the reason logged, on failure.
 */
struct verso_input_direct *input_direct_create(struct wl_event_loop *loop,
	const char *seat, verso_input_direct_add_fn add, void *data);
/* Destroys its devices (their destroy signals fire) and closes them. */
void input_direct_destroy(struct verso_input_direct *direct);

/* The libinput device behind device: wlroots' libinput backend's or one of
 * input_direct's. NULL for other devices. */
struct libinput_device *input_libinput_handle(struct wlr_input_device *device);

#endif
