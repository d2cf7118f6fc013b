// SPDX-License-Identifier: MIT
/*
 * libinput without a seat manager, for touch on a DRM lease.
 *
 * On a lease the seat manager's session is the main shell's, and versod
 * has only libseat's noop session, on which wlroots 0.15's libinput
 * backend cannot work: libseat 0.7's noop seat is named "noop", which no
 * device is on, and it opens devices blocking, so libinput's first read
 * past the queued events never returns (tried in the VM: versod hung in
 * the backend's start). versod runs libinput itself here, opening nodes as
 * libinput asks (non-blocking), and offers each touch device as a wlroots
 * input device, so that touch.c takes it like one of the backend's. The
 * node must be readable and writable by versod: the input group, or a
 * udev rule for the rear touchscreen.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libinput.h>
#include <libudev.h>
#include <wlr/backend/libinput.h>
#include <wlr/interfaces/wlr_input_device.h>
#include <wlr/interfaces/wlr_touch.h>
#include <wlr/util/log.h>
#include "input-direct.h"

struct verso_input_direct {
	struct udev *udev;
	struct libinput *libinput;
	struct wl_event_source *source;
	struct wl_list touches; /* direct_touch.link */
	verso_input_direct_add_fn add;
	void *data;
};

struct direct_touch {
	struct wlr_input_device base;
	struct wlr_touch touch;
	struct libinput_device *handle;
	struct wl_list link;
};

static int open_restricted(const char *path, int flags, void *data) {
	int fd = open(path, flags);
	if (fd < 0) {
		int err = errno;
		wlr_log(WLR_ERROR, "Cannot open %s: %s", path, strerror(err));
		return -err;
	}
	return fd;
}

static void close_restricted(int fd, void *data) {
	close(fd);
}

static const struct libinput_interface libinput_impl = {
	.open_restricted = open_restricted,
	.close_restricted = close_restricted,
};

/* The touch lives in direct_touch, which device_destroy frees after it. */
static void touch_destroy(struct wlr_touch *touch) {
}

static const struct wlr_touch_impl touch_impl = {
	.destroy = touch_destroy,
};

static void device_destroy(struct wlr_input_device *base) {
	struct direct_touch *t = wl_container_of(base, t, base);
	wl_list_remove(&t->link);
	libinput_device_set_user_data(t->handle, NULL);
	libinput_device_unref(t->handle);
	free(t);
}

static const struct wlr_input_device_impl device_impl = {
	.destroy = device_destroy,
};

struct libinput_device *input_libinput_handle(struct wlr_input_device *device) {
	if (wlr_input_device_is_libinput(device)) {
		return wlr_libinput_get_device_handle(device);
	}
	if (device->impl == &device_impl) {
		struct direct_touch *t = wl_container_of(device, t, base);
		return t->handle;
	}
	return NULL;
}

/* libinput closes a device whose events are off: keep only what is used. */
static void release(struct libinput_device *handle) {
	libinput_device_config_send_events_set_mode(handle,
		LIBINPUT_CONFIG_SEND_EVENTS_DISABLED);
}

static void device_added(struct verso_input_direct *direct,
		struct libinput_device *handle) {
	const char *name = libinput_device_get_name(handle);
	if (!libinput_device_has_capability(handle, LIBINPUT_DEVICE_CAP_TOUCH)) {
		wlr_log(WLR_DEBUG, "Not taking '%s': no touch", name);
		release(handle);
		return;
	}
	struct direct_touch *t = calloc(1, sizeof(*t));
	if (t == NULL) {
		wlr_log(WLR_ERROR, "Out of memory: no touch from '%s'", name);
		release(handle);
		return;
	}
	wlr_input_device_init(&t->base, WLR_INPUT_DEVICE_TOUCH, &device_impl,
		name, libinput_device_get_id_vendor(handle),
		libinput_device_get_id_product(handle));
	libinput_device_get_size(handle, &t->base.width_mm, &t->base.height_mm);
	wlr_touch_init(&t->touch, &touch_impl);
	t->base.touch = &t->touch;
	t->handle = libinput_device_ref(handle);
	libinput_device_set_user_data(handle, t);
	wl_list_insert(&direct->touches, &t->link);
	if (!direct->add(&t->base, direct->data)) {
		wlr_input_device_destroy(&t->base);
		release(handle);
	}
}

static uint32_t time_ms(struct libinput_event_touch *event) {
	return (uint32_t)(libinput_event_touch_get_time_usec(event) / 1000);
}

