// SPDX-License-Identifier: MIT
#include <string.h>
#include "stats.h"

#define NSEC_PER_SEC 1000000000ull

void verso_stats_init(struct verso_stats *stats) {
	memset(stats, 0, sizeof(*stats));
}

void verso_stats_frame(struct verso_stats *stats, bool scanout,
		bool continuous) {
	if (scanout) {
		stats->frames_scanout++;
	} else {
		stats->frames_composited++;
	}
	stats->pending_continuous = continuous;
}

void verso_stats_commit(struct verso_stats *stats) {
	stats->commits++;
}

void verso_stats_present(struct verso_stats *stats, unsigned seq,
		uint64_t when_ns) {
	stats->frames_presented++;

	if (seq != 0 && stats->last_seq != 0 && stats->pending_continuous) {
		/* unsigned arithmetic copes with the counter wrapping */
		unsigned delta = seq - stats->last_seq;
		if (delta > 1 && delta < (1u << 31)) {
			stats->vblanks_missed += delta - 1;
		}
	}
	stats->last_seq = seq;
	stats->pending_continuous = false;

	unsigned tail = (stats->ring_head + stats->ring_len) % VERSO_STATS_FPS_RING;
	stats->ring[tail] = when_ns;
	if (stats->ring_len < VERSO_STATS_FPS_RING) {
		stats->ring_len++;
	} else {
		stats->ring_head = (stats->ring_head + 1) % VERSO_STATS_FPS_RING;
	}
}

double verso_stats_fps(const struct verso_stats *stats, uint64_t now_ns) {
	unsigned count = 0;
	for (unsigned i = 0; i < stats->ring_len; i++) {
		uint64_t t = stats->ring[(stats->ring_head + i) % VERSO_STATS_FPS_RING];
		if (t <= now_ns && now_ns - t < NSEC_PER_SEC) {
			count++;
		}
	}
	return count;
}
