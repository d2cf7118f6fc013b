// SPDX-License-Identifier: GPL-2.0-only
/*
 * Software composer. It blends a CRTC's planes the way the scanout would,
 * but only when someone looks: a writeback job or a debugfs CRC capture.
 * It runs in an ordered workqueue, never in the vblank interrupt.
 */

#include <linux/crc32.h>
#include <linux/minmax.h>
#include <linux/slab.h>

#include <drm/drm_atomic.h>
#include <drm/drm_blend.h>
#include <drm/drm_color_mgmt.h>
#include <drm/drm_debugfs_crc.h>
#include <drm/drm_fourcc.h>
#include <drm/drm_framebuffer.h>
#include <drm/drm_gem_atomic_helper.h>
#include <drm/drm_gem_framebuffer_helper.h>
#include <drm/drm_managed.h>
#include <drm/drm_print.h>
#include <drm/drm_rect.h>
#include <drm/drm_vblank.h>
#include <drm/drm_writeback.h>

#include "verso_drv.h"

/* One pixel, 16 bits per channel so that blending keeps precision. */
struct verso_px {
	u16 a, r, g, b;
};

struct verso_layer;

/* Reads @n pixels rightwards from (@x, @y), in framebuffer coordinates. */
typedef void (*verso_read_fn)(const struct verso_layer *l, int x, int y,
			      unsigned int n, struct verso_px *out);
typedef void (*verso_write_fn)(u8 *dst, unsigned int n,
			       const struct verso_px *in);

/* Y'CbCr to RGB on 8-bit samples; factors in 16.16 fixed point. */
struct verso_yuv_coeffs {
	s32 y_off;
	s32 ky;
	s32 rv;
	s32 gu;
	s32 gv;
	s32 bu;
};

/* A plane as the composer sees it: mapped, clipped, with its properties. */
struct verso_layer {
	struct drm_framebuffer *fb;	/* set while mapped */
	struct iosys_map map[DRM_FORMAT_MAX_PLANES];
	const u8 *data[DRM_FORMAT_MAX_PLANES];
	unsigned int pitch[DRM_FORMAT_MAX_PLANES];
	struct drm_rect src;
	struct drm_rect dst;
	bool reflect_x;
	bool reflect_y;
	u16 alpha;
	u16 blend;
	const struct verso_yuv_coeffs *yuv;
	verso_read_fn read;
};

static const struct verso_yuv_coeffs verso_yuv[2][2] = {
	[DRM_COLOR_YCBCR_BT601] = {
		[DRM_COLOR_YCBCR_LIMITED_RANGE] = {
			.y_off = 16, .ky = 76309, .rv = 104597,
			.gu = 25675, .gv = 53279, .bu = 132201,
		},
		[DRM_COLOR_YCBCR_FULL_RANGE] = {
			.y_off = 0, .ky = 65536, .rv = 91881,
			.gu = 22553, .gv = 46802, .bu = 116130,
		},
	},
	[DRM_COLOR_YCBCR_BT709] = {
		[DRM_COLOR_YCBCR_LIMITED_RANGE] = {
			.y_off = 16, .ky = 76309, .rv = 117489,
			.gu = 13975, .gv = 34925, .bu = 138438,
		},
		[DRM_COLOR_YCBCR_FULL_RANGE] = {
			.y_off = 0, .ky = 65536, .rv = 103206,
			.gu = 12276, .gv = 30679, .bu = 121609,
		},
	},
};

/* 8 to 16 bits: 0xff * 0x101 == 0xffff. */
static inline u16 verso_expand8(u8 v)
{
	return v * 0x101;
}

static inline u8 verso_narrow16(u16 v)
{
	return (v + 0x80) / 0x101;
}

static inline const u8 *verso_px_addr(const struct verso_layer *l,
				      unsigned int plane, int x, int y,
				      unsigned int cpp)
{
	return l->data[plane] + y * l->pitch[plane] + x * cpp;
}

/*
 * The 32-bit RGB formats differ only in where R and B sit and in whether
 * the fourth byte is alpha; each reader below is this loop with constant
 * offsets, so the compiler still emits a specialised loop per format.
 */
static __always_inline void verso_read_32(const struct verso_layer *l,
					  int x, int y, unsigned int n,
					  struct verso_px *out,
					  unsigned int r, unsigned int b,
					  bool has_alpha)
{
	const u8 *src = verso_px_addr(l, 0, x, y, 4);

	for (; n; n--, src += 4, out++) {
		out->r = verso_expand8(src[r]);
		out->g = verso_expand8(src[1]);
		out->b = verso_expand8(src[b]);
		out->a = has_alpha ? verso_expand8(src[3]) : 0xffff;
	}
}

