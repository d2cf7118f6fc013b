// SPDX-License-Identifier: MIT
/*
 * Contact sizes for the palm rule: wlroots 0.15 passes no ABS_MT_TOUCH_MAJOR
 * and libinput's touch API has none, so versod opens the touchscreen's
 * evdev node a second time, read-only and not grabbed (the kernel queues
 * every event to both readers), and follows its slots with libevdev.
 *
 * The device is drained right before each libinput down, motion and cancel
 * is handled: by then the kernel has queued that frame to this reader too,
 * so the sizes are never behind libinput (at most a frame or two ahead).
 * The fd is also in the event loop, because libinput emits nothing when
 * only a contact's size changes, so a finger that spreads into a palm
 * without moving would otherwise go unseen until it moves. That costs no
 * extra wakeups: each frame makes libinput's fd readable at the same moment,
 * and both are handled in one epoll round. A SYN_DROPPED is resynced with
 * libevdev.
 *
 * Without read access to the node (a seat manager opened it for libinput),
 * versod borrows the seat's fd instead, but must not read it: that would
 * take the events from libinput. It then asks the kernel for the slots'
 * current values (EVIOCGMTSLOTS) before each libinput event, so a contact
 * that only spreads is seen when it next moves or lifts.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <libevdev/libevdev.h>
#include <libinput.h>
#include <libudev.h>
#include <wlr/backend/session.h>
#include <wlr/types/wlr_input_device.h>
#include <wlr/util/log.h>
#include "input-direct.h"
#include "touch-evdev.h"

struct verso_touch_evdev {
	int fd;
	bool borrowed; /* the seat's fd: polled, never read nor closed */
	struct libevdev *dev;
	struct wl_event_source *source;
	struct verso_mt_track track;
	double units_per_mm;
	char *name;
	verso_touch_evdev_size_fn changed;
	void *data;
};

static void stop_reading(struct verso_touch_evdev *evdev) {
	if (evdev->source != NULL) {
		wl_event_source_remove(evdev->source);
		evdev->source = NULL;
	}
	if (evdev->dev != NULL) {
		libevdev_free(evdev->dev);
		evdev->dev = NULL;
	}
}

/* The tracking id last: a new contact's values are final at its SYN. */
static const unsigned int slot_codes[] = {
	ABS_MT_POSITION_X, ABS_MT_POSITION_Y, ABS_MT_TOUCH_MAJOR,
	ABS_MT_TOUCH_MINOR, ABS_MT_TOOL_TYPE, ABS_MT_TRACKING_ID,
};
#define N_CODES (sizeof(slot_codes) / sizeof(slot_codes[0]))
#define TRACKING (N_CODES - 1)

static void feed_slot(struct verso_touch_evdev *evdev, int s, size_t n_codes,
		int32_t values[][VERSO_MT_SLOTS]) {
	verso_mt_event(&evdev->track, EV_ABS, ABS_MT_SLOT, s);
	for (size_t c = 0; c < n_codes; c++) {
		if (libevdev_has_event_code(evdev->dev, EV_ABS, slot_codes[c])) {
			verso_mt_event(&evdev->track, EV_ABS, slot_codes[c],
				values[c][s]);
		}
	}
}

/* The slots' current values, asked of the kernel: nothing is read. */
static void poll_slots(struct verso_touch_evdev *evdev) {
	struct verso_mt_track *t = &evdev->track;
	int32_t values[N_CODES][VERSO_MT_SLOTS];
	int32_t req[1 + VERSO_MT_SLOTS];
	for (size_t c = 0; c < N_CODES; c++) {
		memset(req, 0, sizeof(req));
		req[0] = (int32_t)slot_codes[c];
		if (libevdev_has_event_code(evdev->dev, EV_ABS, slot_codes[c]) &&
				ioctl(evdev->fd, EVIOCGMTSLOTS(sizeof(req)), req) < 0) {
			return; /* gone: libinput reports the removal */
		}
		memcpy(values[c], &req[1], sizeof(values[c]));
	}
	/*
	 * A lifted contact's last values stay in the kernel's slot. They
	 * are committed before its end, so a contact that spread into a
	 * palm in place and lifted between two polls is still seen.
	 */
	for (int s = 0; s < t->nslots; s++) {
		if (values[TRACKING][s] < 0) {
			feed_slot(evdev, s, TRACKING, values);
		}
	}
	verso_mt_event(t, EV_SYN, SYN_REPORT, 0);
	for (int s = 0; s < t->nslots; s++) {
		feed_slot(evdev, s, N_CODES, values);
	}
	verso_mt_event(t, EV_SYN, SYN_REPORT, 0);
}

