/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * verso: a phone display controller with a main and a rear (cover) display.
 */
#ifndef _VERSO_DRV_H_
#define _VERSO_DRV_H_

#include <linux/hrtimer.h>
#include <linux/iosys-map.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include <drm/drm_connector.h>
#include <drm/drm_crtc.h>
#include <drm/drm_device.h>
#include <drm/drm_encoder.h>
#include <drm/drm_fourcc.h>
#include <drm/drm_modes.h>
#include <drm/drm_plane.h>
#include <drm/drm_writeback.h>

#include <verso/display.h>

#define VERSO_PIPE_MAIN		0
#define VERSO_PIPE_REAR		1
#define VERSO_NUM_PIPES		2
/* Primary, overlay and cursor. */
#define VERSO_PLANES_PER_PIPE	3
#define VERSO_CURSOR_MAX	256

#define VERSO_MIN_SIZE		16
#define VERSO_MAX_SIZE		4096

struct dentry;
struct drm_panel;
struct verso_device;
struct verso_dsi;

/**
 * struct verso_wb_job - a writeback buffer, mapped for the composer
 * @node: entry in the pipe's writeback queue
 * @vblank_ref: a vblank reference is held until the job is done
 * @fb: destination framebuffer
 * @map: mapping of each GEM object of @fb
 * @data: address of each colour plane of @fb
 */
struct verso_wb_job {
	struct list_head node;
	bool vblank_ref;
	struct drm_framebuffer *fb;
	struct iosys_map map[DRM_FORMAT_MAX_PLANES];
	struct iosys_map data[DRM_FORMAT_MAX_PLANES];
};

/**
 * struct verso_panel_desc - fixed facts about the panel behind a pipe
 * @name: panel name, for logs
 * @modes: supported modes, the preferred one first
 * @num_modes: number of entries in @modes
 * @width_mm: active area width
 * @height_mm: active area height
 * @vrr_min_hz: lowest refresh rate in variable refresh, 0 if no VRR
 * @vrr_max_hz: highest refresh rate in variable refresh, 0 if no VRR
 */
struct verso_panel_desc {
	const char *name;
	const struct drm_display_mode *modes;
	unsigned int num_modes;
	unsigned int width_mm;
	unsigned int height_mm;
	unsigned int vrr_min_hz;
	unsigned int vrr_max_hz;
};

/**
 * struct verso_plane - a hardware layer
 * @base: DRM plane
 * @pipe: the only pipe this plane can be routed to
 */
struct verso_plane {
	struct drm_plane base;
	struct verso_pipe *pipe;
};

/**
 * struct verso_crtc_state - CRTC state with what the composer needs
 * @base: DRM CRTC state
 * @planes: visible plane states, bottom to top
 * @num_planes: number of entries in @planes
 */
struct verso_crtc_state {
	struct drm_crtc_state base;
	struct drm_plane_state **planes;
	unsigned int num_planes;
};

/**
 * struct verso_pipe - one display pipe: CRTC, encoder, connector, writeback
 * @vdev: owning device
 * @index: pipe index, equal to the CRTC index
 * @desc: panel on this pipe
 * @primary: primary plane
 * @overlay: overlay plane
 * @cursor: cursor plane
 * @crtc: CRTC
 * @encoder: DSI encoder
 * @connector: DSI connector
 * @wb: writeback connector fed from this CRTC
 * @dsi: virtual DSI host of the rear pipe's panel, NULL on the main pipe
 * @vblank_timer: emulates the scanout's vblank interrupt
 * @lock: protects the fields below; taken from the vblank timer
 * @period: frame duration of the active mode, the step of the frame grid
 * @last_vblank: the latest vblank the vblank core was told of, a point of
 *	the frame grid
 * @timer_on: the vblank core has the timer running
 * @vrr: variable refresh is enabled on the CRTC
 * @stretch: length of the current frame, in frames of the mode
 * @max_stretch: longest frame in variable refresh, in frames of the mode
 * @flip_pending: an event waits for the next vblank
 * @composer_state: state the composer reads, swapped at atomic_flush
 * @crc_enabled: CRC capture requested through debugfs
 * @crc_vblank_ref: a vblank reference is held on behalf of CRC capture
 * @crc_pending: frames from @frame_start to @frame_end need a CRC entry
 * @frame_start: first vblank count not yet given a CRC
 * @frame_end: last vblank count to give a CRC
 * @wb_queue: writeback jobs to fill, oldest first, one per composition
 * @composer_wq: ordered queue for @composer_work
 * @composer_work: blends the planes, outside of hardirq context
 */
