// SPDX-License-Identifier: MIT
/*
 * verso-clock: a digital clock for the cover display. It draws only when the
 * text it shows changes, woken by a timerfd aligned to the second (or the
 * minute with --no-seconds), so an idle clock costs one wakeup per change.
 */
#include <cairo.h>
#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <pango/pangocairo.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "verso/display.h"
#include "verso/pattern.h"
#include "clock-text.h"
#include "shm.h"
#include "toplevel.h"

struct clock_opts {
	bool seconds;
	uint32_t colour;
	const char *font;
	bool fixed_time; /* --time given: draw once, never tick */
	bool fixed_date;
	struct tm fixed; /* fields set by --time and --date */
};

struct clock {
	struct clock_opts opts;
	struct verso_client client;
	struct verso_pool pool;
	int timer_fd;
	struct clock_text shown; /* text of the frame on screen */
	int32_t shown_w, shown_h;
	bool need_draw;    /* waiting for a free buffer */
	bool failed;
};

/* The time to show, honouring --time and --date. */
static void clock_now(const struct clock_opts *o, struct tm *tm)
{
	/*
	 * Not time(): it reads the tick-coarse clock, which can still show
	 * the last second when the timer fires on the boundary. tzset()
	 * picks up a new zone; localtime_r() alone never looks again.
	 */
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	tzset();
	localtime_r(&ts.tv_sec, tm);
	if (o->fixed_time) {
		tm->tm_hour = o->fixed.tm_hour;
		tm->tm_min = o->fixed.tm_min;
		tm->tm_sec = o->fixed.tm_sec;
	}
	if (o->fixed_date) {
		tm->tm_year = o->fixed.tm_year;
		tm->tm_mon = o->fixed.tm_mon;
		tm->tm_mday = o->fixed.tm_mday;
		tm->tm_wday = o->fixed.tm_wday;
		tm->tm_yday = o->fixed.tm_yday;
	}
}

static PangoLayout *make_layout(cairo_t *cr, const char *family,
		double px, const char *text)
{
	PangoLayout *layout = pango_cairo_create_layout(cr);
	PangoFontDescription *desc = pango_font_description_from_string(family);
	pango_font_description_set_absolute_size(desc, px * PANGO_SCALE);
	pango_layout_set_font_description(layout, desc);
	pango_font_description_free(desc);

	/* Tabular digits: the time does not shift as the digits change. */
	PangoAttrList *attrs = pango_attr_list_new();
	pango_attr_list_insert(attrs, pango_attr_font_features_new("tnum=1"));
	pango_layout_set_attributes(layout, attrs);
	pango_attr_list_unref(attrs);

	pango_layout_set_text(layout, text, -1);
	return layout;
}

static void set_colour(cairo_t *cr, uint32_t c, double alpha)
{
	cairo_set_source_rgba(cr, (c >> 16 & 0xff) / 255.0,
		(c >> 8 & 0xff) / 255.0, (c & 0xff) / 255.0, alpha);
}

static void draw(cairo_t *cr, const struct clock_opts *o,
		const struct clock_text *t, int w, int h)
{
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_paint(cr);

	/* Sizes follow the height, then shrink until the line fits. */
	double big = h * 0.46;
	PangoLayout *hm, *sec = NULL, *date;
	PangoRectangle hm_ink, hm_log, sec_log = {0}, date_log;
	for (;;) {
		hm = make_layout(cr, o->font, big, t->hm);
		pango_layout_get_pixel_extents(hm, &hm_ink, &hm_log);
		if (t->sec[0]) {
			sec = make_layout(cr, o->font, big * 0.36, t->sec);
			pango_layout_get_pixel_extents(sec, NULL, &sec_log);
		}
		int line_w = hm_log.width + (sec ? sec_log.width + big * 0.08 : 0);
		if (line_w <= w * 0.92 || big < 8)
			break;
		big *= (w * 0.92) / line_w;
		g_object_unref(hm);
		if (sec)
			g_object_unref(sec);
		sec = NULL;
	}
	date = make_layout(cr, o->font, big * 0.24, t->date);
	pango_layout_get_pixel_extents(date, NULL, &date_log);

	int gap = big * 0.08;
	int line_w = hm_log.width + (sec ? sec_log.width + gap : 0);
	int block_h = hm_ink.height + big * 0.22 + date_log.height;
	int top = (h - block_h) / 2;
	int x = (w - line_w) / 2;
	/* Position by the ink box so digits centre regardless of font metrics. */
	int hm_y = top - hm_ink.y;
	int baseline = hm_y + pango_layout_get_baseline(hm) / PANGO_SCALE;

	set_colour(cr, o->colour, 1.0);
	cairo_move_to(cr, x, hm_y);
	pango_cairo_show_layout(cr, hm);
	if (sec) {
		set_colour(cr, o->colour, 0.7);
		int sec_y = baseline - pango_layout_get_baseline(sec) / PANGO_SCALE;
		cairo_move_to(cr, x + hm_log.width + gap, sec_y);
		pango_cairo_show_layout(cr, sec);
		g_object_unref(sec);
	}
	set_colour(cr, o->colour, 0.8);
	cairo_move_to(cr, (w - date_log.width) / 2,
		top + hm_ink.height + big * 0.22);
	pango_cairo_show_layout(cr, date);

	g_object_unref(hm);
	g_object_unref(date);
}

