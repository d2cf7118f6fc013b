/* SPDX-License-Identifier: (GPL-2.0-only OR MIT) */
/*
 * verso panel firmware: a DSI panel's modes and command sequences, compiled
 * from a text description by verso-panelc and loaded with request_firmware().
 *
 * The parser is shared: the same source builds in the kernel and in
 * userspace (the compiler, the unit test and the fuzzer). The format is
 * described in Documentation/kernel/panel-firmware.md.
 */
#ifndef _VERSO_PANEL_FW_H_
#define _VERSO_PANEL_FW_H_

/*
 * Build shim: the only place that differs between the kernel and userspace.
 * It provides u8/u16/u32, bool, errno values, vsnprintf(), memcpy(),
 * __printf() and the zlib-compatible CRC32.
 */
#ifdef __KERNEL__
#include <linux/crc32.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/stdarg.h>
#include <linux/string.h>
#include <linux/types.h>

static inline u32 verso_panel_fw_crc32(const u8 *data, size_t len)
{
	return crc32_le(~0, data, len) ^ ~0;
}
#else
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;

#ifndef BIT
#define BIT(nr) (1UL << (nr))
#endif

/* Userspace builds pass a format-checking __printf() on the command line. */
#ifndef __printf
#define __printf(a, b)
#endif

static inline u32 verso_panel_fw_crc32(const u8 *data, size_t len)
{
	return (u32)crc32(0L, data, (unsigned int)len);
}
#endif

/* Default firmware name passed to request_firmware(). */
#define VERSO_PANEL_FW_DEFAULT_NAME	"verso/rear-panel.bin"

#define VERSO_PANEL_FW_MAGIC		"VRSOPANL"
#define VERSO_PANEL_FW_MAGIC_LEN	8
#define VERSO_PANEL_FW_VERSION		1
#define VERSO_PANEL_FW_HEADER_SIZE	24
#define VERSO_PANEL_FW_SECTION_HDR	8
#define VERSO_PANEL_FW_MAX_SIZE		65536

/* Limits enforced by the parser. */
#define VERSO_PANEL_FW_MAX_MODES	16
#define VERSO_PANEL_FW_MAX_SEQS		8
#define VERSO_PANEL_FW_MAX_STEPS	256
#define VERSO_PANEL_FW_MAX_PAYLOAD	128
#define VERSO_PANEL_FW_MAX_DELAY_MS	1000
#define VERSO_PANEL_FW_MAX_SEQ_DELAY_MS	5000
#define VERSO_PANEL_FW_NAME_LEN		32
#define VERSO_PANEL_FW_MAX_CLOCK_KHZ	2000000

/* Section types. */
#define VERSO_PANEL_FW_SEC_PANEL	0x0001
#define VERSO_PANEL_FW_SEC_MODE		0x0002
#define VERSO_PANEL_FW_SEC_SEQ_BASE	0x0010	/* + enum verso_panel_fw_seq_id */

/* Section flags. */
#define VERSO_PANEL_FW_SECF_OPTIONAL	0x0001	/* skip if the type is unknown */

/* PANEL section payload size in version 1. */
#define VERSO_PANEL_FW_PANEL_SIZE	(16 + VERSO_PANEL_FW_NAME_LEN)
/* MODE section payload size in version 1. */
#define VERSO_PANEL_FW_MODE_SIZE	24

/* Pixel formats, numbered as enum mipi_dsi_pixel_format. */
enum verso_panel_fw_format {
	VERSO_PANEL_FW_FMT_RGB888 = 0,
	VERSO_PANEL_FW_FMT_RGB666 = 1,
	VERSO_PANEL_FW_FMT_RGB666_PACKED = 2,
	VERSO_PANEL_FW_FMT_RGB565 = 3,
};

/*
 * DSI mode flags. The bit positions follow the kernel's MIPI_DSI_MODE_*
 * definitions of 6.1, but they are part of the firmware ABI: drivers map them
 * one by one rather than casting.
 */
#define VERSO_PANEL_FW_DSI_VIDEO		BIT(0)
#define VERSO_PANEL_FW_DSI_VIDEO_BURST		BIT(1)
#define VERSO_PANEL_FW_DSI_VIDEO_SYNC_PULSE	BIT(2)
#define VERSO_PANEL_FW_DSI_VIDEO_AUTO_VERT	BIT(3)
#define VERSO_PANEL_FW_DSI_VIDEO_HSE		BIT(4)
#define VERSO_PANEL_FW_DSI_VIDEO_NO_HFP		BIT(5)
#define VERSO_PANEL_FW_DSI_VIDEO_NO_HBP		BIT(6)
#define VERSO_PANEL_FW_DSI_VIDEO_NO_HSA		BIT(7)
#define VERSO_PANEL_FW_DSI_VSYNC_FLUSH		BIT(8)
#define VERSO_PANEL_FW_DSI_NO_EOT_PACKET	BIT(9)
#define VERSO_PANEL_FW_DSI_CLOCK_NON_CONTINUOUS	BIT(10)
#define VERSO_PANEL_FW_DSI_LPM			BIT(11)
#define VERSO_PANEL_FW_DSI_ALL			0x0fffu
/* Flags that only make sense in video mode. */
#define VERSO_PANEL_FW_DSI_VIDEO_ONLY		0x00feu

/* Mode flags: sync polarities as DRM_MODE_FLAG_*, plus "preferred". */
#define VERSO_PANEL_FW_MODE_PHSYNC	BIT(0)
#define VERSO_PANEL_FW_MODE_NHSYNC	BIT(1)
#define VERSO_PANEL_FW_MODE_PVSYNC	BIT(2)
#define VERSO_PANEL_FW_MODE_NVSYNC	BIT(3)
#define VERSO_PANEL_FW_MODE_PREFERRED	BIT(8)
#define VERSO_PANEL_FW_MODE_ALL		0x010fu

