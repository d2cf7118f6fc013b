// SPDX-License-Identifier: GPL-2.0-only
/*
 * Outputs: a DSI encoder and connector per pipe, and the panels behind them.
 */

#include <drm/drm_atomic_helper.h>
#include <drm/drm_connector.h>
#include <drm/drm_encoder.h>
#include <drm/drm_modes.h>
#include <drm/drm_modeset_helper_vtables.h>
#include <drm/drm_panel.h>
#include <drm/drm_print.h>
#include <drm/drm_probe_helper.h>

#include "verso_drv.h"

/*
 * Main display: 1250 x 2640 x 120 Hz = 396000 kHz, so the refresh rate is
 * exactly 120 Hz.
 */
static const struct drm_display_mode verso_main_modes[] = {
	{
		.clock = 396000,
		.hdisplay = VERSO_MAIN_HDISPLAY,
		.hsync_start = VERSO_MAIN_HDISPLAY + 16,
		.hsync_end = VERSO_MAIN_HDISPLAY + 16 + 8,
		.htotal = 1250,
		.vdisplay = VERSO_MAIN_VDISPLAY,
		.vsync_start = VERSO_MAIN_VDISPLAY + 16,
		.vsync_end = VERSO_MAIN_VDISPLAY + 16 + 4,
		.vtotal = 2640,
		.type = DRM_MODE_TYPE_DRIVER | DRM_MODE_TYPE_PREFERRED,
		.flags = DRM_MODE_FLAG_NHSYNC | DRM_MODE_FLAG_NVSYNC,
	},
};

/*
 * Rear display: the timings shared with userspace through verso/display.h.
 * Lower rates scale the pixel clock, so that every rate is exact too.
 */
#define VERSO_REAR_MODE(hz, mode_type) {				\
	.clock = VERSO_REAR_CLOCK_KHZ * (hz) / VERSO_REAR_REFRESH_HZ,	\
	.hdisplay = VERSO_REAR_HDISPLAY,				\
	.hsync_start = VERSO_REAR_HDISPLAY + 8,				\
	.hsync_end = VERSO_REAR_HDISPLAY + 8 + 8,			\
	.htotal = VERSO_REAR_HTOTAL,					\
	.vdisplay = VERSO_REAR_VDISPLAY,				\
	.vsync_start = VERSO_REAR_VDISPLAY + 8,				\
	.vsync_end = VERSO_REAR_VDISPLAY + 8 + 4,			\
	.vtotal = VERSO_REAR_VTOTAL,					\
	.type = DRM_MODE_TYPE_DRIVER | (mode_type),			\
	.flags = DRM_MODE_FLAG_NHSYNC | DRM_MODE_FLAG_NVSYNC,		\
}

static const struct drm_display_mode verso_rear_modes[] = {
	VERSO_REAR_MODE(120, DRM_MODE_TYPE_PREFERRED),
	VERSO_REAR_MODE(90, 0),
	VERSO_REAR_MODE(60, 0),
	VERSO_REAR_MODE(30, 0),
	VERSO_REAR_MODE(10, 0),
	VERSO_REAR_MODE(1, 0),
};

static const struct verso_panel_desc verso_main_panel = {
	.name = "main",
	.modes = verso_main_modes,
	.num_modes = ARRAY_SIZE(verso_main_modes),
	.width_mm = 70,
	.height_mm = 152,
};

/*
 * An LTPO AMOLED: its refresh can drop to 1 Hz for always-on content. The
 * rear panel's driver describes it from its firmware; this copy only gives
 * the connector its properties when no panel driver bound.
 */
static const struct verso_panel_desc verso_rear_panel = {
	.name = "rear",
	.modes = verso_rear_modes,
	.num_modes = ARRAY_SIZE(verso_rear_modes),
	.width_mm = 73,
	.height_mm = 45,
	.vrr_min_hz = 1,
	.vrr_max_hz = VERSO_REAR_REFRESH_HZ,
};

static bool verso_pipe_non_desktop(struct verso_pipe *pipe)
{
	return pipe->index == VERSO_PIPE_REAR && verso_rear_non_desktop;
}

static int verso_connector_get_modes(struct drm_connector *connector)
{
	struct verso_pipe *pipe = connector_to_verso_pipe(connector);
	const struct verso_panel_desc *desc = pipe->desc;
	struct drm_panel *panel = verso_dsi_panel(pipe);

	if (pipe->index == VERSO_PIPE_REAR)
		return panel ? drm_panel_get_modes(panel, connector) : 0;

	connector->display_info.width_mm = desc->width_mm;
	connector->display_info.height_mm = desc->height_mm;

	return verso_panel_add_modes(connector, desc);
}

/* Adds the panel's modes to @connector; returns how many were added. */
int verso_panel_add_modes(struct drm_connector *connector,
			  const struct verso_panel_desc *desc)
{
	struct drm_display_mode *mode;
	unsigned int i;
	int count = 0;

	for (i = 0; i < desc->num_modes; i++) {
		mode = drm_mode_duplicate(connector->dev, &desc->modes[i]);
		if (!mode)
			break;

		mode->width_mm = desc->width_mm;
		mode->height_mm = desc->height_mm;
		drm_mode_set_name(mode);
		drm_mode_probed_add(connector, mode);
		count++;
	}

	return count;
}

