// SPDX-License-Identifier: MIT
/*
 * kms-hold: a KMS client that keeps the device busy, for the unload tests
 * (tests/vm/52-kms-unload-open.sh). It lights the rear pipe with a mapped
 * dumb buffer, prints "ready", then flips every 50 ms until SIGTERM/SIGINT,
 * when it turns the pipe off and exits 0. It exits 1 as soon as an ioctl
 * fails, so a driver pulled from under it shows.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <drm_fourcc.h>
#include "kms-util.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = 1;
}

int main(void)
{
	struct kms_dev dev;
	struct kms_pipe pipe;
	if (kms_dev_open(&dev) || kms_pipe_find(dev.fd, kms_dev_connector(&dev), &pipe)) {
		fprintf(stderr, "kms-hold: no device or pipe\n");
		return 1;
	}
	struct kms_fb fb[2];
	if (kms_fb_create(dev.fd, pipe.mode.hdisplay, pipe.mode.vdisplay,
			DRM_FORMAT_XRGB8888, &fb[0]) ||
	    kms_fb_create(dev.fd, pipe.mode.hdisplay, pipe.mode.vdisplay,
			DRM_FORMAT_XRGB8888, &fb[1]) ||
	    kms_pipe_enable(dev.fd, &pipe, NULL, fb[0].fb_id)) {
		fprintf(stderr, "kms-hold: cannot light %s: %s\n", pipe.name, strerror(errno));
		return 1;
	}
	struct sigaction sa = { .sa_handler = on_signal };
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	printf("ready\n");
	fflush(stdout);
	unsigned long flips = 0;
	drmEventContext ev = { .version = 2 };
	while (!stop) {
		kms_fb_fill(&fb[flips % 2], 0, 0, 16, 16, 0xff000000 | (uint32_t)flips);
		if (drmModePageFlip(dev.fd, pipe.crtc_id, fb[flips % 2].fb_id,
				DRM_MODE_PAGE_FLIP_EVENT, NULL)) {
			if (errno == EINTR && stop)
				break;
			fprintf(stderr, "kms-hold: flip %lu: %s\n", flips, strerror(errno));
			return 1;
		}
		if (kms_handle_event(dev.fd, &ev, 2000) && !stop) {
			fprintf(stderr, "kms-hold: no flip event\n");
			return 1;
		}
		flips++;
		struct timespec ts = { 0, 50000000 };
		nanosleep(&ts, NULL);
	}
	kms_reset(dev.fd);
	kms_fb_destroy(dev.fd, &fb[0]);
	kms_fb_destroy(dev.fd, &fb[1]);
	close(dev.fd);
	printf("kms-hold: %lu flips\n", flips);
	return 0;
}
