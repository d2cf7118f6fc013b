#!/bin/bash
# SPDX-License-Identifier: MIT
# Runs inside the VM with verso.ko loaded: versod on the DRM backend must
# light only DSI-2 at 976x596@120, present frames from vblank-driven page
# flips, commit nothing while idle, and screenshot through writeback; a
# burst of screenshots gets at most four waiting; a composited card shows
# pixel for pixel, rotated too.
# Usage: versod-guest.sh BINDIR   (BINDIR: the meson build dir)
. "$(dirname "$0")/guest-lib.bash"
# VERSOD_TEST_RENDERER=gles2 runs the same checks on llvmpipe.
case ${VERSOD_TEST_RENDERER:-pixman} in
gles2) use_gles2; min_presented=5 probe_s=20 ;;
*) min_presented=60 probe_s=5 ;;
esac

start_versod || exit 1
[ "$(stat output)" = DSI-2 ] || fail "output is '$(stat output)', want DSI-2"
[ "$(stat mode)" = 976x596@120.000 ] || fail "mode is '$(stat mode)'"
for c in /sys/class/drm/card*-DSI-1; do
	[ "$(cat "$c/enabled")" = disabled ] || fail "DSI-1 is lit"
done
for c in /sys/class/drm/card*-DSI-2; do
	[ "$(cat "$c/enabled")" = enabled ] || fail "DSI-2 is not lit"
done

# Animating client: wp_presentation from page flips at 120 Hz.
line=$(timeout $((probe_s + 60)) "$PROBE" --duration $probe_s)
echo "$line"
presented=$(field "$line" presented)
[ "${presented:-0}" -ge $min_presented ] || fail "only ${presented:-0} frames presented in $probe_s s"
[ "$(field "$line" refresh_ns)" = 8333333 ] || fail "refresh_ns $(field "$line" refresh_ns), want 8333333"
[ "$(field "$line" vsync)" = "$presented" ] || fail "frames presented without vsync"
[ "$(field "$line" hw_clock)" = "$presented" ] || fail "frames without hardware clock"
[ "$(stat frames_presented)" -ge "$presented" ] || fail "versod counted fewer presents"
on_120hz_grid "$line"

# Static client: once it is on screen, nothing may be committed.
"$PROBE" --static --solid 3366cc --duration 120 >/dev/null &
probe=$!
# Mapping takes a while on a loaded TCG guest.
expect_screen static 3366cc 30 || fail "screenshot does not show the client"
[ "${shot##*: }" = writeback ] || fail "screenshot method '${shot##*: }', want writeback"
# Going idle is one commit of its own (low refresh or adaptive sync):
# measure once the output has settled there.
wait_for 10 power_is idle || fail "output never went idle: $(stat power)"
sleep 0.5
c1=$(stat commits) w1=$(stat wakeups)
sleep 3
c2=$(stat commits) w2=$(stat wakeups)
echo "idle: commits $c1 -> $c2, wakeups $w1 -> $w2"
[ "$c1" = "$c2" ] || fail "commits while idle: $c1 -> $c2"
power_is idle || fail "left idle during the measurement: $(stat power)"
# Each versoctl call is one or two wakeups; nothing else may wake us.
[ $((w2 - w1)) -le 4 ] || fail "wakeups while idle: $w1 -> $w2"

# Bad requests fail with a message and versod keeps running.
busctl --user call org.verso.Compositor1 /org/verso/Compositor1 \
	org.verso.Compositor1 Screenshot s relative.png 2>/dev/null &&
	fail "relative path accepted"
ctl screenshot /proc/verso.png 2>/dev/null && fail "unwritable path accepted"
kill -0 $pid 2>/dev/null || fail "versod died on a bad request"

# A burst of twelve screenshots sent at once from one connection: four
# wait to be taken, the rest are told to try again at once, and every
# request is answered. Whether a page flip is in flight or not: while idle,
# too, twelve writeback frames would hold touch for seconds. versod is
# stopped until the bus has handed it all twelve, so that they arrive
# together however fast or slow the guest runs.
routed() { grep -q "calls routed" "$1"; }
burst() { # name colour
	local ok busy i sender
	kill -STOP $pid
	timeout 120 "$BIN/tests/clients/shot-burst" 12 "$OUT/$1-" >"$OUT/$1.out" 2>&1 &
	sender=$!
	wait_for 30 routed "$OUT/$1.out" || fail "burst $1: the calls were not routed"
	kill -CONT $pid
	wait $sender || fail "shot-burst: $(tail -n 3 "$OUT/$1.out")"
	ok=$(grep -c ": writeback$" "$OUT/$1.out")
	busy=$(grep -c "busy: 4 screenshots are waiting" "$OUT/$1.out")
	echo "screenshot burst $1: $ok taken, $busy busy"
	[ "$ok" = 4 ] && [ "$busy" = 8 ] ||
		fail "burst $1: $ok taken, $busy busy, $((12 - ok - busy)) other"
	for i in $(seq 4); do
		"$PNGCHECK" -b 1 "$2" "$OUT/$1-$i.png" >/dev/null ||
			fail "burst $1: $1-$i.png does not show the client"
	done
}
burst idle-burst 3366cc
kill $probe
wait $probe

"$PROBE" --solid 3366cc --duration 120 >/dev/null &
probe=$!
expect_screen anim 3366cc 30 || fail "the animating client does not show"
burst anim-burst 3366cc
kill $probe
wait $probe

# A wl_shm card never goes on a plane, so versod draws it, and after the
# first frame only the damage: the client's bottom row, which changes every
# frame. Every other pixel must still be the client's.
"$PROBE" --pattern quadrants --duration 120 >/dev/null &
probe=$!
expect_screen quadrants quadrants 30 -b 1 ||
	fail "the animating quadrants do not show"
kill $probe
wait $probe
# An output rotated by 90 degrees (a live reload). An upright buffer is
# drawn rotated (by wlr_scene); one with the output's buffer transform is
# the panel's raster as it is, drawn by versod as above, its bottom row
# damaged every frame.
versod_conf 'output = { blank_timeout = 0; rotation = 90; };'
kill -HUP $pid
"$PROBE" --pattern quadrants --static --duration 120 >/dev/null &
probe=$!
expect_screen rotated quadrants 30 -r 90 ||
	fail "the quadrants do not show rotated by 90 degrees"
kill $probe
wait $probe
"$PROBE" --pattern quadrants --buffer-transform 90 --duration 120 >/dev/null &
probe=$!
expect_screen turned quadrants 30 -b 1 ||
	fail "a buffer turned with the output does not show as it is"
kill $probe
wait $probe
versod_conf 'output = { blank_timeout = 0; };'

stop_versod
exit $status
