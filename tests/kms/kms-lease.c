// SPDX-License-Identifier: MIT
/*
 * DRM leases of the rear pipe (how a compositor hands the cover display to
 * a client), held to what IGT's kms_lease requires: the lessee sees and
 * drives exactly its connector, CRTC and plane, cannot touch anything else,
 * the lessor lists, inspects and revokes the lease, and bad requests fail
 * with the errno of the DRM core. The test process is the DRM master.
 */
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include "kms-suite.h"

static int create_lease(const uint32_t *ids, uint32_t count, uint32_t flags,
	uint32_t *lessee_id)
{
	struct drm_mode_create_lease mcl = {
		.object_ids = (uintptr_t)ids, .object_count = count, .flags = flags,
	};
	if (drmIoctl(dev.fd, DRM_IOCTL_MODE_CREATE_LEASE, &mcl))
		return -errno;
	if (lessee_id)
		*lessee_id = mcl.lessee_id;
	return (int)mcl.fd;
}

static int pipe_lease(uint32_t *lessee_id)
{
	uint32_t ids[3] = { pipe0.conn_id, pipe0.crtc_id, pipe0.primary };
	int fd = create_lease(ids, 3, O_CLOEXEC, lessee_id);
	if (fd < 0)
		fail_msg("CREATE_LEASE: %s", strerror(-fd));
	drmSetClientCap(fd, DRM_CLIENT_CAP_UNIVERSAL_PLANES, 1);
	drmSetClientCap(fd, DRM_CLIENT_CAP_ATOMIC, 1);
	return fd;
}

/* Another connector / CRTC than the leased pipe's, or 0. */
static uint32_t other_object(bool crtc)
{
	drmModeRes *res = drmModeGetResources(dev.fd);
	uint32_t found = 0;
	int n = crtc ? res->count_crtcs : res->count_connectors;
	for (int i = 0; i < n && !found; i++) {
		uint32_t id = crtc ? res->crtcs[i] : res->connectors[i];
		if (id != (crtc ? pipe0.crtc_id : pipe0.conn_id))
			found = id;
	}
	drmModeFreeResources(res);
	return found;
}

static void test_simple_lease(void **state)
{
	uint32_t lessee_id;
	int lfd = pipe_lease(&lessee_id);
	assert_true(lessee_id != 0);
	/* The lessee sees its own objects only. */
	drmModeRes *res = drmModeGetResources(lfd);
	assert_non_null(res);
	assert_int_equal(res->count_crtcs, 1);
	assert_int_equal(res->crtcs[0], pipe0.crtc_id);
	assert_int_equal(res->count_connectors, 1);
	assert_int_equal(res->connectors[0], pipe0.conn_id);
	drmModeFreeResources(res);
	drmModePlaneRes *pr = drmModeGetPlaneResources(lfd);
	assert_int_equal(pr->count_planes, 1);
	assert_int_equal(pr->planes[0], pipe0.primary);
	drmModeFreePlaneResources(pr);
	/* And drives them: a modeset and a flip. */
	struct kms_fb fb[2];
	int master_fd = dev.fd;
	dev.fd = lfd;
	make_fb(pipe0.mode.hdisplay, pipe0.mode.vdisplay, DRM_FORMAT_XRGB8888,
		0xff00ff00, &fb[0]);
	make_fb(pipe0.mode.hdisplay, pipe0.mode.vdisplay, DRM_FORMAT_XRGB8888,
		0xffff00ff, &fb[1]);
	int ret = kms_pipe_enable(lfd, &pipe0, NULL, fb[0].fb_id);
	dev.fd = master_fd;
	assert_int_equal(ret, 0);
	assert_int_equal(kms_get_prop(dev.fd, pipe0.crtc_id, DRM_MODE_OBJECT_CRTC,
		"ACTIVE", 0), 1);
	assert_int_equal(kms_get_prop(dev.fd, pipe0.primary, DRM_MODE_OBJECT_PLANE,
		"FB_ID", 0), fb[0].fb_id);
	assert_int_equal(drmModePageFlip(lfd, pipe0.crtc_id, fb[1].fb_id,
		DRM_MODE_PAGE_FLIP_EVENT, NULL), 0);
	drmEventContext ev = { .version = 2 };
	assert_int_equal(kms_handle_event(lfd, &ev, 2000), 0);
	/* The lessee's framebuffers stay the lessee's. */
	assert_int_equal(drmModeRmFB(dev.fd, fb[1].fb_id), -ENOENT);
	dev.fd = lfd;
	kms_fb_destroy(lfd, &fb[0]);
	kms_fb_destroy(lfd, &fb[1]);
	dev.fd = master_fd;
	close(lfd);
}

