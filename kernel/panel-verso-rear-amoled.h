/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * verso rear AMOLED panel: what a display controller needs beyond the
 * drm_panel API. The panel driver binds to a DSI device named
 * VERSO_REAR_AMOLED_NAME (or to the DT compatibles of
 * Documentation/devicetree/bindings/display/panel/verso,rear-amoled.yaml).
 */
#ifndef _PANEL_VERSO_REAR_AMOLED_H_
#define _PANEL_VERSO_REAR_AMOLED_H_

#include <linux/types.h>

struct drm_display_mode;
struct drm_panel;
struct mipi_dsi_device;
struct verso_panel_fw;

/* DSI device and driver name: the bus matches them without OF. */
#define VERSO_REAR_AMOLED_NAME	"verso-rear-amoled"

int verso_rear_amoled_register(void);
void verso_rear_amoled_unregister(void);

/* The panel bound to @dsi, or NULL if the driver did not bind. */
struct drm_panel *verso_rear_amoled_get_panel(struct mipi_dsi_device *dsi);
/* The parsed firmware of @panel: modes and limits. */
const struct verso_panel_fw *verso_rear_amoled_fw(struct drm_panel *panel);
/* Name of the firmware @panel was loaded from. */
const char *verso_rear_amoled_fw_name(struct drm_panel *panel);
/*
 * Enter (@idle true) or leave panel idle mode: the firmware's IDLE_ENTER or
 * IDLE_EXIT sequence. Sleeps. Returns -EOPNOTSUPP without idle sequences and
 * -EAGAIN if the panel is not enabled.
 */
int verso_rear_amoled_set_idle(struct drm_panel *panel, bool idle);
void verso_rear_amoled_fw_mode(const struct verso_panel_fw *fw, unsigned int i,
			       struct drm_display_mode *mode);

#endif /* _PANEL_VERSO_REAR_AMOLED_H_ */
