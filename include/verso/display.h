/* SPDX-License-Identifier: (GPL-2.0-only OR MIT) */
/*
 * Facts about verso's displays shared by the kernel driver, the compositor,
 * the tools and the tests. Plain defines only, so the header compiles both in
 * the kernel and in userspace.
 */
#ifndef VERSO_DISPLAY_H
#define VERSO_DISPLAY_H

/* DRM driver name, as reported by DRM_IOCTL_VERSION and debugfs "name". */
#define VERSO_DRIVER_NAME	"verso"

/* Main (front) display: connector DSI-1, driven by CRTC 0. */
#define VERSO_MAIN_HDISPLAY	1200
#define VERSO_MAIN_VDISPLAY	2608

/* Rear (cover) display: connector DSI-2, driven by CRTC 1. */
#define VERSO_REAR_CONNECTOR	"DSI-2"
#define VERSO_REAR_HDISPLAY	976
#define VERSO_REAR_VDISPLAY	596
#define VERSO_REAR_REFRESH_HZ	120

/*
 * Rear 120 Hz timings: htotal * vtotal * 120 divides the pixel clock exactly,
 * so the refresh is 120.000 Hz and a frame lasts 8333333 ns.
 */
#define VERSO_REAR_HTOTAL	1000
#define VERSO_REAR_VTOTAL	625
#define VERSO_REAR_CLOCK_KHZ	75000

#endif /* VERSO_DISPLAY_H */
