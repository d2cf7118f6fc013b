// SPDX-License-Identifier: MIT
/*
 * Composition of a frame whose only content is one surface covering the
 * output: the visible card when its buffer cannot go on a plane.
 *
 * wlr_scene 0.15 first test-commits the card's buffer for scanout, then
 * clears every damaged rectangle to black and draws the nodes over it. On
 * the DRM backend a buffer that is not a dmabuf never passes that test
 * (the backend can only import dmabufs), and under an opaque texture the
 * clear is overdrawn entirely. Here such a frame skips both: the damage
 * is drawn once, straight from the surface's texture (cleared first only
 * if the texture has alpha). The pixels are the scene's.
 */
#include <math.h>
#include <wlr/backend/drm.h>
#include <wlr/render/wlr_renderer.h>
#include <wlr/types/wlr_matrix.h>
#include <wlr/types/wlr_output_damage.h>
#include <wlr/types/wlr_presentation_time.h>
#include <wlr/types/wlr_scene.h>
#include <wlr/util/region.h>
#include "render-card.h"
#include "server.h"

bool render_card_applies(struct verso_output *output,
		struct wlr_scene_surface *scene_surface, bool dmabuf) {
	struct wlr_output *wlr_output = output->wlr_output;
	struct wlr_surface *surface = scene_surface->surface;
	if (dmabuf || !wlr_output_is_drm(wlr_output) ||
			wlr_surface_get_texture(surface) == NULL) {
		return false;
	}
	/*
	 * The scene draws the surface at its size times the scale, rounded.
	 * At a scale that does not divide the mode that can leave an edge
	 * black: then the scene draws it.
	 */
	int width, height;
	wlr_output_transformed_resolution(wlr_output, &width, &height);
	return (int)round(surface->current.width * wlr_output->scale) == width &&
		(int)round(surface->current.height * wlr_output->scale) == height;
}

/* A damage rectangle, from output coordinates to the buffer's. */
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
	int width, height;
	wlr_output_transformed_resolution(output, &width, &height);
	struct wlr_box dst = { .width = width, .height = height };
	float matrix[9];
	wlr_matrix_project_box(matrix, &dst,
		wlr_output_transform_invert(surface->current.transform), 0.0f,
		output->transform_matrix);
	struct wlr_fbox src = { 0 };
	wlr_surface_get_buffer_source_box(surface, &src);
	/* Blended over what the buffer held frames ago, unless cleared. */
	bool clear = !wlr_texture_is_opaque(texture);

	int nrects;
	pixman_box32_t *rects = pixman_region32_rectangles(damage, &nrects);
	for (int i = 0; i < nrects; i++) {
		scissor_output(output, &rects[i]);
		if (clear) {
			wlr_renderer_clear(output->renderer,
				(float[4]){ 0.0f, 0.0f, 0.0f, 1.0f });
		}
		wlr_render_subtexture_with_matrix(output->renderer, texture,
			&src, matrix, 1.0f);
	}
	wlr_renderer_scissor(output->renderer, NULL);
}

bool render_card_commit(struct verso_output *output,
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
	struct wlr_presentation *presentation =
		scene_output->scene->presentation;
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