static void verso_read_argb8888(const struct verso_layer *l, int x, int y,
				unsigned int n, struct verso_px *out)
{
	verso_read_32(l, x, y, n, out, 2, 0, true);
}

static void verso_read_xrgb8888(const struct verso_layer *l, int x, int y,
				unsigned int n, struct verso_px *out)
{
	verso_read_32(l, x, y, n, out, 2, 0, false);
}

static void verso_read_abgr8888(const struct verso_layer *l, int x, int y,
				unsigned int n, struct verso_px *out)
{
	verso_read_32(l, x, y, n, out, 0, 2, true);
}

static void verso_read_xbgr8888(const struct verso_layer *l, int x, int y,
				unsigned int n, struct verso_px *out)
{
	verso_read_32(l, x, y, n, out, 0, 2, false);
}

static void verso_read_rgb565(const struct verso_layer *l, int x, int y,
			      unsigned int n, struct verso_px *out)
{
	const u8 *src = verso_px_addr(l, 0, x, y, 2);

	for (; n; n--, src += 2, out++) {
		u32 v = src[0] | src[1] << 8;

		/* Scale 5 and 6 bit channels to the full 16-bit range. */
		out->r = DIV_ROUND_CLOSEST((v >> 11) * 0xffff, 0x1f);
		out->g = DIV_ROUND_CLOSEST(((v >> 5) & 0x3f) * 0xffff, 0x3f);
		out->b = DIV_ROUND_CLOSEST((v & 0x1f) * 0xffff, 0x1f);
		out->a = 0xffff;
	}
}

static inline u16 verso_yuv_channel(s64 v)
{
	/* 8.16 fixed point to 16 bits: scale by 0x101 / 0x10000. */
	return clamp_t(s64, (v * 0x101 + 0x8000) >> 16, 0, 0xffff);
}

static void verso_yuv_to_px(const struct verso_yuv_coeffs *c, u8 y, u8 u,
			    u8 v, struct verso_px *out)
{
	s64 luma = (s64)c->ky * (y - c->y_off);
	s32 cb = u - 128, cr = v - 128;

	out->r = verso_yuv_channel(luma + (s64)c->rv * cr);
	out->g = verso_yuv_channel(luma - (s64)c->gu * cb - (s64)c->gv * cr);
	out->b = verso_yuv_channel(luma + (s64)c->bu * cb);
	out->a = 0xffff;
}

static void verso_read_nv12(const struct verso_layer *l, int x, int y,
			    unsigned int n, struct verso_px *out)
{
	const u8 *luma = verso_px_addr(l, 0, x, y, 1);
	const u8 *chroma = verso_px_addr(l, 1, 0, y / 2, 1);

	for (; n; n--, x++, luma++, out++) {
		const u8 *uv = chroma + (x / 2) * 2;

		verso_yuv_to_px(l->yuv, *luma, uv[0], uv[1], out);
	}
}

static void verso_read_yuyv(const struct verso_layer *l, int x, int y,
			    unsigned int n, struct verso_px *out)
{
	const u8 *line = verso_px_addr(l, 0, 0, y, 1);

	for (; n; n--, x++, out++) {
		const u8 *pair = line + (x / 2) * 4;

		verso_yuv_to_px(l->yuv, pair[(x & 1) * 2], pair[1], pair[3],
				out);
	}
}

static void verso_write_xrgb8888(u8 *dst, unsigned int n,
				 const struct verso_px *in)
{
	for (; n; n--, dst += 4, in++) {
		dst[0] = verso_narrow16(in->b);
		dst[1] = verso_narrow16(in->g);
		dst[2] = verso_narrow16(in->r);
		dst[3] = verso_narrow16(in->a);
	}
}

static void verso_write_xbgr8888(u8 *dst, unsigned int n,
				 const struct verso_px *in)
{
	for (; n; n--, dst += 4, in++) {
		dst[0] = verso_narrow16(in->r);
		dst[1] = verso_narrow16(in->g);
		dst[2] = verso_narrow16(in->b);
		dst[3] = verso_narrow16(in->a);
	}
}

