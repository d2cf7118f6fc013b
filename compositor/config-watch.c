// SPDX-License-Identifier: MIT
/*
 * The config file: loaded at start, reloaded on SIGHUP, on D-Bus
 * ReloadConfig and when the file changes. A change is seen through inotify
 * on the file's directory (editors replace files by rename, and the file
 * may not exist yet), with the inotify fd in the event loop: no polling.
 * A bad file never replaces a good config (verso_config_reload()).
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>
#include <wlr/util/log.h>
#include "core/config.h"
#include "server.h"

struct verso_config_watch {
	struct verso_server *server;
	char path[PATH_MAX]; /* owned copy; server->config_path points here */
	char *base; /* file name inside path's directory */
	int fd;
	struct wl_event_source *fd_source;
	struct wl_event_source *sighup;
};

static void watch_file(struct verso_config_watch *watch);

static void config_applied(struct verso_server *server) {
	touch_apply_config(server);
	shell_apply_config(server);
	wl_signal_emit(&server->config_changed, server->config);
}

bool server_config_reload(struct verso_server *server, char *err, size_t err_size) {
	struct verso_config_watch *watch = server->config_watch;
	if (server->config_path == NULL) {
		/* Started on defaults: the file may exist by now. */
		char buf[PATH_MAX];
		const char *found = verso_config_find(buf, sizeof(buf));
		if (found == NULL) {
			snprintf(err, err_size, "no config file (looked for "
				"$XDG_CONFIG_HOME/verso/versod.conf and "
				"/etc/verso/versod.conf)");
			wlr_log(WLR_ERROR, "Config reload: %s", err);
			return false;
		}
		snprintf(watch->path, sizeof(watch->path), "%s", found);
		server->config_path = watch->path;
		if (watch->fd < 0) {
			watch_file(watch);
		}
	}

	struct verso_config_error cerr = { 0 };
	if (!verso_config_reload(&server->config, server->config_path, &cerr)) {
		wlr_log(WLR_ERROR, "Config reload failed, keeping the previous "
			"config: %s", cerr.message);
		if (err != NULL) {
			snprintf(err, err_size, "%s", cerr.message);
		}
		return false;
	}
	wlr_log(WLR_INFO, "Config reloaded from %s", server->config_path);
	if (err != NULL && err_size > 0) {
		err[0] = '\0';
	}
	config_applied(server);
	return true;
}

static int handle_sighup(int signal, void *data) {
	struct verso_server *server = data;
	wlr_log(WLR_INFO, "SIGHUP: reloading the config");
	server_config_reload(server, NULL, 0);
	return 0;
}

static int handle_inotify(int fd, uint32_t mask, void *data) {
	struct verso_config_watch *watch = data;
	/* Aligned for struct inotify_event, as inotify(7) shows. */
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	bool changed = false;
	for (;;) {
		ssize_t len = read(fd, buf, sizeof(buf));
		if (len <= 0) {
			break;
		}
		for (char *p = buf; p < buf + len;) {
			struct inotify_event *ev = (struct inotify_event *)p;
			if (ev->len > 0 && strcmp(ev->name, watch->base) == 0 &&
					(ev->mask & (IN_CLOSE_WRITE | IN_MOVED_TO))) {
				changed = true;
			}
			p += sizeof(*ev) + ev->len;
		}
	}
	/* One reload per batch: an editor's save is several events. */
	if (changed) {
		wlr_log(WLR_INFO, "%s changed: reloading", watch->path);
		server_config_reload(watch->server, NULL, 0);
	}
	return 0;
}

/* Watches the directory of watch->path; without one, SIGHUP still works. */
static void watch_file(struct verso_config_watch *watch) {
	char dir[PATH_MAX];
	snprintf(dir, sizeof(dir), "%s", watch->path);
	char *slash = strrchr(dir, '/');
	if (slash == NULL) {
		snprintf(dir, sizeof(dir), ".");
		watch->base = watch->path;
	} else {
		watch->base = watch->path + (slash - dir) + 1;
		if (slash == dir) {
			slash[1] = '\0';
		} else {
			*slash = '\0';
		}
	}
	watch->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (watch->fd < 0 || inotify_add_watch(watch->fd, dir,
			IN_CLOSE_WRITE | IN_MOVED_TO) < 0) {
		wlr_log_errno(WLR_ERROR, "Cannot watch %s for config changes "
			"(SIGHUP still reloads)", dir);
		return;
	}
	watch->fd_source = wl_event_loop_add_fd(watch->server->loop, watch->fd,
		WL_EVENT_READABLE, handle_inotify, watch);
}

bool server_config_init(struct verso_server *server, const char *path) {
	wl_signal_init(&server->config_changed);
	struct verso_config_watch *watch = calloc(1, sizeof(*watch));
	if (watch == NULL) {
		return false;
	}
	watch->server = server;
	watch->fd = -1;
	server->config_watch = watch;

	if (path == NULL) {
		path = verso_config_find(watch->path, sizeof(watch->path));
	}
	if (path != NULL) {
		if (path != watch->path) {
			snprintf(watch->path, sizeof(watch->path), "%s", path);
		}
		server->config_path = watch->path;
		struct verso_config_error err = { 0 };
		server->config = verso_config_load_file(server->config_path, &err);
		if (server->config == NULL) {
			/* A phone must still come up: run on defaults, and pick
			 * up the file once it is fixed. */
			wlr_log(WLR_ERROR, "Bad config, running on defaults: %s",
				err.message);
		} else {
			wlr_log(WLR_INFO, "Config loaded from %s",
				server->config_path);
		}
		watch_file(watch);
	} else {
		wlr_log(WLR_INFO, "No config file: running on defaults");
	}
	if (server->config == NULL) {
		server->config = verso_config_create();
		if (server->config == NULL) {
			return false;
		}
	}
	watch->sighup = wl_event_loop_add_signal(server->loop, SIGHUP,
		handle_sighup, server);
	return true;
}

void server_config_finish(struct verso_server *server) {
	struct verso_config_watch *watch = server->config_watch;
	if (watch != NULL) {
		if (watch->fd_source != NULL) {
			wl_event_source_remove(watch->fd_source);
		}
		if (watch->sighup != NULL) {
			wl_event_source_remove(watch->sighup);
		}
		if (watch->fd >= 0) {
			close(watch->fd);
		}
		free(watch);
		server->config_watch = NULL;
	}
	server->config_path = NULL;
	verso_config_destroy(server->config);
	server->config = NULL;
}
