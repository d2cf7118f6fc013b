#!/bin/bash
# SPDX-License-Identifier: MIT
# Runs inside the VM (verso.ko, uinput, udevd): versod on DRM + libinput
# with a uinput touchscreen replaying tests/data/touch/vm-*.txt, contact
# sizes included (the palm rule).
# Usage: touch-guest.sh BINDIR
set -u
BIN=$1
TOP=$(cd "$(dirname "$0")/../.." && pwd)
DATA=$TOP/tests/data/touch
OUT=${VM_OUT:-$(mktemp -d)}
export XDG_RUNTIME_DIR=$(mktemp -d)
chmod 700 "$XDG_RUNTIME_DIR"
# Only the test's own config, and no blanking: a loaded CI guest can
# take longer than the 15 s default between two steps.
export XDG_CONFIG_HOME=$(mktemp -d)
mkdir -p "$XDG_CONFIG_HOME/verso"
echo 'output = { blank_timeout = 0; };' >"$XDG_CONFIG_HOME/verso/versod.conf"
# libinput as well: the touchscreen exists, so no WLR_LIBINPUT_NO_DEVICES.
export LIBSEAT_BACKEND=builtin WLR_BACKENDS=drm,libinput WLR_RENDERER=pixman
export WAYLAND_DISPLAY=wayland-0

