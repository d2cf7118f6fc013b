// SPDX-License-Identifier: MIT
/*
 * present-probe: a fullscreen test client that commits a known image every
 * frame (or once, --static), collects wp_presentation feedback for every
 * commit and prints one machine-readable summary line.
 *
 * The image is a solid colour or the quadrants pattern of verso/pattern.h.
 * When animating, only the bottom row changes: it alternates between the
 * pattern and its inverse each frame, so every commit carries new content
 * while all other rows stay comparable with the reference pattern.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "verso/display.h"
#include "verso/pattern.h"
#include "dmabuf.h"
#include "idle-inhibit-unstable-v1-client-protocol.h"
#include "present-stats.h"
#include "shm.h"
#include "toplevel.h"
#include "touch-log.h"

/* Waiting for the last feedback events after the final commit. */
#define DRAIN_MS 2000
/* Waiting for the first configure (slow under emulation). */
#define STARTUP_MS 20000

struct feedback {
	struct wl_list link; /* probe.feedbacks */
	struct probe *probe;
	struct wp_presentation_feedback *wl;
	size_t frame;
	uint64_t commit_ns; /* CLOCK_MONOTONIC, for --latency */
};

struct probe {
	/* options */
	bool quadrants;
	uint32_t colour;
	double duration;
	bool animate;
	double still; /* seconds of one static frame before animating */
	const char *dmabuf_device; /* NULL: wl_shm buffers */
	double warmup; /* seconds of frames left out of the statistics */
	bool latency; /* print commit-to-present latency too */
	bool log_touch; /* print wl_touch events (touch-log.c) */
	const char *title; /* also the card title in versod */
	bool idle_inhibit; /* hold a zwp_idle_inhibitor_v1 until SIGUSR1 */
	bool inhibit_sub; /* ... on a small subsurface instead of the window */
	int buffer_transform; /* wl_output_transform 0-3: 0, 90, 180, 270 */

	struct verso_client client;
	struct verso_pool pool;
	struct probe_dmabuf dmabuf;
	struct wl_callback *frame_cb;
	struct zwp_idle_inhibit_manager_v1 *inhibit_manager;
	struct zwp_idle_inhibitor_v1 *inhibitor;
	struct wl_subcompositor *subcompositor;
	struct wl_surface *sub_surface;
	struct wl_subsurface *subsurface;
	struct verso_pool sub_pool;
	bool want_frame; /* frame callback done, waiting for a free buffer */
	bool stop;       /* duration over: no more commits */
	bool holding;    /* --still: the first frame stays until then */
	bool still_ended; /* SIGUSR1 during --still, maybe before the commit */
	bool failed;
	int32_t drawn_w, drawn_h;
	uint64_t first_commit_ms; /* the duration counts from here */
	size_t stats_from; /* first frame after the warm-up */

	struct present_frame *frames;
	size_t n_frames, cap_frames;
	struct wl_list feedbacks; /* feedback objects not yet answered */
	size_t pending;
	/* --latency: presented minus commit time, per presented frame. */
	uint64_t *lat_ns;
	size_t n_lat, cap_lat;
};

static volatile sig_atomic_t quit;

static void on_signal(int sig)
{
	quit = 1;
}

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void feedback_done(struct feedback *fb)
{
	wp_presentation_feedback_destroy(fb->wl);
	wl_list_remove(&fb->link);
	fb->probe->pending--;
	free(fb);
}

