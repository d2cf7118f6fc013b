// SPDX-License-Identifier: MIT
/*
 * xdg-shell: every toplevel is a fullscreen card on the rear output, in a
 * carousel (core/carousel.c). The newest mapped one becomes the current
 * card; swipes and D-Bus move between cards. Only the current card is
 * enabled in the scene, plus the card it came from while they slide, so
 * hidden cards are neither drawn nor sent frame callbacks. The slide moves
 * the two scene trees; a timer runs only while the carousel animates.
 */
#include <stdlib.h>
#include <time.h>
#include <wlr/util/log.h>
#include "core/carousel.h"
#include "core/config.h"
#include "core/utf8.h"
#include "server.h"

struct verso_cards {
	struct verso_carousel carousel;
	uint32_t next_id;
	struct wl_event_source *anim_timer; /* armed only while sliding */
	bool sliding; /* the policy was told of a slide that goes on */
};

static int64_t now_ms(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static struct verso_view *view_by_card(struct verso_server *server,
		uint32_t id) {
	struct verso_view *view;
	wl_list_for_each(view, &server->views, link) {
		if (view->card_id == id) {
			return view;
		}
	}
	return NULL;
}

uint32_t shell_current_card(struct verso_server *server) {
	uint32_t id = 0;
	if (server->cards == NULL ||
			!verso_carousel_current(&server->cards->carousel, &id)) {
		return 0;
	}
	return id;
}

struct verso_view *shell_top_view(struct verso_server *server) {
	return view_by_card(server, shell_current_card(server));
}

const char *shell_view_title(struct verso_view *view) {
	struct wlr_xdg_toplevel *toplevel = view->xdg_surface->toplevel;
	const char *title = toplevel->title, *app_id = toplevel->app_id;
	/* It goes out on D-Bus, which takes valid UTF-8 only. */
	if (title != NULL && title[0] != '\0' && verso_utf8_valid(title)) {
		return title;
	}
	return app_id != NULL && verso_utf8_valid(app_id) ? app_id : "";
}

void shell_for_each_card(struct verso_server *server,
		void (*fn)(struct verso_view *view, bool current, void *data),
		void *data) {
	if (server->cards == NULL) {
		return;
	}
	struct verso_carousel *c = &server->cards->carousel;
	for (size_t i = 0; i < c->len; i++) {
		struct verso_view *view = view_by_card(server, c->ids[i]);
		if (view != NULL) {
			fn(view, i == c->current, data);
		}
	}
}

static void view_configure(struct verso_view *view) {
	int width, height;
	output_get_size(view->server, &width, &height);
	wlr_xdg_toplevel_set_fullscreen(view->xdg_surface, true);
	/* 0x0 before there is an output lets the client pick its size. */
	wlr_xdg_toplevel_set_size(view->xdg_surface, width, height);
}

void shell_configure_all(struct verso_server *server) {
	struct verso_view *view;
	wl_list_for_each(view, &server->views, link) {
		view_configure(view);
	}
}

/*
 * Places the cards for this moment of the slide: the current card at
 * offset * width, the one it came from beside it, every other one
 * disabled. Returns true while the slide goes on.
 */
static bool cards_place(struct verso_server *server) {
	struct verso_carousel *c = &server->cards->carousel;
	int64_t now = now_ms();
	double offset = verso_carousel_offset(c, now);
	int width, height;
	output_get_size(server, &width, &height);
	struct verso_view *top = shell_top_view(server);
	struct verso_view *prev = offset != 0 && c->has_previous ?
		view_by_card(server, c->previous_id) : NULL;
	struct verso_view *view;
	wl_list_for_each(view, &server->views, link) {
		bool shown = view == top || view == prev;
		wlr_scene_node_set_enabled(&view->tree->node, shown);
		int x = view->base_x;
		if (view == top) {
			x += (int)(offset * width);
		} else if (view == prev) {
			/* It leaves on the side opposite the arrival. */
			x += (int)((offset - (offset > 0 ? 1 : -1)) * width);
		}
		wlr_scene_node_set_position(&view->tree->node, x, view->base_y);
	}
	return offset != 0;
}

/*
 * Places the cards and keeps the slide going: about one step per 120 Hz
 * refresh, each move damaging the output, which schedules the frame.
 * Nothing runs once the slide ends. The policy hears of the slide, so a
 * panel at its idle refresh speeds up for it.
 */
static void cards_step(struct verso_server *server) {
	struct verso_cards *cards = server->cards;
	bool sliding = cards_place(server);
	if (sliding) {
		wl_event_source_timer_update(cards->anim_timer, 8);
	}
	if (sliding != cards->sliding) {
		cards->sliding = sliding;
		power_animation(server, sliding);
	}
}

static int handle_anim_timer(void *data) {
	cards_step(data);
	return 0;
}

/* Shows the current card, gives it the keyboard, and starts the slide. */
static void shell_update(struct verso_server *server) {
	struct verso_view *top = shell_top_view(server);
	struct verso_view *view;
	wl_list_for_each(view, &server->views, link) {
		wlr_xdg_toplevel_set_activated(view->xdg_surface, view == top);
	}
	if (top != NULL) {
		wlr_scene_node_raise_to_top(&top->tree->node);
	}
	input_focus_view(server, top);
	cards_step(server);
}

bool shell_next_card(struct verso_server *server) {
	if (!verso_carousel_next(&server->cards->carousel, now_ms())) {
		return false;
	}
	shell_update(server);
	return true;
}

bool shell_prev_card(struct verso_server *server) {
	if (!verso_carousel_prev(&server->cards->carousel, now_ms())) {
		return false;
	}
	shell_update(server);
	return true;
}

bool shell_show_card(struct verso_server *server, uint32_t id) {
	if (verso_carousel_index(&server->cards->carousel, id) < 0) {
		return false;
	}
	if (verso_carousel_show(&server->cards->carousel, id, now_ms())) {
		shell_update(server);
	}
	return true;
}

void shell_apply_config(struct verso_server *server) {
	struct verso_carousel *c = &server->cards->carousel;
	/* The row and the current card stay; only the rules change. */
	c->cfg = server->config->cards;
}

static void view_handle_map(struct wl_listener *listener, void *data) {
	struct verso_view *view = wl_container_of(listener, view, map);
	struct verso_server *server = view->server;

	/* Align the window geometry, not the shadow, with the output. */
	struct wlr_box geo;
	wlr_xdg_surface_get_geometry(view->xdg_surface, &geo);
	view->base_x = -geo.x;
	view->base_y = -geo.y;
	wlr_scene_node_set_position(&view->tree->node, -geo.x, -geo.y);

	wl_list_insert(&server->views, &view->link);
	view->card_id = ++server->cards->next_id;
	if (!verso_carousel_add(&server->cards->carousel, view->card_id,
			now_ms())) {
		wlr_log(WLR_ERROR, "Out of memory: card not added");
	}
	view_configure(view);
	shell_update(server);
}

static void view_handle_unmap(struct wl_listener *listener, void *data) {
	struct verso_view *view = wl_container_of(listener, view, unmap);

	wlr_scene_node_set_enabled(&view->tree->node, false);
	wl_list_remove(&view->link);
	wl_list_init(&view->link);
	verso_carousel_remove(&view->server->cards->carousel, view->card_id,
		now_ms());
	shell_update(view->server);
}

static void view_handle_destroy(struct wl_listener *listener, void *data) {
	struct verso_view *view = wl_container_of(listener, view, destroy);

	wl_list_remove(&view->map.link);
	wl_list_remove(&view->unmap.link);
	wl_list_remove(&view->destroy.link);
	wl_list_remove(&view->request_fullscreen.link);
	wl_list_remove(&view->request_maximize.link);
	/* The xdg_surface outlives its toplevel role: its popups must not
	 * find the freed node. */
	view->xdg_surface->data = NULL;
	/* Unmap normally comes first; a client that vanishes mid-frame may
	 * still be listed. */
	bool listed = !wl_list_empty(&view->link);
	wl_list_remove(&view->link);
	if (listed) {
		verso_carousel_remove(&view->server->cards->carousel,
			view->card_id, now_ms());
	}
	wlr_scene_node_destroy(&view->tree->node);
	if (listed) {
		shell_update(view->server);
	}
	free(view);
}

/* Fullscreen is not negotiable, but the protocol wants an answer to
 * every fullscreen and maximize request: a configure with the same state. */
static void view_answer_request(struct verso_view *view) {
	wlr_xdg_surface_schedule_configure(view->xdg_surface);
}

static void view_handle_request_fullscreen(struct wl_listener *listener,
		void *data) {
	struct verso_view *view =
		wl_container_of(listener, view, request_fullscreen);
	view_answer_request(view);
}

static void view_handle_request_maximize(struct wl_listener *listener,
		void *data) {
	struct verso_view *view =
		wl_container_of(listener, view, request_maximize);
	view_answer_request(view);
}

/* Clears a popup's node pointer when its role ends, as for views: the
 * scene drops the node then, and a nested popup must not find it. Also
 * when the node goes first, with the layer surface it hangs under. */
struct verso_popup {
	struct wlr_xdg_surface *xdg_surface;
	struct wl_listener destroy;
	struct wl_listener node_destroy;
};

static void popup_handle_node_destroy(struct wl_listener *listener,
		void *data) {
	struct verso_popup *popup =
		wl_container_of(listener, popup, node_destroy);
	popup->xdg_surface->data = NULL;
	wl_list_remove(&popup->node_destroy.link);
	wl_list_init(&popup->node_destroy.link);
}

static void popup_handle_destroy(struct wl_listener *listener, void *data) {
	struct verso_popup *popup = wl_container_of(listener, popup, destroy);
	popup->xdg_surface->data = NULL;
	wl_list_remove(&popup->destroy.link);
	wl_list_remove(&popup->node_destroy.link);
	free(popup);
}

/* The mapped card a popup (or a popup of a popup) belongs to, or NULL. */
static struct verso_view *view_of_popup(struct verso_server *server,
		struct wlr_xdg_surface *xdg_surface) {
	while (xdg_surface != NULL &&
			xdg_surface->role == WLR_XDG_SURFACE_ROLE_POPUP &&
			xdg_surface->popup != NULL) {
		struct wlr_surface *parent = xdg_surface->popup->parent;
		xdg_surface = parent != NULL && wlr_surface_is_xdg_surface(parent) ?
			wlr_xdg_surface_from_wlr_surface(parent) : NULL;
	}
	struct verso_view *view;
	wl_list_for_each(view, &server->views, link) {
		if (xdg_surface != NULL && view->xdg_surface == xdg_surface) {
			return view;
		}
	}
	return NULL;
}

struct wlr_scene_node *shell_popup_attach(struct wlr_xdg_surface *xdg_surface,
		struct wlr_scene_node *parent_node, const struct wlr_box *box) {
	struct verso_popup *popup = calloc(1, sizeof(*popup));
	struct wlr_scene_node *node = popup != NULL ?
		wlr_scene_xdg_surface_create(parent_node, xdg_surface) : NULL;
	if (node == NULL) {
		free(popup);
		wl_resource_post_no_memory(xdg_surface->resource);
		return NULL;
	}
	popup->xdg_surface = xdg_surface;
	popup->destroy.notify = popup_handle_destroy;
	wl_signal_add(&xdg_surface->events.destroy, &popup->destroy);
	popup->node_destroy.notify = popup_handle_node_destroy;
	wl_signal_add(&node->events.destroy, &popup->node_destroy);
	xdg_surface->data = node;
	if (box->width > 0 && box->height > 0) {
		wlr_xdg_popup_unconstrain_from_box(xdg_surface->popup, box);
	}
	return node;
}

static void new_popup(struct verso_server *server,
		struct wlr_xdg_surface *xdg_surface) {
	struct wlr_surface *parent_surface = xdg_surface->popup->parent;
	if (parent_surface == NULL || !wlr_surface_is_xdg_surface(parent_surface)) {
		/* No parent yet: a layer surface's popup gets it from
		 * get_popup, and layer-shell.c places it then. */
		return;
	}
	struct wlr_xdg_surface *parent =
		wlr_xdg_surface_from_wlr_surface(parent_surface);
	struct wlr_scene_node *parent_node = parent != NULL ? parent->data : NULL;
	if (parent_node == NULL) {
		return;
	}

	/* The output box in the toplevel's surface coordinates: the window
	 * geometry is at the output's origin, the surface (with any
	 * client-side shadow) at base_x, base_y from it. */
	struct verso_view *view = view_of_popup(server, xdg_surface);
	struct wlr_box box = { 0 };
	if (view != NULL) {
		output_get_size(server, &box.width, &box.height);
		box.x = -view->base_x;
		box.y = -view->base_y;
	} else {
		/* Under a layer surface's popup: wlroots wants the box in
		 * the layer surface's coordinates, where the first popup of
		 * the chain hangs in the scene. */
		struct wlr_xdg_surface *first = parent;
		while (first->role == WLR_XDG_SURFACE_ROLE_POPUP &&
				first->popup != NULL && first->popup->parent != NULL &&
				wlr_surface_is_xdg_surface(first->popup->parent)) {
			struct wlr_xdg_surface *up = wlr_xdg_surface_from_wlr_surface(
				first->popup->parent);
			if (up == NULL) {
				break;
			}
			first = up;
		}
		struct wlr_scene_node *first_node = first->data;
		int lx = 0, ly = 0;
		if (first->role == WLR_XDG_SURFACE_ROLE_POPUP &&
				first_node != NULL && first_node->parent != NULL) {
			wlr_scene_node_coords(first_node->parent, &lx, &ly);
			output_get_size(server, &box.width, &box.height);
		}
		box.x = -lx;
		box.y = -ly;
	}
	shell_popup_attach(xdg_surface, parent_node, &box);
}

static void handle_new_xdg_surface(struct wl_listener *listener, void *data) {
	struct verso_server *server =
		wl_container_of(listener, server, new_xdg_surface);
	struct wlr_xdg_surface *xdg_surface = data;

	if (xdg_surface->role == WLR_XDG_SURFACE_ROLE_POPUP) {
		new_popup(server, xdg_surface);
		return;
	}
	if (xdg_surface->role != WLR_XDG_SURFACE_ROLE_TOPLEVEL) {
		return;
	}

	struct verso_view *view = calloc(1, sizeof(*view));
	if (view == NULL) {
		wl_resource_post_no_memory(xdg_surface->resource);
		return;
	}
	view->server = server;
	view->xdg_surface = xdg_surface;
	wl_list_init(&view->link);

	view->tree = wlr_scene_tree_create(&server->views_tree->node);
	struct wlr_scene_node *node = view->tree != NULL ?
		wlr_scene_xdg_surface_create(&view->tree->node, xdg_surface) : NULL;
	if (node == NULL) {
		if (view->tree != NULL) {
			wlr_scene_node_destroy(&view->tree->node);
		}
		free(view);
		wl_resource_post_no_memory(xdg_surface->resource);
		return;
	}
	wlr_scene_node_set_enabled(&view->tree->node, false);
	xdg_surface->data = node;

	view->map.notify = view_handle_map;
	wl_signal_add(&xdg_surface->events.map, &view->map);
	view->unmap.notify = view_handle_unmap;
	wl_signal_add(&xdg_surface->events.unmap, &view->unmap);
	view->destroy.notify = view_handle_destroy;
	wl_signal_add(&xdg_surface->events.destroy, &view->destroy);
	view->request_fullscreen.notify = view_handle_request_fullscreen;
	wl_signal_add(&xdg_surface->toplevel->events.request_fullscreen,
		&view->request_fullscreen);
	view->request_maximize.notify = view_handle_request_maximize;
	wl_signal_add(&xdg_surface->toplevel->events.request_maximize,
		&view->request_maximize);

	/* Ask for fullscreen from the first configure on. */
	view_configure(view);
}

void shell_init(struct verso_server *server) {
	wl_list_init(&server->views);
	server->cards = calloc(1, sizeof(*server->cards));
	if (server->cards == NULL) {
		abort(); /* at start only */
	}
	verso_carousel_init(&server->cards->carousel, &server->config->cards);
	server->cards->anim_timer = wl_event_loop_add_timer(server->loop,
		handle_anim_timer, server);
	server->views_tree = wlr_scene_tree_create(&server->scene->node);
	server->xdg_shell = wlr_xdg_shell_create(server->display);
	server->new_xdg_surface.notify = handle_new_xdg_surface;
	wl_signal_add(&server->xdg_shell->events.new_surface,
		&server->new_xdg_surface);
}

void shell_finish(struct verso_server *server) {
	struct verso_cards *cards = server->cards;
	if (cards == NULL) {
		return;
	}
	if (cards->anim_timer != NULL) {
		wl_event_source_remove(cards->anim_timer);
	}
	verso_carousel_finish(&cards->carousel);
	free(cards);
	server->cards = NULL;
}
