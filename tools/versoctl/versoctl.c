// SPDX-License-Identifier: MIT
/*
 * versoctl: command line over versod's D-Bus interface.
 */
#include <errno.h>
#include <stdarg.h>
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
	"  cards              List the cards, \"ID TITLE\" a line, the shown one\n"
	"                     marked with '*'.\n"
	"  next, prev         Show the next (right) or previous (left) card.\n"
	"                     Exits 1 at the end of the row.\n"
	"  show ID            Show card ID.\n"
	"  reload             Reload versod.conf; on error the old config stays\n"
	"                     and the error is printed.\n"
	"  brightness [N]     Print the backlight level in percent, or set it\n"
	"                     to N (0-100; brightness.min is the floor).\n"
	"  power on|off       Light or blank the rear display.\n"
	"  wake               Light a blanked display, as a notification does.\n"
	"\n"
	"Options:\n"
	"  -h, --help         Show this help and exit.\n"
	"      --system       Talk to versod on the system bus (default: session).\n";

static const char *bus_kind = "session";

static void call_failed(const sd_bus_error *error, int r) {
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
}

union basic {
	const char *s;
	uint64_t t;
	uint32_t u;
	int b;
	int32_t i;
	double d;
};

static void print_basic(const char *key, char type, const union basic *v) {
	printf("%s: ", key);
	switch (type) {
	case 's':
		printf("%s\n", v->s);
		break;
	case 't':
		printf("%llu\n", (unsigned long long)v->t);
		break;
	case 'u':
		printf("%u\n", v->u);
		break;
	case 'b':
		printf("%s\n", v->b ? "true" : "false");
		break;
	case 'i':
		printf("%d\n", v->i);
		break;
	case 'd':
		printf("%.1f\n", v->d);
		break;
	}
}

/* Calls METHOD on versod; on failure says why and returns false. */
static bool call(sd_bus *bus, const char *method, sd_bus_message **reply,
		const char *types, ...) {
	sd_bus_error error = SD_BUS_ERROR_NULL;
	va_list ap;
	va_start(ap, types);
	int r = sd_bus_call_methodv(bus, BUS_NAME, BUS_PATH, BUS_IFACE, method,
		&error, reply, types, ap);
	va_end(ap);
	if (r < 0) {
		call_failed(&error, r);
		sd_bus_error_free(&error);
		return false;
	}
	return true;
}

static int malformed(int r) {
	fprintf(stderr, "versoctl: malformed reply from versod: %s\n",
		strerror(-r));
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
	if (contents[1] == '\0' && strchr("stubid", contents[0]) != NULL) {
		union basic v;
		r = sd_bus_message_read_basic(reply, contents[0], &v);
		if (r >= 0) {
			print_basic(key, contents[0], &v);
		}
	} else {
		/* Newer versods may add types; skip what we cannot print. */
		r = sd_bus_message_skip(reply, contents);
	}
	if (r < 0) {
		return r;
	}
	return sd_bus_message_exit_container(reply);
}

static int cmd_stats(sd_bus *bus) {
	sd_bus_message *reply = NULL;
	if (!call(bus, "GetStats", &reply, "")) {
		return EXIT_FAILURE;
	}
	int r = sd_bus_message_enter_container(reply, 'a', "{sv}");
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
		return malformed(r);
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

	sd_bus_message *reply = NULL;
	if (!call(bus, "Screenshot", &reply, "s", path)) {
		return EXIT_FAILURE;
	}
	const char *method = NULL;
	int r = sd_bus_message_read(reply, "s", &method);
	if (r >= 0) {
		printf("%s: %s\n", path, method);
	}
	sd_bus_message_unref(reply);
	if (r < 0) {
		return malformed(r);
	}
	return EXIT_SUCCESS;
}

