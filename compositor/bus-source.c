// SPDX-License-Identifier: MIT
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <time.h>
#include "bus-source.h"

void verso_bus_source_update(struct verso_bus_source *src) {
	if (src->fd == NULL) {
		return;
	}
	int events = sd_bus_get_events(src->bus);
	uint32_t mask = 0;
	if (events > 0 && (events & POLLIN)) {
		mask |= WL_EVENT_READABLE;
	}
	if (events > 0 && (events & POLLOUT)) {
		mask |= WL_EVENT_WRITABLE;
	}
	wl_event_source_fd_update(src->fd, mask);

	/* sd-bus has a deadline only while a call waits for its reply. */
	uint64_t deadline = UINT64_MAX;
	int timeout_ms = 0; /* 0 disarms */
	if (sd_bus_get_timeout(src->bus, &deadline) >= 0 &&
			deadline != UINT64_MAX) {
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		uint64_t now_us = (uint64_t)now.tv_sec * 1000000 +
			(uint64_t)now.tv_nsec / 1000;
		uint64_t ms = deadline > now_us ?
			(deadline - now_us + 999) / 1000 : 1;
		timeout_ms = ms > INT_MAX ? INT_MAX : ms == 0 ? 1 : (int)ms;
	}
	wl_event_source_timer_update(src->timer, timeout_ms);
}

static void process(struct verso_bus_source *src) {
	int r;
	do {
		r = sd_bus_process(src->bus, NULL);
	} while (r > 0);
	if (r < 0) {
		verso_bus_source_detach(src);
		if (src->lost != NULL) {
			src->lost(src, r);
		}
		return;
	}
	verso_bus_source_update(src);
}

static int handle_fd(int fd, uint32_t mask, void *data) {
	process(data);
	return 0;
}

static int handle_timer(void *data) {
	process(data);
	return 0;
}

int verso_bus_source_attach(struct verso_bus_source *src,
		struct wl_event_loop *loop, sd_bus *bus,
		void (*lost)(struct verso_bus_source *src, int err)) {
	src->bus = bus;
	src->lost = lost;
	src->fd = wl_event_loop_add_fd(loop, sd_bus_get_fd(bus),
		WL_EVENT_READABLE, handle_fd, src);
	src->timer = wl_event_loop_add_timer(loop, handle_timer, src);
	if (src->fd == NULL || src->timer == NULL) {
		verso_bus_source_detach(src);
		return -ENOMEM;
	}
	process(src);
	return 0;
}

bool verso_bus_source_attached(const struct verso_bus_source *src) {
	return src->fd != NULL;
}

void verso_bus_source_detach(struct verso_bus_source *src) {
	if (src->fd != NULL) {
		wl_event_source_remove(src->fd);
		src->fd = NULL;
	}
	if (src->timer != NULL) {
		wl_event_source_remove(src->timer);
		src->timer = NULL;
	}
}
