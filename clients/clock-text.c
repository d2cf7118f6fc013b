// SPDX-License-Identifier: MIT
#include <stdio.h>
#include <string.h>

#include "clock-text.h"

void clock_text_format(const struct tm *tm, bool seconds,
		struct clock_text *t)
{
	snprintf(t->hm, sizeof(t->hm), "%02d:%02d", tm->tm_hour % 24,
		tm->tm_min % 60);
	if (seconds)
		snprintf(t->sec, sizeof(t->sec), "%02d", tm->tm_sec % 61);
	else
		t->sec[0] = '\0';

	/* "%e" pads single-digit days with a space: format the day by hand. */
	/* Room for long names: Tamil's Friday is 39 bytes of UTF-8. */
	char weekday[128], month[128];
	if (strftime(weekday, sizeof(weekday), "%A", tm) == 0)
		weekday[0] = '\0';
	if (strftime(month, sizeof(month), "%B", tm) == 0)
		month[0] = '\0';
	snprintf(t->date, sizeof(t->date), "%s %d %s", weekday, tm->tm_mday,
		month);
}

bool clock_text_equal(const struct clock_text *a, const struct clock_text *b)
{
	return strcmp(a->hm, b->hm) == 0 && strcmp(a->sec, b->sec) == 0 &&
		strcmp(a->date, b->date) == 0;
}

bool clock_parse_time(const char *s, struct tm *tm)
{
	int h, m, sec, n = 0;
	if (!s || strlen(s) != 8 ||
			sscanf(s, "%2d:%2d:%2d%n", &h, &m, &sec, &n) != 3 ||
			n != 8)
		return false;
	if (h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 59)
		return false;
	tm->tm_hour = h;
	tm->tm_min = m;
	tm->tm_sec = sec;
	return true;
}

bool clock_parse_date(const char *s, struct tm *tm)
{
	int y, mon, d, n = 0;
	if (!s || strlen(s) != 10 ||
			sscanf(s, "%4d-%2d-%2d%n", &y, &mon, &d, &n) != 3 ||
			n != 10)
		return false;
	if (y < 1900 || mon < 1 || mon > 12 || d < 1 || d > 31)
		return false;

	/* mktime() normalises 31 April to 1 May: that means it is invalid. */
	struct tm t = { .tm_year = y - 1900, .tm_mon = mon - 1, .tm_mday = d,
		.tm_hour = 12, .tm_isdst = -1 };
	if (mktime(&t) == (time_t)-1 || t.tm_mday != d || t.tm_mon != mon - 1)
		return false;
	tm->tm_year = t.tm_year;
	tm->tm_mon = t.tm_mon;
	tm->tm_mday = t.tm_mday;
	tm->tm_wday = t.tm_wday;
	tm->tm_yday = t.tm_yday;
	return true;
}

time_t clock_next_tick(time_t now, bool seconds)
{
	time_t step = seconds ? 1 : 60;
	return (now / step + 1) * step;
}
