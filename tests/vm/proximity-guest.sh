#!/bin/bash
# SPDX-License-Identifier: MIT
# Runs inside the VM (verso.ko, uinput, verso_test_prox.ko, udevd): a system
# D-Bus, the real iio-sensor-proxy polling the test IIO proximity sensor, and
# versod on DRM + libinput with a uinput touchscreen. Checks that a covered
# sensor drops taps, that taps come back once it is clear, that blanking
# releases the sensor (iio-sensor-proxy stops polling it), and that versod
# follows the service leaving and coming back.
# Usage: proximity-guest.sh BINDIR
set -u
BIN=$1
TOP=$(cd "$(dirname "$0")/../.." && pwd)
DATA=$TOP/tests/data/touch
OUT=${VM_OUT:-$(mktemp -d)}
PARAM=/sys/module/verso_test_prox/parameters
XDG_RUNTIME_DIR=$(mktemp -d)
export XDG_RUNTIME_DIR
chmod 700 "$XDG_RUNTIME_DIR"
# The test's own config: no blanking unless asked, proximity on (default).
XDG_CONFIG_HOME=$(mktemp -d)
export XDG_CONFIG_HOME
mkdir -p "$XDG_CONFIG_HOME/verso"
echo 'output = { blank_timeout = 0; };' >"$XDG_CONFIG_HOME/verso/versod.conf"
export LIBSEAT_BACKEND=builtin WLR_BACKENDS=drm,libinput WLR_RENDERER=pixman
export WAYLAND_DISPLAY=wayland-0

status=0
fail() { echo "FAIL: $*"; status=1; }

# The sensor, as udev and iio-sensor-proxy see it.
dev=$(dirname "$(ls /sys/bus/iio/devices/*/in_proximity_raw 2>/dev/null | head -n 1)")
[ -e "$dev/in_proximity_raw" ] || { echo "FAIL: no IIO proximity device"; exit 1; }
echo "sensor: $dev, near level $(cat "$dev/in_proximity_nearlevel")"
udevadm info -q property "$dev" | grep IIO_SENSOR_PROXY_TYPE ||
	{ echo "FAIL: udev did not tag the sensor for iio-sensor-proxy"; exit 1; }
far() { echo 0 >"$PARAM/raw"; }
near() { echo 200 >"$PARAM/raw"; } # 2x the near level: past the hysteresis
far

# The system bus and the sensor service, as on a phone.
mkdir -p /run/dbus
dbus-daemon --system --fork || { echo "FAIL: no system bus"; exit 1; }
start_proxy() {
	G_MESSAGES_DEBUG=all /usr/sbin/iio-sensor-proxy >>"$OUT/iio-sensor-proxy.log" 2>&1 &
	proxy=$!
	for _ in $(seq 50); do
		busctl --system get-property net.hadess.SensorProxy /net/hadess/SensorProxy \
			net.hadess.SensorProxy HasProximity 2>/dev/null | grep -q true && return 0
		sleep 0.2
	done
	fail "iio-sensor-proxy has no proximity sensor"
	tail -n 20 "$OUT/iio-sensor-proxy.log"
	return 1
}
start_proxy || exit 1

