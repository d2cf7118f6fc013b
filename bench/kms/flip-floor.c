// SPDX-License-Identifier: MIT
/*
 * flip-floor: what one small-region frame costs on a KMS pipe with no
 * compositor at all, for bench/compositor's DRM part.
 *
 *   flip-floor [-d DRIVER] [-c CONNECTOR] [-n FRAMES]
 *
 * A compositor showing a client's 32x32 update must, at the very least,
 * wake for the client's commit, update the square in a framebuffer, commit
 * it to the plane and wake again for the flip event, then answer the
 * client. This program does exactly that with raw libdrm, the client being
 * a forked process on a socketpair, in three variants:
 *   flip    one nonblocking atomic flip and its event per frame, no client;
 *   client  the same with the client round trip: the floor of any
 *           compositor on this pipe;
 *   wlr     the client round trip plus what wlroots 0.15's DRM backend
 *           adds per commit: a TEST_ONLY commit before the real one, and
 *           an FB_DAMAGE_CLIPS blob created and destroyed for each.
 * Prints "floor_VARIANT_us CPU-microseconds-per-frame" lines: the CPU time
 * of this process (user and system; the client is another process), over
 * FRAMES frames. It measures; it never judges.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <drm_fourcc.h>
#include "kms-util.h"

#define SQUARE 32

enum variant { FLIP, CLIENT, WLR };

struct floor {
	int fd;
	struct kms_pipe pipe;
	struct kms_fb fb[2];
	uint32_t fb_id_prop, damage_prop;
	int client; /* socket to the client process, or -1 */
	unsigned int frame;
	bool flipped;
};

static void on_flip(int fd, unsigned int seq, unsigned int sec,
	unsigned int usec, void *data)
{
	struct floor *f = data;

	f->flipped = true;
}

static int wait_readable(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int n = poll(&pfd, 1, 5000);

	return n == 1 ? 0 : n == 0 ? -ETIMEDOUT : -errno;
}

/* One atomic commit of the back buffer, with its damage blob in WLR mode. */
static int commit(struct floor *f, struct kms_fb *fb, const struct drm_mode_rect *clip,
	bool damage, uint32_t flags)
{
	drmModeAtomicReq *req = drmModeAtomicAlloc();
	uint32_t blob = 0;
	int ret;

	if (!req)
		return -ENOMEM;
	drmModeAtomicAddProperty(req, f->pipe.primary, f->fb_id_prop, fb->fb_id);
	if (damage) {
		ret = drmModeCreatePropertyBlob(f->fd, clip, sizeof(*clip), &blob);
		if (ret) {
			drmModeAtomicFree(req);
			return -errno;
		}
		drmModeAtomicAddProperty(req, f->pipe.primary, f->damage_prop, blob);
	}
	ret = drmModeAtomicCommit(f->fd, req, flags, f) ? -errno : 0;
	drmModeAtomicFree(req);
	if (blob)
		drmModeDestroyPropertyBlob(f->fd, blob);
	return ret;
}

static int frame(struct floor *f, enum variant v)
{
	drmEventContext ev = { .version = 2, .page_flip_handler = on_flip };
	struct kms_fb *back = &f->fb[++f->frame % 2];
	uint32_t x = (f->frame * 7) % (back->width - SQUARE);
	struct drm_mode_rect clip = { (int32_t)x, 0, (int32_t)x + SQUARE, SQUARE };
	char byte = 0;
	int ret;

	if (v != FLIP) {
		ret = wait_readable(f->client);
		if (ret || read(f->client, &byte, 1) != 1)
			return ret ? ret : -EPIPE;
	}
	kms_fb_fill(back, x, 0, SQUARE, SQUARE, f->frame & 1 ? 0xffffffff : 0xff3366cc);
	bool damage = v == WLR && f->damage_prop;

	if (v == WLR) {
		ret = commit(f, back, &clip, damage, DRM_MODE_ATOMIC_TEST_ONLY |
			DRM_MODE_ATOMIC_NONBLOCK);
		if (ret)
			return ret;
	}
	ret = commit(f, back, &clip, damage, DRM_MODE_ATOMIC_NONBLOCK | DRM_MODE_PAGE_FLIP_EVENT);
	if (ret)
		return ret;
	for (f->flipped = false; !f->flipped;) {
		ret = wait_readable(f->fd);
		if (ret)
			return ret;
		drmHandleEvent(f->fd, &ev);
	}
	if (v != FLIP && write(f->client, &byte, 1) != 1)
		return -EPIPE;
	return 0;
}

