// SPDX-License-Identifier: MIT
/*
 * Panel firmware: the shared parser (kernel/verso_panel_fw.c) and the
 * compiler (verso-panelc).
 *
 * The reference description is compiled by the compiler under test, so this
 * program needs VERSO_PANELC and VERSO_PANEL_REF (set by meson).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <verso/display.h>

#include "verso_panel_fw.h"

#ifndef VERSO_PANELC
#error "VERSO_PANELC must name the verso-panelc binary"
#endif
#ifndef VERSO_PANEL_REF
#error "VERSO_PANEL_REF must name the reference panel description"
#endif

static char tmpdir[] = "/tmp/verso-panel-fw-XXXXXX";
static unsigned char ref[VERSO_PANEL_FW_MAX_SIZE];
static size_t ref_len;
static struct verso_panel_fw fw;
static char err[256];

/* ---- helpers ------------------------------------------------------------- */

static int run(char *out, size_t outlen, const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	FILE *p;
	size_t n = 0;
	int status;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	strncat(cmd, " 2>&1", sizeof(cmd) - strlen(cmd) - 1);
	p = popen(cmd, "r");
	assert_non_null(p);
	if (out && outlen) {
		n = fread(out, 1, outlen - 1, p);
		out[n] = '\0';
	} else {
		char sink[4096];

		while (fread(sink, 1, sizeof(sink), p) > 0)
			;
	}
	status = pclose(p);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static size_t read_file(const char *path, unsigned char *buf, size_t max)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, max, f);
	fclose(f);
	return n;
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int parse(const unsigned char *buf, size_t len)
{
	memset(err, 0, sizeof(err));
	return verso_panel_fw_parse(buf, len, &fw, err, sizeof(err));
}

static void put16(unsigned char *p, unsigned int v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

static void put32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* Rewrites total size and CRC so that structural checks are reached. */
static void fixup(unsigned char *buf, size_t len)
{
	put32(buf + 12, (uint32_t)len);
	put32(buf + 16, verso_panel_fw_crc32(buf + 24, len - 24));
}

#define assert_parse_fails(buf, len, code, text) do {			\
	int r_ = parse((buf), (len));					\
	if (r_ != (code) || !strstr(err, (text)))			\
		fail_msg("expected %d \"%s\", got %d \"%s\"",		\
			 (code), (text), r_, err);			\
} while (0)

/* ---- a blob builder for crafted inputs ----------------------------------- */

struct tb {
	unsigned char buf[VERSO_PANEL_FW_MAX_SIZE + 4096];
	size_t len;
	unsigned int count;
};

static struct tb tb;

static void tb_start(void)
{
	memset(&tb, 0, sizeof(tb));
	memcpy(tb.buf, VERSO_PANEL_FW_MAGIC, 8);
	put16(tb.buf + 8, VERSO_PANEL_FW_VERSION);
	put16(tb.buf + 10, VERSO_PANEL_FW_HEADER_SIZE);
	tb.len = VERSO_PANEL_FW_HEADER_SIZE;
}

/* Returns the offset of the section's payload. */
static size_t tb_section(unsigned int type, unsigned int flags,
			 const void *payload, uint32_t len)
{
	size_t at = tb.len;

	put16(tb.buf + at, type);
	put16(tb.buf + at + 2, flags);
	put32(tb.buf + at + 4, len);
	memcpy(tb.buf + at + 8, payload, len);
	tb.len += 8 + ((len + 3) & ~3u);
	tb.count++;
	return at + 8;
}

static size_t tb_finish(void)
{
	put16(tb.buf + 20, tb.count);
	fixup(tb.buf, tb.len);
	return tb.len;
}

static void panel_payload(unsigned char *p)
{
	memset(p, 0, VERSO_PANEL_FW_PANEL_SIZE);
	put16(p + 0, 73);
	put16(p + 2, 45);
	put16(p + 4, 2047);
	put16(p + 6, 1023);
	p[8] = 2;
	p[9] = 4;
	p[10] = VERSO_PANEL_FW_FMT_RGB888;
	put32(p + 12, VERSO_PANEL_FW_DSI_LPM);
	memcpy(p + 16, "test-panel", 10);
}

static void mode_payload(unsigned char *p, unsigned int vtotal, uint32_t flags)
{
	put32(p + 0, 120u * vtotal);	/* htotal 1000: 120 Hz */
	put16(p + 4, 976);
	put16(p + 6, 984);
	put16(p + 8, 992);
	put16(p + 10, 1000);
	put16(p + 12, 596);
	put16(p + 14, 604);
	put16(p + 16, 608);
	put16(p + 18, (uint16_t)vtotal);
	put32(p + 20, flags);
}

static const unsigned char seq_on[] = { 1, 1, 0x11, 3, 2, 120, 0, 1, 1, 0x29 };
static const unsigned char seq_off[] = { 1, 1, 0x28, 1, 1, 0x10 };

enum { NO_PANEL = 1, NO_MODE = 2, NO_ENABLE = 4, NO_DISABLE = 8 };

