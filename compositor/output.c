// SPDX-License-Identifier: MIT
/*
 * The rear output: choosing it among the connectors, setting its mode, and
 * driving frames through the scene graph. Only the rear output gets a scene
 * output; every other output is committed disabled and left alone.
 */
#include <GLES2/gl2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wlr/backend/drm.h>
#include <wlr/render/egl.h>
#include <wlr/render/gles2.h>
#include <wlr/types/wlr_output_damage.h>
#include <wlr/util/log.h>
#include "core/config.h"
#include "output-select.h"
#include "scanout.h"
#include "server.h"
#include "verso/display.h"

static uint64_t timespec_ns(const struct timespec *ts) {
	return (uint64_t)ts->tv_sec * 1000000000ull + (uint64_t)ts->tv_nsec;
}

/*
 * Headless and nested outputs cannot be disabled in 0.15, so a blanked one
 * stays enabled: it shows one black frame, and a screencopy client asking
 * meanwhile gets a black frame too instead of waiting for a commit that
 * would never come. DRM outputs are disabled on blank and never get here.
 */
static void draw_blank(struct verso_output *output) {
	struct wlr_output *wlr_output = output->wlr_output;
	if (output->blank_shown &&
			!protocols_want_frame(output->server, wlr_output)) {
		return;
	}
	if (!wlr_output_attach_render(wlr_output, NULL)) {
		return;
	}
	struct wlr_renderer *renderer = output->server->renderer;
	wlr_renderer_begin(renderer, wlr_output->width, wlr_output->height);
	wlr_renderer_clear(renderer, (float[4]){ 0, 0, 0, 1 });
	wlr_renderer_end(renderer);
	if (wlr_output_commit(wlr_output)) {
		output->blank_shown = true;
	} else {
		wlr_output_rollback(wlr_output);
	}
}

static void output_handle_frame(struct wl_listener *listener, void *data) {
	struct verso_output *output = wl_container_of(listener, output, frame);
	struct verso_server *server = output->server;
	struct wlr_scene_output *scene_output = output->scene_output;
	bool continuous = output->after_present;
	output->after_present = false;

	/* Blanked: nothing is drawn and no client is paced. */
	if (scene_output == NULL) {
		return;
	}
	if (!power_is_on(server)) {
		if (output->wlr_output->enabled) {
			draw_blank(output);
		}
		return;
	}

	/*
	 * A scanned-out buffer is re-committed on every call, damaged or not
	 * (as wlr_scene_output_commit() does in 0.15). Committing only on damage is what keeps
	 * an idle output at zero commits: no commit, no page flip, no next
	 * frame event.
	 */
	struct wlr_output *wlr_output = output->wlr_output;
	bool damaged = pixman_region32_not_empty(&scene_output->damage->current);
	if (!damaged && protocols_want_frame(server, wlr_output)) {
		/* A screencopy client waits for a commit (see protocols.c). */
		wlr_output_damage_add_whole(scene_output->damage);
		damaged = true;
	}
	int wait_ms = wlr_output->needs_frame || damaged ?
		power_frame_wait_ms(server) : 0;
	if (wait_ms > 0) {
		/* The damage stays for the retry (see power.c). */
		wl_event_source_timer_update(output->retry, wait_ms);
	} else if (wlr_output->needs_frame || damaged) {
		uint32_t seq = wlr_output->commit_seq;
		if (!scanout_output_commit(output)) {
			/* wlroots 0.15 keeps the pending state when its basic
			 * test fails: drop it, or the next render asserts. */
			wlr_output_rollback(wlr_output);
			/* The damage stays; try again in about a frame
			 * (a transient EBUSY must not freeze the display). */
			wlr_log(WLR_ERROR, "Failed to commit a frame on %s",
				wlr_output->name);
			int ms = wlr_output->refresh > 0 ?
				1000000 / wlr_output->refresh + 1 : 17;
			wl_event_source_timer_update(output->retry, ms);
			power_frame_failed(server);
		} else {
			bool drawn = wlr_output->commit_seq != seq;
			if (drawn) {
				verso_stats_frame(&server->stats,
					scene_output->prev_scanout, continuous);
			}
			power_frame_done(server, drawn);
		}
	}

	/* Only enabled scene nodes get frame callbacks: hidden views stay
	 * throttled until they are shown again. */
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	wlr_scene_output_send_frame_done(scene_output, &now);
}

static void output_handle_present(struct wl_listener *listener, void *data) {
	struct verso_output *output = wl_container_of(listener, output, present);
	struct wlr_output_event_present *event = data;

	output->frame_pending = false;
	if (output->scene_output == NULL) {
		return;
	}
	if (event->presented) {
		verso_stats_present(&output->server->stats, event->seq,
			event->when != NULL ? timespec_ns(event->when) : 0);
		/* The DRM backend emits the frame event right after this one. */
		output->after_present = true;
	}
	power_handle_present(output->server);
	ipc_handle_present(output->server->ipc);
}

