/* SPDX-License-Identifier: MIT */
/*
 * Frame counters for the rear output. Plain data and pure updates: the
 * output code feeds events in, D-Bus reads them out, and unit tests drive
 * both without a backend.
 */
#ifndef VERSO_STATS_H
#define VERSO_STATS_H

#include <stdbool.h>
#include <stdint.h>

/* Enough for one second at 240 Hz. */
#define VERSO_STATS_FPS_RING 256

struct verso_stats {
	uint64_t frames_presented;
	uint64_t frames_composited;
	uint64_t frames_scanout;
	uint64_t vblanks_missed;
	uint64_t commits;
	uint64_t wakeups;

	/* private */
	unsigned last_seq; /* 0: unknown */
	bool pending_continuous;
	uint64_t ring[VERSO_STATS_FPS_RING]; /* present times, ns */
	unsigned ring_head, ring_len;
};

void verso_stats_init(struct verso_stats *stats);

/*
 * A new frame was committed to the output. continuous: the compositor
 * committed in the frame event right after the previous frame was presented,
 * so this frame should hit the very next vblank.
 */
void verso_stats_frame(struct verso_stats *stats, bool scanout,
	bool continuous);

/* Any commit to the output, frames and mode changes alike. */
void verso_stats_commit(struct verso_stats *stats);

/*
 * The last committed frame turned into light at when_ns on vblank seq (0 if
 * the backend has no counter). Gaps in seq after a continuous frame are
 * missed vblanks.
 */
void verso_stats_present(struct verso_stats *stats, unsigned seq,
	uint64_t when_ns);

/* Frames presented in the second before now_ns. */
double verso_stats_fps(const struct verso_stats *stats, uint64_t now_ns);

#endif
