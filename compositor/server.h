/* SPDX-License-Identifier: MIT */
#ifndef VERSO_SERVER_H
#define VERSO_SERVER_H

#include <stdbool.h>
#include <wayland-server-core.h>
#include <wlr/backend.h>
#include <wlr/render/allocator.h>
#include <wlr/render/wlr_renderer.h>
#include <wlr/types/wlr_output.h>
#include <wlr/types/wlr_scene.h>
#include <wlr/types/wlr_seat.h>
#include <wlr/types/wlr_xdg_shell.h>
#include "scanout.h"
#include "stats.h"

struct verso_ipc;
struct verso_screenshot;
struct verso_power;
struct verso_protocols;
struct verso_config;
struct verso_config_watch;
struct verso_touch_state;
struct verso_cards;
struct verso_proximity;

struct verso_server {
	struct wl_display *display;
	struct wl_event_loop *loop;
	struct wlr_backend *backend;
	struct wlr_renderer *renderer;
	struct wlr_allocator *allocator;
	struct wlr_presentation *presentation;
	bool renderer_needs_finish; /* software GLES: no implicit fences */

	struct wlr_compositor *compositor;
	struct wlr_scene *scene;
	struct wlr_scene_tree *views_tree;

	struct wlr_xdg_shell *xdg_shell;
	struct wl_listener new_xdg_surface;
	struct wl_list views; /* verso_view.link, topmost first */

	struct wlr_seat *seat;
	struct wl_list keyboards; /* verso_keyboard.link */
	struct wl_list touches; /* verso_touch.link */
	struct wl_listener new_input;

	struct wl_list outputs; /* verso_output.link, every output seen */
	struct verso_output *rear; /* the one output we light, or NULL */
	struct wl_listener new_output;
	bool started; /* wlr_backend_start() returned */

	struct verso_stats stats;
	struct verso_ipc *ipc;
	struct verso_power *power; /* power.c: refresh, blank, brightness */
	struct verso_protocols *protocols; /* protocols.c, layer-shell.c */

	/* config-watch.c: never NULL after server_config_init() (defaults). */
	struct verso_config *config;
	const char *config_path; /* --config, else found; NULL: defaults */
	struct verso_config_watch *config_watch;
	/* Emitted after a new config replaced the old one; data: the config. */
	struct wl_signal config_changed;

	struct verso_touch_state *touch; /* touch.c */
	struct verso_cards *cards; /* shell.c */
	struct verso_proximity *proximity; /* proximity.c */

	/* options */
	const char *output_name; /* --output, VERSOD_OUTPUT or output.name */
	bool system_bus;
	struct verso_lease *lease; /* --lease-from: DSI-2 leased, not owned */
	struct verso_input_direct *input_direct; /* touch on a lease */
	bool lease_lost;
	bool running;
};

struct verso_output {
	struct wlr_output *wlr_output;
	struct verso_server *server;
	struct wl_list link;

	struct wlr_scene_output *scene_output; /* only for the rear output */
	bool after_present; /* the next frame event follows a page flip */
	bool frame_pending; /* a committed frame is waiting for its vblank */
	bool blank_shown; /* blanked but enabled: the black frame is up */
	int width, height; /* last size toplevels were configured for */
	/* The buffer layout the scanout test last accepted (scanout.c). */
	struct verso_scanout_layout scanout_ok;
	/* Retries a frame whose commit failed: no page flip, no frame event. */
	struct wl_event_source *retry;

	struct wl_listener frame;
	struct wl_listener present;
	struct wl_listener precommit;
	struct wl_listener commit;
	struct wl_listener mode;
	struct wl_listener destroy;
	struct wl_listener config_changed; /* output.rotation and scale */
};

struct verso_view {
	struct verso_server *server;
	struct wl_list link; /* verso_server.views, only while mapped */
	struct wlr_xdg_surface *xdg_surface;
	struct wlr_scene_tree *tree;
	uint32_t card_id; /* in the carousel while mapped */
	int base_x, base_y; /* tree position at rest: -geometry origin */

	struct wl_listener map;
	struct wl_listener unmap;
	struct wl_listener destroy;
	struct wl_listener request_fullscreen;
	struct wl_listener request_maximize;
};

/* output.c */
void output_init(struct verso_server *server);
/* Chooses the rear output among those seen so far and lights it. */
void output_select_rear(struct verso_server *server);
/* Size the shell should configure toplevels to; 0x0 without an output. */
void output_get_size(struct verso_server *server, int *width, int *height);
/* "976x596@120.000", or "" without an output. */
void output_describe_mode(struct verso_server *server, char *buf, size_t len);
/* True for a software GLES renderer, which must finish frames itself. */
bool output_renderer_needs_finish(struct wlr_renderer *renderer);

/* shell.c */
void shell_init(struct verso_server *server);
void shell_finish(struct verso_server *server); /* after the clients */
/* Reconfigures every toplevel after the output size changed. */
void shell_configure_all(struct verso_server *server);
/* The current card (the one shown at rest), or NULL. */
struct verso_view *shell_top_view(struct verso_server *server);
/* Cards: true if the current card changed (or id exists, for show). */
bool shell_next_card(struct verso_server *server);
bool shell_prev_card(struct verso_server *server);
bool shell_show_card(struct verso_server *server, uint32_t id);
/* Calls fn for every card, in carousel order. */
void shell_for_each_card(struct verso_server *server,
	void (*fn)(struct verso_view *view, bool current, void *data), void *data);
