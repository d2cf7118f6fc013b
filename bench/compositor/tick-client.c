// SPDX-License-Identifier: MIT
/*
 * tick-client: the benchmark's Wayland client. It draws one frame per frame
 * callback, like an animation, and damages either the whole buffer or only a
 * small square (a ticking clock hand), so the compositor's cost per frame can
 * be compared between full and small-region updates.
 *
 *   --size WxH       draw a WxH buffer whatever the compositor configures
 *                    (like weston-simple-shm), not fullscreen; by default
 *                    the window asks for fullscreen and uses the configured
 *                    size
 *   --region N       change and damage only an NxN square each frame
 *                    (default: redraw and damage the whole buffer)
 *   --duration S     stop S seconds after the first commit (default 5)
 *   --first-frame    stop once the first frame callback arrives
 *   --static         commit one frame, then idle until the duration is over
 *   --out FILE       write the result line to FILE instead of stdout
 *
 * Result, one line:
 *   tick: frames=N seconds=S fps=F width=W height=H first_frame_ms=T
 * frames counts commits made from frame callbacks (plus the first one), so
 * it is the number of frames the compositor drew for this client.
 * first_frame_ms is the time from $VERSO_BENCH_T0_NS (CLOCK_REALTIME
 * nanoseconds, set by the benchmark just before it starts the compositor)
 * to the frame callback of the first commit; -1 without the variable.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "shm.h"
#include "toplevel.h"

#define STARTUP_MS 20000

struct tick {
	int32_t fixed_w, fixed_h; /* 0: configured size */
	int32_t region;           /* 0: full damage */
	double duration;
	bool first_frame_only;
	bool is_static;
	const char *out;

	struct verso_client client;
	struct verso_pool pool;
	struct wl_callback *frame_cb;
	bool want_frame;
	bool failed;
	bool done;
	uint64_t frames;
	uint64_t first_commit_ns, last_ns;
	int64_t t0_ns; /* CLOCK_REALTIME, -1 when unknown */
	double first_frame_ms;
	int32_t w, h;
};

static volatile sig_atomic_t quit;

static void on_signal(int sig)
{
	quit = 1;
}

static uint64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static int64_t real_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

static void fill_rect(struct verso_buffer *b, int32_t x0, int32_t y0,
		int32_t w, int32_t h, uint32_t colour)
{
	for (int32_t y = y0; y < y0 + h && y < b->height; y++) {
		uint32_t *row = (uint32_t *)((uint8_t *)b->data +
			(size_t)y * b->stride);
		for (int32_t x = x0; x < x0 + w && x < b->width; x++)
			row[x] = colour;
	}
}

static void frame_done(void *data, struct wl_callback *cb, uint32_t time);

static const struct wl_callback_listener frame_listener = {
	.done = frame_done,
};

static void draw(struct tick *t)
{
	struct verso_client *c = &t->client;
	if (t->done || t->failed || !c->configured)
		return;
	int32_t w = t->fixed_w ? t->fixed_w : c->width;
	int32_t h = t->fixed_h ? t->fixed_h : c->height;
	struct verso_buffer *b = verso_pool_next(&t->pool, w, h);
	if (!b) {
		if (errno == EBUSY) {
			t->want_frame = true;
			return;
		}
		fprintf(stderr, "tick-client: cannot allocate %dx%d: %s\n",
			w, h, strerror(errno));
		t->failed = true;
		return;
	}
	t->want_frame = false;
	/* The hand: a square left of the centre, colour changes each frame. */
	int32_t n = t->region < w && t->region < h ? t->region : 0;
	int32_t rx = w / 2 - n, ry = h / 2 - n / 2;
	uint32_t hand = (t->frames & 1) ? 0xffe0e0e0 : 0xff202020;
	bool full = !n || !b->drawn || t->w != w || t->h != h;
	if (!n) {
		/* Whole buffer: a flat colour that changes every frame. */
		uint32_t v = (uint32_t)(t->frames * 3) & 0xff;
		fill_rect(b, 0, 0, w, h, 0xff000000 | v << 16 | (255 - v) << 8 | 0x40);
	} else {
		if (!b->drawn)
			fill_rect(b, 0, 0, w, h, 0xff103050);
		fill_rect(b, rx, ry, n, n, hand);
	}
	b->drawn = true;
	if (t->w != w || t->h != h)
		verso_client_set_opaque(c);
	t->w = w;
	t->h = h;
	wl_surface_attach(c->surface, b->wl_buffer, 0, 0);
	if (full)
		wl_surface_damage_buffer(c->surface, 0, 0, w, h);
	else
		wl_surface_damage_buffer(c->surface, rx, ry, n, n);
	t->frame_cb = wl_surface_frame(c->surface);
	wl_callback_add_listener(t->frame_cb, &frame_listener, t);
	wl_surface_commit(c->surface);
	t->frames++;
	if (!t->first_commit_ns)
		t->first_commit_ns = mono_ns();
}

static void frame_done(void *data, struct wl_callback *cb, uint32_t time)
{
	struct tick *t = data;
	wl_callback_destroy(cb);
	t->frame_cb = NULL;
	t->last_ns = mono_ns();
	if (t->first_frame_ms < 0 && t->t0_ns >= 0)
		t->first_frame_ms = (real_ns() - t->t0_ns) / 1e6;
	if (t->first_frame_only || t->is_static) {
		t->done = t->first_frame_only;
		return;
	}
	if (t->last_ns >= t->first_commit_ns + (uint64_t)(t->duration * 1e9)) {
		t->done = true;
		return;
	}
	draw(t);
}

