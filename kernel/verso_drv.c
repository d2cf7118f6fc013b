// SPDX-License-Identifier: GPL-2.0-only
/*
 * verso: display controller of a phone with a main and a rear (cover)
 * display. Without the hardware, a platform device is created at load and
 * the scanout is emulated: vblank comes from a timer and a software composer
 * serves writeback and CRC requests.
 */

#include <linux/debugfs.h>
#include <linux/dma-mapping.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/seq_file.h>

#include <drm/drm_atomic.h>
#include <drm/drm_atomic_helper.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_gem_framebuffer_helper.h>
#include <drm/drm_gem_shmem_helper.h>
#include <drm/drm_ioctl.h>
#include <drm/drm_managed.h>
#include <drm/drm_mode_config.h>
#include <drm/drm_modeset_lock.h>
#include <drm/drm_plane.h>
#include <drm/drm_print.h>
#include <drm/drm_vblank.h>

#include "panel-verso-rear-amoled.h"
#include "verso_drv.h"

#define DRIVER_DESC	"Phone display controller with a rear display"
#define DRIVER_DATE	"20250101"
#define DRIVER_MAJOR	1
#define DRIVER_MINOR	0

bool verso_rear_non_desktop = true;
module_param_named(rear_non_desktop, verso_rear_non_desktop, bool, 0444);
MODULE_PARM_DESC(rear_non_desktop,
		 "Mark the rear display non-desktop, so desktops leave it alone (default: true)");

static struct platform_device *verso_pdev;

DEFINE_DRM_GEM_FOPS(verso_fops);

/* What the tests cannot see through KMS: the pipes' internal state. */
static int verso_state_show(struct seq_file *m, void *unused)
{
	struct verso_device *vdev = m->private;
	unsigned int i;

	for (i = 0; i < VERSO_NUM_PIPES; i++) {
		struct verso_pipe *pipe = &vdev->pipes[i];
		struct drm_crtc *crtc = &pipe->crtc;
		const struct drm_crtc_state *state;
		unsigned int queued = 0, stretch;
		ktime_t period;
		struct verso_wb_job *job;
		bool crc;

		drm_modeset_lock(&crtc->mutex, NULL);
		state = crtc->state;
		seq_printf(m, "pipe%u: %s panel, %s, crtc %s, %ux%u@%d, vrr %s\n",
			   i, pipe->desc->name, pipe->connector.name,
			   state->active ? "on" : "off",
			   state->mode.hdisplay, state->mode.vdisplay,
			   drm_mode_vrefresh(&state->mode),
			   state->vrr_enabled ? "on" : "off");
		drm_modeset_unlock(&crtc->mutex);

		spin_lock_irq(&pipe->lock);
		crc = pipe->crc_enabled;
		period = pipe->period;
		stretch = pipe->timer_on ? pipe->stretch : 0;
		list_for_each_entry(job, &pipe->wb_queue, node)
			queued++;
		spin_unlock_irq(&pipe->lock);

		seq_printf(m, "  frame_ns %lld, frame_stretch %u, crc %s, writeback_queued %u\n",
			   ktime_to_ns(period), stretch,
			   crc ? "on" : "off", queued);
	}
	seq_printf(m, "rear_non_desktop %d\n", verso_rear_non_desktop);

	return 0;
}
DEFINE_SHOW_ATTRIBUTE(verso_state);

static void verso_debugfs_init(struct drm_minor *minor)
{
	struct verso_device *vdev = to_verso_device(minor->dev);

	debugfs_create_file("verso_state", 0444, minor->debugfs_root,
			    vdev, &verso_state_fops);
	verso_dsi_debugfs_init(&vdev->pipes[VERSO_PIPE_REAR],
			       minor->debugfs_root);
}