static void feedback_sync_output(void *data,
		struct wp_presentation_feedback *wl, struct wl_output *output)
{
}

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* --latency: keeps presented - commit for frames after the warm-up. */
static void record_latency(struct feedback *fb, uint64_t presented_ns)
{
	struct probe *p = fb->probe;
	if (!p->latency || fb->frame < p->stats_from ||
			presented_ns < fb->commit_ns)
		return;
	if (p->n_lat == p->cap_lat) {
		size_t cap = p->cap_lat ? p->cap_lat * 2 : 1024;
		uint64_t *l = realloc(p->lat_ns, cap * sizeof(*l));
		if (!l)
			return;
		p->lat_ns = l;
		p->cap_lat = cap;
	}
	p->lat_ns[p->n_lat++] = presented_ns - fb->commit_ns;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* "latency: n=N mean_us=N p50_us=N p99_us=N max_us=N clock=ID" */
static void print_latency(struct probe *p)
{
	uint64_t sum = 0, p50 = 0, p99 = 0, max = 0;
	if (p->n_lat) {
		qsort(p->lat_ns, p->n_lat, sizeof(*p->lat_ns), cmp_u64);
		for (size_t i = 0; i < p->n_lat; i++)
			sum += p->lat_ns[i];
		p50 = p->lat_ns[(p->n_lat - 1) / 2];
		p99 = p->lat_ns[(p->n_lat - 1) * 99 / 100];
		max = p->lat_ns[p->n_lat - 1];
	}
	printf("latency: n=%zu mean_us=%llu p50_us=%llu p99_us=%llu "
		"max_us=%llu clock=%u\n", p->n_lat,
		(unsigned long long)(p->n_lat ? sum / p->n_lat / 1000 : 0),
		(unsigned long long)(p50 / 1000),
		(unsigned long long)(p99 / 1000),
		(unsigned long long)(max / 1000),
		p->client.presentation_clock);
}

static void feedback_presented(void *data, struct wp_presentation_feedback *wl,
		uint32_t tv_sec_hi, uint32_t tv_sec_lo, uint32_t tv_nsec,
		uint32_t refresh, uint32_t seq_hi, uint32_t seq_lo,
		uint32_t flags)
{
	struct feedback *fb = data;
	struct present_frame *f = &fb->probe->frames[fb->frame];
	uint64_t sec = (uint64_t)tv_sec_hi << 32 | tv_sec_lo;
	record_latency(fb, sec * 1000000000ull + tv_nsec);
	*f = (struct present_frame){
		.state = PRESENT_PRESENTED,
		.ts_ns = sec * 1000000000ull + tv_nsec,
		.seq = (uint64_t)seq_hi << 32 | seq_lo,
		.refresh_ns = refresh,
		.flags = flags,
	};
	feedback_done(fb);
}

static void feedback_discarded(void *data, struct wp_presentation_feedback *wl)
{
	struct feedback *fb = data;
	fb->probe->frames[fb->frame].state = PRESENT_DISCARDED;
	feedback_done(fb);
}

static const struct wp_presentation_feedback_listener feedback_listener = {
	.sync_output = feedback_sync_output,
	.presented = feedback_presented,
	.discarded = feedback_discarded,
};

/* Records a new frame and asks for its presentation feedback. */
static bool track_frame(struct probe *p)
{
	if (p->n_frames == p->cap_frames) {
		size_t cap = p->cap_frames ? p->cap_frames * 2 : 1024;
		struct present_frame *frames = realloc(p->frames, cap * sizeof(*frames));
		if (!frames)
			return false;
		p->frames = frames;
		p->cap_frames = cap;
	}
	struct feedback *fb = calloc(1, sizeof(*fb));
	if (!fb)
		return false;
	fb->probe = p;
	fb->frame = p->n_frames;
	fb->commit_ns = now_ns();
	p->frames[p->n_frames++] = (struct present_frame){
		.state = PRESENT_PENDING,
	};
	fb->wl = wp_presentation_feedback(p->client.presentation,
		p->client.surface);
	wp_presentation_feedback_add_listener(fb->wl, &feedback_listener, fb);
	wl_list_insert(&p->feedbacks, &fb->link);
	p->pending++;
	return true;
}

static uint32_t pattern_at(const struct probe *p, uint32_t x, uint32_t y,
		uint32_t w, uint32_t h)
{
	return p->quadrants ? verso_pattern_quadrant(x, y, w, h) : p->colour;
}

static void fill(const struct probe *p, struct verso_buffer *buf)
{
	struct verso_image img = { .width = buf->width, .height = buf->height,
		.stride = buf->stride, .data = buf->data };
	if (p->quadrants)
		verso_pattern_fill_quadrants(&img);
	else
		verso_pattern_fill_solid(&img, p->colour);
}

/* Bottom row: the pattern on even frames, its inverse on odd frames. */
static void mark_row(const struct probe *p, struct verso_buffer *buf,
		size_t frame)
{
	uint32_t y = buf->height - 1;
	uint32_t *row = (uint32_t *)((uint8_t *)buf->data +
		(size_t)y * buf->stride);
	uint32_t flip = (frame & 1) ? 0x00ffffff : 0;
	for (int32_t x = 0; x < buf->width; x++)
		row[x] = pattern_at(p, x, y, buf->width, buf->height) ^ flip;
}

static void frame_done(void *data, struct wl_callback *cb, uint32_t time);

static const struct wl_callback_listener frame_listener = {
	.done = frame_done,
};

static void draw_frame(struct probe *p)
{
	struct verso_client *c = &p->client;
	if (p->stop || p->failed || !c->configured)
		return;

	/* A buffer turned by 90 or 270 degrees is the window turned back. */
	bool turned = p->buffer_transform % 2;
	int32_t bw = turned ? c->height : c->width;
	int32_t bh = turned ? c->width : c->height;
	struct verso_buffer *buf = p->dmabuf_device ?
		probe_dmabuf_next(&p->dmabuf, bw, bh) :
		verso_pool_next(&p->pool, bw, bh);
	if (!buf) {
		if (errno == EBUSY) {
			p->want_frame = true; /* drawn on wl_buffer.release */
			return;
		}
		fprintf(stderr, "present-probe: cannot allocate a %dx%d buffer: "
			"%s\n", bw, bh, strerror(errno));
		p->failed = true;
		return;
	}
	p->want_frame = false;

	bool full = !buf->drawn || p->drawn_w != c->width ||
		p->drawn_h != c->height;
	if (!buf->drawn) {
		fill(p, buf);
		buf->drawn = true;
	}
	if (p->animate)
		mark_row(p, buf, p->n_frames);

	if (p->first_commit_ms && now_ms() < p->first_commit_ms +
			(uint64_t)(p->warmup * 1000))
		p->stats_from = p->n_frames + 1;
	if (!track_frame(p)) {
		fprintf(stderr, "present-probe: out of memory\n");
		p->failed = true;
		return;
	}
	if (full) {
		verso_client_set_opaque(c);
		wl_surface_set_buffer_transform(c->surface,
			p->buffer_transform);
	}
	wl_surface_attach(c->surface, buf->wl_buffer, 0, 0);
	if (full)
		wl_surface_damage_buffer(c->surface, 0, 0, buf->width,
			buf->height);
	else
		wl_surface_damage_buffer(c->surface, 0, buf->height - 1,
			buf->width, 1);
	if (p->animate && !p->holding) {
		p->frame_cb = wl_surface_frame(c->surface);
		wl_callback_add_listener(p->frame_cb, &frame_listener, p);
	}
	wl_surface_commit(c->surface);
	if (p->first_commit_ms == 0)
		p->first_commit_ms = now_ms();
	p->drawn_w = c->width;
	p->drawn_h = c->height;
}

static void frame_done(void *data, struct wl_callback *cb, uint32_t time)
{
	struct probe *p = data;
	wl_callback_destroy(cb);
	p->frame_cb = NULL;
	draw_frame(p);
}

static void on_release(void *data)
{
	struct probe *p = data;
	if (p->want_frame)
		draw_frame(p);
}

static void on_configure(struct verso_client *c, void *data)
{
	struct probe *p = data;
	/* The first frame, or a resize of a static image. */
	if (p->n_frames == 0 || (!p->animate && (c->width != p->drawn_w ||
			c->height != p->drawn_h)))
		draw_frame(p);
}

static void on_dmabuf_bound(struct verso_client *c, void *data)
{
	struct probe *p = data;
	if (p->dmabuf_device)
		probe_dmabuf_listen(&p->dmabuf, c->dmabuf);
}

static const struct verso_client_listener client_listener = {
	.configure = on_configure,
	.dmabuf_bound = on_dmabuf_bound,
};

_Static_assert((int)PRESENT_VSYNC == WP_PRESENTATION_FEEDBACK_KIND_VSYNC &&
	(int)PRESENT_HW_CLOCK == WP_PRESENTATION_FEEDBACK_KIND_HW_CLOCK &&
	(int)PRESENT_HW_COMPLETION ==
		WP_PRESENTATION_FEEDBACK_KIND_HW_COMPLETION &&
	(int)PRESENT_ZERO_COPY == WP_PRESENTATION_FEEDBACK_KIND_ZERO_COPY,
	"present-stats.h mirrors wp_presentation_feedback.kind");

static void inhibit_global(void *data, struct wl_registry *reg,
		uint32_t name, const char *iface, uint32_t version)
{
	struct probe *p = data;
	if (strcmp(iface, zwp_idle_inhibit_manager_v1_interface.name) == 0)
		p->inhibit_manager = wl_registry_bind(reg, name,
			&zwp_idle_inhibit_manager_v1_interface, 1);
	else if (strcmp(iface, wl_subcompositor_interface.name) == 0)
		p->subcompositor = wl_registry_bind(reg, name,
			&wl_subcompositor_interface, 1);
}

static void inhibit_global_remove(void *data, struct wl_registry *reg,
		uint32_t name)
{
}

static const struct wl_registry_listener inhibit_registry_listener = {
	.global = inhibit_global,
	.global_remove = inhibit_global_remove,
};

/* --idle-inhibit-sub: a 16x16 white subsurface at the window's top left,
 * mapped (it has a buffer), to carry the inhibitor. */
static int subsurface_start(struct probe *p)
{
	if (!p->subcompositor) {
		fprintf(stderr, "present-probe: the compositor does not offer "
			"wl_subcompositor\n");
		return -1;
	}
	verso_pool_init(&p->sub_pool, p->client.shm, WL_SHM_FORMAT_XRGB8888, 1);
	struct verso_buffer *buf = verso_pool_next(&p->sub_pool, 16, 16);
	if (!buf) {
		perror("present-probe: subsurface buffer");
		return -1;
	}
	memset(buf->data, 0xff, buf->size);
	p->sub_surface = wl_compositor_create_surface(p->client.compositor);
	p->subsurface = wl_subcompositor_get_subsurface(p->subcompositor,
		p->sub_surface, p->client.surface);
	wl_subsurface_set_desync(p->subsurface);
	wl_surface_attach(p->sub_surface, buf->wl_buffer, 0, 0);
	wl_surface_damage(p->sub_surface, 0, 0, 16, 16);
	wl_surface_commit(p->sub_surface);
	/* The subsurface's place is applied with the parent's next commit,
	 * which the frame loop makes. */
	return 0;
}

/* --idle-inhibit: an inhibitor on the window's surface. Returns -1 when the
 * compositor has no idle-inhibit manager. */
static int idle_inhibit_start(struct probe *p)
{
	struct wl_registry *reg = wl_display_get_registry(p->client.display);
	wl_registry_add_listener(reg, &inhibit_registry_listener, p);
	wl_display_roundtrip(p->client.display);
	wl_registry_destroy(reg);
	if (!p->inhibit_manager) {
		fprintf(stderr, "present-probe: the compositor does not offer "
			"zwp_idle_inhibit_manager_v1\n");
		return -1;
	}
	struct wl_surface *target = p->client.surface;
	if (p->inhibit_sub) {
		if (subsurface_start(p) < 0)
			return -1;
		target = p->sub_surface;
	}
	p->inhibitor = zwp_idle_inhibit_manager_v1_create_inhibitor(
		p->inhibit_manager, target);
	wl_display_roundtrip(p->client.display);
	printf("idle-inhibit: on%s\n", p->inhibit_sub ? " (subsurface)" : "");
	fflush(stdout);
	return 0;
}

static void idle_inhibit_release(struct probe *p)
{
	if (!p->inhibitor)
		return;
	zwp_idle_inhibitor_v1_destroy(p->inhibitor);
	p->inhibitor = NULL;
	wl_display_roundtrip(p->client.display);
	printf("idle-inhibit: released\n");
	fflush(stdout);
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: present-probe [OPTIONS]\n"
		"\n"
		"Fullscreen test client: commits a known image every frame and\n"
		"prints wp_presentation statistics as one line:\n"
		"  present: frames=N presented=N discarded=N refresh_ns=N\n"
		"    mean_interval_ns=N min_interval_ns=N max_interval_ns=N vsync=N\n"
		"    hw_clock=N hw_completion=N zero_copy=N seq_gaps=N\n"
		"    seq_period_ns=N grid_err_max_ns=N\n"
		"Intervals are between consecutive presented frames; seq_gaps\n"
		"counts refresh cycles skipped between them; the flag counts are\n"
		"presented frames with that flag. seq_period_ns is the refresh\n"
		"period the presents show (time over refresh count, first to\n"
		"last), grid_err_max_ns how far a present lies from that grid.\n"
		"\n"
		"  --solid RRGGBB       fill with one colour\n"
		"  --pattern quadrants  four known colours (default); see\n"
		"                       include/verso/pattern.h\n"
		"  --duration SECONDS   how long to run from the first commit\n"
		"                       (default 5)\n"
		"  --warmup SECONDS     leave frames of the first SECONDS out of\n"
		"                       the statistics (default 0)\n"
		"  --static             commit once and idle; otherwise the bottom\n"
		"                       row flips every frame (compare the rest)\n"
		"  --still SECONDS      show the first frame alone for SECONDS,\n"
		"                       then animate (a client that starts drawing\n"
		"                       on an idle display); the statistics count\n"
		"                       from then. SIGUSR1 ends the still frame\n"
		"                       early (with --idle-inhibit, it also\n"
		"                       releases the inhibitor); the animation\n"
		"                       still runs DURATION minus SECONDS\n"
		"  --latency            also print commit-to-present latency\n"
		"                       (CLOCK_MONOTONIC presentation clock):\n"
		"                       latency: n=N mean_us=N p50_us=N p99_us=N\n"
		"                       max_us=N clock=ID\n"
		"  --log-touch          print wl_touch events, one a line:\n"
		"                       touch down|motion ID X Y, touch up ID,\n"
		"                       touch cancel\n"
		"  --title TITLE        window title (default present-probe)\n"
		"  --idle-inhibit       hold a zwp_idle_inhibitor_v1 on the\n"
		"                       window (prints \"idle-inhibit: on\");\n"
		"                       SIGUSR1 destroys it (\"idle-inhibit:\n"
		"                       released\")\n"
		"  --idle-inhibit-sub   the same, on a 16x16 subsurface\n"
		"  --buffer-transform DEG  draw the window turned by DEG (0, 90,\n"
		"                       180, 270) and set that buffer transform:\n"
		"                       on an output rotated the same way the\n"
		"                       buffer is the panel's raster as it is\n"
		"  --dmabuf DEVICE      draw into linear dumb buffers of DEVICE\n"
		"                       (e.g. /dev/dri/card0) shared as dmabufs,\n"
		"                       so the compositor can scan them out\n"
		"  -h, --help           show this help\n"
		"\n"
		"Exit status: 0 done, 1 error, 2 no wp_presentation.\n");
}

