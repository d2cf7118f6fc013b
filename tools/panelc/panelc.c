// SPDX-License-Identifier: MIT
/*
 * verso-panelc: compiles a readable panel description (libconfig syntax) into
 * the binary panel firmware read by the verso panel driver, and turns a blob
 * back into text (--dump).
 *
 * The compiler does not re-implement the format's rules: it encodes what the
 * text says, then runs the shared parser (kernel/verso_panel_fw.c) over the
 * result and maps a rejected byte offset back to the source line.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libconfig.h>

#include "verso_panel_fw.h"

#define BLOB_MAX VERSO_PANEL_FW_MAX_SIZE

struct srcmap {
	size_t start, end;
	int line;
};

struct blob {
	unsigned char buf[BLOB_MAX + 1024];
	size_t len;
	struct srcmap map[16384];
	size_t nmap;
	const char *src;	/* source file name, for messages */
};

static const char *prog = "verso-panelc";

static void __attribute__((format(printf, 3, 4)))
srcerr(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	if (line > 0)
		fprintf(stderr, "%s:%d: error: ", file, line);
	else
		fprintf(stderr, "%s: error: ", file);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* ---- emitting ---------------------------------------------------------- */

static int put(struct blob *b, const void *p, size_t n, int line)
{
	if (b->len + n > BLOB_MAX) {
		srcerr(b->src, line, "firmware larger than the %d byte limit",
		       BLOB_MAX);
		return -1;
	}
	memcpy(b->buf + b->len, p, n);
	if (line > 0 && b->nmap < sizeof(b->map) / sizeof(b->map[0]))
		b->map[b->nmap++] = (struct srcmap){ b->len, b->len + n, line };
	b->len += n;
	return 0;
}

static int put8(struct blob *b, unsigned int v, int line)
{
	unsigned char c = (unsigned char)v;

	return put(b, &c, 1, line);
}

static int put16(struct blob *b, unsigned int v, int line)
{
	unsigned char c[2] = { (unsigned char)v, (unsigned char)(v >> 8) };

	return put(b, c, 2, line);
}

static int put32(struct blob *b, uint32_t v, int line)
{
	unsigned char c[4] = { (unsigned char)v, (unsigned char)(v >> 8),
			       (unsigned char)(v >> 16), (unsigned char)(v >> 24) };

	return put(b, c, 4, line);
}

static void poke16(struct blob *b, size_t at, unsigned int v)
{
	b->buf[at] = (unsigned char)v;
	b->buf[at + 1] = (unsigned char)(v >> 8);
}

static void poke32(struct blob *b, size_t at, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		b->buf[at + i] = (unsigned char)(v >> (8 * i));
}

/* Opens a section; returns its offset for sec_end(). */
static long sec_begin(struct blob *b, unsigned int type, int line)
{
	size_t at = b->len;

	if (put16(b, type, line) || put16(b, 0, line) || put32(b, 0, line))
		return -1;
	return (long)at;
}

static int sec_end(struct blob *b, long at)
{
	size_t len = b->len - (size_t)at - VERSO_PANEL_FW_SECTION_HDR;
	static const unsigned char zero[4];

	poke32(b, (size_t)at + 4, (uint32_t)len);
	return put(b, zero, (4 - (len & 3)) & 3, 0);
}

/* ---- reading the description -------------------------------------------- */

static int line_of(const config_setting_t *s)
{
	return s ? (int)config_setting_source_line(s) : 0;
}

static int check_keys(const char *file, const config_setting_t *group,
		      const char *const *known, const char *what)
{
	int n = config_setting_length(group);

	for (int i = 0; i < n; i++) {
		config_setting_t *m = config_setting_get_elem(group, (unsigned int)i);
		const char *name = config_setting_name(m);
		int ok = 0;

		for (const char *const *k = known; *k; k++)
			if (name && !strcmp(name, *k))
				ok = 1;
		if (!ok) {
			srcerr(file, line_of(m), "unknown setting '%s' in %s",
			       name ? name : "?", what);
			return -1;
		}
	}
	return 0;
}

static int is_int(const config_setting_t *s)
{
	int t = config_setting_type(s);

	return t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64;
}

/*
 * Reads an integer member of @group into @out. A missing member is an error
 * when @required, otherwise @out keeps its value.
 */
static int get_uint(const char *file, const config_setting_t *group,
		    const char *name, long long min, long long max,
		    int required, uint32_t *out, int *line)
{
	config_setting_t *s = config_setting_get_member(group, name);
	long long v;

	if (!s) {
		if (required) {
			srcerr(file, line_of(group), "missing setting '%s'", name);
			return -1;
		}
		if (line)
			*line = line_of(group);
		return 0;
	}
	if (!is_int(s)) {
		srcerr(file, line_of(s), "'%s' must be an integer", name);
		return -1;
	}
	v = config_setting_get_int64(s);
	if (v < min || v > max) {
		srcerr(file, line_of(s), "'%s' = %lld is outside %lld..%lld",
		       name, v, min, max);
		return -1;
	}
	*out = (uint32_t)v;
	if (line)
		*line = line_of(s);
	return 0;
}

struct flag_name {
	const char *name;
	uint32_t bit;
};

static const struct flag_name dsi_flag_names[] = {
	{ "video", VERSO_PANEL_FW_DSI_VIDEO },
	{ "video-burst", VERSO_PANEL_FW_DSI_VIDEO_BURST },
	{ "video-sync-pulse", VERSO_PANEL_FW_DSI_VIDEO_SYNC_PULSE },
	{ "video-auto-vert", VERSO_PANEL_FW_DSI_VIDEO_AUTO_VERT },
	{ "video-hse", VERSO_PANEL_FW_DSI_VIDEO_HSE },
	{ "video-no-hfp", VERSO_PANEL_FW_DSI_VIDEO_NO_HFP },
	{ "video-no-hbp", VERSO_PANEL_FW_DSI_VIDEO_NO_HBP },
	{ "video-no-hsa", VERSO_PANEL_FW_DSI_VIDEO_NO_HSA },
	{ "vsync-flush", VERSO_PANEL_FW_DSI_VSYNC_FLUSH },
	{ "no-eot-packet", VERSO_PANEL_FW_DSI_NO_EOT_PACKET },
	{ "clock-non-continuous", VERSO_PANEL_FW_DSI_CLOCK_NON_CONTINUOUS },
	{ "lpm", VERSO_PANEL_FW_DSI_LPM },
	{ NULL, 0 },
};

static const struct flag_name mode_flag_names[] = {
	{ "phsync", VERSO_PANEL_FW_MODE_PHSYNC },
	{ "nhsync", VERSO_PANEL_FW_MODE_NHSYNC },
	{ "pvsync", VERSO_PANEL_FW_MODE_PVSYNC },
	{ "nvsync", VERSO_PANEL_FW_MODE_NVSYNC },
	{ NULL, 0 },
};

static const char *const format_names[] = {
	[VERSO_PANEL_FW_FMT_RGB888] = "rgb888",
	[VERSO_PANEL_FW_FMT_RGB666] = "rgb666",
	[VERSO_PANEL_FW_FMT_RGB666_PACKED] = "rgb666-packed",
	[VERSO_PANEL_FW_FMT_RGB565] = "rgb565",
};

static int get_flags(const char *file, const config_setting_t *group,
		     const char *name, const struct flag_name *names,
		     uint32_t *out)
{
	config_setting_t *s = config_setting_get_member(group, name);
	int n;

	*out = 0;
	if (!s)
		return 0;
	if (!config_setting_is_array(s) && !config_setting_is_list(s)) {
		srcerr(file, line_of(s), "'%s' must be an array of names, e.g. [ \"%s\" ]",
		       name, names[0].name);
		return -1;
	}
	n = config_setting_length(s);
	for (int i = 0; i < n; i++) {
		config_setting_t *e = config_setting_get_elem(s, (unsigned int)i);
		const char *v = config_setting_get_string(e);
		const struct flag_name *f;

		if (!v) {
			srcerr(file, line_of(e), "'%s' entries must be strings", name);
			return -1;
		}
		for (f = names; f->name; f++)
			if (!strcmp(f->name, v))
				break;
		if (!f->name) {
			srcerr(file, line_of(e), "unknown %s flag \"%s\"", name, v);
			return -1;
		}
		if (*out & f->bit) {
			srcerr(file, line_of(e), "%s flag \"%s\" given twice", name, v);
			return -1;
		}
		*out |= f->bit;
	}
	return 0;
}

static int emit_panel(struct blob *b, const config_setting_t *root)
{
	static const char *const keys[] = {
		"name", "width_mm", "height_mm", "max_brightness",
		"default_brightness", "brightness_bytes", "lanes", "format",
		"dsi_flags", NULL,
	};
	const char *file = b->src;
	config_setting_t *p = config_setting_get_member(root, "panel");
	config_setting_t *s;
	uint32_t w = 0, h = 0, maxb = 0, defb, bytes, lanes = 0, fmt, flags;
	int lw, lh, lmax, ldef, lbytes, llanes, lname, lfmt, lflags;
	char name[VERSO_PANEL_FW_NAME_LEN] = { 0 };
	const char *str;
	long at;

	if (!p) {
		srcerr(file, 0, "missing 'panel' group");
		return -1;
	}
	if (!config_setting_is_group(p)) {
		srcerr(file, line_of(p), "'panel' must be a group: panel = { ... };");
		return -1;
	}
	if (check_keys(file, p, keys, "panel"))
		return -1;

	s = config_setting_get_member(p, "name");
	str = s ? config_setting_get_string(s) : NULL;
	if (!str) {
		srcerr(file, line_of(s ? s : p), "'name' must be a string");
		return -1;
	}
	if (strlen(str) >= sizeof(name)) {
		srcerr(file, line_of(s), "name \"%s\" is longer than %zu characters",
		       str, sizeof(name) - 1);
		return -1;
	}
	memcpy(name, str, strlen(str));
	lname = line_of(s);

	if (get_uint(file, p, "width_mm", 0, 65535, 1, &w, &lw) ||
	    get_uint(file, p, "height_mm", 0, 65535, 1, &h, &lh) ||
	    get_uint(file, p, "max_brightness", 1, 65535, 1, &maxb, &lmax) ||
	    get_uint(file, p, "lanes", 1, 4, 1, &lanes, &llanes))
		return -1;
	defb = maxb / 2;
	bytes = maxb > 255 ? 2 : 1;
	if (get_uint(file, p, "default_brightness", 0, 65535, 0, &defb, &ldef) ||
	    get_uint(file, p, "brightness_bytes", 1, 2, 0, &bytes, &lbytes))
		return -1;

	fmt = VERSO_PANEL_FW_FMT_RGB888;
	s = config_setting_get_member(p, "format");
	lfmt = line_of(s ? s : p);
	if (s) {
		str = config_setting_get_string(s);
		for (fmt = 0; fmt < 4; fmt++)
			if (str && !strcmp(str, format_names[fmt]))
				break;
		if (fmt == 4) {
			srcerr(file, lfmt, "unknown format (rgb888, rgb666, rgb666-packed, rgb565)");
			return -1;
		}
	}
	if (get_flags(file, p, "dsi_flags", dsi_flag_names, &flags))
		return -1;
	s = config_setting_get_member(p, "dsi_flags");
	lflags = line_of(s ? s : p);

	at = sec_begin(b, VERSO_PANEL_FW_SEC_PANEL, line_of(p));
	if (at < 0 ||
	    put16(b, w, lw) || put16(b, h, lh) ||
	    put16(b, maxb, lmax) || put16(b, defb, ldef) ||
	    put8(b, bytes, lbytes) || put8(b, lanes, llanes) ||
	    put8(b, fmt, lfmt) || put8(b, 0, line_of(p)) ||
	    put32(b, flags, lflags) || put(b, name, sizeof(name), lname))
		return -1;
	return sec_end(b, at);
}

static int emit_modes(struct blob *b, const config_setting_t *root)
{
	static const char *const keys[] = {
		"clock_khz", "hdisplay", "hsync_start", "hsync_end", "htotal",
		"vdisplay", "vsync_start", "vsync_end", "vtotal", "flags",
		"preferred", NULL,
	};
	static const char *const timing[] = {
		"hdisplay", "hsync_start", "hsync_end", "htotal",
		"vdisplay", "vsync_start", "vsync_end", "vtotal",
	};
	const char *file = b->src;
	config_setting_t *modes = config_setting_get_member(root, "modes");
	int n;

	if (!modes) {
		srcerr(file, 0, "missing 'modes' list");
		return -1;
	}
	if (!config_setting_is_list(modes)) {
		srcerr(file, line_of(modes), "'modes' must be a list of groups: modes = ( { ... }, ... );");
		return -1;
	}
	n = config_setting_length(modes);
	if (!n) {
		srcerr(file, line_of(modes), "'modes' is empty");
		return -1;
	}
	for (int i = 0; i < n; i++) {
		config_setting_t *m = config_setting_get_elem(modes, (unsigned int)i);
		config_setting_t *pref;
		uint32_t clock = 0, v[8] = { 0 }, flags;
		int lclock, lv[8], lflags;
		long at;

		if (!config_setting_is_group(m)) {
			srcerr(file, line_of(m), "mode %d must be a group { ... }", i);
			return -1;
		}
		if (check_keys(file, m, keys, "mode"))
			return -1;
		if (get_uint(file, m, "clock_khz", 1, VERSO_PANEL_FW_MAX_CLOCK_KHZ,
			     1, &clock, &lclock))
			return -1;
		for (int k = 0; k < 8; k++)
			if (get_uint(file, m, timing[k], 1, 65535, 1, &v[k], &lv[k]))
				return -1;
		if (get_flags(file, m, "flags", mode_flag_names, &flags))
			return -1;
		lflags = line_of(config_setting_get_member(m, "flags"));
		pref = config_setting_get_member(m, "preferred");
		if (pref) {
			if (config_setting_type(pref) != CONFIG_TYPE_BOOL) {
				srcerr(file, line_of(pref), "'preferred' must be true or false");
				return -1;
			}
			if (config_setting_get_bool(pref))
				flags |= VERSO_PANEL_FW_MODE_PREFERRED;
		}
		if (!lflags)
			lflags = line_of(m);

		at = sec_begin(b, VERSO_PANEL_FW_SEC_MODE, line_of(m));
		if (at < 0 || put32(b, clock, lclock))
			return -1;
		for (int k = 0; k < 8; k++)
			if (put16(b, v[k], lv[k]))
				return -1;
		if (put32(b, flags, lflags) || sec_end(b, at))
			return -1;
	}
	return 0;
}

static int emit_write(struct blob *b, unsigned int op, const config_setting_t *s,
		      const char *what)
{
	int n = config_setting_length(s);
	unsigned char bytes[256];

	if (!config_setting_is_array(s) || n < 1) {
		srcerr(b->src, line_of(s), "'%s' must be a non-empty array of bytes, e.g. [ 0x29 ]",
		       what);
		return -1;
	}
	if (n > VERSO_PANEL_FW_MAX_PAYLOAD) {
		srcerr(b->src, line_of(s), "'%s' has %d bytes, the limit is %d",
		       what, n, VERSO_PANEL_FW_MAX_PAYLOAD);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		config_setting_t *e = config_setting_get_elem(s, (unsigned int)i);
		long long v;

		if (!is_int(e)) {
			srcerr(b->src, line_of(s), "'%s' byte %d is not an integer", what, i);
			return -1;
		}
		v = config_setting_get_int64(e);
		if (v < 0 || v > 255) {
			srcerr(b->src, line_of(s), "'%s' byte %d = %lld is not a byte", what, i, v);
			return -1;
		}
		bytes[i] = (unsigned char)v;
	}
	if (put8(b, op, line_of(s)) || put8(b, (unsigned int)n, line_of(s)) ||
	    put(b, bytes, (size_t)n, line_of(s)))
		return -1;
	return 0;
}

static int emit_seq(struct blob *b, const config_setting_t *root, unsigned int id)
{
	static const char *const keys[] = { "dcs", "generic", "delay_ms", NULL };
	const char *name = verso_panel_fw_seq_name(id);
	const char *file = b->src;
	config_setting_t *seq = config_setting_get_member(root, name);
	int n;
	long at;

	if (!seq)
		return 0;
	if (!config_setting_is_list(seq)) {
		srcerr(file, line_of(seq), "'%s' must be a list of steps: %s = ( { dcs = [ 0x29 ]; }, ... );",
		       name, name);
		return -1;
	}
	at = sec_begin(b, VERSO_PANEL_FW_SEC_SEQ_BASE + id, line_of(seq));
	if (at < 0)
		return -1;
	n = config_setting_length(seq);
	for (int i = 0; i < n; i++) {
		config_setting_t *st = config_setting_get_elem(seq, (unsigned int)i);
		config_setting_t *dcs, *gen;
		uint32_t ms = 0;
		int lms;

		if (!config_setting_is_group(st)) {
			srcerr(file, line_of(st), "%s step %d must be a group, e.g. { dcs = [ 0x29 ]; delay_ms = 20; }",
			       name, i);
			return -1;
		}
		if (check_keys(file, st, keys, name))
			return -1;
		dcs = config_setting_get_member(st, "dcs");
		gen = config_setting_get_member(st, "generic");
		if (dcs && gen) {
			srcerr(file, line_of(st), "%s step %d has both 'dcs' and 'generic'", name, i);
			return -1;
		}
		if (get_uint(file, st, "delay_ms", 0, 65535, 0, &ms, &lms))
			return -1;
		if (!dcs && !gen && !config_setting_get_member(st, "delay_ms")) {
			srcerr(file, line_of(st), "%s step %d is empty: give 'dcs', 'generic' or 'delay_ms'",
			       name, i);
			return -1;
		}
		if (dcs && emit_write(b, VERSO_PANEL_FW_OP_DCS, dcs, "dcs"))
			return -1;
		if (gen && emit_write(b, VERSO_PANEL_FW_OP_GENERIC, gen, "generic"))
			return -1;
		if (config_setting_get_member(st, "delay_ms") &&
		    (put8(b, VERSO_PANEL_FW_OP_DELAY, lms) || put8(b, 2, lms) ||
		     put16(b, ms, lms)))
			return -1;
	}
	return sec_end(b, at);
}

static int line_for_offset(const struct blob *b, size_t off)
{
	int line = 0;

	/* Later entries are more specific (fields after their section). */
	for (size_t i = 0; i < b->nmap; i++)
		if (off >= b->map[i].start && off < b->map[i].end)
			line = b->map[i].line;
	return line;
}

/* Runs the shared parser; reports its verdict against the source lines. */
static int self_check(const struct blob *b, const config_setting_t *root)
{
	static struct verso_panel_fw fw;
	char err[256], *msg = err;
	unsigned long long off;
	int ret, line = 0, used = 0;

	ret = verso_panel_fw_parse(b->buf, b->len, &fw, err, sizeof(err));
	if (!ret)
		return 0;
	if (sscanf(err, "offset %llx: %n", &off, &used) == 1 && used > 0) {
		msg = err + used;
		line = line_for_offset(b, (size_t)off);
		if (!line && off == 20) {
			/* Whole-firmware rules: point at the modes list. */
			config_setting_t *m = config_setting_get_member(root, "modes");

			line = line_of(m);
		}
	}
	srcerr(b->src, line, "%s", msg);
	return -1;
}

static int compile(const char *in, struct blob *b, config_t *cfg)
{
	static const char *const keys[] = {
		"panel", "modes", "init", "enable", "disable", "idle_enter",
		"idle_exit", NULL,
	};
	config_setting_t *root;
	size_t count_at;
	unsigned int sections = 0;

	b->src = in;
	b->len = 0;
	b->nmap = 0;
	if (config_read_file(cfg, in) != CONFIG_TRUE) {
		if (config_error_type(cfg) == CONFIG_ERR_FILE_IO)
			fprintf(stderr, "%s: error: cannot read: %s\n", in, strerror(errno));
		else
			srcerr(config_error_file(cfg) ? config_error_file(cfg) : in,
			       config_error_line(cfg), "%s", config_error_text(cfg));
		return -1;
	}
	root = config_root_setting(cfg);
	if (check_keys(in, root, keys, "the description"))
		return -1;

	/* Header; sizes, CRC and count are filled in at the end. */
	if (put(b, VERSO_PANEL_FW_MAGIC, VERSO_PANEL_FW_MAGIC_LEN, 0) ||
	    put16(b, VERSO_PANEL_FW_VERSION, 0) ||
	    put16(b, VERSO_PANEL_FW_HEADER_SIZE, 0) ||
	    put32(b, 0, 0) || put32(b, 0, 0))
		return -1;
	count_at = b->len;
	if (put16(b, 0, 0) || put16(b, 0, 0))
		return -1;

	if (emit_panel(b, root))
		return -1;
	sections++;
	if (emit_modes(b, root))
		return -1;
	sections += (unsigned int)config_setting_length(config_setting_get_member(root, "modes"));
	for (unsigned int id = 0; id < VERSO_PANEL_FW_SEQ_COUNT; id++) {
		size_t before = b->len;

		if (emit_seq(b, root, id))
			return -1;
		if (b->len != before)
			sections++;
	}

	poke32(b, 12, (uint32_t)b->len);
	poke16(b, count_at, sections);
	poke32(b, 16, verso_panel_fw_crc32(b->buf + VERSO_PANEL_FW_HEADER_SIZE,
					   b->len - VERSO_PANEL_FW_HEADER_SIZE));
	return self_check(b, root);
}

/* ---- output ---------------------------------------------------------------- */

static int write_file(const char *out, const void *data, size_t len)
{
	char tmp[4096];
	FILE *f;

	if (!strcmp(out, "-")) {
		if (fwrite(data, 1, len, stdout) == len && !fflush(stdout))
			return 0;
		fprintf(stderr, "%s: standard output: %s\n", prog,
			strerror(errno));
		return -1;
	}
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", out) >= sizeof(tmp)) {
		fprintf(stderr, "%s: %s: path too long\n", prog, out);
		return -1;
	}
	f = fopen(tmp, "wb");
	if (!f) {
		fprintf(stderr, "%s: %s: %s\n", prog, tmp, strerror(errno));
		return -1;
	}
	if (fwrite(data, 1, len, f) != len || fclose(f)) {
		fprintf(stderr, "%s: %s: write failed\n", prog, tmp);
		remove(tmp);
		return -1;
	}
	if (rename(tmp, out)) {
		fprintf(stderr, "%s: %s: %s\n", prog, out, strerror(errno));
		remove(tmp);
		return -1;
	}
	return 0;
}

