// SPDX-License-Identifier: (GPL-2.0-only OR MIT)
/*
 * verso panel firmware parser.
 *
 * This file builds unchanged in the kernel (panel driver) and in userspace
 * (verso-panelc, unit test, fuzzer): everything that differs between the two
 * lives in the shim at the top of verso_panel_fw.h. The parser never
 * allocates; it checks every offset against the blob before reading, and
 * reports the first problem with its byte offset.
 */

#include "verso_panel_fw.h"

struct fw_err {
	char *buf;
	size_t len;
};

static __printf(4, 5) int fw_fail(const struct fw_err *e, int ret, size_t off,
				  const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!e->len)
		return ret;

	n = snprintf(e->buf, e->len, "offset 0x%04zx: ", off);
	if (n >= 0 && (size_t)n < e->len) {
		va_start(ap, fmt);
		vsnprintf(e->buf + n, e->len - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return ret;
}

static u16 rd16(const u8 *p)
{
	return (u16)(p[0] | p[1] << 8);
}

static u32 rd32(const u8 *p)
{
	return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

static const char * const seq_names[VERSO_PANEL_FW_SEQ_COUNT] = {
	[VERSO_PANEL_FW_SEQ_INIT] = "init",
	[VERSO_PANEL_FW_SEQ_ENABLE] = "enable",
	[VERSO_PANEL_FW_SEQ_DISABLE] = "disable",
	[VERSO_PANEL_FW_SEQ_IDLE_ENTER] = "idle_enter",
	[VERSO_PANEL_FW_SEQ_IDLE_EXIT] = "idle_exit",
};

const char *verso_panel_fw_seq_name(unsigned int id)
{
	return id < VERSO_PANEL_FW_SEQ_COUNT ? seq_names[id] : NULL;
}

/* PANEL payload: see Documentation/kernel/panel-firmware.md. */
static int fw_parse_panel(const struct fw_err *e, const u8 *p, u32 len,
			  size_t base, struct verso_panel_fw *fw)
{
	unsigned int i;
	bool end = false;

	if (len != VERSO_PANEL_FW_PANEL_SIZE)
		return fw_fail(e, -EINVAL, base - 4,
			       "PANEL section length %u, version 1 requires %u",
			       len, VERSO_PANEL_FW_PANEL_SIZE);

	fw->width_mm = rd16(p + 0);
	fw->height_mm = rd16(p + 2);
	fw->max_brightness = rd16(p + 4);
	fw->default_brightness = rd16(p + 6);
	fw->brightness_bytes = p[8];
	fw->lanes = p[9];
	fw->format = p[10];
	fw->dsi_flags = rd32(p + 12);

	if (fw->max_brightness == 0)
		return fw_fail(e, -EINVAL, base + 4, "max brightness is 0");
	if (fw->default_brightness > fw->max_brightness)
		return fw_fail(e, -EINVAL, base + 6,
			       "default brightness %u above max brightness %u",
			       fw->default_brightness, fw->max_brightness);
	if (fw->brightness_bytes != 1 && fw->brightness_bytes != 2)
		return fw_fail(e, -EINVAL, base + 8,
			       "brightness byte width %u, must be 1 or 2",
			       fw->brightness_bytes);
	if (fw->brightness_bytes == 1 && fw->max_brightness > 0xff)
		return fw_fail(e, -EINVAL, base + 4,
			       "max brightness %u does not fit in 1 byte",
			       fw->max_brightness);
	if (fw->lanes < 1 || fw->lanes > 4)
		return fw_fail(e, -EINVAL, base + 9,
			       "%u DSI lanes, must be 1 to 4", fw->lanes);
	if (fw->format > VERSO_PANEL_FW_FMT_RGB565)
		return fw_fail(e, -EINVAL, base + 10,
			       "unknown pixel format %u", fw->format);
	if (p[11])
		return fw_fail(e, -EINVAL, base + 11,
			       "reserved byte is 0x%02x, must be 0", p[11]);
	if (fw->dsi_flags & ~VERSO_PANEL_FW_DSI_ALL)
		return fw_fail(e, -EINVAL, base + 12,
			       "unknown DSI flags 0x%08x",
			       fw->dsi_flags & ~VERSO_PANEL_FW_DSI_ALL);
	if ((fw->dsi_flags & VERSO_PANEL_FW_DSI_VIDEO_ONLY) &&
	    !(fw->dsi_flags & VERSO_PANEL_FW_DSI_VIDEO))
		return fw_fail(e, -EINVAL, base + 12,
			       "DSI video flags 0x%08x without video mode",
			       fw->dsi_flags & VERSO_PANEL_FW_DSI_VIDEO_ONLY);

	for (i = 0; i < VERSO_PANEL_FW_NAME_LEN; i++) {
		u8 c = p[16 + i];

		if (end) {
			if (c)
				return fw_fail(e, -EINVAL, base + 16 + i,
					       "panel name: non-zero byte after its end");
			continue;
		}
		if (!c) {
			if (!i)
				return fw_fail(e, -EINVAL, base + 16,
					       "panel name is empty");
			end = true;
		} else if (c < 0x20 || c > 0x7e) {
			return fw_fail(e, -EINVAL, base + 16 + i,
				       "panel name: byte 0x%02x is not printable ASCII",
				       c);
		}
		fw->name[i] = (char)c;
	}
	if (!end)
		return fw_fail(e, -EINVAL, base + 16,
			       "panel name is not NUL-terminated within %u bytes",
			       VERSO_PANEL_FW_NAME_LEN);
	return 0;
}

/* MODE payload: see Documentation/kernel/panel-firmware.md. */
static int fw_parse_mode(const struct fw_err *e, const u8 *p, u32 len,
			 size_t base, unsigned int idx,
			 struct verso_panel_fw_mode *m)
{
	u32 frame;

	if (len != VERSO_PANEL_FW_MODE_SIZE)
		return fw_fail(e, -EINVAL, base - 4,
			       "mode %u: section length %u, version 1 requires %u",
			       idx, len, VERSO_PANEL_FW_MODE_SIZE);

	m->clock_khz = rd32(p + 0);
	m->hdisplay = rd16(p + 4);
	m->hsync_start = rd16(p + 6);
	m->hsync_end = rd16(p + 8);
	m->htotal = rd16(p + 10);
	m->vdisplay = rd16(p + 12);
	m->vsync_start = rd16(p + 14);
	m->vsync_end = rd16(p + 16);
	m->vtotal = rd16(p + 18);
	m->flags = rd32(p + 20);

	if (!m->clock_khz)
		return fw_fail(e, -EINVAL, base, "mode %u: clock is 0", idx);
	if (m->clock_khz > VERSO_PANEL_FW_MAX_CLOCK_KHZ)
		return fw_fail(e, -EINVAL, base,
			       "mode %u: clock %u kHz above the %u kHz limit",
			       idx, m->clock_khz, VERSO_PANEL_FW_MAX_CLOCK_KHZ);
	if (!m->hdisplay || m->hsync_start < m->hdisplay ||
	    m->hsync_end < m->hsync_start || m->htotal < m->hsync_end ||
	    m->htotal == m->hdisplay)
		return fw_fail(e, -EINVAL, base + 4,
			       "mode %u: bad horizontal timings %u/%u/%u/%u (need 0 < display <= sync_start <= sync_end <= total, display < total)",
			       idx, m->hdisplay, m->hsync_start, m->hsync_end,
			       m->htotal);
	if (!m->vdisplay || m->vsync_start < m->vdisplay ||
	    m->vsync_end < m->vsync_start || m->vtotal < m->vsync_end ||
	    m->vtotal == m->vdisplay)
		return fw_fail(e, -EINVAL, base + 12,
			       "mode %u: bad vertical timings %u/%u/%u/%u (need 0 < display <= sync_start <= sync_end <= total, display < total)",
			       idx, m->vdisplay, m->vsync_start, m->vsync_end,
			       m->vtotal);

	/* 1 Hz <= clock / (htotal * vtotal) <= 1000 Hz, without division. */
	frame = (u32)m->htotal * (u32)m->vtotal;
	if (m->clock_khz * 1000u < frame || m->clock_khz > frame)
		return fw_fail(e, -EINVAL, base,
			       "mode %u: refresh rate of %u kHz over %ux%u is outside 1-1000 Hz",
			       idx, m->clock_khz, m->htotal, m->vtotal);

	if (m->flags & ~VERSO_PANEL_FW_MODE_ALL)
		return fw_fail(e, -EINVAL, base + 20,
			       "mode %u: unknown flags 0x%08x", idx,
			       m->flags & ~VERSO_PANEL_FW_MODE_ALL);
	if ((m->flags & VERSO_PANEL_FW_MODE_PHSYNC) &&
	    (m->flags & VERSO_PANEL_FW_MODE_NHSYNC))
		return fw_fail(e, -EINVAL, base + 20,
			       "mode %u: both positive and negative hsync", idx);
	if ((m->flags & VERSO_PANEL_FW_MODE_PVSYNC) &&
	    (m->flags & VERSO_PANEL_FW_MODE_NVSYNC))
		return fw_fail(e, -EINVAL, base + 20,
			       "mode %u: both positive and negative vsync", idx);
	return 0;
}

static bool fw_same_timings(const struct verso_panel_fw_mode *a,
			    const struct verso_panel_fw_mode *b)
{
	return a->clock_khz == b->clock_khz &&
	       a->hdisplay == b->hdisplay && a->hsync_start == b->hsync_start &&
	       a->hsync_end == b->hsync_end && a->htotal == b->htotal &&
	       a->vdisplay == b->vdisplay && a->vsync_start == b->vsync_start &&
	       a->vsync_end == b->vsync_end && a->vtotal == b->vtotal;
}

/* Sequence payload: a packed list of {u8 op, u8 len, u8 data[len]}. */
static int fw_parse_seq(const struct fw_err *e, const u8 *p, u32 len,
			size_t base, unsigned int id,
			struct verso_panel_fw_seq *seq)
{
	const char *name = seq_names[id];
	u32 pos = 0, delay = 0;
	unsigned int steps = 0;

	while (pos < len) {
		u8 op, n;
		u16 ms;

		if (len - pos < 2)
			return fw_fail(e, -EINVAL, base + pos,
				       "%s step %u: truncated step header",
				       name, steps);
		op = p[pos];
		n = p[pos + 1];
		if (n > len - pos - 2)
			return fw_fail(e, -EINVAL, base + pos + 1,
				       "%s step %u: length %u overruns the section (%u bytes left)",
				       name, steps, n, len - pos - 2);
		switch (op) {
		case VERSO_PANEL_FW_OP_DCS:
		case VERSO_PANEL_FW_OP_GENERIC:
			if (!n)
				return fw_fail(e, -EINVAL, base + pos + 1,
					       "%s step %u: empty %s write",
					       name, steps,
					       op == VERSO_PANEL_FW_OP_DCS ? "DCS" : "generic");
			if (n > VERSO_PANEL_FW_MAX_PAYLOAD)
				return fw_fail(e, -E2BIG, base + pos + 1,
					       "%s step %u: %u byte write exceeds the %u byte limit",
					       name, steps, n,
					       VERSO_PANEL_FW_MAX_PAYLOAD);
			break;
		case VERSO_PANEL_FW_OP_DELAY:
			if (n != 2)
				return fw_fail(e, -EINVAL, base + pos + 1,
					       "%s step %u: delay length %u, must be 2",
					       name, steps, n);
			ms = rd16(p + pos + 2);
			if (!ms || ms > VERSO_PANEL_FW_MAX_DELAY_MS)
				return fw_fail(e, -EINVAL, base + pos + 2,
					       "%s step %u: delay %u ms outside 1-%u ms",
					       name, steps, ms,
					       VERSO_PANEL_FW_MAX_DELAY_MS);
			delay += ms;
			if (delay > VERSO_PANEL_FW_MAX_SEQ_DELAY_MS)
				return fw_fail(e, -E2BIG, base + pos + 2,
					       "%s: delays add up to more than %u ms",
					       name, VERSO_PANEL_FW_MAX_SEQ_DELAY_MS);
			break;
		default:
			return fw_fail(e, -EINVAL, base + pos,
				       "%s step %u: unknown opcode 0x%02x",
				       name, steps, op);
		}
		if (++steps > VERSO_PANEL_FW_MAX_STEPS)
			return fw_fail(e, -E2BIG, base + pos,
				       "%s: more than %u steps", name,
				       VERSO_PANEL_FW_MAX_STEPS);
		pos += 2 + n;
	}

	seq->data = p;
	seq->len = len;
	seq->num_steps = (u16)steps;
	seq->total_delay_ms = (u16)delay;
	return 0;
}

static int fw_check_whole(const struct fw_err *e, struct verso_panel_fw *fw,
			  bool have_panel)
{
	const struct verso_panel_fw_seq *s = fw->seqs;
	unsigned int i, j, preferred = 0;

	if (!have_panel)
		return fw_fail(e, -EINVAL, 20, "missing PANEL section");
	if (!fw->num_modes)
		return fw_fail(e, -EINVAL, 20, "no MODE section");

	for (i = 0; i < fw->num_modes; i++) {
		if (fw->modes[i].flags & VERSO_PANEL_FW_MODE_PREFERRED) {
			if (preferred++)
				return fw_fail(e, -EINVAL, 20,
					       "modes %u and %u are both preferred",
					       fw->preferred, i);
			fw->preferred = i;
		}
		for (j = 0; j < i; j++)
			if (fw_same_timings(&fw->modes[i], &fw->modes[j]))
				return fw_fail(e, -EINVAL, 20,
					       "mode %u duplicates mode %u", i, j);
	}
	if (!preferred)
		return fw_fail(e, -EINVAL, 20, "no preferred mode");

	if (!s[VERSO_PANEL_FW_SEQ_ENABLE].num_steps)
		return fw_fail(e, -EINVAL, 20,
			       "missing or empty enable sequence");
	if (!s[VERSO_PANEL_FW_SEQ_DISABLE].num_steps)
		return fw_fail(e, -EINVAL, 20,
			       "missing or empty disable sequence");
	if (!s[VERSO_PANEL_FW_SEQ_IDLE_ENTER].num_steps !=
	    !s[VERSO_PANEL_FW_SEQ_IDLE_EXIT].num_steps)
		return fw_fail(e, -EINVAL, 20,
			       "idle_enter and idle_exit must be given together");
	return 0;
}

int verso_panel_fw_parse(const u8 *data, size_t len, struct verso_panel_fw *out,
			 char *err, size_t errlen)
{
	const struct fw_err e = { err, errlen };
	bool have_panel = false;
	u16 count, hdr, i;
	u32 total, crc, calc;
	size_t off;
	int ret;

	if (errlen)
		err[0] = '\0';
	if (!out)
		return fw_fail(&e, -EINVAL, 0, "no output structure");
	memset(out, 0, sizeof(*out));
	if (!data)
		return fw_fail(&e, -EINVAL, 0, "no data");

	if (len < VERSO_PANEL_FW_HEADER_SIZE)
		return fw_fail(&e, -EINVAL, 0,
			       "blob of %zu bytes is shorter than the %u byte header",
			       len, VERSO_PANEL_FW_HEADER_SIZE);
	if (memcmp(data, VERSO_PANEL_FW_MAGIC, VERSO_PANEL_FW_MAGIC_LEN))
		return fw_fail(&e, -EINVAL, 0,
			       "bad magic, not a verso panel firmware");
	if (len > VERSO_PANEL_FW_MAX_SIZE)
		return fw_fail(&e, -E2BIG, 0,
			       "blob of %zu bytes exceeds the %u byte limit",
			       len, VERSO_PANEL_FW_MAX_SIZE);

	out->version = rd16(data + 8);
	if (out->version != VERSO_PANEL_FW_VERSION)
		return fw_fail(&e, -EINVAL, 8,
			       "unsupported format version %u (this parser reads %u)",
			       out->version, VERSO_PANEL_FW_VERSION);
	hdr = rd16(data + 10);
	if (hdr != VERSO_PANEL_FW_HEADER_SIZE)
		return fw_fail(&e, -EINVAL, 10,
			       "header size %u, version 1 requires %u",
			       hdr, VERSO_PANEL_FW_HEADER_SIZE);
	total = rd32(data + 12);
	if (total != len)
		return fw_fail(&e, -EINVAL, 12,
			       "total size %u does not match the blob size %zu",
			       total, len);
	if (rd16(data + 22))
		return fw_fail(&e, -EINVAL, 22,
			       "reserved header field is 0x%04x, must be 0",
			       rd16(data + 22));
	crc = rd32(data + 16);
	calc = verso_panel_fw_crc32(data + hdr, len - hdr);
	if (crc != calc)
		return fw_fail(&e, -EBADMSG, 16,
			       "CRC32 mismatch: header has 0x%08x, data gives 0x%08x",
			       crc, calc);

	count = rd16(data + 20);
	off = hdr;
	for (i = 0; i < count; i++) {
		u16 type, flags;
		u32 slen, padded, k;
		const u8 *p;

		if (len - off < VERSO_PANEL_FW_SECTION_HDR)
			return fw_fail(&e, -EINVAL, off,
				       "section %u of %u: header truncated (%zu bytes left)",
				       i, count, len - off);
		type = rd16(data + off);
		flags = rd16(data + off + 2);
		slen = rd32(data + off + 4);
		p = data + off + VERSO_PANEL_FW_SECTION_HDR;

		if (flags & ~VERSO_PANEL_FW_SECF_OPTIONAL)
			return fw_fail(&e, -EINVAL, off + 2,
				       "section %u: unknown flags 0x%04x", i, flags);
		if (slen > len - off - VERSO_PANEL_FW_SECTION_HDR)
			return fw_fail(&e, -EINVAL, off + 4,
				       "section %u: length %u overruns the blob (%zu bytes left)",
				       i, slen,
				       len - off - VERSO_PANEL_FW_SECTION_HDR);
		padded = (slen + 3) & ~3u;
		if (padded > len - off - VERSO_PANEL_FW_SECTION_HDR)
			return fw_fail(&e, -EINVAL, off + 4,
				       "section %u: padding to 4 bytes overruns the blob",
				       i);
		for (k = slen; k < padded; k++)
			if (p[k])
				return fw_fail(&e, -EINVAL,
					       off + VERSO_PANEL_FW_SECTION_HDR + k,
					       "section %u: non-zero padding byte", i);

		if (type == VERSO_PANEL_FW_SEC_PANEL) {
			if (have_panel)
				return fw_fail(&e, -EINVAL, off,
					       "section %u: duplicate PANEL section", i);
			ret = fw_parse_panel(&e, p, slen,
					     off + VERSO_PANEL_FW_SECTION_HDR, out);
			if (ret)
				return ret;
			have_panel = true;
		} else if (type == VERSO_PANEL_FW_SEC_MODE) {
			if (out->num_modes == VERSO_PANEL_FW_MAX_MODES)
				return fw_fail(&e, -E2BIG, off,
					       "section %u: more than %u modes",
					       i, VERSO_PANEL_FW_MAX_MODES);
			ret = fw_parse_mode(&e, p, slen,
					    off + VERSO_PANEL_FW_SECTION_HDR,
					    out->num_modes,
					    &out->modes[out->num_modes]);
			if (ret)
				return ret;
			out->num_modes++;
		} else if (type >= VERSO_PANEL_FW_SEC_SEQ_BASE &&
			   type < VERSO_PANEL_FW_SEC_SEQ_BASE +
				  VERSO_PANEL_FW_SEQ_COUNT) {
			unsigned int id = type - VERSO_PANEL_FW_SEC_SEQ_BASE;

			if (out->seqs[id].data)
				return fw_fail(&e, -EINVAL, off,
					       "section %u: duplicate %s sequence",
					       i, seq_names[id]);
			ret = fw_parse_seq(&e, p, slen,
					   off + VERSO_PANEL_FW_SECTION_HDR, id,
					   &out->seqs[id]);
			if (ret)
				return ret;
		} else if (!(flags & VERSO_PANEL_FW_SECF_OPTIONAL)) {
			return fw_fail(&e, -EINVAL, off,
				       "section %u: unknown type 0x%04x", i, type);
		}
		off += VERSO_PANEL_FW_SECTION_HDR + padded;
	}
	if (off != len)
		return fw_fail(&e, -EINVAL, off,
			       "%zu bytes after the last of %u sections",
			       len - off, count);

	return fw_check_whole(&e, out, have_panel);
}

int verso_panel_fw_next_step(const struct verso_panel_fw_seq *seq, u32 *pos,
			     struct verso_panel_fw_step *step)
{
	const u8 *p;
	u8 n;

	if (!seq->data || *pos >= seq->len)
		return 0;
	if (seq->len - *pos < 2)
		return -EINVAL;
	p = seq->data + *pos;
	n = p[1];
	if (n > seq->len - *pos - 2)
		return -EINVAL;

	step->op = p[0];
	step->len = 0;
	step->delay_ms = 0;
	step->data = NULL;
	switch (step->op) {
	case VERSO_PANEL_FW_OP_DCS:
	case VERSO_PANEL_FW_OP_GENERIC:
		if (!n)
			return -EINVAL;
		step->len = n;
		step->data = p + 2;
		break;
	case VERSO_PANEL_FW_OP_DELAY:
		if (n != 2)
			return -EINVAL;
		step->delay_ms = rd16(p + 2);
		break;
	default:
		return -EINVAL;
	}
	*pos += 2 + n;
	return 1;
}
