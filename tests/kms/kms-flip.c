// SPDX-License-Identifier: MIT
/*
 * Page flips and vblanks, held to what IGT's kms_flip and kms_vblank require:
 * flip events carry increasing sequences and timestamps one frame apart per
 * sequence step (within 0.5%), vblank waits and queries agree with them, the
 * counter continues across a modeset, and bad requests fail with the right
 * errno. Every refresh rate of the panel is checked, and VRR on the rear.
 */
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include "kms-suite.h"

struct ev_log {
	unsigned int count;
	unsigned int seq[64];
	uint64_t ns[64];
	uint32_t crtc[64];
};

static void on_flip2(int fd, unsigned int seq, unsigned int sec,
	unsigned int usec, unsigned int crtc_id, void *data)
{
	struct ev_log *log = data;
	if (log->count < 64) {
		log->seq[log->count] = seq;
		log->ns[log->count] = (uint64_t)sec * 1000000000ull + usec * 1000ull;
		log->crtc[log->count] = crtc_id;
	}
	log->count++;
}

static void on_vblank(int fd, unsigned int seq, unsigned int sec,
	unsigned int usec, void *data)
{
	on_flip2(fd, seq, sec, usec, 0, data);
}

static drmEventContext evctx = {
	.version = 3,
	.vblank_handler = on_vblank,
	.page_flip_handler2 = on_flip2,
};

static void wait_events(struct ev_log *log, unsigned int want, int timeout_ms)
{
	while (log->count < want)
		if (kms_handle_event(dev.fd, &evctx, timeout_ms))
			fail_msg("timed out waiting for event %u", log->count + 1);
}

static uint64_t frame_ns(const drmModeModeInfo *mode)
{
	return 1000000000000ull / kms_mode_refresh_mhz(mode);
}

/* |got - steps * frame| within 0.5% of the expected span. */
static void check_span(const char *what, uint64_t got, unsigned int steps,
	uint64_t frame)
{
	uint64_t expect = steps * frame;
	uint64_t diff = got > expect ? got - expect : expect - got;
	if (steps == 0 || diff * 1000 > expect * 5)
		fail_msg("%s: %llu ns for %u frames, expected %llu ns", what,
			(unsigned long long)got, steps, (unsigned long long)expect);
}

static void flip_run(const struct kms_pipe *p, const drmModeModeInfo *mode,
	unsigned int flips, struct ev_log *log)
{
	struct kms_fb fb[2];
	make_fb(mode->hdisplay, mode->vdisplay, DRM_FORMAT_XRGB8888, 0xff203040, &fb[0]);
	make_fb(mode->hdisplay, mode->vdisplay, DRM_FORMAT_XRGB8888, 0xff403020, &fb[1]);
	int ret = kms_pipe_enable(dev.fd, p, mode, fb[0].fb_id);
	if (ret)
		fail_msg("modeset %s@%u: %s", mode->name, mode->vrefresh, strerror(-ret));
	memset(log, 0, sizeof(*log));
	int timeout = (int)(3 * frame_ns(mode) / 1000000) + 2000;
	for (unsigned int i = 0; i < flips; i++) {
		assert_int_equal(drmModePageFlip(dev.fd, p->crtc_id,
			fb[(i + 1) % 2].fb_id, DRM_MODE_PAGE_FLIP_EVENT, log), 0);
		wait_events(log, i + 1, timeout);
	}
	const uint64_t frame = frame_ns(mode);
	for (unsigned int i = 1; i < flips; i++) {
		assert_int_equal(log->crtc[i], p->crtc_id);
		unsigned int dseq = log->seq[i] - log->seq[i - 1];
		assert_true(dseq >= 1 && dseq < 1000);
		check_span("flip", log->ns[i] - log->ns[i - 1], dseq, frame);
	}
	kms_fb_destroy(dev.fd, &fb[0]);
	kms_fb_destroy(dev.fd, &fb[1]);
}

static void test_plain_flip(void **state)
{
	struct ev_log log;
	flip_run(&pipe0, &pipe0.mode, 20, &log);
}

