// SPDX-License-Identifier: MIT
/*
 * vblank-bench: vblank period accuracy and flip-to-event latency on one KMS
 * pipe, for bench/kms/run.sh.
 *
 *   vblank-bench [-d DRIVER] [-c CONNECTOR] [-r HZ] [-n SAMPLES]
 *
 * Lights the connector (DSI-2 on verso, Virtual-1 elsewhere) in its preferred
 * mode, or the mode of that size at HZ, then:
 *  - waits SAMPLES times for the next vblank (drmWaitVBlank, relative 1) and
 *    compares each timestamp delta, divided by its sequence delta, with the
 *    mode's frame time (computed from the pixel clock and totals);
 *  - page-flips SAMPLES times with an event and measures, on
 *    CLOCK_MONOTONIC, the time from the flip ioctl to the event being read,
 *    and the event timestamp deltas.
 * Prints "key value" lines. It measures; it never judges.
 */
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <drm_fourcc.h>
#include "kms-util.h"

struct stats {
	double sum, sumsq, min, max;
	unsigned int n;
	double *v;
};

static void add(struct stats *s, double x)
{
	if (s->n == 0 || x < s->min)
		s->min = x;
	if (s->n == 0 || x > s->max)
		s->max = x;
	s->sum += x;
	s->sumsq += x * x;
	s->v[s->n++] = x;
}

static double mean(const struct stats *s)
{
	return s->n ? s->sum / s->n : 0;
}