/* A minimal valid blob, optionally missing required parts. */
static void tb_minimal(unsigned int omit)
{
	unsigned char p[VERSO_PANEL_FW_PANEL_SIZE], m[VERSO_PANEL_FW_MODE_SIZE];

	tb_start();
	panel_payload(p);
	mode_payload(m, 625, VERSO_PANEL_FW_MODE_PREFERRED);
	if (!(omit & NO_PANEL))
		tb_section(VERSO_PANEL_FW_SEC_PANEL, 0, p, sizeof(p));
	if (!(omit & NO_MODE))
		tb_section(VERSO_PANEL_FW_SEC_MODE, 0, m, sizeof(m));
	if (!(omit & NO_ENABLE))
		tb_section(VERSO_PANEL_FW_SEC_SEQ_BASE + VERSO_PANEL_FW_SEQ_ENABLE,
			   0, seq_on, sizeof(seq_on));
	if (!(omit & NO_DISABLE))
		tb_section(VERSO_PANEL_FW_SEC_SEQ_BASE + VERSO_PANEL_FW_SEQ_DISABLE,
			   0, seq_off, sizeof(seq_off));
}

/* ---- fixtures -------------------------------------------------------------- */

static int setup(void **state)
{
	char out[4096];

	if (!mkdtemp(tmpdir))
		return -1;
	if (run(out, sizeof(out), "%s -o %s/rear.bin %s", VERSO_PANELC, tmpdir,
		VERSO_PANEL_REF)) {
		fprintf(stderr, "verso-panelc failed: %s\n", out);
		return -1;
	}
	{
		char path[512];

		snprintf(path, sizeof(path), "%s/rear.bin", tmpdir);
		ref_len = read_file(path, ref, sizeof(ref));
	}
	return ref_len ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

/* ---- the reference panel ----------------------------------------------------- */

static void expect_steps(unsigned int id, const unsigned char *want, size_t n)
{
	const struct verso_panel_fw_seq *s = &fw.seqs[id];
	unsigned char got[256];
	struct verso_panel_fw_step st;
	size_t k = 0;
	u32 pos = 0;
	int r;

	/* Flatten to op, len|ms, bytes... for comparison. */
	while ((r = verso_panel_fw_next_step(s, &pos, &st)) > 0) {
		got[k++] = st.op;
		if (st.op == VERSO_PANEL_FW_OP_DELAY) {
			got[k++] = (unsigned char)st.delay_ms;
		} else {
			got[k++] = st.len;
			memcpy(got + k, st.data, st.len);
			k += st.len;
		}
	}
	assert_int_equal(r, 0);
	assert_int_equal(k, n);
	assert_memory_equal(got, want, n);
}

static void test_reference(void **state)
{
	static const unsigned int rates[] = { 120, 90, 60, 30, 10, 1 };
	static const unsigned char init[] = {
		1, 2, 0x35, 0x00, 1, 2, 0x53, 0x20, 1, 3, 0x51, 0x03, 0xff,
	};
	static const unsigned char enable[] = { 1, 1, 0x11, 3, 120, 1, 1, 0x29, 3, 20 };
	static const unsigned char disable[] = { 1, 1, 0x28, 1, 1, 0x10, 3, 120 };
	static const unsigned char idle_enter[] = { 1, 1, 0x39 };
	static const unsigned char idle_exit[] = { 1, 1, 0x38 };

	assert_int_equal(parse(ref, ref_len), 0);
	assert_string_equal(err, "");
	assert_int_equal(fw.version, 1);
	assert_string_equal(fw.name, "verso-rear-amoled");
	assert_int_equal(fw.width_mm, 73);
	assert_int_equal(fw.height_mm, 45);
	assert_int_equal(fw.max_brightness, 2047);
	assert_int_equal(fw.brightness_bytes, 2);
	assert_int_equal(fw.lanes, 4);
	assert_int_equal(fw.format, VERSO_PANEL_FW_FMT_RGB888);
	assert_false(fw.dsi_flags & VERSO_PANEL_FW_DSI_VIDEO);

	assert_int_equal(fw.num_modes, 6);
	assert_int_equal(fw.preferred, 0);
	for (unsigned int i = 0; i < 6; i++) {
		const struct verso_panel_fw_mode *m = &fw.modes[i];

		assert_int_equal(m->hdisplay, VERSO_REAR_HDISPLAY);
		assert_int_equal(m->vdisplay, VERSO_REAR_VDISPLAY);
		/* Exact refresh: clock * 1000 == rate * htotal * vtotal. */
		assert_int_equal((uint64_t)m->clock_khz * 1000,
				 (uint64_t)rates[i] * m->htotal * m->vtotal);
		assert_int_equal(!!(m->flags & VERSO_PANEL_FW_MODE_PREFERRED), i == 0);
	}
	assert_int_equal(fw.modes[0].clock_khz, VERSO_REAR_CLOCK_KHZ);
	assert_int_equal(fw.modes[0].htotal, VERSO_REAR_HTOTAL);
	assert_int_equal(fw.modes[0].vtotal, VERSO_REAR_VTOTAL);

	expect_steps(VERSO_PANEL_FW_SEQ_INIT, init, sizeof(init));
	expect_steps(VERSO_PANEL_FW_SEQ_ENABLE, enable, sizeof(enable));
	expect_steps(VERSO_PANEL_FW_SEQ_DISABLE, disable, sizeof(disable));
	expect_steps(VERSO_PANEL_FW_SEQ_IDLE_ENTER, idle_enter, sizeof(idle_enter));
	expect_steps(VERSO_PANEL_FW_SEQ_IDLE_EXIT, idle_exit, sizeof(idle_exit));
	assert_int_equal(fw.seqs[VERSO_PANEL_FW_SEQ_ENABLE].total_delay_ms, 140);
	assert_null(fw.seqs[5].data);
}

/* ---- damaged blobs --------------------------------------------------------- */

static void test_truncations(void **state)
{
	static unsigned char buf[VERSO_PANEL_FW_MAX_SIZE];

	for (size_t len = 0; len < ref_len; len++) {
		memcpy(buf, ref, len);
		if (parse(buf, len) >= 0 || !err[0])
			fail_msg("truncation to %zu bytes accepted", len);
		/* Same, with a consistent header: the section walk must catch it. */
		if (len >= VERSO_PANEL_FW_HEADER_SIZE) {
			fixup(buf, len);
			if (parse(buf, len) != -EINVAL || !err[0])
				fail_msg("fixed-up truncation to %zu bytes: %s", len, err);
		}
	}
}

static void test_bit_flips(void **state)
{
	static unsigned char buf[VERSO_PANEL_FW_MAX_SIZE];

	for (size_t i = 0; i < ref_len * 8; i++) {
		memcpy(buf, ref, ref_len);
		buf[i / 8] ^= (unsigned char)(1u << (i % 8));
		if (i / 8 >= VERSO_PANEL_FW_HEADER_SIZE || (i / 8 >= 16 && i / 8 < 20))
			assert_parse_fails(buf, ref_len, -EBADMSG, "CRC32 mismatch");
		else if (parse(buf, ref_len) >= 0)
			fail_msg("header bit %zu flipped and accepted", i);
	}
}

static void test_header(void **state)
{
	static unsigned char buf[VERSO_PANEL_FW_MAX_SIZE + 16];

	assert_parse_fails(ref, 10, -EINVAL, "shorter than the 24 byte header");
	assert_parse_fails(NULL, 0, -EINVAL, "no data");

	memcpy(buf, ref, ref_len);
	buf[0] = 'X';
	assert_parse_fails(buf, ref_len, -EINVAL, "offset 0x0000: bad magic");

	memcpy(buf, ref, ref_len);
	put16(buf + 8, 2);
	assert_parse_fails(buf, ref_len, -EINVAL, "offset 0x0008: unsupported format version 2");

	memcpy(buf, ref, ref_len);
	put16(buf + 10, 28);
	assert_parse_fails(buf, ref_len, -EINVAL, "offset 0x000a: header size 28");

	memcpy(buf, ref, ref_len);
	put32(buf + 12, 0xffffffffu);
	assert_parse_fails(buf, ref_len, -EINVAL, "offset 0x000c: total size 4294967295 does not match");

	memcpy(buf, ref, ref_len);
	put16(buf + 22, 1);
	assert_parse_fails(buf, ref_len, -EINVAL, "reserved header field");

	/* Section count larger or smaller than the sections present. */
	memcpy(buf, ref, ref_len);
	put16(buf + 20, 13);
	fixup(buf, ref_len);
	assert_parse_fails(buf, ref_len, -EINVAL, "section 12 of 13: header truncated");
	put16(buf + 20, 11);
	fixup(buf, ref_len);
	assert_parse_fails(buf, ref_len, -EINVAL, "bytes after the last of 11 sections");
	put16(buf + 20, 0xffff);
	fixup(buf, ref_len);
	assert_parse_fails(buf, ref_len, -EINVAL, "header truncated");

	/* Trailing garbage, and blobs over the size limit. */
	memcpy(buf, ref, ref_len);
	memset(buf + ref_len, 0, 4);
	fixup(buf, ref_len + 4);
	assert_parse_fails(buf, ref_len + 4, -EINVAL, "4 bytes after the last of 12 sections");

	memset(buf, 0, sizeof(buf));
	memcpy(buf, ref, 24);
	assert_parse_fails(buf, VERSO_PANEL_FW_MAX_SIZE + 4, -E2BIG, "exceeds the 65536 byte limit");
}

static void test_sections(void **state)
{
	unsigned char p[VERSO_PANEL_FW_PANEL_SIZE], m[VERSO_PANEL_FW_MODE_SIZE];
	size_t len, at;

	tb_minimal(0);
	len = tb_finish();
	assert_int_equal(parse(tb.buf, len), 0);
	assert_null(fw.seqs[VERSO_PANEL_FW_SEQ_INIT].data);
	assert_string_equal(fw.name, "test-panel");

	/* Section length pointing far past the end; overflow-sized lengths. */
	tb_minimal(0);
	len = tb_finish();
	put32(tb.buf + 24 + 4, 0xfffffff0u);
	fixup(tb.buf, len);
	assert_parse_fails(tb.buf, len, -EINVAL, "offset 0x001c: section 0: length 4294967280 overruns the blob");
	put32(tb.buf + 24 + 4, 0xffffffffu);
	fixup(tb.buf, len);
	assert_parse_fails(tb.buf, len, -EINVAL, "overruns the blob");

	/* Length fits, padding does not. */
	tb_minimal(0);
	tb_section(0x4000, VERSO_PANEL_FW_SECF_OPTIONAL, "abc", 3);
	len = tb_finish() - 1;
	fixup(tb.buf, len);
	assert_parse_fails(tb.buf, len, -EINVAL, "padding to 4 bytes overruns");

	/* Non-zero padding. */
	tb_minimal(0);
	at = tb_section(0x4000, VERSO_PANEL_FW_SECF_OPTIONAL, "abc", 3);
	tb.buf[at + 3] = 1;
	len = tb_finish();
	assert_parse_fails(tb.buf, len, -EINVAL, "non-zero padding byte");

	/* Unknown sections: optional ones are skipped, others rejected. */
	tb_minimal(0);
	tb_section(0x4000, VERSO_PANEL_FW_SECF_OPTIONAL, "abc", 3);
	len = tb_finish();
	assert_int_equal(parse(tb.buf, len), 0);
	tb_minimal(0);
	tb_section(0x4000, 0, "abc", 3);
	len = tb_finish();
	assert_parse_fails(tb.buf, len, -EINVAL, "unknown type 0x4000");
	tb_minimal(0);
	tb_section(VERSO_PANEL_FW_SEC_SEQ_BASE + 7, 0, seq_off, sizeof(seq_off));
	len = tb_finish();
	assert_parse_fails(tb.buf, len, -EINVAL, "unknown type 0x0017");
	tb_minimal(0);
	tb_section(0x4000, 0x8000, "abc", 3);
	len = tb_finish();
	assert_parse_fails(tb.buf, len, -EINVAL, "unknown flags 0x8000");

	/* Missing and duplicate sections. */
	tb_minimal(NO_PANEL);
	assert_parse_fails(tb.buf, tb_finish(), -EINVAL, "missing PANEL section");
	tb_minimal(NO_MODE);
	assert_parse_fails(tb.buf, tb_finish(), -EINVAL, "no MODE section");
	tb_minimal(NO_ENABLE);
	assert_parse_fails(tb.buf, tb_finish(), -EINVAL, "missing or empty enable sequence");
	tb_minimal(NO_DISABLE);
	assert_parse_fails(tb.buf, tb_finish(), -EINVAL, "missing or empty disable sequence");
	tb_minimal(0);
	panel_payload(p);
	tb_section(VERSO_PANEL_FW_SEC_PANEL, 0, p, sizeof(p));
	assert_parse_fails(tb.buf, tb_finish(), -EINVAL, "duplicate PANEL section");
	tb_minimal(0);
	tb_section(VERSO_PANEL_FW_SEC_SEQ_BASE + VERSO_PANEL_FW_SEQ_DISABLE, 0,
		   seq_off, sizeof(seq_off));
	assert_parse_fails(tb.buf, tb_finish(), -EINVAL, "duplicate disable sequence");
	tb_minimal(0);
	tb_section(VERSO_PANEL_FW_SEC_SEQ_BASE + VERSO_PANEL_FW_SEQ_IDLE_ENTER, 0,
		   seq_off, sizeof(seq_off));
	assert_parse_fails(tb.buf, tb_finish(), -EINVAL, "idle_enter and idle_exit must be given together");

	/* Wrong PANEL and MODE lengths. */
	tb_start();
	panel_payload(p);
	tb_section(VERSO_PANEL_FW_SEC_PANEL, 0, p, sizeof(p) - 4);
	assert_parse_fails(tb.buf, tb_finish(), -EINVAL, "offset 0x001c: PANEL section length 44, version 1 requires 48");
	tb_minimal(0);
	mode_payload(m, 700, 0);
	tb_section(VERSO_PANEL_FW_SEC_MODE, 0, m, sizeof(m) - 2);
	assert_parse_fails(tb.buf, tb_finish(), -EINVAL, "mode 1: section length 22");
}

static void test_panel_fields(void **state)
{
	static const struct {
		size_t off;
		unsigned int val;
		int width;
		const char *msg;
	} cases[] = {
		{ 4, 0, 2, "max brightness is 0" },
		{ 6, 2048, 2, "default brightness 2048 above max brightness 2047" },
		{ 8, 3, 1, "brightness byte width 3" },
		{ 8, 1, 1, "max brightness 2047 does not fit in 1 byte" },
		{ 9, 0, 1, "0 DSI lanes" },
		{ 9, 5, 1, "5 DSI lanes" },
		{ 10, 4, 1, "unknown pixel format 4" },
		{ 11, 1, 1, "reserved byte" },
		{ 12, 0x1000, 4, "unknown DSI flags 0x00001000" },
		{ 12, VERSO_PANEL_FW_DSI_VIDEO_BURST, 4, "without video mode" },
		{ 16, 0, 1, "panel name is empty" },
		{ 17, 0x07, 1, "byte 0x07 is not printable ASCII" },
		{ 30, 'x', 1, "non-zero byte after its end" },
	};
	unsigned char p[VERSO_PANEL_FW_PANEL_SIZE];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		panel_payload(p);
		if (cases[i].width == 1)
			p[cases[i].off] = (unsigned char)cases[i].val;
		else if (cases[i].width == 2)
			put16(p + cases[i].off, cases[i].val);
		else
			put32(p + cases[i].off, cases[i].val);
		tb_start();
		tb_section(VERSO_PANEL_FW_SEC_PANEL, 0, p, sizeof(p));
		assert_parse_fails(tb.buf, tb_finish(), -EINVAL, cases[i].msg);
	}

	/* Name filling all 32 bytes, no NUL. */
	panel_payload(p);
	memset(p + 16, 'a', VERSO_PANEL_FW_NAME_LEN);
	tb_start();
	tb_section(VERSO_PANEL_FW_SEC_PANEL, 0, p, sizeof(p));
	assert_parse_fails(tb.buf, tb_finish(), -EINVAL, "not NUL-terminated");
}