/* Draws and commits a frame if the text or size changed. */
static void clock_update(struct clock *clk)
{
	struct verso_client *c = &clk->client;
	if (!c->configured || c->closed)
		return;

	struct tm tm;
	struct clock_text text;
	clock_now(&clk->opts, &tm);
	clock_text_format(&tm, clk->opts.seconds, &text);
	if (clock_text_equal(&text, &clk->shown) && c->width == clk->shown_w &&
			c->height == clk->shown_h)
		return;

	struct verso_buffer *buf = verso_pool_next(&clk->pool, c->width,
		c->height);
	if (!buf) {
		if (errno == EBUSY) {
			clk->need_draw = true; /* retried on wl_buffer.release */
			return;
		}
		fprintf(stderr, "verso-clock: cannot allocate a %dx%d buffer: "
			"%s\n", c->width, c->height, strerror(errno));
		clk->failed = true;
		return;
	}
	clk->need_draw = false;

	cairo_surface_t *surface = cairo_image_surface_create_for_data(
		buf->data, CAIRO_FORMAT_RGB24, buf->width, buf->height,
		buf->stride);
	cairo_t *cr = cairo_create(surface);
	draw(cr, &clk->opts, &text, buf->width, buf->height);
	cairo_destroy(cr);
	cairo_surface_flush(surface);
	cairo_surface_destroy(surface);

	verso_client_set_opaque(c);
	wl_surface_attach(c->surface, buf->wl_buffer, 0, 0);
	wl_surface_damage_buffer(c->surface, 0, 0, buf->width, buf->height);
	wl_surface_commit(c->surface);

	clk->shown = text;
	clk->shown_w = c->width;
	clk->shown_h = c->height;
}

static void on_release(void *data)
{
	struct clock *clk = data;
	if (clk->need_draw)
		clock_update(clk);
}

static void on_configure(struct verso_client *c, void *data)
{
	clock_update(data);
}

static const struct verso_client_listener client_listener = {
	.configure = on_configure,
};

/* Arms the timer for the next whole second or minute of the real clock. */
static int timer_arm(int fd, bool seconds)
{
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	struct itimerspec its = {
		.it_value = { .tv_sec = clock_next_tick(now.tv_sec, seconds) },
		.it_interval = { .tv_sec = seconds ? 1 : 60 },
	};
	/* CANCEL_ON_SET: wake up at once when the clock is set. */
	return timerfd_settime(fd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET,
		&its, NULL);
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: verso-clock [OPTIONS]\n"
		"\n"
		"A fullscreen digital clock for the cover display.\n"
		"\n"
		"  --no-seconds        show HH:MM only (wakes once a minute)\n"
		"  --colour RRGGBB     text colour (default ffffff)\n"
		"  --font DESC         Pango font family and style (default \"Sans Bold\")\n"
		"  --time HH:MM:SS     show a fixed time and never tick (test images)\n"
		"  --date YYYY-MM-DD   show a fixed date (test images)\n"
		"  -h, --help          show this help\n");
}