enum verso_panel_fw_seq_id {
	VERSO_PANEL_FW_SEQ_INIT = 0,	/* after reset, before sleep-out */
	VERSO_PANEL_FW_SEQ_ENABLE = 1,	/* sleep-out, display-on */
	VERSO_PANEL_FW_SEQ_DISABLE = 2,	/* display-off, sleep-in */
	VERSO_PANEL_FW_SEQ_IDLE_ENTER = 3,
	VERSO_PANEL_FW_SEQ_IDLE_EXIT = 4,
	VERSO_PANEL_FW_SEQ_COUNT = 5,	/* ids up to MAX_SEQS - 1 are reserved */
};

/* Step opcodes inside a sequence section. */
enum verso_panel_fw_op {
	VERSO_PANEL_FW_OP_DCS = 1,	/* DCS write: command byte + parameters */
	VERSO_PANEL_FW_OP_GENERIC = 2,	/* generic (manufacturer) write */
	VERSO_PANEL_FW_OP_DELAY = 3,	/* u16 LE milliseconds */
};

/**
 * struct verso_panel_fw_mode - one display mode, in DRM terms
 * @clock_khz: pixel clock
 * @hdisplay: active pixels per line
 * @hsync_start: first pixel of horizontal sync
 * @hsync_end: first pixel after horizontal sync
 * @htotal: pixels per line, blanking included
 * @vdisplay: active lines
 * @vsync_start: first line of vertical sync
 * @vsync_end: first line after vertical sync
 * @vtotal: lines per frame, blanking included
 * @flags: VERSO_PANEL_FW_MODE_* bits
 */
struct verso_panel_fw_mode {
	u32 clock_khz;
	u16 hdisplay;
	u16 hsync_start;
	u16 hsync_end;
	u16 htotal;
	u16 vdisplay;
	u16 vsync_start;
	u16 vsync_end;
	u16 vtotal;
	u32 flags;
};

/**
 * struct verso_panel_fw_seq - a command sequence, pointing into the blob
 * @data: first step, or NULL when the sequence is absent
 * @len: length of the steps in bytes
 * @num_steps: number of steps
 * @total_delay_ms: sum of the delay steps
 */
struct verso_panel_fw_seq {
	const u8 *data;
	u32 len;
	u16 num_steps;
	u16 total_delay_ms;
};

/**
 * struct verso_panel_fw_step - one decoded sequence step
 * @op: enum verso_panel_fw_op
 * @len: number of bytes at @data (DCS and generic writes)
 * @delay_ms: delay (VERSO_PANEL_FW_OP_DELAY)
 * @data: bytes to send; for DCS, data[0] is the command
 */
struct verso_panel_fw_step {
	u8 op;
	u8 len;
	u16 delay_ms;
	const u8 *data;
};

/**
 * struct verso_panel_fw - a parsed panel firmware
 * @version: format version of the blob
 * @name: panel name, NUL-terminated
 * @width_mm: active area width
 * @height_mm: active area height
 * @max_brightness: largest DCS brightness value
 * @default_brightness: brightness after probe
 * @brightness_bytes: 1 or 2 parameter bytes for DCS 0x51 (2: big-endian)
 * @lanes: DSI data lanes
 * @format: enum verso_panel_fw_format
 * @dsi_flags: VERSO_PANEL_FW_DSI_* bits
 * @num_modes: entries used in @modes
 * @preferred: index of the preferred mode in @modes
 * @modes: modes, in blob order
 * @seqs: sequences, indexed by enum verso_panel_fw_seq_id
 *
 * The sequences point into the parsed buffer, which must outlive this
 * structure.
 */
struct verso_panel_fw {
	u16 version;
	char name[VERSO_PANEL_FW_NAME_LEN];
	u16 width_mm;
	u16 height_mm;
	u16 max_brightness;
	u16 default_brightness;
	u8 brightness_bytes;
	u8 lanes;
	u8 format;
	u32 dsi_flags;
	unsigned int num_modes;
	unsigned int preferred;
	struct verso_panel_fw_mode modes[VERSO_PANEL_FW_MAX_MODES];
	struct verso_panel_fw_seq seqs[VERSO_PANEL_FW_MAX_SEQS];
};

/**
 * verso_panel_fw_parse() - validate a firmware blob and decode it
 * @data: the blob
 * @len: its size in bytes
 * @out: decoded firmware; pointers in it refer to @data
 * @err: buffer for a one-line message naming the offset and the problem
 * @errlen: size of @err (may be 0)
 *
 * Return: 0, -EINVAL for a malformed blob, -EBADMSG for a checksum
 * mismatch, or -E2BIG when a limit is exceeded.
 */
int verso_panel_fw_parse(const u8 *data, size_t len, struct verso_panel_fw *out,
			 char *err, size_t errlen);

/**
 * verso_panel_fw_next_step() - decode the next step of a parsed sequence
 * @seq: the sequence
 * @pos: cursor, 0 for the first step; advanced past the decoded step
 * @step: decoded step
 *
 * Return: 1 when @step holds a step, 0 at the end, -EINVAL on a malformed
 * sequence (never after a successful verso_panel_fw_parse()).
 */
int verso_panel_fw_next_step(const struct verso_panel_fw_seq *seq, u32 *pos,
			     struct verso_panel_fw_step *step);

/* Name of a sequence id ("init", "enable", ...) or NULL. */
const char *verso_panel_fw_seq_name(unsigned int id);

#endif /* _VERSO_PANEL_FW_H_ */