static void test_modes(void **state)
{
	/* field offset, value, width, offset named in the message, message */
	static const struct {
		size_t off;
		uint32_t val;
		int width;
		size_t erroff;
		const char *msg;
	} cases[] = {
		{ 0, 0, 4, 0, "mode 1: clock is 0" },
		{ 0, 2000001, 4, 0, "above the 2000000 kHz limit" },
		{ 0, 400, 4, 0, "outside 1-1000 Hz" },		/* 0.64 Hz */
		{ 0, 1000000, 4, 0, "outside 1-1000 Hz" },	/* 1600 Hz */
		{ 4, 0, 2, 4, "bad horizontal timings 0/984/992/1000" },
		{ 6, 975, 2, 4, "bad horizontal timings 976/975/992/1000" },
		{ 8, 983, 2, 4, "bad horizontal timings" },
		{ 10, 991, 2, 4, "bad horizontal timings" },
		{ 10, 976, 2, 4, "bad horizontal timings" },
		{ 12, 0, 2, 12, "bad vertical timings" },
		{ 14, 595, 2, 12, "bad vertical timings 596/595/608/625" },
		{ 16, 603, 2, 12, "bad vertical timings" },
		{ 18, 607, 2, 12, "bad vertical timings" },
		{ 20, 0x10, 4, 20, "unknown flags 0x00000010" },
		{ 20, 3, 4, 20, "both positive and negative hsync" },
		{ 20, 12, 4, 20, "both positive and negative vsync" },
	};
	unsigned char m[VERSO_PANEL_FW_MODE_SIZE];
	char want[64];
	size_t len, at;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		tb_minimal(0);
		mode_payload(m, 625, 0);
		put32(m, 60000);	/* 96 Hz, distinct from mode 0 */
		if (cases[i].width == 2)
			put16(m + cases[i].off, cases[i].val);
		else
			put32(m + cases[i].off, cases[i].val);
		at = tb_section(VERSO_PANEL_FW_SEC_MODE, 0, m, sizeof(m));
		len = tb_finish();
		assert_parse_fails(tb.buf, len, -EINVAL, cases[i].msg);
		/* The message names the offset of the faulty field. */
		snprintf(want, sizeof(want), "offset 0x%04zx: mode 1:",
			 at + cases[i].erroff);
		if (strncmp(err, want, strlen(want)))
			fail_msg("offset not reported: want \"%s\", got \"%s\"", want, err);
	}

	/* 16 modes are fine, a 17th is too many. */
	tb_minimal(0);
	for (unsigned int i = 1; i < VERSO_PANEL_FW_MAX_MODES; i++) {
		mode_payload(m, 625 + i, 0);
		tb_section(VERSO_PANEL_FW_SEC_MODE, 0, m, sizeof(m));
	}
	len = tb_finish();
	assert_int_equal(parse(tb.buf, len), 0);
	assert_int_equal(fw.num_modes, 16);
	mode_payload(m, 700, 0);
	tb_section(VERSO_PANEL_FW_SEC_MODE, 0, m, sizeof(m));
	assert_parse_fails(tb.buf, tb_finish(), -E2BIG, "more than 16 modes");

	/* Preferred and duplicate modes. */
	tb_minimal(0);
	mode_payload(m, 700, VERSO_PANEL_FW_MODE_PREFERRED);
	tb_section(VERSO_PANEL_FW_SEC_MODE, 0, m, sizeof(m));
	assert_parse_fails(tb.buf, tb_finish(), -EINVAL, "modes 0 and 1 are both preferred");
	tb_minimal(0);
	mode_payload(m, 625, VERSO_PANEL_FW_MODE_NHSYNC);
	tb_section(VERSO_PANEL_FW_SEC_MODE, 0, m, sizeof(m));
	assert_parse_fails(tb.buf, tb_finish(), -EINVAL, "mode 1 duplicates mode 0");
	tb_start();
	{
		unsigned char p[VERSO_PANEL_FW_PANEL_SIZE];

		panel_payload(p);
		tb_section(VERSO_PANEL_FW_SEC_PANEL, 0, p, sizeof(p));
	}
	mode_payload(m, 625, 0);
	tb_section(VERSO_PANEL_FW_SEC_MODE, 0, m, sizeof(m));
	tb_section(VERSO_PANEL_FW_SEC_SEQ_BASE + VERSO_PANEL_FW_SEQ_ENABLE, 0, seq_on, sizeof(seq_on));
	tb_section(VERSO_PANEL_FW_SEC_SEQ_BASE + VERSO_PANEL_FW_SEQ_DISABLE, 0, seq_off, sizeof(seq_off));
	assert_parse_fails(tb.buf, tb_finish(), -EINVAL, "no preferred mode");

	/* The 16-bit extremes are accepted. */
	tb_start();
	{
		unsigned char p[VERSO_PANEL_FW_PANEL_SIZE];

		panel_payload(p);
		tb_section(VERSO_PANEL_FW_SEC_PANEL, 0, p, sizeof(p));
	}
	mode_payload(m, 65535, VERSO_PANEL_FW_MODE_PREFERRED);
	put16(m + 10, 65535);
	put32(m, 2000000);	/* 0.47 Hz: too slow */
	tb_section(VERSO_PANEL_FW_SEC_MODE, 0, m, sizeof(m));
	tb_section(VERSO_PANEL_FW_SEC_SEQ_BASE + VERSO_PANEL_FW_SEQ_ENABLE, 0, seq_on, sizeof(seq_on));
	tb_section(VERSO_PANEL_FW_SEC_SEQ_BASE + VERSO_PANEL_FW_SEQ_DISABLE, 0, seq_off, sizeof(seq_off));
	assert_parse_fails(tb.buf, tb_finish(), -EINVAL, "outside 1-1000 Hz");
}

