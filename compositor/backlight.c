// SPDX-License-Identifier: MIT
/*
 * The rear panel's backlight, through the backlight class in sysfs: the
 * kernel's interface for panel brightness, which the panel driver
 * registers (panel-verso-rear-amoled: DCS brightness behind a
 * backlight_device). A plain file interface needs no library.
 */
#define _XOPEN_SOURCE 700 /* realpath() */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <wlr/backend/drm.h>
#include <wlr/types/wlr_output.h>
#include <wlr/util/log.h>
#include "backlight.h"

static int read_int(const char *dir, const char *file) {
	char path[PATH_MAX + 32], buf[32];
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		return -1;
	}
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0) {
		return -1;
	}
	buf[n] = '\0';
	char *end;
	errno = 0;
	long v = strtol(buf, &end, 10);
	/* sysfs gives a decimal and a newline; anything else is unusable. */
	if (errno != 0 || end == buf || (*end != '\n' && *end != '\0') ||
			v < 0 || v > INT_MAX) {
		return -1;
	}
	return (int)v;
}

static int write_int(const char *dir, const char *file, int value) {
	char path[PATH_MAX + 32], buf[32];
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		return -errno;
	}
	int len = snprintf(buf, sizeof(buf), "%d\n", value);
	ssize_t n = write(fd, buf, len);
	int ret = n == len ? 0 : n < 0 ? -errno : -EIO;
	close(fd);
	return ret;
}

/* The sysfs device directory of @output's DRM card, or "". */
static void card_device(struct wlr_output *output, char *buf, size_t len) {
	buf[0] = '\0';
	if (output == NULL || !wlr_output_is_drm(output)) {
		return;
	}
	struct stat st;
	int fd = wlr_backend_get_drm_fd(output->backend);
	if (fd < 0 || fstat(fd, &st) < 0) {
		return;
	}
	char link[PATH_MAX];
	snprintf(link, sizeof(link), "/sys/dev/char/%u:%u/device",
		major(st.st_rdev), minor(st.st_rdev));
	if (len < PATH_MAX || realpath(link, buf) == NULL) {
		buf[0] = '\0';
	}
}

/*
 * VERSOD_BACKLIGHT (a name under /sys/class/backlight) if set; else one
 * whose name says "rear" or "verso"; else one whose parent device sits
 * under the rear connector's DRM device. A phone also has the main panel's
 * backlight, so "the only one" is no criterion.
 */
static void choose(struct verso_backlight *bl, struct wlr_output *rear) {
	const char *base = "/sys/class/backlight";
	const char *want = getenv("VERSOD_BACKLIGHT");
	char card[PATH_MAX];
	card_device(rear, card, sizeof(card));

	DIR *dir = opendir(base);
	if (dir == NULL) {
		return;
	}
	int best = 0;
	struct dirent *de;
	while ((de = readdir(dir)) != NULL) {
		if (de->d_name[0] == '.') {
			continue;
		}
		int score = 0;
		if (want != NULL && want[0] != '\0') {
			score = strcmp(de->d_name, want) == 0 ? 4 : 0;
		} else if (strstr(de->d_name, "rear") != NULL) {
			score = 3;
		} else if (strstr(de->d_name, "verso") != NULL) {
			score = 2;
		} else if (card[0] != '\0') {
			char link[PATH_MAX], dev[PATH_MAX];
			snprintf(link, sizeof(link), "%s/%s/device", base, de->d_name);
			if (realpath(link, dev) != NULL &&
					strncmp(dev, card, strlen(card)) == 0) {
				score = 1;
			}
		}
		if (score > best) {
			best = score;
			snprintf(bl->dir, sizeof(bl->dir), "%s/%s", base,
				de->d_name);
		}
	}
	closedir(dir);
}

bool backlight_find(struct verso_backlight *bl, struct wlr_output *rear) {
	bl->dir[0] = '\0';
	bl->max_brightness = 0;
	if (rear == NULL) {
		return false;
	}
	choose(bl, rear);
	if (bl->dir[0] != '\0') {
		bl->max_brightness = read_int(bl->dir, "max_brightness");
		if (bl->max_brightness <= 0) {
			wlr_log(WLR_ERROR, "Backlight %s has no usable "
				"max_brightness: ignored", bl->dir);
			bl->dir[0] = '\0';
		}
	}
	if (bl->dir[0] == '\0') {
		wlr_log(WLR_INFO, "No backlight device for the rear panel");
		return false;
	}
	wlr_log(WLR_INFO, "Backlight %s (max %d)", bl->dir, bl->max_brightness);
	return true;
}

bool backlight_present(const struct verso_backlight *bl) {
	return bl->dir[0] != '\0';
}

int backlight_set_percent(const struct verso_backlight *bl, int percent) {
	if (!backlight_present(bl)) {
		return -ENODEV;
	}
	/* 64-bit: a max_brightness past 21 million would overflow. */
	int raw = (int)(((int64_t)percent * bl->max_brightness + 99) / 100);
	return write_int(bl->dir, "brightness", raw);
}

int backlight_get_percent(const struct verso_backlight *bl) {
	if (!backlight_present(bl)) {
		return -1;
	}
	int raw = read_int(bl->dir, "brightness");
	if (raw < 0) {
		return -1;
	}
	return (int)(((int64_t)raw * 100 + bl->max_brightness / 2) /
		bl->max_brightness);
}

void backlight_set_power(const struct verso_backlight *bl, bool on) {
	if (backlight_present(bl)) {
		/* FB_BLANK_UNBLANK / FB_BLANK_POWERDOWN */
		write_int(bl->dir, "bl_power", on ? 0 : 4);
	}
}
