// SPDX-License-Identifier: GPL-2.0-only
/*
 * Planes. Framebuffers stay in shmem; the shadow-plane helpers keep them
 * mapped while a plane state is in use, so the composer can read them.
 */

#include <drm/drm_atomic.h>
#include <drm/drm_atomic_helper.h>
#include <drm/drm_blend.h>
#include <drm/drm_color_mgmt.h>
#include <drm/drm_fourcc.h>
#include <drm/drm_gem_atomic_helper.h>
#include <drm/drm_managed.h>
#include <drm/drm_plane.h>

#include "verso_drv.h"

static const u32 verso_rgb_formats[] = {
	DRM_FORMAT_XRGB8888,
	DRM_FORMAT_ARGB8888,
	DRM_FORMAT_XBGR8888,
	DRM_FORMAT_ABGR8888,
	DRM_FORMAT_RGB565,
};

/* The overlay also takes camera frames directly. */
static const u32 verso_overlay_formats[] = {
	DRM_FORMAT_XRGB8888,
	DRM_FORMAT_ARGB8888,
	DRM_FORMAT_XBGR8888,
	DRM_FORMAT_ABGR8888,
	DRM_FORMAT_RGB565,
	DRM_FORMAT_NV12,
	DRM_FORMAT_YUYV,
};

/* Scanout reads linear memory only; listing it rejects other modifiers. */
static const u64 verso_modifiers[] = {
	DRM_FORMAT_MOD_LINEAR,
	DRM_FORMAT_MOD_INVALID,
};

static int verso_plane_atomic_check(struct drm_plane *plane,
				    struct drm_atomic_state *state)
{
	struct drm_plane_state *new_state =
		drm_atomic_get_new_plane_state(state, plane);
	struct drm_crtc_state *crtc_state;

	if (!new_state->fb || !new_state->crtc)
		return 0;

	crtc_state = drm_atomic_get_crtc_state(state, new_state->crtc);
	if (IS_ERR(crtc_state))
		return PTR_ERR(crtc_state);

	/* The primary layer has no scaler and always covers the CRTC. */
	return drm_atomic_helper_check_plane_state(new_state, crtc_state,
						   DRM_PLANE_NO_SCALING,
						   DRM_PLANE_NO_SCALING,
						   plane->type != DRM_PLANE_TYPE_PRIMARY,
						   true);
}

/*
 * Nothing to program: the composer reads the new state through the CRTC
 * state once atomic_flush publishes it. 6.1's commit_planes requires the hook.
 */
static void verso_plane_atomic_update(struct drm_plane *plane,
				      struct drm_atomic_state *state)
{
}

static const struct drm_plane_helper_funcs verso_plane_helper_funcs = {
	DRM_GEM_SHADOW_PLANE_HELPER_FUNCS,
	.atomic_check	= verso_plane_atomic_check,
	.atomic_update	= verso_plane_atomic_update,
};

static const struct drm_plane_funcs verso_plane_funcs = {
	.update_plane	= drm_atomic_helper_update_plane,
	.disable_plane	= drm_atomic_helper_disable_plane,
	DRM_GEM_SHADOW_PLANE_FUNCS,
};

struct verso_plane *verso_plane_create(struct verso_pipe *pipe,
				       enum drm_plane_type type)
{
	const unsigned int rotations = DRM_MODE_ROTATE_0 | DRM_MODE_ROTATE_180 |
				       DRM_MODE_REFLECT_X | DRM_MODE_REFLECT_Y;
	const unsigned int blend_modes = BIT(DRM_MODE_BLEND_PIXEL_NONE) |
					 BIT(DRM_MODE_BLEND_PREMULTI) |
					 BIT(DRM_MODE_BLEND_COVERAGE);
	const u32 yuv_encodings = BIT(DRM_COLOR_YCBCR_BT601) |
				  BIT(DRM_COLOR_YCBCR_BT709);
	const u32 yuv_ranges = BIT(DRM_COLOR_YCBCR_LIMITED_RANGE) |
			       BIT(DRM_COLOR_YCBCR_FULL_RANGE);
	struct verso_plane *plane;
	unsigned int nformats, zpos;
	const u32 *formats;
	int ret;

	switch (type) {
	case DRM_PLANE_TYPE_OVERLAY:
		formats = verso_overlay_formats;
		nformats = ARRAY_SIZE(verso_overlay_formats);
		zpos = 1;
		break;
	case DRM_PLANE_TYPE_CURSOR:
		formats = verso_rgb_formats;
		nformats = ARRAY_SIZE(verso_rgb_formats);
		zpos = 2;
		break;
	default:
		formats = verso_rgb_formats;
		nformats = ARRAY_SIZE(verso_rgb_formats);
		zpos = 0;
		break;
	}

	/* The CRTC is not registered yet: its mask is its pipe index. */
	plane = drmm_universal_plane_alloc(&pipe->vdev->drm, struct verso_plane,
					   base, BIT(pipe->index),
					   &verso_plane_funcs, formats, nformats,
					   verso_modifiers, type, NULL);
	if (IS_ERR(plane))
		return plane;

	plane->pipe = pipe;
	drm_plane_helper_add(&plane->base, &verso_plane_helper_funcs);

	ret = drm_plane_create_zpos_property(&plane->base, zpos, 0,
					     VERSO_PLANES_PER_PIPE - 1);
	if (!ret)
		ret = drm_plane_create_alpha_property(&plane->base);
	if (!ret)
		ret = drm_plane_create_blend_mode_property(&plane->base,
							   blend_modes);
	/* 180 degrees matches a panel mounted upside down. */
	if (!ret)
		ret = drm_plane_create_rotation_property(&plane->base,
							 DRM_MODE_ROTATE_0,
							 rotations);
	if (!ret && type == DRM_PLANE_TYPE_OVERLAY)
		ret = drm_plane_create_color_properties(&plane->base,
							yuv_encodings,
							yuv_ranges,
							DRM_COLOR_YCBCR_BT601,
							DRM_COLOR_YCBCR_LIMITED_RANGE);
	if (ret)
		return ERR_PTR(ret);

	/*
	 * Damage is a hint the composer may ignore: it composes whole planes,
	 * on demand, and keeps no frame to patch. The core still validates
	 * the clips against the framebuffer.
	 */
	drm_plane_enable_fb_damage_clips(&plane->base);

	return plane;
}