/* Every refresh rate offered at the preferred size. */
static void test_flip_all_rates(void **state)
{
	drmModeConnector *conn = drmModeGetConnector(dev.fd, pipe0.conn_id);
	assert_non_null(conn);
	unsigned int done[16], ndone = 0;
	for (int m = 0; m < conn->count_modes && ndone < 16; m++) {
		const drmModeModeInfo *mode = &conn->modes[m];
		if (mode->hdisplay != pipe0.mode.hdisplay ||
		    mode->vdisplay != pipe0.mode.vdisplay)
			continue;
		bool seen = false;
		for (unsigned int i = 0; i < ndone; i++)
			seen |= done[i] == mode->vrefresh;
		if (seen)
			continue;
		done[ndone++] = mode->vrefresh;
		struct ev_log log;
		unsigned int flips = mode->vrefresh >= 30 ? 8 : 3;
		flip_run(&pipe0, mode, flips, &log);
		double span = (log.ns[flips - 1] - log.ns[0]) / 1e9;
		printf("# %s %s@%u: %.4f Hz measured over %u flips\n", pipe0.name,
			mode->name, mode->vrefresh,
			(log.seq[flips - 1] - log.seq[0]) / span, flips);
		assert_true(fabs((log.seq[flips - 1] - log.seq[0]) / span -
			kms_mode_refresh_mhz(mode) / 1000.0) <
			kms_mode_refresh_mhz(mode) / 1000.0 * 0.005);
	}
	drmModeFreeConnector(conn);
	assert_true(ndone >= 1);
}

/* Both pipes flipping at once, each event tagged with its CRTC. */
static void test_2x_plain_flip(void **state)
{
	drmModeRes *res = drmModeGetResources(dev.fd);
	struct kms_pipe other = { 0 };
	bool found = false;
	for (int i = 0; i < res->count_connectors && !found; i++) {
		drmModeConnector *conn = drmModeGetConnector(dev.fd, res->connectors[i]);
		char name[32];
		kms_connector_name(conn, name, sizeof(name));
		if (conn->connector_id != pipe0.conn_id && conn->count_modes > 0 &&
		    kms_pipe_find(dev.fd, name, &other) == 0 &&
		    other.crtc_id != pipe0.crtc_id)
			found = true;
		drmModeFreeConnector(conn);
	}
	drmModeFreeResources(res);
	if (!found)
		skip();
	const struct kms_pipe *p[2] = { &pipe0, &other };
	struct kms_fb fb[2][2];
	for (int i = 0; i < 2; i++) {
		for (int j = 0; j < 2; j++)
			make_fb(p[i]->mode.hdisplay, p[i]->mode.vdisplay,
				DRM_FORMAT_XRGB8888, 0xff000000 | (j ? 0xff : 0xff00), &fb[i][j]);
		assert_int_equal(kms_pipe_enable(dev.fd, p[i], NULL, fb[i][0].fb_id), 0);
	}
	struct ev_log log = { 0 };
	unsigned int per_crtc[2] = { 0 };
	uint64_t last_ns[2] = { 0 };
	for (unsigned int round = 0; round < 6; round++) {
		for (int i = 0; i < 2; i++)
			assert_int_equal(drmModePageFlip(dev.fd, p[i]->crtc_id,
				fb[i][(round + 1) % 2].fb_id, DRM_MODE_PAGE_FLIP_EVENT,
				&log), 0);
		wait_events(&log, (round + 1) * 2, 2000);
	}
	for (unsigned int e = 0; e < log.count; e++) {
		int i = log.crtc[e] == p[0]->crtc_id ? 0 : 1;
		assert_int_equal(log.crtc[e], p[i]->crtc_id);
		assert_true(log.ns[e] > last_ns[i]);
		last_ns[i] = log.ns[e];
		per_crtc[i]++;
	}
	assert_int_equal(per_crtc[0], 6);
	assert_int_equal(per_crtc[1], 6);
	for (int i = 0; i < 2; i++)
		for (int j = 0; j < 2; j++)
			kms_fb_destroy(dev.fd, &fb[i][j]);
}

static void test_nonexisting_fb(void **state)
{
	struct kms_fb fb;
	light_pipe(0xff000000, &fb);
	assert_int_equal(drmModePageFlip(dev.fd, pipe0.crtc_id, 0xdeadbeef,
		DRM_MODE_PAGE_FLIP_EVENT, NULL), -ENOENT);
	assert_int_equal(drmModePageFlip(dev.fd, 0xdeadbeef, fb.fb_id,
		DRM_MODE_PAGE_FLIP_EVENT, NULL), -ENOENT);
	/* Unknown flags. */
	assert_int_equal(drmModePageFlip(dev.fd, pipe0.crtc_id, fb.fb_id,
		0x80000000, NULL), -EINVAL);
	kms_fb_destroy(dev.fd, &fb);
}

