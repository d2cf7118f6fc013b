/* SPDX-License-Identifier: MIT */
/* Small libdrm helpers shared by versod, the tools and the tests. */
#ifndef VERSO_DRM_UTIL_H
#define VERSO_DRM_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <xf86drmMode.h>

/*
 * Formats a connector's kernel-style name, e.g. "DSI-2", from its type and
 * type id. Returns the length snprintf() would write (truncation when
 * >= len), or -EINVAL for an unknown connector type.
 */
int verso_connector_name(uint32_t type, uint32_t type_id, char *buf,
		size_t len);

/*
 * Finds the connector called name (e.g. "DSI-2") on the device. Returns it
 * (free with drmModeFreeConnector) or NULL with errno set: ENOENT when no
 * connector has that name.
 */
drmModeConnector *verso_find_connector(int fd, const char *name);

/* Returns the CRTC currently driving the connector, or 0 when it is off. */
uint32_t verso_connector_crtc(int fd, const drmModeConnector *conn);

/* Returns the index of crtc_id in the device's CRTC list, or -ENOENT. */
int verso_crtc_index(const drmModeRes *res, uint32_t crtc_id);

/*
 * Looks up a property of a KMS object by name. Returns its id (and current
 * value in *value when value is not NULL), or 0 when the object has none.
 */
uint32_t verso_prop_find(int fd, uint32_t obj_id, uint32_t obj_type,
		const char *name, uint64_t *value);

#endif /* VERSO_DRM_UTIL_H */
