#!/bin/bash
# SPDX-License-Identifier: MIT
# versod on the headless backend with real clients: the 976x596 rear mode,
# the newest toplevel on top and the previous one back when it closes, no
# frame callbacks to hidden clients, screenshots, bad D-Bus requests, and a
# clean exit.
. "$(dirname "$0")/lib.bash"
# Waits up to 5 s for the screen to show a colour (clients map at their pace).
expect_screen() { # name colour
	for _ in $(seq 25); do
		ctl screenshot "$OUT/$1.png" >/dev/null &&
			"$PNGCHECK" -s 976x596 "$2" "$OUT/$1.png" >/dev/null &&
			return 0
		sleep 0.2
	done
	"$PNGCHECK" -s 976x596 "$2" "$OUT/$1.png"
	return 1
}

start_versod

[ "$(stat output)" = HEADLESS-1 ] || fail "output '$(stat output)'"
[ "$(stat mode)" = 976x596@120.000 ] || fail "mode '$(stat mode)'"

# Newest on top; the previous one shows again when it closes.
"$PROBE" --static --solid 204080 --duration 60 >/dev/null & a=$!
expect_screen a 204080 || fail "first client not shown"
"$PROBE" --static --solid c0a000 --duration 60 >/dev/null & b=$!
expect_screen b c0a000 || fail "newest client not on top"
kill $b; wait $b 2>/dev/null
expect_screen a2 204080 || fail "previous client not back"
kill $a; wait $a 2>/dev/null

# A covered client gets no frame callbacks: it stops drawing. Covered
# after about 1 s of 9, it draws far fewer frames than in 3 s alone, even
# when the cover takes a few seconds to map on a loaded host; drawing on,
# it would draw three times as many.
alone=$("$PROBE" --duration 3 | tr ' ' '\n' | sed -n 's/^frames=//p')
"$PROBE" --duration 9 >"$OUT/covered.txt" & c=$!
sleep 1
"$PROBE" --static --duration 9 >/dev/null & d=$!
wait $c $d
covered=$(tr ' ' '\n' <"$OUT/covered.txt" | sed -n 's/^frames=//p')
echo "frames: alone in 3 s $alone, in 9 s covered after 1 s $covered"
[ "$covered" -lt $((alone * 3 / 2)) ] || fail "covered client kept drawing"

# A client killed mid-frame, then bad requests: versod keeps running.
"$PROBE" --duration 10 >/dev/null 2>&1 & e=$!
sleep 1
kill -9 $e
wait $e 2>/dev/null
busctl --user call org.verso.Compositor1 /org/verso/Compositor1 \
	org.verso.Compositor1 Screenshot s relative.png 2>/dev/null &&
	fail "relative path accepted"
ctl screenshot /nonexistent/dir/x.png 2>/dev/null && fail "bad path accepted"
# A FIFO nobody reads: refused at once, not a blocked event loop.
mkfifo "$OUT/fifo"
timeout 10 "$BIN/tools/versoctl/versoctl" screenshot "$OUT/fifo" 2>"$OUT/fifo.err" &&
	fail "screenshot to a FIFO accepted"
echo "screenshot to a FIFO: $(cat "$OUT/fifo.err")"
timeout 5 "$BIN/tools/versoctl/versoctl" stats >/dev/null ||
	fail "versod does not answer after a screenshot to a FIFO"
ctl screenshot /dev/null 2>/dev/null && fail "screenshot to /dev/null accepted"
kill -0 $pid || fail "versod died"
[ "$(ctl screenshot "$OUT/m.png" | sed 's/.*: //')" = renderer ] ||
	fail "headless screenshot method"
expect_screen end 000000 || fail "not black without clients"

finish