static void test_lease_get(void **state)
{
	int lfd = pipe_lease(NULL);
	uint32_t ids[8] = { 0 };
	struct drm_mode_get_lease mgl = { 0 };
	assert_int_equal(drmIoctl(lfd, DRM_IOCTL_MODE_GET_LEASE, &mgl), 0);
	assert_int_equal(mgl.count_objects, 3);
	mgl.objects_ptr = (uintptr_t)ids;
	assert_int_equal(drmIoctl(lfd, DRM_IOCTL_MODE_GET_LEASE, &mgl), 0);
	uint32_t want[3] = { pipe0.conn_id, pipe0.crtc_id, pipe0.primary };
	for (int w = 0; w < 3; w++) {
		bool found = false;
		for (int i = 0; i < 3; i++)
			found |= ids[i] == want[w];
		assert_true(found);
	}
	/* The master holds every object. */
	mgl = (struct drm_mode_get_lease){ 0 };
	assert_int_equal(drmIoctl(dev.fd, DRM_IOCTL_MODE_GET_LEASE, &mgl), 0);
	assert_true(mgl.count_objects > 3);
	close(lfd);
}

static void test_lessee_list(void **state)
{
	uint32_t lessee_id;
	int lfd = pipe_lease(&lessee_id);
	uint32_t ids[4] = { 0 };
	struct drm_mode_list_lessees mll = { .count_lessees = 4,
		.lessees_ptr = (uintptr_t)ids };
	assert_int_equal(drmIoctl(dev.fd, DRM_IOCTL_MODE_LIST_LESSEES, &mll), 0);
	assert_int_equal(mll.count_lessees, 1);
	assert_int_equal(ids[0], lessee_id);
	/* A lessee has no lessees. */
	mll = (struct drm_mode_list_lessees){ 0 };
	assert_int_equal(drmIoctl(lfd, DRM_IOCTL_MODE_LIST_LESSEES, &mll), 0);
	assert_int_equal(mll.count_lessees, 0);
	close(lfd);
	/* Closing the lessee ends the lease. */
	mll = (struct drm_mode_list_lessees){ 0 };
	assert_int_equal(drmIoctl(dev.fd, DRM_IOCTL_MODE_LIST_LESSEES, &mll), 0);
	assert_int_equal(mll.count_lessees, 0);
}

