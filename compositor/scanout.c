// SPDX-License-Identifier: MIT
/*
 * Direct scanout of the visible card.
 *
 * wlr_scene 0.15 scans out by itself, but it test-commits every frame
 * before the real commit, and the DRM backend test-commits again inside
 * that commit: three atomic ioctls for a frame that needs two. versod
 * remembers the layout (size, format, modifier, pitch) of the last buffer
 * the test accepted. A candidate with the same layout is committed at once;
 * the backend's own test inside that commit still refuses it cleanly, and
 * then the frame goes the wlr_scene way: attach, test, and composite if the
 * test fails. Deciding what to scan out stays the scene's rule: exactly one
 * node meets the output, and it covers the output exactly. A candidate that
 * can never be scanned out here is drawn by render-card.c.
 */
#include <wlr/types/wlr_buffer.h>
#include <wlr/types/wlr_output.h>
#include <wlr/types/wlr_presentation_time.h>
#include <wlr/types/wlr_scene.h>
#include <wlr/util/box.h>
#include <wlr/util/log.h>
#include "render-card.h"
#include "scanout.h"
#include "server.h"

struct candidate {
	struct wlr_box viewport;
	struct wlr_scene_node *node; /* covers the viewport exactly */
	int n; /* nodes meeting the viewport; stops counting at 2 */
};

/* Returns false for a node whose size is private to wlr_scene. */
static bool node_size(struct wlr_scene_node *node, int *width, int *height) {
	*width = *height = 0;
	switch (node->type) {
	case WLR_SCENE_NODE_SURFACE:;
		struct wlr_surface *surface =
			wlr_scene_surface_from_node(node)->surface;
		*width = surface->current.width;
		*height = surface->current.height;
		return true;
	case WLR_SCENE_NODE_RECT:;
		/* The node is the first member; 0.15 has no public cast. */
		struct wlr_scene_rect *rect = (struct wlr_scene_rect *)node;
		*width = rect->width;
		*height = rect->height;
		return true;
	case WLR_SCENE_NODE_BUFFER:
		return false;
	default:
		return true;
	}
}

static void find_candidate(struct wlr_scene_node *node, int x, int y,
		struct candidate *c) {
	if (!node->state.enabled || c->n > 1) {
		return;
	}
	x += node->state.x;
	y += node->state.y;

	struct wlr_box box = { .x = x, .y = y };
	if (!node_size(node, &box.width, &box.height)) {
		/* versod makes no buffer nodes; leave any to wlr_scene. */
		c->n = 2;
		return;
	}
	struct wlr_box hit;
	if (wlr_box_intersection(&hit, &c->viewport, &box)) {
		c->n++;
		if (box.x == c->viewport.x && box.y == c->viewport.y &&
				box.width == c->viewport.width &&
				box.height == c->viewport.height) {
			c->node = node;
		}
	}

	struct wlr_scene_node *child;
	wl_list_for_each(child, &node->state.children, state.link) {
		find_candidate(child, x, y, c);
	}
}

/* The one client surface the output could show as it is, or NULL. */
static struct wlr_scene_surface *scanout_candidate(
		struct wlr_scene_output *scene_output) {
	struct wlr_output *output = scene_output->output;
	struct candidate c = {
		.viewport = { .x = scene_output->x, .y = scene_output->y },
	};
	wlr_output_effective_resolution(output,
		&c.viewport.width, &c.viewport.height);
	/* The root's own position is where the scene starts. */
	find_candidate(&scene_output->scene->node, 0, 0, &c);
	if (c.n != 1 || c.node == NULL || c.node->type != WLR_SCENE_NODE_SURFACE) {
		return NULL;
	}
	struct wlr_scene_surface *scene_surface = wlr_scene_surface_from_node(c.node);
	struct wlr_surface *surface = scene_surface->surface;
	if (surface->buffer == NULL || surface->current.viewport.has_src ||
			surface->current.transform != output->transform) {
		return NULL;
	}
	return scene_surface;
}

/* A known-good layout: commit without a separate test. */
static bool commit_direct(struct verso_output *output,
		struct wlr_scene_surface *scene_surface) {
	struct wlr_scene_output *scene_output = output->scene_output;
	struct wlr_output *wlr_output = output->wlr_output;
	struct wlr_surface *surface = scene_surface->surface;

	wlr_output_attach_buffer(wlr_output, &surface->buffer->base);
	/* Before the commit: feedback follows the next commit on the output
	 * (headless presents within the commit itself). */
	struct wlr_presentation *presentation = output->server->presentation;
	if (presentation != NULL && scene_surface->primary_output == wlr_output) {
		wlr_presentation_surface_sampled_on_output(presentation,
			surface, wlr_output);
	}
	if (!wlr_output_commit(wlr_output)) {
		/* The caller rolls back what the failed commit left. */
		output->scanout_ok.valid = false;
		return false;
	}
	/* What wlr_scene keeps to damage everything when scanout ends. */
	scene_output->prev_scanout = true;
	return true;
}

bool scanout_output_commit(struct verso_output *output) {
	struct wlr_scene_output *scene_output = output->scene_output;
	struct wlr_scene_surface *candidate = scanout_candidate(scene_output);
	struct verso_scanout_layout layout = { 0 };
	if (candidate != NULL) {
		scanout_layout_of(&candidate->surface->buffer->base, &layout);
		if (scanout_layout_equal(&layout, &output->scanout_ok) &&
				commit_direct(output, candidate)) {
			return true;
		}
		if (render_card_applies(output, candidate, layout.dmabuf)) {
			return render_card_commit(output, candidate);
		}
	}

	if (!wlr_scene_output_commit(scene_output)) {
		return false;
	}
	/* Only the scene's test decides that a new layout scans out. */
	if (candidate != NULL && scene_output->prev_scanout) {
		if (!scanout_layout_equal(&layout, &output->scanout_ok)) {
			wlr_log(WLR_DEBUG, "Scanout: %dx%d %s format 0x%08x "
				"modifier 0x%016llx accepted", layout.width,
				layout.height, layout.dmabuf ? "dmabuf" : "buffer",
				layout.format, (unsigned long long)layout.modifier);
		}
		output->scanout_ok = layout;
	}
	return true;
}
