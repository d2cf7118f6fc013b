/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The few DRM API differences between the supported kernels (6.1 and 6.12).
 */
#ifndef _VERSO_COMPAT_H_
#define _VERSO_COMPAT_H_

#include <linux/version.h>

#include <drm/drm_atomic.h>
#include <drm/drm_atomic_helper.h>
#include <drm/drm_writeback.h>

/* 6.8 turned the writeback encoder check into a connector check. */
static inline int verso_check_wb_state(struct drm_connector *connector,
				       struct drm_atomic_state *state)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 8, 0)
	return drm_atomic_helper_check_wb_connector_state(connector, state);
#else
	struct drm_writeback_connector *wb = drm_connector_to_writeback(connector);

	return drm_atomic_helper_check_wb_encoder_state(&wb->encoder,
			drm_atomic_get_new_connector_state(state, connector));
#endif
}

#endif /* _VERSO_COMPAT_H_ */