static uint32_t current_card(sd_bus *bus) {
	sd_bus_message *reply = NULL;
	uint32_t card = 0;
	if (sd_bus_call_method(bus, BUS_NAME, BUS_PATH, BUS_IFACE, "GetStats",
			NULL, &reply, "") < 0) {
		return 0;
	}
	/* Older versods have no "card": then nothing is marked. */
	if (sd_bus_message_enter_container(reply, 'a', "{sv}") >= 0) {
		while (sd_bus_message_enter_container(reply, 'e', "sv") > 0) {
			const char *key;
			if (sd_bus_message_read_basic(reply, 's', &key) < 0) {
				break;
			}
			if (strcmp(key, "card") == 0) {
				sd_bus_message_read(reply, "v", "u", &card);
			} else {
				sd_bus_message_skip(reply, "v");
			}
			sd_bus_message_exit_container(reply);
		}
	}
	sd_bus_message_unref(reply);
	return card;
}

static int cmd_cards(sd_bus *bus) {
	sd_bus_message *reply = NULL;
	if (!call(bus, "ListCards", &reply, "")) {
		return EXIT_FAILURE;
	}
	uint32_t current = current_card(bus);
	int r = sd_bus_message_enter_container(reply, 'a', "(us)");
	uint32_t id;
	const char *title;
	while (r >= 0 && (r = sd_bus_message_read(reply, "(us)", &id,
			&title)) > 0) {
		printf("%c %u %s\n", id == current ? '*' : ' ', id, title);
	}
	sd_bus_message_unref(reply);
	if (r < 0) {
		return malformed(r);
	}
	return EXIT_SUCCESS;
}

/* next/prev: the answer says whether the card changed. */
static int cmd_move(sd_bus *bus, const char *method) {
	sd_bus_message *reply = NULL;
	if (!call(bus, method, &reply, "")) {
		return EXIT_FAILURE;
	}
	int moved = 0;
	int r = sd_bus_message_read(reply, "b", &moved);
	sd_bus_message_unref(reply);
	if (r < 0) {
		return malformed(r);
	}
	if (!moved) {
		fprintf(stderr, "versoctl: no %s card\n",
			strcmp(method, "NextCard") == 0 ? "next" : "previous");
		return EXIT_FAILURE;
	}
	return EXIT_SUCCESS;
}

static int cmd_show(sd_bus *bus, const char *arg) {
	char *end;
	errno = 0;
	unsigned long id = strtoul(arg, &end, 10);
	if (errno != 0 || end == arg || *end != '\0' || arg[0] == '-' ||
			id == 0 || id > UINT32_MAX) {
		fprintf(stderr, "versoctl: show wants a card ID (see versoctl "
			"cards), not '%s'\n", arg);
		return EXIT_FAILURE;
	}
	return call(bus, "ShowCard", NULL, "u", (uint32_t)id) ?
		EXIT_SUCCESS : EXIT_FAILURE;
}

/* brightness [N], power on|off, wake: power.c's methods. */
static int cmd_brightness(sd_bus *bus, const char *arg) {
	sd_bus_message *reply = NULL;
	bool ok;
	if (arg == NULL) {
		ok = call(bus, "GetBrightness", &reply, "");
	} else {
		char *end;
		errno = 0;
		unsigned long level = strtoul(arg, &end, 10);
		if (errno != 0 || end == arg || *end != '\0' || arg[0] == '-' ||
				level > 100) {
			fprintf(stderr, "versoctl: brightness wants a percentage "
				"0-100, not '%s'\n", arg);
			return EXIT_FAILURE;
		}
		ok = call(bus, "SetBrightness", &reply, "u", (uint32_t)level);
	}
	if (!ok) {
		return EXIT_FAILURE;
	}
	uint32_t level = 0;
	int r = sd_bus_message_read(reply, "u", &level);
	sd_bus_message_unref(reply);
	if (r < 0) {
		return malformed(r);
	}
	printf("%u\n", level);
	return EXIT_SUCCESS;
}