/* A second flip while one is pending is refused with EBUSY. */
static void test_flip_vs_pending(void **state)
{
	struct kms_fb a, b;
	light_pipe(0xff000000, &a);
	make_fb(pipe0.mode.hdisplay, pipe0.mode.vdisplay, DRM_FORMAT_XRGB8888,
		0xffffffff, &b);
	struct ev_log log = { 0 };
	assert_int_equal(drmModePageFlip(dev.fd, pipe0.crtc_id, b.fb_id,
		DRM_MODE_PAGE_FLIP_EVENT, &log), 0);
	int ret = drmModePageFlip(dev.fd, pipe0.crtc_id, a.fb_id,
		DRM_MODE_PAGE_FLIP_EVENT, &log);
	/* Under TCG the first flip can complete before the second ioctl. */
	if (log.count == 0 && ret == 0) {
		wait_events(&log, 2, 2000);
	} else {
		assert_int_equal(ret, -EBUSY);
		wait_events(&log, 1, 2000);
	}
	/* A flip on a CRTC that is off: no fb is bound, EBUSY (drm core). */
	assert_int_equal(kms_reset(dev.fd), 0);
	assert_int_equal(drmModePageFlip(dev.fd, pipe0.crtc_id, a.fb_id,
		DRM_MODE_PAGE_FLIP_EVENT, &log), -EBUSY);
	kms_fb_destroy(dev.fd, &a);
	kms_fb_destroy(dev.fd, &b);
}

/* Removing the fb a pending flip targets: the flip still completes. */
static void test_flip_vs_rmfb(void **state)
{
	struct kms_fb a, b;
	light_pipe(0xff000000, &a);
	make_fb(pipe0.mode.hdisplay, pipe0.mode.vdisplay, DRM_FORMAT_XRGB8888,
		0xffffffff, &b);
	struct ev_log log = { 0 };
	assert_int_equal(drmModePageFlip(dev.fd, pipe0.crtc_id, b.fb_id,
		DRM_MODE_PAGE_FLIP_EVENT, &log), 0);
	assert_int_equal(drmModeRmFB(dev.fd, b.fb_id), 0);
	uint32_t removed = b.fb_id;
	b.fb_id = 0;
	wait_events(&log, 1, 2000);
	/* The removed fb is no longer scanned out, nor known. */
	assert_int_not_equal(kms_get_prop(dev.fd, pipe0.primary,
		DRM_MODE_OBJECT_PLANE, "FB_ID", 0), removed);
	drmModeFBPtr info = drmModeGetFB(dev.fd, removed);
	assert_null(info);
	kms_fb_destroy(dev.fd, &a);
	kms_fb_destroy(dev.fd, &b);
}

/*
 * Removing the fb the primary plane scans out, by RMFB or by closing the fd
 * that made it (a client that exits or crashes), takes it off the plane.
 * verso also switches the pipe off: it refuses a lit pipe without its
 * primary plane, so a crashed client does not leave the panel lit and
 * black. vkms keeps the pipe on.
 */
