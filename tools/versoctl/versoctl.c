// SPDX-License-Identifier: MIT
/*
 * versoctl: command line over versod's D-Bus interface.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <systemd/sd-bus.h>

#define BUS_NAME "org.verso.Compositor1"
#define BUS_PATH "/org/verso/Compositor1"
#define BUS_IFACE "org.verso.Compositor1"

static const char usage[] =
	"Usage: versoctl [--system] COMMAND [ARGS]\n"
	"\n"
	"Controls versod, the verso rear-display compositor, over D-Bus.\n"
	"\n"
	"Commands:\n"
	"  stats              Print frame statistics, one \"key: value\" a line.\n"
	"  screenshot PATH    Save what the rear display shows as a PNG; prints\n"
	"                     how it was captured (writeback or renderer).\n"
	"\n"
	"Options:\n"
	"  -h, --help         Show this help and exit.\n"
	"      --system       Talk to versod on the system bus (default: session).\n";

static const char *bus_kind = "session";

static int call_failed(const sd_bus_error *error, int r) {
	if (sd_bus_error_has_name(error, SD_BUS_ERROR_SERVICE_UNKNOWN) ||
			sd_bus_error_has_name(error, SD_BUS_ERROR_NAME_HAS_NO_OWNER)) {
		fprintf(stderr, "versoctl: versod is not running on the %s bus\n",
			bus_kind);
	} else if (sd_bus_error_has_name(error, SD_BUS_ERROR_ACCESS_DENIED)) {
		/* The daemon's own text is a dump of the matched policy rule. */
		fprintf(stderr, "versoctl: the %s bus policy does not allow this "
			"call (on the system bus only root may take screenshots)\n",
			bus_kind);
	} else if (sd_bus_error_is_set(error)) {
		fprintf(stderr, "versoctl: %s\n", error->message);
	} else {
		fprintf(stderr, "versoctl: D-Bus call failed: %s\n", strerror(-r));
	}
	return EXIT_FAILURE;
}

static int print_variant(sd_bus_message *reply, const char *key) {
	char type;
	const char *contents;
	int r = sd_bus_message_peek_type(reply, &type, &contents);
	if (r < 0) {
		return r;
	}
	r = sd_bus_message_enter_container(reply, 'v', contents);
	if (r < 0) {
		return r;
	}
	switch (contents[0]) {
	case 's': {
		const char *s;
		r = sd_bus_message_read_basic(reply, 's', &s);
		if (r >= 0) {
			printf("%s: %s\n", key, s);
		}
		break;
	}
	case 't': {
		uint64_t t;
		r = sd_bus_message_read_basic(reply, 't', &t);
		if (r >= 0) {
			printf("%s: %llu\n", key, (unsigned long long)t);
		}
		break;
	}
	case 'd': {
		double d;
		r = sd_bus_message_read_basic(reply, 'd', &d);
		if (r >= 0) {
			printf("%s: %.1f\n", key, d);
		}
		break;
	}
	default:
		/* Newer versods may add types; skip what we cannot print. */
		r = sd_bus_message_skip(reply, contents);
		break;
	}
	if (r < 0) {
		return r;
	}
	return sd_bus_message_exit_container(reply);
}

static int cmd_stats(sd_bus *bus) {
	sd_bus_error error = SD_BUS_ERROR_NULL;
	sd_bus_message *reply = NULL;
	int r = sd_bus_call_method(bus, BUS_NAME, BUS_PATH, BUS_IFACE,
		"GetStats", &error, &reply, "");
	if (r < 0) {
		int ret = call_failed(&error, r);
		sd_bus_error_free(&error);
		return ret;
	}

	r = sd_bus_message_enter_container(reply, 'a', "{sv}");
	while (r >= 0 && (r = sd_bus_message_enter_container(reply, 'e',
			"sv")) > 0) {
		const char *key;
		r = sd_bus_message_read_basic(reply, 's', &key);
		if (r >= 0) {
			r = print_variant(reply, key);
		}
		if (r >= 0) {
			r = sd_bus_message_exit_container(reply);
		}
	}
	if (r >= 0) {
		r = sd_bus_message_exit_container(reply);
	}
	sd_bus_message_unref(reply);
	if (r < 0) {
		fprintf(stderr, "versoctl: malformed reply from versod: %s\n",
			strerror(-r));
		return EXIT_FAILURE;
	}
	return EXIT_SUCCESS;
}

