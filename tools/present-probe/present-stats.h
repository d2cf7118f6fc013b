/* SPDX-License-Identifier: MIT */
/* Statistics over wp_presentation feedback, kept apart for unit tests. */
#ifndef PRESENT_STATS_H
#define PRESENT_STATS_H

#include <stddef.h>
#include <stdint.h>

/* Same bits as wp_presentation_feedback.kind. */
enum present_kind {
	PRESENT_VSYNC = 0x1,
	PRESENT_HW_CLOCK = 0x2,
	PRESENT_HW_COMPLETION = 0x4,
	PRESENT_ZERO_COPY = 0x8,
};

enum present_state {
	PRESENT_PENDING,
	PRESENT_PRESENTED,
	PRESENT_DISCARDED,
};

/* One commit and what became of it. */
struct present_frame {
	enum present_state state;
	uint64_t ts_ns;      /* presentation time */
	uint64_t seq;        /* refresh counter, 0 when unknown */
	uint32_t refresh_ns; /* 0 when unknown */
	uint32_t flags;      /* enum present_kind */
};

struct present_stats {
	uint64_t frames, presented, discarded, refresh_ns;
	uint64_t mean_interval_ns, min_interval_ns, max_interval_ns;
	uint64_t vsync, hw_clock, hw_completion, zero_copy;
	uint64_t seq_gaps; /* refresh cycles skipped between presented frames */
	/*
	 * The display's refresh period as its presents show it: time over
	 * refresh count between the first and the last present with a known
	 * seq, and how far any of them lies from that grid. They hold at any
	 * client frame rate: a slow client still lands on the vblank grid.
	 * 0 with fewer than two such presents.
	 */
	uint64_t seq_period_ns, grid_err_max_ns;
};

/*
 * Summarises frames in commit order. Intervals are taken between
 * consecutive presented frames; refresh_ns is the last one reported.
 */
void present_stats_compute(const struct present_frame *frames, size_t n,
		struct present_stats *s);

/* Formats the one-line "present: frames=N ..." summary (no newline). */
int present_stats_format(const struct present_stats *s, char *buf,
		size_t len);

#endif /* PRESENT_STATS_H */