/*
 * wlroots hands a rendered buffer to KMS after a mere glFlush(), trusting
 * the kernel's implicit fences. llvmpipe has none: its threads may still be
 * drawing into the dumb buffer while it is scanned out, which shows as
 * blocks of a half-drawn frame. A software renderer is cheap to wait for.
 */
static void output_handle_precommit(struct wl_listener *listener, void *data) {
	struct verso_output *output = wl_container_of(listener, output, precommit);
	struct verso_server *server = output->server;
	if (!server->renderer_needs_finish || output->scene_output == NULL ||
			!(output->wlr_output->pending.committed & WLR_OUTPUT_STATE_BUFFER)) {
		return;
	}
	struct wlr_egl *egl = wlr_gles2_renderer_get_egl(server->renderer);
	if (wlr_egl_is_current(egl)) {
		glFinish();
	}
}

bool output_renderer_needs_finish(struct wlr_renderer *renderer) {
	if (!wlr_renderer_is_gles2(renderer)) {
		return false;
	}
	struct wlr_egl *egl = wlr_gles2_renderer_get_egl(renderer);
	if (!wlr_egl_make_current(egl)) {
		return false;
	}
	const char *name = (const char *)glGetString(GL_RENDERER);
	bool software = name != NULL && (strstr(name, "llvmpipe") != NULL ||
		strstr(name, "softpipe") != NULL || strstr(name, "swrast") != NULL);
	wlr_egl_unset_current(egl);
	if (software) {
		wlr_log(WLR_INFO, "Software GLES (%s): finishing each frame "
			"before scanout", name);
	}
	return software;
}

static void output_handle_commit(struct wl_listener *listener, void *data) {
	struct verso_output *output = wl_container_of(listener, output, commit);
	struct wlr_output_event_commit *event = data;

	if (output->scene_output == NULL) {
		return;
	}
	verso_stats_commit(&output->server->stats);
	if (event->committed & WLR_OUTPUT_STATE_BUFFER) {
		output->frame_pending = true;
	}
}

static void output_handle_mode(struct wl_listener *listener, void *data) {
	struct verso_output *output = wl_container_of(listener, output, mode);
	struct wlr_output *wlr_output = output->wlr_output;
	/* Idle refresh changes keep the size: no configure storm for that. */
	if (output->scene_output != NULL && (wlr_output->width != output->width ||
			wlr_output->height != output->height)) {
		output->width = wlr_output->width;
		output->height = wlr_output->height;
		shell_configure_all(output->server);
		layer_shell_arrange(output->server);
	}
}

/* output.rotation: degrees counter-clockwise, as wl_output.transform. */
static enum wl_output_transform config_transform(const struct verso_config *cfg) {
	switch (cfg->output.rotation) {
	case 90:
		return WL_OUTPUT_TRANSFORM_90;
	case 180:
		return WL_OUTPUT_TRANSFORM_180;
	case 270:
		return WL_OUTPUT_TRANSFORM_270;
	default:
		return WL_OUTPUT_TRANSFORM_NORMAL;
	}
}

/* Sets the configured rotation and scale as pending state; false if they
 * are already current. */
static bool set_pending_layout(struct verso_server *server,
		struct wlr_output *wlr_output) {
	enum wl_output_transform transform = config_transform(server->config);
	float scale = (float)server->config->output.scale;
	if (wlr_output->transform == transform && wlr_output->scale == scale) {
		return false;
	}
	wlr_output_set_transform(wlr_output, transform);
	wlr_output_set_scale(wlr_output, scale);
	return true;
}

/* A reload may rotate or scale the lit output: the logical size changes,
 * so clients are configured again. */
static void output_handle_config_changed(struct wl_listener *listener,
		void *data) {
	struct verso_output *output =
		wl_container_of(listener, output, config_changed);
	struct verso_server *server = output->server;
	struct wlr_output *wlr_output = output->wlr_output;
	if (server->rear != output || output->scene_output == NULL) {
		return;
	}
	wlr_output_rollback(wlr_output);
	if (!set_pending_layout(server, wlr_output)) {
		return;
	}
	if (!wlr_output_commit(wlr_output)) {
		wlr_log(WLR_ERROR, "Cannot rotate %s to %d degrees, scale %.2f",
			wlr_output->name, server->config->output.rotation,
			server->config->output.scale);
		return;
	}
	wlr_log(WLR_INFO, "%s rotated %d degrees, scale %.2f", wlr_output->name,
		server->config->output.rotation, server->config->output.scale);
	shell_configure_all(server);
	layer_shell_arrange(server);
	wlr_output_damage_add_whole(output->scene_output->damage);
	wlr_output_schedule_frame(wlr_output);
}

