// SPDX-License-Identifier: MIT
/*
 * Refresh, blanking and brightness of the rear output.
 *
 * The policy is core/frame-sched.c; this file carries out its actions on the
 * wlr_output (mode, adaptive sync, enable) and arms one timer, only while
 * the policy has a deadline. An idle output at its low refresh with nothing
 * pending, or a blanked one, has no timer at all: zero wakeups.
 *
 * Brightness goes to the panel's backlight (backlight.c). Blanking
 * uses idle-inhibit (a visible inhibiting surface holds the display on) and
 * is reachable from clients through wlr-output-power-management.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xf86drmMode.h>
#include <wlr/backend/drm.h>
#include <wlr/backend/session.h>
#include <wlr/types/wlr_compositor.h>
#include <wlr/types/wlr_idle_inhibit_v1.h>
#include <wlr/types/wlr_layer_shell_v1.h>
#include <wlr/types/wlr_output_damage.h>
#include <wlr/types/wlr_output_power_management_v1.h>
#include <wlr/util/log.h>
#include "backlight.h"
#include "core/config.h"
#include "core/frame-sched.h"
#include "server.h"

/* A client surface, watched for commits that bring new content. */
struct verso_surface_watch {
	struct verso_power *power;
	struct wlr_surface *surface;
	struct wl_listener commit;
	struct wl_listener destroy;
};

struct verso_inhibitor {
	struct verso_power *power;
	struct wlr_idle_inhibitor_v1 *wlr;
	struct wl_list link; /* verso_power.inhibitors */
	struct wl_listener destroy;
};

struct verso_power {
	struct verso_server *server;
	struct verso_frame_sched sched;
	struct wl_event_source *timer;
	int64_t timer_at; /* deadline the timer is armed for, -1: disarmed */
	bool apply_pending; /* a blank or unblank waits for the page flip */
	bool mode_pending; /* a refresh or adaptive sync change waits for a frame */
	bool mode_staged; /* ... and was added to the commit being made */
	int64_t settle_until_ns; /* an adaptive-sync-only commit lands by then */
	/* Refresh rates the connector refused in a commit: left out. */
	int32_t refused_mhz[VERSO_FRAME_MAX_MODES];
	size_t n_refused;
	bool blanked; /* the output is committed disabled by us */
	struct wlr_output *hooked; /* the rear output our listeners are on */
	struct wl_listener precommit;
	struct wl_listener commit;
	struct wl_listener new_surface;

	struct verso_backlight backlight;
	int percent; /* last level set, also without a device */

	struct wlr_output_power_manager_v1 *output_power;
	struct wl_listener output_power_set_mode;
	struct wlr_idle_inhibit_manager_v1 *idle_inhibit;
	struct wl_listener new_inhibitor;
	struct wl_list inhibitors; /* verso_inhibitor.link */
	struct wl_listener config_changed;
};

