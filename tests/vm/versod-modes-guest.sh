#!/bin/bash
# SPDX-License-Identifier: MIT
# Runs inside the VM with verso.ko loaded: versod on a panel without
# adaptive sync (VERSOD_NO_VRR=1), where idle means switching to the
# slowest mode and back. Idle picks that mode; a new card, a card slide
# and a client that starts drawing each bring back full speed at once; no
# frame fails across the switches, and none shows a cleared buffer.
# Usage: versod-modes-guest.sh BINDIR
. "$(dirname "$0")/guest-lib.bash"
versod_conf 'output = { idle_after = "300ms"; blank_timeout = 0; };'
LOG_SKIP='\[backend\|\[render'
rear_state() { grep -A0 "DSI-2" "$DRI/verso_state"; }
mode_is_fast() { case "$(stat mode)" in *@120*) return 0 ;; esac; return 1; }
idle_and_slow() { power_is idle && ! mode_is_fast; }

export VERSOD_NO_VRR=1
# Debug logging: wlroots says when it scans out a cleared buffer.
start_versod --debug || exit 1
grep -q "adaptive sync not supported" "$OUT/versod.log" ||
	fail "VERSOD_NO_VRR=1 left adaptive sync in use"
"$PROBE" --static --solid 3366cc --title A --duration 300 >/dev/null &
pa=$!

# Idle: the slowest mode, no adaptive sync.
wait_for 20 idle_and_slow || fail "not idle at a slow mode: '$(stat power)' $(stat mode)"
echo "idle: $(rear_state) mode=$(stat mode)"
rear_state | grep -q "vrr on" && fail "adaptive sync on with VERSOD_NO_VRR"

# The checks below read the log and D-Bus, not screenshots: a writeback
# screenshot at the 1 Hz mode holds versod for two slow vblanks
# (compositor.md, Limits), which would be the test's own doing.
fast_modesets() { grep -c "Modesetting with '976x596@120000mHz'" "$OUT/versod.log"; }
more_fast_modesets() { [ "$(fast_modesets)" -gt "$1" ]; }
shown_card() { ctl cards | sed -n 's/^\* [0-9]* //p'; }
card_shown() { [ "$(shown_card)" = "$1" ]; }

# A card that maps while idle slides in at full speed.
n=$(fast_modesets)
"$PROBE" --static --solid cc3366 --title B --duration 300 >/dev/null &
pb=$!
wait_for 5 card_shown B || fail "card B mapped while idle is not shown: '$(shown_card)'"
wait_for 3 more_fast_modesets "$n" || fail "card B slid in at the idle mode"
wait_for 20 idle_and_slow || fail "not idle again after the new card"

# A slide started over D-Bus runs at full speed: the reply comes after
# versod has asked for the fast mode, which the slide's first frame sets
# (counted in the log: the slide and the fast mode are over in a moment).
n=$(fast_modesets)
ctl prev || fail "versoctl prev"
wait_for 3 more_fast_modesets "$n" || fail "a slide at idle stayed at the idle mode"
card_shown A || fail "the slide did not end on card A: '$(shown_card)'"
wait_for 20 idle_and_slow || fail "not idle again after the slide"

# A client that starts drawing continuously while idle gets the full
# refresh back within about two idle refresh periods.
before=$(stat frames_presented)
# C holds its first frame until SIGUSR1, then animates for 6 s: however
# long the slide and the slow modeset take on this guest, it starts to
# draw once the display is idle.
"$PROBE" --solid 33cc66 --title C --still 120 --duration 126 >"$OUT/c.out" &
pc=$!
wait_for 5 card_shown C || fail "card C is not shown: '$(shown_card)'"
wait_for 20 idle_and_slow || fail "not idle while card C is still"
t0=$(date +%s%N)
kill -USR1 $pc
wait_for 10 mode_is_fast || fail "a client drawing continuously stayed at $(stat mode)"
t1=$(date +%s%N)
echo "continuous client: $(stat mode) after $(((t1 - t0) / 1000000)) ms"
wait $pc || fail "present-probe C failed"
line=$(grep '^present:' "$OUT/c.out")
echo "C: $line"
mean=$(field "$line" mean_interval_ns)
# At the 1 Hz idle mode the mean would be about 1 s.
[ "${mean:-1000000000}" -lt 200000000 ] ||
	fail "card C's frames came ${mean:-?} ns apart: still at the idle refresh"

# The mode switches made no frame fail (a failed commit shows a stale
# frame until the retry), and none showed black: a modeset without a
# frame makes wlroots scan out a cleared buffer, for a whole refresh of
# the new mode. Only the first lighting has no frame to show.
n=$(grep -c "Failed to commit a frame" "$OUT/versod.log" || true)
echo "failed frame commits: $n (frames presented $before -> $(stat frames_presented))"
[ "$n" = 0 ] || fail "$n frames failed to commit across mode switches"
switches=$(grep -c "Modesetting with" "$OUT/versod.log" || true)
black=$(grep -c "Attaching empty buffer" "$OUT/versod.log" || true)
echo "modesets: $switches, with a cleared buffer: $black"
[ "$switches" -ge 7 ] || fail "only $switches modesets: the idle switches did not happen"
[ "$black" = 1 ] || fail "$((black - 1)) mode switches scanned out a cleared buffer"

kill $pa $pb 2>/dev/null
stop_versod
exit $status