static int cmd_screenshot(sd_bus *bus, const char *path) {
	/* versod runs elsewhere: hand it an absolute path. */
	char abs_path[PATH_MAX];
	if (path[0] != '/') {
		char cwd[PATH_MAX];
		if (getcwd(cwd, sizeof(cwd)) == NULL) {
			fprintf(stderr, "versoctl: cannot resolve '%s': %s\n", path,
				strerror(errno));
			return EXIT_FAILURE;
		}
		int n = snprintf(abs_path, sizeof(abs_path), "%s/%s", cwd, path);
		if (n < 0 || (size_t)n >= sizeof(abs_path)) {
			fprintf(stderr, "versoctl: path too long\n");
			return EXIT_FAILURE;
		}
		path = abs_path;
	}

	sd_bus_error error = SD_BUS_ERROR_NULL;
	sd_bus_message *reply = NULL;
	int r = sd_bus_call_method(bus, BUS_NAME, BUS_PATH, BUS_IFACE,
		"Screenshot", &error, &reply, "s", path);
	if (r < 0) {
		int ret = call_failed(&error, r);
		sd_bus_error_free(&error);
		return ret;
	}
	const char *method = NULL;
	r = sd_bus_message_read(reply, "s", &method);
	if (r < 0) {
		fprintf(stderr, "versoctl: malformed reply from versod: %s\n",
			strerror(-r));
		sd_bus_message_unref(reply);
		return EXIT_FAILURE;
	}
	printf("%s: %s\n", path, method);
	sd_bus_message_unref(reply);
	return EXIT_SUCCESS;
}

int main(int argc, char *argv[]) {
	bool system_bus = false;
	enum { OPT_SYSTEM = 256 };
	static const struct option options[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "system", no_argument, NULL, OPT_SYSTEM },
		{ 0 },
	};
	int c;
	while ((c = getopt_long(argc, argv, "+h", options, NULL)) != -1) {
		switch (c) {
		case 'h':
			fputs(usage, stdout);
			return EXIT_SUCCESS;
		case OPT_SYSTEM:
			system_bus = true;
			bus_kind = "system";
			break;
		default:
			fputs(usage, stderr);
			return EXIT_FAILURE;
		}
	}
	if (optind >= argc) {
		fputs(usage, stderr);
		return EXIT_FAILURE;
	}
	const char *cmd = argv[optind];
	int nargs = argc - optind - 1;
	bool stats = strcmp(cmd, "stats") == 0;
	bool screenshot = strcmp(cmd, "screenshot") == 0;
	if (!stats && !screenshot) {
		fprintf(stderr, "versoctl: unknown command '%s' (see --help)\n", cmd);
		return EXIT_FAILURE;
	}
	if ((stats && nargs != 0) || (screenshot && nargs != 1)) {
		fprintf(stderr, "versoctl: %s takes %s (see --help)\n", cmd,
			stats ? "no arguments" : "one PATH");
		return EXIT_FAILURE;
	}

	sd_bus *bus = NULL;
	int r = system_bus ? sd_bus_open_system(&bus) : sd_bus_open_user(&bus);
	if (r < 0) {
		fprintf(stderr, "versoctl: cannot connect to the %s bus: %s\n",
			bus_kind, strerror(-r));
		return EXIT_FAILURE;
	}
	int ret = stats ? cmd_stats(bus) :
		cmd_screenshot(bus, argv[optind + 1]);
	sd_bus_flush_close_unref(bus);
	return ret;
}
