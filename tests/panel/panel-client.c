// SPDX-License-Identifier: MIT
/*
 * panel-client: drive the rear pipe through a scripted list of steps, as
 * one DRM master, for the panel sequencing tests (tests/vm/4x-panel-*.sh).
 *
 *   panel-client [-c CONNECTOR] STEP...
 *
 * Steps:
 *   on        light the connector's preferred mode (blocking modeset)
 *   flip      commit a new framebuffer with a flip event and wait for it
 *   off       switch every CRTC and plane off (blocking modeset)
 *   sleep:MS  wait MS milliseconds without committing
 *
 * Each step prints one line "panel-client: STEP ok" with a CLOCK_MONOTONIC
 * time in microseconds, or fails with exit status 1.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xf86drm.h>
#include <xf86drmMode.h>
#include <drm_fourcc.h>

#include "../kms/kms-util.h"

static int flip_done;

static void on_flip(int fd, unsigned int seq, unsigned int sec,
	unsigned int usec, unsigned int crtc_id, void *data)
{
	(void)fd; (void)seq; (void)sec; (void)usec; (void)crtc_id; (void)data;
	flip_done = 1;
}

static int do_flip(int fd, const struct kms_pipe *pipe, uint32_t fb_id)
{
	drmModeAtomicReq *req = drmModeAtomicAlloc();
	drmEventContext ev = { .version = 3, .page_flip_handler2 = on_flip };
	int ret;

	kms_req_add(req, fd, pipe->primary, DRM_MODE_OBJECT_PLANE, "FB_ID", fb_id);
	flip_done = 0;
	ret = kms_commit(fd, req, DRM_MODE_PAGE_FLIP_EVENT | DRM_MODE_ATOMIC_NONBLOCK);
	drmModeAtomicFree(req);
	while (!ret && !flip_done)
		ret = kms_handle_event(fd, &ev, 2000);
	return ret;
}

int main(int argc, char **argv)
{
	const char *connector = "DSI-2";
	struct kms_pipe pipe;
	struct kms_fb fb[2];
	int opt, fd, ret, cur = 0;

	while ((opt = getopt(argc, argv, "c:")) != -1) {
		if (opt != 'c') {
			fprintf(stderr, "usage: panel-client [-c CONNECTOR] STEP...\n");
			return 2;
		}
		connector = optarg;
	}

	fd = kms_open_driver("verso");
	if (fd < 0) {
		fprintf(stderr, "panel-client: no verso device\n");
		return 1;
	}
	if (drmSetClientCap(fd, DRM_CLIENT_CAP_UNIVERSAL_PLANES, 1) ||
	    drmSetClientCap(fd, DRM_CLIENT_CAP_ATOMIC, 1)) {
		perror("panel-client: atomic");
		return 1;
	}
	ret = kms_pipe_find(fd, connector, &pipe);
	if (ret) {
		fprintf(stderr, "panel-client: %s: %s\n", connector, strerror(-ret));
		return 1;
	}
	for (int i = 0; i < 2; i++) {
		if (kms_fb_create(fd, pipe.mode.hdisplay, pipe.mode.vdisplay,
				DRM_FORMAT_XRGB8888, &fb[i])) {
			fprintf(stderr, "panel-client: cannot create framebuffers\n");
			return 1;
		}
		kms_fb_fill(&fb[i], 0, 0, pipe.mode.hdisplay, pipe.mode.vdisplay,
			i ? 0xff408020 : 0xff204080);
	}

	for (int i = optind; i < argc; i++) {
		const char *step = argv[i];

		if (!strcmp(step, "on")) {
			ret = kms_pipe_enable(fd, &pipe, NULL, fb[cur].fb_id);
		} else if (!strcmp(step, "flip")) {
			cur ^= 1;
			ret = do_flip(fd, &pipe, fb[cur].fb_id);
		} else if (!strcmp(step, "off")) {
			ret = kms_reset(fd);
		} else if (!strncmp(step, "sleep:", 6)) {
			usleep((useconds_t)atoi(step + 6) * 1000);
			ret = 0;
		} else {
			fprintf(stderr, "panel-client: unknown step '%s'\n", step);
			return 2;
		}
		if (ret) {
			fprintf(stderr, "panel-client: %s failed: %s\n", step, strerror(-ret));
			return 1;
		}
		printf("panel-client: %s ok t_us=%llu\n", step,
			(unsigned long long)(kms_now_ns() / 1000));
		fflush(stdout);
	}

	kms_fb_destroy(fd, &fb[0]);
	kms_fb_destroy(fd, &fb[1]);
	close(fd);
	return 0;
}
