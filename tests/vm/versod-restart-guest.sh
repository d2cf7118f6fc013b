#!/bin/bash
# SPDX-License-Identifier: MIT
# Guest half of 23-versod-restart.sh. Usage: versod-restart-guest.sh BINDIR
set -u
BIN=$1
OUT=${VM_OUT:-$(mktemp -d)}
export XDG_RUNTIME_DIR=$(mktemp -d)
chmod 700 "$XDG_RUNTIME_DIR"
# Only the test's own config, and no blanking: a loaded CI guest can
# take longer than the 15 s default between two steps.
export XDG_CONFIG_HOME=$(mktemp -d)
mkdir -p "$XDG_CONFIG_HOME/verso"
echo 'output = { blank_timeout = 0; };' >"$XDG_CONFIG_HOME/verso/versod.conf"
export LIBSEAT_BACKEND=builtin WLR_BACKENDS=drm WLR_RENDERER=pixman
export WAYLAND_DISPLAY=wayland-0 BIN OUT

run() {
	status=0
	fail() { echo "FAIL: $*"; status=1; }
	ctl() { "$BIN/tools/versoctl/versoctl" "$@"; }
	# Starts versod with a solid-colour client; waits until it is shown.
	start() { # colour
		rm -f "$XDG_RUNTIME_DIR"/wayland-0*
		"$BIN/compositor/versod" -s "$BIN/tools/present-probe/present-probe \
			--static --solid $1 --duration 300" >>"$OUT/versod.log" 2>&1 &
		pid=$!
		for _ in $(seq 120); do
			ctl screenshot "$OUT/$1.png" >/dev/null 2>&1 &&
				"$BIN/tools/verso-capture/verso-pngcheck" -s 976x596 "$1" \
					"$OUT/$1.png" >/dev/null 2>&1 && return 0
			kill -0 $pid 2>/dev/null || break
			sleep 0.5
		done
		return 1
	}
	start 3366cc || fail "first versod never showed its client"
	# A crash: no cleanup, the DRM fd closes with the process.
	kill -KILL $pid
	wait $pid 2>/dev/null
	echo "versod killed with SIGKILL"
	start cc6633 || fail "a new versod did not light DSI-2 again"
	[ "$(ctl stats | sed -n 's/^output: //p')" = DSI-2 ] || fail "output is not DSI-2"
	kill -TERM $pid
	wait $pid || fail "second versod exited with $?"
	[ $status = 0 ] || tail -n 20 "$OUT/versod.log"
	return $status
}
export -f run
dbus-run-session -- bash -c run