static void test_lease_revoke(void **state)
{
	uint32_t lessee_id;
	int lfd = pipe_lease(&lessee_id);
	struct kms_fb fb;
	light_pipe(0xff0000ff, &fb);
	struct drm_mode_revoke_lease mrl = { .lessee_id = lessee_id };
	assert_int_equal(drmIoctl(dev.fd, DRM_IOCTL_MODE_REVOKE_LEASE, &mrl), 0);
	/* The lessee sees nothing and can do nothing. */
	drmModeRes *res = drmModeGetResources(lfd);
	assert_non_null(res);
	assert_int_equal(res->count_crtcs, 0);
	assert_int_equal(res->count_connectors, 0);
	drmModeFreeResources(res);
	assert_int_equal(drmModeSetCrtc(lfd, pipe0.crtc_id, 0, 0, 0, NULL, 0, NULL),
		-ENOENT);
	/* No such lessee; and a lessee revokes nothing. */
	struct drm_mode_revoke_lease bogus = { .lessee_id = lessee_id + 1000 };
	assert_int_equal(drmIoctl(dev.fd, DRM_IOCTL_MODE_REVOKE_LEASE, &bogus), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(drmIoctl(lfd, DRM_IOCTL_MODE_REVOKE_LEASE, &mrl), -1);
	/* The master still drives the pipe. */
	assert_int_equal(kms_get_prop(dev.fd, pipe0.crtc_id, DRM_MODE_OBJECT_CRTC,
		"ACTIVE", 0), 1);
	/* The objects can be leased again. */
	int lfd2 = pipe_lease(NULL);
	close(lfd2);
	close(lfd);
	kms_fb_destroy(dev.fd, &fb);
}

static void test_lease_again(void **state)
{
	int lfd = pipe_lease(NULL);
	uint32_t ids[3] = { pipe0.conn_id, pipe0.crtc_id, pipe0.primary };
	assert_errno(create_lease(ids, 3, 0, NULL), EBUSY);
	/* A lessee cannot sub-lease. */
	struct drm_mode_create_lease mcl = { .object_ids = (uintptr_t)ids,
		.object_count = 3 };
	assert_int_equal(drmIoctl(lfd, DRM_IOCTL_MODE_CREATE_LEASE, &mcl), -1);
	assert_int_equal(errno, EINVAL);
	close(lfd);
	int lfd2 = create_lease(ids, 3, 0, NULL);
	assert_true(lfd2 >= 0);
	close(lfd2);
}

static void test_invalid_create_leases(void **state)
{
	uint32_t ids[4] = { pipe0.conn_id, pipe0.crtc_id, pipe0.primary };
	/* Objects that do not exist. */
	ids[0] = 0xdeadbeef;
	assert_errno(create_lease(ids, 3, 0, NULL), ENOENT); /* lease-invalid-connector */
	ids[0] = pipe0.conn_id;
	ids[1] = 0xdeadbeef;
	assert_errno(create_lease(ids, 3, 0, NULL), ENOENT); /* lease-invalid-crtc */
	ids[1] = pipe0.crtc_id;
	ids[2] = 0xdeadbeef;
	assert_errno(create_lease(ids, 3, 0, NULL), ENOENT); /* lease-invalid-plane */
	/* Incomplete: no connector, no CRTC, no plane. */
	uint32_t no_conn[2] = { pipe0.crtc_id, pipe0.primary };
	assert_errno(create_lease(no_conn, 2, 0, NULL), EINVAL);
	uint32_t no_crtc[2] = { pipe0.conn_id, pipe0.primary };
	assert_errno(create_lease(no_crtc, 2, 0, NULL), EINVAL);
	uint32_t no_plane[2] = { pipe0.conn_id, pipe0.crtc_id };
	assert_errno(create_lease(no_plane, 2, 0, NULL), EINVAL);
	/* A duplicate object, an object that cannot be leased, bad flags. */
	ids[2] = pipe0.primary;
	ids[3] = pipe0.crtc_id;
	assert_errno(create_lease(ids, 4, 0, NULL), ENOSPC);
	struct kms_fb fb;
	make_fb(64, 64, DRM_FORMAT_XRGB8888, 0, &fb);
	ids[3] = fb.fb_id;
	assert_errno(create_lease(ids, 4, 0, NULL), EINVAL);
	kms_fb_destroy(dev.fd, &fb);
	assert_errno(create_lease(ids, 3, O_RDWR | O_APPEND, NULL), EINVAL);
	/* A client that is not master. */
	int fd2 = kms_open_driver(dev.driver);
	struct drm_mode_create_lease mcl = { .object_ids = (uintptr_t)ids,
		.object_count = 3 };
	assert_int_equal(drmIoctl(fd2, DRM_IOCTL_MODE_CREATE_LEASE, &mcl), -1);
	assert_int_equal(errno, EACCES);
	close(fd2);
}

static void test_empty_lease(void **state)
{
	int lfd = create_lease(NULL, 0, 0, NULL);
	assert_true(lfd >= 0);
	drmModeRes *res = drmModeGetResources(lfd);
	assert_non_null(res);
	assert_int_equal(res->count_crtcs, 0);
	assert_int_equal(res->count_connectors, 0);
	drmModeFreeResources(res);
	close(lfd);
}

/* The lessee cannot use the CRTC or connector it was not given. */
static void test_unleased(bool crtc)
{
	uint32_t other = other_object(crtc);
	if (!other)
		skip();
	int lfd = pipe_lease(NULL);
	struct kms_fb fb;
	make_fb(pipe0.mode.hdisplay, pipe0.mode.vdisplay, DRM_FORMAT_XRGB8888, 0, &fb);
	uint32_t conn = crtc ? pipe0.conn_id : other;
	int ret = drmModeSetCrtc(lfd, crtc ? other : pipe0.crtc_id, fb.fb_id, 0, 0,
		&conn, 1, &pipe0.mode);
	assert_int_equal(ret, -ENOENT);
	assert_null(crtc ? (void *)drmModeGetCrtc(lfd, other) :
		(void *)drmModeGetConnector(lfd, other));
	kms_fb_destroy(dev.fd, &fb);
	close(lfd);
}

static void test_unleased_connector(void **state)
{
	test_unleased(false);
}

static void test_unleased_crtc(void **state)
{
	test_unleased(true);
}

/* The lessee sees its CRTC as the first one: possible_crtcs is renumbered. */
static void test_possible_crtcs_filtering(void **state)
{
	int lfd = pipe_lease(NULL);
	drmModePlane *plane = drmModeGetPlane(lfd, pipe0.primary);
	assert_non_null(plane);
	assert_int_equal(plane->possible_crtcs, 1);
	drmModeFreePlane(plane);
	plane = drmModeGetPlane(dev.fd, pipe0.primary);
	assert_int_equal(plane->possible_crtcs, 1u << pipe0.crtc_index);
	drmModeFreePlane(plane);
	close(lfd);
}

/* Without universal planes the CRTC brings its primary and cursor along. */
static void test_implicit_plane_lease(void **state)
{
	assert_int_equal(drmSetClientCap(dev.fd, DRM_CLIENT_CAP_ATOMIC, 0), 0);
	assert_int_equal(drmSetClientCap(dev.fd, DRM_CLIENT_CAP_UNIVERSAL_PLANES, 0), 0);
	uint32_t ids[2] = { pipe0.conn_id, pipe0.crtc_id };
	int lfd = create_lease(ids, 2, 0, NULL);
	drmSetClientCap(dev.fd, DRM_CLIENT_CAP_UNIVERSAL_PLANES, 1);
	drmSetClientCap(dev.fd, DRM_CLIENT_CAP_ATOMIC, 1);
	assert_true(lfd >= 0);
	drmSetClientCap(lfd, DRM_CLIENT_CAP_UNIVERSAL_PLANES, 1);
	drmModePlaneRes *pr = drmModeGetPlaneResources(lfd);
	uint32_t expect = pipe0.cursor ? 2 : 1;
	assert_int_equal(pr->count_planes, expect);
	bool primary = false;
	for (uint32_t i = 0; i < pr->count_planes; i++)
		primary |= pr->planes[i] == pipe0.primary;
	assert_true(primary);
	drmModeFreePlaneResources(pr);
	/* The legacy cursor works on the implicitly leased cursor plane. */
	if (pipe0.cursor)
		assert_int_equal(drmModeSetCursor(lfd, pipe0.crtc_id, 0, 0, 0), 0);
	close(lfd);
}

/* A lease without the cursor plane: the legacy cursor ioctl is refused. */
static void test_cursor_implicit_plane(void **state)
{
	if (!pipe0.cursor)
		skip();
	int lfd = pipe_lease(NULL);
	struct kms_fb fb;
	int master = dev.fd;
	dev.fd = lfd;
	make_fb(pipe0.mode.hdisplay, pipe0.mode.vdisplay, DRM_FORMAT_XRGB8888, 0, &fb);
	int ret = kms_pipe_enable(lfd, &pipe0, NULL, fb.fb_id);
	int cur = drmModeSetCursor(lfd, pipe0.crtc_id, 0, 0, 0);
	kms_fb_destroy(lfd, &fb);
	dev.fd = master;
	assert_int_equal(ret, 0);
	assert_int_equal(cur, -EACCES);
	close(lfd);
}

/* A lease with another plane than the primary: legacy SetCrtc is refused. */
static void test_setcrtc_implicit_plane(void **state)
{
	if (!pipe0.overlay)
		skip();
	uint32_t ids[3] = { pipe0.conn_id, pipe0.crtc_id, pipe0.overlay };
	int lfd = create_lease(ids, 3, 0, NULL);
	assert_true(lfd >= 0);
	struct kms_fb fb;
	make_fb(pipe0.mode.hdisplay, pipe0.mode.vdisplay, DRM_FORMAT_XRGB8888, 0, &fb);
	assert_int_equal(drmModeSetCrtc(lfd, pipe0.crtc_id, fb.fb_id, 0, 0,
		&pipe0.conn_id, 1, &pipe0.mode), -EACCES);
	/* Turning the CRTC off needs no plane. */
	assert_int_equal(drmModeSetCrtc(lfd, pipe0.crtc_id, 0, 0, 0, NULL, 0, NULL), 0);
	kms_fb_destroy(dev.fd, &fb);
	close(lfd);
}

/* The lease follows its lessor's mastership. */
static void test_master_vs_lease(void **state)
{
	int lfd = pipe_lease(NULL);
	assert_int_equal(drmDropMaster(dev.fd), 0);
	int off = drmModeSetCrtc(lfd, pipe0.crtc_id, 0, 0, 0, NULL, 0, NULL);
	int drop = drmDropMaster(lfd) ? errno : 0;
	assert_int_equal(drmSetMaster(dev.fd), 0);
	assert_int_equal(off, -EACCES);
	assert_int_equal(drop, EINVAL);
	assert_int_equal(drmModeSetCrtc(lfd, pipe0.crtc_id, 0, 0, 0, NULL, 0, NULL), 0);
	close(lfd);
}

/*
 * Kernel uevents straight from netlink (the kernel's multicast group 1):
 * no udevd needed, and what udevd would see.
 */
static int uevent_open(void)
{
	int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
		NETLINK_KOBJECT_UEVENT);
	struct sockaddr_nl addr = { .nl_family = AF_NETLINK, .nl_groups = 1 };
	if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof(addr)))
		fail_msg("uevent socket: %s", strerror(errno));
	return fd;
}

