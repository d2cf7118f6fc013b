// SPDX-License-Identifier: MIT
/*
 * The config file: loaded at start, reloaded on SIGHUP, on D-Bus
 * ReloadConfig and when the file changes. A change is seen through inotify
 * on the file's directory (editors replace files by rename, and the file
 * may not exist yet) and on its symlink target's directory, with the
 * inotify fd in the event loop: no polling.
 * A bad file never replaces a good config (verso_config_reload()).
 */
#define _XOPEN_SOURCE 700 /* realpath() */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wlr/util/log.h>
#include "core/config.h"
#include "server.h"

/* A watched directory and the config's name in it. */
struct watch_dir {
	int wd; /* -1: not watched */
	char dir[PATH_MAX];
	char name[NAME_MAX + 1];
};

struct verso_config_watch {
	struct verso_server *server;
	char path[PATH_MAX]; /* owned copy; server->config_path points here */
	int fd;
	/*
	 * The path as given, and where its symlinks lead: a dotfiles link
	 * is edited at its target, and re-pointed at the link.
	 */
	struct watch_dir link, target;
	struct wl_event_source *fd_source;
	struct wl_event_source *sighup;
};

#define WATCH_MASK (IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE)

static void watch_arm(struct verso_config_watch *watch);

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
	}
	/* A re-pointed link or a recreated directory is watched anew. */
	watch_arm(watch);

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

static bool is_symlink(const struct watch_dir *w) {
	char path[PATH_MAX];
	struct stat st;
	if (snprintf(path, sizeof(path), "%s/%s", w->dir, w->name) >=
			(int)sizeof(path)) {
		return false;
	}
	return lstat(path, &st) == 0 && S_ISLNK(st.st_mode);
}

static bool event_is_config(const struct watch_dir *w,
		const struct inotify_event *ev) {
	if (w->wd < 0 || ev->wd != w->wd || ev->len == 0 ||
			strcmp(ev->name, w->name) != 0) {
		return false;
	}
	if (ev->mask & (IN_CLOSE_WRITE | IN_MOVED_TO)) {
		return true;
	}
	/* A new file is still being written (IN_CLOSE_WRITE follows); a
	 * new symlink is complete. */
	return (ev->mask & IN_CREATE) && is_symlink(w);
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
			p += sizeof(*ev) + ev->len;
			if (ev->mask & IN_Q_OVERFLOW) {
				/* Events were dropped: the config's may be
				 * among them. */
				wlr_log(WLR_INFO, "inotify queue overflowed");
				changed = true;
				continue;
			}
			if (ev->mask & IN_IGNORED) {
				/* The directory went away (or was unmounted). */
				struct watch_dir *ws[] = { &watch->link, &watch->target };
				for (size_t i = 0; i < 2; i++) {
					if (ws[i]->wd == ev->wd) {
						wlr_log(WLR_ERROR, "%s went away: config "
							"changes are not seen until "
							"the next reload (SIGHUP or "
							"versoctl reload)", ws[i]->dir);
						ws[i]->wd = -1;
					}
				}
				continue;
			}
			if (event_is_config(&watch->link, ev) ||
					event_is_config(&watch->target, ev)) {
				changed = true;
			}
		}
	}
	/* One reload per batch: an editor's save is several events. */
	if (changed) {
		wlr_log(WLR_INFO, "%s changed: reloading", watch->path);
		server_config_reload(watch->server, NULL, 0);
	}
	return 0;
}

static void split_path(const char *path, struct watch_dir *out) {
	const char *slash = strrchr(path, '/');
	out->wd = -1;
	if (slash == NULL) {
		snprintf(out->dir, sizeof(out->dir), ".");
		snprintf(out->name, sizeof(out->name), "%s", path);
	} else {
		int dir_len = slash == path ? 1 : (int)(slash - path);
		snprintf(out->dir, sizeof(out->dir), "%.*s", dir_len, path);
		snprintf(out->name, sizeof(out->name), "%s", slash + 1);
	}
}

/* Points one slot at want's directory, dropping a watch no slot uses. */
static void watch_slot(struct verso_config_watch *watch, struct watch_dir *slot,
		const struct watch_dir *want) {
	if (slot->wd >= 0 && strcmp(slot->dir, want->dir) == 0) {
		snprintf(slot->name, sizeof(slot->name), "%s", want->name);
		return;
	}
	int old = slot->wd;
	*slot = *want;
	/* The same directory twice is the same watch (and wd). */
	slot->wd = inotify_add_watch(watch->fd, slot->dir, WATCH_MASK);
	if (slot->wd < 0) {
		wlr_log_errno(WLR_ERROR, "Cannot watch %s for config changes "
			"(SIGHUP and versoctl reload still reload)", slot->dir);
	}
	if (old >= 0 && old != watch->link.wd && old != watch->target.wd) {
		inotify_rm_watch(watch->fd, old);
	}
}

/*
 * Watches the directories of watch->path and of the file it resolves to;
 * without inotify, SIGHUP and versoctl reload still work.
 */
static void watch_arm(struct verso_config_watch *watch) {
	if (watch->fd < 0) {
		watch->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
		if (watch->fd < 0) {
			wlr_log_errno(WLR_ERROR, "inotify unavailable: config "
				"changes need SIGHUP or versoctl reload");
			return;
		}
		watch->fd_source = wl_event_loop_add_fd(watch->server->loop,
			watch->fd, WL_EVENT_READABLE, handle_inotify, watch);
	}
	struct watch_dir link, target;
	split_path(watch->path, &link);
	char real[PATH_MAX];
	if (realpath(watch->path, real) != NULL) {
		split_path(real, &target);
	} else {
		target = link;
	}
	watch_slot(watch, &watch->link, &link);
	watch_slot(watch, &watch->target, &target);
}

bool server_config_init(struct verso_server *server, const char *path) {
	wl_signal_init(&server->config_changed);
	struct verso_config_watch *watch = calloc(1, sizeof(*watch));
	if (watch == NULL) {
		return false;
	}
	watch->server = server;
	watch->fd = -1;
	watch->link.wd = watch->target.wd = -1;
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
		watch_arm(watch);
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
