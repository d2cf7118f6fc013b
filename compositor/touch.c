// SPDX-License-Identifier: MIT
/*
 * Touch: the rear touchscreen's libinput contacts, mapped onto the rear
 * output (with its transform) and sized from the evdev node (touch-evdev.c,
 * for the palm rule), go through the accidental-touch filter; the
 * contacts it accepts reach the client under them as wl_touch and feed the
 * gesture recognizer, whose gestures drive the shell (cards, overlay, wake).
 *
 * No cursor: wlroots reports absolute positions in 0..1 of the device,
 * which is glued to the panel, so the position is a point of the panel's
 * native (untransformed) raster; the output transform turns it into the
 * logical coordinates the scene uses. The long-press timer is armed only
 * while the recognizer has a deadline, so an idle touchscreen costs no
 * wakeups.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <libinput.h>
#include <libudev.h>
#include <wlr/backend.h>
#include <wlr/types/wlr_input_device.h>
#include <wlr/types/wlr_touch.h>
#include <wlr/util/log.h>
#include "core/config.h"
#include "core/gesture.h"
#include "core/touch-filter.h"
#include "input-direct.h"
#include "server.h"
#include "touch-evdev.h"

struct verso_touch_state {
	struct verso_server *server;
	struct verso_touch_filter filter;
	struct verso_gesture gesture;
	struct wl_event_source *timer; /* long press; armed only when needed */
	int width, height; /* logical output size the filter knows */
	uint32_t transform; /* enum wl_output_transform of the mapping */
	/* The downs of the current frame, judged at its end largest first, so
	 * a palm is known before the fingers that land with it. */
	struct verso_touch_event downs[VERSO_TOUCH_MAX];
	size_t n_downs;
};

/* One rear touchscreen (usually the only one). */
struct verso_touch {
	struct verso_server *server;
	struct wlr_input_device *device;
	struct verso_touch_evdev *evdev; /* contact sizes; NULL: no palm rule */
	struct wl_list link; /* verso_server.touches */
	struct wl_listener down;
	struct wl_listener up;
	struct wl_listener motion;
	struct wl_listener cancel;
	struct wl_listener frame;
	struct wl_listener destroy;
};