static int output_handle_retry(void *data) {
	struct verso_output *output = data;
	wlr_output_schedule_frame(output->wlr_output);
	return 0;
}

static void output_handle_destroy(struct wl_listener *listener, void *data) {
	struct verso_output *output = wl_container_of(listener, output, destroy);
	struct verso_server *server = output->server;

	wl_event_source_remove(output->retry);
	wl_list_remove(&output->frame.link);
	wl_list_remove(&output->present.link);
	wl_list_remove(&output->precommit.link);
	wl_list_remove(&output->commit.link);
	wl_list_remove(&output->mode.link);
	wl_list_remove(&output->destroy.link);
	wl_list_remove(&output->config_changed.link);
	wl_list_remove(&output->link);
	/* The scene output is destroyed with the wlr_output (an addon). */
	bool was_rear = server->rear == output;
	free(output);

	if (was_rear) {
		wlr_log(WLR_INFO, "Rear output gone");
		server->rear = NULL;
		ipc_handle_present(server->ipc);
		power_output_changed(server);
		protocols_output_changed(server);
		output_select_rear(server);
	}
}

static bool apply_mode(struct wlr_output *wlr_output) {
	if (wl_list_empty(&wlr_output->modes)) {
		/* Nested and headless: a window or buffer of any size. Mimic
		 * the rear panel so clients see what they will get there. */
		wlr_output_set_custom_mode(wlr_output, VERSO_REAR_HDISPLAY,
			VERSO_REAR_VDISPLAY, VERSO_REAR_REFRESH_HZ * 1000);
		return true;
	}

	size_t n = wl_list_length(&wlr_output->modes);
	struct verso_mode_candidate *cands = calloc(n, sizeof(*cands));
	struct wlr_output_mode **modes = calloc(n, sizeof(*modes));
	if (cands == NULL || modes == NULL) {
		free(cands);
		free(modes);
		return false;
	}
	size_t i = 0;
	struct wlr_output_mode *mode;
	wl_list_for_each(mode, &wlr_output->modes, link) {
		modes[i] = mode;
		cands[i] = (struct verso_mode_candidate){
			.width = mode->width,
			.height = mode->height,
			.refresh = mode->refresh,
			.preferred = mode->preferred,
		};
		i++;
	}
	int best = verso_mode_select(cands, n);
	if (best >= 0) {
		wlr_output_set_mode(wlr_output, modes[best]);
	}
	free(cands);
	free(modes);
	return best >= 0;
}

static void light_rear(struct verso_server *server, struct verso_output *output) {
	struct wlr_output *wlr_output = output->wlr_output;

	if (!wlr_output_init_render(wlr_output, server->allocator,
			server->renderer)) {
		wlr_log(WLR_ERROR, "Cannot render on %s", wlr_output->name);
		return;
	}

	wlr_output_enable(wlr_output, true);
	if (!apply_mode(wlr_output)) {
		wlr_log(WLR_ERROR, "%s has no usable mode", wlr_output->name);
		wlr_output_rollback(wlr_output);
		return;
	}
	set_pending_layout(server, wlr_output);
	if (!wlr_output_commit(wlr_output)) {
		/* A headless or nested output may refuse the custom mode; the
		 * backend's default is better than nothing. */
		wlr_log(WLR_ERROR, "Mode commit failed on %s, trying its default",
			wlr_output->name);
		wlr_output_enable(wlr_output, true);
		set_pending_layout(server, wlr_output);
		if (!wlr_output_commit(wlr_output)) {
			wlr_log(WLR_ERROR, "Cannot enable %s", wlr_output->name);
			return;
		}
	}

	output->scene_output = wlr_scene_output_create(server->scene, wlr_output);
	if (output->scene_output == NULL) {
		wlr_log(WLR_ERROR, "Cannot create a scene output");
		return;
	}
	wlr_output_create_global(wlr_output);
	server->rear = output;

	char mode[64];
	output_describe_mode(server, mode, sizeof(mode));
	wlr_log(WLR_INFO, "Rear output %s at %s", wlr_output->name, mode);

	output->width = wlr_output->width;
	output->height = wlr_output->height;
	shell_configure_all(server);
	layer_shell_arrange(server);
	power_output_changed(server);
	protocols_output_changed(server);
	wlr_output_schedule_frame(wlr_output);
}

static void disable_output(struct verso_output *output) {
	struct wlr_output *wlr_output = output->wlr_output;
	wlr_log(WLR_INFO, "Leaving %s%s off", wlr_output->name,
		wlr_output->non_desktop ? " (non-desktop)" : "");
	if (!wlr_output->enabled) {
		return;
	}
	wlr_output_enable(wlr_output, false);
	if (!wlr_output_commit(wlr_output)) {
		wlr_log(WLR_ERROR, "Cannot disable %s", wlr_output->name);
	}
}