static void rmfb(bool close_fd)
{
	char path[32];
	int fd = dev.fd;

	if (close_fd) {
		snprintf(path, sizeof(path), "/dev/dri/card%d", dev.minor);
		fd = open(path, O_RDWR | O_CLOEXEC);
		assert_true(fd >= 0);
	}
	struct kms_fb fb;
	assert_int_equal(kms_fb_create(fd, pipe0.mode.hdisplay,
		pipe0.mode.vdisplay, DRM_FORMAT_XRGB8888, &fb), 0);
	assert_int_equal(kms_pipe_enable(dev.fd, &pipe0, NULL, fb.fb_id), 0);
	assert_int_equal(kms_get_prop(dev.fd, pipe0.crtc_id, DRM_MODE_OBJECT_CRTC,
		"ACTIVE", 0), 1);
	if (close_fd) {
		/* The mapping holds the file open: the close is the last ref. */
		munmap(fb.map, fb.size);
		close(fd);
	} else {
		assert_int_equal(drmModeRmFB(dev.fd, fb.fb_id), 0);
		fb.fb_id = 0;
		kms_fb_destroy(dev.fd, &fb);
	}
	assert_int_equal(kms_get_prop(dev.fd, pipe0.primary,
		DRM_MODE_OBJECT_PLANE, "FB_ID", 9), 0);
	if (dev.is_verso)
		assert_int_equal(kms_get_prop(dev.fd, pipe0.crtc_id,
			DRM_MODE_OBJECT_CRTC, "ACTIVE", 9), 0);
	/* And a refused state: lit with the primary plane off. */
	light_pipe(0xff000000, &fb);
	drmModeAtomicReq *req = drmModeAtomicAlloc();
	kms_req_plane(req, dev.fd, pipe0.primary, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
	int ret = kms_commit(dev.fd, req, DRM_MODE_ATOMIC_TEST_ONLY);
	drmModeAtomicFree(req);
	if (dev.is_verso)
		assert_int_equal(ret, -EINVAL);
	kms_fb_destroy(dev.fd, &fb);
}

static void test_rmfb_ioctl(void **state)
{
	rmfb(false);
}

static void test_rmfb_close_fd(void **state)
{
	rmfb(true);
}

/* A modeset while a flip is pending waits for it; the event still arrives. */
static void test_flip_vs_modeset(void **state)
{
	struct kms_fb a, b;
	light_pipe(0xff000000, &a);
	make_fb(pipe0.mode.hdisplay, pipe0.mode.vdisplay, DRM_FORMAT_XRGB8888,
		0xffffffff, &b);
	struct ev_log log = { 0 };
	assert_int_equal(drmModePageFlip(dev.fd, pipe0.crtc_id, b.fb_id,
		DRM_MODE_PAGE_FLIP_EVENT, &log), 0);
	assert_int_equal(drmModeSetCrtc(dev.fd, pipe0.crtc_id, 0, 0, 0, NULL, 0,
		NULL), 0);
	wait_events(&log, 1, 2000);
	assert_int_equal(drmModeSetCrtc(dev.fd, pipe0.crtc_id, a.fb_id, 0, 0,
		&pipe0.conn_id, 1, &pipe0.mode), 0);
	assert_int_equal(drmModePageFlip(dev.fd, pipe0.crtc_id, b.fb_id,
		DRM_MODE_PAGE_FLIP_EVENT, &log), 0);
	wait_events(&log, 2, 2000);
	assert_true(log.ns[1] > log.ns[0]);
	kms_fb_destroy(dev.fd, &a);
	kms_fb_destroy(dev.fd, &b);
}

static uint32_t vbl_type(uint32_t type)
{
	if (pipe0.crtc_index == 1)
		return type | DRM_VBLANK_SECONDARY;
	if (pipe0.crtc_index > 1)
		return type | (pipe0.crtc_index << DRM_VBLANK_HIGH_CRTC_SHIFT);
	return type;
}

static int vbl_wait(uint32_t type, uint32_t seq, unsigned int *out_seq,
	uint64_t *out_ns)
{
	drmVBlank vbl = { .request = { .type = vbl_type(type), .sequence = seq } };
	if (drmWaitVBlank(dev.fd, &vbl))
		return -errno;
	if (out_seq)
		*out_seq = vbl.reply.sequence;
	if (out_ns)
		*out_ns = (uint64_t)vbl.reply.tval_sec * 1000000000ull +
			vbl.reply.tval_usec * 1000ull;
	return 0;
}

/* A flip event and the vblank counter agree; absolute and expired waits. */
static void test_flip_vs_wf_vblank(void **state)
{
	struct kms_fb a, b;
	light_pipe(0xff000000, &a);
	make_fb(pipe0.mode.hdisplay, pipe0.mode.vdisplay, DRM_FORMAT_XRGB8888,
		0xffffffff, &b);
	struct ev_log log = { 0 };
	assert_int_equal(drmModePageFlip(dev.fd, pipe0.crtc_id, b.fb_id,
		DRM_MODE_PAGE_FLIP_EVENT, &log), 0);
	wait_events(&log, 1, 2000);
	unsigned int seq;
	uint64_t ns;
	assert_int_equal(vbl_wait(DRM_VBLANK_RELATIVE, 0, &seq, &ns), 0);
	assert_true(seq >= log.seq[0]);
	if (seq == log.seq[0])
		assert_true(ns == log.ns[0]);
	/* Absolute wait for 3 frames after the flip. */
	unsigned int target = log.seq[0] + 3;
	assert_int_equal(vbl_wait(DRM_VBLANK_ABSOLUTE, target, &seq, &ns), 0);
	if (seq == target)
		check_span("absolute wait", ns - log.ns[0], 3, frame_ns(&pipe0.mode));
	else
		assert_true(seq > target); /* late under TCG: already past */
	/* An expired target returns at once with the current count. */
	uint64_t t0 = kms_now_ns();
	unsigned int seq2;
	assert_int_equal(vbl_wait(DRM_VBLANK_ABSOLUTE, log.seq[0], &seq2, NULL), 0);
	assert_true(seq2 >= seq);
	assert_true(kms_now_ns() - t0 < 2 * frame_ns(&pipe0.mode) + 50000000ull);
	kms_fb_destroy(dev.fd, &a);
	kms_fb_destroy(dev.fd, &b);
}

static void test_vblank_invalid(void **state)
{
	struct kms_fb fb;
	light_pipe(0xff000000, &fb);
	/* Every request.type bit outside the defined masks. */
	const uint32_t valid = _DRM_VBLANK_TYPES_MASK | _DRM_VBLANK_FLAGS_MASK |
		_DRM_VBLANK_HIGH_CRTC_MASK;
	drmVBlank vbl;
	for (int bit = 0; bit < 32; bit++) {
		if (valid & (1u << bit))
			continue;
		memset(&vbl, 0, sizeof(vbl));
		vbl.request.type = vbl_type(DRM_VBLANK_RELATIVE) | (1u << bit);
		if (drmWaitVBlank(dev.fd, &vbl) != -1 || errno != EINVAL)
			fail_msg("request.type bit %d: not EINVAL", bit);
	}
	/* A CRTC index past the last CRTC. */
	drmModeRes *res = drmModeGetResources(dev.fd);
	memset(&vbl, 0, sizeof(vbl));
	vbl.request.type = DRM_VBLANK_RELATIVE |
		((uint32_t)res->count_crtcs << DRM_VBLANK_HIGH_CRTC_SHIFT);
	drmModeFreeResources(res);
	assert_int_equal(drmWaitVBlank(dev.fd, &vbl), -1);
	assert_int_equal(errno, EINVAL);
	/* GET_SEQUENCE on an object that is not a CRTC. */
	uint64_t s, n;
	assert_int_equal(drmCrtcGetSequence(dev.fd, fb.fb_id, &s, &n), -1);
	assert_int_equal(errno, ENOENT);
	/* Waits on a CRTC that is off. */
	assert_int_equal(kms_reset(dev.fd), 0);
	assert_errno(vbl_wait(DRM_VBLANK_RELATIVE, 1, NULL, NULL), EINVAL);
	kms_fb_destroy(dev.fd, &fb);
}

/*
 * IGT's kms_vblank runs query and wait checks idle (vblanks go off between
 * requests: with drm.vblankoffdelay=-1 at once) and busy: a vblank event
 * queued a second ahead keeps them on throughout. The event must then come
 * at its count, with a time on the same frame grid as the requests.
 */
struct busy {
	unsigned int seq, target;
	uint64_t ns;
	struct ev_log log;
};

static void busy_begin(struct busy *b)
{
	uint64_t frame = frame_ns(&pipe0.mode);
	memset(b, 0, sizeof(*b));
	assert_int_equal(vbl_wait(DRM_VBLANK_RELATIVE, 0, &b->seq, &b->ns), 0);
	b->target = b->seq + 1 + (unsigned int)(1000000000ull / frame);
	drmVBlank vbl = { .request = {
		.type = vbl_type(DRM_VBLANK_ABSOLUTE | DRM_VBLANK_EVENT),
		.sequence = b->target,
		.signal = (unsigned long)&b->log,
	} };
	assert_int_equal(drmWaitVBlank(dev.fd, &vbl), 0);
}

static void busy_end(struct busy *b)
{
	uint64_t frame = frame_ns(&pipe0.mode);
	wait_events(&b->log, 1, 3000 + (int)(2 * frame / 1000000));
	assert_int_equal(b->log.count, 1);
	assert_true(b->log.seq[0] >= b->target);
	check_span("busy event", b->log.ns[0] - b->ns, b->log.seq[0] - b->seq,
		frame);
}

static void queries(uint32_t unused)
{
	unsigned int seq, prev_seq = 0;
	uint64_t ns, prev_ns = 0;
	for (int i = 0; i < 50; i++) {
		assert_int_equal(vbl_wait(DRM_VBLANK_RELATIVE, 0, &seq, &ns), 0);
		if (i) {
			assert_true(seq >= prev_seq);
			assert_true(ns >= prev_ns);
			if (seq == prev_seq)
				assert_true(ns == prev_ns);
			else
				check_span("query", ns - prev_ns, seq - prev_seq,
					frame_ns(&pipe0.mode));
		}
		prev_seq = seq;
		prev_ns = ns;
	}
	/* The counter follows the clock. */
	uint64_t frame = frame_ns(&pipe0.mode);
	sleep_us(10 * frame / 1000);
	assert_int_equal(vbl_wait(DRM_VBLANK_RELATIVE, 0, &seq, &ns), 0);
	assert_true(seq - prev_seq >= 9);
	check_span("query", ns - prev_ns, seq - prev_seq, frame);
}

static void waits(uint32_t unused)
{
	unsigned int seq[16];
	uint64_t ns[16];
	for (int i = 0; i < 16; i++)
		assert_int_equal(vbl_wait(DRM_VBLANK_RELATIVE, 1, &seq[i], &ns[i]), 0);
	for (int i = 1; i < 16; i++) {
		assert_true(seq[i] > seq[i - 1]);
		check_span("wait", ns[i] - ns[i - 1], seq[i] - seq[i - 1],
			frame_ns(&pipe0.mode));
	}
}

/* Children share the fd and query or wait concurrently. */
static void forked(uint32_t step)
{
	pid_t pids[4];
	for (int c = 0; c < 4; c++) {
		pids[c] = fork();
		if (pids[c] == 0) {
			unsigned int seq, prev = 0;
			for (int i = 0; i < 10; i++) {
				if (vbl_wait(DRM_VBLANK_RELATIVE, step, &seq, NULL))
					_exit(1);
				if (i && (seq < prev || (step && seq == prev)))
					_exit(2);
				prev = seq;
			}
			_exit(0);
		}
	}
	for (int c = 0; c < 4; c++) {
		int status;
		assert_int_equal(waitpid(pids[c], &status, 0), pids[c]);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
}

static void run_vblank(void (*body)(uint32_t), uint32_t arg, bool busy)
{
	struct kms_fb fb;
	struct busy b;
	light_pipe(0xff000000, &fb);
	if (busy)
		busy_begin(&b);
	body(arg);
	if (busy)
		busy_end(&b);
	kms_fb_destroy(dev.fd, &fb);
}

static void test_query_idle(void **state)
{
	run_vblank(queries, 0, false);
}

static void test_query_busy(void **state)
{
	run_vblank(queries, 0, true);
}

static void test_wait_idle(void **state)
{
	run_vblank(waits, 0, false);
}

static void test_wait_busy(void **state)
{
	run_vblank(waits, 0, true);
}

static void test_query_forked(void **state)
{
	run_vblank(forked, 0, false);
}

static void test_query_forked_busy(void **state)
{
	run_vblank(forked, 0, true);
}

static void test_wait_forked(void **state)
{
	run_vblank(forked, 1, false);
}

static void test_wait_forked_busy(void **state)
{
	run_vblank(forked, 1, true);
}

/* Queued vblank events fire at exactly the requested counts. */
static void test_accuracy_idle(void **state)
{
	struct kms_fb fb;
	light_pipe(0xff000000, &fb);
	unsigned int seq;
	uint64_t ns;
	assert_int_equal(vbl_wait(DRM_VBLANK_RELATIVE, 0, &seq, &ns), 0);
	struct ev_log log = { 0 };
	unsigned int targets[4];
	for (int i = 0; i < 4; i++) {
		targets[i] = seq + 6 + 2 * i;
		drmVBlank vbl = { .request = {
			.type = vbl_type(DRM_VBLANK_ABSOLUTE | DRM_VBLANK_EVENT),
			.sequence = targets[i],
			.signal = (unsigned long)&log,
		} };
		assert_int_equal(drmWaitVBlank(dev.fd, &vbl), 0);
	}
	wait_events(&log, 4, 2000);
	for (int i = 0; i < 4; i++) {
		assert_true(log.seq[i] >= targets[i]);
		/* The reported time belongs to the reported count. */
		check_span("event", log.ns[i] - ns, log.seq[i] - seq,
			frame_ns(&pipe0.mode));
	}
	kms_fb_destroy(dev.fd, &fb);
}

/* DRM_IOCTL_CRTC_GET_SEQUENCE / QUEUE_SEQUENCE by CRTC id. */
static void on_seq(int fd, uint64_t seq, uint64_t ns, uint64_t user)
{
	struct ev_log *log = (void *)(uintptr_t)user;
	if (log->count < 64) {
		log->seq[log->count] = (unsigned int)seq;
		log->ns[log->count] = ns;
	}
	log->count++;
}

static void test_crtc_id(void **state)
{
	struct kms_fb fb;
	light_pipe(0xff000000, &fb);
	uint64_t seq, ns;
	assert_int_equal(drmCrtcGetSequence(dev.fd, pipe0.crtc_id, &seq, &ns), 0);
	unsigned int vseq;
	uint64_t vns;
	assert_int_equal(vbl_wait(DRM_VBLANK_RELATIVE, 0, &vseq, &vns), 0);
	assert_true(vseq >= (unsigned int)seq);
	struct ev_log log = { 0 };
	uint64_t queued;
	assert_int_equal(drmCrtcQueueSequence(dev.fd, pipe0.crtc_id,
		DRM_CRTC_SEQUENCE_RELATIVE, 3, &queued, (uint64_t)(uintptr_t)&log), 0);
	drmEventContext ev = { .version = 4, .sequence_handler = on_seq };
	while (log.count < 1)
		assert_int_equal(kms_handle_event(dev.fd, &ev, 2000), 0);
	assert_true(log.seq[0] >= (unsigned int)queued);
	check_span("sequence", log.ns[0] - ns, (unsigned int)(log.seq[0] - seq),
		frame_ns(&pipe0.mode));
	assert_int_equal(drmCrtcGetSequence(dev.fd, 0xdeadbeef, &seq, &ns), -1);
	assert_int_equal(errno, ENOENT);
	kms_fb_destroy(dev.fd, &fb);
}

/*
 * Across a CRTC off/on the counter never goes back, and never runs ahead of
 * the time that passed (IGT allows 5 frames of slack); waits on the CRTC
 * while it is off fail with EINVAL.
 */
static void test_ts_continuation_modeset(void **state)
{
	struct kms_fb fb;
	light_pipe(0xff000000, &fb);
	unsigned int s1, s2;
	uint64_t t1, t2;
	assert_int_equal(vbl_wait(DRM_VBLANK_RELATIVE, 0, &s1, &t1), 0);
	uint64_t start = kms_now_ns();
	assert_int_equal(kms_reset(dev.fd), 0);
	assert_errno(vbl_wait(DRM_VBLANK_RELATIVE, 0, NULL, NULL), EINVAL);
	sleep_us(100000);
	assert_int_equal(kms_pipe_enable(dev.fd, &pipe0, NULL, fb.fb_id), 0);
	assert_int_equal(vbl_wait(DRM_VBLANK_RELATIVE, 0, &s2, &t2), 0);
	double frames = (double)(kms_now_ns() - start) / frame_ns(&pipe0.mode);
	printf("# %u vblanks counted over %.2f frames of off/on\n", s2 - s1, frames);
	assert_true((int)(s2 - s1) >= 0);
	assert_true((double)(s2 - s1) <= frames + 5);
	kms_fb_destroy(dev.fd, &fb);
}

/*
 * VRR on the rear pipe: the connector is vrr_capable, VRR_ENABLED is
 * accepted, flips still complete with increasing timestamps, and an idle
 * pipe stretches its frames (LTPO-style): successive one-vblank waits span
 * more and more frames, each still on the frame grid of the mode.
 */
static void test_vrr_idle_stretch(void **state)
{
	if (!kms_has_prop(dev.fd, pipe0.conn_id, DRM_MODE_OBJECT_CONNECTOR,
			"vrr_capable") ||
	    !kms_get_prop(dev.fd, pipe0.conn_id, DRM_MODE_OBJECT_CONNECTOR,
			"vrr_capable", 0)) {
		/* verso's rear panel must be VRR capable; others may not be. */
		if (dev.is_verso)
			fail_msg("%s is not vrr_capable", pipe0.name);
		skip();
	}
	struct kms_fb a, b;
	light_pipe(0xff000000, &a);
	make_fb(pipe0.mode.hdisplay, pipe0.mode.vdisplay, DRM_FORMAT_XRGB8888,
		0xffffffff, &b);
	drmModeAtomicReq *req = drmModeAtomicAlloc();
	assert_int_equal(kms_req_add(req, dev.fd, pipe0.crtc_id,
		DRM_MODE_OBJECT_CRTC, "VRR_ENABLED", 1), 0);
	assert_int_equal(kms_commit(dev.fd, req, 0), 0);
	drmModeAtomicFree(req);
	assert_int_equal(kms_get_prop(dev.fd, pipe0.crtc_id, DRM_MODE_OBJECT_CRTC,
		"VRR_ENABLED", 0), 1);
	struct ev_log log = { 0 };
	for (unsigned int i = 0; i < 4; i++) {
		assert_int_equal(drmModePageFlip(dev.fd, pipe0.crtc_id,
			(i % 2 ? a : b).fb_id, DRM_MODE_PAGE_FLIP_EVENT, &log), 0);
		wait_events(&log, i + 1, 3000);
		if (i)
			assert_true(log.ns[i] > log.ns[i - 1] &&
				log.seq[i] > log.seq[i - 1]);
	}
	unsigned int seq[6], max_d = 0;
	uint64_t ns[6];
	for (int i = 0; i < 6; i++)
		assert_int_equal(vbl_wait(DRM_VBLANK_RELATIVE, 1, &seq[i], &ns[i]), 0);
	printf("# VRR idle vblank steps:");
	for (int i = 1; i < 6; i++) {
		unsigned int d = seq[i] - seq[i - 1];
		printf(" %u", d);
		check_span("stretched frame", ns[i] - ns[i - 1], d,
			frame_ns(&pipe0.mode));
		if (d > max_d)
			max_d = d;
	}
	printf("\n");
	assert_true(max_d >= 4);
	kms_fb_destroy(dev.fd, &a);
	kms_fb_destroy(dev.fd, &b);
}

static const struct CMUnitTest tests[] = {
	KMS_SUBTEST("kms_flip/basic-plain-flip", test_plain_flip),
	KMS_SUBTEST("kms_flip/plain-flip-all-refresh-rates", test_flip_all_rates),
	KMS_SUBTEST("kms_flip/2x-plain-flip", test_2x_plain_flip),
	KMS_SUBTEST("kms_flip/nonexisting-fb", test_nonexisting_fb),
	KMS_SUBTEST("kms_flip/flip-vs-pending-busy", test_flip_vs_pending),
	KMS_SUBTEST("kms_flip/flip-vs-rmfb", test_flip_vs_rmfb),
	KMS_SUBTEST("kms_flip/flip-vs-modeset", test_flip_vs_modeset),
	KMS_SUBTEST("kms_rmfb/rmfb-ioctl", test_rmfb_ioctl),
	KMS_SUBTEST("kms_rmfb/close-fd", test_rmfb_close_fd),
	KMS_SUBTEST("kms_flip/flip-vs-wf_vblank", test_flip_vs_wf_vblank),
	KMS_SUBTEST("kms_vblank/invalid", test_vblank_invalid),
	KMS_SUBTEST("kms_vblank/query-idle", test_query_idle),
	KMS_SUBTEST("kms_vblank/query-busy", test_query_busy),
	KMS_SUBTEST("kms_vblank/wait-idle", test_wait_idle),
	KMS_SUBTEST("kms_vblank/wait-busy", test_wait_busy),
	KMS_SUBTEST("kms_vblank/query-forked", test_query_forked),
	KMS_SUBTEST("kms_vblank/query-forked-busy", test_query_forked_busy),
	KMS_SUBTEST("kms_vblank/wait-forked", test_wait_forked),
	KMS_SUBTEST("kms_vblank/wait-forked-busy", test_wait_forked_busy),
	KMS_SUBTEST("kms_vblank/accuracy-idle", test_accuracy_idle),
	KMS_SUBTEST("kms_vblank/crtc-id", test_crtc_id),
	KMS_SUBTEST("kms_vblank/ts-continuation-modeset", test_ts_continuation_modeset),
	KMS_SUBTEST("kms_vrr/lobf-idle-stretch", test_vrr_idle_stretch),
};

KMS_SUITE_MAIN("kms_flip", tests)
