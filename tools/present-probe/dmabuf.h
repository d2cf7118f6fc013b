/* SPDX-License-Identifier: MIT */
/*
 * Linear XRGB8888 dmabufs for present-probe: dumb buffers of a KMS device,
 * exported with PRIME. A compositor on the same device can scan them out
 * without copying, which exercises the zero-copy path.
 */
#ifndef PRESENT_DMABUF_H
#define PRESENT_DMABUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "shm.h"
#include "toplevel.h"

#define PROBE_DMABUF_COUNT 3

struct probe_dmabuf_buffer {
	struct verso_buffer buf; /* buf.pool stays NULL */
	uint32_t handle;
	struct probe_dmabuf *owner;
};

struct probe_dmabuf {
	int fd;
	bool linear, implicit; /* XRGB8888 modifiers the compositor takes */
	struct zwp_linux_dmabuf_v1 *global;
	struct probe_dmabuf_buffer buffers[PROBE_DMABUF_COUNT];
	void (*release)(void *data);
	void *data;
};

/* Starts listening to the global's format events (call before a roundtrip). */
void probe_dmabuf_listen(struct probe_dmabuf *d,
		struct zwp_linux_dmabuf_v1 *global);

/*
 * Opens the device once the format events are in. Returns 0, or -1 with a
 * message in err (device unusable, XRGB8888 linear not accepted).
 */
int probe_dmabuf_open(struct probe_dmabuf *d, const char *device, char *err,
		size_t errlen);

/* Like verso_pool_next(), for dmabufs. */
struct verso_buffer *probe_dmabuf_next(struct probe_dmabuf *d, int32_t width,
		int32_t height);

void probe_dmabuf_finish(struct probe_dmabuf *d);

#endif /* PRESENT_DMABUF_H */
