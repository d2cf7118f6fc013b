// SPDX-License-Identifier: MIT
/*
 * Properties and property blobs, held to what IGT's kms_properties and
 * kms_prop_blob require: every property of every plane, CRTC and connector
 * can be set to its current value (legacy and atomic), immutable ones
 * refuse, atomic-only ones hide from legacy clients, wrong objects and ids
 * fail with EINVAL/ENOENT, and blobs have the documented lifetime. The rear
 * panel's own properties (non-desktop, vrr_capable, panel orientation,
 * VRR_ENABLED) are checked on verso.
 */
#include <sys/wait.h>
#include "kms-suite.h"

static int set_legacy(uint32_t obj, uint32_t type, uint32_t prop, uint64_t v)
{
	return drmModeObjectSetProperty(dev.fd, obj, type, prop, v) ? -errno : 0;
}

static int set_atomic(uint32_t obj, uint32_t prop, uint64_t v)
{
	drmModeAtomicReq *req = drmModeAtomicAlloc();
	drmModeAtomicAddProperty(req, obj, prop, v);
	int ret = kms_commit(dev.fd, req, DRM_MODE_ATOMIC_ALLOW_MODESET);
	drmModeAtomicFree(req);
	return ret;
}

/* Every property set to its own value: accepted, unless immutable. */
static void object_props(uint32_t obj, uint32_t type, bool atomic)
{
	drmModeObjectProperties *props = drmModeObjectGetProperties(dev.fd, obj, type);
	assert_non_null(props);
	assert_true(props->count_props > 0);
	for (uint32_t i = 0; i < props->count_props; i++) {
		drmModePropertyPtr p = drmModeGetProperty(dev.fd, props->props[i]);
		assert_non_null(p);
		uint64_t v = props->prop_values[i];
		/* Pointers and fds are inputs, not state: skip them. */
		bool input = !strcmp(p->name, "OUT_FENCE_PTR") ||
			(atomic && !strcmp(p->name, "DPMS")) || /* legacy only */
			!strcmp(p->name, "IN_FENCE_FD") ||
			!strcmp(p->name, "WRITEBACK_OUT_FENCE_PTR");
		if (input) {
			drmModeFreeProperty(p);
			continue;
		}
		int ret = atomic ? set_atomic(obj, p->prop_id, v) :
			set_legacy(obj, type, p->prop_id, v);
		bool immutable = p->flags & DRM_MODE_PROP_IMMUTABLE;
		if (immutable ? ret != -EINVAL : ret != 0)
			fail_msg("%s %s of object %u = %llu: %d, expected %s",
				atomic ? "atomic" : "legacy", p->name, obj,
				(unsigned long long)v, ret, immutable ? "EINVAL" : "0");
		/* Enum values are listed, ranges hold their value. */
		if (drm_property_type_is(p, DRM_MODE_PROP_ENUM)) {
			bool listed = false;
			for (int e = 0; e < p->count_enums; e++)
				listed |= p->enums[e].value == v;
			if (!listed)
				fail_msg("%s = %llu is not one of its enums", p->name,
					(unsigned long long)v);
		}
		if (drm_property_type_is(p, DRM_MODE_PROP_RANGE) && p->count_values == 2)
			assert_true(v >= p->values[0] && v <= p->values[1]);
		drmModeFreeProperty(p);
	}
	drmModeFreeObjectProperties(props);
}

static void all_objects(uint32_t type, bool atomic)
{
	struct kms_fb fb;
	light_pipe(0xff405060, &fb);
	if (type == DRM_MODE_OBJECT_PLANE) {
		drmModePlaneRes *pr = drmModeGetPlaneResources(dev.fd);
		for (uint32_t i = 0; i < pr->count_planes; i++)
			object_props(pr->planes[i], type, atomic);
		drmModeFreePlaneResources(pr);
	} else {
		drmModeRes *res = drmModeGetResources(dev.fd);
		if (type == DRM_MODE_OBJECT_CRTC)
			for (int i = 0; i < res->count_crtcs; i++)
				object_props(res->crtcs[i], type, atomic);
		else
			for (int i = 0; i < res->count_connectors; i++)
				object_props(res->connectors[i], type, atomic);
		drmModeFreeResources(res);
	}
	kms_fb_destroy(dev.fd, &fb);
}