static unsigned char *read_blob(const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	unsigned char *buf;

	if (!f) {
		fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
		return NULL;
	}
	buf = malloc(BLOB_MAX + 2);
	if (buf) {
		*len = fread(buf, 1, BLOB_MAX + 1, f);
		/* A directory or an I/O error is not an invalid blob. */
		if (ferror(f)) {
			fprintf(stderr, "%s: %s: %s\n", prog, path,
				strerror(errno));
			free(buf);
			buf = NULL;
		}
	}
	if (f != stdin)
		fclose(f);
	return buf;
}

static void print_flags(FILE *f, const char *key, uint32_t flags,
			const struct flag_name *names, const char *indent)
{
	const char *sep = " ";

	if (!flags)
		return;
	fprintf(f, "%s%s = [", indent, key);
	for (const struct flag_name *n = names; n->name; n++) {
		if (flags & n->bit) {
			fprintf(f, "%s\"%s\"", sep, n->name);
			sep = ", ";
		}
	}
	fprintf(f, " ];\n");
}

static void print_bytes(FILE *f, const char *key, const unsigned char *p, unsigned int n)
{
	fprintf(f, "%s = [", key);
	for (unsigned int i = 0; i < n; i++)
		fprintf(f, "%s0x%02x", i ? ", " : " ", p[i]);
	fprintf(f, " ];");
}