/* Reads everything queued, resyncing after a SYN_DROPPED. */
static void drain(struct verso_touch_evdev *evdev) {
	if (evdev->borrowed) {
		if (evdev->dev != NULL) {
			poll_slots(evdev);
		}
		return;
	}
	unsigned int flags = LIBEVDEV_READ_FLAG_NORMAL;
	struct input_event ev;
	while (evdev->dev != NULL) {
		int rc = libevdev_next_event(evdev->dev, flags, &ev);
		if (rc == -EAGAIN) {
			if (flags == LIBEVDEV_READ_FLAG_NORMAL) {
				break;
			}
			flags = LIBEVDEV_READ_FLAG_NORMAL; /* resynced */
			continue;
		}
		if (rc == LIBEVDEV_READ_STATUS_SYNC &&
				flags == LIBEVDEV_READ_FLAG_NORMAL) {
			/* The SYN_DROPPED itself: the state delta follows. */
			wlr_log(WLR_DEBUG, "Touchscreen '%s': events dropped, "
				"resyncing", evdev->name);
			flags = LIBEVDEV_READ_FLAG_SYNC;
			continue;
		}
		if (rc != LIBEVDEV_READ_STATUS_SUCCESS &&
				rc != LIBEVDEV_READ_STATUS_SYNC) {
			/* Gone (ENODEV) or broken: libinput reports the removal. */
			wlr_log(WLR_INFO, "Touchscreen '%s': contact sizes lost: %s",
				evdev->name, strerror(-rc));
			stop_reading(evdev);
			break;
		}
		verso_mt_event(&evdev->track, ev.type, ev.code, ev.value);
	}
}

static int handle_readable(int fd, uint32_t mask, void *data) {
	struct verso_touch_evdev *evdev = data;
	drain(evdev);
	if (mask & (WL_EVENT_HANGUP | WL_EVENT_ERROR)) {
		stop_reading(evdev);
	}
	size_t iter = 0;
	int32_t id;
	struct verso_mt_size size;
	while (verso_mt_next_changed(&evdev->track, &iter, &id)) {
		if (verso_mt_take(&evdev->track, id, &size)) {
			evdev->changed(id, &size, evdev->data);
		}
	}
	return 0;
}

/* The slots' state at open: contacts already down are known too, and the
 * events read next continue in the kernel's current slot. */
static void load_state(struct verso_touch_evdev *evdev) {
	poll_slots(evdev);
	verso_mt_event(&evdev->track, EV_ABS, ABS_MT_SLOT,
		libevdev_get_current_slot(evdev->dev));
}

static char *devnode(struct libinput_device *handle) {
	struct udev_device *udev = libinput_device_get_udev_device(handle);
	if (udev == NULL) {
		return NULL;
	}
	const char *node = udev_device_get_devnode(udev);
	char *copy = node != NULL ? strdup(node) : NULL;
	udev_device_unref(udev);
	return copy;
}

/* The fd the seat manager opened node with for libinput, or -1. */
static int seat_fd(struct wlr_session *session, const char *node) {
	struct stat st;
	if (session == NULL || stat(node, &st) < 0) {
		return -1;
	}
	struct wlr_device *dev;
	wl_list_for_each(dev, &session->devices, link) {
		if (dev->dev == st.st_rdev) {
			return dev->fd;
		}
	}
	return -1;
}

