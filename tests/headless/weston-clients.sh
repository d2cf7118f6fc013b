#!/bin/bash
# SPDX-License-Identifier: MIT
# Third-party clients from weston on the headless backend:
# weston-simple-egl (EGL/GLES2 on Mesa's llvmpipe) is configured fullscreen
# at 976x596, draws its triangle centred on the whole output and keeps
# presenting (versod's frame counters rise, the picture changes);
# weston-simple-shm, which ignores the configured size, animates its 250x250
# window at the top left corner.
#
# versod is asked for GLES2 on llvmpipe. wlroots 0.15 builds a GLES2
# renderer only on a DRM device; without one (no /dev/dri) versod falls back
# to pixman, offers no linux-dmabuf, and Mesa's EGL draws into wl_shm
# buffers instead. The test checks that the client uses the buffer path
# versod offers.
. "$(dirname "$0")/lib.bash"
for t in weston-simple-egl weston-simple-shm grim; do
	command -v $t >/dev/null || { echo "SKIP: $t not installed"; exit 77; }
done
export WLR_RENDERER=gles2 WLR_RENDERER_ALLOW_SOFTWARE=1 GALLIUM_DRIVER=llvmpipe
frames() { echo $(($(stat frames_composited) + $(stat frames_scanout))); }
# Up to 3 screenshots 0.4 s apart until two differ: the client animates.
changes() { # name
	grim "$OUT/$1-0.png" || return 1
	for i in 1 2 3; do
		sleep 0.4
		grim "$OUT/$1-$i.png" || return 1
		cmp -s "$OUT/$1-0.png" "$OUT/$1-$i.png" || return 0
	done
	return 1
}

# No blanking: the pictures checked here would turn black.
versod_conf 'output = { blank_timeout = 0; };'
start_versod
if grep -q "falling back to pixman" "$OUT/versod.log"; then
	dri=$(ls /dev/dri 2>/dev/null | xargs)
	echo "versod renderer: pixman (wlroots' GLES2 needs a DRM device;" \
		"/dev/dri: ${dri:-none})"
else
	echo "versod renderer: GLES2"
fi

# weston-simple-egl: a real EGL client.
f0=$(frames)
WAYLAND_DEBUG=1 weston-simple-egl >"$OUT/egl.out" 2>"$OUT/egl.debug" & egl=$!
for _ in $(seq 50); do
	ctl cards | grep -q "simple-egl" && break
	kill -0 $egl 2>/dev/null || break
	sleep 0.1
done
if ! kill -0 $egl 2>/dev/null; then
	grep -v '^\[' "$OUT/egl.debug" | tail -n 5
	if grep -qi "egl" <(grep -v '^\[' "$OUT/egl.debug"); then
		echo "SKIP: EGL does not initialise here (see above)"
		exit 77
	fi
	fail "weston-simple-egl exited early"
fi
ctl cards
sleep 2
changes egl || fail "weston-simple-egl's picture does not change"
f1=$(frames)
echo "frames while weston-simple-egl ran: $((f1 - f0))"
[ $((f1 - f0)) -ge 30 ] || fail "only $((f1 - f0)) frames from weston-simple-egl"

# Fullscreen: configured at the output size, buffers of that size, and the
# triangle (NDC y -0.5..0.5, centred) on the middle half of the output.
grep -q 'xdg_toplevel@[0-9]*\.configure(976, 596' "$OUT/egl.debug" ||
	fail "weston-simple-egl not configured 976x596"
if grep -q 'global([0-9]*, "zwp_linux_dmabuf_v1"' "$OUT/egl.debug"; then
	grep -q 'zwp_linux_buffer_params_v1@[0-9]*\.create' "$OUT/egl.debug" ||
		fail "linux-dmabuf offered but not used"
	echo "buffer path: linux-dmabuf"
else
	grep -q 'create_buffer(new id wl_buffer@[0-9]*, [0-9]*, 976, 596,' \
		"$OUT/egl.debug" || fail "no 976x596 wl_shm buffer"
	echo "buffer path: wl_shm (no linux-dmabuf without GLES2 in versod)"
fi
# It spins about the vertical axis: wait for a view that is not nearly
# edge-on (its apex is then too thin to reach the top row).
x0=0 y0=0 x1=0 y1=0
for _ in $(seq 10); do
	grim "$OUT/tri.png" || break
	box=$(png "$OUT/tri.png" bbox 000000)
	[ "$box" = none ] && box="0 0 0 0"
	read -r x0 y0 x1 y1 <<<"$box"
	[ $((x1 - x0)) -ge 200 ] && break
	sleep 0.3
done
echo "triangle bounding box: $x0,$y0 - $x1,$y1"
[ "$(png "$OUT/tri.png" size)" = 976x596 ] || fail "screenshot size"
# Rows 149..447 at 596 high; only its horizontal centre is fixed.
[ "$y0" -ge 145 ] && [ "$y0" -le 153 ] && [ "$y1" -ge 444 ] &&
	[ "$y1" -le 452 ] || fail "triangle rows $y0..$y1, not 149..447"
mid=$(((x0 + x1) / 2))
[ $mid -ge 478 ] && [ $mid -le 498 ] || fail "triangle centred at x=$mid, not 488"

kill -INT $egl
wait $egl || fail "weston-simple-egl exited with $?"
grep 'frames in' "$OUT/egl.out"

# weston-simple-shm: 250x250 whatever the configure says, at 0,0.
f0=$(frames)
weston-simple-shm >"$OUT/shm.out" 2>&1 & shm=$!
for _ in $(seq 50); do ctl cards | grep -q "simple-shm" && break; sleep 0.1; done
sleep 1
changes shm || fail "weston-simple-shm's picture does not change"
f1=$(frames)
echo "frames while weston-simple-shm ran: $((f1 - f0))"
[ $((f1 - f0)) -ge 30 ] || fail "only $((f1 - f0)) frames from weston-simple-shm"
box=$(png "$OUT/shm-0.png" bbox 000000)
echo "weston-simple-shm bounding box: $box"
[ "$box" = "0 0 250 250" ] || fail "weston-simple-shm not at 0,0 250x250: $box"
kill $shm; wait $shm 2>/dev/null

finish