static void touch_event(struct direct_touch *t, struct libinput_event *event) {
	struct libinput_event_touch *te = libinput_event_get_touch_event(event);
	switch (libinput_event_get_type(event)) {
	case LIBINPUT_EVENT_TOUCH_DOWN: {
		struct wlr_event_touch_down ev = {
			.device = &t->base,
			.time_msec = time_ms(te),
			.touch_id = libinput_event_touch_get_seat_slot(te),
			.x = libinput_event_touch_get_x_transformed(te, 1),
			.y = libinput_event_touch_get_y_transformed(te, 1),
		};
		wl_signal_emit(&t->touch.events.down, &ev);
		break;
	}
	case LIBINPUT_EVENT_TOUCH_MOTION: {
		struct wlr_event_touch_motion ev = {
			.device = &t->base,
			.time_msec = time_ms(te),
			.touch_id = libinput_event_touch_get_seat_slot(te),
			.x = libinput_event_touch_get_x_transformed(te, 1),
			.y = libinput_event_touch_get_y_transformed(te, 1),
		};
		wl_signal_emit(&t->touch.events.motion, &ev);
		break;
	}
	case LIBINPUT_EVENT_TOUCH_UP: {
		struct wlr_event_touch_up ev = {
			.device = &t->base,
			.time_msec = time_ms(te),
			.touch_id = libinput_event_touch_get_seat_slot(te),
		};
		wl_signal_emit(&t->touch.events.up, &ev);
		break;
	}
	case LIBINPUT_EVENT_TOUCH_CANCEL: {
		struct wlr_event_touch_cancel ev = {
			.device = &t->base,
			.time_msec = time_ms(te),
			.touch_id = libinput_event_touch_get_seat_slot(te),
		};
		wl_signal_emit(&t->touch.events.cancel, &ev);
		break;
	}
	case LIBINPUT_EVENT_TOUCH_FRAME:
		wl_signal_emit(&t->touch.events.frame, NULL);
		break;
	default:
		break;
	}
}

static int handle_readable(int fd, uint32_t mask, void *data) {
	struct verso_input_direct *direct = data;
	if (libinput_dispatch(direct->libinput) != 0) {
		wlr_log(WLR_ERROR, "Failed to read touch input");
		return 0;
	}
	struct libinput_event *event;
	while ((event = libinput_get_event(direct->libinput)) != NULL) {
		struct libinput_device *handle = libinput_event_get_device(event);
		struct direct_touch *t = libinput_device_get_user_data(handle);
		if (libinput_event_get_type(event) == LIBINPUT_EVENT_DEVICE_ADDED) {
			device_added(direct, handle);
		} else if (t != NULL && libinput_event_get_type(event) ==
				LIBINPUT_EVENT_DEVICE_REMOVED) {
			wlr_input_device_destroy(&t->base);
		} else if (t != NULL) {
			touch_event(t, event);
		}
		libinput_event_destroy(event);
	}
	return 0;
}

struct verso_input_direct *input_direct_create(struct wl_event_loop *loop,
		const char *seat, verso_input_direct_add_fn add, void *data) {
	struct verso_input_direct *direct = calloc(1, sizeof(*direct));
	if (direct == NULL) {
		return NULL;
	}
	wl_list_init(&direct->touches);
	direct->add = add;
	direct->data = data;
	direct->udev = udev_new();
	direct->libinput = direct->udev != NULL ? libinput_udev_create_context(
		&libinput_impl, direct, direct->udev) : NULL;
	if (direct->libinput == NULL) {
		wlr_log(WLR_ERROR, "Cannot create a libinput context: no touch");
		goto error;
	}
	if (libinput_udev_assign_seat(direct->libinput, seat) != 0) {
		wlr_log(WLR_ERROR, "Cannot take input from seat '%s': no touch",
			seat);
		goto error;
	}
	direct->source = wl_event_loop_add_fd(loop,
		libinput_get_fd(direct->libinput), WL_EVENT_READABLE,
		handle_readable, direct);
	if (direct->source == NULL) {
		goto error;
	}
	/* The devices already there are announced now, not at a first touch. */
	handle_readable(-1, WL_EVENT_READABLE, direct);
	if (wl_list_empty(&direct->touches)) {
		wlr_log(WLR_INFO, "No rear touchscreen on seat '%s' yet", seat);
	}
	return direct;

error:
	input_direct_destroy(direct);
	return NULL;
}

void input_direct_destroy(struct verso_input_direct *direct) {
	if (direct == NULL) {
		return;
	}
	if (direct->source != NULL) {
		wl_event_source_remove(direct->source);
	}
	struct direct_touch *t, *tmp;
	wl_list_for_each_safe(t, tmp, &direct->touches, link) {
		wlr_input_device_destroy(&t->base);
	}
	if (direct->libinput != NULL) {
		libinput_unref(direct->libinput);
	}
	if (direct->udev != NULL) {
		udev_unref(direct->udev);
	}
	free(direct);
}
