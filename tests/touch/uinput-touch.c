// SPDX-License-Identifier: MIT
/*
 * uinput-touch: a virtual multitouch touchscreen (type B protocol) that
 * replays recorded touch sequences, for tests in the VM.
 *
 *   uinput-touch [--size WxH] [--name NAME]
 *
 * It creates the device, prints "ready", then reads trace file paths from
 * stdin, one a line, replays each in real time and prints "done PATH".
 * The device goes away when stdin closes. Traces use the format of
 * compositor/core/touch-trace.h (t_ms down|motion ID X Y [MAJOR [MINOR]],
 * t_ms up ID, frame); X and Y are pixels of the --size raster, which is the
 * device's axis range, so they land on the same output pixels. A report
 * (SYN_REPORT) closes every group of events with the same time.
 *
 * The contact size (ABS_MT_TOUCH_MAJOR/MINOR) is in the trace's units
 * ("# units_per_mm:", default 1: mm), sent in device units at RES per mm. A
 * down without a size sends 0 (no size), so an old trace never inherits the
 * size a previous contact left in its slot.
 *
 * "t_ms palm ID" sets the contact's ABS_MT_TOOL_TYPE to MT_TOOL_PALM (every
 * down starts as MT_TOOL_FINGER): right after its down, it went down as a
 * palm; later, the device re-classified it.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/uinput.h>
#include <math.h>
#include <sys/ioctl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define SLOTS 10
#define RES 10 /* device units per mm, for positions and sizes */

static int fd = -1;

static void emit(int type, int code, int value)
{
	struct input_event ev = { .type = type, .code = code, .value = value };
	if (write(fd, &ev, sizeof(ev)) != sizeof(ev)) {
		perror("uinput-touch: write");
		exit(1);
	}
}

static void abs_setup(int code, int max, int res)
{
	struct uinput_abs_setup s = {
		.code = code,
		.absinfo = { .minimum = 0, .maximum = max, .resolution = res },
	};
	if (ioctl(fd, UI_SET_ABSBIT, code) < 0 || ioctl(fd, UI_ABS_SETUP, &s) < 0) {
		perror("uinput-touch: UI_ABS_SETUP");
		exit(1);
	}
}

static void sleep_until(const struct timespec *start, long ms)
{
	struct timespec t = *start;
	t.tv_sec += ms / 1000;
	t.tv_nsec += (ms % 1000) * 1000000L;
	if (t.tv_nsec >= 1000000000L) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000L;
	}
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL) == EINTR)
		;
}

struct slot {
	int id; /* trace id, -1 free */
};

static int replay(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "uinput-touch: %s: %s\n", path, strerror(errno));
		return -1;
	}
	struct slot slots[SLOTS];
	for (int i = 0; i < SLOTS; i++)
		slots[i].id = -1;
	static int tracking = 1;
	struct timespec start;
	clock_gettime(CLOCK_MONOTONIC, &start);
	long t0 = -1, last = -1;
	bool pending = false;
	double per_unit = RES; /* device units per trace unit */
	char line[256];
	while (fgets(line, sizeof(line), f)) {
		long t;
		char what[16];
		int id = 0;
		double x = 0, y = 0, major = 0, minor = 0, upm;
		if (sscanf(line, "# units_per_mm: %lf", &upm) == 1 && upm > 0)
			per_unit = RES / upm;
		int n = sscanf(line, "%ld %15s %d %lf %lf %lf %lf", &t, what, &id,
			&x, &y, &major, &minor);
		if (n < 2 || line[0] == '#')
			continue;
		if (n < 7)
			minor = major;
		if (t0 < 0)
			t0 = t;
		if (t != last && pending) {
			emit(EV_SYN, SYN_REPORT, 0);
			pending = false;
		}
		sleep_until(&start, t - t0);
		last = t;
		int s = -1;
		for (int i = 0; i < SLOTS; i++)
			if (slots[i].id == id)
				s = i;
		if (strcmp(what, "down") == 0 && s < 0) {
			/* From the top, so device slots differ from libinput's
			 * seat slots, as on many controllers. */
			for (int i = SLOTS - 1; i >= 0 && s < 0; i--)
				if (slots[i].id < 0)
					s = i;
			if (s < 0)
				continue;
			bool first = true;
			for (int i = 0; i < SLOTS; i++)
				first &= slots[i].id < 0;
			slots[s].id = id;
			emit(EV_ABS, ABS_MT_SLOT, s);
			emit(EV_ABS, ABS_MT_TRACKING_ID, tracking++);
			emit(EV_ABS, ABS_MT_POSITION_X, (int)x);
			emit(EV_ABS, ABS_MT_POSITION_Y, (int)y);
			emit(EV_ABS, ABS_MT_TOUCH_MAJOR, lround(major * per_unit));
			emit(EV_ABS, ABS_MT_TOUCH_MINOR, lround(minor * per_unit));
			emit(EV_ABS, ABS_MT_TOOL_TYPE, MT_TOOL_FINGER);
			if (first)
				emit(EV_KEY, BTN_TOUCH, 1);
			emit(EV_ABS, ABS_X, (int)x);
			emit(EV_ABS, ABS_Y, (int)y);
			pending = true;
		} else if (strcmp(what, "motion") == 0 && s >= 0) {
			emit(EV_ABS, ABS_MT_SLOT, s);
			emit(EV_ABS, ABS_MT_POSITION_X, (int)x);
			emit(EV_ABS, ABS_MT_POSITION_Y, (int)y);
			if (n >= 6) {
				emit(EV_ABS, ABS_MT_TOUCH_MAJOR, lround(major * per_unit));
				emit(EV_ABS, ABS_MT_TOUCH_MINOR, lround(minor * per_unit));
			}
			emit(EV_ABS, ABS_X, (int)x);
			emit(EV_ABS, ABS_Y, (int)y);
			pending = true;
		} else if (strcmp(what, "palm") == 0 && s >= 0) {
			emit(EV_ABS, ABS_MT_SLOT, s);
			emit(EV_ABS, ABS_MT_TOOL_TYPE, MT_TOOL_PALM);
			pending = true;
		} else if ((strcmp(what, "up") == 0 ||
				strcmp(what, "cancel") == 0) && s >= 0) {
			slots[s].id = -1;
			emit(EV_ABS, ABS_MT_SLOT, s);
			emit(EV_ABS, ABS_MT_TRACKING_ID, -1);
			bool none = true;
			for (int i = 0; i < SLOTS; i++)
				none &= slots[i].id < 0;
			if (none)
				emit(EV_KEY, BTN_TOUCH, 0);
			pending = true;
		}
	}
	if (pending)
		emit(EV_SYN, SYN_REPORT, 0);
	fclose(f);
	return 0;
}