struct verso_pipe {
	struct verso_device *vdev;
	unsigned int index;
	const struct verso_panel_desc *desc;

	struct verso_plane *primary;
	struct verso_plane *overlay;
	struct verso_plane *cursor;
	struct drm_crtc crtc;
	struct drm_encoder encoder;
	struct drm_connector connector;
	struct drm_writeback_connector wb;
	struct verso_dsi *dsi;

	struct hrtimer vblank_timer;

	spinlock_t lock; /* see above; taken in the vblank timer */
	ktime_t period;
	ktime_t last_vblank;
	bool timer_on;
	bool vrr;
	unsigned int stretch;
	unsigned int max_stretch;
	bool flip_pending;
	struct verso_crtc_state *composer_state;
	bool crc_enabled;
	bool crc_vblank_ref;
	bool crc_pending;
	u64 frame_start;
	u64 frame_end;
	struct list_head wb_queue;

	struct workqueue_struct *composer_wq;
	struct work_struct composer_work;
};

/**
 * struct verso_device - the display controller
 * @drm: DRM device
 * @pdev: platform device created at module load
 * @pipes: display pipes, main then rear
 * @wb_jobs: writeback jobs whose cleanup has not run yet
 */
struct verso_device {
	struct drm_device drm;
	struct platform_device *pdev;
	struct verso_pipe pipes[VERSO_NUM_PIPES];
	atomic_t wb_jobs;
};

static inline struct verso_device *to_verso_device(struct drm_device *drm)
{
	return container_of(drm, struct verso_device, drm);
}

static inline struct verso_pipe *crtc_to_verso_pipe(struct drm_crtc *crtc)
{
	return container_of(crtc, struct verso_pipe, crtc);
}

static inline struct verso_pipe *
connector_to_verso_pipe(struct drm_connector *connector)
{
	return container_of(connector, struct verso_pipe, connector);
}

static inline struct verso_pipe *
wb_to_verso_pipe(struct drm_writeback_connector *wb)
{
	return container_of(wb, struct verso_pipe, wb);
}

static inline struct verso_crtc_state *
to_verso_crtc_state(struct drm_crtc_state *state)
{
	return container_of(state, struct verso_crtc_state, base);
}

extern bool verso_rear_non_desktop;
extern unsigned int verso_idle_frames;

/* verso_plane.c */
struct verso_plane *verso_plane_create(struct verso_pipe *pipe,
				       enum drm_plane_type type);

/* verso_crtc.c */
int verso_crtc_init(struct verso_pipe *pipe);
void verso_crtc_kick(struct verso_pipe *pipe);

/* verso_output.c */
int verso_output_init(struct verso_pipe *pipe);
int verso_panel_add_modes(struct drm_connector *connector,
			  const struct verso_panel_desc *desc);

/* verso_dsi.c */
const struct verso_panel_desc *verso_dsi_init(struct verso_pipe *pipe);
void verso_dsi_debugfs_init(struct verso_pipe *pipe, struct dentry *root);
struct drm_panel *verso_dsi_panel(struct verso_pipe *pipe);
void verso_dsi_panel_power(struct verso_pipe *pipe, bool on);
void verso_dsi_commit_begin(struct verso_pipe *pipe);
void verso_dsi_commit_end(struct verso_pipe *pipe,
			  const struct drm_display_mode *mode);

/* verso_writeback.c */
int verso_writeback_init(struct verso_pipe *pipe);
void verso_writeback_wait_idle(struct verso_device *vdev);

/* verso_composer.c */
int verso_composer_init(struct verso_pipe *pipe);
void verso_composer_work(struct work_struct *work);
void verso_composer_flush(struct verso_pipe *pipe);
void verso_composer_drain(struct verso_pipe *pipe);
void verso_composer_vblank(struct verso_pipe *pipe);
void verso_composer_queue_wb(struct verso_pipe *pipe,
			     struct verso_wb_job *job);
const char *const *verso_get_crc_sources(struct drm_crtc *crtc,
					 size_t *count);
int verso_verify_crc_source(struct drm_crtc *crtc, const char *source,
			    size_t *values_cnt);
int verso_set_crc_source(struct drm_crtc *crtc, const char *source);

#endif /* _VERSO_DRV_H_ */