void output_select_rear(struct verso_server *server) {
	if (server->rear != NULL || !server->started) {
		return;
	}

	size_t n = wl_list_length(&server->outputs);
	if (n == 0) {
		wlr_log(WLR_INFO, "No outputs yet");
		return;
	}
	struct verso_output_candidate *cands = calloc(n, sizeof(*cands));
	struct verso_output **outputs = calloc(n, sizeof(*outputs));
	if (cands == NULL || outputs == NULL) {
		free(cands);
		free(outputs);
		return;
	}

	/* Nested and headless backends have no panels to confuse with the
	 * rear one, so a single output of any name will do there. */
	bool allow_single = true;
	size_t i = 0;
	struct verso_output *output;
	wl_list_for_each(output, &server->outputs, link) {
		outputs[i] = output;
		cands[i] = (struct verso_output_candidate){
			.name = output->wlr_output->name,
			.non_desktop = output->wlr_output->non_desktop,
		};
		if (wlr_output_is_drm(output->wlr_output)) {
			allow_single = false;
		}
		i++;
	}

	enum verso_output_reason reason;
	int chosen = verso_output_select(cands, n, server->output_name,
		VERSO_REAR_CONNECTOR, allow_single, &reason);
	if (chosen < 0) {
		if (server->output_name != NULL) {
			wlr_log(WLR_ERROR, "Output %s not found", server->output_name);
		} else {
			wlr_log(WLR_ERROR, "No rear output: no non-desktop connector "
				"and no single %s; use --output", VERSO_REAR_CONNECTOR);
		}
	} else {
		wlr_log(WLR_INFO, "Chose %s (%s)", outputs[chosen]->wlr_output->name,
			verso_output_reason_str(reason));
	}

	for (i = 0; i < n; i++) {
		if ((int)i != chosen) {
			disable_output(outputs[i]);
		}
	}
	if (chosen >= 0) {
		light_rear(server, outputs[chosen]);
	}
	free(cands);
	free(outputs);
}

static void handle_new_output(struct wl_listener *listener, void *data) {
	struct verso_server *server = wl_container_of(listener, server, new_output);
	struct wlr_output *wlr_output = data;

	struct verso_output *output = calloc(1, sizeof(*output));
	if (output == NULL) {
		return;
	}
	output->wlr_output = wlr_output;
	output->server = server;
	output->retry = wl_event_loop_add_timer(
		wl_display_get_event_loop(server->display),
		output_handle_retry, output);
	if (output->retry == NULL) {
		free(output);
		return;
	}
	wl_list_insert(server->outputs.prev, &output->link);

	output->frame.notify = output_handle_frame;
	wl_signal_add(&wlr_output->events.frame, &output->frame);
	output->present.notify = output_handle_present;
	wl_signal_add(&wlr_output->events.present, &output->present);
	output->precommit.notify = output_handle_precommit;
	wl_signal_add(&wlr_output->events.precommit, &output->precommit);
	output->commit.notify = output_handle_commit;
	wl_signal_add(&wlr_output->events.commit, &output->commit);
	output->mode.notify = output_handle_mode;
	wl_signal_add(&wlr_output->events.mode, &output->mode);
	output->destroy.notify = output_handle_destroy;
	wl_signal_add(&wlr_output->events.destroy, &output->destroy);
	output->config_changed.notify = output_handle_config_changed;
	wl_signal_add(&server->config_changed, &output->config_changed);

	wlr_log(WLR_INFO, "New output %s%s", wlr_output->name,
		wlr_output->non_desktop ? " (non-desktop)" : "");

	/*
	 * The DRM backend announces every connector from wlr_backend_start();
	 * the choice waits until all are known. Later arrivals (hotplug) only
	 * matter while there is no rear output, and are left off otherwise.
	 */
	if (!server->started) {
		return;
	}
	if (server->rear == NULL) {
		output_select_rear(server);
	} else {
		disable_output(output);
	}
}

void output_get_size(struct verso_server *server, int *width, int *height) {
	*width = *height = 0;
	if (server->rear != NULL) {
		wlr_output_effective_resolution(server->rear->wlr_output,
			width, height);
	}
}

void output_describe_mode(struct verso_server *server, char *buf, size_t len) {
	if (server->rear == NULL) {
		snprintf(buf, len, "%s", "");
		return;
	}
	struct wlr_output *o = server->rear->wlr_output;
	snprintf(buf, len, "%dx%d@%.3f", o->width, o->height, o->refresh / 1000.0);
}

void output_init(struct verso_server *server) {
	wl_list_init(&server->outputs);
	server->new_output.notify = handle_new_output;
	wl_signal_add(&server->backend->events.new_output, &server->new_output);
}