static double stddev(const struct stats *s)
{
	if (s->n < 2)
		return 0;
	double m = mean(s);
	double var = (s->sumsq - s->n * m * m) / (s->n - 1);
	return var > 0 ? sqrt(var) : 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double pct(struct stats *s, double p)
{
	if (!s->n)
		return 0;
	qsort(s->v, s->n, sizeof(double), cmp_double);
	unsigned int i = (unsigned int)(p / 100.0 * (s->n - 1) + 0.5);
	return s->v[i];
}

struct flip_state {
	uint64_t done_ns, event_ns;
	unsigned int seq;
	int done;
};

static void on_flip(int fd, unsigned int seq, unsigned int sec,
	unsigned int usec, void *data)
{
	struct flip_state *st = data;
	st->done_ns = kms_now_ns();
	st->event_ns = (uint64_t)sec * 1000000000ull + usec * 1000ull;
	st->seq = seq;
	st->done = 1;
}

int main(int argc, char **argv)
{
	const char *driver = getenv("KMS_DRIVER") ? getenv("KMS_DRIVER") : "verso";
	const char *connector = NULL;
	unsigned int hz = 0, samples = 240;
	int opt;
	while ((opt = getopt(argc, argv, "d:c:r:n:")) != -1) {
		switch (opt) {
		case 'd': driver = optarg; break;
		case 'c': connector = optarg; break;
		case 'r': hz = (unsigned int)atoi(optarg); break;
		case 'n': samples = (unsigned int)atoi(optarg); break;
		default:
			fprintf(stderr, "usage: %s [-d DRIVER] [-c CONNECTOR] [-r HZ] [-n SAMPLES]\n",
				argv[0]);
			return 2;
		}
	}
	if (!connector)
		connector = strcmp(driver, "verso") == 0 ? "DSI-2" : "Virtual-1";
	setenv("KMS_DRIVER", driver, 1);
	setenv("KMS_CONNECTOR", connector, 1);
	struct kms_dev dev;
	struct kms_pipe pipe;
	if (kms_dev_open(&dev) || kms_pipe_find(dev.fd, connector, &pipe)) {
		fprintf(stderr, "no %s connector on %s\n", connector, driver);
		return 1;
	}
	drmModeModeInfo mode = pipe.mode;
	if (hz) {
		drmModeConnector *conn = drmModeGetConnector(dev.fd, pipe.conn_id);
		bool found = false;
		for (int m = 0; conn && m < conn->count_modes && !found; m++)
			if (conn->modes[m].hdisplay == mode.hdisplay &&
			    conn->modes[m].vdisplay == mode.vdisplay &&
			    conn->modes[m].vrefresh == hz) {
				mode = conn->modes[m];
				found = true;
			}
		drmModeFreeConnector(conn);
		if (!found) {
			fprintf(stderr, "no %u Hz mode on %s\n", hz, connector);
			return 1;
		}
	}
	struct kms_fb fb[2];
	if (kms_fb_create(dev.fd, mode.hdisplay, mode.vdisplay, DRM_FORMAT_XRGB8888, &fb[0]) ||
	    kms_fb_create(dev.fd, mode.hdisplay, mode.vdisplay, DRM_FORMAT_XRGB8888, &fb[1]) ||
	    kms_reset(dev.fd) || kms_pipe_enable(dev.fd, &pipe, &mode, fb[0].fb_id)) {
		fprintf(stderr, "cannot light %s: %s\n", connector, strerror(errno));
		return 1;
	}
	kms_fb_fill(&fb[1], 0, 0, mode.hdisplay, mode.vdisplay, 0xffffffff);
	const double frame_us = 1e9 / kms_mode_refresh_mhz(&mode);
	printf("driver %s\nconnector %s\nmode %ux%u@%u\nnominal_frame_us %.3f\n",
		driver, connector, mode.hdisplay, mode.vdisplay, mode.vrefresh, frame_us);

	/* Vblank waits. */
	uint32_t type = DRM_VBLANK_RELATIVE;
	if (pipe.crtc_index == 1)
		type |= DRM_VBLANK_SECONDARY;
	else if (pipe.crtc_index > 1)
		type |= pipe.crtc_index << DRM_VBLANK_HIGH_CRTC_SHIFT;
	struct stats period = { .v = calloc(samples, sizeof(double)) };
	unsigned int missed = 0, prev_seq = 0;
	uint64_t prev_ns = 0;
	for (unsigned int i = 0; i <= samples; i++) {
		drmVBlank vbl = { .request = { .type = type, .sequence = 1 } };
		if (drmWaitVBlank(dev.fd, &vbl)) {
			perror("drmWaitVBlank");
			return 1;
		}
		uint64_t ns = (uint64_t)vbl.reply.tval_sec * 1000000000ull +
			vbl.reply.tval_usec * 1000ull;
		if (i) {
			unsigned int d = vbl.reply.sequence - prev_seq;
			if (d == 0)
				d = 1;
			missed += d - 1;
			add(&period, (ns - prev_ns) / 1e3 / d);
		}
		prev_seq = vbl.reply.sequence;
		prev_ns = ns;
	}
	printf("vblank_samples %u\nvblank_period_mean_us %.3f\nvblank_period_err_ppm %.1f\n"
		"vblank_period_stddev_us %.3f\nvblank_period_min_us %.3f\n"
		"vblank_period_max_us %.3f\nvblank_missed %u\n",
		period.n, mean(&period), (mean(&period) - frame_us) / frame_us * 1e6,
		stddev(&period), period.min, period.max, missed);

	/* Flips. */
	struct stats lat = { .v = calloc(samples, sizeof(double)) };
	struct stats fperiod = { .v = calloc(samples, sizeof(double)) };
	drmEventContext ev = { .version = 2, .page_flip_handler = on_flip };
	unsigned int fmissed = 0;
	prev_ns = 0;
	for (unsigned int i = 0; i < samples; i++) {
		struct flip_state st = { 0 };
		uint64_t t0 = kms_now_ns();
		if (drmModePageFlip(dev.fd, pipe.crtc_id, fb[(i + 1) % 2].fb_id,
				DRM_MODE_PAGE_FLIP_EVENT, &st)) {
			perror("drmModePageFlip");
			return 1;
		}
		while (!st.done) {
			struct pollfd pfd = { .fd = dev.fd, .events = POLLIN };
			if (poll(&pfd, 1, 5000) <= 0) {
				fprintf(stderr, "flip event timed out\n");
				return 1;
			}
			drmHandleEvent(dev.fd, &ev);
		}
		add(&lat, (st.done_ns - t0) / 1e3);
		if (i) {
			unsigned int d = st.seq - prev_seq;
			if (d == 0)
				d = 1;
			fmissed += d - 1;
			add(&fperiod, (st.event_ns - prev_ns) / 1e3 / d);
		}
		prev_seq = st.seq;
		prev_ns = st.event_ns;
	}
	printf("flip_samples %u\nflip_latency_mean_us %.1f\nflip_latency_stddev_us %.1f\n"
		"flip_latency_min_us %.1f\nflip_latency_p50_us %.1f\nflip_latency_p99_us %.1f\n"
		"flip_latency_max_us %.1f\nflip_ts_period_err_ppm %.1f\n"
		"flip_ts_period_stddev_us %.3f\nflip_frames_skipped %u\n",
		lat.n, mean(&lat), stddev(&lat), lat.min, pct(&lat, 50), pct(&lat, 99),
		lat.max, (mean(&fperiod) - frame_us) / frame_us * 1e6, stddev(&fperiod),
		fmissed);
	kms_reset(dev.fd);
	kms_fb_destroy(dev.fd, &fb[0]);
	kms_fb_destroy(dev.fd, &fb[1]);
	close(dev.fd);
	return 0;
}