static void add_seq(unsigned int id, const unsigned char *s, uint32_t n)
{
	tb_section(VERSO_PANEL_FW_SEC_SEQ_BASE + id, 0, s, n);
}

static void test_sequences(void **state)
{
	static const struct {
		unsigned char s[8];
		uint32_t n;
		int code;
		const char *msg;
	} cases[] = {
		{ { 1 }, 1, -EINVAL, "init step 0: truncated step header" },
		{ { 1, 3, 0x11 }, 3, -EINVAL, "init step 0: length 3 overruns the section (1 bytes left)" },
		{ { 1, 0 }, 2, -EINVAL, "init step 0: empty DCS write" },
		{ { 2, 0 }, 2, -EINVAL, "init step 0: empty generic write" },
		{ { 9, 0 }, 2, -EINVAL, "init step 0: unknown opcode 0x09" },
		{ { 3, 1, 5 }, 3, -EINVAL, "delay length 1, must be 2" },
		{ { 3, 2, 0, 0 }, 4, -EINVAL, "delay 0 ms outside 1-1000 ms" },
		{ { 3, 2, 0xe9, 0x03 }, 4, -EINVAL, "delay 1001 ms outside 1-1000 ms" },
		{ { 1, 1, 0x11, 1 }, 4, -EINVAL, "init step 1: truncated step header" },
		{ { 1, 1, 0x11, 1, 1 }, 5, -EINVAL, "init step 1: length 1 overruns the section (0 bytes left)" },
	};
	static unsigned char big[2048];
	size_t len, at;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		tb_minimal(0);
		add_seq(VERSO_PANEL_FW_SEQ_INIT, cases[i].s, cases[i].n);
		assert_parse_fails(tb.buf, tb_finish(), cases[i].code, cases[i].msg);
	}

	/* Offset of a bad step is reported exactly. */
	tb_minimal(0);
	at = tb_section(VERSO_PANEL_FW_SEC_SEQ_BASE, 0, "\x01\x01\x11\x07\x00", 5);
	len = tb_finish();
	snprintf((char *)big, sizeof(big),
		 "offset 0x%04zx: init step 1: unknown opcode 0x07", at + 3);
	assert_parse_fails(tb.buf, len, -EINVAL, (char *)big);

	/* Payload limit: 128 bytes pass, 129 do not. */
	memset(big, 0, sizeof(big));
	big[0] = 1;
	big[1] = VERSO_PANEL_FW_MAX_PAYLOAD;
	big[2] = 0xb0;
	tb_minimal(0);
	add_seq(VERSO_PANEL_FW_SEQ_INIT, big, 2 + VERSO_PANEL_FW_MAX_PAYLOAD);
	assert_int_equal(parse(tb.buf, tb_finish()), 0);
	big[1] = VERSO_PANEL_FW_MAX_PAYLOAD + 1;
	tb_minimal(0);
	add_seq(VERSO_PANEL_FW_SEQ_INIT, big, 3 + VERSO_PANEL_FW_MAX_PAYLOAD);
	assert_parse_fails(tb.buf, tb_finish(), -E2BIG, "129 byte write exceeds the 128 byte limit");

	/* Delays add up to at most 5 s. */
	for (int i = 0; i < 6; i++) {
		big[4 * i] = 3;
		big[4 * i + 1] = 2;
		put16(big + 4 * i + 2, 1000);
	}
	tb_minimal(0);
	add_seq(VERSO_PANEL_FW_SEQ_INIT, big, 20);
	assert_int_equal(parse(tb.buf, tb_finish()), 0);
	assert_int_equal(fw.seqs[0].total_delay_ms, 5000);
	tb_minimal(0);
	add_seq(VERSO_PANEL_FW_SEQ_INIT, big, 24);
	assert_parse_fails(tb.buf, tb_finish(), -E2BIG, "init: delays add up to more than 5000 ms");

	/* At most 256 steps. */
	for (int i = 0; i < 257; i++) {
		big[3 * i] = 1;
		big[3 * i + 1] = 1;
		big[3 * i + 2] = 0;
	}
	tb_minimal(0);
	add_seq(VERSO_PANEL_FW_SEQ_INIT, big, 3 * 256);
	assert_int_equal(parse(tb.buf, tb_finish()), 0);
	assert_int_equal(fw.seqs[0].num_steps, 256);
	tb_minimal(0);
	add_seq(VERSO_PANEL_FW_SEQ_INIT, big, 3 * 257);
	assert_parse_fails(tb.buf, tb_finish(), -E2BIG, "init: more than 256 steps");

	/* An empty enable sequence is as good as none. */
	tb_minimal(NO_ENABLE);
	add_seq(VERSO_PANEL_FW_SEQ_ENABLE, big, 0);
	assert_parse_fails(tb.buf, tb_finish(), -EINVAL, "missing or empty enable sequence");
}

