#!/bin/bash
# SPDX-License-Identifier: MIT
# Guest half of 24-versod-lease.sh. Usage: versod-lease-guest.sh BINDIR
. "$(dirname "$0")/guest-lib.bash"
# The main shell runs unprivileged with its seat from seatd, as on a phone;
# versod runs beside it on a noop seat and opens only the card and the
# rear touchscreen, which a udev rule puts on a seat of its own.
. "$(dirname "$0")/sway-lessor.bash"
unset LIBSEAT_BACKEND
# As Documentation/user.md tells integrators: the rear touchscreen on its
# own seat, so that the shell on seat0 leaves it to versod.
echo 'SUBSYSTEM=="input", ATTRS{name}=="verso-test-touchscreen", ENV{ID_SEAT}="seat-rear"' \
	>/etc/udev/rules.d/70-rear-seat.rules
udevadm control --reload
find_touch_node() {
	TOUCH_NODE=$(grep -l verso-test-touchscreen /sys/class/input/event*/device/name |
		sed 's|^/sys/class/input/\(event[0-9]*\)/.*|/dev/input/\1|')
	[ -c "$TOUCH_NODE" ] || fail "no node for the test touchscreen"
	udevadm info "$TOUCH_NODE" | grep -q "ID_SEAT=seat-rear" ||
		fail "the udev rule did not put the touchscreen on seat-rear"
}
has_open() { # pid node: true if pid holds node open
	ls -l /proc/"$1"/fd 2>/dev/null | grep -q " $2\$"
}
# A tap in the middle reaches the client logging to LOG, and only versod
# holds the touchscreen open.
tap_reaches() { # log what
	local n; n=$(wc -l <"$1")
	has_open $pid "$TOUCH_NODE" || fail "$2: versod did not open the touchscreen"
	has_open $sway_pid "$TOUCH_NODE" && fail "$2: sway opened the touchscreen"
	replay vm-tap.txt
	wait_for 5 sh -c "tail -n +$((n + 1)) '$1' | grep -q '^touch up 0'"
	local got; got=$(tail -n +"$((n + 1))" "$1" | grep "^touch")
	echo "$2: client got: $(echo "$got" | tr '\n' ';')"
	echo "$got" | grep -q "^touch down 0 48[89] 29[89]" ||
		fail "$2: tap not delivered at 488,298"
	echo "$got" | grep -q "^touch up 0" || fail "$2: tap release not delivered"
}
start_touchscreen
find_touch_node

start_sway
has_open $sway_pid "$TOUCH_NODE" && fail "sway took the seat-rear touchscreen"

# Bad leases fail at start with the reason, before anything is lit.
"$BIN/compositor/versod" --lease-from wayland-9 >"$OUT/bad.log" 2>&1 &&
	fail "versod started without its lessor"
grep -q "Cannot connect to the main compositor at 'wayland-9'" "$OUT/bad.log" ||
	fail "no clear error for a missing lessor: $(tail -n 1 "$OUT/bad.log")"
"$BIN/compositor/versod" --lease-from wayland-1 --output DSI-1 \
	>"$OUT/bad.log" 2>&1 && fail "versod leased a connector not offered"
grep -q "'wayland-1' offers DSI-2 for lease" "$OUT/bad.log" ||
	fail "no list of offered connectors: $(tail -n 1 "$OUT/bad.log")"

"$BIN/compositor/versod" --input-seat seat-rear >"$OUT/bad.log" 2>&1 &&
	fail "versod took --input-seat without a lease"
grep -q "input-seat is for --lease-from" "$OUT/bad.log" ||
	fail "no clear error for --input-seat alone: $(tail -n 1 "$OUT/bad.log")"

for run in 1 2; do
	start_versod --lease-from wayland-1 --input-seat seat-rear || break
	grep -q "Leased DSI-2 from 'wayland-1'" "$OUT/versod.log" ||
		fail "run $run: versod did not lease DSI-2"
	[ "$(stat output)" = DSI-2 ] || fail "run $run: output is '$(stat output)'"
	line=$(timeout 60 "$PROBE" --duration 3 --warmup 1 | grep '^present:')
	echo "run $run: $line"
	[ "$(field "$line" presented)" -ge 20 ] 2>/dev/null ||
		fail "run $run: leased DSI-2 presented too few frames"
	on_120hz_grid "$line"
	[ "$(crtc_active pipe-0)" = 1 ] && [ "$(crtc_active pipe-1)" = 1 ] ||
		fail "run $run: both pipes should be lit (sway DSI-1, versod DSI-2)"
	"$PROBE" --static --solid 3366cc --log-touch --duration 60 \
		>"$OUT/client-$run.log" 2>&1 &
	client=$!
	expect_screen "lease-$run" 3366cc 30 || fail "run $run: client not shown"
	# Touch on the lease: the rear touchscreen reaches the client, the
	# palm rule reads its contact sizes, and the shell never opened it.
	n=$(grep -c "contact sizes from its evdev node" "$OUT/versod.log")
	[ "$n" = "$run" ] || fail "run $run: no contact sizes on the lease"
	tap_reaches "$OUT/client-$run.log" "run $run"
	if [ $run = 2 ]; then
		# The touchscreen goes away and comes back (a new node): versod
		# lets go of it, keeps running, and takes the new one.
		exec 3>&-
		pkill -x uinput-touch
		wait_for 10 sh -c "! grep -q verso-test-touchscreen \
			/sys/class/input/event*/device/name" ||
			fail "the touchscreen did not go away"
		rm -f "$XDG_RUNTIME_DIR/touch.fifo"
		# versod closes it once udevd and libinput have seen the removal.
		wait_for 10 sh -c "! ls -l /proc/$pid/fd | grep -q ' /dev/input/'" ||
			fail "versod kept a removed touchscreen open"
		kill -0 $pid || fail "versod died when the touchscreen went away"
		start_touchscreen
		find_touch_node
		wait_for 10 sh -c "[ \$(grep -c 'Rear touchscreen:' '$OUT/versod.log') = 3 ]" ||
			fail "versod did not take the touchscreen plugged in again"
		tap_reaches "$OUT/client-$run.log" "run $run, plugged in again"
	fi
	kill $client 2>/dev/null
	wait $client 2>/dev/null
	# Run 2 leases again what the shell took back when run 1 ended.
	stop_versod
done

# The lessor goes away: versod says why and exits non-zero for its
# service manager to restart it. This run takes input from seat0, where
# the shell's devices are and no touchscreen: versod keeps none open.
start_versod --lease-from wayland-1
grep -q "No rear touchscreen on seat 'seat0'" "$OUT/versod.log" ||
	fail "no word of the missing touchscreen on seat0"
ls -l /proc/$pid/fd | grep " /dev/input/" && fail "versod kept seat0 devices open"
kill -TERM $sway_pid
wait $sway_pid 2>/dev/null
wait_for 30 sh -c "! kill -0 $pid 2>/dev/null" || fail "versod outlived its lease"
wait $pid
rc=$?
[ $rc = 1 ] || fail "versod exited $rc after losing its lease, want 1"
grep -q "The lease of DSI-2 ended" "$OUT/versod.log" ||
	fail "versod did not say its lease ended"
stop_seatd
exec 3>&-
exit $status
