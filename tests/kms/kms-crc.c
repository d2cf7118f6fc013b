// SPDX-License-Identifier: MIT
/*
 * Pipe CRCs through debugfs crc/control + crc/data, held to what IGT's
 * kms_pipe_crc_basic requires: a static frame gives a stable CRC with frame
 * counters that follow the vblank counter, different content gives a
 * different CRC, non-blocking reads, a bad source, and the CRTC turned off
 * under an open CRC reader.
 */
#include <fcntl.h>
#include <poll.h>
#include "kms-suite.h"

static void read_stable(const struct kms_pipe *p, unsigned int n)
{
	struct kms_crc crc;
	assert_int_equal(kms_crc_start(&dev, p->crtc_index, "auto", 0, &crc), 0);
	uint32_t frame, value, first = 0, prev_frame = 0;
	for (unsigned int i = 0; i < n; i++) {
		assert_int_equal(kms_crc_read(&crc, &frame, &value, 3000), 0);
		if (i == 1)
			first = value;
		else if (i > 1)
			assert_int_equal(value, first); /* the first may predate */
		if (i && frame != ~0u)
			assert_true(frame > prev_frame);
		prev_frame = frame;
	}
	kms_crc_stop(&crc);
}

static void test_read_crc(void **state)
{
	struct kms_fb fb;
	light_pipe(0xff336699, &fb);
	read_stable(&pipe0, 10);
	kms_fb_destroy(dev.fd, &fb);
}

/* Frame counters are vblank counts: they match drmWaitVBlank's. */
static void test_read_crc_frame_sequence(void **state)
{
	struct kms_fb fb;
	light_pipe(0xff336699, &fb);
	struct kms_crc crc;
	assert_int_equal(kms_crc_start(&dev, pipe0.crtc_index, "auto", 0, &crc), 0);
	uint32_t frame, value, prev = 0;
	unsigned int gaps = 0;
	for (int i = 0; i < 12; i++) {
		assert_int_equal(kms_crc_read(&crc, &frame, &value, 3000), 0);
		assert_int_not_equal(frame, ~0u);
		if (i) {
			assert_true(frame > prev);
			gaps += frame - prev - 1;
		}
		prev = frame;
	}
	drmVBlank vbl = { .request = { .type = DRM_VBLANK_RELATIVE |
		(pipe0.crtc_index == 1 ? DRM_VBLANK_SECONDARY :
		 pipe0.crtc_index << DRM_VBLANK_HIGH_CRTC_SHIFT) } };
	assert_int_equal(drmWaitVBlank(dev.fd, &vbl), 0);
	printf("# last CRC frame %u, vblank %u, %u frames skipped\n", frame,
		vbl.reply.sequence, gaps);
	assert_true(vbl.reply.sequence >= frame);
	assert_true(vbl.reply.sequence - frame < 60);
	kms_crc_stop(&crc);
	kms_fb_destroy(dev.fd, &fb);
}

static void test_nonblocking_crc(void **state)
{
	struct kms_fb fb;
	light_pipe(0xff336699, &fb);
	struct kms_crc crc;
	assert_int_equal(kms_crc_start(&dev, pipe0.crtc_index, "auto",
		O_NONBLOCK, &crc), 0);
	char buf[128];
	/* Either nothing yet (EAGAIN) or a whole entry. */
	ssize_t n = read(crc.data_fd, buf, sizeof(buf));
	assert_true((n < 0 && errno == EAGAIN) || n > 10);
	uint32_t frame, value;
	assert_int_equal(kms_crc_read(&crc, &frame, &value, 3000), 0);
	/* A buffer too small for one entry is refused. */
	assert_int_equal(kms_crc_read(&crc, &frame, &value, 3000), 0);
	struct pollfd pfd = { .fd = crc.data_fd, .events = POLLIN };
	assert_int_equal(poll(&pfd, 1, 3000), 1);
	n = read(crc.data_fd, buf, 4);
	assert_int_equal(n, -1);
	assert_int_equal(errno, EINVAL);
	kms_crc_stop(&crc);
	kms_fb_destroy(dev.fd, &fb);
}