static void test_iterator(void **state)
{
	struct verso_panel_fw_seq s = { 0 };
	struct verso_panel_fw_step st;
	static const unsigned char bad1[] = { 1, 5, 0x11 };
	static const unsigned char bad2[] = { 7, 0 };
	static const unsigned char bad3[] = { 1 };
	static const unsigned char bad4[] = { 2, 0 };
	static const unsigned char bad5[] = { 3, 1, 5 };
	u32 pos = 0;

	assert_int_equal(verso_panel_fw_next_step(&s, &pos, &st), 0);
	s.data = bad1;
	s.len = sizeof(bad1);
	assert_int_equal(verso_panel_fw_next_step(&s, &pos, &st), -EINVAL);
	s.data = bad2;
	s.len = sizeof(bad2);
	assert_int_equal(verso_panel_fw_next_step(&s, &pos, &st), -EINVAL);
	s.data = bad3;
	s.len = sizeof(bad3);
	assert_int_equal(verso_panel_fw_next_step(&s, &pos, &st), -EINVAL);
	s.data = bad4;
	s.len = sizeof(bad4);
	assert_int_equal(verso_panel_fw_next_step(&s, &pos, &st), -EINVAL);
	s.data = bad5;
	s.len = sizeof(bad5);
	assert_int_equal(verso_panel_fw_next_step(&s, &pos, &st), -EINVAL);
	assert_int_equal(pos, 0);

	assert_string_equal(verso_panel_fw_seq_name(0), "init");
	assert_string_equal(verso_panel_fw_seq_name(4), "idle_exit");
	assert_null(verso_panel_fw_seq_name(5));
}

