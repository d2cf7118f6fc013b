// SPDX-License-Identifier: MIT
/*
 * versod: the rear-display compositor. Arguments, setup and the run loop.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <wlr/render/pixman.h>
#include <wlr/types/wlr_compositor.h>
#include <wlr/types/wlr_data_device.h>
#include <wlr/types/wlr_presentation_time.h>
#include <wlr/types/wlr_viewporter.h>
#include <wlr/util/log.h>
#include "dumb-alloc.h"
#include "lease.h"
#include "core/config.h"
#include "server.h"

static const char usage[] =
	"Usage: versod [options]\n"
	"\n"
	"The verso rear-display compositor. On KMS it lights only the rear\n"
	"connector: the one named with --output, else the non-desktop one,\n"
	"else the only DSI-2. Nested or headless it uses its single output.\n"
	"With --lease-from it leases that connector from the main compositor\n"
	"instead of being the DRM master itself.\n"
	"\n"
	"  -h, --help          Show this help and exit.\n"
	"  -o, --output NAME   Drive the connector NAME (also VERSOD_OUTPUT).\n"
	"  -l, --lease-from DISPLAY\n"
	"                      Lease the rear connector from the compositor at\n"
	"                      Wayland display DISPLAY (also VERSOD_LEASE_FROM).\n"
	"      --input-seat SEAT\n"
	"                      On a lease, take the touchscreen from the udev\n"
	"                      seat SEAT (ID_SEAT; default seat0; also\n"
	"                      VERSOD_INPUT_SEAT).\n"
	"  -c, --config PATH   Read PATH instead of the usual versod.conf;\n"
	"                      SIGHUP or a change of the file reloads it.\n"
	"  -s, --startup CMD   Run CMD with /bin/sh once the socket is up.\n"
	"      --system        Serve D-Bus on the system bus, not the session bus.\n"
	"  -d, --debug         Verbose logging.\n"
	"  -q, --quiet         Log errors only.\n";

static int handle_terminate(int signal, void *data) {
	struct verso_server *server = data;
	wlr_log(WLR_INFO, "Caught signal %d, exiting", signal);
	server->running = false;
	return 0;
}

static int handle_child(int signal, void *data) {
	int status;
	pid_t pid;
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if (WIFEXITED(status)) {
			wlr_log(WLR_INFO, "Child %d exited with status %d", (int)pid,
				WEXITSTATUS(status));
		} else if (WIFSIGNALED(status)) {
			wlr_log(WLR_INFO, "Child %d killed by signal %d", (int)pid,
				WTERMSIG(status));
		}
	}
	return 0;
}

static void spawn(const char *cmd) {
	pid_t pid = fork();
	if (pid < 0) {
		wlr_log_errno(WLR_ERROR, "fork");
		return;
	}
	if (pid == 0) {
		/* The event loop blocks the signals it handles; the child
		 * must not inherit that, nor the ignored SIGPIPE. */
		sigset_t set;
		sigemptyset(&set);
		sigprocmask(SIG_SETMASK, &set, NULL);
		signal(SIGPIPE, SIG_DFL);
		execl("/bin/sh", "/bin/sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	wlr_log(WLR_INFO, "Started '%s' as %d", cmd, (int)pid);
}

static void handle_lease_revoked(void *data) {
	struct verso_server *server = data;
	server->lease_lost = true;
	server->running = false;
}

static struct wlr_backend *create_backend(struct verso_server *server,
		const char *lease_from) {
	if (lease_from == NULL) {
		struct wlr_backend *backend =
			wlr_backend_autocreate(server->display);
		if (backend == NULL) {
			wlr_log(WLR_ERROR, "No backend (for KMS as root try "
				"LIBSEAT_BACKEND=builtin)");
		}
		return backend;
	}
	server->lease = lease_acquire(lease_from, server->output_name);
	if (server->lease == NULL) {
		return NULL;
	}
	return lease_backend_create(server->lease, server->display);
}

static struct wlr_renderer *create_renderer(struct wlr_backend *backend,
		enum verso_renderer choice) {
	/* WLR_RENDERER, wlroots' own switch, wins over the config. */
	bool from_config = getenv("WLR_RENDERER") == NULL;
	if (from_config && choice == VERSO_RENDERER_PIXMAN) {
		wlr_log(WLR_INFO, "Renderer: pixman, as the config asks");
		return wlr_pixman_renderer_create();
	}
	if (from_config && choice == VERSO_RENDERER_GLES2) {
		/* Only so that wlroots finds the device as it would for gles2;
		 * the clients versod starts must not inherit it. */
		setenv("WLR_RENDERER", "gles2", 1);
	}
	struct wlr_renderer *renderer = wlr_renderer_autocreate(backend);
	if (from_config) {
		unsetenv("WLR_RENDERER");
	}
	if (renderer != NULL) {
		return renderer;
	}
	/* An explicit WLR_RENDERER=gles2 without a usable GPU lands here. */
	wlr_log(WLR_ERROR, "Renderer creation failed, falling back to pixman");
	return wlr_pixman_renderer_create();
}