static int parse_args(int argc, char *argv[], struct probe *p)
{
	static const struct option opts[] = {
		{ "solid", required_argument, NULL, 's' },
		{ "pattern", required_argument, NULL, 'p' },
		{ "duration", required_argument, NULL, 'd' },
		{ "static", no_argument, NULL, 'S' },
		{ "still", required_argument, NULL, 'l' },
		{ "dmabuf", required_argument, NULL, 'D' },
		{ "warmup", required_argument, NULL, 'w' },
		{ "latency", no_argument, NULL, 'L' },
		{ "log-touch", no_argument, NULL, 'T' },
		{ "title", required_argument, NULL, 't' },
		{ "idle-inhibit", no_argument, NULL, 'I' },
		{ "idle-inhibit-sub", no_argument, NULL, 'u' },
		{ "buffer-transform", required_argument, NULL, 'B' },
		{ "help", no_argument, NULL, 'h' },
		{0},
	};
	p->quadrants = true;
	p->duration = 5.0;
	p->animate = true;
	int c;
	char *end;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (verso_parse_colour(optarg, &p->colour) < 0) {
				fprintf(stderr, "present-probe: --solid wants "
					"RRGGBB, not \"%s\"\n", optarg);
				return 1;
			}
			p->quadrants = false;
			break;
		case 'p':
			if (strcmp(optarg, "quadrants") != 0) {
				fprintf(stderr, "present-probe: unknown pattern "
					"\"%s\" (known: quadrants)\n", optarg);
				return 1;
			}
			p->quadrants = true;
			break;
		case 'd':
			errno = 0;
			p->duration = strtod(optarg, &end);
			if (errno || end == optarg || *end || !(p->duration > 0) ||
					p->duration > 86400) {
				fprintf(stderr, "present-probe: --duration wants "
					"seconds (0 < s <= 86400), not \"%s\"\n",
					optarg);
				return 1;
			}
			break;
		case 'S':
			p->animate = false;
			break;
		case 'l':
			errno = 0;
			p->still = strtod(optarg, &end);
			if (errno || end == optarg || *end || !(p->still > 0) ||
					p->still > 86400) {
				fprintf(stderr, "present-probe: --still wants "
					"seconds (0 < s <= 86400), not \"%s\"\n",
					optarg);
				return 1;
			}
			break;
		case 'D':
			p->dmabuf_device = optarg;
			break;
		case 'L':
			p->latency = true;
			break;
		case 'T':
			p->log_touch = true;
			break;
		case 't':
			p->title = optarg;
			break;
		case 'u':
			p->inhibit_sub = true;
			/* fall through */
		case 'I':
			p->idle_inhibit = true;
			break;
		case 'B': {
			errno = 0;
			long deg = strtol(optarg, &end, 10);
			if (errno || end == optarg || *end || deg < 0 ||
					deg > 270 || deg % 90) {
				fprintf(stderr, "present-probe: --buffer-transform "
					"wants 0, 90, 180 or 270, not \"%s\"\n",
					optarg);
				return 1;
			}
			p->buffer_transform = (int)(deg / 90);
			break;
		}
		case 'w':
			errno = 0;
			p->warmup = strtod(optarg, &end);
			if (errno || end == optarg || *end || !(p->warmup >= 0) ||
					p->warmup > 86400) {
				fprintf(stderr, "present-probe: --warmup wants "
					"seconds (0 <= s <= 86400), not \"%s\"\n",
					optarg);
				return 1;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "present-probe: unexpected argument \"%s\"\n",
			argv[optind]);
		return 1;
	}
	if (p->still > 0 && (!p->animate || p->still >= p->duration)) {
		fprintf(stderr, "present-probe: --still wants an animating "
			"probe whose --duration is longer\n");
		return 1;
	}
	p->holding = p->still > 0;
	return -1;
}

