#!/bin/bash
# SPDX-License-Identifier: MIT
# output.rotation on the headless backend: at 90, 180 and 270 degrees (from
# the config at start, then live reloads on a file change and on SIGHUP) a
# client is configured at the rotated logical size, grim (wlr-screencopy
# plus the wl_output transform) shows its picture upright, and versod's own
# screenshot of the panel's 976x596 raster shows it rotated the way touch
# input is mapped (compositor/touch.c): raster point (u, v) shows the
# client's (1 - v, u) at 90, (1 - u, 1 - v) at 180 and (v, 1 - u) at 270.
. "$(dirname "$0")/lib.bash"
command -v grim >/dev/null || { echo "SKIP: grim not installed"; exit 77; }
R=e02020 G=20c040 B=2040e0 W=f0f0f0 # present-probe's quadrants
# The raster's quadrants (top left, top right, bottom left, bottom right).
declare -A panel=(
	[0]="$R $G $B $W"
	[90]="$G $W $R $B"
	[180]="$W $B $G $R"
	[270]="$B $R $W $G"
)
quadrants() { # png w h
	png "$1" region 0 0 $(($2 / 2)) $(($3 / 2)) $(($2 / 2)) 0 "$2" $(($3 / 2)) \
		0 $(($3 / 2)) $(($2 / 2)) "$3" $(($2 / 2)) $(($3 / 2)) "$2" "$3"
}
# The last configure the client got, "WxH".
configured() { # client debug log
	sed -n 's/.*xdg_toplevel@[0-9]*\.configure(\([0-9]*\), \([0-9]*\),.*/\1x\2/p' \
		"$1" | tail -n 1
}
# Waits up to 5 s for ROTATION to show, then checks it in detail.
check() { # rotation client-log
	local rot=$1 lw=976 lh=596 got c g
	case $rot in 90 | 270) lw=596 lh=976 ;; esac
	for _ in $(seq 25); do
		ctl screenshot "$OUT/ctl-$rot.png" >/dev/null &&
			c=$(quadrants "$OUT/ctl-$rot.png" 976 596) &&
			[ "$c" = "${panel[$rot]}" ] && break
		sleep 0.2
	done
	got=$(configured "$2")
	grim "$OUT/grim-$rot.png" || fail "$rot: grim failed"
	g=$(quadrants "$OUT/grim-$rot.png" $lw $lh)
	echo "rotation $rot: configured $got; panel $c; grim" \
		"$(png "$OUT/grim-$rot.png" size) $g"
	[ "$got" = ${lw}x$lh ] || fail "$rot: configured $got, want ${lw}x$lh"
	[ "$c" = "${panel[$rot]}" ] || fail "$rot: panel shows $c, want ${panel[$rot]}"
	[ "$(png "$OUT/ctl-$rot.png" size)" = 976x596 ] || fail "$rot: raster size"
	[ "$(png "$OUT/grim-$rot.png" size)" = ${lw}x$lh ] || fail "$rot: grim size"
	[ "$g" = "$R $G $B $W" ] || fail "$rot: grim shows $g, want $R $G $B $W"
	[ "$(stat mode)" = 976x596@120.000 ] || fail "$rot: mode $(stat mode)"
}
logcount() { grep -c -- "$1" "$OUT/versod.log"; }
wait_log() { # count-before pattern: up to 5 s for one more line
	for _ in $(seq 50); do
		[ "$(logcount "$2")" -gt "$1" ] && return 0
		sleep 0.1
	done
	return 1
}

mkdir -p "$OUT/conf" "$OUT/spare"
conf=$OUT/conf/versod.conf
# No blanking: the pictures checked here would turn black.
printf 'output = { rotation = 90; blank_timeout = 0; };\n' >"$conf"
start_versod --config "$conf"

# Rotated from the start.
WAYLAND_DEBUG=1 "$PROBE" --static --duration 120 2>"$OUT/a.log" >/dev/null & a=$!
check 90 "$OUT/a.log"

# Live: the file changes (inotify).
for rot in 180 270; do
	n=$(logcount "Config reloaded")
	printf 'output = { rotation = %d; blank_timeout = 0; };\n' $rot >"$OUT/conf/.new"
	mv "$OUT/conf/.new" "$conf"
	wait_log "$n" "Config reloaded" || fail "rotation $rot not reloaded"
	check $rot "$OUT/a.log"
done

# SIGHUP: the file is rewritten through a hard link in a directory
# versod does not watch, so inotify does not see it.
ln "$conf" "$OUT/spare/versod.conf"
n=$(logcount "Config reloaded")
printf 'output = { rotation = 0; blank_timeout = 0; };\n' >"$OUT/spare/versod.conf"
sleep 0.5
[ "$(logcount "Config reloaded")" = "$n" ] ||
	echo "note: inotify saw the change; SIGHUP reloads it again"
n=$(logcount "Config reloaded")
kill -HUP $pid
wait_log "$n" "Config reloaded" || fail "SIGHUP did not reload"
check 0 "$OUT/a.log"

kill $a; wait $a 2>/dev/null

finish