/* Why the palm rule cannot work on this device, or NULL. */
static const char *open_device(struct verso_touch_evdev *evdev,
		struct libinput_device *handle, struct wlr_session *session,
		char *why, size_t why_size) {
	char *node = devnode(handle);
	if (node == NULL) {
		return "no device node";
	}
	evdev->fd = open(node, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (evdev->fd < 0 && (errno == EACCES || errno == EPERM)) {
		evdev->fd = seat_fd(session, node);
		evdev->borrowed = evdev->fd >= 0;
		errno = EACCES;
	}
	if (evdev->fd < 0) {
		snprintf(why, why_size, "cannot read %s: %s", node, strerror(errno));
		free(node);
		return why;
	}
	free(node);
	int rc = libevdev_new_from_fd(evdev->fd, &evdev->dev);
	if (rc < 0) {
		evdev->dev = NULL;
		snprintf(why, why_size, "libevdev: %s", strerror(-rc));
		return why;
	}
	struct libevdev *dev = evdev->dev;
	if (!libevdev_has_event_code(dev, EV_ABS, ABS_MT_TOUCH_MAJOR)) {
		return "it reports no contact size (ABS_MT_TOUCH_MAJOR)";
	}
	if (!libevdev_has_event_code(dev, EV_ABS, ABS_MT_SLOT) ||
			!libevdev_has_event_code(dev, EV_ABS, ABS_MT_POSITION_X) ||
			!libevdev_has_event_code(dev, EV_ABS, ABS_MT_POSITION_Y) ||
			libevdev_get_num_slots(dev) <= 0) {
		return "it is no type B multitouch device";
	}
	return NULL;
}

struct verso_touch_evdev *touch_evdev_create(struct wlr_input_device *device,
		struct wlr_session *session, struct wl_event_loop *loop,
		verso_touch_evdev_size_fn changed, void *data) {
	struct libinput_device *handle = input_libinput_handle(device);
	if (handle == NULL) {
		wlr_log(WLR_INFO, "Touchscreen '%s': not a libinput device, palm "
			"rule off", device->name);
		return NULL;
	}
	struct verso_touch_evdev *evdev = calloc(1, sizeof(*evdev));
	if (evdev == NULL) {
		return NULL;
	}
	evdev->fd = -1;
	evdev->changed = changed;
	evdev->data = data;
	evdev->name = strdup(device->name != NULL ? device->name : "");
	char why[256];
	const char *off = open_device(evdev, handle, session, why, sizeof(why));
	if (off != NULL) {
		wlr_log(WLR_INFO, "Touchscreen '%s': palm rule off: %s",
			evdev->name, off);
		touch_evdev_destroy(evdev);
		return NULL;
	}
	struct libevdev *dev = evdev->dev;
	verso_mt_init(&evdev->track, libevdev_get_num_slots(dev),
		libevdev_get_abs_minimum(dev, ABS_MT_POSITION_X),
		libevdev_get_abs_maximum(dev, ABS_MT_POSITION_X),
		libevdev_get_abs_minimum(dev, ABS_MT_POSITION_Y),
		libevdev_get_abs_maximum(dev, ABS_MT_POSITION_Y));
	float m[6];
	libinput_device_config_calibration_get_matrix(handle, m);
	verso_mt_set_calibration(&evdev->track, m);
	load_state(evdev);

	/* The touch major is in surface units (multi-touch-protocol.rst): without
	 * its own resolution, the position's applies. */
	int res = libevdev_get_abs_resolution(dev, ABS_MT_TOUCH_MAJOR);
	if (res <= 0) {
		res = libevdev_get_abs_resolution(dev, ABS_MT_POSITION_X);
	}
	evdev->units_per_mm = res > 0 ? res : 0;
	if (!evdev->borrowed) {
		evdev->source = wl_event_loop_add_fd(loop, evdev->fd,
			WL_EVENT_READABLE, handle_readable, evdev);
	}
	const char *from = evdev->borrowed ?
		"polled on the seat's fd (no read access to the node; a contact "
		"that only spreads is seen when it moves)" : "from its evdev node";
	if (res > 0) {
		wlr_log(WLR_INFO, "Touchscreen '%s': contact sizes %s, %d units/mm",
			evdev->name, from, res);
	} else {
		wlr_log(WLR_INFO, "Touchscreen '%s': contact sizes %s, no "
			"resolution: only touch.max_major applies", evdev->name, from);
	}
	return evdev;
}

void touch_evdev_destroy(struct verso_touch_evdev *evdev) {
	if (evdev == NULL) {
		return;
	}
	stop_reading(evdev);
	if (evdev->fd >= 0 && !evdev->borrowed) {
		close(evdev->fd);
	}
	free(evdev->name);
	free(evdev);
}

double touch_evdev_units_per_mm(const struct verso_touch_evdev *evdev) {
	return evdev != NULL ? evdev->units_per_mm : 0;
}

bool touch_evdev_down(struct verso_touch_evdev *evdev, int32_t touch_id,
		double u, double v, struct verso_mt_size *size) {
	if (evdev == NULL) {
		return false;
	}
	drain(evdev);
	return verso_mt_match(&evdev->track, touch_id, u, v) &&
		verso_mt_take(&evdev->track, touch_id, size);
}

bool touch_evdev_size(struct verso_touch_evdev *evdev, int32_t touch_id,
		struct verso_mt_size *size) {
	if (evdev == NULL) {
		return false;
	}
	drain(evdev);
	return verso_mt_take(&evdev->track, touch_id, size);
}

void touch_evdev_up(struct verso_touch_evdev *evdev, int32_t touch_id) {
	if (evdev != NULL) {
		verso_mt_release(&evdev->track, touch_id);
	}
}
