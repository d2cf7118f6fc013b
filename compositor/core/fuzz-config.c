// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness for versod's config parser: libconfig's grammar plus
 * our key table, types, ranges, durations and error formatting. Any input
 * must either load or fail with a message; built by fuzz-config.sh.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
	char *text = malloc(size + 1);
	if (text == NULL) {
		return 0;
	}
	memcpy(text, data, size);
	text[size] = '\0';

	struct verso_config_error err;
	struct verso_config *cfg = verso_config_load_string(text, "fuzz", &err);
	if (cfg != NULL) {
		/* A loaded config holds only valid values. */
		assert(err.kind == VERSO_CONFIG_OK);
		assert(cfg->output.rotation % 90 == 0 && cfg->output.rotation >= 0 &&
			cfg->output.rotation <= 270);
		assert(cfg->frames.refresh_hz >= 1);
		assert(cfg->frames.idle_refresh_hz <= cfg->frames.refresh_hz);
		assert(cfg->brightness.min_percent <= cfg->brightness.default_percent);
		assert(cfg->filter.pocket_burst <= 32);
		assert(cfg->output.scale >= 0.25 && cfg->output.scale <= 8);
		verso_config_destroy(cfg);
	} else {
		assert(err.kind != VERSO_CONFIG_OK);
		assert(err.message[0] != '\0');
		assert(memchr(err.message, '\0', sizeof(err.message)) != NULL);
	}

	int32_t ms;
	if (verso_parse_duration(text, &ms)) {
		assert(ms >= 0);
	}
	free(text);
	return 0;
}