static verso_read_fn verso_reader(u32 format)
{
	switch (format) {
	case DRM_FORMAT_ARGB8888:
		return verso_read_argb8888;
	case DRM_FORMAT_XRGB8888:
		return verso_read_xrgb8888;
	case DRM_FORMAT_ABGR8888:
		return verso_read_abgr8888;
	case DRM_FORMAT_XBGR8888:
		return verso_read_xbgr8888;
	case DRM_FORMAT_RGB565:
		return verso_read_rgb565;
	case DRM_FORMAT_NV12:
		return verso_read_nv12;
	case DRM_FORMAT_YUYV:
		return verso_read_yuyv;
	default:
		return NULL;
	}
}

/* The output is opaque, so the alpha and padding byte both read 0xff. */
static verso_write_fn verso_writer(u32 format)
{
	switch (format) {
	case DRM_FORMAT_XRGB8888:
	case DRM_FORMAT_ARGB8888:
		return verso_write_xrgb8888;
	case DRM_FORMAT_XBGR8888:
	case DRM_FORMAT_ABGR8888:
		return verso_write_xbgr8888;
	default:
		return NULL;
	}
}

static inline u16 verso_mul(u32 a, u32 b)
{
	return DIV_ROUND_CLOSEST(a * b, 0xffff);
}

/*
 * The blend equations of the "pixel blend mode" property, with plane alpha
 * pa and pixel alpha fa, over an opaque background:
 *   None:          pa * fg + (1 - pa) * bg
 *   Pre-multiplied: pa * fg + (1 - pa * fa) * bg
 *   Coverage:      pa * fa * fg + (1 - pa * fa) * bg
 */
static void verso_blend_line(struct verso_px *dst, const struct verso_px *src,
			     unsigned int n, u16 pa, u16 mode)
{
	for (; n; n--, dst++, src++) {
		u16 fa = mode == DRM_MODE_BLEND_PIXEL_NONE ? 0xffff : src->a;
		u16 a = verso_mul(fa, pa);
		u16 k = mode == DRM_MODE_BLEND_COVERAGE ? a : pa;

		if (a == 0xffff) {
			dst->r = src->r;
			dst->g = src->g;
			dst->b = src->b;
			continue;
		}

		dst->r = verso_mul(src->r, k) + verso_mul(dst->r, 0xffff - a);
		dst->g = verso_mul(src->g, k) + verso_mul(dst->g, 0xffff - a);
		dst->b = verso_mul(src->b, k) + verso_mul(dst->b, 0xffff - a);
	}
}

static int verso_layer_setup(struct verso_layer *l,
			     const struct drm_plane_state *state)
{
	struct iosys_map data[DRM_FORMAT_MAX_PLANES];
	struct drm_framebuffer *fb = state->fb;
	unsigned int rot = state->rotation;
	unsigned int i;
	int ret;

	l->read = verso_reader(fb->format->format);
	if (!l->read)
		return -EINVAL;

	/*
	 * Map the framebuffer for this job. The shadow-plane mapping can't be
	 * used: since 6.2 it lives only while the commit runs, and the
	 * composer runs after it.
	 */
	ret = drm_gem_fb_vmap(fb, l->map, data);
	if (ret)
		return ret;
	l->fb = fb;

	for (i = 0; i < fb->format->num_planes; i++) {
		if (data[i].is_iomem)
			return -EINVAL;
		/* data[] already points at fb->offsets[i]. */
		l->data[i] = data[i].vaddr;
		l->pitch[i] = fb->pitches[i];
	}

	l->dst = state->dst;
	drm_rect_init(&l->src, state->src.x1 >> 16, state->src.y1 >> 16,
		      drm_rect_width(&state->dst), drm_rect_height(&state->dst));
	l->reflect_x = !!(rot & DRM_MODE_REFLECT_X) ^ !!(rot & DRM_MODE_ROTATE_180);
	l->reflect_y = !!(rot & DRM_MODE_REFLECT_Y) ^ !!(rot & DRM_MODE_ROTATE_180);
	l->alpha = state->alpha;
	l->blend = state->pixel_blend_mode;
	l->yuv = NULL;
	if (fb->format->is_yuv) {
		if (state->color_encoding > DRM_COLOR_YCBCR_BT709 ||
		    state->color_range > DRM_COLOR_YCBCR_FULL_RANGE)
			return -EINVAL;
		l->yuv = &verso_yuv[state->color_encoding][state->color_range];
	}

	return 0;
}

static void verso_layer_compose_line(const struct verso_layer *l, int y,
				     unsigned int width, struct verso_px *line,
				     struct verso_px *stage)
{
	int x0 = max(l->dst.x1, 0);
	int x1 = min_t(int, l->dst.x2, width);
	int dy = y - l->dst.y1;
	int dx = x0 - l->dst.x1;
	int n = x1 - x0;
	int sx, sy, i;