static int cmd_power(sd_bus *bus, const char *arg) {
	bool ok;
	if (arg == NULL) {
		ok = call(bus, "Wake", NULL, "");
	} else {
		bool on = strcmp(arg, "on") == 0;
		if (!on && strcmp(arg, "off") != 0) {
			fprintf(stderr, "versoctl: power wants on or off, not "
				"'%s'\n", arg);
			return EXIT_FAILURE;
		}
		ok = call(bus, "SetPower", NULL, "b", (int)on);
	}
	return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}

static int cmd_reload(sd_bus *bus) {
	sd_bus_message *reply = NULL;
	if (!call(bus, "ReloadConfig", &reply, "")) {
		return EXIT_FAILURE;
	}
	int ok = 0;
	const char *msg = "";
	int r = sd_bus_message_read(reply, "bs", &ok, &msg);
	if (r < 0) {
		malformed(r);
	} else if (ok) {
		printf("config reloaded\n");
	} else {
		fprintf(stderr, "versoctl: config not reloaded (the previous "
			"one stays): %s\n", msg);
	}
	sd_bus_message_unref(reply);
	return r >= 0 && ok ? EXIT_SUCCESS : EXIT_FAILURE;
}

static const struct {
	const char *name;
	int nargs;
	const char *args; /* for the error message */
} commands[] = {
	{ "stats", 0, "no arguments" },
	{ "screenshot", 1, "one PATH" },
	{ "cards", 0, "no arguments" },
	{ "next", 0, "no arguments" },
	{ "prev", 0, "no arguments" },
	{ "show", 1, "one card ID" },
	{ "reload", 0, "no arguments" },
	{ "brightness", -1, "at most one LEVEL" }, /* -1: zero or one */
	{ "power", 1, "on or off" },
	{ "wake", 0, "no arguments" },
};

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
	size_t n = 0;
	while (n < sizeof(commands) / sizeof(commands[0]) &&
			strcmp(commands[n].name, cmd) != 0) {
		n++;
	}
	if (n == sizeof(commands) / sizeof(commands[0])) {
		fprintf(stderr, "versoctl: unknown command '%s' (see --help)\n", cmd);
		return EXIT_FAILURE;
	}
	if (commands[n].nargs >= 0 ? nargs != commands[n].nargs : nargs > 1) {
		fprintf(stderr, "versoctl: %s takes %s (see --help)\n", cmd,
			commands[n].args);
		return EXIT_FAILURE;
	}

	sd_bus *bus = NULL;
	int r = system_bus ? sd_bus_open_system(&bus) : sd_bus_open_user(&bus);
	if (r < 0) {
		fprintf(stderr, "versoctl: cannot connect to the %s bus: %s\n",
			bus_kind, strerror(-r));
		return EXIT_FAILURE;
	}
	const char *arg = argv[optind + 1];
	int ret;
	if (strcmp(cmd, "stats") == 0) {
		ret = cmd_stats(bus);
	} else if (strcmp(cmd, "screenshot") == 0) {
		ret = cmd_screenshot(bus, arg);
	} else if (strcmp(cmd, "cards") == 0) {
		ret = cmd_cards(bus);
	} else if (strcmp(cmd, "next") == 0) {
		ret = cmd_move(bus, "NextCard");
	} else if (strcmp(cmd, "prev") == 0) {
		ret = cmd_move(bus, "PreviousCard");
	} else if (strcmp(cmd, "show") == 0) {
		ret = cmd_show(bus, arg);
	} else if (strcmp(cmd, "brightness") == 0) {
		ret = cmd_brightness(bus, arg);
	} else if (strcmp(cmd, "power") == 0) {
		ret = cmd_power(bus, arg);
	} else if (strcmp(cmd, "wake") == 0) {
		ret = cmd_power(bus, NULL);
	} else {
		ret = cmd_reload(bus);
	}
	sd_bus_flush_close_unref(bus);
	return ret;
}