static const struct drm_connector_helper_funcs verso_connector_helper_funcs = {
	.get_modes	= verso_connector_get_modes,
};

/* The rear connector is connected once its panel driver bound. */
static enum drm_connector_status
verso_connector_detect(struct drm_connector *connector, bool force)
{
	struct verso_pipe *pipe = connector_to_verso_pipe(connector);

	if (pipe->index == VERSO_PIPE_REAR && !verso_dsi_panel(pipe))
		return connector_status_disconnected;

	return connector_status_connected;
}

/* A panel runs only at the timings it was designed for. */
static enum drm_mode_status
verso_encoder_mode_valid(struct drm_encoder *encoder,
			 const struct drm_display_mode *mode)
{
	struct verso_pipe *pipe = container_of(encoder, struct verso_pipe,
					       encoder);
	const struct verso_panel_desc *desc = pipe->desc;
	unsigned int i;

	for (i = 0; i < desc->num_modes; i++) {
		if (drm_mode_match(mode, &desc->modes[i],
				   DRM_MODE_MATCH_TIMINGS |
				   DRM_MODE_MATCH_CLOCK))
			return MODE_OK;
	}

	return MODE_BAD;
}

/* Upstream order: the panel goes on after the CRTC, off before it. */
static void verso_encoder_atomic_enable(struct drm_encoder *encoder,
					struct drm_atomic_state *state)
{
	verso_dsi_panel_power(container_of(encoder, struct verso_pipe, encoder),
			      true);
}

static void verso_encoder_atomic_disable(struct drm_encoder *encoder,
					 struct drm_atomic_state *state)
{
	verso_dsi_panel_power(container_of(encoder, struct verso_pipe, encoder),
			      false);
}

static const struct drm_encoder_helper_funcs verso_encoder_helper_funcs = {
	.mode_valid	= verso_encoder_mode_valid,
	.atomic_enable	= verso_encoder_atomic_enable,
	.atomic_disable	= verso_encoder_atomic_disable,
};

static const struct drm_connector_funcs verso_connector_funcs = {
	.detect			= verso_connector_detect,
	.fill_modes		= drm_helper_probe_single_connector_modes,
	.reset			= drm_atomic_helper_connector_reset,
	.atomic_duplicate_state	= drm_atomic_helper_connector_duplicate_state,
	.atomic_destroy_state	= drm_atomic_helper_connector_destroy_state,
};

int verso_output_init(struct verso_pipe *pipe)
{
	struct drm_device *drm = &pipe->vdev->drm;
	struct drm_connector *connector = &pipe->connector;
	struct drm_encoder *encoder = &pipe->encoder;
	const struct verso_panel_desc *desc = &verso_main_panel;
	struct drm_panel *panel = NULL;
	bool non_desktop;
	int ret;

	if (pipe->index == VERSO_PIPE_REAR) {
		desc = verso_dsi_init(pipe);
		if (IS_ERR(desc))
			return PTR_ERR(desc);
		panel = verso_dsi_panel(pipe);
		if (!desc)
			desc = &verso_rear_panel;
	}
	pipe->desc = desc;

	ret = drmm_encoder_init(drm, encoder, NULL, DRM_MODE_ENCODER_DSI,
				"dsi-%u", pipe->index + 1);
	if (ret)
		return ret;
	encoder->possible_crtcs = drm_crtc_mask(&pipe->crtc);
	drm_encoder_helper_add(encoder, &verso_encoder_helper_funcs);

	ret = drmm_connector_init(drm, connector, &verso_connector_funcs,
				  DRM_MODE_CONNECTOR_DSI, NULL);
	if (ret)
		return ret;
	drm_connector_helper_add(connector, &verso_connector_helper_funcs);

	/* A panel is soldered on: always connected, never hotplugged. */
	connector->polled = 0;
	connector->display_info.width_mm = pipe->desc->width_mm;
	connector->display_info.height_mm = pipe->desc->height_mm;

	/* Without EDID, nothing else sets non-desktop. */
	non_desktop = verso_pipe_non_desktop(pipe);
	connector->display_info.non_desktop = non_desktop;
	drm_object_property_set_value(&connector->base,
				      drm->mode_config.non_desktop_property,
				      non_desktop);

	/*
	 * The main panel is mounted upright; the rear panel's driver knows
	 * its mounting. Rotating the image is up to the planes.
	 */
	if (panel)
		ret = drm_connector_set_orientation_from_panel(connector, panel);
	else
		ret = drm_connector_set_panel_orientation(connector,
							  DRM_MODE_PANEL_ORIENTATION_NORMAL);
	if (ret)
		return ret;

	if (pipe->desc->vrr_max_hz) {
		ret = drm_connector_attach_vrr_capable_property(connector);
		if (ret)
			return ret;
		drm_connector_set_vrr_capable_property(connector, true);
		connector->display_info.monitor_range.min_vfreq =
			pipe->desc->vrr_min_hz;
		connector->display_info.monitor_range.max_vfreq =
			pipe->desc->vrr_max_hz;
	}

	ret = drm_connector_attach_encoder(connector, encoder);
	if (ret)
		return ret;

	drm_dbg_kms(drm, "pipe %u: %s panel on %s%s\n", pipe->index,
		    pipe->desc->name, connector->name,
		    non_desktop ? ", non-desktop" : "");

	return 0;
}