static void test_error_buffer(void **state)
{
	char small[12];

	memset(small, 'x', sizeof(small));
	assert_int_equal(verso_panel_fw_parse(ref, 3, &fw, small, sizeof(small)), -EINVAL);
	assert_int_equal(strlen(small), sizeof(small) - 1);
	assert_int_equal(verso_panel_fw_parse(ref, 3, &fw, NULL, 0), -EINVAL);
	assert_int_equal(verso_panel_fw_parse(ref, ref_len, &fw, NULL, 0), 0);
	assert_int_equal(verso_panel_fw_parse(ref, ref_len, NULL, small, sizeof(small)), -EINVAL);
}

/* ---- the compiler ------------------------------------------------------------ */

static void test_roundtrip(void **state)
{
	static unsigned char again[VERSO_PANEL_FW_MAX_SIZE];
	char out[8192], text1[8192], text2[8192];
	char p1[512], p2[512];
	size_t n;

	assert_int_equal(run(out, sizeof(out), "%s --dump -o %s/rear.txt %s/rear.bin",
			     VERSO_PANELC, tmpdir, tmpdir), 0);
	assert_int_equal(run(out, sizeof(out), "%s -o %s/again.bin %s/rear.txt",
			     VERSO_PANELC, tmpdir, tmpdir), 0);
	snprintf(p1, sizeof(p1), "%s/again.bin", tmpdir);
	n = read_file(p1, again, sizeof(again));
	assert_int_equal(n, ref_len);
	assert_memory_equal(again, ref, ref_len);

	assert_int_equal(run(text1, sizeof(text1), "%s --dump %s/rear.bin | tail -n +2",
			     VERSO_PANELC, tmpdir), 0);
	assert_int_equal(run(text2, sizeof(text2), "%s --dump %s/again.bin | tail -n +2",
			     VERSO_PANELC, tmpdir), 0);
	assert_string_equal(text1, text2);
	assert_non_null(strstr(text1, "976x596 @ 120.000 Hz"));
	assert_non_null(strstr(text1, "976x596 @ 1.000 Hz"));

	assert_int_equal(run(out, sizeof(out), "%s --check %s/rear.bin", VERSO_PANELC, tmpdir), 0);
	assert_non_null(strstr(out, "ok: panel \"verso-rear-amoled\", 6 modes"));

	/* --check reports the parser's verdict on a damaged blob. */
	snprintf(p2, sizeof(p2), "%s/bad.bin", tmpdir);
	{
		FILE *f = fopen(p2, "wb");

		assert_non_null(f);
		fwrite(ref, 1, ref_len - 1, f);
		fclose(f);
	}
	assert_int_equal(run(out, sizeof(out), "%s --check %s", VERSO_PANELC, p2), 1);
	assert_non_null(strstr(out, "does not match the blob size"));
}