int main(int argc, char *argv[]) {
	struct verso_server server = { 0 };
	const char *startup = NULL;
	const char *config_path = NULL;
	const char *lease_from = NULL;
	const char *input_seat = NULL;
	char *config_output = NULL; /* output.name from the file */
	enum wlr_log_importance level = WLR_INFO;

	enum { OPT_SYSTEM = 256, OPT_INPUT_SEAT };
	static const struct option options[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "output", required_argument, NULL, 'o' },
		{ "lease-from", required_argument, NULL, 'l' },
		{ "input-seat", required_argument, NULL, OPT_INPUT_SEAT },
		{ "config", required_argument, NULL, 'c' },
		{ "startup", required_argument, NULL, 's' },
		{ "system", no_argument, NULL, OPT_SYSTEM },
		{ "debug", no_argument, NULL, 'd' },
		{ "quiet", no_argument, NULL, 'q' },
		{ 0 },
	};
	int c;
	while ((c = getopt_long(argc, argv, "ho:l:c:s:dq", options, NULL)) != -1) {
		switch (c) {
		case 'h':
			fputs(usage, stdout);
			return EXIT_SUCCESS;
		case 'o':
			server.output_name = optarg;
			break;
		case 'l':
			lease_from = optarg;
			break;
		case OPT_INPUT_SEAT:
			input_seat = optarg;
			break;
		case 'c':
			config_path = optarg;
			break;
		case 's':
			startup = optarg;
			break;
		case OPT_SYSTEM:
			server.system_bus = true;
			break;
		case 'd':
			level = WLR_DEBUG;
			break;
		case 'q':
			level = WLR_ERROR;
			break;
		default:
			fputs(usage, stderr);
			return EXIT_FAILURE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "versod: unexpected argument '%s'\n", argv[optind]);
		fputs(usage, stderr);
		return EXIT_FAILURE;
	}
	if (server.output_name == NULL) {
		const char *env = getenv("VERSOD_OUTPUT");
		server.output_name = env != NULL && env[0] != '\0' ? env : NULL;
	}
	if (lease_from == NULL) {
		const char *env = getenv("VERSOD_LEASE_FROM");
		lease_from = env != NULL && env[0] != '\0' ? env : NULL;
	}
	if (lease_from != NULL && lease_from[0] == '\0') {
		/* The service unit passes an unset WAYLAND_DISPLAY as "". */
		fprintf(stderr, "versod: --lease-from needs the main compositor's "
			"Wayland display name (is WAYLAND_DISPLAY set?)\n");
		return EXIT_FAILURE;
	}
	if (input_seat != NULL && lease_from == NULL) {
		fprintf(stderr, "versod: --input-seat is for --lease-from; "
			"otherwise the seat is the session's\n");
		return EXIT_FAILURE;
	}
	if (input_seat == NULL) {
		const char *env = getenv("VERSOD_INPUT_SEAT");
		input_seat = env != NULL && env[0] != '\0' ? env : "seat0";
	}

	wlr_log_init(level, NULL);
	verso_stats_init(&server.stats);
	/* A client that vanishes mid-write must not take versod with it. */
	signal(SIGPIPE, SIG_IGN);

	int ret = EXIT_FAILURE;
	server.display = wl_display_create();
	if (server.display == NULL) {
		wlr_log(WLR_ERROR, "Cannot create the Wayland display");
		return EXIT_FAILURE;
	}
	server.loop = wl_display_get_event_loop(server.display);
	if (!server_config_init(&server, config_path)) {
		wlr_log(WLR_ERROR, "Out of memory loading the config");
		goto out_display;
	}

	/* The file's connector, renderer and bus are read at start only, and
	 * the command line and environment win. A reload frees the config,
	 * so the name is copied. */
	const char *conf_name = server.config->output.name;
	if (server.output_name == NULL && conf_name != NULL &&
			conf_name[0] != '\0') {
		config_output = strdup(conf_name);
		server.output_name = config_output;
	}
	if (server.config->dbus == VERSO_DBUS_SYSTEM) {
		server.system_bus = true;
	}

	server.backend = create_backend(&server, lease_from);
	if (server.backend == NULL) {
		goto out_display;
	}
	server.renderer = create_renderer(server.backend, server.config->renderer);
	if (server.renderer == NULL) {
		wlr_log(WLR_ERROR, "No renderer");
		goto out_backend;
	}
	server.renderer_needs_finish =
		output_renderer_needs_finish(server.renderer);
	/* wl_shm, and linux-dmabuf when the renderer imports dmabufs. */
	wlr_renderer_init_wl_display(server.renderer, server.display);
	/* A lessee cannot authenticate the node wlroots would allocate on. */
	server.allocator = server.lease != NULL ?
		dumb_allocator_create(wlr_backend_get_drm_fd(server.backend)) :
		wlr_allocator_autocreate(server.backend, server.renderer);
	if (server.allocator == NULL) {
		wlr_log(WLR_ERROR, "No allocator");
		goto out_backend;
	}

	server.compositor = wlr_compositor_create(server.display,
		server.renderer);
	wlr_data_device_manager_create(server.display);
	wlr_viewporter_create(server.display);
	server.scene = wlr_scene_create();
	server.presentation = wlr_presentation_create(server.display,
		server.backend);
	if (server.compositor == NULL || server.scene == NULL ||
			server.presentation == NULL) {
		goto out_backend;
	}
	wlr_scene_set_presentation(server.scene, server.presentation);

	output_init(&server);
	shell_init(&server);
	input_init(&server);
	touch_init(&server);
	protocols_init(&server);
	power_init(&server);

	const char *socket = wl_display_add_socket_auto(server.display);
	if (socket == NULL) {
		wlr_log(WLR_ERROR, "Cannot open a Wayland socket (is "
			"XDG_RUNTIME_DIR set?)");
		goto out_scene;
	}

	struct wl_event_source *signals[] = {
		wl_event_loop_add_signal(server.loop, SIGTERM, handle_terminate,
			&server),
		wl_event_loop_add_signal(server.loop, SIGINT, handle_terminate,
			&server),
		wl_event_loop_add_signal(server.loop, SIGCHLD, handle_child, NULL),
	};

	if (!wlr_backend_start(server.backend)) {
		wlr_log(WLR_ERROR, "Cannot start the backend");
		goto out_signals;
	}
	server.started = true;
	output_select_rear(&server);
	if (server.lease != NULL && !lease_watch(server.lease, server.loop,
			handle_lease_revoked, &server)) {
		goto out_signals;
	}
	if (server.lease != NULL) {
		input_start_direct(&server, input_seat);
	}

	setenv("WAYLAND_DISPLAY", socket, true);
	wlr_log(WLR_INFO, "Running on WAYLAND_DISPLAY=%s", socket);
	server.ipc = ipc_create(&server, server.system_bus);
	proximity_init(&server);
	if (startup != NULL) {
		spawn(startup);
	}

	server.running = true;
	while (server.running) {
		wl_display_flush_clients(server.display);
		if (wl_event_loop_dispatch(server.loop, -1) < 0 && errno != EINTR) {
			wlr_log_errno(WLR_ERROR, "Event loop failed");
			break;
		}
		server.stats.wakeups++;
	}
	/* A lost lease is a failure: the service manager starts us again. */
	ret = server.lease_lost ? EXIT_FAILURE : EXIT_SUCCESS;

	/* No rear output hunting while everything is torn down. */
	server.started = false;
	ipc_destroy(server.ipc);
	server.ipc = NULL; /* the rear output's destroy still reports to it */
	proximity_finish(&server);
	wl_display_destroy_clients(server.display);
out_signals:
	for (size_t i = 0; i < sizeof(signals) / sizeof(signals[0]); i++) {
		if (signals[i] != NULL) {
			wl_event_source_remove(signals[i]);
		}
	}
out_scene:
	wlr_scene_node_destroy(&server.scene->node);
out_backend:
	wlr_backend_destroy(server.backend);
	input_finish(&server);
	if (server.allocator != NULL) {
		wlr_allocator_destroy(server.allocator);
	}
	if (server.renderer != NULL) {
		wlr_renderer_destroy(server.renderer);
	}
out_display:
	/* The lessor may revoke the lease only once the backend let go. */
	lease_destroy(server.lease);
	/* Input devices went with the backend; touch and config last. */
	power_finish(&server);
	protocols_finish(&server);
	shell_finish(&server);
	touch_finish(&server);
	server_config_finish(&server);
	wl_display_destroy(server.display);
	free(config_output);
	return ret;
}
