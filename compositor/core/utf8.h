/* SPDX-License-Identifier: MIT */
/*
 * Client strings (titles, app ids) go out on D-Bus, which takes only valid
 * UTF-8: one bad string would fail a whole reply. Wayland does not check
 * them, so versod does before it sends them.
 */
#ifndef VERSO_CORE_UTF8_H
#define VERSO_CORE_UTF8_H

#include <stdbool.h>

/* True if @s is valid UTF-8 (RFC 3629: shortest form, no surrogates, at
 * most U+10FFFF) without noncharacters (U+FDD0..U+FDEF, U+xxFFFE and
 * U+xxFFFF), as sd-bus requires. */
bool verso_utf8_valid(const char *s);

#endif
