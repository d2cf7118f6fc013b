#!/bin/bash
# SPDX-License-Identifier: MIT
# The demo's guest half (see tools/demo.sh): versod on DSI-2 with the clock,
# then a writeback screenshot of the rear display into OUT.
# Usage: demo-guest.sh BUILDDIR OUT
set -euo pipefail
BIN=$1 OUT=$2
export XDG_RUNTIME_DIR=/run/verso-demo
mkdir -p -m 700 "$XDG_RUNTIME_DIR"
export LIBSEAT_BACKEND=builtin WLR_BACKENDS=drm WLR_RENDERER=pixman

dbus-run-session -- bash -c '
	BIN=$1 OUT=$2
	ctl() { "$BIN/tools/versoctl/versoctl" "$@"; }
	"$BIN/compositor/versod" -s "$BIN/clients/verso-clock" >"$OUT/versod.log" 2>&1 &
	pid=$!
	# The clock maps a few seconds after versod starts under TCG: take
	# screenshots until the rear display shows more than black.
	shown=
	for _ in $(seq 60); do
		if ctl screenshot "$OUT/rear-display.png" >/dev/null 2>&1 &&
			! "$BIN/tools/verso-capture/verso-pngcheck" 000000 \
				"$OUT/rear-display.png" >/dev/null 2>&1; then
			shown=1
			break
		fi
		sleep 0.5
	done
	ctl stats
	[ -n "$shown" ] || { echo "demo: the clock never appeared" >&2; exit 1; }
	kill -TERM $pid
	wait $pid
' demo "$BIN" "$OUT"