run() {
	ctl() { "$BIN/tools/versoctl/versoctl" "$@"; }
	stat() { ctl stats 2>/dev/null | sed -n "s/^$1: //p"; }
	wait_prox() { # state: versod's view of the sensor, within 10 s
		for _ in $(seq 50); do
			[ "$(stat proximity)" = "$1" ] && return 0
			sleep 0.2
		done
		fail "proximity is '$(stat proximity)', not '$1'"
		return 1
	}
	shot() { # name colour: waits up to 5 s for the screen to show colour
		for _ in $(seq 25); do
			ctl screenshot "$OUT/$1.png" >/dev/null 2>&1 &&
				"$BIN/tools/verso-capture/verso-pngcheck" -s 976x596 "$2" \
					"$OUT/$1.png" >/dev/null 2>&1 && return 0
			sleep 0.2
		done
		return 1
	}
	# The touchscreen, fed trace paths through a fifo.
	FIFO=$XDG_RUNTIME_DIR/touch.fifo
	mkfifo "$FIFO"
	"$BIN/tests/touch/uinput-touch" <"$FIFO" >"$OUT/touch.log" 2>&1 &
	exec 3>"$FIFO"
	for _ in $(seq 50); do grep -q ready "$OUT/touch.log" && break; sleep 0.1; done
	udevadm settle
	tap() { # replays vm-tap.txt and waits for it to end
		local n; n=$(grep -c "^done" "$OUT/touch.log")
		echo "$DATA/vm-tap.txt" >&3
		for _ in $(seq 100); do
			[ "$(grep -c "^done" "$OUT/touch.log")" -gt "$n" ] && break
			sleep 0.1
		done
		sleep 0.5 # for the client to print what it got
	}
	downs() { grep -c "^touch down" "$OUT/client.log"; }
	reads() { cat "$PARAM/reads"; }

	"$BIN/compositor/versod" -d >"$OUT/versod.log" 2>&1 &
	pid=$!
	for _ in $(seq 150); do
		[ -S "$XDG_RUNTIME_DIR/wayland-0" ] && ctl stats >/dev/null 2>&1 && break
		sleep 0.2
	done
	kill -0 $pid 2>/dev/null || { fail "versod died at start"; return; }
	grep -q "Rear touchscreen" "$OUT/versod.log" || fail "no rear touchscreen"
	"$BIN/tools/present-probe/present-probe" --static --solid 204080 \
		--title card --log-touch --duration 300 >"$OUT/client.log" & client=$!
	shot card 204080 || fail "the card is not shown"

	# Clear: a tap reaches the client.
	wait_prox far && echo "sensor clear"
	tap
	[ "$(downs)" = 1 ] || fail "clear: the tap did not reach the client ($(downs) downs)"

	# Covered: the tap is dropped, the client gets nothing.
	near
	wait_prox near && echo "sensor covered"
	tap
	[ "$(downs)" = 1 ] || fail "covered: the tap reached the client"
	grep -q "Proximity sensor covered" "$OUT/versod.log" || fail "versod did not log the cover"

	# Clear again: taps reach it again.
	far
	wait_prox far && echo "sensor clear again"
	tap
	[ "$(downs)" = 2 ] || fail "clear again: the tap did not reach the client"

	# Nothing changes: the claimed sensor is polled by iio-sensor-proxy,
	# not by versod, which sleeps (the two stats calls are its only
	# wakeups, plus slack for the output going idle).
	sleep 1
	w0=$(stat wakeups) r0=$(reads)
	sleep 5
	w1=$(stat wakeups) r1=$(reads)
	echo "steady 5 s: versod wakeups $((w1 - w0)), sensor reads $((r1 - r0))"
	[ $((r1 - r0)) -ge 3 ] || fail "the claimed sensor is not polled"
	[ $((w1 - w0)) -le 4 ] || fail "versod woke $((w1 - w0)) times for an unchanging sensor"

	# Blank: versod releases the sensor and iio-sensor-proxy stops polling it.
	ctl power off
	wait_prox standby && echo "blank: sensor released"
	sleep 1.5 # a poll already scheduled may still run
	r0=$(reads)
	sleep 3
	r1=$(reads)
	echo "blank 3 s: sensor reads $((r1 - r0))"
	[ "$r1" = "$r0" ] || fail "the sensor is still polled while blank"
	ctl power on
	wait_prox far && echo "lit: sensor claimed again"
	sleep 1.5
	[ "$(reads)" -gt "$r1" ] || fail "the sensor is not polled after the wake"

	# The service leaves: touch is never blocked on old news; it comes back
	# (NameOwnerChanged) and versod claims the sensor again by itself.
	near
	wait_prox near
	kill $proxy; wait $proxy 2>/dev/null
	wait_prox unavailable && echo "service gone: proximity unavailable"
	tap
	[ "$(downs)" = 3 ] || fail "service gone: the tap did not reach the client"
	start_proxy
	wait_prox near && echo "service back: sensor covered"
	tap
	[ "$(downs)" = 3 ] || fail "service back, covered: the tap reached the client"
	far
	wait_prox far
	tap
	[ "$(downs)" = 4 ] || fail "service back, clear: the tap did not reach the client"

	# touch.proximity = false (reloaded): released, and covered means nothing.
	echo 'output = { blank_timeout = 0; }; touch = { proximity = false; };' \
		>"$XDG_CONFIG_HOME/verso/versod.conf"
	ctl reload || fail "reload failed"
	wait_prox disabled && echo "disabled by the config"
	near
	sleep 1.5
	r0=$(reads)
	tap
	[ "$(downs)" = 5 ] || fail "disabled: the covered sensor blocked the tap"
	sleep 1
	[ "$(reads)" = "$r0" ] || fail "disabled: the sensor is still polled"

	echo "client got: $(grep -c '^touch down' "$OUT/client.log") downs, $(grep -c '^touch up' "$OUT/client.log") ups"
	grep -E "Proximity|SensorProxy" "$OUT/versod.log" | sed 's/^.*\] //'
	kill $client $proxy 2>/dev/null; wait $client 2>/dev/null
	exec 3>&-
	kill -TERM $pid
	wait $pid || fail "versod exited with status $?"
	if [ $status != 0 ]; then
		echo "--- versod log"; grep -v "ipc.c" "$OUT/versod.log" | tail -n 40
		echo "--- iio-sensor-proxy log"; tail -n 20 "$OUT/iio-sensor-proxy.log"
	fi
	return $status
}
export -f run fail far near start_proxy
export BIN OUT DATA PARAM status proxy
dbus-run-session -- bash -c 'run' 2>&1 | grep -v "fd limit"
rc=${PIPESTATUS[0]}
kill $proxy 2>/dev/null
exit "$rc"
