// SPDX-License-Identifier: MIT
/*
 * D-Bus control, org.verso.Compositor1, with sd-bus. The bus fd lives in
 * the Wayland event loop: no thread, and a timer only while sd-bus has a
 * deadline of its own (never when idle).
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <systemd/sd-bus.h>
#include <wlr/util/log.h>
#include "bus-source.h"
#include "screenshot.h"
#include "server.h"

#define VERSO_BUS_NAME "org.verso.Compositor1"
#define VERSO_BUS_PATH "/org/verso/Compositor1"
#define VERSO_BUS_IFACE "org.verso.Compositor1"
#define VERSO_ERROR_INVALID VERSO_BUS_IFACE ".Error.InvalidArgument"
#define VERSO_ERROR_FAILED VERSO_BUS_IFACE ".Error.Failed"
/* Screenshots waiting to be taken, over all callers. */
#define MAX_PENDING_SHOTS 4

struct pending_shot {
	struct wl_list link;
	sd_bus_message *call;
	char *path;
};

struct verso_ipc {
	struct verso_server *server;
	sd_bus *bus;
	sd_bus_slot *slot;
	struct verso_bus_source source;
	struct wl_list pending_shots; /* pending_shot.link */
	struct wl_event_source *serve_idle; /* set while a serve is due */
};

/* The bus went away: carry on without remote control. */
static void handle_bus_lost(struct verso_bus_source *src, int err) {
	wlr_log(WLR_ERROR, "D-Bus connection lost: %s", strerror(-err));
}

static int append_entry(sd_bus_message *m, const char *key, char type,
		const void *value) {
	char sig[2] = { type, '\0' };
	int r = sd_bus_message_open_container(m, 'e', "sv");
	if (r >= 0) {
		r = sd_bus_message_append_basic(m, 's', key);
	}
	if (r >= 0) {
		r = sd_bus_message_open_container(m, 'v', sig);
	}
	if (r >= 0) {
		r = sd_bus_message_append_basic(m, type, value);
	}
	if (r >= 0) {
		r = sd_bus_message_close_container(m);
	}
	if (r >= 0) {
		r = sd_bus_message_close_container(m);
	}
	return r;
}

static int handle_get_stats(sd_bus_message *call, void *data,
		sd_bus_error *error) {
	struct verso_ipc *ipc = data;
	struct verso_server *server = ipc->server;
	const struct verso_stats *stats = &server->stats;

	char mode[64];
	output_describe_mode(server, mode, sizeof(mode));
	const char *output = server->rear != NULL ?
		server->rear->wlr_output->name : "";

	struct timespec now;
	clock_gettime(wlr_backend_get_presentation_clock(server->backend), &now);
	uint32_t card = shell_current_card(server);
	const char *power = power_state_str(server);
	int vrr = power_adaptive_sync(server);
	int level = power_get_brightness(server);
	int32_t brightness = level; /* -1: no backlight device */
	double fps = verso_stats_fps(stats,
		(uint64_t)now.tv_sec * 1000000000ull + (uint64_t)now.tv_nsec);

	sd_bus_message *reply = NULL;
	int r = sd_bus_message_new_method_return(call, &reply);
	if (r >= 0) {
		r = sd_bus_message_open_container(reply, 'a', "{sv}");
	}
	const struct {
		const char *key;
		char type;
		const void *value;
	} entries[] = {
		{ "output", 's', output },
		{ "mode", 's', mode },
		{ "frames_presented", 't', &stats->frames_presented },
		{ "frames_composited", 't', &stats->frames_composited },
		{ "frames_scanout", 't', &stats->frames_scanout },
		{ "vblanks_missed", 't', &stats->vblanks_missed },
		{ "commits", 't', &stats->commits },
		{ "wakeups", 't', &stats->wakeups },
		{ "fps", 'd', &fps },
		{ "card", 'u', &card },
		{ "power", 's', power },
		{ "adaptive_sync", 'b', &vrr },
		{ "brightness", 'i', &brightness },
		{ "proximity", 's', proximity_state_str(server) },
	};
	for (size_t i = 0; r >= 0 && i < sizeof(entries) / sizeof(entries[0]); i++) {
		r = append_entry(reply, entries[i].key, entries[i].type,
			entries[i].value);
	}
	if (r >= 0) {
		r = sd_bus_message_close_container(reply);
	}
	if (r >= 0) {
		r = sd_bus_send(NULL, reply, NULL);
	}
	sd_bus_message_unref(reply);
	return r;
}

