/* SPDX-License-Identifier: MIT */
#ifndef VERSO_SCREENSHOT_H
#define VERSO_SCREENSHOT_H

#include <stdbool.h>
#include <stddef.h>

struct verso_server;

/* True while a capture would collide with a pending page flip: retry after
 * the next present event. */
bool screenshot_must_wait(struct verso_server *server);

/*
 * Writes what the rear output shows to path as a PNG. *method becomes
 * "writeback" or "renderer". Returns 0, or -errno with a message in err.
 */
int screenshot_take(struct verso_server *server, const char *path,
	const char **method, char *err, size_t errlen);

#endif
