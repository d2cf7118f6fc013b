/* SPDX-License-Identifier: MIT */
/*
 * Reading back what a CRTC shows through a DRM writeback connector.
 *
 * The capture makes one atomic commit that attaches a writeback connector to
 * the CRTC (a modeset on most drivers), waits for the writeback out-fence and
 * detaches it again. The caller's fd must be allowed to commit: it is the
 * DRM master, or the compositor's own fd. DRM_CLIENT_CAP_ATOMIC stays set on
 * the fd afterwards; DRM_CLIENT_CAP_WRITEBACK_CONNECTORS is cleared again so
 * a compositor owning the fd never sees writeback connectors in a rescan.
 * Do not call it while a page flip is pending on the CRTC.
 *
 * When the driver does not list the writeback encoder as a clone of the
 * display encoders (possible_clones, e.g. vkms), the display connectors are
 * detached from the CRTC for the captured frame and reattached afterwards;
 * the CRTC keeps its mode and planes, so the frame is the same. Drivers that
 * allow the clone (verso) capture without touching the display.
 */
#ifndef VERSO_CAPTURE_H
#define VERSO_CAPTURE_H

#include <stddef.h>
#include <stdint.h>

#include "verso/image.h"

/* How long a capture waits for the writeback out-fence. */
#define VERSO_WB_TIMEOUT_MS 1000

/*
 * Captures the CRTC's current frame into img (XRGB8888 in 0xAARRGGBB words,
 * alpha forced to 0xff, the CRTC's mode size). Free it with
 * verso_image_finish(). Returns 0, or -errno with a message in err.
 */
int verso_wb_capture_image(int drm_fd, uint32_t crtc_id,
		struct verso_image *img, char *err, size_t errlen);

/* Captures the CRTC's current frame into an RGB PNG at png_path. */
int verso_wb_capture(int drm_fd, uint32_t crtc_id, const char *png_path,
		char *err, size_t errlen);

#endif /* VERSO_CAPTURE_H */