/* The client: commits, then waits for its frame callback, until EOF. */
static void client(int sock)
{
	char byte = 0;

	while (write(sock, &byte, 1) == 1 && read(sock, &byte, 1) == 1)
		;
	_exit(0);
}

static double cpu_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int run(struct floor *f, enum variant v, unsigned int frames,
	double *us)
{
	int sv[2] = { -1, -1 };
	pid_t pid = -1;
	int ret = 0;

	if (v != FLIP) {
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
			return -errno;
		pid = fork();
		if (pid == 0) {
			close(sv[0]);
			client(sv[1]);
		}
		close(sv[1]);
		if (pid < 0) {
			close(sv[0]);
			return -errno;
		}
	}
	f->client = sv[0];
	/* A few frames first, so that the loop runs at the display's pace. */
	for (unsigned int i = 0; i < 8 && !ret; i++)
		ret = frame(f, v);
	double t0 = cpu_us();

	for (unsigned int i = 0; i < frames && !ret; i++)
		ret = frame(f, v);
	*us = (cpu_us() - t0) / frames;
	if (pid > 0) {
		close(sv[0]);
		waitpid(pid, NULL, 0);
	}
	return ret;
}

int main(int argc, char **argv)
{
	static const char *const names[] = { "flip", "client", "wlr" };
	const char *driver = "verso", *connector = NULL;
	unsigned int frames = 480;
	struct floor f = { .client = -1 };
	int opt;

	while ((opt = getopt(argc, argv, "d:c:n:")) != -1) {
		switch (opt) {
		case 'd':
			driver = optarg;
			break;
		case 'c':
			connector = optarg;
			break;
		case 'n':
			frames = (unsigned int)strtoul(optarg, NULL, 10);
			break;
		default:
			fprintf(stderr, "usage: %s [-d DRIVER] [-c CONNECTOR] [-n FRAMES]\n",
				argv[0]);
			return 2;
		}
	}
	if (frames == 0) {
		fprintf(stderr, "flip-floor: -n wants a number of frames above 0\n");
		return 2;
	}
	if (!connector)
		connector = strcmp(driver, "verso") == 0 ? "DSI-2" : "Virtual-1";
	setenv("KMS_DRIVER", driver, 1);
	struct kms_dev dev;

	if (kms_dev_open(&dev) || kms_pipe_find(dev.fd, connector, &f.pipe)) {
		fprintf(stderr, "flip-floor: no %s connector on %s\n", connector,
			driver);
		return 1;
	}
	f.fd = dev.fd;
	const drmModeModeInfo *mode = &f.pipe.mode;

	if (kms_fb_create(f.fd, mode->hdisplay, mode->vdisplay,
			DRM_FORMAT_XRGB8888, &f.fb[0]) ||
	    kms_fb_create(f.fd, mode->hdisplay, mode->vdisplay,
			DRM_FORMAT_XRGB8888, &f.fb[1]) ||
	    kms_reset(f.fd) ||
	    kms_pipe_enable(f.fd, &f.pipe, NULL, f.fb[0].fb_id)) {
		fprintf(stderr, "flip-floor: cannot light %s: %s\n", connector,
			strerror(errno));
		return 1;
	}
	f.fb_id_prop = kms_prop_id(f.fd, f.pipe.primary, DRM_MODE_OBJECT_PLANE,
		"FB_ID");
	f.damage_prop = kms_prop_id(f.fd, f.pipe.primary, DRM_MODE_OBJECT_PLANE,
		"FB_DAMAGE_CLIPS");
	signal(SIGPIPE, SIG_IGN);
	printf("floor_mode %ux%u@%u\nfloor_frames %u\nfloor_damage_clips %d\n",
		mode->hdisplay, mode->vdisplay, mode->vrefresh, frames,
		f.damage_prop != 0);
	int status = 0;

	for (enum variant v = FLIP; v <= WLR; v++) {
		double us = 0;
		int ret = run(&f, v, frames, &us);

		if (ret) {
			fprintf(stderr, "flip-floor: %s: %s\n", names[v],
				strerror(-ret));
			status = 1;
			break;
		}
		printf("floor_%s_us %.1f\n", names[v], us);
	}
	kms_reset(f.fd);
	kms_fb_destroy(f.fd, &f.fb[0]);
	kms_fb_destroy(f.fd, &f.fb[1]);
	close(f.fd);
	return status;
}