	if (y < l->dst.y1 || y >= l->dst.y2 || n <= 0)
		return;

	sy = l->src.y1 + (l->reflect_y ? drm_rect_height(&l->src) - 1 - dy : dy);
	sx = l->src.x1 + (l->reflect_x ? drm_rect_width(&l->src) - dx - n : dx);
	l->read(l, sx, sy, n, stage);

	if (l->reflect_x) {
		for (i = 0; i < n / 2; i++)
			swap(stage[i], stage[n - 1 - i]);
	}

	verso_blend_line(line + x0, stage, n, l->alpha, l->blend);
}

/*
 * Blend every visible plane of @state, bottom to top, over an opaque black
 * background. Each output line goes to @crc (if any) and to @job (if any).
 */
static int verso_compose(struct verso_crtc_state *state,
			 struct verso_wb_job *job, u32 *crc)
{
	unsigned int width = state->base.mode.hdisplay;
	unsigned int height = state->base.mode.vdisplay;
	struct verso_px *line, *stage;
	struct verso_layer *layers;
	verso_write_fn write = NULL;
	u8 *wb_base = NULL;
	unsigned int wb_pitch = 0;
	unsigned int i, y;
	int ret = 0;

	if (!width || !height)
		return -EINVAL;

	if (job) {
		const struct drm_framebuffer *fb = job->fb;

		write = verso_writer(fb->format->format);
		if (!write || job->data[0].is_iomem ||
		    fb->width < width || fb->height < height)
			return -EINVAL;
		wb_base = job->data[0].vaddr;
		wb_pitch = fb->pitches[0];
	}

	layers = kcalloc(max(state->num_planes, 1U), sizeof(*layers),
			 GFP_KERNEL);
	line = kvmalloc_array(width, sizeof(*line), GFP_KERNEL);
	stage = kvmalloc_array(width, sizeof(*stage), GFP_KERNEL);
	if (!layers || !line || !stage) {
		ret = -ENOMEM;
		goto out;
	}

	for (i = 0; i < state->num_planes; i++) {
		ret = verso_layer_setup(&layers[i], state->planes[i]);
		if (ret)
			goto out;
	}

	for (y = 0; y < height; y++) {
		for (i = 0; i < width; i++)
			line[i] = (struct verso_px){ .a = 0xffff };

		for (i = 0; i < state->num_planes; i++)
			verso_layer_compose_line(&layers[i], y, width, line,
						 stage);

		if (crc)
			*crc = crc32_le(*crc, (const u8 *)line,
					width * sizeof(*line));
		if (write)
			write(wb_base + y * wb_pitch, width, line);
	}

out:
	for (i = 0; layers && i < state->num_planes; i++)
		if (layers[i].fb)
			drm_gem_fb_vunmap(layers[i].fb, layers[i].map);
	kvfree(stage);
	kvfree(line);
	kfree(layers);
	return ret;
}

void verso_composer_work(struct work_struct *work)
{
	struct verso_pipe *pipe = container_of(work, struct verso_pipe,
					       composer_work);
	struct drm_crtc *crtc = &pipe->crtc;
	struct verso_crtc_state *state;
	struct verso_wb_job *job;
	u64 frame, frame_end = 0;
	bool crc_pending;
	u32 crc = 0;
	int ret;

	spin_lock_irq(&pipe->lock);
	state = pipe->composer_state;
	crc_pending = pipe->crc_pending;
	frame = pipe->frame_start;
	frame_end = pipe->frame_end;
	pipe->crc_pending = false;
	job = list_first_entry_or_null(&pipe->wb_queue, struct verso_wb_job,
				       node);
	if (job)
		list_del_init(&job->node);
	spin_unlock_irq(&pipe->lock);

	if (!crc_pending && !job)
		return;

	ret = state ? verso_compose(state, job, crc_pending ? &crc : NULL) :
		      -EINVAL;
	if (ret)
		drm_dbg_kms(crtc->dev, "[CRTC:%d:%s] composition failed: %d\n",
			    crtc->base.id, crtc->name, ret);

	if (job) {
		/* Signalling the completion queues the job's release. */
		bool vblank_ref = job->vblank_ref;

		drm_writeback_signal_completion(&pipe->wb, ret);
		if (vblank_ref)
			drm_crtc_vblank_put(crtc);
	}

	/* Catch up on the frames that passed while this work was pending. */
	if (crc_pending && !ret) {
		for (; frame <= frame_end; frame++)
			drm_crtc_add_crc_entry(crtc, true, frame, &crc);
	}
}

