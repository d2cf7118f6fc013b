// SPDX-License-Identifier: MIT
/*
 * present-probe --log-touch: prints every wl_touch event the window gets,
 * one line each, so tests can tell what reached the client:
 *   touch down ID X Y | touch motion ID X Y | touch up ID | touch cancel
 * X and Y are surface coordinates. Frames are not printed.
 */
#include <stdio.h>
#include <string.h>
#include <wayland-client.h>
#include "touch-log.h"

static struct wl_seat *seat;
static struct wl_touch *touch;

static void touch_down(void *data, struct wl_touch *t, uint32_t serial,
		uint32_t time, struct wl_surface *surface, int32_t id,
		wl_fixed_t x, wl_fixed_t y)
{
	printf("touch down %d %.0f %.0f\n", id, wl_fixed_to_double(x),
		wl_fixed_to_double(y));
	fflush(stdout);
}

static void touch_up(void *data, struct wl_touch *t, uint32_t serial,
		uint32_t time, int32_t id)
{
	printf("touch up %d\n", id);
	fflush(stdout);
}

static void touch_motion(void *data, struct wl_touch *t, uint32_t time,
		int32_t id, wl_fixed_t x, wl_fixed_t y)
{
	printf("touch motion %d %.0f %.0f\n", id, wl_fixed_to_double(x),
		wl_fixed_to_double(y));
	fflush(stdout);
}

static void touch_frame(void *data, struct wl_touch *t)
{
}

static void touch_cancel(void *data, struct wl_touch *t)
{
	printf("touch cancel\n");
	fflush(stdout);
}

static const struct wl_touch_listener touch_listener = {
	.down = touch_down,
	.up = touch_up,
	.motion = touch_motion,
	.frame = touch_frame,
	.cancel = touch_cancel,
};

static void seat_capabilities(void *data, struct wl_seat *s, uint32_t caps)
{
	if ((caps & WL_SEAT_CAPABILITY_TOUCH) && !touch) {
		touch = wl_seat_get_touch(s);
		wl_touch_add_listener(touch, &touch_listener, NULL);
	} else if (!(caps & WL_SEAT_CAPABILITY_TOUCH) && touch) {
		wl_touch_release(touch);
		touch = NULL;
	}
}

static void seat_name(void *data, struct wl_seat *s, const char *name)
{
}

static const struct wl_seat_listener seat_listener = {
	.capabilities = seat_capabilities,
	.name = seat_name,
};

static void registry_global(void *data, struct wl_registry *registry,
		uint32_t name, const char *interface, uint32_t version)
{
	if (!seat && strcmp(interface, wl_seat_interface.name) == 0) {
		seat = wl_registry_bind(registry, name, &wl_seat_interface,
			version < 5 ? version : 5);
		wl_seat_add_listener(seat, &seat_listener, NULL);
	}
}

static void registry_global_remove(void *data, struct wl_registry *registry,
		uint32_t name)
{
}

static const struct wl_registry_listener registry_listener = {
	.global = registry_global,
	.global_remove = registry_global_remove,
};

void touch_log_start(struct wl_display *display)
{
	/* A registry of our own: the shared client code needs no seat. */
	struct wl_registry *registry = wl_display_get_registry(display);
	wl_registry_add_listener(registry, &registry_listener, NULL);
}