/*
 * Waits up to @timeout_ms for a "change" uevent of this card that carries
 * @key ("LEASE=1"); other uevents are skipped. Returns whether one came.
 */
static bool uevent_wait(int fd, const char *key, int timeout_ms)
{
	char devname[32];
	snprintf(devname, sizeof(devname), "DEVNAME=dri/card%d", dev.minor);
	uint64_t end = kms_now_ns() + (uint64_t)timeout_ms * 1000000;
	for (;;) {
		uint64_t now = kms_now_ns();
		if (now >= end)
			return false;
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		if (poll(&pfd, 1, (int)((end - now) / 1000000) + 1) <= 0)
			continue;
		char buf[8192];
		ssize_t n = recv(fd, buf, sizeof(buf) - 1, 0);
		if (n <= 0)
			continue;
		buf[n] = '\0';
		bool change = false, drm = false, card = false, found = false;
		/* "ACTION@DEVPATH", then NUL-separated KEY=VALUE fields. */
		for (char *f = buf; f < buf + n; f += strlen(f) + 1) {
			change |= strcmp(f, "ACTION=change") == 0;
			drm |= strcmp(f, "SUBSYSTEM=drm") == 0;
			card |= strcmp(f, devname) == 0;
			found |= strcmp(f, key) == 0;
		}
		if (change && drm && card && found)
			return true;
	}
}