static void test_plane_legacy(void **state) { all_objects(DRM_MODE_OBJECT_PLANE, false); }
static void test_plane_atomic(void **state) { all_objects(DRM_MODE_OBJECT_PLANE, true); }
static void test_crtc_legacy(void **state) { all_objects(DRM_MODE_OBJECT_CRTC, false); }
static void test_crtc_atomic(void **state) { all_objects(DRM_MODE_OBJECT_CRTC, true); }
static void test_connector_legacy(void **state) { all_objects(DRM_MODE_OBJECT_CONNECTOR, false); }
static void test_connector_atomic(void **state) { all_objects(DRM_MODE_OBJECT_CONNECTOR, true); }

/* Atomic-only properties are hidden from clients without the atomic cap. */
static void test_get_properties_sanity(void **state)
{
	int fd2 = kms_open_driver(dev.driver);
	assert_true(fd2 >= 0);
	drmSetClientCap(fd2, DRM_CLIENT_CAP_UNIVERSAL_PLANES, 1);
	assert_false(kms_has_prop(fd2, pipe0.crtc_id, DRM_MODE_OBJECT_CRTC, "ACTIVE"));
	assert_false(kms_has_prop(fd2, pipe0.primary, DRM_MODE_OBJECT_PLANE, "FB_ID"));
	assert_false(kms_has_prop(fd2, pipe0.conn_id, DRM_MODE_OBJECT_CONNECTOR, "CRTC_ID"));
	assert_true(kms_has_prop(fd2, pipe0.primary, DRM_MODE_OBJECT_PLANE, "type"));
	assert_int_equal(drmSetClientCap(fd2, DRM_CLIENT_CAP_ATOMIC, 1), 0);
	assert_true(kms_has_prop(fd2, pipe0.crtc_id, DRM_MODE_OBJECT_CRTC, "ACTIVE"));
	assert_true(kms_has_prop(fd2, pipe0.primary, DRM_MODE_OBJECT_PLANE, "FB_ID"));
	assert_true(kms_has_prop(fd2, pipe0.conn_id, DRM_MODE_OBJECT_CONNECTOR, "CRTC_ID"));
	close(fd2);
	/* Without universal planes, the planes list holds overlays only. */
	fd2 = kms_open_driver(dev.driver);
	drmModePlaneRes *pr = drmModeGetPlaneResources(fd2);
	for (uint32_t i = 0; i < pr->count_planes; i++)
		assert_int_equal(kms_get_prop(dev.fd, pr->planes[i],
			DRM_MODE_OBJECT_PLANE, "type", 99), DRM_PLANE_TYPE_OVERLAY);
	drmModeFreePlaneResources(pr);
	close(fd2);
}

