// SPDX-License-Identifier: MIT
/*
 * Client authentication and DRM master, held to what IGT's core_auth and
 * core_setmaster require: clients of root are authenticated, magic tokens
 * are stable, unique and accepted exactly once by the master only; root and
 * the first unprivileged client can drop and set master, but a process that
 * merely shares a master's fd can do neither.
 */
#define _DEFAULT_SOURCE /* setgroups() */
#include <fcntl.h>
#include <grp.h>
#include <sys/stat.h>
#include <sys/wait.h>
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

/* The device node behind dev.fd, e.g. /dev/dri/card0. */
static void node_path(char *path, size_t len)
{
	char link[64];
	snprintf(link, sizeof(link), "/proc/self/fd/%d", dev.fd);
	ssize_t n = readlink(link, path, len - 1);
	assert_true(n > 0);
	path[n] = '\0';
	assert_int_equal(strncmp(path, "/dev/dri/card", 13), 0);
}

/* Becomes "nobody": no uid 0, no groups, no capabilities. */
static bool drop_root(void)
{
	return setgroups(0, NULL) == 0 && setgid(65534) == 0 &&
		setuid(65534) == 0 && geteuid() == 65534;
}

/*
 * IGT's check_drop_set: the only client of the device is master and can
 * drop and set master again. Also, another client that never was master
 * cannot take it. Returns 0, or the number of the step that failed.
 */
static int check_drop_set(const char *path, bool user)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return 1;
	if (!drmIsMaster(fd))
		return 2;
	if (user) {
		/* A second client, while the first is master. */
		int other = open(path, O_RDWR | O_CLOEXEC);
		if (other < 0)
			return 3;
		int ret = drmSetMaster(other) ? errno : 0;
		close(other);
		if (ret != EACCES)
			return 4;
	}
	if (drmDropMaster(fd) || drmIsMaster(fd))
		return 5;
	if (drmSetMaster(fd) || !drmIsMaster(fd))
		return 6;
	close(fd);
	return 0;
}

/* Runs @fn as "nobody" in a child; returns its exit status, or -1. */
static int run_as_user(int (*fn)(const char *, int), const char *path, int fd)
{
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0)
		_exit(drop_root() ? fn(path, fd) : 100);
	int status;
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/*
 * The suite's own fd is the master: it steps aside for these subtests, so
 * that the fd under test is the device's only master, and takes master back
 * after (root may always).
 */
static void step_aside(void)
{
	assert_int_equal(drmDropMaster(dev.fd), 0);
}

static void step_back(void)
{
	assert_int_equal(drmSetMaster(dev.fd), 0);
}

static void test_master_drop_set_root(void **state)
{
	char path[64];
	node_path(path, sizeof(path));
	step_aside();
	int step = check_drop_set(path, false);
	step_back();
	if (step)
		fail_msg("root: step %d failed (%s)", step, strerror(errno));
}

static int user_drop_set(const char *path, int fd)
{
	return check_drop_set(path, true);
}

static void test_master_drop_set_user(void **state)
{
	char path[64];
	struct stat st;
	node_path(path, sizeof(path));
	assert_int_equal(stat(path, &st), 0);
	/* A random user is not in the video group: let others open the node. */
	assert_int_equal(chmod(path, st.st_mode | S_IROTH | S_IWOTH), 0);
	step_aside();
	int status = run_as_user(user_drop_set, path, -1);
	step_back();
	assert_int_equal(chmod(path, st.st_mode & 07777), 0);
	if (status)
		fail_msg("user: %s %d", status == 100 ? "cannot drop root" :
			"step failed:", status);
}

/*
 * The arbitrator case (logind and a compositor): a process that inherits a
 * master fd is master through it, but may neither drop nor set master.
 */
static int shared_fd(const char *path, int fd)
{
	if (!drmIsMaster(fd))
		return 1;
	if (drmDropMaster(fd) != -1 || errno != EACCES)
		return 2;
	if (drmSetMaster(fd) != -1 || errno != EACCES)
		return 3;
	if (!drmIsMaster(fd))
		return 4;
	return 0;
}

static void test_master_drop_set_shared_fd(void **state)
{
	char path[64];
	node_path(path, sizeof(path));
	step_aside();
	int fd = open(path, O_RDWR | O_CLOEXEC);
	bool master = fd >= 0 && drmIsMaster(fd);
	int status = master ? run_as_user(shared_fd, path, fd) : -1;
	/* Still the master in the process that opened it. */
	bool still = fd >= 0 && drmIsMaster(fd);
	if (fd >= 0)
		close(fd);
	step_back();
	assert_true(master);
	assert_true(still);
	if (status)
		fail_msg("shared fd: %s %d", status == 100 ? "cannot drop root" :
			"step failed:", status);
}

static const struct CMUnitTest tests[] = {
	KMS_SUBTEST("core_auth/getclient-simple", test_getclient_simple),
	KMS_SUBTEST("core_auth/getclient-master-drop", test_getclient_master_drop),
	KMS_SUBTEST("core_auth/basic-auth", test_basic_auth),
	KMS_SUBTEST("core_auth/many-magics", test_many_magics),
	KMS_SUBTEST("core_setmaster/master-drop-set-root", test_master_drop_set_root),
	KMS_SUBTEST("core_setmaster/master-drop-set-user", test_master_drop_set_user),
	KMS_SUBTEST("core_setmaster/master-drop-set-shared-fd",
		test_master_drop_set_shared_fd),
};

KMS_SUITE_MAIN("core_auth", tests)