/* SIGUSR1 during --still: animate from now, for as long as planned. */
static void end_still(struct probe *p, uint64_t now)
{
	double held = (double)(now - p->first_commit_ms) / 1000;
	if (held < p->still) {
		p->duration -= p->still - held;
		p->still = held;
	}
}

int main(int argc, char *argv[])
{
	struct probe p = { .dmabuf = { .fd = -1 } };
	wl_list_init(&p.feedbacks);
	int ret = parse_args(argc, argv, &p);
	if (ret >= 0)
		return ret;

	struct sigaction sa = { .sa_handler = on_signal };
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* SIGUSR1 (release the inhibitor, end the still frame) arrives
	 * through a signalfd polled with the display: no window between a
	 * check and poll(). */
	struct pollfd sig_pfd = { .fd = -1, .events = POLLIN };
	if (p.idle_inhibit || p.still > 0) {
		sigset_t usr1;
		sigemptyset(&usr1);
		sigaddset(&usr1, SIGUSR1);
		sigprocmask(SIG_BLOCK, &usr1, NULL);
		sig_pfd.fd = signalfd(-1, &usr1, SFD_CLOEXEC | SFD_NONBLOCK);
		if (sig_pfd.fd < 0) {
			perror("present-probe: signalfd");
			return 1;
		}
	}

	const struct verso_client_options copts = {
		.title = p.title ? p.title : "present-probe",
		.app_id = "present-probe",
		.default_width = VERSO_REAR_HDISPLAY,
		.default_height = VERSO_REAR_VDISPLAY,
		.fullscreen = true,
	};
	if (verso_client_init(&p.client, &copts, &client_listener, &p) < 0) {
		verso_client_finish(&p.client);
		return 1;
	}
	if (p.log_touch)
		touch_log_start(p.client.display);
	if (!p.client.presentation) {
		fprintf(stderr, "present-probe: the compositor does not offer "
			"wp_presentation\n");
		verso_client_finish(&p.client);
		return 2;
	}
	/* Three buffers: one on screen, one queued, one being drawn. */
	verso_pool_init(&p.pool, p.client.shm, WL_SHM_FORMAT_XRGB8888, 3);
	p.pool.release = on_release;
	p.pool.data = &p;
	if (p.dmabuf_device) {
		char err[256];
		if (probe_dmabuf_open(&p.dmabuf, p.dmabuf_device, err,
				sizeof(err)) < 0) {
			fprintf(stderr, "present-probe: --dmabuf: %s\n", err);
			verso_client_finish(&p.client);
			return 1;
		}
		p.dmabuf.release = on_release;
		p.dmabuf.data = &p;
	}

	/* After the pools: its roundtrip may deliver the first configure. */
	if (p.idle_inhibit && idle_inhibit_start(&p) < 0) {
		verso_client_finish(&p.client);
		return 1;
	}

	uint64_t start = now_ms();
	uint64_t drain_end = 0;
	ret = 0;
	while (!p.failed && !p.client.closed) {
		uint64_t now = now_ms();
		if (!p.first_commit_ms && now >= start + STARTUP_MS) {
			fprintf(stderr, "present-probe: the compositor did not "
				"configure the window within %d s\n",
				STARTUP_MS / 1000);
			ret = 1;
			break;
		}
		uint64_t end = p.first_commit_ms ? p.first_commit_ms +
			(uint64_t)(p.duration * 1000) : start + STARTUP_MS;
		if (!p.stop && ((p.first_commit_ms && now >= end) || quit)) {
			p.stop = true;
			drain_end = now + DRAIN_MS;
		}
		if (p.stop && (p.pending == 0 || now >= drain_end))
			break;
		uint64_t move_at = p.first_commit_ms +
			(uint64_t)(p.still * 1000);
		if (p.holding && p.first_commit_ms && p.still_ended &&
				now < move_at) {
			end_still(&p, now);
			move_at = now;
		}
		if (p.holding && p.first_commit_ms && now >= move_at) {
			p.holding = false;
			p.stats_from = p.n_frames;
			draw_frame(&p);
			continue;
		}
		uint64_t until = p.stop ? drain_end : end;
		if (p.holding && p.first_commit_ms && move_at < until)
			until = move_at;
		int n = verso_client_dispatch(&p.client, &sig_pfd,
			sig_pfd.fd >= 0, (int)(until > now ? until - now : 0));
		if (n < 0) {
			ret = 1;
			break;
		}
		struct signalfd_siginfo si;
		if (n > 0 && read(sig_pfd.fd, &si, sizeof(si)) == sizeof(si)) {
			if (p.idle_inhibit)
				idle_inhibit_release(&p);
			if (p.holding)
				p.still_ended = true;
		}
	}
	if (p.failed)
		ret = 1;

	struct present_stats s;
	char line[512];
	size_t from = p.stats_from < p.n_frames ? p.stats_from : p.n_frames;
	present_stats_compute(p.frames + from, p.n_frames - from, &s);
	present_stats_format(&s, line, sizeof(line));
	printf("%s\n", line);
	if (p.latency)
		print_latency(&p);
	fflush(stdout);

	if (p.frame_cb)
		wl_callback_destroy(p.frame_cb);
	if (p.inhibitor)
		zwp_idle_inhibitor_v1_destroy(p.inhibitor);
	if (p.inhibit_manager)
		zwp_idle_inhibit_manager_v1_destroy(p.inhibit_manager);
	if (p.subsurface) {
		wl_subsurface_destroy(p.subsurface);
		wl_surface_destroy(p.sub_surface);
		verso_pool_finish(&p.sub_pool);
	}
	if (p.subcompositor)
		wl_subcompositor_destroy(p.subcompositor);
	if (sig_pfd.fd >= 0)
		close(sig_pfd.fd);
	struct feedback *fb, *tmp;
	wl_list_for_each_safe(fb, tmp, &p.feedbacks, link)
		feedback_done(fb);
	verso_pool_finish(&p.pool);
	probe_dmabuf_finish(&p.dmabuf);
	verso_client_finish(&p.client);
	free(p.frames);
	free(p.lat_ns);
	return ret;
}