static const char good_text[] =
	"panel = {\n"				/* 1 */
	"  name = \"t\";\n"			/* 2 */
	"  width_mm = 73; height_mm = 45;\n"	/* 3 */
	"  max_brightness = 255;\n"		/* 4 */
	"  lanes = 4;\n"			/* 5 */
	"};\n"					/* 6 */
	"modes = (\n"				/* 7 */
	"  { clock_khz = 75000;\n"		/* 8 */
	"    hdisplay = 976; hsync_start = 984; hsync_end = 992; htotal = 1000;\n"	/* 9 */
	"    vdisplay = 596; vsync_start = 604; vsync_end = 608; vtotal = 625;\n"	/* 10 */
	"    preferred = true; }\n"		/* 11 */
	");\n"					/* 12 */
	"enable = ( { dcs = [ 0x11 ]; delay_ms = 120; },\n"	/* 13 */
	"           { dcs = [ 0x29 ]; } );\n"			/* 14 */
	"disable = ( { dcs = [ 0x28 ]; }, { dcs = [ 0x10 ]; } );\n";	/* 15 */

/* Replaces the first occurrence of @from in the good text with @to. */
static void compile_expect(const char *from, const char *to, int rc,
			   const char *msg)
{
	char text[4096], path[512], out[4096];
	const char *at = strstr(good_text, from);
	int got;

	assert_non_null(at);
	snprintf(text, sizeof(text), "%.*s%s%s", (int)(at - good_text), good_text,
		 to, at + strlen(from));
	snprintf(path, sizeof(path), "%s/case.panel", tmpdir);
	write_text(path, text);
	got = run(out, sizeof(out), "%s -o %s/case.bin %s", VERSO_PANELC, tmpdir, path);
	if (got != rc || !strstr(out, msg))
		fail_msg("for '%s': expected rc %d and \"%s\", got rc %d: %s",
			 to, rc, msg, got, out);
}

