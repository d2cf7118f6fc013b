#!/bin/bash
# SPDX-License-Identifier: MIT
# Runs inside the VM (verso.ko, uinput, verso_test_prox.ko, udevd): a system
# D-Bus, the real iio-sensor-proxy polling the test IIO proximity sensor, and
# versod on DRM + libinput with a uinput touchscreen. Checks that a covered
# sensor drops taps, that taps come back once it is clear, that blanking
# releases the sensor (iio-sensor-proxy stops polling it) unless it is
# covered, that a double tap wakes the display once out of the pocket, and
# that versod follows the service leaving and coming back.
# Usage: proximity-guest.sh BINDIR
. "$(dirname "$0")/guest-lib.bash"
# Proximity is on by default.
export WLR_BACKENDS=drm,libinput
LOG_SKIP=ipc.c
MORE_LOGS=("$OUT/iio-sensor-proxy.log")
PARAM=/sys/module/verso_test_prox/parameters

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
has_proximity() {
	busctl --system get-property net.hadess.SensorProxy /net/hadess/SensorProxy \
		net.hadess.SensorProxy HasProximity 2>/dev/null | grep -q true
}
start_proxy() {
	G_MESSAGES_DEBUG=all /usr/sbin/iio-sensor-proxy >>"$OUT/iio-sensor-proxy.log" 2>&1 &
	proxy=$!
	wait_for 10 has_proximity && return 0
	fail "iio-sensor-proxy has no proximity sensor"
	return 1
}
start_proxy || exit 1

prox_is() { [ "$(stat proximity 2>/dev/null)" = "$1" ]; }
wait_prox() { # state: versod's view of the sensor, within 10 s
	wait_for 10 prox_is "$1" && return 0
	fail "proximity is '$(stat proximity 2>/dev/null)', not '$1'"
	return 1
}
downs() { grep -c "^touch down" "$OUT/client.log"; }
# Taps; then the client must have had N touch downs in all.
downs_are() { [ "$(downs)" = "$1" ]; }
tap() { # n message
	replay vm-tap.txt
	sleep 0.5 # for the client to print what it got
	# A tap that must arrive may take longer on a slow TCG guest.
	wait_for 5 downs_are "$1" || fail "$2 ($(downs) downs)"
}
reads() { cat "$PARAM/reads"; }

start_touchscreen
start_versod -d || exit 1
grep -q "Rear touchscreen" "$OUT/versod.log" || fail "no rear touchscreen"
"$PROBE" --static --solid 204080 --title card --log-touch --duration 300 \
	>"$OUT/client.log" & client=$!
expect_screen card 204080 || fail "the card is not shown"

# Clear: a tap reaches the client.
wait_prox far && echo "sensor clear"
tap 1 "clear: the tap did not reach the client"

# Covered: the tap is dropped, the client gets nothing.
near
wait_prox near && echo "sensor covered"
tap 1 "covered: the tap reached the client"
grep -q "Proximity sensor covered" "$OUT/versod.log" || fail "versod did not log the cover"

# Clear again: taps reach it again.
far
wait_prox far && echo "sensor clear again"
tap 2 "clear again: the tap did not reach the client"

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
# A poll already scheduled may still run, and iio-sensor-proxy handles
# the release after versod sends it: wait until reads stop, then measure.
reads_settled() { local a; a=$(reads); sleep 1.5; [ "$(reads)" = "$a" ]; }
wait_for 15 reads_settled || fail "sensor reads never stopped after the release"
r0=$(reads)
sleep 3
r1=$(reads)
echo "blank 3 s: sensor reads $((r1 - r0))"
[ "$r1" = "$r0" ] || fail "the sensor is still polled while blank"
ctl power on
wait_prox far && echo "lit: sensor claimed again"
reads_above() { [ "$(reads)" -gt "$1" ]; }
wait_for 5 reads_above "$r1" || fail "the sensor is not polled after the wake"

# In a pocket: blanked while covered, versod keeps the sensor claimed and a
# double tap cannot wake the display; out of the pocket, the "far" reading
# releases the sensor and a double tap wakes it.
near
wait_prox near
d0=$(downs)
ctl power off
wait_for 10 power_is blank || fail "did not blank: $(stat power)"
sleep 1.5
prox_is near || fail "blank in a pocket: proximity is '$(stat proximity)', want near"
r0=$(reads)
replay vm-double-tap.txt
sleep 1
power_is blank || fail "a double tap in the pocket woke the display"
wait_for 5 reads_above "$r0" || fail "blank in a pocket: the sensor is not polled"
far
wait_prox standby && echo "out of the pocket: sensor released"
replay vm-double-tap.txt
wait_for 5 eval '! power_is blank' && echo "double tap: woken" ||
	fail "out of the pocket: the double tap did not wake the display"
wait_prox far
[ "$(downs)" = "$d0" ] || fail "touches while blank reached the client ($(downs) downs, was $d0)"

# The service leaves: touch is never blocked on old news; it comes back
# (NameOwnerChanged) and versod claims the sensor again by itself.
near
wait_prox near
kill $proxy; wait $proxy 2>/dev/null
wait_prox unavailable && echo "service gone: proximity unavailable"
tap 3 "service gone: the tap did not reach the client"
start_proxy
wait_prox near && echo "service back: sensor covered"
tap 3 "service back, covered: the tap reached the client"
far
wait_prox far
tap 4 "service back, clear: the tap did not reach the client"

# touch.proximity = false (reloaded): released, and covered means nothing.
versod_conf 'output = { blank_timeout = 0; }; touch = { proximity = false; };'
ctl reload || fail "reload failed"
wait_prox disabled && echo "disabled by the config"
near
sleep 1.5
r0=$(reads)
tap 5 "disabled: the covered sensor blocked the tap"
sleep 1
[ "$(reads)" = "$r0" ] || fail "disabled: the sensor is still polled"

echo "client got: $(grep -c '^touch down' "$OUT/client.log") downs, $(grep -c '^touch up' "$OUT/client.log") ups"
grep -E "Proximity|SensorProxy" "$OUT/versod.log" | sed 's/^.*\] //'
kill $client $proxy 2>/dev/null; wait $client 2>/dev/null
exec 3>&-
stop_versod
exit $status