int main(int argc, char *argv[])
{
	int w = 976, h = 596;
	const char *name = "verso-test-touchscreen";
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--size") == 0 && i + 1 < argc) {
			if (sscanf(argv[++i], "%dx%d", &w, &h) != 2 || w < 2 || h < 2) {
				fprintf(stderr, "uinput-touch: --size wants WxH\n");
				return 2;
			}
		} else if (strcmp(argv[i], "--name") == 0 && i + 1 < argc) {
			name = argv[++i];
		} else {
			fprintf(stderr, "Usage: uinput-touch [--size WxH] "
				"[--name NAME] < trace-paths\n");
			return 2;
		}
	}
	fd = open("/dev/uinput", O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		perror("uinput-touch: /dev/uinput");
		return 1;
	}
	ioctl(fd, UI_SET_EVBIT, EV_KEY);
	ioctl(fd, UI_SET_KEYBIT, BTN_TOUCH);
	ioctl(fd, UI_SET_EVBIT, EV_ABS);
	ioctl(fd, UI_SET_PROPBIT, INPUT_PROP_DIRECT);
	/* About 10 units/mm: a 98x60 mm panel, like the rear display. */
	abs_setup(ABS_X, w - 1, RES);
	abs_setup(ABS_Y, h - 1, RES);
	abs_setup(ABS_MT_SLOT, SLOTS - 1, 0);
	abs_setup(ABS_MT_TRACKING_ID, 65535, 0);
	abs_setup(ABS_MT_TOOL_TYPE, MT_TOOL_MAX, 0);
	abs_setup(ABS_MT_POSITION_X, w - 1, RES);
	abs_setup(ABS_MT_POSITION_Y, h - 1, RES);
	/* Up to the diagonal, in surface units (multi-touch-protocol.rst). */
	int diag = (int)ceil(hypot(w, h));
	abs_setup(ABS_MT_TOUCH_MAJOR, diag, RES);
	abs_setup(ABS_MT_TOUCH_MINOR, diag, RES);
	struct uinput_setup setup = {
		.id = { .bustype = BUS_VIRTUAL, .vendor = 0x7665, .product = 0x0001 },
	};
	snprintf(setup.name, sizeof(setup.name), "%s", name);
	if (ioctl(fd, UI_DEV_SETUP, &setup) < 0 || ioctl(fd, UI_DEV_CREATE) < 0) {
		perror("uinput-touch: UI_DEV_CREATE");
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	char path[4096];
	int ret = 0;
	while (fgets(path, sizeof(path), stdin)) {
		path[strcspn(path, "\n")] = '\0';
		if (!path[0])
			continue;
		if (replay(path) < 0)
			ret = 1;
		printf("done %s\n", path);
		fflush(stdout);
	}
	ioctl(fd, UI_DEV_DESTROY);
	close(fd);
	return ret;
}
