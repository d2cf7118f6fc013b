#!/bin/bash
# SPDX-License-Identifier: MIT
# Guest half of 62-touch-seat.sh. Usage: touch-seat-guest.sh BINDIR
. "$(dirname "$0")/guest-lib.bash"
USER_NAME=nobody
# Without a session bus of its own user, versod runs without D-Bus, so the
# client's touch log is what is checked.
# In the background, AS_EXEC=1 makes $! the command's own pid.
as_user() { # command...
	${AS_EXEC:+exec} setpriv --reuid=$USER_NAME --regid=nogroup \
		--groups="$(getent group video | cut -d: -f3)" \
		env -i PATH=/usr/bin:/bin HOME=/tmp XDG_RUNTIME_DIR="$XDG_RUNTIME_DIR" \
		"$@"
}

start_touchscreen
node=$(grep -l verso-test-touchscreen /sys/class/input/event*/device/name |
	sed 's|^/sys/class/input/\(event[0-9]*\)/.*|/dev/input/\1|')
[ -c "$node" ] || fail "no node for the test touchscreen"
chown root:root "$node" && chmod 600 "$node"
as_user test -r "$node" && fail "$USER_NAME can read $node: the test means nothing"
chown $USER_NAME "$XDG_RUNTIME_DIR"
chgrp video /dev/dri/card0 && chmod 660 /dev/dri/card0
seatd -u $USER_NAME -l error >"$OUT/seatd.log" 2>&1 &
seatd_pid=$!
wait_for 10 test -S /run/seatd.sock || fail "seatd did not start"
conf=$(mktemp /tmp/versod.XXXXXX.conf)
echo 'output = { blank_timeout = 0; };' >"$conf"
chmod 644 "$conf"

AS_EXEC=1 as_user LIBSEAT_BACKEND=seatd WLR_BACKENDS=drm,libinput \
	WLR_RENDERER=pixman "$BIN/compositor/versod" -c "$conf" \
	>"$OUT/versod.log" 2>&1 &
pid=$!
wait_for 60 grep -q "Rear touchscreen" "$OUT/versod.log" || fail "no rear touchscreen"
grep "contact sizes polled on the seat's fd" "$OUT/versod.log" ||
	fail "contact sizes not polled on the seat's fd"
has_node_open() { ls -l /proc/"$1"/fd 2>/dev/null | grep -c " $node\$"; }
echo "versod holds $node open $(has_node_open $pid) time(s)"

AS_EXEC=1 as_user WAYLAND_DISPLAY=wayland-0 "$PROBE" --static --solid 204080 \
	--log-touch --duration 120 >"$OUT/b.log" 2>&1 &
client=$!
# No IPC to ask when the card is shown: tap until the client hears it.
for _ in $(seq 20); do
	replay vm-tap.txt
	grep -q "^touch up 0" "$OUT/b.log" && break
	sleep 1
done
grep -q "^touch down 0 48[89] 29[89]" "$OUT/b.log" ||
	fail "tap not delivered at 488,298"

# A palm with a finger of the same hand beside it: nothing for the client.
n=$(wc -l <"$OUT/b.log")
replay vm-palm.txt
sleep 1
echo "palm: client got: $(since "$OUT/b.log" "$n" | tr '\n' ';')"
since "$OUT/b.log" "$n" | grep -q "^touch down" && fail "palm reached the client"

# A palm and a far finger tap in the same frame: only the tap.
n=$(wc -l <"$OUT/b.log")
replay vm-palm-far-finger.txt
sleep 1
await_since "$OUT/b.log" "$n" "^touch up" || fail "far finger: no touch up"
got=$(since "$OUT/b.log" "$n")
echo "palm and far finger: client got: $(echo "$got" | tr '\n' ';')"
echo "$got" | grep -q "^touch down [0-9]* 70[01] 20[01]" ||
	fail "tap beside a far palm not delivered at 700,200"
[ "$(echo "$got" | grep -c "^touch down")" = 1 ] || fail "palm reached the client"

# A finger that spreads in place into a palm, then lifts: libinput reports
# only its down and its up, and the size is polled at the up. The client's
# touch is cancelled, never a tap.
n=$(wc -l <"$OUT/b.log")
replay vm-palm-still.txt
sleep 1
await_since "$OUT/b.log" "$n" "^touch cancel" || fail "palm in place: no touch cancel"
got=$(since "$OUT/b.log" "$n")
echo "palm spreading in place: client got: $(echo "$got" | tr '\n' ';')"
echo "$got" | grep -q "^touch down [0-9]* 60[01] 30[01]" ||
	fail "finger-sized contact not delivered at 600,300"
echo "$got" | grep -q "^touch cancel" ||
	fail "contact spreading into a palm in place not cancelled"
echo "$got" | grep -q "^touch up" &&
	fail "contact spreading into a palm in place ended as a tap"

# libinput 1.22 loses the next contact in a slot after a tool-type palm
# (Documentation/compositor.md, Limits): this one comes last.
# A contact the controller flags as a palm from its down: never delivered.
n=$(wc -l <"$OUT/b.log")
replay vm-palm-tool-down.txt
sleep 1
since "$OUT/b.log" "$n" | grep -q "^touch down" &&
	fail "contact flagged a palm at its down reached the client"

kill $client 2>/dev/null
wait $client 2>/dev/null
kill -TERM $pid
wait $pid || fail "versod exited with status $?"
kill $seatd_pid 2>/dev/null
wait $seatd_pid 2>/dev/null
exec 3>&-
exit $status