static const struct drm_driver verso_driver = {
	.driver_features	= DRIVER_MODESET | DRIVER_ATOMIC | DRIVER_GEM,
	.fops			= &verso_fops,
	DRM_GEM_SHMEM_DRIVER_OPS,
	.debugfs_init		= verso_debugfs_init,
	.name			= VERSO_DRIVER_NAME,
	.desc			= DRIVER_DESC,
	.date			= DRIVER_DATE,
	.major			= DRIVER_MAJOR,
	.minor			= DRIVER_MINOR,
};

static void verso_commit_tail(struct drm_atomic_state *state)
{
	struct drm_device *drm = state->dev;
	struct drm_crtc_state *old_crtc_state __always_unused;
	struct drm_crtc_state *new_crtc_state;
	struct drm_crtc *crtc;
	int i;

	/* A commit wakes the rear panel from idle mode before anything else. */
	for_each_new_crtc_in_state(state, crtc, new_crtc_state, i)
		if (drm_crtc_index(crtc) == VERSO_PIPE_REAR)
			verso_dsi_commit_begin(crtc_to_verso_pipe(crtc));

	drm_atomic_helper_commit_modeset_disables(drm, state);
	drm_atomic_helper_commit_planes(drm, state, 0);
	drm_atomic_helper_commit_modeset_enables(drm, state);
	drm_atomic_helper_fake_vblank(state);
	drm_atomic_helper_commit_hw_done(state);
	drm_atomic_helper_wait_for_flip_done(drm, state);

	/* Idle frames count from the end of the latest commit. */
	for_each_new_crtc_in_state(state, crtc, new_crtc_state, i)
		if (drm_crtc_index(crtc) == VERSO_PIPE_REAR)
			verso_dsi_commit_end(crtc_to_verso_pipe(crtc),
					     new_crtc_state->active ?
					     &new_crtc_state->adjusted_mode :
					     NULL);

	/*
	 * The composer may still be reading the old plane states; their
	 * mappings go away in cleanup_planes.
	 */
	for_each_old_crtc_in_state(state, crtc, old_crtc_state, i)
		verso_composer_flush(crtc_to_verso_pipe(crtc));

	drm_atomic_helper_cleanup_planes(drm, state);
}

static const struct drm_mode_config_helper_funcs verso_mode_config_helpers = {
	.atomic_commit_tail = verso_commit_tail,
};

/*
 * Only create framebuffers some plane can scan out. Newer kernels check this
 * in the core; 6.1 accepts any format and modifier, which userspace then
 * only finds out about at commit time.
 */
static struct drm_framebuffer *
verso_fb_create(struct drm_device *drm, struct drm_file *file,
		const struct drm_mode_fb_cmd2 *cmd)
{
	const struct drm_format_info *info;

	if (!drm_any_plane_has_format(drm, cmd->pixel_format,
				      cmd->modifier[0])) {
		drm_dbg_kms(drm, "no plane takes format %p4cc, modifier 0x%llx\n",
			    &cmd->pixel_format, cmd->modifier[0]);
		return ERR_PTR(-EINVAL);
	}

	/*
	 * Packed YUV (YUYV) is read in whole pixel pairs, so an odd width
	 * would read past the pitch's last pair.
	 */
	info = drm_format_info(cmd->pixel_format);
	if (info->is_yuv && info->num_planes == 1 && cmd->width % info->hsub) {
		drm_dbg_kms(drm, "%p4cc wants an even width, not %u\n",
			    &cmd->pixel_format, cmd->width);
		return ERR_PTR(-EINVAL);
	}

	return drm_gem_fb_create(drm, file, cmd);
}

static const struct drm_mode_config_funcs verso_mode_config_funcs = {
	.fb_create	= verso_fb_create,
	.atomic_check	= drm_atomic_helper_check,
	.atomic_commit	= drm_atomic_helper_commit,
};