static int64_t now_ms(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void power_run(struct verso_power *power, uint32_t actions);
static void power_check_inhibit(struct verso_power *power);

/*
 * Re-arms the timer from the policy's deadline. A later deadline than the
 * armed one is left for the timer to find (a spurious tick is harmless and
 * re-arms), so 120 frames a second do not cost 120 timerfd updates.
 */
static void update_timer(struct verso_power *power) {
	int64_t at = verso_frame_sched_next_deadline(&power->sched);
	if (at < 0 || (power->timer_at >= 0 && at >= power->timer_at)) {
		return;
	}
	int64_t left = at - now_ms();
	int ms = left < 1 ? 1 : left > INT_MAX ? INT_MAX : (int)left;
	wl_event_source_timer_update(power->timer, ms);
	power->timer_at = at;
}

static int handle_timer(void *data) {
	struct verso_power *power = data;
	power->timer_at = -1;
	power_run(power, verso_frame_sched_tick(&power->sched, now_ms()));
	return 0;
}

int power_set_brightness(struct verso_server *server, uint32_t percent,
		char *err, size_t errlen) {
	struct verso_power *power = server->power;
	if (power == NULL || !backlight_present(&power->backlight)) {
		snprintf(err, errlen, "no backlight device for the rear panel");
		return -1;
	}
	int min = server->config->brightness.min_percent;
	int level = percent > 100 ? 100 : (int)percent;
	level = level < min ? min : level;
	int ret = backlight_set_percent(&power->backlight, level);
	if (ret < 0) {
		snprintf(err, errlen, "%s: %s", power->backlight.dir,
			strerror(-ret));
		return -1;
	}
	power->percent = level;
	return level;
}

int power_get_brightness(struct verso_server *server) {
	struct verso_power *power = server->power;
	return power == NULL ? -1 : backlight_get_percent(&power->backlight);
}

/* --- the output --- */

static bool refused(const struct verso_power *power, int32_t refresh_mhz) {
	for (size_t i = 0; i < power->n_refused; i++) {
		if (power->refused_mhz[i] == refresh_mhz) {
			return true;
		}
	}
	return false;
}

static struct wlr_output_mode *find_mode(const struct verso_power *power,
		struct wlr_output *output, int32_t refresh_mhz) {
	struct wlr_output_mode *mode, *best = NULL;
	wl_list_for_each(mode, &output->modes, link) {
		if (mode->width != output->width || mode->height != output->height ||
				refused(power, mode->refresh)) {
			continue;
		}
		if (best == NULL || abs(mode->refresh - refresh_mhz) <
				abs(best->refresh - refresh_mhz)) {
			best = mode;
		}
	}
	return best;
}

/*
 * wlroots 0.15 silently ignores adaptive sync on a connector without it
 * (a test commit passes), so read the connector's vrr_capable property.
 */
static bool connector_vrr_capable(struct wlr_output *output) {
	if (!wlr_output_is_drm(output)) {
		return false;
	}
	int fd = wlr_backend_get_drm_fd(output->backend);
	uint32_t id = wlr_drm_connector_get_id(output);
	drmModeObjectProperties *props = drmModeObjectGetProperties(fd, id,
		DRM_MODE_OBJECT_CONNECTOR);
	if (props == NULL) {
		return false;
	}
	bool capable = false;
	for (uint32_t i = 0; i < props->count_props; i++) {
		drmModePropertyRes *prop = drmModeGetProperty(fd, props->props[i]);
		if (prop != NULL && strcmp(prop->name, "vrr_capable") == 0) {
			capable = props->prop_values[i] != 0;
		}
		drmModeFreeProperty(prop);
	}
	drmModeFreeObjectProperties(props);
	return capable;
}

/* The refresh rates the policy may pick: modes at the current size. */
static void feed_modes(struct verso_power *power) {
	struct wlr_output *output = power->server->rear->wlr_output;
	int32_t rates[VERSO_FRAME_MAX_MODES];
	size_t n = 0;
	struct wlr_output_mode *mode;
	wl_list_for_each(mode, &output->modes, link) {
		if (n < VERSO_FRAME_MAX_MODES && !refused(power, mode->refresh) &&
				mode->width == output->width &&
				mode->height == output->height) {
			rates[n++] = mode->refresh;
		}
	}
	/* VERSOD_NO_VRR=1 tests the low-refresh-mode path on a VRR panel. */
	bool vrr = connector_vrr_capable(output) && getenv("VERSOD_NO_VRR") == NULL;
	wlr_log(WLR_INFO, "%s: %zu refresh rates, adaptive sync %s",
		output->name, n, vrr ? "supported" : "not supported");
	power_run(power, verso_frame_sched_set_modes(&power->sched, rates, n,
		vrr, now_ms()));
}

static void damage_whole(struct verso_server *server) {
	if (server->rear != NULL && server->rear->scene_output != NULL) {
		wlr_output_damage_add_whole(server->rear->scene_output->damage);
	}
}

/* Whether the output's refresh or adaptive sync differs from the policy's. */
static bool mode_differs(struct verso_power *power, struct wlr_output *output) {
	struct verso_frame_mode want = verso_frame_sched_mode(&power->sched);
	struct wlr_output_mode *mode = find_mode(power, output, want.refresh_mhz);
	bool vrr_on = output->adaptive_sync_status == WLR_OUTPUT_ADAPTIVE_SYNC_ENABLED;
	return (mode != NULL && mode != output->current_mode) ||
		want.adaptive_sync != vrr_on;
}

static int64_t now_ns(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/*
 * Back to full speed, and into any other mode, a refresh or adaptive sync
 * change gets no commit of its own: it rides along in the next frame's page
 * flip (the precommit hook below). Alone, an adaptive-sync-only commit is
 * non-blocking without a page-flip event, so the frame that follows a wake
 * (a client redrawing after a touch) would be committed before that vblank
 * and fail with EBUSY; and a modeset without a buffer makes wlroots scan out
 * a cleared one, black for a whole refresh of the new mode.
 * Without damage, a one-pixel damage makes that frame (only client commits
 * count as content for the policy: see watch_handle_commit()).
 */
static void stage_mode(struct verso_power *power, struct verso_output *rear) {
	power->mode_pending = mode_differs(power, rear->wlr_output);
	if (!power->mode_pending) {
		verso_frame_sched_mode_applied(&power->sched, now_ms());
		return;
	}
	struct wlr_box px = { .x = 0, .y = 0, .width = 1, .height = 1 };
	wlr_output_damage_add_box(rear->scene_output->damage, &px);
}

static void handle_precommit(struct wl_listener *listener, void *data) {
	struct verso_power *power = wl_container_of(listener, power, precommit);
	struct wlr_output *output = power->hooked;
	power->mode_staged = false;
	if (!power->mode_pending || !output->enabled ||
			!(output->pending.committed & WLR_OUTPUT_STATE_BUFFER) ||
			(output->pending.committed & WLR_OUTPUT_STATE_ENABLED)) {
		return;
	}
	struct verso_frame_mode want = verso_frame_sched_mode(&power->sched);
	struct wlr_output_mode *mode = find_mode(power, output, want.refresh_mhz);
	if (mode != NULL && mode != output->current_mode) {
		wlr_output_set_mode(output, mode);
	}
	wlr_output_enable_adaptive_sync(output, want.adaptive_sync);
	power->mode_staged = true;
}

static void handle_commit(struct wl_listener *listener, void *data) {
	struct verso_power *power = wl_container_of(listener, power, commit);
	struct wlr_output *output = power->hooked;
	if (!power->mode_staged) {
		return;
	}
	/* A failed commit sends no event: the change stays pending and goes
	 * with the next frame. */
	power->mode_staged = false;
	power->mode_pending = false;
	/* The idle countdown starts now, not when the switch was asked for
	 * a slow refresh ago. */
	power_run(power, verso_frame_sched_mode_applied(&power->sched, now_ms()));
	struct verso_frame_mode want = verso_frame_sched_mode(&power->sched);
	wlr_log(WLR_DEBUG, "%s: %.3f Hz, adaptive sync %s (%s)", output->name,
		output->refresh / 1000.0, want.adaptive_sync ? "on" : "off",
		verso_frame_state_str(verso_frame_sched_state(&power->sched)));
}

static void hook_output(struct verso_power *power, struct wlr_output *output) {
	if (power->hooked == output) {
		return;
	}
	if (power->hooked != NULL) {
		wl_list_remove(&power->precommit.link);
		wl_list_remove(&power->commit.link);
	}
	power->hooked = output;
	power->mode_pending = power->mode_staged = false;
	power->n_refused = 0;
	if (output != NULL) {
		power->precommit.notify = handle_precommit;
		wl_signal_add(&output->events.precommit, &power->precommit);
		power->commit.notify = handle_commit;
		wl_signal_add(&output->events.commit, &power->commit);
	}
}

/* Carries out what the policy wants: on or off now, mode and adaptive sync
 * with the next frame. */
static void apply_output(struct verso_power *power) {
	struct verso_server *server = power->server;
	if (server->rear == NULL || server->rear->scene_output == NULL) {
		return;
	}
	struct verso_output *rear = server->rear;
	struct wlr_output *output = rear->wlr_output;
	bool blank = verso_frame_sched_state(&power->sched) == VERSO_FRAME_BLANK;
	bool idle = verso_frame_sched_state(&power->sched) == VERSO_FRAME_IDLE;
	struct verso_frame_mode want = verso_frame_sched_mode(&power->sched);
	struct wlr_output_mode *mode = find_mode(power, output, want.refresh_mhz);
	bool modeset = mode != NULL && mode != output->current_mode;
	if (!blank && rear->blank_shown) {
		/* Headless or nested, woken: the black frame drawn into the
		 * swapchain is unknown to the damage history. */
		rear->blank_shown = false;
		damage_whole(server);
	}
	if (!blank && output->enabled && (!idle || modeset)) {
		power->apply_pending = false;
		stage_mode(power, rear);
		return;
	}
	/* Blanking, lighting and going idle are commits of their own: wait
	 * for the page flip in flight. The present event comes after the commit on DRM
	 * (headless sends it within, so never wait there). */
	if (rear->frame_pending && wlr_output_is_drm(output)) {
		power->apply_pending = true;
		return;
	}
	power->apply_pending = false;
	power->mode_pending = false;
	if (!blank && output->enabled && !mode_differs(power, output)) {
		verso_frame_sched_mode_applied(&power->sched, now_ms());
		return;
	}
	/* Drop state left pending by others (a render buffer attached but not
	 * committed): it would ride along, or fail a disabling commit. */
	wlr_output_rollback(output);

	/*
	 * Going idle with adaptive sync: committed now, alone, so that the
	 * panel slows down without drawing a frame (no page flip, no wakeup).
	 * That commit is not paced like a frame, so frames wait until its
	 * vblank has passed (power_frame_wait_ms()). A slower mode is a
	 * modeset, which needs a frame: staged above.
	 */
	if (!blank && output->enabled) {
		wlr_output_enable_adaptive_sync(output, want.adaptive_sync);
		if (!wlr_output_commit(output)) {
			wlr_log(WLR_ERROR, "Cannot set adaptive sync %s on %s",
				want.adaptive_sync ? "on" : "off", output->name);
			return;
		}
		int32_t mhz = output->refresh > 0 ? output->refresh : 60000;
		/* One frame, plus a millisecond of slack. */
		power->settle_until_ns = now_ns() + 1000000000000ll / mhz + 1000000;
		verso_frame_sched_mode_applied(&power->sched, now_ms());
		wlr_log(WLR_DEBUG, "%s: %.3f Hz, adaptive sync %s (idle)",
			output->name, output->refresh / 1000.0,
			want.adaptive_sync ? "on" : "off");
		return;
	}

	if (blank) {
		if (!output->enabled) {
			return;
		}
		wlr_output_enable(output, false);
		if (!wlr_output_commit(output)) {
			/* Headless and nested outputs cannot be disabled in
			 * 0.15: they just stop drawing (output.c). */
			wlr_log(WLR_INFO, "Cannot disable %s; blank by showing "
				"black", output->name);
			rear->blank_shown = false;
			wlr_output_schedule_frame(output);
			return;
		}
		power->blanked = true;
		backlight_set_power(&power->backlight, false);
		wlr_log(WLR_INFO, "Blanked %s", output->name);
		return;
	}

	/* Lighting: a modeset, which carries the mode and adaptive sync. */
	wlr_output_enable(output, true);
	if (mode != NULL) {
		wlr_output_set_mode(output, mode);
	}
	wlr_output_enable_adaptive_sync(output, want.adaptive_sync);
	if (!wlr_output_commit(output)) {
		wlr_log(WLR_ERROR, "Cannot light %s at %.3f Hz, adaptive sync %s; "
			"staying blank until the next wake",
			output->name, want.refresh_mhz / 1000.0,
			want.adaptive_sync ? "on" : "off");
		/* Blank, as the hardware is: a wake tries again. */
		verso_frame_sched_blank(&power->sched, now_ms());
		return;
	}
	power->blanked = false;
	verso_frame_sched_mode_applied(&power->sched, now_ms());
	backlight_set_power(&power->backlight, true);
	wlr_log(WLR_INFO, "Unblanked %s", output->name);
	damage_whole(server);
	wlr_output_schedule_frame(output);
}

static void power_run(struct verso_power *power, uint32_t actions) {
	struct verso_server *server = power->server;
	if (actions & VERSO_FRAME_DO_UNBLANK) {
		touch_notify_wake(server);
	}
	if (actions & (VERSO_FRAME_DO_SET_MODE | VERSO_FRAME_DO_BLANK |
			VERSO_FRAME_DO_UNBLANK)) {
		apply_output(power);
	}
	if ((actions & VERSO_FRAME_DO_SCHEDULE) && server->rear != NULL) {
		wlr_output_schedule_frame(server->rear->wlr_output);
	}
	if (actions & (VERSO_FRAME_DO_BLANK | VERSO_FRAME_DO_UNBLANK)) {
		proximity_power_changed(server);
	}
	update_timer(power);
}

int power_frame_wait_ms(struct verso_server *server) {
	struct verso_power *power = server->power;
	if (power == NULL || power->settle_until_ns == 0) {
		return 0;
	}
	int64_t left = power->settle_until_ns - now_ns();
	if (left <= 0) {
		power->settle_until_ns = 0;
		return 0;
	}
	return (int)((left + 999999) / 1000000);
}

void power_animation(struct verso_server *server, bool active) {
	struct verso_power *power = server->power;
	if (power != NULL) {
		power_run(power, verso_frame_sched_animation(&power->sched,
			active, now_ms()));
	}
}

void power_frame_done(struct verso_server *server, bool drawn) {
	struct verso_power *power = server->power;
	if (power == NULL) {
		return;
	}
	power_check_inhibit(power);
	if (drawn) {
		power_run(power, verso_frame_sched_frame_done(&power->sched,
			now_ms()));
	}
}

/*
 * A frame's commit failed. One that carried a staged modeset was blocking,
 * so not a transient EBUSY: the connector refuses that refresh. Leave it
 * out, or every frame would carry it and fail again.
 */
void power_frame_failed(struct verso_server *server) {
	struct verso_power *power = server->power;
	if (power == NULL || !power->mode_staged || power->hooked == NULL) {
		return;
	}
	power->mode_staged = false;
	struct wlr_output *output = power->hooked;
	/* Every commit fails while the seat is away (a VT switch): that says
	 * nothing about the mode, which is tried again with the next frame. */
	struct wlr_session *session = wlr_backend_get_session(server->backend);
	if (session != NULL && !session->active) {
		return;
	}
	struct verso_frame_mode want = verso_frame_sched_mode(&power->sched);
	struct wlr_output_mode *mode = find_mode(power, output, want.refresh_mhz);
	if (mode == NULL || mode == output->current_mode ||
			power->n_refused == VERSO_FRAME_MAX_MODES) {
		return; /* adaptive sync alone: the next frame tries again */
	}
	wlr_log(WLR_ERROR, "%s refused %.3f Hz; leaving that refresh out",
		output->name, mode->refresh / 1000.0);
	power->refused_mhz[power->n_refused++] = mode->refresh;
	power->mode_pending = false;
	feed_modes(power);
	if (!mode_differs(power, output)) {
		verso_frame_sched_mode_applied(&power->sched, now_ms());
	}
	update_timer(power);
}

void power_handle_present(struct verso_server *server) {
	if (server->power != NULL && server->power->apply_pending) {
		apply_output(server->power);
		update_timer(server->power);
	}
}

void server_user_activity(struct verso_server *server) {
	if (server->power != NULL) {
		power_run(server->power,
			verso_frame_sched_touch(&server->power->sched, now_ms()));
	}
}

void server_wake(struct verso_server *server, const char *reason) {
	struct verso_power *power = server->power;
	if (power == NULL) {
		return;
	}
	bool was_blank = verso_frame_sched_state(&power->sched) == VERSO_FRAME_BLANK;
	uint32_t act = strcmp(reason, "notification") == 0 ?
		verso_frame_sched_notification(&power->sched, now_ms()) :
		verso_frame_sched_wake(&power->sched, now_ms());
	if (was_blank) {
		wlr_log(WLR_INFO, "Wake (%s)", reason);
	}
	power_run(power, act);
}

void power_set(struct verso_server *server, bool on, const char *reason) {
	struct verso_power *power = server->power;
	if (power == NULL) {
		return;
	}
	if (on) {
		server_wake(server, reason);
		return;
	}
	wlr_log(WLR_INFO, "Blank (%s)", reason);
	power_run(power, verso_frame_sched_blank(&power->sched, now_ms()));
}

bool power_is_on(struct verso_server *server) {
	return server->power == NULL ||
		verso_frame_sched_state(&server->power->sched) != VERSO_FRAME_BLANK;
}

const char *power_state_str(struct verso_server *server) {
	if (server->power == NULL) {
		return "active";
	}
	return verso_frame_state_str(verso_frame_sched_state(&server->power->sched));
}

bool power_adaptive_sync(struct verso_server *server) {
	return server->rear != NULL && server->rear->wlr_output->adaptive_sync_status ==
		WLR_OUTPUT_ADAPTIVE_SYNC_ENABLED;
}

void power_output_changed(struct verso_server *server) {
	struct verso_power *power = server->power;
	if (power == NULL) {
		return;
	}
	if (server->rear == NULL) {
		hook_output(power, NULL);
		backlight_find(&power->backlight, NULL);
		/* No switch to wait for: the next output is brought to the
		 * policy's mode when it comes. */
		verso_frame_sched_mode_applied(&power->sched, now_ms());
		update_timer(power);
		return;
	}
	hook_output(power, server->rear->wlr_output);
	if (backlight_find(&power->backlight, server->rear->wlr_output)) {
		backlight_set_percent(&power->backlight, power->percent);
		/* bl_power outlives a versod that exited blank. */
		backlight_set_power(&power->backlight, power_is_on(server));
	}
	feed_modes(power);
	/* output.c lights every new rear output at its chosen mode: bring it
	 * to the policy's (the idle mode, or off while blank). This also
	 * settles a switch that was asked for before the output changed. */
	apply_output(power);
	update_timer(power);
}

/* --- idle-inhibit: only an inhibitor on the shown card (or an overlay
 * above it) counts, so a hidden card cannot keep the display lit. A
 * subsurface or popup counts as what it belongs to. --- */

static struct wlr_surface *owner_surface(struct wlr_surface *surface) {
	for (;;) {
		/* NULL for a subsurface whose parent is gone: a
		 * desynchronized one still commits. */
		surface = wlr_surface_get_root_surface(surface);
		if (surface == NULL || !wlr_surface_is_xdg_surface(surface)) {
			return surface;
		}
		/* NULL once the xdg_surface is gone: the role outlives it. */
		struct wlr_xdg_surface *xdg =
			wlr_xdg_surface_from_wlr_surface(surface);
		if (xdg == NULL || xdg->role != WLR_XDG_SURFACE_ROLE_POPUP ||
				xdg->popup == NULL || xdg->popup->parent == NULL) {
			return surface;
		}
		surface = xdg->popup->parent;
	}
}

static bool surface_visible(struct verso_server *server,
		struct wlr_surface *surface) {
	struct verso_view *top = shell_top_view(server);
	surface = owner_surface(surface);
	if (surface == NULL) {
		return false;
	}
	if (wlr_surface_is_xdg_surface(surface)) {
		struct wlr_xdg_surface *xdg =
			wlr_xdg_surface_from_wlr_surface(surface);
		return xdg != NULL && top != NULL && xdg == top->xdg_surface;
	}
	if (wlr_surface_is_layer_surface(surface)) {
		struct wlr_layer_surface_v1 *layer =
			wlr_layer_surface_v1_from_wlr_surface(surface);
		/* Cards are fullscreen: they cover the lower layers. */
		return layer != NULL && layer->mapped && (top == NULL ||
			layer->current.layer >= ZWLR_LAYER_SHELL_V1_LAYER_TOP);
	}
	return false;
}

static void update_inhibit(struct verso_power *power) {
	bool inhibit = false;
	struct verso_inhibitor *in;
	wl_list_for_each(in, &power->inhibitors, link) {
		if (surface_visible(power->server, in->wlr->surface)) {
			inhibit = true;
			break;
		}
	}
	if (inhibit != power->sched.inhibited) {
		wlr_log(WLR_INFO, "Blanking %s", inhibit ? "inhibited" : "allowed");
	}
	power_run(power, verso_frame_sched_inhibit(&power->sched, inhibit,
		now_ms()));
}

static void inhibitor_handle_destroy(struct wl_listener *listener, void *data) {
	struct verso_inhibitor *in = wl_container_of(listener, in, destroy);
	struct verso_power *power = in->power;
	wl_list_remove(&in->destroy.link);
	wl_list_remove(&in->link);
	free(in);
	update_inhibit(power);
}

static void handle_new_inhibitor(struct wl_listener *listener, void *data) {
	struct verso_power *power = wl_container_of(listener, power, new_inhibitor);
	struct wlr_idle_inhibitor_v1 *wlr = data;
	struct verso_inhibitor *in = calloc(1, sizeof(*in));
	if (in == NULL) {
		return;
	}
	in->power = power;
	in->wlr = wlr;
	in->destroy.notify = inhibitor_handle_destroy;
	wl_signal_add(&wlr->events.destroy, &in->destroy);
	wl_list_insert(&power->inhibitors, &in->link);
	update_inhibit(power);
}

/* Called with each frame: the shown card may have changed. Cheap when
 * there are no inhibitors. */
static void power_check_inhibit(struct verso_power *power) {
	if (!wl_list_empty(&power->inhibitors) || power->sched.inhibited) {
		update_inhibit(power);
	}
}

/*
 * --- new content: what "a client drawing continuously" is judged on ---
 *
 * A commit with buffer damage on a shown surface is told to the policy as
 * it arrives, not when its frame is drawn: at a fixed idle refresh a frame
 * waits for the next slow vblank, so a client drawing from its frame
 * callbacks and a clock ticking once a second would both show one damage
 * a refresh at frame time. On arrival the first comes right after each
 * frame, the second a second apart. Only client content counts: versod's
 * own redraws (a staged mode's pixel, wlroots' full redraw after a
 * modeset, a screencopy) never look like a client's.
 */
static void watch_handle_commit(struct wl_listener *listener, void *data) {
	struct verso_surface_watch *watch =
		wl_container_of(listener, watch, commit);
	struct verso_power *power = watch->power;
	/* New pixels, or subsurfaces moved over it. */
	struct wlr_surface *surface = watch->surface;
	if ((pixman_region32_not_empty(&surface->buffer_damage) ||
			pixman_region32_not_empty(&surface->external_damage)) &&
			surface_visible(power->server, surface)) {
		power_run(power, verso_frame_sched_damage(&power->sched,
			now_ms()));
	}
}

static void watch_handle_destroy(struct wl_listener *listener, void *data) {
	struct verso_surface_watch *watch =
		wl_container_of(listener, watch, destroy);
	wl_list_remove(&watch->commit.link);
	wl_list_remove(&watch->destroy.link);
	free(watch);
}

static void handle_new_surface(struct wl_listener *listener, void *data) {
	struct verso_power *power = wl_container_of(listener, power, new_surface);
	struct wlr_surface *surface = data;
	struct verso_surface_watch *watch = calloc(1, sizeof(*watch));
	if (watch == NULL) {
		wl_client_post_no_memory(wl_resource_get_client(surface->resource));
		return;
	}
	watch->power = power;
	watch->surface = surface;
	watch->commit.notify = watch_handle_commit;
	wl_signal_add(&surface->events.commit, &watch->commit);
	watch->destroy.notify = watch_handle_destroy;
	wl_signal_add(&surface->events.destroy, &watch->destroy);
}

/* --- wlr-output-power-management --- */

static void handle_output_power_set_mode(struct wl_listener *listener,
		void *data) {
	struct verso_power *power =
		wl_container_of(listener, power, output_power_set_mode);
	struct wlr_output_power_v1_set_mode_event *event = data;
	struct verso_server *server = power->server;
	if (server->rear == NULL || event->output != server->rear->wlr_output) {
		return; /* the other outputs stay off */
	}
	power_set(server, event->mode == ZWLR_OUTPUT_POWER_V1_MODE_ON,
		"output-power-management");
}

/* --- config --- */

static void apply_config(struct verso_power *power) {
	const struct verso_config *cfg = power->server->config;
	power_run(power, verso_frame_sched_configure(&power->sched, &cfg->frames,
		now_ms()));
}

static void handle_config_changed(struct wl_listener *listener, void *data) {
	struct verso_power *power = wl_container_of(listener, power, config_changed);
	apply_config(power);
}

void power_init(struct verso_server *server) {
	struct verso_power *power = calloc(1, sizeof(*power));
	if (power == NULL) {
		wlr_log(WLR_ERROR, "Out of memory: no power management");
		return;
	}
	power->server = server;
	power->timer_at = -1;
	power->percent = server->config->brightness.default_percent;
	wl_list_init(&power->inhibitors);
	verso_frame_sched_init(&power->sched, &server->config->frames, now_ms());
	power->timer = wl_event_loop_add_timer(server->loop, handle_timer, power);

	power->output_power = wlr_output_power_manager_v1_create(server->display);
	power->output_power_set_mode.notify = handle_output_power_set_mode;
	wl_signal_add(&power->output_power->events.set_mode,
		&power->output_power_set_mode);
	power->idle_inhibit = wlr_idle_inhibit_v1_create(server->display);
	power->new_inhibitor.notify = handle_new_inhibitor;
	wl_signal_add(&power->idle_inhibit->events.new_inhibitor,
		&power->new_inhibitor);
	power->config_changed.notify = handle_config_changed;
	wl_signal_add(&server->config_changed, &power->config_changed);
	power->new_surface.notify = handle_new_surface;
	wl_signal_add(&server->compositor->events.new_surface,
		&power->new_surface);

	server->power = power;
	update_timer(power);
}

void power_finish(struct verso_server *server) {
	struct verso_power *power = server->power;
	if (power == NULL) {
		return;
	}
	struct verso_inhibitor *in, *tmp;
	wl_list_for_each_safe(in, tmp, &power->inhibitors, link) {
		wl_list_remove(&in->destroy.link);
		wl_list_remove(&in->link);
		free(in);
	}
	wl_list_remove(&power->output_power_set_mode.link);
	wl_list_remove(&power->new_inhibitor.link);
	wl_list_remove(&power->config_changed.link);
	wl_list_remove(&power->new_surface.link);
	hook_output(power, NULL);
	wl_event_source_remove(power->timer);
	free(power);
	server->power = NULL;
}
