#!/bin/bash
# SPDX-License-Identifier: MIT
# Runs inside the VM with verso.ko loaded: versod on the DRM backend must
# light only DSI-2 at 976x596@120, present frames from vblank-driven page
# flips, commit nothing while idle, and screenshot through writeback.
# Usage: versod-guest.sh BINDIR   (BINDIR: the meson build dir)
set -u
BIN=$1
OUT=${VM_OUT:-$(mktemp -d)}
fail() { echo "FAIL: $*"; status=1; }
status=0

export XDG_RUNTIME_DIR=$(mktemp -d)
chmod 700 "$XDG_RUNTIME_DIR"
# Only the test's own config. Blanking has its own test (22); here it
# would end the idle measurement whenever a loaded CI guest takes longer
# than the 15 s default to get there.
export XDG_CONFIG_HOME=$(mktemp -d)
mkdir -p "$XDG_CONFIG_HOME/verso"
echo 'output = { blank_timeout = 0; };' >"$XDG_CONFIG_HOME/verso/versod.conf"
export LIBSEAT_BACKEND=builtin WLR_BACKENDS=drm
# VERSOD_TEST_RENDERER=gles2 runs the same checks on llvmpipe, which
# composites only a few frames a second under TCG, and whose AVX code
# crashes there (GALLIUM_NOSSE keeps it to plain x86-64).
case ${VERSOD_TEST_RENDERER:-pixman} in
gles2)
	export WLR_RENDERER=gles2 WLR_RENDERER_ALLOW_SOFTWARE=1 GALLIUM_NOSSE=1
	min_presented=5 probe_s=20 ;;
*)
	export WLR_RENDERER=pixman
	min_presented=60 probe_s=5 ;;
esac
export WAYLAND_DISPLAY=wayland-0

ctl() { "$BIN/tools/versoctl/versoctl" "$@"; }
stat() { ctl stats | sed -n "s/^$1: //p"; }

run() {
	"$BIN/compositor/versod" >"$OUT/versod.log" 2>&1 &
	pid=$!
	for _ in $(seq 150); do
		[ -S "$XDG_RUNTIME_DIR/wayland-0" ] && ctl stats >/dev/null 2>&1 && break
		sleep 0.2
	done
	kill -0 $pid 2>/dev/null || { fail "versod died at start"; return; }

	[ "$(stat output)" = DSI-2 ] || fail "output is '$(stat output)', want DSI-2"
	[ "$(stat mode)" = 976x596@120.000 ] || fail "mode is '$(stat mode)'"
	for c in /sys/class/drm/card*-DSI-1; do
		[ "$(cat "$c/enabled")" = disabled ] || fail "DSI-1 is lit"
	done
	for c in /sys/class/drm/card*-DSI-2; do
		[ "$(cat "$c/enabled")" = enabled ] || fail "DSI-2 is not lit"
	done

	# Animating client: wp_presentation from page flips at 120 Hz.
	line=$(timeout $((probe_s + 60)) "$BIN/tools/present-probe/present-probe" --duration $probe_s)
	echo "$line"
	field() { printf '%s\n' "$line" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
	presented=$(field presented)
	[ "${presented:-0}" -ge $min_presented ] || fail "only ${presented:-0} frames presented in $probe_s s"
	[ "$(field refresh_ns)" = 8333333 ] || fail "refresh_ns $(field refresh_ns), want 8333333"
	[ "$(field vsync)" = "$presented" ] || fail "frames presented without vsync"
	[ "$(field hw_clock)" = "$presented" ] || fail "frames without hardware clock"
	[ "$(stat frames_presented)" -ge "$presented" ] || fail "versod counted fewer presents"

	# Static client: once it is on screen, nothing may be committed.
	"$BIN/tools/present-probe/present-probe" --static --solid 3366cc \
		--duration 120 >/dev/null &
	probe=$!
	# Mapping takes a while on a loaded TCG guest: poll the screen.
	for _ in $(seq 60); do
		method=$(ctl screenshot "$OUT/static.png" 2>/dev/null | sed 's/.*: //')
		"$BIN/tools/verso-capture/verso-pngcheck" -s 976x596 3366cc \
			"$OUT/static.png" >/dev/null 2>&1 && break
		sleep 0.5
	done
	[ "$method" = writeback ] || fail "screenshot method '$method', want writeback"
	"$BIN/tools/verso-capture/verso-pngcheck" -s 976x596 3366cc "$OUT/static.png" ||
		fail "screenshot does not show the client"
	# Going idle is one commit of its own (low refresh or adaptive sync):
	# measure once the output has settled there.
	for _ in $(seq 40); do
		[ "$(stat power)" = idle ] && break
		sleep 0.25
	done
	[ "$(stat power)" = idle ] || fail "output never went idle: $(stat power)"
	sleep 0.5
	c1=$(stat commits) w1=$(stat wakeups)
	sleep 3
	c2=$(stat commits) w2=$(stat wakeups)
	echo "idle: commits $c1 -> $c2, wakeups $w1 -> $w2"
	[ "$c1" = "$c2" ] || fail "commits while idle: $c1 -> $c2"
	[ "$(stat power)" = idle ] || fail "left idle during the measurement: $(stat power)"
	# Each versoctl call is one or two wakeups; nothing else may wake us.
	[ $((w2 - w1)) -le 4 ] || fail "wakeups while idle: $w1 -> $w2"

	# Bad requests fail with a message and versod keeps running.
	busctl --user call org.verso.Compositor1 /org/verso/Compositor1 \
		org.verso.Compositor1 Screenshot s relative.png 2>/dev/null &&
		fail "relative path accepted"
	ctl screenshot /proc/verso.png 2>/dev/null && fail "unwritable path accepted"
	kill -0 $pid 2>/dev/null || fail "versod died on a bad request"
	kill $probe
	wait $probe

	kill -TERM $pid
	wait $pid || fail "versod exited with status $?"
}
export -f run stat ctl fail
export BIN OUT min_presented probe_s
dbus-run-session -- bash -c 'status=0; run; exit $status' 2>&1 | grep -v "fd limit"
rc=${PIPESTATUS[0]}
[ $rc = 0 ] || { echo "--- versod log"; tail -n 30 "$OUT/versod.log"; }
exit $rc
