#!/bin/bash
# SPDX-License-Identifier: MIT
# idle-inhibit on the headless backend: with a short blank_timeout, a shown
# card holding a zwp_idle_inhibitor_v1 keeps versod from blanking (the
# `power` statistic); destroying the inhibitor lets it blank; an inhibitor
# on a card hidden behind another does not count, and counts again once its
# card is shown.
. "$(dirname "$0")/lib.bash"
TIMEOUT_MS=1000
# Never "blank" during SECONDS (polled every 0.2 s).
stays_lit() { # seconds
	for _ in $(seq $(($1 * 5))); do
		[ "$(stat power)" = blank ] && return 1
		sleep 0.2
	done
	return 0
}
# "blank" within SECONDS.
blanks() { # seconds
	for _ in $(seq $(($1 * 5))); do
		[ "$(stat power)" = blank ] && return 0
		sleep 0.2
	done
	return 1
}
# Waits up to 5 s for a line on a client's output.
expect_line() { # file text
	for _ in $(seq 50); do
		grep -q "$2" "$1" && return 0
		sleep 0.1
	done
	return 1
}
current_card() { ctl cards | sed -n 's/^\* \([0-9]*\) .*/\1/p'; }
wait_card() { # title: waits until it is the current card
	for _ in $(seq 50); do
		ctl cards | grep -q "^\* [0-9]* $1\$" && return 0
		sleep 0.1
	done
	return 1
}

versod_conf "output = { blank_timeout = $TIMEOUT_MS; idle_after = \"200ms\"; };
cards = { animation = 0; };"
start_versod

# Control: without an inhibitor the display blanks by itself.
ctl wake
blanks 6 || fail "no blank after ${TIMEOUT_MS} ms without an inhibitor"

# A shown card with an inhibitor: never blanks.
"$PROBE" --static --solid 2060a0 --title inhibitor --idle-inhibit \
	--duration 120 >"$OUT/a.txt" & a=$!
expect_line "$OUT/a.txt" "idle-inhibit: on" || fail "no inhibitor: $(cat "$OUT/a.txt")"
wait_card inhibitor || fail "inhibiting card not shown"
# Only a wake lights a blanked display; its first frame sees the inhibitor.
ctl wake
stays_lit 4 || fail "blanked although the shown card inhibits idle"
grep -q "Blanking inhibited" "$OUT/versod.log" || fail "inhibition not logged"
echo "inhibited: power $(stat power) after 4 s (blank_timeout ${TIMEOUT_MS} ms)"

# The client destroys its inhibitor (and stays): the display blanks.
kill -USR1 $a
expect_line "$OUT/a.txt" "idle-inhibit: released" || fail "inhibitor not released"
blanks 6 || fail "no blank after the inhibitor was destroyed"
echo "released: power $(stat power)"
# A blanked headless output stays enabled: it shows black, and a
# screenshot client gets that instead of waiting for a commit forever.
if command -v grim >/dev/null; then
	timeout 10 grim "$OUT/blank.png" || fail "grim on a blank display: $?"
	"$PNGCHECK" -s 976x596 000000 "$OUT/blank.png" ||
		fail "grim on a blank display: not black"
fi
kill $a; wait $a 2>/dev/null

# An inhibitor on a hidden card does not count.
"$PROBE" --static --solid 2060a0 --title hidden --idle-inhibit \
	--duration 120 >"$OUT/b.txt" & b=$!
expect_line "$OUT/b.txt" "idle-inhibit: on" || fail "no inhibitor on b"
wait_card hidden || fail "card b not shown"
id_b=$(current_card)
ctl wake
"$PROBE" --static --solid c0a000 --title cover --duration 120 >/dev/null & c=$!
wait_card cover || fail "card c not shown on top of b"
id_c=$(current_card)
blanks 6 || fail "an inhibitor on a hidden card kept the display lit"
echo "inhibitor on a hidden card: power $(stat power)"

# Its card shown again (and the display woken): inhibited again.
ctl show "$id_b" || fail "show $id_b"
ctl wake
stays_lit 3 || fail "the inhibiting card shown again did not inhibit"

# Closing the inhibiting card lets the display blank.
kill $b; wait $b 2>/dev/null
blanks 6 || fail "no blank after the inhibiting card closed"

# A subsurface counts as its card: shown, it inhibits; under another
# card, it does not, although it is mapped.
"$PROBE" --static --solid 2060a0 --title sub --idle-inhibit-sub \
	--duration 120 >"$OUT/d.txt" & d=$!
expect_line "$OUT/d.txt" "idle-inhibit: on (subsurface)" ||
	fail "no subsurface inhibitor: $(cat "$OUT/d.txt")"
wait_card sub || fail "card d not shown"
ctl wake
stays_lit 3 || fail "an inhibitor on the shown card's subsurface did not inhibit"
ctl show "$id_c" || fail "show $id_c"
ctl wake
blanks 6 || fail "an inhibitor on a hidden card's subsurface kept the display lit"
echo "inhibitor on a hidden card's subsurface: power $(stat power)"
kill $d; wait $d 2>/dev/null

kill $c; wait $c 2>/dev/null
finish
