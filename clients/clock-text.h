/* SPDX-License-Identifier: MIT */
/* What verso-clock shows and when it changes; no Wayland, for unit tests. */
#ifndef VERSO_CLOCK_TEXT_H
#define VERSO_CLOCK_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

struct clock_text {
	char hm[8];    /* "HH:MM" */
	char sec[4];   /* "SS", or "" without seconds */
	char date[272]; /* "Weekday D Month" in the LC_TIME locale */
};

/* Fills t from tm. */
void clock_text_format(const struct tm *tm, bool seconds,
		struct clock_text *t);

/* True when a and b would draw the same frame. */
bool clock_text_equal(const struct clock_text *a, const struct clock_text *b);

/* Parses "HH:MM:SS" (24-hour) into tm's time fields. */
bool clock_parse_time(const char *s, struct tm *tm);

/*
 * Parses "YYYY-MM-DD" into tm's date fields, with the weekday. Rejects
 * dates that do not exist (e.g. 2023-02-29).
 */
bool clock_parse_date(const char *s, struct tm *tm);

/* The next realtime instant the text can change: a whole second or minute. */
time_t clock_next_tick(time_t now, bool seconds);

#endif /* VERSO_CLOCK_TEXT_H */
