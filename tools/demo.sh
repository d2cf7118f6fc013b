#!/bin/bash
# SPDX-License-Identifier: MIT
# The verso demo on a machine with no phone: boot the test VM with verso.ko,
# run versod on the rear connector (DSI-2, 976x596@120) with the clock cover
# surface, and save what the rear display shows, read back through the
# driver's writeback connector, to out/rear-display.png.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD
out=$top/out
mkdir -p "$out"
rm -f "$out/rear-display.png" "$out/versod.log"

echo "demo: booting the VM (QEMU TCG) with verso.ko ..."
tools/vm/vm-run -m verso -t 240 -o "$out" -- \
	"$top/tools/demo-guest.sh" "$top/build/meson" "$out"

echo "demo: the rear display (DSI-2) showed: $out/rear-display.png"

# With a desktop session, offer the same compositor nested in a window.
if [ -t 0 ] && { [ -n "${WAYLAND_DISPLAY:-}" ] || [ -n "${DISPLAY:-}" ]; }; then
	read -r -p "demo: run versod nested in a window now? [y/N] " answer
	case $answer in
	y|Y) exec build/meson/compositor/versod -s build/meson/clients/verso-clock ;;
	esac
fi
