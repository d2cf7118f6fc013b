// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness for the shared panel firmware parser
 * (kernel/verso_panel_fw.c). Build and run it with tests/fuzz/run.sh.
 *
 * Each input is parsed twice: as it is, and with the header's total size and
 * CRC32 rewritten to match, so that mutations reach the section, mode and
 * sequence checks instead of stopping at the checksum. A blob the parser
 * accepts is then walked step by step and checked against the format's
 * promises; any breach aborts, which libFuzzer reports as a crash.
 *
 * Built with -DVERSO_FUZZ_STANDALONE it is a plain program that replays the
 * files named on its command line (no libFuzzer needed).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verso_panel_fw.h"

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "invariant broken: %s (line %d)\n",	\
			#cond, __LINE__);				\
		abort();						\
	}								\
} while (0)

static int inside(const uint8_t *p, size_t n, const uint8_t *buf, size_t len)
{
	return p >= buf && n <= len && (size_t)(p - buf) <= len - n;
}

static void check_accepted(const struct verso_panel_fw *fw, const uint8_t *buf,
			   size_t len)
{
	unsigned int preferred = 0;

	CHECK(fw->version == VERSO_PANEL_FW_VERSION);
	CHECK(memchr(fw->name, '\0', sizeof(fw->name)) && fw->name[0]);
	CHECK(fw->brightness_bytes == 1 || fw->brightness_bytes == 2);
	CHECK(fw->max_brightness >= 1 && fw->default_brightness <= fw->max_brightness);
	CHECK(fw->lanes >= 1 && fw->lanes <= 4);
	CHECK(fw->num_modes >= 1 && fw->num_modes <= VERSO_PANEL_FW_MAX_MODES);
	CHECK(fw->preferred < fw->num_modes);

	for (unsigned int i = 0; i < fw->num_modes; i++) {
		const struct verso_panel_fw_mode *m = &fw->modes[i];
		uint64_t frame = (uint64_t)m->htotal * m->vtotal;

		CHECK(m->hdisplay && m->hdisplay <= m->hsync_start &&
		      m->hsync_start <= m->hsync_end && m->hsync_end <= m->htotal);
		CHECK(m->vdisplay && m->vdisplay <= m->vsync_start &&
		      m->vsync_start <= m->vsync_end && m->vsync_end <= m->vtotal);
		CHECK((uint64_t)m->clock_khz * 1000 >= frame &&
		      (uint64_t)m->clock_khz <= frame);
		preferred += !!(m->flags & VERSO_PANEL_FW_MODE_PREFERRED);
	}
	CHECK(preferred == 1);
	CHECK(fw->modes[fw->preferred].flags & VERSO_PANEL_FW_MODE_PREFERRED);

	for (unsigned int id = 0; id < VERSO_PANEL_FW_MAX_SEQS; id++) {
		const struct verso_panel_fw_seq *s = &fw->seqs[id];
		struct verso_panel_fw_step st;
		unsigned int steps = 0, delay = 0;
		u32 pos = 0;
		int r;

		if (!s->data) {
			CHECK(!s->len && !s->num_steps);
			continue;
		}
		CHECK(id < VERSO_PANEL_FW_SEQ_COUNT);
		CHECK(inside(s->data, s->len, buf, len));
		while ((r = verso_panel_fw_next_step(s, &pos, &st)) > 0) {
			steps++;
			CHECK(pos <= s->len);
			if (st.op == VERSO_PANEL_FW_OP_DELAY) {
				CHECK(st.delay_ms >= 1 &&
				      st.delay_ms <= VERSO_PANEL_FW_MAX_DELAY_MS);
				delay += st.delay_ms;
			} else {
				CHECK(st.op == VERSO_PANEL_FW_OP_DCS ||
				      st.op == VERSO_PANEL_FW_OP_GENERIC);
				CHECK(st.len >= 1 && st.len <= VERSO_PANEL_FW_MAX_PAYLOAD);
				CHECK(inside(st.data, st.len, s->data, s->len));
			}
		}
		CHECK(r == 0);
		CHECK(pos == s->len);
		CHECK(steps == s->num_steps && steps <= VERSO_PANEL_FW_MAX_STEPS);
		CHECK(delay == s->total_delay_ms &&
		      delay <= VERSO_PANEL_FW_MAX_SEQ_DELAY_MS);
	}
	CHECK(fw->seqs[VERSO_PANEL_FW_SEQ_ENABLE].num_steps);
	CHECK(fw->seqs[VERSO_PANEL_FW_SEQ_DISABLE].num_steps);
}

static void parse_one(const uint8_t *buf, size_t len)
{
	static struct verso_panel_fw fw;
	char err[160];
	int r;

	memset(err, 0x55, sizeof(err));
	r = verso_panel_fw_parse(buf, len, &fw, err, sizeof(err));
	CHECK(memchr(err, '\0', sizeof(err)));
	if (r) {
		CHECK(r == -EINVAL || r == -EBADMSG || r == -E2BIG);
		CHECK(!strncmp(err, "offset 0x", 9));
		return;
	}
	CHECK(!err[0]);
	check_accepted(&fw, buf, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *copy;

	/* Exact-size copies, so ASan catches a read one byte past the end. */
	copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	parse_one(copy, size);

	if (size >= VERSO_PANEL_FW_HEADER_SIZE) {
		uint32_t crc = verso_panel_fw_crc32(copy + VERSO_PANEL_FW_HEADER_SIZE,
						    size - VERSO_PANEL_FW_HEADER_SIZE);

		for (int i = 0; i < 4; i++) {
			copy[12 + i] = (uint8_t)(size >> (8 * i));
			copy[16 + i] = (uint8_t)(crc >> (8 * i));
		}
		parse_one(copy, size);
	}
	free(copy);
	return 0;
}

#ifdef VERSO_FUZZ_STANDALONE
int main(int argc, char **argv)
{
	static uint8_t buf[VERSO_PANEL_FW_MAX_SIZE * 2];

	for (int i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		size_t n;

		if (!f) {
			perror(argv[i]);
			return 1;
		}
		n = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		LLVMFuzzerTestOneInput(buf, n);
	}
	printf("replayed %d inputs\n", argc - 1);
	return 0;
}
#endif