static void reply_screenshot(struct verso_ipc *ipc, sd_bus_message *call,
		const char *path) {
	const char *method = NULL;
	char err[512] = "";
	int ret = screenshot_take(ipc->server, path, &method, err, sizeof(err));
	if (ret < 0) {
		wlr_log(WLR_ERROR, "Screenshot to %s failed: %s", path, err);
		sd_bus_reply_method_errorf(call, VERSO_ERROR_FAILED,
			"screenshot failed: %s", err);
		return;
	}
	wlr_log(WLR_INFO, "Screenshot to %s (%s)", path, method);
	sd_bus_reply_method_return(call, "s", method);
}

static void pending_shot_destroy(struct pending_shot *shot) {
	wl_list_remove(&shot->link);
	sd_bus_message_unref(shot->call);
	free(shot->path);
	free(shot);
}

void ipc_handle_present(struct verso_ipc *ipc) {
	if (ipc == NULL || wl_list_empty(&ipc->pending_shots)) {
		return;
	}
	/* Gone with its page flip in flight: no present will come. */
	bool gone = ipc->server->rear == NULL;
	if (!gone && screenshot_must_wait(ipc->server)) {
		return;
	}
	struct pending_shot *shot, *tmp;
	wl_list_for_each_safe(shot, tmp, &ipc->pending_shots, link) {
		if (gone) {
			sd_bus_reply_method_errorf(shot->call, VERSO_ERROR_FAILED,
				"the rear output went away");
		} else {
			reply_screenshot(ipc, shot->call, shot->path);
		}
		pending_shot_destroy(shot);
	}
	verso_bus_source_update(&ipc->source);
}

static void handle_serve_idle(void *data) {
	struct verso_ipc *ipc = data;
	ipc->serve_idle = NULL;
	/* With a page flip in flight, its present serves them. */
	ipc_handle_present(ipc);
}

static int handle_screenshot(sd_bus_message *call, void *data,
		sd_bus_error *error) {
	struct verso_ipc *ipc = data;
	const char *path = NULL;
	int r = sd_bus_message_read(call, "s", &path);
	if (r < 0) {
		return r;
	}
	/* versod's working directory means nothing to the caller. */
	if (path[0] != '/') {
		return sd_bus_error_setf(error, VERSO_ERROR_INVALID,
			"the path must be absolute: \"%s\"", path);
	}
	if (strlen(path) >= PATH_MAX) {
		return sd_bus_error_setf(error, VERSO_ERROR_INVALID,
			"the path is too long");
	}
	if (ipc->server->rear == NULL) {
		return sd_bus_error_setf(error, VERSO_ERROR_FAILED,
			"no output is lit");
	}

	/*
	 * Taken from the event loop once this D-Bus dispatch is over, and
	 * after the page flip in flight: each is a writeback frame and a PNG
	 * on the event loop, so a burst of callers must not hold frames and
	 * touch for seconds, whether or not a flip is in flight.
	 */
	if (wl_list_length(&ipc->pending_shots) >= MAX_PENDING_SHOTS) {
		return sd_bus_error_setf(error, VERSO_ERROR_FAILED,
			"busy: %d screenshots are waiting already; try again",
			MAX_PENDING_SHOTS);
	}
	struct pending_shot *shot = calloc(1, sizeof(*shot));
	if (shot == NULL || (shot->path = strdup(path)) == NULL) {
		free(shot);
		return -ENOMEM;
	}
	if (ipc->serve_idle == NULL) {
		ipc->serve_idle = wl_event_loop_add_idle(ipc->server->loop,
			handle_serve_idle, ipc);
		if (ipc->serve_idle == NULL) {
			free(shot->path);
			free(shot);
			return -ENOMEM;
		}
	}
	shot->call = sd_bus_message_ref(call);
	wl_list_insert(ipc->pending_shots.prev, &shot->link);
	return 1;
}