static int verso_modeset_init(struct verso_device *vdev)
{
	struct drm_device *drm = &vdev->drm;
	unsigned int i;
	int ret;

	ret = drmm_mode_config_init(drm);
	if (ret)
		return ret;

	drm->mode_config.funcs = &verso_mode_config_funcs;
	drm->mode_config.helper_private = &verso_mode_config_helpers;
	drm->mode_config.min_width = VERSO_MIN_SIZE;
	drm->mode_config.min_height = VERSO_MIN_SIZE;
	drm->mode_config.max_width = VERSO_MAX_SIZE;
	drm->mode_config.max_height = VERSO_MAX_SIZE;
	drm->mode_config.cursor_width = VERSO_CURSOR_MAX;
	drm->mode_config.cursor_height = VERSO_CURSOR_MAX;
	drm->mode_config.preferred_depth = 24;
	drm->mode_config.normalize_zpos = true;

	/* CRTCs first, in pipe order, so that CRTC index == pipe index. */
	for (i = 0; i < VERSO_NUM_PIPES; i++) {
		struct verso_pipe *pipe = &vdev->pipes[i];

		pipe->vdev = vdev;
		pipe->index = i;
		ret = verso_crtc_init(pipe);
		if (ret)
			return ret;
	}

	/* Connectors in pipe order, so that they are named DSI-1 and DSI-2. */
	for (i = 0; i < VERSO_NUM_PIPES; i++) {
		ret = verso_output_init(&vdev->pipes[i]);
		if (ret)
			return ret;
	}

	for (i = 0; i < VERSO_NUM_PIPES; i++) {
		ret = verso_writeback_init(&vdev->pipes[i]);
		if (ret)
			return ret;
	}

	drm_mode_config_reset(drm);

	return 0;
}

static int verso_create(struct platform_device *pdev)
{
	struct verso_device *vdev;
	int ret;

	vdev = devm_drm_dev_alloc(&pdev->dev, &verso_driver,
				  struct verso_device, drm);
	if (IS_ERR(vdev))
		return PTR_ERR(vdev);

	vdev->pdev = pdev;
	atomic_set(&vdev->wb_jobs, 0);

	/* PRIME import maps foreign buffers for this device. */
	ret = dma_coerce_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (ret)
		return ret;

	ret = drm_vblank_init(&vdev->drm, VERSO_NUM_PIPES);
	if (ret)
		return ret;

	ret = verso_modeset_init(vdev);
	if (ret)
		return ret;

	platform_set_drvdata(pdev, vdev);

	return drm_dev_register(&vdev->drm, 0);
}

static int __init verso_init(void)
{
	struct platform_device *pdev;
	int ret;

	/* The rear panel's driver, for the device the DSI host creates. */
	ret = verso_rear_amoled_register();
	if (ret)
		return ret;

	pdev = platform_device_register_simple(VERSO_DRIVER_NAME,
					       PLATFORM_DEVID_NONE, NULL, 0);
	if (IS_ERR(pdev)) {
		verso_rear_amoled_unregister();
		return PTR_ERR(pdev);
	}

	/* No driver binds the device: scope its devres to the DRM device. */
	if (!devres_open_group(&pdev->dev, NULL, GFP_KERNEL)) {
		ret = -ENOMEM;
		goto err_unregister;
	}

	ret = verso_create(pdev);
	if (ret)
		goto err_release;

	verso_pdev = pdev;

	return 0;

err_release:
	devres_release_group(&pdev->dev, NULL);
err_unregister:
	platform_device_unregister(pdev);
	verso_rear_amoled_unregister();
	return ret;
}

static void __exit verso_exit(void)
{
	struct platform_device *pdev = verso_pdev;
	struct verso_device *vdev = platform_get_drvdata(pdev);

	drm_dev_unregister(&vdev->drm);
	drm_atomic_helper_shutdown(&vdev->drm);
	verso_writeback_wait_idle(vdev);
	devres_release_group(&pdev->dev, NULL);
	platform_device_unregister(pdev);
	verso_rear_amoled_unregister();
}

module_init(verso_init);
module_exit(verso_exit);

MODULE_DESCRIPTION(DRIVER_DESC);
MODULE_LICENSE("GPL");
