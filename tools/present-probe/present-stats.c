// SPDX-License-Identifier: MIT
#include <stdbool.h>
#include <stdio.h>

#include "present-stats.h"

static bool on_grid(const struct present_frame *f)
{
	return f->state == PRESENT_PRESENTED && f->seq != 0;
}

static void grid(const struct present_frame *frames, size_t n,
		struct present_stats *s)
{
	const struct present_frame *first = NULL, *last = NULL;
	for (size_t i = 0; i < n; i++) {
		if (on_grid(&frames[i])) {
			if (!first)
				first = &frames[i];
			last = &frames[i];
		}
	}
	if (!first || last->seq <= first->seq || last->ts_ns <= first->ts_ns)
		return;
	/* In ns * refreshes, to keep the sub-ns part of the period. */
	uint64_t span = last->ts_ns - first->ts_ns;
	uint64_t count = last->seq - first->seq;
	s->seq_period_ns = (span + count / 2) / count;
	for (size_t i = 0; i < n; i++) {
		const struct present_frame *f = &frames[i];
		if (!on_grid(f) || f->seq < first->seq)
			continue;
		uint64_t k = f->seq - first->seq;
		uint64_t expect = first->ts_ns + (span * k + count / 2) / count;
		uint64_t err = f->ts_ns > expect ? f->ts_ns - expect :
			expect - f->ts_ns;
		if (err > s->grid_err_max_ns)
			s->grid_err_max_ns = err;
	}
}

void present_stats_compute(const struct present_frame *frames, size_t n,
		struct present_stats *s)
{
	*s = (struct present_stats){ .frames = n };
	const struct present_frame *prev = NULL;
	uint64_t first_ts = 0, last_ts = 0, intervals = 0;

	for (size_t i = 0; i < n; i++) {
		const struct present_frame *f = &frames[i];
		if (f->state == PRESENT_DISCARDED)
			s->discarded++;
		if (f->state != PRESENT_PRESENTED)
			continue;

		s->presented++;
		s->refresh_ns = f->refresh_ns;
		s->vsync += !!(f->flags & PRESENT_VSYNC);
		s->hw_clock += !!(f->flags & PRESENT_HW_CLOCK);
		s->hw_completion += !!(f->flags & PRESENT_HW_COMPLETION);
		s->zero_copy += !!(f->flags & PRESENT_ZERO_COPY);

		if (prev) {
			/* A clock going backwards counts as a zero interval. */
			uint64_t d = f->ts_ns > prev->ts_ns ?
				f->ts_ns - prev->ts_ns : 0;
			if (intervals == 0 || d < s->min_interval_ns)
				s->min_interval_ns = d;
			if (d > s->max_interval_ns)
				s->max_interval_ns = d;
			intervals++;
			if (prev->seq && f->seq > prev->seq + 1)
				s->seq_gaps += f->seq - prev->seq - 1;
		} else {
			first_ts = f->ts_ns;
		}
		last_ts = f->ts_ns;
		prev = f;
	}
	if (intervals > 0 && last_ts > first_ts)
		s->mean_interval_ns = (last_ts - first_ts) / intervals;
	grid(frames, n, s);
}

int present_stats_format(const struct present_stats *s, char *buf, size_t len)
{
	return snprintf(buf, len, "present: frames=%llu presented=%llu "
		"discarded=%llu refresh_ns=%llu mean_interval_ns=%llu "
		"min_interval_ns=%llu max_interval_ns=%llu vsync=%llu "
		"hw_clock=%llu hw_completion=%llu zero_copy=%llu seq_gaps=%llu "
		"seq_period_ns=%llu grid_err_max_ns=%llu",
		(unsigned long long)s->frames,
		(unsigned long long)s->presented,
		(unsigned long long)s->discarded,
		(unsigned long long)s->refresh_ns,
		(unsigned long long)s->mean_interval_ns,
		(unsigned long long)s->min_interval_ns,
		(unsigned long long)s->max_interval_ns,
		(unsigned long long)s->vsync,
		(unsigned long long)s->hw_clock,
		(unsigned long long)s->hw_completion,
		(unsigned long long)s->zero_copy,
		(unsigned long long)s->seq_gaps,
		(unsigned long long)s->seq_period_ns,
		(unsigned long long)s->grid_err_max_ns);
}