static void test_compiler_errors(void **state)
{
	char out[4096];

	/* The template itself compiles. */
	compile_expect("name", "name", 0, "");

	compile_expect("name = \"t\";", "name = ;", 1, "case.panel:2: error: syntax error");
	compile_expect("lanes = 4;", "lanes = 4; colour = 1;", 1,
		       "case.panel:5: error: unknown setting 'colour' in panel");
	compile_expect("lanes = 4;", "lanes = 8;", 1,
		       "case.panel:5: error: 'lanes' = 8 is outside 1..4");
	compile_expect("max_brightness = 255;\n", "", 1,
		       "case.panel:1: error: missing setting 'max_brightness'");
	compile_expect("hsync_start = 984;", "hsync_start = 900;", 1,
		       "case.panel:9: error: mode 0: bad horizontal timings 976/900/992/1000");
	compile_expect("vtotal = 625;", "vtotal = 70000;", 1,
		       "case.panel:10: error: 'vtotal' = 70000 is outside 1..65535");
	compile_expect("clock_khz = 75000;", "clock_khz = 75;", 1,
		       "case.panel:8: error: mode 0: refresh rate of 75 kHz over 1000x625 is outside 1-1000 Hz");
	compile_expect("preferred = true;", "", 1, "case.panel:7: error: no preferred mode");
	compile_expect("delay_ms = 120;", "delay_ms = 1200;", 1,
		       "case.panel:13: error: enable step 1: delay 1200 ms outside 1-1000 ms");
	compile_expect("[ 0x29 ]", "[ 0x129 ]", 1,
		       "case.panel:14: error: 'dcs' byte 0 = 297 is not a byte");
	compile_expect("{ dcs = [ 0x29 ]; }", "{ }", 1,
		       "case.panel:14: error: enable step 1 is empty");
	compile_expect("{ dcs = [ 0x29 ]; }", "{ dcs = [ 0x29 ]; generic = [ 1 ]; }", 1,
		       "case.panel:14: error: enable step 1 has both 'dcs' and 'generic'");
	compile_expect("disable = (", "disable = [", 1, "case.panel:15: error: syntax error");
	compile_expect("disable", "dissable", 1,
		       "case.panel:15: error: unknown setting 'dissable' in the description");
	compile_expect("  lanes = 4;\n", "  lanes = 4; dsi_flags = [ \"video-burst\" ];\n", 1,
		       "case.panel:5: error: DSI video flags 0x00000002 without video mode");
	compile_expect("  lanes = 4;\n", "  lanes = 4; dsi_flags = [ \"fast\" ];\n", 1,
		       "case.panel:5: error: unknown dsi_flags flag \"fast\"");

	/* Usage errors and unreadable input. */
	assert_int_equal(run(out, sizeof(out), "%s", VERSO_PANELC), 2);
	assert_int_equal(run(out, sizeof(out), "%s -o %s/x.bin %s/missing.panel",
			     VERSO_PANELC, tmpdir, tmpdir), 1);
	assert_non_null(strstr(out, "missing.panel: error: cannot read"));
	/* A directory is unreadable, not an invalid blob. */
	assert_int_equal(run(out, sizeof(out), "%s --check %s", VERSO_PANELC,
			     tmpdir), 1);
	assert_non_null(strstr(out, "Is a directory"));

	/* A name with a quote and a backslash comes back from --dump intact. */
	compile_expect("name = \"t\";", "name = \"a\\\"b\\\\c\";", 0, "");
	assert_int_equal(run(out, sizeof(out),
			     "%s --dump -o %s/case.txt %s/case.bin && "
			     "%s -o %s/case2.bin %s/case.txt && "
			     "cmp %s/case.bin %s/case2.bin", VERSO_PANELC, tmpdir,
			     tmpdir, VERSO_PANELC, tmpdir, tmpdir, tmpdir, tmpdir),
			 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reference),
		cmocka_unit_test(test_truncations),
		cmocka_unit_test(test_bit_flips),
		cmocka_unit_test(test_header),
		cmocka_unit_test(test_sections),
		cmocka_unit_test(test_panel_fields),
		cmocka_unit_test(test_modes),
		cmocka_unit_test(test_sequences),
		cmocka_unit_test(test_iterator),
		cmocka_unit_test(test_error_buffer),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_compiler_errors),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
