// SPDX-License-Identifier: GPL-2.0-only
/*
 * CRTCs. Each pipe scans out at the active mode's exact frame rate; an
 * hrtimer stands in for the vblank interrupt of the display controller.
 */

#include <linux/dma-fence.h>
#include <linux/slab.h>

#include <drm/drm_atomic.h>
#include <drm/drm_atomic_helper.h>
#include <drm/drm_managed.h>
#include <drm/drm_print.h>
#include <drm/drm_vblank.h>

#include "verso_drv.h"

/* Nothing waits for the next frame: no flip, no writeback, no CRC. */
static bool verso_pipe_idle(struct verso_pipe *pipe)
{
	lockdep_assert_held(&pipe->lock);

	return !pipe->flip_pending && !pipe->crc_enabled &&
	       list_empty(&pipe->wb_queue);
}

/*
 * The frame grid: vblanks fall at last_vblank + k * period. It starts when
 * the CRTC is switched on (a modeset, the only way to a new frame duration)
 * and holds until the CRTC is switched off: vblanks switched off and on, and
 * stretched VRR frames, stay on it. See Documentation/kernel/verso.md.
 */
static ktime_t verso_grid_floor(struct verso_pipe *pipe, ktime_t now)
{
	s64 since = ktime_to_ns(ktime_sub(now, pipe->last_vblank));
	s64 period = ktime_to_ns(pipe->period);

	lockdep_assert_held(&pipe->lock);

	if (since < period)
		return pipe->last_vblank;
	return ktime_add_ns(pipe->last_vblank,
			    div64_s64(since, period) * period);
}

/* Scanout (re)starts now: a new grid, with the frame duration of the mode. */
static void verso_grid_start(struct verso_pipe *pipe, ktime_t period)
{
	lockdep_assert_held(&pipe->lock);

	pipe->period = period;
	pipe->last_vblank = ktime_get();
	pipe->stretch = 1;
}

static enum hrtimer_restart verso_vblank_timer_fn(struct hrtimer *timer)
{
	struct verso_pipe *pipe = container_of(timer, struct verso_pipe,
					       vblank_timer);
	ktime_t vblank;
	u64 overruns;
	bool cookie;

	cookie = dma_fence_begin_signalling();

	spin_lock(&pipe->lock);
	/*
	 * disable_vblank does not wait for this callback (see there): stop if
	 * vblanks were switched off meanwhile, and leave the timer alone if
	 * enable_vblank has already armed it again.
	 */
	if (!pipe->timer_on || hrtimer_is_queued(timer)) {
		spin_unlock(&pipe->lock);
		dma_fence_end_signalling(cookie);
		return HRTIMER_NORESTART;
	}

	/*
	 * Latch the vblank time before reporting it, as hardware does with
	 * its counters before it raises the interrupt: it is the last point
	 * of the frame grid, even if this callback ran late.
	 */
	overruns = hrtimer_forward_now(timer, pipe->period);
	vblank = ktime_sub(hrtimer_get_expires(timer), pipe->period);
	pipe->last_vblank = vblank;
	/*
	 * With VRR, an idle panel stretches its frames like an LTPO panel:
	 * each idle frame doubles the next one, down to the lowest rate.
	 * The frames stay on the grid, so timestamps and counts agree.
	 */
	if (pipe->vrr && verso_pipe_idle(pipe)) {
		pipe->stretch = min(pipe->stretch * 2, pipe->max_stretch);
		hrtimer_set_expires(timer, ktime_add_ns(vblank, pipe->stretch *
							ktime_to_ns(pipe->period)));
	} else {
		pipe->stretch = 1;
	}
	pipe->flip_pending = false;
	spin_unlock(&pipe->lock);

	if (overruns > 1)
		drm_dbg_vbl(&pipe->vdev->drm, "pipe %u: %llu vblanks missed\n",
			    pipe->index, overruns - 1);

	drm_crtc_handle_vblank(&pipe->crtc);
	verso_composer_vblank(pipe);

	dma_fence_end_signalling(cookie);

	/* Once more after a disable_vblank that ran meanwhile: harmless. */
	return HRTIMER_RESTART;
}

/**
 * verso_crtc_kick - end a stretched frame at the next point of the grid
 * @pipe: the pipe that has work for the next vblank
 *
 * Process context only: it waits for a running vblank timer callback.
 */