/* Called from the vblank timer, after the vblank count has moved on. */
void verso_composer_vblank(struct verso_pipe *pipe)
{
	bool queue;
	u64 frame;

	spin_lock(&pipe->lock);
	queue = pipe->composer_state &&
		(pipe->crc_enabled || !list_empty(&pipe->wb_queue));
	if (queue && pipe->crc_enabled) {
		frame = drm_crtc_vblank_count(&pipe->crtc);
		/* Keep the oldest frame the worker has not consumed yet. */
		if (!pipe->crc_pending)
			pipe->frame_start = frame;
		pipe->frame_end = frame;
		pipe->crc_pending = true;
	}
	spin_unlock(&pipe->lock);

	if (queue)
		queue_work(pipe->composer_wq, &pipe->composer_work);
}

/* Called from the writeback connector's atomic_commit, CRTC active. */
void verso_composer_queue_wb(struct verso_pipe *pipe, struct verso_wb_job *job)
{
	/* Keep the vblank timer running until the job is done. */
	bool vblank_ref = drm_crtc_vblank_get(&pipe->crtc) == 0;

	job->vblank_ref = vblank_ref;
	/* Once queued, the worker may complete and free the job. */
	spin_lock_irq(&pipe->lock);
	list_add_tail(&job->node, &pipe->wb_queue);
	spin_unlock_irq(&pipe->lock);

	/* Without vblanks, compose now rather than never. */
	if (!vblank_ref)
		queue_work(pipe->composer_wq, &pipe->composer_work);
	else
		verso_crtc_kick(pipe);
}

/* Wait for a running composition, e.g. before its states are freed. */
void verso_composer_flush(struct verso_pipe *pipe)
{
	flush_work(&pipe->composer_work);
}

/* Complete all queued writeback jobs, when no vblank will come. */
void verso_composer_drain(struct verso_pipe *pipe)
{
	bool pending;

	do {
		spin_lock_irq(&pipe->lock);
		pending = !list_empty(&pipe->wb_queue);
		spin_unlock_irq(&pipe->lock);

		if (pending)
			queue_work(pipe->composer_wq, &pipe->composer_work);
		flush_work(&pipe->composer_work);
	} while (pending);
}

static const char *const verso_crc_sources[] = { "auto" };

const char *const *verso_get_crc_sources(struct drm_crtc *crtc, size_t *count)
{
	*count = ARRAY_SIZE(verso_crc_sources);
	return verso_crc_sources;
}

static int verso_crc_parse(const char *source, bool *enable)
{
	*enable = source && !strcmp(source, "auto");
	if (source && !*enable)
		return -EINVAL;
	return 0;
}

int verso_verify_crc_source(struct drm_crtc *crtc, const char *source,
			    size_t *values_cnt)
{
	bool enable;

	if (verso_crc_parse(source, &enable)) {
		drm_dbg_driver(crtc->dev, "unknown CRC source %s\n", source);
		return -EINVAL;
	}

	*values_cnt = 1;
	return 0;
}

int verso_set_crc_source(struct drm_crtc *crtc, const char *source)
{
	struct verso_pipe *pipe = crtc_to_verso_pipe(crtc);
	bool enable, had_ref, want_ref;
	int ret;

	ret = verso_crc_parse(source, &enable);
	if (ret)
		return ret;

	/* Vblank references are taken outside the lock the timer takes. */
	want_ref = enable && drm_crtc_vblank_get(crtc) == 0;

	spin_lock_irq(&pipe->lock);
	had_ref = pipe->crc_vblank_ref;
	pipe->crc_enabled = enable;
	pipe->crc_vblank_ref = want_ref;
	pipe->crc_pending = false;
	spin_unlock_irq(&pipe->lock);

	if (had_ref)
		drm_crtc_vblank_put(crtc);
	if (want_ref)
		verso_crtc_kick(pipe);

	return 0;
}

static void verso_composer_release(struct drm_device *drm, void *data)
{
	struct verso_pipe *pipe = data;

	destroy_workqueue(pipe->composer_wq);
}

int verso_composer_init(struct verso_pipe *pipe)
{
	INIT_LIST_HEAD(&pipe->wb_queue);
	INIT_WORK(&pipe->composer_work, verso_composer_work);

	pipe->composer_wq = alloc_ordered_workqueue("verso-composer-%u", 0,
						    pipe->index);
	if (!pipe->composer_wq)
		return -ENOMEM;

	return drmm_add_action_or_reset(&pipe->vdev->drm,
					verso_composer_release, pipe);
}