static void test_compare_sanity(void **state)
{
	const uint32_t w = pipe0.mode.hdisplay, h = pipe0.mode.vdisplay;
	uint32_t crc_a = crc_of_solid(0xff00ff00);
	/* The same content in another buffer: the same CRC. */
	uint32_t crc_a2 = crc_of_solid(0xff00ff00);
	assert_int_equal(crc_a, crc_a2);
	uint32_t crc_b = crc_of_solid(0xff0000ff);
	assert_int_not_equal(crc_a, crc_b);
	/* One pixel differs: the CRC differs. */
	struct kms_fb fb;
	light_pipe(0xff00ff00, &fb);
	kms_fb_fill(&fb, w / 2, h / 2, 1, 1, 0xff00fe00);
	/* Dumb buffers are scanned out as they are: a re-commit shows the change. */
	assert_int_equal(drmModeSetPlane(dev.fd, pipe0.primary, pipe0.crtc_id,
		fb.fb_id, 0, 0, 0, w, h, 0, 0, w << 16, h << 16), 0);
	assert_int_not_equal(crc_now(), crc_a);
	/* The X byte of XRGB8888 is ignored. */
	kms_fb_fill(&fb, 0, 0, w, h, 0x0000ff00);
	assert_int_equal(drmModeSetPlane(dev.fd, pipe0.primary, pipe0.crtc_id,
		fb.fb_id, 0, 0, 0, w, h, 0, 0, w << 16, h << 16), 0);
	assert_int_equal(crc_now(), crc_a);
	kms_fb_destroy(dev.fd, &fb);
}

static void test_bad_source(void **state)
{
	struct kms_fb fb;
	light_pipe(0xff336699, &fb);
	struct kms_crc crc;
	int ret = kms_crc_start(&dev, pipe0.crtc_index, "foo", 0, &crc);
	assert_int_equal(ret, -EINVAL);
	kms_crc_stop(&crc);
	/* A good source still works afterwards. */
	uint32_t v;
	assert_int_equal(kms_crc_now(&dev, pipe0.crtc_index, &v), 0);
	kms_fb_destroy(dev.fd, &fb);
}

/* The CRTC goes off under an open reader: no hang, and CRCs come back. */
static void test_disable_crc_after_crtc(void **state)
{
	struct kms_fb fb;
	light_pipe(0xff336699, &fb);
	struct kms_crc crc;
	assert_int_equal(kms_crc_start(&dev, pipe0.crtc_index, "auto", 0, &crc), 0);
	uint32_t frame, value;
	assert_int_equal(kms_crc_read(&crc, &frame, &value, 3000), 0);
	assert_int_equal(kms_reset(dev.fd), 0);
	/* Drain what was produced; then nothing more arrives. */
	int ret;
	int drained = 0;
	while ((ret = kms_crc_read(&crc, &frame, &value, 300)) == 0 && drained < 100)
		drained++;
	assert_true(drained < 100);
	kms_crc_stop(&crc);
	assert_int_equal(kms_pipe_enable(dev.fd, &pipe0, NULL, fb.fb_id), 0);
	read_stable(&pipe0, 4);
	kms_fb_destroy(dev.fd, &fb);
}

/* Every CRTC has its own CRC source, running at the same time. */
static void test_read_crc_2x(void **state)
{
	drmModeRes *res = drmModeGetResources(dev.fd);
	int count = res->count_crtcs;
	drmModeFreeResources(res);
	if (count < 2)
		skip();
	struct kms_pipe other;
	assert_int_equal(kms_pipe_find(dev.fd, "DSI-1", &other), 0);
	struct kms_fb a, b;
	light_pipe(0xff336699, &a);
	make_fb(other.mode.hdisplay, other.mode.vdisplay, DRM_FORMAT_XRGB8888,
		0xff996633, &b);
	assert_int_equal(kms_pipe_enable(dev.fd, &other, NULL, b.fb_id), 0);
	struct kms_crc c0, c1;
	assert_int_equal(kms_crc_start(&dev, pipe0.crtc_index, "auto", 0, &c0), 0);
	assert_int_equal(kms_crc_start(&dev, other.crtc_index, "auto", 0, &c1), 0);
	uint32_t f, v0 = 0, v1 = 0;
	for (int i = 0; i < 3; i++) {
		assert_int_equal(kms_crc_read(&c0, &f, &v0, 3000), 0);
		assert_int_equal(kms_crc_read(&c1, &f, &v1, 3000), 0);
	}
	assert_int_not_equal(v0, v1);
	kms_crc_stop(&c0);
	kms_crc_stop(&c1);
	kms_fb_destroy(dev.fd, &a);
	kms_fb_destroy(dev.fd, &b);
}

static const struct CMUnitTest tests[] = {
	KMS_SUBTEST("kms_pipe_crc_basic/read-crc", test_read_crc),
	KMS_SUBTEST("kms_pipe_crc_basic/read-crc-frame-sequence", test_read_crc_frame_sequence),
	KMS_SUBTEST("kms_pipe_crc_basic/nonblocking-crc", test_nonblocking_crc),
	KMS_SUBTEST("kms_pipe_crc_basic/compare-crc-sanitycheck-xr24", test_compare_sanity),
	KMS_SUBTEST("kms_pipe_crc_basic/bad-source", test_bad_source),
	KMS_SUBTEST("kms_pipe_crc_basic/disable-crc-after-crtc", test_disable_crc_after_crtc),
	KMS_SUBTEST("kms_pipe_crc_basic/read-crc-2x", test_read_crc_2x),
};

KMS_SUITE_MAIN("kms_pipe_crc_basic", tests)
