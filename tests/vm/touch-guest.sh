#!/bin/bash
# SPDX-License-Identifier: MIT
# Runs inside the VM (verso.ko, uinput, udevd): versod on DRM + libinput
# with a uinput touchscreen replaying tests/data/touch/vm-*.txt, contact
# sizes and palm tool types included (the palm rule).
# Usage: touch-guest.sh BINDIR
. "$(dirname "$0")/guest-lib.bash"
# libinput as well: the touchscreen exists, so no WLR_LIBINPUT_NO_DEVICES.
export WLR_BACKENDS=drm,libinput
LOG_SKIP=ipc.c
touches() { grep -c "^touch down" "$1"; }
# Replays TRACE; sets got to what card b's client received meanwhile. With
# LAST, the line that must end it, waits for that line.
replay_b() { # trace [last]
	local n; n=$(wc -l <"$OUT/b.log")
	replay "$1"
	sleep 0.5
	[ -z "${2:-}" ] || await_since "$OUT/b.log" "$n" "$2" ||
		fail "$1: no '$2' reached client b"
	got=$(since "$OUT/b.log" "$n")
	echo "client b got: $(echo "$got" | tr '\n' ';')"
}

start_touchscreen
start_versod -d || exit 1
grep "Rear touchscreen" "$OUT/versod.log" || fail "no rear touchscreen"

"$PROBE" --static --solid 204080 --title card-a --log-touch --duration 120 \
	>"$OUT/a.log" & a=$!
expect_screen a 204080 || fail "card a not shown"
"$PROBE" --static --solid c0a000 --title card-b --log-touch --duration 120 \
	>"$OUT/b.log" & b=$!
expect_screen b c0a000 || fail "card b not shown"

# A tap reaches the shown client as wl_touch, where it landed.
replay_b vm-tap.txt "^touch up 0"
echo "$got" | grep -q "^touch down 0 48[89] 29[89]" || fail "tap not delivered at 488,298"
echo "$got" | grep -q "^touch up 0" || fail "tap release not delivered"
[ "$(touches "$OUT/a.log")" = 0 ] || fail "hidden card a got touches"

# Swipe right: the previous card (a) slides in.
replay vm-swipe-right.txt
expect_screen swipe-right 204080 || fail "swipe right did not show card a"
ctl cards

# The thumb holding the phone slides along the edge band: rejected,
# neither a swipe nor a touch for the client.
before=$(touches "$OUT/a.log")
replay vm-edge-grip.txt
sleep 1
expect_screen edge-grip 204080 || fail "edge grip switched cards"
[ "$(touches "$OUT/a.log")" = "$before" ] || fail "edge grip reached the client"

# Swipe left: back to card b.
replay vm-swipe-left.txt
expect_screen swipe-left c0a000 || fail "swipe left did not show card b"

# Palm rule on the real path: versod reads the contact size
# (ABS_MT_TOUCH_MAJOR, 10 units/mm) from the evdev node next to libinput.
grep "contact sizes from its evdev node, 10 units/mm" "$OUT/versod.log" ||
	fail "contact sizes not read from the touchscreen"

# A palm with a finger of the same hand beside it, the finger sweeping
# right: nothing for the client, and card b stays (a swipe right would
# show a).
# The evdev fd is in versod's event loop: it is readable whenever
# libinput's is, so it must not add wakeups (each frame costs one).
frames=$(grep -v '^#' "$DATA/vm-palm.txt" | awk '{print $1}' | uniq | wc -l)
n=$(wc -l <"$OUT/b.log")
sleep 1
w0=$(stat wakeups)
replay vm-palm.txt
w1=$(stat wakeups)
echo "palm replay: $frames evdev frames, versod wakeups $((w1 - w0))"
# One more per frame would be twice as many; allow half that, and the
# stats calls.
[ $((w1 - w0)) -le $((frames * 3 / 2 + 5)) ] ||
	fail "reading contact sizes costs extra wakeups"
sleep 1
expect_screen palm c0a000 || fail "palm switched cards"
echo "client b got: $(since "$OUT/b.log" "$n" | tr '\n' ';')"
since "$OUT/b.log" "$n" | grep -q "^touch down" && fail "palm reached the client"

# A palm and, far from it in the same frame, a finger tap: the tap
# reaches the client where it landed, the palm does not.
replay_b vm-palm-far-finger.txt "^touch up"
echo "$got" | grep -q "^touch down [0-9]* 70[01] 20[01]" ||
	fail "tap beside a far palm not delivered at 700,200"
echo "$got" | grep -q "^touch up" || fail "tap beside a far palm not released"
[ "$(echo "$got" | grep -c "^touch down")" = 1 ] || fail "palm reached the client"

# A finger spreading into a palm without moving: only its size changes,
# which libinput does not report. The client sees it cancelled.
replay_b vm-palm-still.txt "^touch cancel"
echo "$got" | grep -q "^touch down [0-9]* 60[01] 30[01]" ||
	fail "finger-sized contact not delivered at 600,300"
echo "$got" | grep -q "^touch cancel" || fail "contact spreading into a palm not cancelled"
expect_screen palm-still c0a000 || fail "palm spreading switched cards"

# A cancel voids all of the client's touches (wl_touch.cancel): a second
# finger, far from the palm, sends nothing after it.
replay_b vm-palm-two.txt "^touch cancel"
[ "$(echo "$got" | sed -n '1,/^touch cancel/p' | grep -c '^touch down')" = 2 ] ||
	fail "two fingers then a cancel not delivered"
echo "$got" | sed -n '/^touch cancel/,$p' | grep -q "^touch motion" &&
	fail "touch motion after wl_touch.cancel"
# A finger held and moving for longer than blank_timeout (a game stick, a
# map): every move is user activity, so the display stays lit under it.
versod_conf 'output = { blank_timeout = "2s"; };'
ctl reload || fail "reload with a 2 s blank_timeout"
# The last touch was long ago: light the display, and the 2 s start now.
ctl wake
replay vm-hold-drag.txt &
drag=$!
seen=
while kill -0 $drag 2>/dev/null; do
	seen="$seen $(stat power)"
	sleep 0.3
done
wait $drag
echo "power during a 4 s drag:$seen"
case " $seen " in *" blank "*) fail "blanked under a moving finger" ;; esac
versod_conf 'output = { blank_timeout = 0; };'
ctl reload || fail "reload without blanking"
ctl wake
expect_screen hold-drag c0a000 || fail "a held drag switched cards"

# The controller's own palm flag (ABS_MT_TOOL_TYPE MT_TOOL_PALM): a
# finger-sized contact it re-classifies as a palm is cancelled, and one it
# reports as a palm from the start reaches no client and swipes no card.
replay_b vm-palm-tool.txt "^touch cancel"
echo "$got" | grep -q "^touch down [0-9]* 60[01] 30[01]" ||
	fail "contact before its palm flag not delivered at 600,300"
echo "$got" | grep -q "^touch cancel" || fail "contact flagged a palm not cancelled"
replay_b vm-palm-tool-down.txt
echo "$got" | grep -q "^touch down" && fail "contact flagged a palm at its down reached the client"
expect_screen palm-tool c0a000 || fail "a palm-flagged contact switched cards"

grep "Gesture" "$OUT/versod.log" | sed 's/^.*Gesture/Gesture/'
kill $a $b 2>/dev/null; wait $a $b 2>/dev/null
exec 3>&-
stop_versod
exit $status
