// SPDX-License-Identifier: GPL-2.0-only
/*
 * Writeback: each CRTC can write what it scans out into a framebuffer. The
 * composer fills the buffer at the vblank that follows the commit.
 */

#include <linux/slab.h>
#include <linux/wait_bit.h>

#include <drm/drm_atomic.h>
#include <drm/drm_atomic_helper.h>
#include <drm/drm_fourcc.h>
#include <drm/drm_framebuffer.h>
#include <drm/drm_gem_framebuffer_helper.h>
#include <drm/drm_print.h>
#include <drm/drm_probe_helper.h>
#include <drm/drm_writeback.h>

#include "verso_compat.h"
#include "verso_drv.h"

static const u32 verso_wb_formats[] = {
	DRM_FORMAT_XRGB8888,
	DRM_FORMAT_ARGB8888,
	DRM_FORMAT_XBGR8888,
	DRM_FORMAT_ABGR8888,
};

static int verso_wb_get_modes(struct drm_connector *connector)
{
	struct drm_writeback_connector *wb = drm_connector_to_writeback(connector);
	struct verso_pipe *pipe = wb_to_verso_pipe(wb);

	/* Offer the panel's modes, so a capture tool can light the pipe. */
	return verso_panel_add_modes(connector, pipe->desc);
}

static int verso_wb_atomic_check(struct drm_connector *connector,
				 struct drm_atomic_state *state)
{
	struct drm_connector_state *conn_state =
		drm_atomic_get_new_connector_state(state, connector);
	struct drm_crtc_state *crtc_state;
	struct drm_framebuffer *fb;

	if (!conn_state->writeback_job || !conn_state->writeback_job->fb ||
	    !conn_state->crtc)
		return 0;

	fb = conn_state->writeback_job->fb;
	crtc_state = drm_atomic_get_new_crtc_state(state, conn_state->crtc);
	if (!crtc_state)
		return -EINVAL;

	if (fb->width != crtc_state->mode.hdisplay ||
	    fb->height != crtc_state->mode.vdisplay) {
		drm_dbg_kms(connector->dev,
			    "[CONNECTOR:%d:%s] writeback fb %ux%u, mode %ux%u\n",
			    connector->base.id, connector->name,
			    fb->width, fb->height,
			    crtc_state->mode.hdisplay, crtc_state->mode.vdisplay);
		return -EINVAL;
	}

	return verso_check_wb_state(connector, state);
}

static int verso_wb_prepare_job(struct drm_writeback_connector *wb,
				struct drm_writeback_job *job)
{
	struct verso_pipe *pipe = wb_to_verso_pipe(wb);
	struct verso_wb_job *vjob;
	int ret;

	if (!job->fb)
		return 0;

	vjob = kzalloc(sizeof(*vjob), GFP_KERNEL);
	if (!vjob)
		return -ENOMEM;

	ret = drm_gem_fb_vmap(job->fb, vjob->map, vjob->data);
	if (ret) {
		kfree(vjob);
		return ret;
	}

	vjob->fb = job->fb;
	job->priv = vjob;
	atomic_inc(&pipe->vdev->wb_jobs);

	return 0;
}

static void verso_wb_cleanup_job(struct drm_writeback_connector *wb,
				 struct drm_writeback_job *job)
{
	struct verso_pipe *pipe = wb_to_verso_pipe(wb);
	struct verso_wb_job *vjob = job->priv;

	if (!vjob)
		return;

	drm_gem_fb_vunmap(vjob->fb, vjob->map);
	kfree(vjob);
	job->priv = NULL;

	if (atomic_dec_and_test(&pipe->vdev->wb_jobs))
		wake_up_var(&pipe->vdev->wb_jobs);
}

static void verso_wb_atomic_commit(struct drm_connector *connector,
				   struct drm_atomic_state *state)
{
	struct drm_connector_state *conn_state =
		drm_atomic_get_new_connector_state(state, connector);
	struct drm_writeback_connector *wb = drm_connector_to_writeback(connector);
	struct verso_pipe *pipe = wb_to_verso_pipe(wb);
	struct verso_wb_job *vjob = conn_state->writeback_job->priv;

	/* Queue first: the composer signals completion of the oldest job. */
	drm_writeback_queue_job(wb, conn_state);
	verso_composer_queue_wb(pipe, vjob);
}

static const struct drm_connector_helper_funcs verso_wb_helper_funcs = {
	.get_modes		= verso_wb_get_modes,
	.atomic_check		= verso_wb_atomic_check,
	.prepare_writeback_job	= verso_wb_prepare_job,
	.cleanup_writeback_job	= verso_wb_cleanup_job,
	.atomic_commit		= verso_wb_atomic_commit,
};

static const struct drm_connector_funcs verso_wb_connector_funcs = {
	.fill_modes		= drm_helper_probe_single_connector_modes,
	.destroy		= drm_connector_cleanup,
	.reset			= drm_atomic_helper_connector_reset,
	.atomic_duplicate_state	= drm_atomic_helper_connector_duplicate_state,
	.atomic_destroy_state	= drm_atomic_helper_connector_destroy_state,
};

int verso_writeback_init(struct verso_pipe *pipe)
{
	struct drm_writeback_connector *wb = &pipe->wb;
	u32 clones;
	int ret;

	drm_connector_helper_add(&wb->base, &verso_wb_helper_funcs);

	ret = drm_writeback_connector_init(&pipe->vdev->drm, wb,
					   &verso_wb_connector_funcs, NULL,
					   verso_wb_formats,
					   ARRAY_SIZE(verso_wb_formats),
					   drm_crtc_mask(&pipe->crtc));
	if (ret)
		return ret;

	/* Writeback taps the pipe while the panel keeps being fed. */
	clones = drm_encoder_mask(&pipe->encoder) | drm_encoder_mask(&wb->encoder);
	pipe->encoder.possible_clones = clones;
	wb->encoder.possible_clones = clones;

	return 0;
}

/*
 * Job cleanup runs from a DRM core work item after completion; wait for it
 * before the module text goes away. The core still puts the job's
 * framebuffer after our hook returns, and DRM offers no way to wait for
 * that (vkms shares the window): an unload right as a capturing client
 * exits can still race with that last put.
 */
void verso_writeback_wait_idle(struct verso_device *vdev)
{
	wait_var_event(&vdev->wb_jobs, !atomic_read(&vdev->wb_jobs));
}