void verso_crtc_kick(struct verso_pipe *pipe)
{
	unsigned long flags;
	ktime_t next;
	bool stretched;

	spin_lock_irqsave(&pipe->lock, flags);
	stretched = pipe->timer_on && pipe->stretch > 1;
	spin_unlock_irqrestore(&pipe->lock, flags);
	if (!stretched)
		return;

	hrtimer_cancel(&pipe->vblank_timer);

	spin_lock_irqsave(&pipe->lock, flags);
	if (pipe->timer_on) {
		next = ktime_add(verso_grid_floor(pipe, ktime_get()),
				 pipe->period);
		pipe->stretch = 1;
		hrtimer_start(&pipe->vblank_timer, next, HRTIMER_MODE_ABS);
	}
	spin_unlock_irqrestore(&pipe->lock, flags);
}

/*
 * Called by the vblank core with its vblank_time_lock held, interrupts off,
 * right before it counts the vblanks missed while they were off from the
 * time get_vblank_timestamp returns: the timer resumes the frame grid, so
 * that count is exact.
 */
static int verso_crtc_enable_vblank(struct drm_crtc *crtc)
{
	struct verso_pipe *pipe = crtc_to_verso_pipe(crtc);
	struct drm_vblank_crtc *vblank = &crtc->dev->vblank[drm_crtc_index(crtc)];
	unsigned long flags;
	ktime_t period;

	/* framedur_ns was set from the adjusted mode at modeset time. */
	period = ns_to_ktime(vblank->framedur_ns);
	if (!period)
		return -EINVAL;

	spin_lock_irqsave(&pipe->lock, flags);
	/*
	 * atomic_enable started the grid; a frame duration it did not see
	 * cannot continue it.
	 */
	if (period != pipe->period)
		verso_grid_start(pipe, period);
	pipe->last_vblank = verso_grid_floor(pipe, ktime_get());
	pipe->stretch = 1;
	pipe->timer_on = true;
	hrtimer_start(&pipe->vblank_timer, ktime_add(pipe->last_vblank, period),
		      HRTIMER_MODE_ABS);
	spin_unlock_irqrestore(&pipe->lock, flags);

	return 0;
}

/*
 * Called with the vblank core's vblank_time_lock held, interrupts off. The
 * timer callback takes that lock in drm_crtc_handle_vblank(): waiting for a
 * running callback here (hrtimer_cancel()) would deadlock both CPUs. So the
 * timer is only asked to stop; a running callback sees timer_on cleared.
 */
static void verso_crtc_disable_vblank(struct drm_crtc *crtc)
{
	struct verso_pipe *pipe = crtc_to_verso_pipe(crtc);
	unsigned long flags;

	spin_lock_irqsave(&pipe->lock, flags);
	pipe->timer_on = false;
	hrtimer_try_to_cancel(&pipe->vblank_timer);
	spin_unlock_irqrestore(&pipe->lock, flags);
}

/*
 * The latest vblank: while the timer runs, the one it last reported (a
 * stretched VRR frame has no vblank before its end); while it is off, the
 * latest point of the grid, as a scanout that went on without interrupts.
 */
static bool verso_crtc_get_vblank_timestamp(struct drm_crtc *crtc,
					    int *max_error,
					    ktime_t *vblank_time,
					    bool in_vblank_irq)
{
	struct verso_pipe *pipe = crtc_to_verso_pipe(crtc);
	unsigned long flags;
	bool valid = true;

	spin_lock_irqsave(&pipe->lock, flags);
	if (pipe->timer_on)
		*vblank_time = pipe->last_vblank;
	else if (pipe->period)
		*vblank_time = verso_grid_floor(pipe, ktime_get());
	else
		valid = false; /* never switched on: no grid yet */
	spin_unlock_irqrestore(&pipe->lock, flags);

	if (valid)
		*max_error = 0;
	return valid;
}

static void verso_crtc_state_free(struct verso_crtc_state *state)
{
	kfree(state->planes);
	kfree(state);
}

static void verso_crtc_reset(struct drm_crtc *crtc)
{
	struct verso_crtc_state *state;

	if (crtc->state) {
		__drm_atomic_helper_crtc_destroy_state(crtc->state);
		verso_crtc_state_free(to_verso_crtc_state(crtc->state));
		crtc->state = NULL;
	}

	state = kzalloc(sizeof(*state), GFP_KERNEL);
	if (!state)
		return;

	__drm_atomic_helper_crtc_reset(crtc, &state->base);
	/*
	 * Off until atomic_enable's drm_crtc_vblank_on(), as after a disable:
	 * a first enable must not start vblanks from atomic_flush.
	 */
	drm_crtc_vblank_reset(crtc);
}