static void test_invalid_properties(void **state)
{
	uint32_t plane_fb = kms_prop_id(dev.fd, pipe0.primary, DRM_MODE_OBJECT_PLANE, "FB_ID");
	uint32_t crtc_active = kms_prop_id(dev.fd, pipe0.crtc_id, DRM_MODE_OBJECT_CRTC, "ACTIVE");
	/* A property of another object type. */
	assert_errno(set_legacy(pipe0.crtc_id, DRM_MODE_OBJECT_CRTC, plane_fb, 0), EINVAL);
	assert_errno(set_legacy(pipe0.primary, DRM_MODE_OBJECT_PLANE, crtc_active, 0), EINVAL);
	assert_errno(set_atomic(pipe0.crtc_id, plane_fb, 0), ENOENT);
	/* Ids that are no property / no object. */
	assert_errno(set_legacy(pipe0.primary, DRM_MODE_OBJECT_PLANE, 0xdeadbeef, 0), EINVAL);
	assert_errno(set_atomic(pipe0.primary, 0xdeadbeef, 0), ENOENT);
	assert_errno(set_legacy(0xdeadbeef, DRM_MODE_OBJECT_PLANE, plane_fb, 0), ENOENT);
	/* A type that does not match the object. */
	assert_errno(set_legacy(pipe0.primary, DRM_MODE_OBJECT_CRTC, plane_fb, 0), ENOENT);
	/* Out-of-range enum and range values. */
	uint32_t rot = kms_prop_id(dev.fd, pipe0.primary, DRM_MODE_OBJECT_PLANE, "rotation");
	if (rot)
		assert_errno(set_atomic(pipe0.primary, rot, 1ull << 40), EINVAL);
	uint32_t zpos = kms_prop_id(dev.fd, pipe0.primary, DRM_MODE_OBJECT_PLANE, "zpos");
	if (zpos)
		assert_errno(set_atomic(pipe0.primary, zpos, 1000), EINVAL);
	uint32_t dpms = kms_prop_id(dev.fd, pipe0.conn_id, DRM_MODE_OBJECT_CONNECTOR, "DPMS");
	assert_true(dpms != 0);
	/* DPMS is legacy-only: atomic commits may not write it. */
	assert_errno(set_atomic(pipe0.conn_id, dpms, 0), EINVAL);
}

/* The rear panel's own properties. */
static void test_rear_connector_props(void **state)
{
	if (!dev.is_verso)
		skip();
	const uint32_t C = DRM_MODE_OBJECT_CONNECTOR;
	assert_int_equal(kms_get_prop(dev.fd, pipe0.conn_id, C, "non-desktop", 9), 1);
	assert_int_equal(kms_get_prop(dev.fd, pipe0.conn_id, C, "vrr_capable", 9), 1);
	uint32_t id = kms_prop_id(dev.fd, pipe0.conn_id, C, "panel orientation");
	assert_true(id != 0);
	drmModePropertyPtr p = drmModeGetProperty(dev.fd, id);
	assert_true(p->flags & DRM_MODE_PROP_IMMUTABLE);
	uint64_t v = kms_get_prop(dev.fd, pipe0.conn_id, C, "panel orientation", 99);
	const char *name = NULL;
	for (int e = 0; e < p->count_enums; e++)
		if (p->enums[e].value == v)
			name = p->enums[e].name;
	assert_non_null(name);
	printf("# %s panel orientation: %s\n", pipe0.name, name);
	drmModeFreeProperty(p);
	assert_true(kms_has_prop(dev.fd, pipe0.crtc_id, DRM_MODE_OBJECT_CRTC,
		"VRR_ENABLED"));
	/* The main display is an ordinary desktop output without VRR. */
	drmModeConnector *main_conn = kms_find_connector(dev.fd, "DSI-1");
	assert_non_null(main_conn);
	assert_int_equal(kms_get_prop(dev.fd, main_conn->connector_id, C,
		"non-desktop", 0), 0);
	assert_int_equal(kms_get_prop(dev.fd, main_conn->connector_id, C,
		"vrr_capable", 0), 0);
	drmModeFreeConnector(main_conn);
}

/* ---- kms_prop_blob ---- */

static const struct drm_mode_modeinfo blob_mode = {
	.clock = 1234, .hdisplay = 640, .hsync_start = 641, .hsync_end = 642,
	.htotal = 643, .vdisplay = 480, .vsync_start = 481, .vsync_end = 482,
	.vtotal = 483, .vrefresh = 60000, .name = "BLOBMODE",
};

static uint32_t blob_create(int fd)
{
	struct drm_mode_create_blob c = {
		.data = (uintptr_t)&blob_mode, .length = sizeof(blob_mode),
	};
	assert_int_equal(drmIoctl(fd, DRM_IOCTL_MODE_CREATEPROPBLOB, &c), 0);
	assert_true(c.blob_id != 0);
	return c.blob_id;
}