/* Cards and config: handlers for shell.c and config-watch.c. */
static int handle_next_card(sd_bus_message *call, void *data,
		sd_bus_error *error) {
	struct verso_ipc *ipc = data;
	return sd_bus_reply_method_return(call, "b",
		shell_next_card(ipc->server));
}

static int handle_previous_card(sd_bus_message *call, void *data,
		sd_bus_error *error) {
	struct verso_ipc *ipc = data;
	return sd_bus_reply_method_return(call, "b",
		shell_prev_card(ipc->server));
}

static int handle_show_card(sd_bus_message *call, void *data,
		sd_bus_error *error) {
	struct verso_ipc *ipc = data;
	uint32_t id;
	int r = sd_bus_message_read(call, "u", &id);
	if (r < 0) {
		return r;
	}
	if (!shell_show_card(ipc->server, id)) {
		return sd_bus_error_setf(error, VERSO_ERROR_INVALID,
			"no card %u (see ListCards)", id);
	}
	return sd_bus_reply_method_return(call, "");
}

struct card_list {
	sd_bus_message *reply;
	int r;
};

static void append_card(struct verso_view *view, bool current, void *data) {
	struct card_list *list = data;
	if (list->r >= 0) {
		list->r = sd_bus_message_append(list->reply, "(us)",
			view->card_id, shell_view_title(view));
	}
}

static int handle_list_cards(sd_bus_message *call, void *data,
		sd_bus_error *error) {
	struct verso_ipc *ipc = data;
	sd_bus_message *reply = NULL;
	int r = sd_bus_message_new_method_return(call, &reply);
	if (r >= 0) {
		r = sd_bus_message_open_container(reply, 'a', "(us)");
	}
	if (r >= 0) {
		struct card_list list = { .reply = reply };
		shell_for_each_card(ipc->server, append_card, &list);
		r = list.r < 0 ? list.r : sd_bus_message_close_container(reply);
	}
	if (r >= 0) {
		r = sd_bus_send(NULL, reply, NULL);
	}
	sd_bus_message_unref(reply);
	return r;
}

static int handle_reload_config(sd_bus_message *call, void *data,
		sd_bus_error *error) {
	struct verso_ipc *ipc = data;
	char err[512] = "";
	bool ok = server_config_reload(ipc->server, err, sizeof(err));
	return sd_bus_reply_method_return(call, "bs", ok, err);
}

/* Power and brightness: handlers for power.c. */
static int handle_set_brightness(sd_bus_message *call, void *data,
		sd_bus_error *error) {
	struct verso_ipc *ipc = data;
	uint32_t percent;
	int r = sd_bus_message_read(call, "u", &percent);
	if (r < 0) {
		return r;
	}
	if (percent > 100) {
		return sd_bus_error_setf(error, VERSO_ERROR_INVALID,
			"brightness is a percentage, 0-100 (got %u)", percent);
	}
	char err[256] = "";
	int level = power_set_brightness(ipc->server, percent, err, sizeof(err));
	if (level < 0) {
		return sd_bus_error_setf(error, VERSO_ERROR_FAILED, "%s", err);
	}
	return sd_bus_reply_method_return(call, "u", (uint32_t)level);
}

static int handle_get_brightness(sd_bus_message *call, void *data,
		sd_bus_error *error) {
	struct verso_ipc *ipc = data;
	int level = power_get_brightness(ipc->server);
	if (level < 0) {
		return sd_bus_error_setf(error, VERSO_ERROR_FAILED,
			"no backlight device for the rear panel");
	}
	return sd_bus_reply_method_return(call, "u", (uint32_t)level);
}

