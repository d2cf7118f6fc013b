/* SPDX-License-Identifier: MIT */
/* The rear panel's backlight class device (sysfs). */
#ifndef VERSO_BACKLIGHT_H
#define VERSO_BACKLIGHT_H

#include <limits.h>
#include <stdbool.h>

struct wlr_output;

struct verso_backlight {
	char dir[PATH_MAX]; /* /sys/class/backlight/NAME, "" without one */
	int max_brightness;
};

/*
 * Finds the backlight of the panel behind @rear (NULL: forget it) and logs
 * which; false without one. See backlight.c for how it is chosen.
 */
bool backlight_find(struct verso_backlight *bl, struct wlr_output *rear);
bool backlight_present(const struct verso_backlight *bl);
/* Sets 0-100%, rounded up so that 1% never turns it off; -errno. */
int backlight_set_percent(const struct verso_backlight *bl, int percent);
/* The level in percent, or -1 without a device. */
int backlight_get_percent(const struct verso_backlight *bl);
/* bl_power: off powers the backlight down with the blanked panel. */
void backlight_set_power(const struct verso_backlight *bl, bool on);

#endif
