// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <xf86drm.h>

#include "verso/drm-util.h"

int verso_connector_name(uint32_t type, uint32_t type_id, char *buf,
		size_t len)
{
	const char *type_name = drmModeGetConnectorTypeName(type);
	if (!type_name)
		return -EINVAL;
	return snprintf(buf, len, "%s-%u", type_name, type_id);
}

drmModeConnector *verso_find_connector(int fd, const char *name)
{
	drmModeRes *res = drmModeGetResources(fd);
	if (!res)
		return NULL;

	drmModeConnector *found = NULL;
	for (int i = 0; i < res->count_connectors && !found; i++) {
		drmModeConnector *conn = drmModeGetConnector(fd,
			res->connectors[i]);
		if (!conn)
			continue;
		char conn_name[32];
		int n = verso_connector_name(conn->connector_type,
			conn->connector_type_id, conn_name, sizeof(conn_name));
		if (n > 0 && strcmp(conn_name, name) == 0)
			found = conn;
		else
			drmModeFreeConnector(conn);
	}
	drmModeFreeResources(res);
	if (!found)
		errno = ENOENT;
	return found;
}

uint32_t verso_connector_crtc(int fd, const drmModeConnector *conn)
{
	if (conn->encoder_id == 0)
		return 0;
	drmModeEncoder *enc = drmModeGetEncoder(fd, conn->encoder_id);
	if (!enc)
		return 0;
	uint32_t crtc_id = enc->crtc_id;
	drmModeFreeEncoder(enc);
	if (crtc_id == 0)
		return 0;

	/* An encoder can stay bound to a CRTC that has been switched off. */
	drmModeCrtc *crtc = drmModeGetCrtc(fd, crtc_id);
	if (!crtc)
		return 0;
	int active = crtc->mode_valid;
	drmModeFreeCrtc(crtc);
	return active ? crtc_id : 0;
}

int verso_crtc_index(const drmModeRes *res, uint32_t crtc_id)
{
	for (int i = 0; i < res->count_crtcs; i++) {
		if (res->crtcs[i] == crtc_id)
			return i;
	}
	return -ENOENT;
}

uint32_t verso_prop_find(int fd, uint32_t obj_id, uint32_t obj_type,
		const char *name, uint64_t *value)
{
	drmModeObjectProperties *props = drmModeObjectGetProperties(fd, obj_id,
		obj_type);
	if (!props)
		return 0;

	uint32_t id = 0;
	for (uint32_t i = 0; i < props->count_props && !id; i++) {
		drmModePropertyRes *prop = drmModeGetProperty(fd,
			props->props[i]);
		if (!prop)
			continue;
		if (strcmp(prop->name, name) == 0) {
			id = prop->prop_id;
			if (value)
				*value = props->prop_values[i];
		}
		drmModeFreeProperty(prop);
	}
	drmModeFreeObjectProperties(props);
	return id;
}
