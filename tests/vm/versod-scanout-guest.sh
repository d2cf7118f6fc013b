#!/bin/bash
# SPDX-License-Identifier: MIT
# Runs inside the VM with verso.ko loaded: a fullscreen client drawing into
# dmabufs on versod (GLES2 on llvmpipe through kms_swrast, so linux-dmabuf
# is offered) must be scanned out directly at the panel's 120 Hz, and the
# driver must agree: the rear CRTC's primary plane scans out a framebuffer
# built on one of the client's own GEM objects.
#
# The proof: present-probe allocates dumb buffers on card0 and prints each
# one's fake mmap offset; that offset names the GEM object device-wide, and
# the atomic state in debugfs prints it for every plane's framebuffer
# ("start=", in pages). versod imports the dmabufs through PRIME on the same
# device, which yields the same GEM object, so a scanned-out client frame
# shows one of the probe's starts; a composited frame shows one of versod's
# swapchain buffers instead (checked before the probe starts, as a control).
# Usage: versod-scanout-guest.sh BINDIR
. "$(dirname "$0")/guest-lib.bash"
DURATION=${SCANOUT_SECONDS:-8}
use_gles2
export MESA_LOADER_DRIVER_OVERRIDE=kms_swrast
MORE_LOGS=("$OUT/probe.err")

# Prints "FB WxH START" of the primary plane on the CRTC driving DSI-2,
# from the atomic state (or a copy of it, $1).
rear_plane() {
	python3 - "${1:-$DRI/state}" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
blocks = re.split(r'\n(?=\S)', text)
crtc = None
for b in blocks:
	m = re.match(r'connector\[\d+\]: (\S+)', b)
	if m and m.group(1) == 'DSI-2':
		c = re.search(r'crtc=(\S+)', b)
		crtc = c.group(1) if c else None
for b in blocks:
	if not b.startswith('plane[') or crtc is None:
		continue
	if not re.search(r'\bcrtc=%s\b' % re.escape(crtc), b):
		continue
	fb = re.search(r'\bfb=(\d+)', b)
	size = re.search(r'\bsize=(\d+x\d+)', b)
	start = re.search(r'\bstart=([0-9a-f]+)', b)
	if fb and fb.group(1) != '0' and start:
		print(fb.group(1), size.group(1) if size else '?', start.group(1))
		break
PY
}

start_versod || exit 1

# Control: versod's own (composited) frame is on the plane now.
sleep 1
control=$(rear_plane)
echo "composited plane: fb/size/start $control"

s0=$(stat frames_scanout) c0=$(stat frames_composited) m0=$(stat vblanks_missed)
PRESENT_PROBE_BUFFERS=1 timeout $((DURATION + 90)) \
	"$PROBE" --dmabuf /dev/dri/card0 \
	--warmup 2 --duration $((DURATION + 2)) \
	>"$OUT/probe.txt" 2>"$OUT/probe.err" &
probe=$!
# Sample the plane while the client animates: a few seconds after it
# allocated its buffers (its start-up is slow under TCG).
wait_for 60 grep -q "gem start" "$OUT/probe.err" 2>/dev/null
sleep 3
# Copies only (python is slow to start under TCG): parsed afterwards.
for i in 1 2 3 4 5; do
	cat "$DRI/state" >"$OUT/state.$i"
	sleep 0.3
done
for i in 1 2 3 4 5; do
	rear_plane "$OUT/state.$i" >>"$OUT/planes.txt"
done
wait $probe || fail "present-probe failed: $(cat "$OUT/probe.err")"
s1=$(stat frames_scanout) c1=$(stat frames_composited) m1=$(stat vblanks_missed)

line=$(cat "$OUT/probe.txt")
echo "$line"
presented=$(field "$line" presented) zero_copy=$(field "$line" zero_copy)
mean=$(awk -v ns="$(field "$line" mean_interval_ns)" 'BEGIN { printf "%.2f", ns / 1e6 }')
# A floor only: on a loaded host the guest loses whole seconds. The rate
# is judged below, from the presents themselves.
[ "${presented:-0}" -ge $((DURATION * 20)) ] ||
	fail "only ${presented:-0} frames presented in $DURATION s"
# The mean interval is how fast TCG lets the client draw (about 8.5 ms on
# a quiet host), not a property of the pipe: printed, not judged. The
# 120 Hz pipe is judged from the presents' own timestamps.
echo "mean interval $mean ms"
on_120hz_grid "$line"
[ "${zero_copy:-x}" = "$presented" ] ||
	fail "zero_copy $zero_copy != presented $presented"

ds=$((s1 - s0)) dc=$((c1 - c0)) dm=$((m1 - m0))
echo "versod during the probe: scanned out $ds, composited $dc, vblanks missed $dm"
[ $((ds * 100)) -ge $(((ds + dc) * 95)) ] && [ $ds -gt 0 ] ||
	fail "only $ds of $((ds + dc)) frames scanned out"

# The driver side.
starts=$(sed -n 's/.*gem start=\([0-9a-f]*\).*/\1/p' "$OUT/probe.err" | sort -u)
echo "client GEM objects (start): $(echo $starts)"
echo "rear plane while animating:"
sed 's/^/  fb\/size\/start /' "$OUT/planes.txt"
[ -n "$starts" ] || fail "the probe printed no buffers"
hits=0
while read -r fb size start; do
	[ "$size" = 976x596 ] || fail "plane fb $fb is $size"
	if printf '%s\n' $starts | grep -qx "$start"; then
		hits=$((hits + 1))
	fi
done <"$OUT/planes.txt"
n=$(wc -l <"$OUT/planes.txt")
echo "plane samples on a client buffer: $hits of $n"
[ "$n" -ge 1 ] && [ "$hits" = "$n" ] ||
	fail "the plane did not scan out the client's buffers"
cstart=$(echo "$control" | awk '{ print $3 }')
if [ -n "$cstart" ] && printf '%s\n' $starts | grep -qx "$cstart"; then
	fail "control: the composited frame matched a client buffer"
fi

# The steady state: a scanned-out frame whose buffer layout already passed
# the test is committed at once (the DRM backend tests inside the commit),
# so two atomic ioctls a frame, not wlr_scene's three. Counted by strace in
# a second run, composited map and unmap frames included.
s0=$(stat frames_scanout) c0=$(stat frames_composited)
strace -f -qq -e trace=ioctl -o "$OUT/versod.strace" -p $pid &
tracer=$!
sleep 1
timeout 90 "$PROBE" --dmabuf /dev/dri/card0 --duration 3 >/dev/null 2>>"$OUT/probe.err" ||
	fail "present-probe (traced run) failed"
sleep 1
kill -INT $tracer
wait $tracer
frames=$(( $(stat frames_scanout) - s0 + $(stat frames_composited) - c0 ))
atomic=$(grep -c DRM_IOCTL_MODE_ATOMIC "$OUT/versod.strace")
echo "traced run: $atomic atomic ioctls for $frames frames"
[ "$frames" -ge 20 ] || fail "traced run: only $frames frames"
[ $((atomic * 10)) -le $((frames * 22)) ] ||
	fail "$atomic atomic ioctls for $frames frames: want at most 2.2 a frame"

stop_versod
exit $status