static void dump(FILE *f, const struct verso_panel_fw *fw, const char *src)
{
	fprintf(f, "# verso panel description, decompiled from %s\n\n", src);
	fprintf(f, "panel = {\n");
	/* Escaped as libconfig reads it back: names may hold '"' and '\\'. */
	fputs("\tname = \"", f);
	for (const char *c = fw->name; *c; c++)
		fprintf(f, *c == '"' || *c == '\\' ? "\\%c" : "%c", *c);
	fputs("\";\n", f);
	fprintf(f, "\twidth_mm = %u;\n\theight_mm = %u;\n", fw->width_mm, fw->height_mm);
	fprintf(f, "\tmax_brightness = %u;\n\tdefault_brightness = %u;\n",
		fw->max_brightness, fw->default_brightness);
	fprintf(f, "\tbrightness_bytes = %u;\n\tlanes = %u;\n",
		fw->brightness_bytes, fw->lanes);
	fprintf(f, "\tformat = \"%s\";\n", format_names[fw->format]);
	print_flags(f, "dsi_flags", fw->dsi_flags, dsi_flag_names, "\t");
	fprintf(f, "};\n\nmodes = (\n");
	for (unsigned int i = 0; i < fw->num_modes; i++) {
		const struct verso_panel_fw_mode *m = &fw->modes[i];
		uint64_t mhz = (uint64_t)m->clock_khz * 1000000u /
			       ((uint64_t)m->htotal * m->vtotal);

		fprintf(f, "\t# %ux%u @ %" PRIu64 ".%03" PRIu64 " Hz\n\t{\n",
			m->hdisplay, m->vdisplay, mhz / 1000, mhz % 1000);
		fprintf(f, "\t\tclock_khz = %u;\n", m->clock_khz);
		fprintf(f, "\t\thdisplay = %u; hsync_start = %u; hsync_end = %u; htotal = %u;\n",
			m->hdisplay, m->hsync_start, m->hsync_end, m->htotal);
		fprintf(f, "\t\tvdisplay = %u; vsync_start = %u; vsync_end = %u; vtotal = %u;\n",
			m->vdisplay, m->vsync_start, m->vsync_end, m->vtotal);
		print_flags(f, "flags", m->flags & ~VERSO_PANEL_FW_MODE_PREFERRED,
			    mode_flag_names, "\t\t");
		if (m->flags & VERSO_PANEL_FW_MODE_PREFERRED)
			fprintf(f, "\t\tpreferred = true;\n");
		fprintf(f, "\t}%s\n", i + 1 < fw->num_modes ? "," : "");
	}
	fprintf(f, ");\n");

	for (unsigned int id = 0; id < VERSO_PANEL_FW_SEQ_COUNT; id++) {
		const struct verso_panel_fw_seq *seq = &fw->seqs[id];
		struct verso_panel_fw_step st, next;
		u32 pos = 0, peek;
		int more;

		if (!seq->data)
			continue;
		fprintf(f, "\n%s = (", verso_panel_fw_seq_name(id));
		more = verso_panel_fw_next_step(seq, &pos, &st);
		for (const char *sep = "\n"; more > 0; sep = ",\n") {
			fprintf(f, "%s\t{ ", sep);
			if (st.op == VERSO_PANEL_FW_OP_DELAY) {
				fprintf(f, "delay_ms = %u; }", st.delay_ms);
				more = verso_panel_fw_next_step(seq, &pos, &st);
				continue;
			}
			print_bytes(f, st.op == VERSO_PANEL_FW_OP_DCS ? "dcs" : "generic",
				    st.data, st.len);
			/* A write followed by a delay reads as one step. */
			peek = pos;
			more = verso_panel_fw_next_step(seq, &peek, &next);
			if (more > 0 && next.op == VERSO_PANEL_FW_OP_DELAY) {
				fprintf(f, " delay_ms = %u;", next.delay_ms);
				pos = peek;
				more = verso_panel_fw_next_step(seq, &pos, &st);
			} else {
				st = next;
				pos = peek;
			}
			fprintf(f, " }");
		}
		fprintf(f, "\n);\n");
	}
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: %s [-o OUT] DESCRIPTION.panel   compile text to a firmware blob\n"
		"       %s --dump [-o OUT] BLOB          print a blob as text\n"
		"       %s --check BLOB                  validate a blob\n"
		"OUT '-' is standard output. See Documentation/kernel/panel-firmware.md.\n",
		prog, prog, prog);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "dump", no_argument, NULL, 'd' },
		{ "check", no_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	enum { COMPILE, DUMP, CHECK } cmd = COMPILE;
	const char *out = NULL;
	int c;

	while ((c = getopt_long(argc, argv, "o:dch", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'd':
			cmd = DUMP;
			break;
		case 'c':
			cmd = CHECK;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return 2;
	}

	if (cmd == COMPILE) {
		static struct blob b;
		config_t cfg;
		int ret;

		if (!out) {
			fprintf(stderr, "%s: no output file (-o OUT)\n", prog);
			return 2;
		}
		config_init(&cfg);
		ret = compile(argv[optind], &b, &cfg);
		config_destroy(&cfg);
		if (ret)
			return 1;
		return write_file(out, b.buf, b.len) ? 1 : 0;
	} else {
		static struct verso_panel_fw fw;
		char err[256];
		size_t len = 0;
		unsigned char *buf = read_blob(argv[optind], &len);
		int ret;

		if (!buf)
			return 1;
		ret = verso_panel_fw_parse(buf, len, &fw, err, sizeof(err));
		if (ret) {
			fprintf(stderr, "%s: invalid panel firmware (%s): %s\n",
				argv[optind], strerror(-ret), err);
			free(buf);
			return 1;
		}
		if (cmd == CHECK) {
			printf("%s: ok: panel \"%s\", %u modes, %zu bytes\n",
			       argv[optind], fw.name, fw.num_modes, len);
		} else if (!out || !strcmp(out, "-")) {
			dump(stdout, &fw, argv[optind]);
		} else {
			FILE *f = fopen(out, "w");

			if (!f) {
				fprintf(stderr, "%s: %s: %s\n", prog, out, strerror(errno));
				free(buf);
				return 1;
			}
			dump(f, &fw, argv[optind]);
			if (fclose(f)) {
				free(buf);
				return 1;
			}
		}
		free(buf);
	}
	return 0;
}