static void on_release(void *data)
{
	struct tick *t = data;
	if (t->want_frame)
		draw(t);
}

static void on_configure(struct verso_client *c, void *data)
{
	struct tick *t = data;
	if (t->frames == 0)
		draw(t);
}

static const struct verso_client_listener listener = {
	.configure = on_configure,
};

static int parse(int argc, char *argv[], struct tick *t)
{
	static const struct option opts[] = {
		{ "size", required_argument, NULL, 's' },
		{ "region", required_argument, NULL, 'r' },
		{ "duration", required_argument, NULL, 'd' },
		{ "first-frame", no_argument, NULL, 'f' },
		{ "static", no_argument, NULL, 'S' },
		{ "out", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{0},
	};
	int c;
	char *end;
	t->duration = 5;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (sscanf(optarg, "%dx%d", &t->fixed_w, &t->fixed_h) != 2 ||
					t->fixed_w <= 0 || t->fixed_h <= 0 ||
					t->fixed_w > 8192 || t->fixed_h > 8192) {
				fprintf(stderr, "tick-client: --size wants WxH\n");
				return 1;
			}
			break;
		case 'r':
			t->region = (int32_t)strtol(optarg, &end, 10);
			if (*end || t->region <= 0 || t->region > 4096) {
				fprintf(stderr, "tick-client: --region wants N > 0\n");
				return 1;
			}
			break;
		case 'd':
			t->duration = strtod(optarg, &end);
			if (*end || !(t->duration > 0) || t->duration > 86400) {
				fprintf(stderr, "tick-client: --duration wants seconds\n");
				return 1;
			}
			break;
		case 'f':
			t->first_frame_only = true;
			break;
		case 'S':
			t->is_static = true;
			break;
		case 'o':
			t->out = optarg;
			break;
		case 'h':
			printf("Usage: tick-client [--size WxH] [--region N] "
				"[--duration S] [--first-frame] [--static]\n"
				"                   [--out FILE]\n");
			return 0;
		default:
			return 1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "tick-client: unexpected argument \"%s\"\n",
			argv[optind]);
		return 1;
	}
	return -1;
}

int main(int argc, char *argv[])
{
	struct tick t = { .first_frame_ms = -1, .t0_ns = -1 };
	int ret = parse(argc, argv, &t);
	if (ret >= 0)
		return ret;
	const char *t0 = getenv("VERSO_BENCH_T0_NS");
	if (t0 && *t0)
		t.t0_ns = strtoll(t0, NULL, 10);

	struct sigaction sa = { .sa_handler = on_signal };
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	const struct verso_client_options copts = {
		.title = "tick-client",
		.app_id = "tick-client",
		.default_width = t.fixed_w ? t.fixed_w : 976,
		.default_height = t.fixed_h ? t.fixed_h : 596,
		.fullscreen = t.fixed_w == 0,
	};
	if (verso_client_init(&t.client, &copts, &listener, &t) < 0) {
		verso_client_finish(&t.client);
		return 1;
	}
	verso_pool_init(&t.pool, t.client.shm, WL_SHM_FORMAT_XRGB8888, 3);
	t.pool.release = on_release;
	t.pool.data = &t;

	uint64_t start = mono_ns();
	ret = 0;
	while (!t.done && !t.failed && !t.client.closed && !quit) {
		uint64_t now = mono_ns();
		if (!t.first_commit_ns && now > start + STARTUP_MS * 1000000ull) {
			fprintf(stderr, "tick-client: not configured within %d s\n",
				STARTUP_MS / 1000);
			ret = 1;
			break;
		}
		int timeout = 100;
		if (verso_client_dispatch(&t.client, NULL, 0, timeout) < 0) {
			ret = 1;
			break;
		}
		/*
		 * Static: idle until the duration is over. Animating: a
		 * compositor may stop sending frame callbacks (hidden window).
		 */
		if (t.first_commit_ns && !t.first_frame_only &&
				mono_ns() > t.first_commit_ns + (uint64_t)
				((t.duration + (t.is_static ? 0 : 2)) * 1e9))
			break;
	}
	if (t.failed)
		ret = 1;

	double secs = t.last_ns > t.first_commit_ns ?
		(t.last_ns - t.first_commit_ns) / 1e9 : 0;
	FILE *f = t.out ? fopen(t.out, "w") : stdout;
	if (!f) {
		fprintf(stderr, "tick-client: %s: %s\n", t.out, strerror(errno));
		f = stdout;
	}
	fprintf(f, "tick: frames=%llu seconds=%.3f fps=%.1f width=%d height=%d "
		"first_frame_ms=%.1f\n", (unsigned long long)t.frames, secs,
		secs > 0 ? (t.frames - 1) / secs : 0.0, t.w, t.h,
		t.first_frame_ms);
	if (f != stdout)
		fclose(f);
	fflush(stdout);

	if (t.frame_cb)
		wl_callback_destroy(t.frame_cb);
	verso_pool_finish(&t.pool);
	verso_client_finish(&t.client);
	return ret;
}