static struct drm_crtc_state *
verso_crtc_duplicate_state(struct drm_crtc *crtc)
{
	struct verso_crtc_state *state;

	if (WARN_ON(!crtc->state))
		return NULL;

	/* The plane list is rebuilt by every atomic_check. */
	state = kzalloc(sizeof(*state), GFP_KERNEL);
	if (!state)
		return NULL;

	__drm_atomic_helper_crtc_duplicate_state(crtc, &state->base);

	return &state->base;
}

static void verso_crtc_destroy_state(struct drm_crtc *crtc,
				     struct drm_crtc_state *state)
{
	__drm_atomic_helper_crtc_destroy_state(state);
	verso_crtc_state_free(to_verso_crtc_state(state));
}

static const struct drm_crtc_funcs verso_crtc_funcs = {
	.set_config		= drm_atomic_helper_set_config,
	.page_flip		= drm_atomic_helper_page_flip,
	.reset			= verso_crtc_reset,
	.atomic_duplicate_state	= verso_crtc_duplicate_state,
	.atomic_destroy_state	= verso_crtc_destroy_state,
	.enable_vblank		= verso_crtc_enable_vblank,
	.disable_vblank		= verso_crtc_disable_vblank,
	.get_vblank_timestamp	= verso_crtc_get_vblank_timestamp,
	.get_crc_sources	= verso_get_crc_sources,
	.set_crc_source		= verso_set_crc_source,
	.verify_crc_source	= verso_verify_crc_source,
};

/*
 * Writeback taps the pipe after the blender: attaching or detaching the
 * writeback connector leaves the panel running, so it needs no modeset.
 */
static void verso_crtc_check_wb_routing(struct drm_crtc *crtc,
					struct drm_atomic_state *state,
					struct drm_crtc_state *crtc_state)
{
	struct drm_crtc_state *old_state =
		drm_atomic_get_old_crtc_state(state, crtc);
	u32 wb_mask = drm_connector_mask(&crtc_to_verso_pipe(crtc)->wb.base);

	if (!crtc_state->connectors_changed || crtc_state->mode_changed ||
	    crtc_state->active_changed || !old_state->active)
		return;

	if ((old_state->connector_mask ^ crtc_state->connector_mask) & ~wb_mask)
		return;

	crtc_state->connectors_changed = false;
}

static int verso_crtc_atomic_check(struct drm_crtc *crtc,
				   struct drm_atomic_state *state)
{
	struct drm_crtc_state *crtc_state =
		drm_atomic_get_new_crtc_state(state, crtc);
	struct verso_crtc_state *vstate = to_verso_crtc_state(crtc_state);
	struct drm_plane_state *plane_state;
	struct drm_plane_state **planes;
	struct drm_plane *plane;
	unsigned int n = 0, i, j;
	int ret;

	verso_crtc_check_wb_routing(crtc, state, crtc_state);

	/*
	 * A lit panel shows the primary plane. Refusing a pipe without it
	 * also makes the core switch the pipe off, rather than leave the
	 * panel lit and black, when the fb it scans out goes away with its
	 * client (drm_framebuffer_remove() retries with the CRTC disabled).
	 */
	if (crtc_state->active &&
	    !(crtc_state->plane_mask & drm_plane_mask(crtc->primary))) {
		drm_dbg_atomic(crtc->dev, "[CRTC:%d:%s] active without its primary plane\n",
			       crtc->base.id, crtc->name);
		return -EINVAL;
	}

	/* The composer needs every plane of the CRTC, changed or not. */
	ret = drm_atomic_add_affected_planes(state, crtc);
	if (ret)
		return ret;

	planes = kcalloc(hweight32(crtc_state->plane_mask), sizeof(*planes),
			 GFP_KERNEL);
	if (!planes && crtc_state->plane_mask)
		return -ENOMEM;

	drm_for_each_plane_mask(plane, crtc->dev, crtc_state->plane_mask) {
		plane_state = drm_atomic_get_new_plane_state(state, plane);
		if (WARN_ON(!plane_state) || !plane_state->visible)
			continue;

		/* Insertion sort by normalized zpos: a handful of planes. */
		for (i = n; i > 0; i--) {
			if (planes[i - 1]->normalized_zpos <=
			    plane_state->normalized_zpos)
				break;
		}
		for (j = n; j > i; j--)
			planes[j] = planes[j - 1];
		planes[i] = plane_state;
		n++;
	}

	kfree(vstate->planes);
	vstate->planes = planes;
	vstate->num_planes = n;

	return 0;
}

static void verso_crtc_atomic_enable(struct drm_crtc *crtc,
				     struct drm_atomic_state *state)
{
	struct verso_pipe *pipe = crtc_to_verso_pipe(crtc);
	struct drm_vblank_crtc *vblank = &crtc->dev->vblank[drm_crtc_index(crtc)];
	struct drm_pending_vblank_event *event = crtc->state->event;

