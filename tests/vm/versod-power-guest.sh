#!/bin/bash
# SPDX-License-Identifier: MIT
# Runs inside the VM with verso.ko loaded: versod's idle refresh, blanking,
# wake, output power management and backlight on the real DRM path.
# Usage: versod-power-guest.sh BINDIR
. "$(dirname "$0")/guest-lib.bash"
versod_conf "output = { idle_after = \"300ms\"; blank_timeout = \"${BLANK_S:-20}s\"; };"
LOG_SKIP='\[backend\|\[render'
rear_state() { grep -A0 "DSI-2" "$DRI/verso_state"; }
rear_state_on() { rear_state | grep -q "crtc on"; }
# Wakeups in SECONDS of quiet, less those of our own D-Bus calls: a stats
# call costs one or two dispatches, so take the most of SAMPLES.
quiet_wakeups() { # seconds samples
	local a b per_call=0 c
	a=$(stat wakeups)
	for _ in $(seq "$2"); do
		b=$(stat wakeups)
		[ $((b - a)) -gt $per_call ] && per_call=$((b - a))
		a=$b
	done
	sleep "$1"
	c=$(stat wakeups)
	echo "$((c - b - per_call)) $per_call"
}

start_versod || exit 1
"$PROBE" --static --solid 3366cc --duration 120 >/dev/null &
probe=$!

# Idle: adaptive sync on at the 120 Hz mode (the panel stretches).
wait_for 20 power_is idle || fail "not idle: power '$(stat power)'"
echo "idle: $(rear_state)"
echo "      stats power=$(stat power) adaptive_sync=$(stat adaptive_sync) mode=$(stat mode)"
[ "$(stat adaptive_sync)" = true ] || fail "adaptive sync off while idle"
rear_state | grep -q "vrr on" || fail "driver: vrr not on while idle"

# Idle wakeups: zero, apart from our own D-Bus calls (measured).
read -r idle_wakeups per_call < <(quiet_wakeups 5 3)
echo "idle wakeups in 5 s: $idle_wakeups (one stats call costs $per_call)"
[ $idle_wakeups -le 0 ] || fail "$idle_wakeups wakeups while idle"

# Blank after the configured timeout: the CRTC goes off.
wait_for 30 power_is blank || fail "did not blank: '$(stat power)'"
sleep 0.5
echo "blank: $(rear_state)"
rear_state | grep -q "crtc off" || fail "driver: rear crtc still on"
read -r blank_wakeups _ < <(quiet_wakeups 5 2)
echo "blank wakeups in 5 s: $blank_wakeups"
[ $blank_wakeups -le 0 ] || fail "$blank_wakeups wakeups while blank"

# Wake (a notification): lit again, at full speed first.
ctl wake || fail "versoctl wake"
wait_for 10 rear_state_on || true
sleep 0.3
echo "woken: $(rear_state) power=$(stat power)"
rear_state | grep -q "crtc on" || fail "driver: rear crtc off after wake"
[ "$(stat power)" != blank ] || fail "still blank after wake"

# Non-VRR low refresh modes: VERSOD_NO_VRR=1 at the end.
# SetPower and wlr-output-power-management.
ctl power off && sleep 0.5
rear_state | grep -q "crtc off" || fail "power off left the crtc on"
"$BIN/tools/proto-probe/proto-probe" power on || fail "output-power on"
sleep 0.3
rear_state | grep -q "crtc on" || fail "output-power on left the crtc off"
"$BIN/tools/proto-probe/proto-probe" power off || fail "output-power off"
sleep 0.3
rear_state | grep -q "crtc off" || fail "output-power off left the crtc on"
ctl power on

# The screenshot of the woken display still shows the client.
sleep 1
ctl screenshot "$OUT/woken.png" >/dev/null || fail "screenshot after wake"
"$PNGCHECK" -s 976x596 3366cc "$OUT/woken.png" ||
	fail "screenshot after wake does not show the client"

# Backlight: if the driver has one, levels go through sysfs.
bl=$(ls -d /sys/class/backlight/* 2>/dev/null | head -n 1)
if [ -n "$bl" ]; then
	ctl brightness 40 || fail "brightness 40"
	max=$(cat "$bl/max_brightness") raw=$(cat "$bl/brightness")
	echo "backlight $bl: brightness 40% -> $raw of $max, reads $(ctl brightness)%"
	[ "$(ctl brightness)" = 40 ] || fail "brightness reads $(ctl brightness)"
else
	ctl brightness 40 2>"$OUT/bl.err" && fail "brightness set without a device"
	echo "no backlight device: $(cat "$OUT/bl.err")"
fi

# A versod that exits blank leaves the backlight powered down in sysfs
# (bl_power 4), and the panel driver sends brightness 0 while it is: the
# next versod powers it up again with the output it lights.
if [ -n "$bl" ]; then
	ctl power off && sleep 0.5
	echo "blank: bl_power $(cat "$bl/bl_power")"
	[ "$(cat "$bl/bl_power")" = 4 ] || fail "blank left bl_power $(cat "$bl/bl_power")"
	stop_versod
	start_versod || exit 1
	wait_for 10 rear_state_on || fail "restarted versod did not light DSI-2"
	echo "restarted after a blank exit: bl_power $(cat "$bl/bl_power")"
	[ "$(cat "$bl/bl_power")" = 0 ] ||
		fail "restarted versod left bl_power $(cat "$bl/bl_power"): the panel stays dark"
fi

# Panels without adaptive sync (VERSOD_NO_VRR=1): idle switches to the
# slowest mode instead (frames on this path: compositor.md, Limits).
kill $probe 2>/dev/null
stop_versod
versod_conf 'output = { idle_after = "300ms"; blank_timeout = 0; };'
VERSOD_NO_VRR=1 start_versod || exit 1
"$PROBE" --static --solid 3366cc --duration 120 >/dev/null &
p1=$!
wait_for 20 power_is idle || fail "not idle without VRR: '$(stat power)'"
sleep 0.5
echo "idle without VRR: $(rear_state) mode=$(stat mode)"
case "$(stat mode)" in *@120*) fail "idle without VRR kept the 120 Hz mode" ;; esac
rear_state | grep -q "vrr on" && fail "adaptive sync on with VERSOD_NO_VRR"
kill $p1 2>/dev/null
stop_versod
exit $status
