// SPDX-License-Identifier: MIT
/*
 * Client authentication, held to what IGT's core_auth requires: clients of
 * root are authenticated, magic tokens are stable,
 * unique and accepted exactly once by the master only.
 */
#include <fcntl.h>
#include "kms-suite.h"

static bool authenticated(int fd)
{
	int auth = 0, pid = 0, uid = 0;
	unsigned long magic, iocs;
	if (drmGetClient(fd, 0, &auth, &pid, &uid, &magic, &iocs))
		return false;
	return auth && pid == getpid();
}

static void test_getclient_simple(void **state)
{
	int fd = kms_open_driver(dev.driver);
	assert_true(fd >= 0);
	assert_true(authenticated(fd));
	close(fd);
}

static void test_getclient_master_drop(void **state)
{
	int fd = kms_open_driver(dev.driver);
	int fd2 = kms_open_driver(dev.driver);
	assert_true(authenticated(fd2));
	close(fd);
	assert_true(authenticated(fd2));
	close(fd2);
}

static void test_basic_auth(void **state)
{
	int slave = kms_open_driver(dev.driver);
	assert_true(slave >= 0);
	assert_int_not_equal(drmSetMaster(slave), 0);
	drm_magic_t magic, again;
	assert_int_equal(drmGetMagic(slave, &magic), 0);
	assert_true(magic > 0);
	assert_int_equal(drmGetMagic(slave, &again), 0);
	assert_int_equal(magic, again);
	/* Only the master authenticates, and only once. */
	assert_int_not_equal(drmAuthMagic(slave, magic), 0);
	assert_int_equal(drmAuthMagic(dev.fd, magic), 0);
	assert_int_not_equal(drmAuthMagic(dev.fd, magic), 0);
	assert_int_equal(drmGetMagic(slave, &again), 0);
	assert_int_equal(magic, again);
	/* A magic nobody holds. */
	assert_int_not_equal(drmAuthMagic(dev.fd, 0x7ffffff0), 0);
	close(slave);
}

static int cmp_magic(const void *a, const void *b)
{
	drm_magic_t x = *(const drm_magic_t *)a, y = *(const drm_magic_t *)b;
	return x < y ? -1 : x > y;
}

static void test_many_magics(void **state)
{
	enum { N = 300 };
	static int fds[N];
	static drm_magic_t magics[N];
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", dev.fd);
	for (int i = 0; i < N; i++) {
		fds[i] = open(path, O_RDWR | O_CLOEXEC);
		assert_true(fds[i] >= 0);
		assert_int_not_equal(drmSetMaster(fds[i]), 0);
		assert_int_equal(drmGetMagic(fds[i], &magics[i]), 0);
		assert_true(magics[i] > 0);
	}
	drm_magic_t sorted[N];
	memcpy(sorted, magics, sizeof(sorted));
	qsort(sorted, N, sizeof(sorted[0]), cmp_magic);
	for (int i = 1; i < N; i++)
		assert_int_not_equal(sorted[i], sorted[i - 1]);
	for (int i = 0; i < N; i++)
		assert_int_equal(drmAuthMagic(dev.fd, magics[i]), 0);
	for (int i = 0; i < N; i++)
		close(fds[i]);
}

static const struct CMUnitTest tests[] = {
	KMS_SUBTEST("core_auth/getclient-simple", test_getclient_simple),
	KMS_SUBTEST("core_auth/getclient-master-drop", test_getclient_master_drop),
	KMS_SUBTEST("core_auth/basic-auth", test_basic_auth),
	KMS_SUBTEST("core_auth/many-magics", test_many_magics),
};

KMS_SUITE_MAIN("core_auth", tests)