	/* Before drm_crtc_vblank_on(), which reads the first timestamp. */
	spin_lock_irq(&pipe->lock);
	verso_grid_start(pipe, ns_to_ktime(vblank->framedur_ns));
	spin_unlock_irq(&pipe->lock);

	drm_crtc_vblank_on(crtc);

	/* The first frame's event, left by atomic_flush. */
	if (event) {
		crtc->state->event = NULL;
		spin_lock_irq(&crtc->dev->event_lock);
		if (drm_crtc_vblank_get(crtc) == 0)
			drm_crtc_arm_vblank_event(crtc, event);
		else
			drm_crtc_send_vblank_event(crtc, event);
		spin_unlock_irq(&crtc->dev->event_lock);
	}
}

static void verso_crtc_atomic_disable(struct drm_crtc *crtc,
				      struct drm_atomic_state *state)
{
	drm_crtc_vblank_off(crtc);
	/* No more vblanks: finish the writebacks that wait for one. */
	verso_composer_drain(crtc_to_verso_pipe(crtc));
}

static void verso_crtc_atomic_flush(struct drm_crtc *crtc,
				    struct drm_atomic_state *state)
{
	struct verso_pipe *pipe = crtc_to_verso_pipe(crtc);
	struct drm_pending_vblank_event *event = crtc->state->event;
	bool armed = false;

	/*
	 * A CRTC being switched on gets its vblanks in atomic_enable, which
	 * runs after this: leave it the event. Otherwise, no scanout, no wait.
	 */
	if (event) {
		spin_lock_irq(&crtc->dev->event_lock);
		armed = drm_crtc_vblank_get(crtc) == 0;
		if (armed)
			drm_crtc_arm_vblank_event(crtc, event);
		else if (!crtc->state->active)
			drm_crtc_send_vblank_event(crtc, event);
		spin_unlock_irq(&crtc->dev->event_lock);

		if (armed || !crtc->state->active)
			crtc->state->event = NULL;
	}

	/* The composer reads planes only through this state: switch at once. */
	spin_lock_irq(&pipe->lock);
	pipe->composer_state = to_verso_crtc_state(crtc->state);
	pipe->vrr = crtc->state->vrr_enabled && pipe->desc->vrr_max_hz;
	pipe->max_stretch = pipe->vrr ? pipe->desc->vrr_max_hz /
					pipe->desc->vrr_min_hz : 1;
	if (armed)
		pipe->flip_pending = true;
	spin_unlock_irq(&pipe->lock);

	if (armed)
		verso_crtc_kick(pipe);
}

static const struct drm_crtc_helper_funcs verso_crtc_helper_funcs = {
	.atomic_check	= verso_crtc_atomic_check,
	.atomic_flush	= verso_crtc_atomic_flush,
	.atomic_enable	= verso_crtc_atomic_enable,
	.atomic_disable	= verso_crtc_atomic_disable,
};

static void verso_crtc_release(struct drm_device *drm, void *data)
{
	struct verso_pipe *pipe = data;

	hrtimer_cancel(&pipe->vblank_timer);
}

int verso_crtc_init(struct verso_pipe *pipe)
{
	struct drm_device *drm = &pipe->vdev->drm;
	int ret;

	spin_lock_init(&pipe->lock);
	hrtimer_init(&pipe->vblank_timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	pipe->vblank_timer.function = verso_vblank_timer_fn;

	pipe->primary = verso_plane_create(pipe, DRM_PLANE_TYPE_PRIMARY);
	if (IS_ERR(pipe->primary))
		return PTR_ERR(pipe->primary);

	pipe->overlay = verso_plane_create(pipe, DRM_PLANE_TYPE_OVERLAY);
	if (IS_ERR(pipe->overlay))
		return PTR_ERR(pipe->overlay);

	pipe->cursor = verso_plane_create(pipe, DRM_PLANE_TYPE_CURSOR);
	if (IS_ERR(pipe->cursor))
		return PTR_ERR(pipe->cursor);

	ret = drmm_crtc_init_with_planes(drm, &pipe->crtc,
					 &pipe->primary->base,
					 &pipe->cursor->base,
					 &verso_crtc_funcs, "pipe-%u",
					 pipe->index);
	if (ret)
		return ret;

	drm_crtc_helper_add(&pipe->crtc, &verso_crtc_helper_funcs);

	ret = drmm_add_action_or_reset(drm, verso_crtc_release, pipe);
	if (ret)
		return ret;

	return verso_composer_init(pipe);
}
