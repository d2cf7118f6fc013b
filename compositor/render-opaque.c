// SPDX-License-Identifier: MIT
/*
 * Composition of a frame whose only content is one opaque surface covering
 * the output: the visible card when its buffer cannot go on a plane.
 *
 * wlr_scene 0.15 clears every damaged rectangle before drawing the nodes
 * over it, and test-commits the card's buffer for scanout first. For an
 * opaque surface that covers the output the clear is overdrawn entirely,
 * and on the DRM backend a buffer that is not a dmabuf never passes the
 * test (the backend can only import dmabufs). Here the damage is drawn
 * once, straight from the surface's texture: half the pixel writes of a
 * full-damage frame, and no failed test per frame.
 */
#include <wlr/backend/drm.h>
#include <wlr/render/wlr_renderer.h>
#include <wlr/types/wlr_matrix.h>
#include <wlr/types/wlr_output_damage.h>
#include <wlr/types/wlr_presentation_time.h>
#include <wlr/types/wlr_scene.h>
#include <wlr/util/region.h>
#include "render-opaque.h"
#include "server.h"

bool render_opaque_applies(struct wlr_output *output,
		struct wlr_surface *surface, bool dmabuf) {
	if (dmabuf || !wlr_output_is_drm(output)) {
		return false;
	}
	/* wlroots sets the whole surface opaque for an opaque format. */
	pixman_box32_t box = {
		.x2 = surface->current.width,
		.y2 = surface->current.height,
	};
	return box.x2 > 0 && box.y2 > 0 &&
		pixman_region32_contains_rectangle(&surface->opaque_region,
			&box) == PIXMAN_REGION_IN;
}

/* A damage rectangle, in the output's buffer coordinates. */
static void scissor_output(struct wlr_output *output,
		const pixman_box32_t *rect) {
	struct wlr_box box = {
		.x = rect->x1,
		.y = rect->y1,
		.width = rect->x2 - rect->x1,
		.height = rect->y2 - rect->y1,
	};
	int width, height;
	wlr_output_transformed_resolution(output, &width, &height);
	wlr_box_transform(&box, &box,
		wlr_output_transform_invert(output->transform), width, height);
	wlr_renderer_scissor(output->renderer, &box);
}

static void draw_surface(struct wlr_output *output,
		struct wlr_surface *surface, pixman_region32_t *damage) {
	struct wlr_texture *texture = wlr_surface_get_texture(surface);
	if (texture == NULL) {
		return;
	}
	int width, height;
	wlr_output_transformed_resolution(output, &width, &height);
	struct wlr_box dst = { .width = width, .height = height };
	float matrix[9];
	wlr_matrix_project_box(matrix, &dst,
		wlr_output_transform_invert(surface->current.transform), 0.0f,
		output->transform_matrix);
	struct wlr_fbox src = { 0 };
	wlr_surface_get_buffer_source_box(surface, &src);

	int nrects;
	pixman_box32_t *rects = pixman_region32_rectangles(damage, &nrects);
	for (int i = 0; i < nrects; i++) {
		scissor_output(output, &rects[i]);
		wlr_render_subtexture_with_matrix(output->renderer, texture,
			&src, matrix, 1.0f);
	}
	wlr_renderer_scissor(output->renderer, NULL);
}

bool render_opaque_commit(struct verso_output *output,
		struct wlr_scene_surface *scene_surface) {
	struct wlr_scene_output *scene_output = output->scene_output;
	struct wlr_output *wlr_output = output->wlr_output;
	struct wlr_surface *surface = scene_surface->surface;

	if (scene_output->prev_scanout) {
		/* Leaving scanout: the render buffers hold older frames. */
		wlr_output_damage_add_whole(scene_output->damage);
		scene_output->prev_scanout = false;
	}

	bool needs_frame;
	pixman_region32_t damage;
	pixman_region32_init(&damage);
	if (!wlr_output_damage_attach_render(scene_output->damage,
			&needs_frame, &damage)) {
		pixman_region32_fini(&damage);
		return false;
	}
	if (!needs_frame) {
		pixman_region32_fini(&damage);
		wlr_output_rollback(wlr_output);
		return true;
	}

	wlr_renderer_begin(wlr_output->renderer, wlr_output->width,
		wlr_output->height);
	draw_surface(wlr_output, surface, &damage);
	wlr_output_render_software_cursors(wlr_output, &damage);
	wlr_renderer_end(wlr_output->renderer);
	pixman_region32_fini(&damage);

	/* What wlr_scene does for a surface it draws on its main output. */
	struct wlr_presentation *presentation = output->server->presentation;
	if (presentation != NULL && scene_surface->primary_output == wlr_output) {
		wlr_presentation_surface_sampled_on_output(presentation,
			surface, wlr_output);
	}

	int width, height;
	wlr_output_transformed_resolution(wlr_output, &width, &height);
	pixman_region32_t frame_damage;
	pixman_region32_init(&frame_damage);
	wlr_region_transform(&frame_damage, &scene_output->damage->current,
		wlr_output_transform_invert(wlr_output->transform),
		width, height);
	wlr_output_set_damage(wlr_output, &frame_damage);
	pixman_region32_fini(&frame_damage);

	return wlr_output_commit(wlr_output);
}