static void uevent_drain(int fd)
{
	char buf[8192];
	while (recv(fd, buf, sizeof(buf), 0) > 0)
		;
}

static uint32_t count_lessees(void)
{
	struct drm_mode_list_lessees mll = { 0 };
	assert_int_equal(drmIoctl(dev.fd, DRM_IOCTL_MODE_LIST_LESSEES, &mll), 0);
	return mll.count_lessees;
}

/*
 * The end of a lease is announced by a uevent with LEASE=1, so that the
 * lessor (a compositor) looks at its lessee list again. The DRM core sends
 * it when the lessee goes away (its last fd is closed), not on creation and
 * not on revocation, which only empties the lease.
 */
static void test_lease_uevent(void **state)
{
	int ufd = uevent_open();
	uevent_drain(ufd);

	int lfd = pipe_lease(NULL);
	assert_false(uevent_wait(ufd, "LEASE=1", 300));
	assert_int_equal(count_lessees(), 1);
	close(lfd);
	assert_true(uevent_wait(ufd, "LEASE=1", 5000));
	assert_int_equal(count_lessees(), 0);

	/* Revoked: the lessee is no longer listed, and leaves on close. */
	uint32_t lessee_id;
	lfd = pipe_lease(&lessee_id);
	uevent_drain(ufd);
	struct drm_mode_revoke_lease mrl = { .lessee_id = lessee_id };
	assert_int_equal(drmIoctl(dev.fd, DRM_IOCTL_MODE_REVOKE_LEASE, &mrl), 0);
	assert_int_equal(count_lessees(), 0);
	assert_false(uevent_wait(ufd, "LEASE=1", 300));
	close(lfd);
	assert_true(uevent_wait(ufd, "LEASE=1", 5000));
	close(ufd);
}

