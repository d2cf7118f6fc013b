#!/bin/bash
# SPDX-License-Identifier: MIT
# versod cards and config reload on the headless backend: three clients are
# three cards, versoctl cards/next/prev/show switch the one shown (checked
# on screenshots), and versod.conf reloads on change and on SIGHUP, keeping
# the old config with a clear error when the new file is bad.
. "$(dirname "$0")/lib.bash"
expect_screen() { # name colour
	for _ in $(seq 25); do
		ctl screenshot "$OUT/$1.png" >/dev/null &&
			"$PNGCHECK" -s 976x596 "$2" "$OUT/$1.png" >/dev/null 2>&1 &&
			return 0
		sleep 0.2
	done
	"$PNGCHECK" -s 976x596 "$2" "$OUT/$1.png"
	return 1
}
# Waits up to 5 s for a line in versod's log; prints it.
expect_log() { # count-before pattern
	for _ in $(seq 50); do
		n=$(grep -c -- "$2" "$OUT/versod.log")
		[ "$n" -gt "$1" ] && { grep -- "$2" "$OUT/versod.log" | tail -n 1; return 0; }
		sleep 0.1
	done
	return 1
}
logcount() { grep -c -- "$1" "$OUT/versod.log"; }
# Replaces the config the way editors do (write, then rename).
write_conf() { printf '%s\n' "$1" >"$OUT/conf/.tmp" && mv "$OUT/conf/.tmp" "$OUT/conf/versod.conf"; }

mkdir "$OUT/conf"
printf 'cards = { wrap = false; animation = "100ms"; };\n' >"$OUT/conf/versod.conf"
start_versod --config "$OUT/conf/versod.conf"
grep -q "Config loaded from $OUT/conf/versod.conf" "$OUT/versod.log" ||
	fail "config not loaded"

"$PROBE" --static --solid 204080 --title card-a --duration 120 >/dev/null & a=$!
expect_screen a 204080 || fail "card a not shown"
"$PROBE" --static --solid c0a000 --title card-b --duration 120 >/dev/null & b=$!
expect_screen b c0a000 || fail "card b not shown"
"$PROBE" --static --solid 30a030 --title card-c --duration 120 >/dev/null & c=$!
expect_screen c 30a030 || fail "newest card c not shown"

echo "$ versoctl cards"
ctl cards | tee "$OUT/cards.txt"
[ "$(wc -l <"$OUT/cards.txt")" = 3 ] || fail "not 3 cards"
[ "$(sed -n 's/^\* [0-9]* //p' "$OUT/cards.txt")" = card-c ] ||
	fail "card-c is not current"
id_a=$(awk '$NF == "card-a" { print $(NF-1) }' "$OUT/cards.txt")
id_c=$(awk '$NF == "card-c" { print $(NF-1) }' "$OUT/cards.txt")

ctl prev || fail "prev"
expect_screen prev1 c0a000 || fail "prev did not show b"
ctl prev || fail "prev"
expect_screen prev2 204080 || fail "prev did not show a"
ctl prev 2>"$OUT/err.txt" && fail "prev past the first card"
echo "at the first card: $(cat "$OUT/err.txt")"
ctl next || fail "next"
expect_screen next1 c0a000 || fail "next did not show b"
ctl show "$id_c" || fail "show $id_c"
expect_screen show 30a030 || fail "show did not show c"
ctl show 999 2>"$OUT/err.txt" && fail "show of a missing card"
echo "show 999: $(cat "$OUT/err.txt")"
ctl next 2>/dev/null && fail "next past the last card without wrap"

# A changed file is picked up by itself (inotify), no signal needed.
n=$(logcount "Config reloaded")
write_conf 'cards = { wrap = true; animation = "100ms"; };'
expect_log "$n" "Config reloaded" || fail "file change not reloaded"
ctl next || fail "next with wrap"
expect_screen wrap 204080 || fail "wrap did not show a"

# SIGHUP reloads too.
n=$(logcount "Config reloaded")
kill -HUP $pid
expect_log "$n" "Config reloaded" || fail "SIGHUP did not reload"

# A bad file: logged clearly, the old config (wrap) stays.
n=$(logcount "Config reload failed")
printf 'cards = { wrap = "yes"; };\n' >"$OUT/conf/versod.conf"
expect_log "$n" "Config reload failed" || fail "bad file change not reported"
n=$(logcount "Config reload failed")
kill -HUP $pid
expect_log "$n" "Config reload failed" || fail "bad config on SIGHUP not reported"
echo "$ versoctl reload"
ctl reload && fail "bad config reported as reloaded"
ctl show "$id_c" && ctl next || fail "wrap lost after a bad config"
expect_screen kept 204080 || fail "old config not kept"
kill -0 $pid || fail "versod died"

# Closing the shown card shows a neighbour.
ctl show "$id_a"
kill $a; wait $a 2>/dev/null
expect_screen closed c0a000 || fail "closing a did not show b"

kill $b $c; wait $b $c 2>/dev/null
finish
