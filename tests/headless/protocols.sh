#!/bin/bash
# SPDX-License-Identifier: MIT
# versod's extra protocols on the headless backend with real clients:
# wlr-screencopy (grim) shows the client's colour, also once the client is
# idle; D-Bus power blanks and lights the output; a
# wlr-layer-shell overlay draws above the card and is gone when it exits;
# the D-Bus power and brightness calls answer cleanly; xdg popups are
# kept on the output.
. "$(dirname "$0")/lib.bash"
command -v grim >/dev/null || { echo "SKIP: grim not installed"; exit 77; }
PP=$BIN/tools/proto-probe/proto-probe
# pngcheck on a region: crop with python (grim writes plain PNGs).
region() { # png y0 y1 -> "RRGGBB" if uniform, else "mixed"
	python3 - "$@" <<'PY'
import sys, zlib, struct
path, y0, y1 = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
data = open(path, 'rb').read()
pos, idat, w = 8, b'', 0
while pos < len(data):
	n, t = struct.unpack('>I4s', data[pos:pos + 8])
	body = data[pos + 8:pos + 8 + n]
	if t == b'IHDR':
		w, h, depth, ctype = struct.unpack('>IIBB', body[:10])
	elif t == b'IDAT':
		idat += body
	pos += 12 + n
raw = zlib.decompress(idat)
bpp = 4 if ctype == 6 else 3
stride = w * bpp
rows, prev = [], bytearray(stride)
for y in range(h):
	f = raw[y * (stride + 1)]
	line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
	for i in range(stride):
		a = line[i - bpp] if i >= bpp else 0
		b = prev[i]
		c = prev[i - bpp] if i >= bpp else 0
		if f == 1: line[i] = (line[i] + a) & 255
		elif f == 2: line[i] = (line[i] + b) & 255
		elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
		elif f == 4:
			p = a + b - c
			pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
			line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
	rows.append(line)
	prev = line
cols = set()
for y in range(y0, y1):
	for x in range(0, w, 7):
		cols.add(bytes(rows[y][x * bpp:x * bpp + 3]))
print(cols.pop().hex() if len(cols) == 1 else "mixed")
PY
}

# Takes grim shots into $OUT/NAME.png until rows [Y0,Y1) are WANT, for up
# to 10 s (a client maps late on a loaded host or the ASan build); sets c to
# what the last shot showed there.
grim_until() { # name y0 y1 want
	for _ in $(seq 20); do
		grim "$OUT/$1.png" && c=$(region "$OUT/$1.png" "$2" "$3")
		[ "$c" = "$4" ] && return 0
		sleep 0.5
	done
	return 1
}

versod_conf 'output = { blank_timeout = 0; };'

start_versod

# screencopy: the card's colour, also when the client has stopped drawing.
"$PROBE" --static --solid 2060a0 --duration 600 >/dev/null & card=$!
c=
grim_until grim1 0 596 2060a0
echo "grim, static card: $c"
[ "$c" = 2060a0 ] || fail "grim shows $c, want 2060a0"
sleep 2
grim "$OUT/grim2.png" || fail "grim failed on an idle output"
c=$(region "$OUT/grim2.png" 0 596)
[ "$c" = 2060a0 ] || fail "grim on the idle output shows $c"

# layer-shell: an overlay banner on top of the card, 100 px at the top.
"$PP" layer --layer overlay --height 100 --solid ff8000 --duration 300 \
	>"$OUT/layer.txt" & banner=$!
for _ in $(seq 50); do grep -q mapped "$OUT/layer.txt" && break; sleep 0.1; done
cat "$OUT/layer.txt"
grep -q "mapped 976x100" "$OUT/layer.txt" || fail "layer surface not configured 976x100"
grim_until grim3 0 100 ff8000
top=$(region "$OUT/grim3.png" 0 100) rest=$(region "$OUT/grim3.png" 100 596)
echo "grim with banner: top $top, rest $rest"
[ "$top" = ff8000 ] || fail "banner not above the card (top is $top)"
[ "$rest" = 2060a0 ] || fail "card not below the banner (rest is $rest)"
# A strip at the bottom on the top layer.
"$PP" layer --layer top --anchor bottom --height 40 --solid 00c040 \
	--duration 300 >"$OUT/strip.txt" & strip=$!
for _ in $(seq 50); do grep -q mapped "$OUT/strip.txt" && break; sleep 0.1; done
grim_until grim4 556 596 00c040
bottom=$(region "$OUT/grim4.png" 556 596)
echo "grim with strip: bottom $bottom"
[ "$bottom" = 00c040 ] || fail "activity strip not shown (bottom is $bottom)"
kill $banner $strip; wait $banner $strip 2>/dev/null
grim_until grim5 0 596 2060a0 || fail "overlays left traces: $c"

# A popup of a top-layer strip (its menu) shows above the card, kept on
# the output: anchored 10 px from the strip's right end and growing right,
# it slides left until it ends at the output's edge; it grows up from the
# strip's top edge, over the card. Its submenu, anchored 10 px inside the
# menu's right edge and growing right and down, slides left onto it.
"$PP" layer --layer top --anchor bottom --height 100 --solid 00c040 \
	--popup e0e0e0 --duration 300 >"$OUT/lpopup.txt" & lpopup=$!
