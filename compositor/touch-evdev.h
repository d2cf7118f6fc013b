/* SPDX-License-Identifier: MIT */
/*
 * Contact sizes of a libinput touchscreen, read from its evdev node next to
 * libinput (core/touch-slots.h matches them to libinput's touch ids).
 */
#ifndef VERSO_TOUCH_EVDEV_H
#define VERSO_TOUCH_EVDEV_H

#include <stdbool.h>
#include <stdint.h>
#include <wayland-server-core.h>
#include "core/touch-slots.h"

struct wlr_input_device;
struct wlr_session;
struct verso_touch_evdev;

/* A matched touch's size changed or it turned palm, with no libinput event
 * for it (libinput reports no size-only change). */
typedef void (*verso_touch_evdev_size_fn)(int32_t touch_id,
	const struct verso_mt_size *size, void *data);

/*
 * Opens device's evdev node read-only (not grabbed: libinput still gets
 * every event); without read access, polls the fd session opened it with.
 * NULL, with one log line, when the device is not a libinput type B
 * multitouch device reporting ABS_MT_TOUCH_MAJOR or neither works: its
 * palm rule is then off.
 */
struct verso_touch_evdev *touch_evdev_create(struct wlr_input_device *device,
	struct wlr_session *session, struct wl_event_loop *loop,
	verso_touch_evdev_size_fn changed, void *data);
void touch_evdev_destroy(struct verso_touch_evdev *evdev);

/* Device units of ABS_MT_TOUCH_MAJOR per mm, 0 if the device does not say. */
double touch_evdev_units_per_mm(const struct verso_touch_evdev *evdev);

/* libinput reported touch_id down at u, v (0..1): reads what the device
 * queued, matches the touch and gives its size. False if unknown. */
bool touch_evdev_down(struct verso_touch_evdev *evdev, int32_t touch_id,
	double u, double v, struct verso_mt_size *size);
/* The size of a touch that moved or was cancelled, read up to date. */
bool touch_evdev_size(struct verso_touch_evdev *evdev, int32_t touch_id,
	struct verso_mt_size *size);
/* libinput ended touch_id. */
void touch_evdev_up(struct verso_touch_evdev *evdev, int32_t touch_id);

#endif
