// SPDX-License-Identifier: MIT
/*
 * shot-burst: send N Screenshot calls to versod at once, from one
 * connection, and print how each was answered. Separate versoctl processes
 * reach versod spread out over time, each after the last was served, so
 * they cannot show what versod does with many waiting at once.
 *
 * Usage: shot-burst N PREFIX   (saves PREFIX1.png ... PREFIXN.png)
 * Prints "shot-burst: N calls routed" once the bus has passed them all on,
 * then one line per call, "PATH: METHOD" or "PATH: error NAME: MESSAGE",
 * and exits 0 once every call has been answered.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-bus.h>

#define MAX_CALLS 64
#define CALL_TIMEOUT_US (120ULL * 1000 * 1000)

struct shot {
	char path[4096];
	int *left;
};

static int handle_reply(sd_bus_message *m, void *data, sd_bus_error *ret) {
	struct shot *shot = data;
	const sd_bus_error *e = sd_bus_message_get_error(m);
	const char *method = NULL;
	if (e != NULL) {
		printf("%s: error %s: %s\n", shot->path, e->name, e->message);
	} else if (sd_bus_message_read(m, "s", &method) >= 0) {
		printf("%s: %s\n", shot->path, method);
	} else {
		printf("%s: error malformed reply\n", shot->path);
	}
	(*shot->left)--;
	return 0;
}

int main(int argc, char *argv[]) {
	if (argc != 3) {
		fprintf(stderr, "usage: %s N PREFIX\n", argv[0]);
		return 2;
	}
	char *end = NULL;
	long n = strtol(argv[1], &end, 10);
	if (*end != '\0' || n < 1 || n > MAX_CALLS) {
		fprintf(stderr, "shot-burst: N must be 1-%d\n", MAX_CALLS);
		return 2;
	}

	sd_bus *bus = NULL;
	int r = sd_bus_open_user(&bus);
	if (r < 0) {
		fprintf(stderr, "shot-burst: no session bus: %s\n", strerror(-r));
		return 1;
	}
	/* versod takes them one writeback frame at a time, slowly under
	 * emulation: more than sd-bus' default 25 s may pass. */
	r = sd_bus_set_method_call_timeout(bus, CALL_TIMEOUT_US);
	if (r < 0) {
		fprintf(stderr, "shot-burst: %s\n", strerror(-r));
		return 1;
	}
	static struct shot shots[MAX_CALLS];
	int left = 0;
	for (long i = 0; i < n; i++) {
		snprintf(shots[i].path, sizeof(shots[i].path), "%s%ld.png",
			argv[2], i + 1);
		shots[i].left = &left;
		r = sd_bus_call_method_async(bus, NULL, "org.verso.Compositor1",
			"/org/verso/Compositor1", "org.verso.Compositor1",
			"Screenshot", handle_reply, &shots[i], "s", shots[i].path);
		if (r < 0) {
			fprintf(stderr, "shot-burst: call %ld: %s\n", i + 1,
				strerror(-r));
			return 1;
		}
		left++;
	}
	/*
	 * dbus-daemon handles one connection's messages in order: once it
	 * answers a Ping, it has routed every call before it. A test that
	 * holds versod stopped meanwhile then has all of them arrive in one
	 * dispatch.
	 */
	sd_bus_error error = SD_BUS_ERROR_NULL;
	r = sd_bus_call_method(bus, "org.freedesktop.DBus",
		"/org/freedesktop/DBus", "org.freedesktop.DBus.Peer", "Ping",
		&error, NULL, "");
	if (r < 0) {
		fprintf(stderr, "shot-burst: ping: %s\n", error.message != NULL ?
			error.message : strerror(-r));
		sd_bus_error_free(&error);
		return 1;
	}
	printf("shot-burst: %ld calls routed\n", n);
	fflush(stdout);
	while (r >= 0 && left > 0) {
		r = sd_bus_process(bus, NULL);
		if (r == 0) {
			r = sd_bus_wait(bus, CALL_TIMEOUT_US);
		}
	}
	if (r < 0) {
		fprintf(stderr, "shot-burst: %s\n", strerror(-r));
	}
	fflush(stdout);
	sd_bus_flush_close_unref(bus);
	return r < 0 || left > 0 ? 1 : 0;
}