static int handle_set_power(sd_bus_message *call, void *data,
		sd_bus_error *error) {
	struct verso_ipc *ipc = data;
	int on;
	int r = sd_bus_message_read(call, "b", &on);
	if (r < 0) {
		return r;
	}
	if (ipc->server->rear == NULL) {
		return sd_bus_error_setf(error, VERSO_ERROR_FAILED,
			"no output is lit");
	}
	power_set(ipc->server, on, "D-Bus");
	return sd_bus_reply_method_return(call, "");
}

static int handle_wake(sd_bus_message *call, void *data,
		sd_bus_error *error) {
	struct verso_ipc *ipc = data;
	server_wake(ipc->server, "notification");
	return sd_bus_reply_method_return(call, "");
}

static const sd_bus_vtable compositor_vtable[] = {
	SD_BUS_VTABLE_START(0),
	SD_BUS_METHOD("GetStats", "", "a{sv}", handle_get_stats,
		SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD("Screenshot", "s", "s", handle_screenshot,
		SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD("NextCard", "", "b", handle_next_card,
		SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD("PreviousCard", "", "b", handle_previous_card,
		SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD("ShowCard", "u", "", handle_show_card,
		SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD("ListCards", "", "a(us)", handle_list_cards,
		SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD("ReloadConfig", "", "bs", handle_reload_config,
		SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD("SetBrightness", "u", "u", handle_set_brightness,
		SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD("GetBrightness", "", "u", handle_get_brightness,
		SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD("SetPower", "b", "", handle_set_power,
		SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD("Wake", "", "", handle_wake,
		SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_VTABLE_END
};

struct verso_ipc *ipc_create(struct verso_server *server, bool system_bus) {
	const char *which = system_bus ? "system" : "session";
	struct verso_ipc *ipc = calloc(1, sizeof(*ipc));
	if (ipc == NULL) {
		return NULL;
	}
	ipc->server = server;
	wl_list_init(&ipc->pending_shots);

	int r = system_bus ? sd_bus_open_system(&ipc->bus) :
		sd_bus_open_user(&ipc->bus);
	if (r < 0) {
		wlr_log(WLR_ERROR, "No D-Bus %s bus (%s): running without IPC",
			which, strerror(-r));
		goto error;
	}
	r = sd_bus_add_object_vtable(ipc->bus, &ipc->slot, VERSO_BUS_PATH,
		VERSO_BUS_IFACE, compositor_vtable, ipc);
	if (r < 0) {
		wlr_log(WLR_ERROR, "Cannot export %s: %s", VERSO_BUS_PATH,
			strerror(-r));
		goto error;
	}
	r = sd_bus_request_name(ipc->bus, VERSO_BUS_NAME, 0);
	if (r < 0) {
		wlr_log(WLR_ERROR, "Cannot own %s on the %s bus (%s): running "
			"without IPC", VERSO_BUS_NAME, which, strerror(-r));
		goto error;
	}

	/* Messages may already be queued from the name request. */
	if (verso_bus_source_attach(&ipc->source, server->loop, ipc->bus,
			handle_bus_lost) < 0) {
		goto error;
	}
	wlr_log(WLR_INFO, "Serving %s on the %s bus", VERSO_BUS_NAME, which);
	return ipc;

error:
	ipc_destroy(ipc);
	return NULL;
}

void ipc_destroy(struct verso_ipc *ipc) {
	if (ipc == NULL) {
		return;
	}
	if (ipc->serve_idle != NULL) {
		wl_event_source_remove(ipc->serve_idle);
	}
	struct pending_shot *shot, *tmp;
	wl_list_for_each_safe(shot, tmp, &ipc->pending_shots, link) {
		sd_bus_reply_method_errorf(shot->call, VERSO_ERROR_FAILED,
			"versod is shutting down");
		pending_shot_destroy(shot);
	}
	verso_bus_source_detach(&ipc->source);
	sd_bus_slot_unref(ipc->slot);
	if (ipc->bus != NULL) {
		sd_bus_flush(ipc->bus);
	}
	sd_bus_flush_close_unref(ipc->bus);
	free(ipc);
}