static int blob_destroy(int fd, uint32_t id)
{
	struct drm_mode_destroy_blob d = { .blob_id = id };
	return drmIoctl(fd, DRM_IOCTL_MODE_DESTROYPROPBLOB, &d) ? errno : 0;
}

/* 0 when the blob reads back intact, else the errno / EBADMSG. */
static int blob_check(int fd, uint32_t id)
{
	struct drm_mode_get_blob g = { .blob_id = id };
	if (drmIoctl(fd, DRM_IOCTL_MODE_GETPROPBLOB, &g))
		return errno;
	if (g.length != sizeof(blob_mode))
		return EMSGSIZE;
	struct drm_mode_modeinfo back;
	g.data = (uintptr_t)&back;
	if (drmIoctl(fd, DRM_IOCTL_MODE_GETPROPBLOB, &g))
		return errno;
	return memcmp(&back, &blob_mode, sizeof(back)) ? EBADMSG : 0;
}

static void test_blob_basic(void **state)
{
	uint32_t id = blob_create(dev.fd);
	assert_int_equal(blob_check(dev.fd, id), 0);
	assert_int_equal(blob_destroy(dev.fd, id), 0);
	assert_int_equal(blob_check(dev.fd, id), ENOENT);
	assert_int_equal(blob_destroy(dev.fd, id), ENOENT);
	assert_int_equal(blob_check(dev.fd, 0), ENOENT);
	assert_int_equal(blob_check(dev.fd, 0xffffffff), ENOENT);
}

static void test_blob_validate(void **state)
{
	char small[32] = { 0 };
	struct drm_mode_create_blob c = { .data = (uintptr_t)small, .length = 0x10000 };
	assert_int_equal(drmIoctl(dev.fd, DRM_IOCTL_MODE_CREATEPROPBLOB, &c), -1);
	assert_int_equal(errno, EFAULT);
	c.data = 0xdeadbeee;
	c.length = sizeof(blob_mode);
	assert_int_equal(drmIoctl(dev.fd, DRM_IOCTL_MODE_CREATEPROPBLOB, &c), -1);
	assert_int_equal(errno, EFAULT);
	c.length = 0;
	c.data = (uintptr_t)small;
	assert_int_equal(drmIoctl(dev.fd, DRM_IOCTL_MODE_CREATEPROPBLOB, &c), -1);
	assert_int_equal(errno, EINVAL);
	/* A short read buffer: the kernel reports the real length. */
	uint32_t id = blob_create(dev.fd);
	struct drm_mode_get_blob g = { .blob_id = id, .length = sizeof(small),
		.data = (uintptr_t)small };
	assert_int_equal(drmIoctl(dev.fd, DRM_IOCTL_MODE_GETPROPBLOB, &g), 0);
	assert_int_equal(g.length, sizeof(blob_mode));
	g.data = 0xdeadbeee;
	g.length = sizeof(blob_mode);
	assert_int_equal(drmIoctl(dev.fd, DRM_IOCTL_MODE_GETPROPBLOB, &g), -1);
	assert_int_equal(errno, EFAULT);
	assert_int_equal(blob_destroy(dev.fd, id), 0);
}

static void test_blob_lifetime(void **state)
{
	int fd2 = kms_open_driver(dev.driver);
	assert_true(fd2 >= 0);
	uint32_t id = blob_create(dev.fd);
	assert_int_equal(blob_check(fd2, id), 0);
	/* Visible to others, destroyable by the owner only. */
	assert_int_equal(blob_destroy(fd2, id), EPERM);
	uint32_t id2 = blob_create(fd2);
	assert_int_equal(blob_check(dev.fd, id2), 0);
	assert_int_equal(blob_destroy(fd2, id2), 0);
	assert_int_equal(blob_check(dev.fd, id2), ENOENT);
	/* Closing the owner's fd frees its blobs. */
	id2 = blob_create(fd2);
	close(fd2);
	assert_int_equal(blob_check(dev.fd, id2), ENOENT);
	assert_int_equal(blob_check(dev.fd, id), 0);
	assert_int_equal(blob_destroy(dev.fd, id), 0);
}