static const struct CMUnitTest tests[] = {
	KMS_SUBTEST("kms_lease/simple-lease", test_simple_lease),
	KMS_SUBTEST("kms_lease/lease-get", test_lease_get),
	KMS_SUBTEST("kms_lease/lessee-list", test_lessee_list),
	KMS_SUBTEST("kms_lease/lease-revoke", test_lease_revoke),
	KMS_SUBTEST("kms_lease/lease-again", test_lease_again),
	KMS_SUBTEST("kms_lease/invalid-create-leases", test_invalid_create_leases),
	KMS_SUBTEST("kms_lease/empty-lease", test_empty_lease),
	KMS_SUBTEST("kms_lease/lease-unleased-connector", test_unleased_connector),
	KMS_SUBTEST("kms_lease/lease-unleased-crtc", test_unleased_crtc),
	KMS_SUBTEST("kms_lease/possible-crtcs-filtering", test_possible_crtcs_filtering),
	KMS_SUBTEST("kms_lease/implicit-plane-lease", test_implicit_plane_lease),
	KMS_SUBTEST("kms_lease/cursor-implicit-plane", test_cursor_implicit_plane),
	KMS_SUBTEST("kms_lease/setcrtc-implicit-plane", test_setcrtc_implicit_plane),
	KMS_SUBTEST("kms_lease/master-vs-lease", test_master_vs_lease),
	KMS_SUBTEST("kms_lease/lease-uevent", test_lease_uevent),
};

KMS_SUITE_MAIN("kms_lease", tests)
