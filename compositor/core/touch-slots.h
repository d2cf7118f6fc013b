/* SPDX-License-Identifier: MIT */
/*
 * Contact sizes for libinput's touch ids.
 *
 * libinput (and wlroots) report touches by seat slot, which need not be the
 * device's multitouch slot, and say nothing of their size. The tracker
 * follows a type B device's evdev slots (ABS_MT_SLOT, TRACKING_ID,
 * POSITION_X/Y, TOUCH_MAJOR/MINOR, TOOL_TYPE), read next to libinput, one
 * frame (SYN_REPORT) at a time, and keeps a record per contact (tracking
 * id). When libinput reports a touch down, the touch id is matched to the
 * unmatched contact whose first position is nearest to libinput's, the
 * earliest among equally near ones (libinput announces the contacts of a
 * frame in slot order, frames in time order).
 *
 * The reader drains the device before every match, so it is never behind
 * libinput but may be ahead of it: a contact may already have lifted, or a
 * later one landed, when its down is matched. A record therefore lasts
 * until both sides are done with it; records libinput never reports (a
 * contact it swallowed, as MT_TOOL_PALM from the start) are evicted oldest
 * first when the table is full.
 *
 * Pure: no I/O, no allocation; any event sequence is safe.
 */
#ifndef VERSO_CORE_TOUCH_SLOTS_H
#define VERSO_CORE_TOUCH_SLOTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VERSO_MT_SLOTS 16 /* device slots followed; higher ones are ignored */
#define VERSO_MT_CONTACTS 32

/* What the device said of a contact's size. */
struct verso_mt_size {
	int major, minor; /* device units; major is the largest since last taken */
	bool palm; /* ABS_MT_TOOL_TYPE was MT_TOOL_PALM at some point */
};

/* Private: one contact (tracking id) of the device. */
struct verso_mt_contact {
	bool used;
	bool down; /* still down on the device */
	bool fresh; /* began in the frame not yet closed */
	bool matched; /* to touch_id */
	bool done; /* libinput ended it; waiting for the device to lift it */
	bool changed; /* size or palm changed since last taken */
	int32_t touch_id;
	uint32_t seq; /* order of appearance */
	double x0, y0; /* first position, 0..1 as libinput reports it */
	struct verso_mt_size size;
};

/* Private: one device slot. */
struct verso_mt_slot {
	int32_t tracking_id; /* -1: empty */
	int x, y, major, minor, tool;
	int contact; /* index in contacts, -1 if none */
};

struct verso_mt_track {
	int slot; /* current ABS_MT_SLOT, -1 if out of range */
	int nslots;
	double x_min, x_range, y_min, y_range;
	float calib[6]; /* libinput's calibration matrix */
	uint32_t next_seq;
	struct verso_mt_slot slots[VERSO_MT_SLOTS];
	struct verso_mt_contact contacts[VERSO_MT_CONTACTS];
};

/* nslots: the device's slot count; the axis ranges of ABS_MT_POSITION_X/Y.
 * All slots start empty. */
void verso_mt_init(struct verso_mt_track *t, int nslots, int x_min, int x_max,
	int y_min, int y_max);

/* libinput's calibration matrix (libinput_device_config_calibration_get_matrix),
 * so positions compare in libinput's coordinates. */
void verso_mt_set_calibration(struct verso_mt_track *t, const float m[6]);

/* One evdev event, as read (or synthesized by a resync). */
void verso_mt_event(struct verso_mt_track *t, uint16_t type, uint16_t code,
	int32_t value);

/*
 * libinput reported touch_id down at u, v (0..1, transformed): matches it
 * to a contact. Returns false if there is no candidate (its size is then
 * unknown). A touch id still matched (libinput lost an up) is released
 * first.
 */
bool verso_mt_match(struct verso_mt_track *t, int32_t touch_id, double u,
	double v);

/* The size of touch_id's contact; clears its change and restarts the
 * largest-major tracking. False if touch_id is not matched. */
bool verso_mt_take(struct verso_mt_track *t, int32_t touch_id,
	struct verso_mt_size *size);

/* Matched touch ids whose contact changed size or turned palm since last
 * taken: call with *iter = 0 until it returns false. */
bool verso_mt_next_changed(struct verso_mt_track *t, size_t *iter,
	int32_t *touch_id);

/* libinput ended touch_id (up or cancel). */
void verso_mt_release(struct verso_mt_track *t, int32_t touch_id);

/* Contacts currently recorded (tests and diagnostics). */
size_t verso_mt_count(const struct verso_mt_track *t);

#endif
