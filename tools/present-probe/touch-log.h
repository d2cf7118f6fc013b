/* SPDX-License-Identifier: MIT */
#ifndef PRESENT_PROBE_TOUCH_LOG_H
#define PRESENT_PROBE_TOUCH_LOG_H

#include <wayland-client.h>

/* Binds wl_seat and prints wl_touch events to stdout (--log-touch). */
void touch_log_start(struct wl_display *display);

#endif
