#!/bin/bash
# SPDX-License-Identifier: MIT
# foot, a real terminal, on the headless backend: it becomes a card, fills
# the whole 976x596 output with its background, and what the shell inside
# prints shows up in the screenshots (grim, over wlr-screencopy, and
# versoctl's own).
. "$(dirname "$0")/lib.bash"
for t in foot grim; do
	command -v $t >/dev/null || { echo "SKIP: $t not installed"; exit 77; }
done
BG=203040
# Screenshots until COLOUR is uniform over the region, up to 5 s.
expect_region() { # name colour x0 y0 x1 y1
	local c
	for _ in $(seq 25); do
		grim "$OUT/$1.png" 2>/dev/null &&
			c=$(png "$OUT/$1.png" region "$3" "$4" "$5" "$6") &&
			[ "$c" = "$2" ] && return 0
		sleep 0.2
	done
	echo "$1: region $3,$4-$5,$6 is ${c:-unreadable}, not $2"
	return 1
}

# No blanking: the pictures checked here would turn black.
versod_conf 'output = { blank_timeout = 0; };'
start_versod

# The shell hides the cursor, waits for the file "go", then prints a red
# block of 40 cells (truecolour background) on the first line.
cd "$OUT"
WAYLAND_DEBUG=1 foot -o "colors.background=$BG" -o colors.foreground=f0f0f0 \
	-o pad=0x0 -T verso-foot sh -c 'printf "\033[?25l"
		while [ ! -e go ]; do sleep 0.1; done
		printf "\033[48;2;224;32;32m%40s\033[0m" ""
		sleep 60' >"$OUT/foot.log" 2>&1 & foot=$!
cd - >/dev/null

for _ in $(seq 50); do ctl cards | grep -q "verso-foot" && break; sleep 0.1; done
echo "$ versoctl cards"
ctl cards | tee "$OUT/cards.txt"
grep -q "^\* [0-9]* verso-foot$" "$OUT/cards.txt" || fail "foot is not the current card"
# Fullscreen: configured at the output size, and its background everywhere.
grep -q 'xdg_toplevel@[0-9]*\.configure(976, 596' "$OUT/foot.log" ||
	fail "foot not configured 976x596"
expect_region before $BG 0 0 976 596 || fail "foot does not fill the output"
[ "$(png "$OUT/before.png" size)" = 976x596 ] || fail "screenshot size"

# Output from the shell changes the picture: a red block at the top left.
touch "$OUT/go"
expect_region after e02020 0 2 100 10 || fail "the printed block is not shown"
read -r x0 y0 x1 y1 <<<"$(png "$OUT/after.png" bbox $BG)"
echo "printed block: $x0,$y0 - $x1,$y1"
[ "${x0:-1}" = 0 ] && [ "${y0:-1}" = 0 ] && [ "${y1:-999}" -le 40 ] &&
	[ "${x1:-0}" -ge 200 ] || fail "block at $x0,$y0-$x1,$y1"
[ "$(png "$OUT/after.png" region 0 100 976 596)" = $BG ] ||
	fail "the rest of the terminal is not background"
# versod's own screenshot (a second render of the scene) agrees.
ctl screenshot "$OUT/ctl.png" >/dev/null || fail "versoctl screenshot"
[ "$(png "$OUT/ctl.png" px 10 5 500 300)" = "e02020 $BG" ] ||
	fail "versoctl screenshot: $(png "$OUT/ctl.png" px 10 5 500 300)"

kill $foot; wait $foot 2>/dev/null
for _ in $(seq 50); do ctl cards | grep -q . || break; sleep 0.1; done
[ -z "$(ctl cards)" ] || fail "foot's card stayed after it exited"

finish