for _ in $(seq 100); do grep -q "^popup:" "$OUT/lpopup.txt" && break; sleep 0.1; done
cat "$OUT/lpopup.txt"
grep -qx "popup: 856,-60 120x60" "$OUT/lpopup.txt" ||
	fail "layer popup placed at $(sed -n 's/^popup: //p' "$OUT/lpopup.txt"), want 856,-60 120x60"
grep -qx "popup2: 0,10 120x60" "$OUT/lpopup.txt" ||
	fail "its submenu placed at $(sed -n 's/^popup2: //p' "$OUT/lpopup.txt"), want 0,10 120x60"
# Menu and submenu together cover 856,436 to 976,506.
popup_shown() {
	grim "$OUT/lpopup.png" && shown=$(png "$OUT/lpopup.png" region \
		856 436 976 506 0 436 856 496 0 506 976 596) &&
		[ "$shown" = "e0e0e0 2060a0 00c040" ]
}
shown=
for _ in $(seq 20); do popup_shown && break; sleep 0.5; done
echo "layer popup, card beside it, strip: $shown"
[ "$shown" = "e0e0e0 2060a0 00c040" ] || fail "layer popup not shown above the strip: $shown"
kill $lpopup; wait $lpopup 2>/dev/null
grim_until grim6 0 596 2060a0 || fail "the layer popup left traces: $c"
# A bottom-layer surface is under the card, but its menu is not.
"$PP" layer --layer bottom --anchor bottom --height 100 --solid 00c040 \
	--popup e0e0e0 --duration 300 >"$OUT/bpopup.txt" & bpopup=$!
for _ in $(seq 100); do grep -q "^popup:" "$OUT/bpopup.txt" && break; sleep 0.1; done
shown=
for _ in $(seq 20); do
	grim "$OUT/bpopup.png" && shown=$(png "$OUT/bpopup.png" region \
		856 436 976 506 0 436 856 596) && [ "$shown" = "e0e0e0 2060a0" ] && break
	sleep 0.5
done
echo "bottom-layer popup, card around it: $shown"
[ "$shown" = "e0e0e0 2060a0" ] || fail "bottom-layer popup not above the card: $shown"
kill $bpopup; wait $bpopup 2>/dev/null
grim_until grim7 0 596 2060a0 || fail "the bottom-layer popup left traces: $c"

# D-Bus power. wlr-output-power-management needs an output that can be
# disabled, which headless outputs in wlroots 0.15 cannot: see
# tests/vm/22-versod-power.sh.
ctl power off && [ "$(stat power)" = blank ] || fail "versoctl power off"
ctl wake && [ "$(stat power)" != blank ] || fail "versoctl wake"
# An overlay (notification) lights a blanked display.
ctl power off
"$PP" layer --layer overlay --height 60 --duration 2 >/dev/null
[ "$(stat power)" != blank ] || fail "a notification did not wake the display"
# The same for a surface that moves to the overlay layer as it maps.
ctl power off
"$PP" layer --layer top --map-layer overlay --height 60 --duration 2 >/dev/null
[ "$(stat power)" != blank ] ||
	fail "a surface moved to the overlay layer as it mapped did not wake the display"

# A headless output cannot be disabled: blank is drawn black into the
# swapchain. After a wake, a client that redraws only a row each frame
# must still show whole, whichever buffer comes next.
"$PROBE" --solid 3060c0 --duration 60 >/dev/null & anim=$!
for _ in $(seq 50); do
	grim "$OUT/anim.png" && [ "$(region "$OUT/anim.png" 0 595)" = 3060c0 ] && break
	sleep 0.1
done
ctl power off && sleep 0.3 && ctl wake || fail "power off and wake"
grim_until woken0 0 595 3060c0 || fail "woken display shows $c, not the animating client"
for i in 1 2 3; do
	grim "$OUT/woken$i.png"
	c=$(region "$OUT/woken$i.png" 0 595)
	[ "$c" = 3060c0 ] || fail "woken display shows $c, not the animating client (grim $i)"
	sleep 0.1
done
kill $anim; wait $anim 2>/dev/null

# Brightness: no backlight on the headless backend: a clear error.
if ctl brightness 50 2>"$OUT/bl.err"; then
	echo "brightness set (a backlight device exists)"
else
	grep -q "no backlight" "$OUT/bl.err" || fail "brightness error: $(cat "$OUT/bl.err")"
fi
ctl brightness 150 2>/dev/null && fail "brightness 150 accepted"
ctl power maybe 2>/dev/null && fail "power maybe accepted"

# xdg popups stay on the output, also for a window whose geometry leaves
# a client-side shadow around it (the surface starts above and left of
# the output): 120x60, anchored 10 px inside the top right corner,
# slides left until it ends at the output's right edge.
"$PP" popup >"$OUT/popup.out" || fail "proto-probe popup"
cat "$OUT/popup.out"
grep -qx "window: 976x596" "$OUT/popup.out" || fail "popup's window is not fullscreen"
grep -qx "popup: 856,11 120x60" "$OUT/popup.out" ||
	fail "popup placed at $(sed -n 's/^popup: //p' "$OUT/popup.out"), want 856,11 120x60"

kill $card; wait $card 2>/dev/null
finish