run() {
	status=0
	fail() { echo "FAIL: $*"; status=1; }
	ctl() { "$BIN/tools/versoctl/versoctl" "$@"; }
	shot() { # name colour: waits up to 5 s for the screen to show colour
		for _ in $(seq 25); do
			ctl screenshot "$OUT/$1.png" >/dev/null 2>&1 &&
				"$BIN/tools/verso-capture/verso-pngcheck" -s 976x596 "$2" \
					"$OUT/$1.png" >/dev/null 2>&1 && return 0
			sleep 0.2
		done
		"$BIN/tools/verso-capture/verso-pngcheck" -s 976x596 "$2" "$OUT/$1.png"
		return 1
	}
	# The touchscreen, fed trace paths through a fifo.
	FIFO=$XDG_RUNTIME_DIR/touch.fifo
	mkfifo "$FIFO"
	"$BIN/tests/touch/uinput-touch" <"$FIFO" >"$OUT/touch.log" 2>&1 &
	exec 3>"$FIFO"
	for _ in $(seq 50); do grep -q ready "$OUT/touch.log" && break; sleep 0.1; done
	udevadm settle
	replay() { # trace
		local n; n=$(grep -c "^done" "$OUT/touch.log")
		echo "$DATA/$1" >&3
		for _ in $(seq 100); do
			[ "$(grep -c "^done" "$OUT/touch.log")" -gt "$n" ] && return 0
			sleep 0.1
		done
		fail "replay of $1 did not finish"
	}
	touches() { grep -c "^touch down" "$1"; }

	"$BIN/compositor/versod" -d >"$OUT/versod.log" 2>&1 &
	pid=$!
	for _ in $(seq 150); do
		[ -S "$XDG_RUNTIME_DIR/wayland-0" ] && ctl stats >/dev/null 2>&1 && break
		sleep 0.2
	done
	kill -0 $pid 2>/dev/null || { fail "versod died at start"; return; }
	grep "Rear touchscreen" "$OUT/versod.log" || fail "no rear touchscreen"

	"$BIN/tools/present-probe/present-probe" --static --solid 204080 \
		--title card-a --log-touch --duration 120 >"$OUT/a.log" & a=$!
	shot a 204080 || fail "card a not shown"
	"$BIN/tools/present-probe/present-probe" --static --solid c0a000 \
		--title card-b --log-touch --duration 120 >"$OUT/b.log" & b=$!
	shot b c0a000 || fail "card b not shown"

	# A tap reaches the shown client as wl_touch, where it landed.
	replay vm-tap.txt
	sleep 0.5
	echo "client b got: $(grep '^touch' "$OUT/b.log" | tr '\n' ';')"
	grep -q "^touch down 0 48[89] 29[89]" "$OUT/b.log" || fail "tap not delivered at 488,298"
	grep -q "^touch up 0" "$OUT/b.log" || fail "tap release not delivered"
	[ "$(touches "$OUT/a.log")" = 0 ] || fail "hidden card a got touches"

	# Swipe right: the previous card (a) slides in.
	replay vm-swipe-right.txt
	shot swipe-right 204080 || fail "swipe right did not show card a"
	ctl cards

	# The thumb holding the phone slides along the edge band: rejected,
	# neither a swipe nor a touch for the client.
	before=$(touches "$OUT/a.log")
	replay vm-edge-grip.txt
	sleep 1
	shot edge-grip 204080 || fail "edge grip switched cards"
	[ "$(touches "$OUT/a.log")" = "$before" ] || fail "edge grip reached the client"

	# Swipe left: back to card b.
	replay vm-swipe-left.txt
	shot swipe-left c0a000 || fail "swipe left did not show card b"

	# Palm rule on the real path: versod reads the contact size
	# (ABS_MT_TOUCH_MAJOR, 10 units/mm) from the evdev node next to libinput.
	grep "contact sizes from its evdev node, 10 units/mm" "$OUT/versod.log" ||
		fail "contact sizes not read from the touchscreen"
	since() { tail -n +"$(($2 + 1))" "$1" | grep "^touch"; } # log, lines before

	# A palm with a finger of the same hand beside it, the finger sweeping
	# right: nothing for the client, and card b stays (a swipe right would
	# show a).
	# The evdev fd is in versod's event loop: it is readable whenever
	# libinput's is, so it must not add wakeups (each frame costs one).
	stat() { ctl stats | sed -n "s/^$1: //p"; }
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
	shot palm c0a000 || fail "palm switched cards"
	echo "client b got: $(since "$OUT/b.log" "$n" | tr '\n' ';')"
	since "$OUT/b.log" "$n" | grep -q "^touch down" && fail "palm reached the client"

	# A palm and, far from it in the same frame, a finger tap: the tap
	# reaches the client where it landed, the palm does not.
	n=$(wc -l <"$OUT/b.log")
	replay vm-palm-far-finger.txt
	sleep 0.5
	got=$(since "$OUT/b.log" "$n")
	echo "client b got: $(echo "$got" | tr '\n' ';')"
	echo "$got" | grep -q "^touch down [0-9]* 70[01] 20[01]" ||
		fail "tap beside a far palm not delivered at 700,200"
	echo "$got" | grep -q "^touch up" || fail "tap beside a far palm not released"
	[ "$(echo "$got" | grep -c "^touch down")" = 1 ] || fail "palm reached the client"

	# A finger spreading into a palm without moving: only its size changes,
	# which libinput does not report. The client sees it cancelled.
	n=$(wc -l <"$OUT/b.log")
	replay vm-palm-still.txt
	sleep 0.5
	got=$(since "$OUT/b.log" "$n")
	echo "client b got: $(echo "$got" | tr '\n' ';')"
	echo "$got" | grep -q "^touch down [0-9]* 60[01] 30[01]" ||
		fail "finger-sized contact not delivered at 600,300"
	echo "$got" | grep -q "^touch cancel" || fail "contact spreading into a palm not cancelled"
	shot palm-still c0a000 || fail "palm spreading switched cards"

	grep "Gesture" "$OUT/versod.log" | sed 's/^.*Gesture/Gesture/'
	kill $a $b 2>/dev/null; wait $a $b 2>/dev/null
	exec 3>&-
	kill -TERM $pid
	wait $pid || fail "versod exited with status $?"
	[ $status = 0 ] || { echo "--- versod log"; grep -v "ipc.c" "$OUT/versod.log" | tail -n 40; }
	return $status
}
export -f run
export BIN OUT DATA
dbus-run-session -- bash -c 'run' 2>&1 | grep -v "fd limit"
exit "${PIPESTATUS[0]}"