static int parse_args(int argc, char *argv[], struct clock_opts *o)
{
	static const struct option opts[] = {
		{ "no-seconds", no_argument, NULL, 's' },
		{ "colour", required_argument, NULL, 'c' },
		{ "color", required_argument, NULL, 'c' },
		{ "font", required_argument, NULL, 'f' },
		{ "time", required_argument, NULL, 't' },
		{ "date", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{0},
	};
	*o = (struct clock_opts){
		.seconds = true,
		.colour = 0xffffffff,
		.font = "Sans Bold",
	};
	int c;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			o->seconds = false;
			break;
		case 'c':
			if (verso_parse_colour(optarg, &o->colour) < 0) {
				fprintf(stderr, "verso-clock: --colour wants "
					"RRGGBB, not \"%s\"\n", optarg);
				return 2;
			}
			break;
		case 'f':
			o->font = optarg;
			break;
		case 't':
			if (!clock_parse_time(optarg, &o->fixed)) {
				fprintf(stderr, "verso-clock: --time wants "
					"HH:MM:SS, not \"%s\"\n", optarg);
				return 2;
			}
			o->fixed_time = true;
			break;
		case 'd':
			if (!clock_parse_date(optarg, &o->fixed)) {
				fprintf(stderr, "verso-clock: --date wants "
					"a real YYYY-MM-DD date, not \"%s\"\n", optarg);
				return 2;
			}
			o->fixed_date = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "verso-clock: unexpected argument \"%s\"\n",
			argv[optind]);
		return 2;
	}
	return -1;
}

int main(int argc, char *argv[])
{
	setlocale(LC_ALL, "");
	struct clock clk = { .timer_fd = -1 };
	int ret = parse_args(argc, argv, &clk.opts);
	if (ret >= 0)
		return ret;

	/* SIGINT and SIGTERM through an fd in the poll set: a flag set by a
	 * handler just before poll() would wait for the next event. */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigprocmask(SIG_BLOCK, &stop, NULL);
	int stop_fd = signalfd(-1, &stop, SFD_CLOEXEC | SFD_NONBLOCK);
	if (stop_fd < 0) {
		fprintf(stderr, "verso-clock: signalfd: %s\n", strerror(errno));
		return 1;
	}

	const struct verso_client_options copts = {
		.title = "Clock",
		.app_id = "verso-clock",
		.default_width = VERSO_REAR_HDISPLAY,
		.default_height = VERSO_REAR_VDISPLAY,
		.fullscreen = true,
	};
	if (verso_client_init(&clk.client, &copts, &client_listener, &clk) < 0) {
		verso_client_finish(&clk.client);
		close(stop_fd);
		return 1;
	}
	verso_pool_init(&clk.pool, clk.client.shm, WL_SHM_FORMAT_XRGB8888, 2);
	clk.pool.release = on_release;
	clk.pool.data = &clk;

	if (!clk.opts.fixed_time) {
		clk.timer_fd = timerfd_create(CLOCK_REALTIME,
			TFD_CLOEXEC | TFD_NONBLOCK);
		if (clk.timer_fd < 0 || timer_arm(clk.timer_fd,
				clk.opts.seconds) < 0) {
			fprintf(stderr, "verso-clock: cannot set up the timer: "
				"%s\n", strerror(errno));
			ret = 1;
			goto out;
		}
	}

	ret = 0;
	while (!clk.client.closed && !clk.failed) {
		struct pollfd pfd[2] = {
			{ .fd = stop_fd, .events = POLLIN },
			{ .fd = clk.timer_fd, .events = POLLIN },
		};
		int n = verso_client_dispatch(&clk.client, pfd,
			clk.timer_fd >= 0 ? 2 : 1, -1);
		if (n < 0) {
			ret = 1;
			break;
		}
		if (pfd[0].revents & POLLIN)
			break;
		if (n > 0 && (pfd[1].revents & POLLIN)) {
			uint64_t expirations;
			if (read(clk.timer_fd, &expirations,
					sizeof(expirations)) < 0 &&
					errno == ECANCELED)
				timer_arm(clk.timer_fd, clk.opts.seconds);
			clock_update(&clk);
		}
	}
	if (clk.failed)
		ret = 1;
out:
	close(stop_fd);
	if (clk.timer_fd >= 0)
		close(clk.timer_fd);
	verso_pool_finish(&clk.pool);
	verso_client_finish(&clk.client);
	return ret;
}