static int64_t now_ms(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* libinput times are CLOCK_MONOTONIC ms truncated to 32 bits: widen them
 * against the clock so the recognizer and its timer share one time base. */
static int64_t event_ms(uint32_t time_msec) {
	int64_t now = now_ms();
	return now - (int64_t)(uint32_t)((uint32_t)now - time_msec);
}

/*
 * Panel point (u, v in 0..1 of the native raster) to logical output
 * coordinates (0..1): the inverse of the output transform, the same
 * mapping as wlr_box_transform(..., transform, native w, native h).
 */
static void transform_point(uint32_t transform, double u, double v,
		double *x, double *y) {
	switch (transform) {
	case WL_OUTPUT_TRANSFORM_90:
		*x = 1 - v; *y = u; break;
	case WL_OUTPUT_TRANSFORM_180:
		*x = 1 - u; *y = 1 - v; break;
	case WL_OUTPUT_TRANSFORM_270:
		*x = v; *y = 1 - u; break;
	case WL_OUTPUT_TRANSFORM_FLIPPED:
		*x = 1 - u; *y = v; break;
	case WL_OUTPUT_TRANSFORM_FLIPPED_90:
		*x = v; *y = u; break;
	case WL_OUTPUT_TRANSFORM_FLIPPED_180:
		*x = u; *y = 1 - v; break;
	case WL_OUTPUT_TRANSFORM_FLIPPED_270:
		*x = 1 - v; *y = 1 - u; break;
	default:
		*x = u; *y = v; break;
	}
}

static void configure_filter(struct verso_touch_state *ts) {
	struct verso_server *server = ts->server;
	output_get_size(server, &ts->width, &ts->height);
	ts->transform = server->rear != NULL ?
		server->rear->wlr_output->transform : WL_OUTPUT_TRANSFORM_NORMAL;
	/* One filter for all touchscreens: the first that knows its touch
	 * major resolution sets max_contact_mm's scale. */
	double units_per_mm = 0;
	struct verso_touch *touch;
	wl_list_for_each(touch, &server->touches, link) {
		if (units_per_mm <= 0) {
			units_per_mm = touch_evdev_units_per_mm(touch->evdev);
		}
	}
	verso_touch_filter_configure(&ts->filter, &server->config->filter,
		ts->width, ts->height, units_per_mm);
}

/* The rear output may have appeared, rotated or changed mode since. */
static void check_output(struct verso_touch_state *ts) {
	int w, h;
	output_get_size(ts->server, &w, &h);
	uint32_t transform = ts->server->rear != NULL ?
		ts->server->rear->wlr_output->transform : 0;
	if (w != ts->width || h != ts->height || transform != ts->transform) {
		configure_filter(ts);
	}
}

/* Where a surface sits in the scene (it may be sliding). */
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

/* Delivers one filtered event as wl_touch. */
static void deliver(struct verso_touch_state *ts,
		const struct verso_touch_event *ev) {
	struct wlr_seat *seat = ts->server->seat;
	uint32_t time = (uint32_t)ev->time_ms;
	struct wlr_touch_point *point = ev->type == VERSO_TOUCH_FRAME ? NULL :
		wlr_seat_touch_get_point(seat, ev->id);
	switch (ev->type) {
	case VERSO_TOUCH_DOWN: {
		/* A blank display shows nothing to touch: the whole sequence
		 * (a wake gesture too) stays with the gesture recognizer. With
		 * no seat point, its motion and up are dropped as well. */
		if (!power_is_on(ts->server)) {
			break;
		}
		double sx, sy;
		struct wlr_scene_node *node = wlr_scene_node_at(
			&ts->server->scene->node, ev->x, ev->y, &sx, &sy);
		if (point == NULL && node != NULL &&
				node->type == WLR_SCENE_NODE_SURFACE) {
			wlr_seat_touch_notify_down(seat,
				wlr_scene_surface_from_node(node)->surface, time,
				ev->id, sx, sy);
		}
		break;
	}
	case VERSO_TOUCH_MOTION: {
		if (point == NULL || point->surface == NULL) {
			break;
		}
		/* A point stays with the surface it went down on, even past
		 * its edge, so motion is relative to where that surface is. */
		struct surface_lookup lookup = { .surface = point->surface };
		wlr_scene_node_for_each_surface(&ts->server->scene->node,
			find_surface_iter, &lookup);
		if (lookup.found) {
			wlr_seat_touch_notify_motion(seat, time, ev->id,
				ev->x - lookup.x, ev->y - lookup.y);
		}
		break;
	}
	case VERSO_TOUCH_UP:
		if (point != NULL) {
			wlr_seat_touch_notify_up(seat, time, ev->id);
		}
		break;
	case VERSO_TOUCH_CANCEL:
		if (point != NULL && point->surface != NULL) {
			/* wl_touch.cancel voids all of that client's points;
			 * wlroots 0.15 ends them all here. */
			wlr_seat_touch_notify_cancel(seat, point->surface);
		}
		if (wlr_seat_touch_get_point(seat, ev->id) != NULL) {
			/* Left when the cancel found no seat client: free the id. */
			wlr_seat_touch_notify_up(seat, time, ev->id);
		}
		break;
	case VERSO_TOUCH_FRAME:
		wlr_seat_touch_notify_frame(seat);
		break;
	}
}

static void handle_gesture(struct verso_touch_state *ts,
		const struct verso_gesture_event *g) {
	struct verso_server *server = ts->server;
	enum verso_touch_wake wake = server->config->touch.wake;
	wlr_log(WLR_DEBUG, "Gesture %s at %.0f,%.0f (%+.0f,%+.0f)",
		verso_gesture_type_str(g->type), g->x, g->y, g->dx, g->dy);
	switch (g->type) {
	case VERSO_GESTURE_SWIPE_LEFT:
		shell_next_card(server);
		break;
	case VERSO_GESTURE_SWIPE_RIGHT:
		shell_prev_card(server);
		break;
	case VERSO_GESTURE_SWIPE_DOWN:
		shell_dismiss_overlay(server);
		break;
	case VERSO_GESTURE_DOUBLE_TAP:
		if (wake == VERSO_WAKE_DOUBLE_TAP) {
			server_wake(server, "double-tap");
		}
		break;
	case VERSO_GESTURE_TAP:
		if (wake == VERSO_WAKE_TAP) {
			server_wake(server, "tap");
		}
		break;
	default:
		/* Long press: no overview yet; clients see the touch. */
		break;
	}
}

static void update_timer(struct verso_touch_state *ts) {
	int64_t deadline = verso_gesture_next_deadline(&ts->gesture);
	int ms = 0; /* 0 disarms */
	if (deadline >= 0) {
		int64_t left = deadline - now_ms();
		ms = left < 1 ? 1 : left > 60000 ? 60000 : (int)left;
	}
	wl_event_source_timer_update(ts->timer, ms);
}

static void handle_filtered(const struct verso_touch_event *ev, void *data) {
	struct verso_touch_state *ts = data;
	deliver(ts, ev);
	if (ev->type != VERSO_TOUCH_FRAME && ev->type != VERSO_TOUCH_CANCEL) {
		/* A deliberate touch, down, moving or lifting: full refresh,
		 * and blanking starts over (a finger on a game stick holds
		 * the display lit). */
		server_user_activity(ts->server);
	}
	if (ev->type == VERSO_TOUCH_DOWN &&
			ts->server->config->touch.wake == VERSO_WAKE_ANY) {
		server_wake(ts->server, "touch");
	}
	struct verso_gesture_event out[VERSO_GESTURE_MAX_OUT];
	int n = verso_gesture_feed(&ts->gesture, ev, out);
	for (int i = 0; i < n; i++) {
		handle_gesture(ts, &out[i]);
	}
	update_timer(ts);
}

static int handle_timer(void *data) {
	struct verso_touch_state *ts = data;
	struct verso_gesture_event out[VERSO_GESTURE_MAX_OUT];
	int n = verso_gesture_timeout(&ts->gesture, now_ms(), out);
	for (int i = 0; i < n; i++) {
		handle_gesture(ts, &out[i]);
	}
	update_timer(ts);
	return 0;
}

static bool pending_down(const struct verso_touch_state *ts, int32_t id) {
	for (size_t i = 0; i < ts->n_downs; i++) {
		if (ts->downs[i].id == id) {
			return true;
		}
	}
	return false;
}

static bool larger(const struct verso_touch_event *a,
		const struct verso_touch_event *b) {
	return a->palm != b->palm ? a->palm : a->major > b->major;
}

/* Judges the frame's downs, palms first (a stable sort of a few). */
static void flush_downs(struct verso_touch_state *ts) {
	for (size_t i = 1; i < ts->n_downs; i++) {
		struct verso_touch_event d = ts->downs[i];
		size_t j = i;
		for (; j > 0 && larger(&d, &ts->downs[j - 1]); j--) {
			ts->downs[j] = ts->downs[j - 1];
		}
		ts->downs[j] = d;
	}
	for (size_t i = 0; i < ts->n_downs; i++) {
		verso_touch_filter_feed(&ts->filter, &ts->downs[i]);
	}
	ts->n_downs = 0;
}

static void feed(struct verso_touch *touch, enum verso_touch_type type,
		uint32_t time_msec, int32_t id, double u, double v) {
	struct verso_touch_state *ts = touch->server->touch;
	if (ts == NULL) {
		return;
	}
	check_output(ts);
	struct verso_touch_event ev = {
		.type = type,
		.id = id,
		.time_ms = event_ms(time_msec),
	};
	if (type == VERSO_TOUCH_DOWN || type == VERSO_TOUCH_MOTION) {
		double x, y;
		transform_point(ts->transform, u, v, &x, &y);
		ev.x = x * ts->width;
		ev.y = y * ts->height;
	}
	/* Contact size from the evdev node (touch-evdev.c). */
	struct verso_mt_size size;
	bool sized = type == VERSO_TOUCH_DOWN ?
		touch_evdev_down(touch->evdev, id, u, v, &size) :
		type != VERSO_TOUCH_FRAME &&
		touch_evdev_size(touch->evdev, id, &size);
	if (sized) {
		ev.major = size.major;
		ev.minor = size.minor;
		ev.palm = size.palm;
	}
	if (type == VERSO_TOUCH_DOWN) {
		if (ts->n_downs == VERSO_TOUCH_MAX) {
			flush_downs(ts);
		}
		ts->downs[ts->n_downs++] = ev;
		return;
	}
	if (type == VERSO_TOUCH_FRAME || pending_down(ts, id)) {
		flush_downs(ts);
	}
	if (sized && (type == VERSO_TOUCH_UP || type == VERSO_TOUCH_CANCEL)) {
		/*
		 * A contact that spread in place is first seen at its end
		 * (libinput reports no size change): a palm is cancelled, not
		 * lifted as a tap. A palm by tool type is cancelled by
		 * libinput; telling the filter first takes the contacts next
		 * to it along.
		 */
		verso_touch_filter_size(&ts->filter, id, size.major, size.palm,
			ev.time_ms);
	}
	verso_touch_filter_feed(&ts->filter, &ev);
	if (type == VERSO_TOUCH_UP || type == VERSO_TOUCH_CANCEL) {
		touch_evdev_up(touch->evdev, id);
	}
}

/* A contact changed size without moving: libinput says nothing of it. */
static void handle_size(int32_t id, const struct verso_mt_size *size,
		void *data) {
	struct verso_touch *touch = data;
	struct verso_touch_state *ts = touch->server->touch;
	if (ts != NULL) {
		verso_touch_filter_size(&ts->filter, id, size->major, size->palm,
			now_ms());
	}
}

static void touch_handle_down(struct wl_listener *listener, void *data) {
	struct verso_touch *touch = wl_container_of(listener, touch, down);
	struct wlr_event_touch_down *event = data;
	feed(touch, VERSO_TOUCH_DOWN, event->time_msec, event->touch_id,
		event->x, event->y);
}

static void touch_handle_motion(struct wl_listener *listener, void *data) {
	struct verso_touch *touch = wl_container_of(listener, touch, motion);
	struct wlr_event_touch_motion *event = data;
	feed(touch, VERSO_TOUCH_MOTION, event->time_msec, event->touch_id,
		event->x, event->y);
}

static void touch_handle_up(struct wl_listener *listener, void *data) {
	struct verso_touch *touch = wl_container_of(listener, touch, up);
	struct wlr_event_touch_up *event = data;
	feed(touch, VERSO_TOUCH_UP, event->time_msec, event->touch_id, 0, 0);
}

static void touch_handle_cancel(struct wl_listener *listener, void *data) {
	struct verso_touch *touch = wl_container_of(listener, touch, cancel);
	struct wlr_event_touch_cancel *event = data;
	feed(touch, VERSO_TOUCH_CANCEL, event->time_msec, event->touch_id, 0, 0);
}

static void touch_handle_frame(struct wl_listener *listener, void *data) {
	struct verso_touch *touch = wl_container_of(listener, touch, frame);
	/* wlroots 0.15's frame event carries no time. */
	feed(touch, VERSO_TOUCH_FRAME, (uint32_t)now_ms(), 0, 0, 0);
}

static void update_capabilities(struct verso_server *server) {
	uint32_t caps = server->seat->capabilities & ~WL_SEAT_CAPABILITY_TOUCH;
	if (!wl_list_empty(&server->touches)) {
		caps |= WL_SEAT_CAPABILITY_TOUCH;
	}
	wlr_seat_set_capabilities(server->seat, caps);
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
	touch_evdev_destroy(touch->evdev);
	free(touch);
	/* Contacts of a vanished device never lift. */
	if (server->touch != NULL) {
		server->touch->n_downs = 0;
		configure_filter(server->touch);
		verso_touch_filter_reset(&server->touch->filter, now_ms());
		verso_gesture_reset(&server->touch->gesture);
		update_timer(server->touch);
	}
	update_capabilities(server);
}

/* "NAME" (set) or "NAME=value" on the device's udev node. */
static bool udev_property_matches(struct wlr_input_device *device,
		const char *spec) {
	struct libinput_device *handle = input_libinput_handle(device);
	if (handle == NULL) {
		return false;
	}
	struct udev_device *udev = libinput_device_get_udev_device(handle);
	if (udev == NULL) {
		return false;
	}
	char name[256];
	const char *eq = strchr(spec, '=');
	size_t len = eq != NULL ? (size_t)(eq - spec) : strlen(spec);
	if (len >= sizeof(name)) {
		len = sizeof(name) - 1;
	}
	memcpy(name, spec, len);
	name[len] = '\0';
	const char *value = udev_device_get_property_value(udev, name);
	bool match = value != NULL && (eq == NULL || strcmp(value, eq + 1) == 0);
	udev_device_unref(udev);
	return match;
}

static bool is_rear_touchscreen(struct verso_server *server,
		struct wlr_input_device *device) {
	const char *want_name = server->config->touch.device;
	const char *want_prop = server->config->touch.udev_property;
	if (want_name != NULL && want_name[0] != '\0' &&
			(device->name == NULL || strstr(device->name, want_name) == NULL)) {
		return false;
	}
	if (want_prop != NULL && want_prop[0] != '\0' &&
			!udev_property_matches(device, want_prop)) {
		return false;
	}
	return true;
}

bool touch_add_device(struct verso_server *server,
		struct wlr_input_device *device) {
	if (!is_rear_touchscreen(server, device)) {
		wlr_log(WLR_INFO, "Ignoring touch device '%s': not the configured "
			"rear touchscreen", device->name);
		return false;
	}
	struct verso_touch *touch = calloc(1, sizeof(*touch));
	if (touch == NULL) {
		return false;
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
	wlr_log(WLR_INFO, "Rear touchscreen: '%s'", device->name);
	touch->evdev = touch_evdev_create(device,
		wlr_backend_get_session(server->backend), server->loop,
		handle_size, touch);
	if (server->touch != NULL) {
		configure_filter(server->touch);
	}
	update_capabilities(server);
	return true;
}

void touch_apply_config(struct verso_server *server) {
	struct verso_touch_state *ts = server->touch;
	if (ts == NULL) {
		return;
	}
	configure_filter(ts);
	verso_gesture_configure(&ts->gesture, &server->config->gesture);
	/* Thresholds changed under a finger: start gestures over. */
	verso_gesture_reset(&ts->gesture);
	update_timer(ts);
}

void touch_notify_wake(struct verso_server *server) {
	if (server->touch != NULL) {
		verso_touch_filter_wake(&server->touch->filter, now_ms());
	}
}

void touch_init(struct verso_server *server) {
	struct verso_touch_state *ts = calloc(1, sizeof(*ts));
	if (ts == NULL) {
		wlr_log(WLR_ERROR, "Out of memory: no touch");
		return;
	}
	ts->server = server;
	output_get_size(server, &ts->width, &ts->height);
	verso_touch_filter_init(&ts->filter, &server->config->filter,
		ts->width, ts->height, 0, handle_filtered, ts);
	verso_gesture_init(&ts->gesture, &server->config->gesture);
	ts->timer = wl_event_loop_add_timer(server->loop, handle_timer, ts);
	if (ts->timer == NULL) {
		wlr_log(WLR_ERROR, "Cannot create the gesture timer: no touch");
		free(ts);
		return;
	}
	server->touch = ts;
}

void touch_finish(struct verso_server *server) {
	struct verso_touch_state *ts = server->touch;
	if (ts == NULL) {
		return;
	}
	if (ts->timer != NULL) {
		wl_event_source_remove(ts->timer);
	}
	free(ts);
	server->touch = NULL;
}

/* proximity.c: the sensor became covered or clear. */
void touch_set_proximity(struct verso_server *server, bool covered) {
	if (server->touch != NULL) {
		verso_touch_filter_proximity(&server->touch->filter, covered,
			now_ms());
	}
}