/* Card id, and title (else app_id, else ""). */
const char *shell_view_title(struct verso_view *view);
uint32_t shell_current_card(struct verso_server *server); /* 0: none */
/* Swipe down: dismisses the overlay on top (layer-shell.c); true if
 * something was dismissed. */
bool shell_dismiss_overlay(struct verso_server *server);
/* Shows an xdg popup under parent_node, kept inside box (in its root
 * surface's coordinates; empty: as positioned). NULL on failure. */
struct wlr_scene_node *shell_popup_attach(struct wlr_xdg_surface *xdg_surface,
	struct wlr_scene_node *parent_node, const struct wlr_box *box);
/* New cards.* config. */
void shell_apply_config(struct verso_server *server);

/* input.c */
void input_init(struct verso_server *server);
/* On a lease: touch from the udev seat named seat, opened by versod. */
void input_start_direct(struct verso_server *server, const char *seat);
void input_finish(struct verso_server *server);
void input_focus_view(struct verso_server *server, struct verso_view *view);

/* touch.c: libinput touch -> filter -> wl_touch + gestures. */
void touch_init(struct verso_server *server);
void touch_finish(struct verso_server *server);
/* Takes a touch device if it is the configured rear touchscreen. */
bool touch_add_device(struct verso_server *server,
	struct wlr_input_device *device);
/* New touch.* config (filter rules, gesture thresholds). */
void touch_apply_config(struct verso_server *server);
/* The display woke: starts the filter's wake grace period. */
void touch_notify_wake(struct verso_server *server);
/* The proximity sensor became covered (touch is ignored) or clear. */
void touch_set_proximity(struct verso_server *server, bool covered);

/* proximity.c: iio-sensor-proxy's proximity reading -> the touch filter. */
void proximity_init(struct verso_server *server);
void proximity_finish(struct verso_server *server);
/* power.c: the display blanked or lit (the sensor is held only while lit). */
void proximity_power_changed(struct verso_server *server);
/* "disabled", "unavailable", "standby", "claiming", "near" or "far". */
const char *proximity_state_str(struct verso_server *server);

/* config-watch.c: loads path (or the found file), watches it. False only
 * when out of memory; a bad file leaves the defaults and is logged. */
bool server_config_init(struct verso_server *server, const char *path);
void server_config_finish(struct verso_server *server);
/* Reloads now (SIGHUP, D-Bus). On failure the old config stays and err
 * (if not NULL) says why. */
bool server_config_reload(struct verso_server *server, char *err, size_t err_size);

/* Wakes a blanked display (double tap, notification); power.c. */
void server_wake(struct verso_server *server, const char *reason);

/* power.c */
void power_init(struct verso_server *server);
void power_finish(struct verso_server *server);
/* The rear output was lit, or lost (server->rear is NULL). */
void power_output_changed(struct verso_server *server);
/* output.c: a frame was handled (drawn: something was committed), or its
 * commit failed. */
void power_frame_done(struct verso_server *server, bool drawn);
void power_frame_failed(struct verso_server *server);
/* shell.c: a card slide starts (true) or ends: full refresh while it runs. */
void power_animation(struct verso_server *server, bool active);
/* output.c: ms to hold a frame's commit back (an adaptive sync change is
 * still landing), 0 to commit now. */
int power_frame_wait_ms(struct verso_server *server);
/* output.c: the page flip in flight landed (deferred mode changes). */
void power_handle_present(struct verso_server *server);
/* Touch or another user action: full refresh, blank countdown restarts. A
 * blanked display stays blank (only server_wake() lights it). */
void server_user_activity(struct verso_server *server);
/* server_wake() is declared above (double tap, notification, D-Bus Wake). */
/* SetPower: false blanks now, true wakes. */
void power_set(struct verso_server *server, bool on, const char *reason);
bool power_is_on(struct verso_server *server);
/* "active", "idle" or "blank". */
const char *power_state_str(struct verso_server *server);
bool power_adaptive_sync(struct verso_server *server);
/* Backlight in percent; -1 and err when there is no backlight device. */
int power_set_brightness(struct verso_server *server, uint32_t percent,
	char *err, size_t errlen);
int power_get_brightness(struct verso_server *server);

/* protocols.c, layer-shell.c */
void protocols_init(struct verso_server *server);
void protocols_finish(struct verso_server *server);
/* The rear output was lit or lost. */
void protocols_output_changed(struct verso_server *server);
/* output.c: true when a screencopy client waits for a frame, which must be
 * committed even without damage. */
bool protocols_want_frame(struct verso_server *server,
	struct wlr_output *output);
void layer_shell_init(struct verso_server *server);
/* Lays the layer surfaces out again (output size changed). */
void layer_shell_arrange(struct verso_server *server);

/* ipc.c */
struct verso_ipc *ipc_create(struct verso_server *server, bool system_bus);
void ipc_destroy(struct verso_ipc *ipc);
/* Called from output.c when a page flip completed or the rear output went
 * away: answers the screenshots waiting for it. */
void ipc_handle_present(struct verso_ipc *ipc);

#endif