static void test_blob_multiple(void **state)
{
	int fd2 = kms_open_driver(dev.driver);
	uint32_t ids[5];
	for (int i = 0; i < 5; i++) {
		ids[i] = blob_create(fd2);
		assert_int_equal(blob_check(dev.fd, ids[i]), 0);
	}
	for (int i = 0; i < 5; i++) {
		assert_int_equal(blob_destroy(fd2, ids[i]), 0);
		assert_int_equal(blob_check(fd2, ids[i]), ENOENT);
	}
	for (int i = 0; i < 5; i++)
		ids[i] = blob_create(fd2);
	close(fd2);
	for (int i = 0; i < 5; i++)
		assert_int_equal(blob_check(dev.fd, ids[i]), ENOENT);
}

/* A blob is no object with properties. */
static void test_blob_invalid_prop(void **state)
{
	uint32_t id = blob_create(dev.fd);
	uint32_t prop_ids[1];
	uint64_t values[1];
	struct drm_mode_obj_get_properties get = {
		.props_ptr = (uintptr_t)prop_ids, .prop_values_ptr = (uintptr_t)values,
		.count_props = 1, .obj_id = id,
	};
	for (int any = 0; any < 2; any++) {
		get.obj_type = any ? DRM_MODE_OBJECT_ANY : DRM_MODE_OBJECT_BLOB;
		assert_int_equal(drmIoctl(dev.fd, DRM_IOCTL_MODE_OBJ_GETPROPERTIES, &get), -1);
		assert_int_equal(errno, EINVAL);
		struct drm_mode_obj_set_property set = {
			.value = 0, .prop_id = 1, .obj_id = id,
			.obj_type = any ? DRM_MODE_OBJECT_ANY : DRM_MODE_OBJECT_BLOB,
		};
		assert_int_equal(drmIoctl(dev.fd, DRM_IOCTL_MODE_OBJ_SETPROPERTY, &set), -1);
		assert_int_equal(errno, EINVAL);
	}
	assert_int_equal(blob_destroy(dev.fd, id), 0);
}

static const struct CMUnitTest tests[] = {
	KMS_SUBTEST("kms_properties/plane-properties-legacy", test_plane_legacy),
	KMS_SUBTEST("kms_properties/plane-properties-atomic", test_plane_atomic),
	KMS_SUBTEST("kms_properties/crtc-properties-legacy", test_crtc_legacy),
	KMS_SUBTEST("kms_properties/crtc-properties-atomic", test_crtc_atomic),
	KMS_SUBTEST("kms_properties/connector-properties-legacy", test_connector_legacy),
	KMS_SUBTEST("kms_properties/connector-properties-atomic", test_connector_atomic),
	KMS_SUBTEST("kms_properties/get_properties-sanity", test_get_properties_sanity),
	KMS_SUBTEST("kms_properties/invalid-properties", test_invalid_properties),
	KMS_SUBTEST("kms_properties/rear-connector-properties", test_rear_connector_props),
	KMS_SUBTEST("kms_prop_blob/basic", test_blob_basic),
	KMS_SUBTEST("kms_prop_blob/blob-prop-validate", test_blob_validate),
	KMS_SUBTEST("kms_prop_blob/blob-prop-lifetime", test_blob_lifetime),
	KMS_SUBTEST("kms_prop_blob/blob-multiple", test_blob_multiple),
	KMS_SUBTEST("kms_prop_blob/invalid-get-set-prop", test_blob_invalid_prop),
};

KMS_SUITE_MAIN("kms_properties", tests)
