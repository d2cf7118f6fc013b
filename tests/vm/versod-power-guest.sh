#!/bin/bash
# SPDX-License-Identifier: MIT
# Runs inside the VM with verso.ko loaded: versod's idle refresh, blanking,
# wake, output power management and backlight on the real DRM path.
# Usage: versod-power-guest.sh BINDIR
set -u
BIN=$1
OUT=${VM_OUT:-$(mktemp -d)}
fail() { echo "FAIL: $*"; status=1; }
status=0

export XDG_RUNTIME_DIR=$(mktemp -d) XDG_CONFIG_HOME=$(mktemp -d)
chmod 700 "$XDG_RUNTIME_DIR"
mkdir -p "$XDG_CONFIG_HOME/verso"
cat >"$XDG_CONFIG_HOME/verso/versod.conf" <<CONF
output = { idle_after = "300ms"; blank_timeout = "${BLANK_S:-20}s"; };
CONF
export LIBSEAT_BACKEND=builtin WLR_BACKENDS=drm WLR_RENDERER=pixman
export WAYLAND_DISPLAY=wayland-0
DRI=/sys/kernel/debug/dri/0

ctl() { "$BIN/tools/versoctl/versoctl" "$@"; }
stat() { ctl stats | sed -n "s/^$1: //p"; }
rear_state() { grep -A0 "DSI-2" "$DRI/verso_state"; }
wait_for() { # seconds command...
	local n=$(($1 * 5)); shift
	for _ in $(seq $n); do "$@" && return 0; sleep 0.2; done
	return 1
}
is_power() { [ "$(stat power)" = "$1" ]; }

run() {
	"$BIN/compositor/versod" >"$OUT/versod.log" 2>&1 &
	pid=$!
	wait_for 60 ctl stats >/dev/null 2>&1
	kill -0 $pid 2>/dev/null || { fail "versod died at start"; return; }
	"$BIN/tools/present-probe/present-probe" --static --solid 3366cc \
		--duration 120 >/dev/null &
	probe=$!

	# Idle: adaptive sync on at the 120 Hz mode (the panel stretches).
	wait_for 20 is_power idle || fail "not idle: power '$(stat power)'"
	echo "idle: $(rear_state)"
	echo "      stats power=$(stat power) adaptive_sync=$(stat adaptive_sync) mode=$(stat mode)"
	[ "$(stat adaptive_sync)" = true ] || fail "adaptive sync off while idle"
	rear_state | grep -q "vrr on" || fail "driver: vrr not on while idle"

	# Idle wakeups: zero, apart from our own D-Bus calls (measured).
	# A stats call costs one or two dispatches: take the most of three.
	a=$(stat wakeups); b=$(stat wakeups); b2=$(stat wakeups); b3=$(stat wakeups)
	per_call=$((b - a)); [ $((b2 - b)) -gt $per_call ] && per_call=$((b2 - b))
	[ $((b3 - b2)) -gt $per_call ] && per_call=$((b3 - b2))
	b=$b3
	sleep 5
	c=$(stat wakeups)
	idle_wakeups=$((c - b - per_call))
	echo "idle wakeups in 5 s: $idle_wakeups (one stats call costs $per_call)"
	[ $idle_wakeups -le 0 ] || fail "$idle_wakeups wakeups while idle"

	# Blank after the configured timeout: the CRTC goes off.
	wait_for 30 is_power blank || fail "did not blank: '$(stat power)'"
	sleep 0.5
	echo "blank: $(rear_state)"
	rear_state | grep -q "crtc off" || fail "driver: rear crtc still on"
	a=$(stat wakeups); b=$(stat wakeups); b2=$(stat wakeups)
	per_call=$((b - a)); [ $((b2 - b)) -gt $per_call ] && per_call=$((b2 - b))
	b=$b2
	sleep 5
	c=$(stat wakeups)
	blank_wakeups=$((c - b - per_call))
	echo "blank wakeups in 5 s: $blank_wakeups"
	[ $blank_wakeups -le 0 ] || fail "$blank_wakeups wakeups while blank"

	# Wake (a notification): lit again, at full speed first.
	ctl wake || fail "versoctl wake"
	wait_for 10 rear_state_on || true
	sleep 0.3
	echo "woken: $(rear_state) power=$(stat power)"
	rear_state | grep -q "crtc on" || fail "driver: rear crtc off after wake"
	[ "$(stat power)" != blank ] || fail "still blank after wake"

	# Non-VRR low refresh mode is covered by VERSOD_NO_VRR in a second run.
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
	"$BIN/tools/verso-capture/verso-pngcheck" -s 976x596 3366cc "$OUT/woken.png" ||
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

	kill $probe 2>/dev/null
	kill -TERM $pid
	wait $pid || fail "versod exited with status $?"
}
rear_state_on() { rear_state | grep -q "crtc on"; }
export -f run stat ctl fail rear_state rear_state_on wait_for is_power
export BIN OUT DRI
dbus-run-session -- bash -c 'status=0; run; exit $status' 2>&1 | grep -v "fd limit"
rc=${PIPESTATUS[0]}
[ $rc = 0 ] || { echo "--- versod log"; grep -v "\[backend\|\[render" "$OUT/versod.log" | tail -n 30; }
exit $rc
