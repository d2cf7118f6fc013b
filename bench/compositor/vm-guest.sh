#!/bin/bash
# SPDX-License-Identifier: MIT
# Runs inside the VM (tools/vm/vm-run -m verso -p verso.rear_non_desktop=0,
# or -m vkms with VERSOD_OUTPUT=Virtual-1). First versod alone on the DRM
# backend, as root: commit-to-present latency from wp_presentation, scanout
# share, and idle wakeups with a static client, read through versoctl. Then
# vm-peers.sh: versod and the peers, unprivileged, CPU per frame.
# Prints key=value lines (and vm-peers.sh's drmrec lines) for run.sh.
# Usage: vm-guest.sh BINDIR IDLE_SECONDS [ROUNDS SECONDS COMPOSITOR...]
set -u
BIN=$1
IDLE=${2:-10}
if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
	exec dbus-run-session -- "$0" "$@"
fi
export XDG_RUNTIME_DIR=$(mktemp -d) XDG_CONFIG_HOME=$(mktemp -d)
chmod 700 "$XDG_RUNTIME_DIR"
# No blanking: a blanked display would make the idle figures trivially 0.
mkdir -p "$XDG_CONFIG_HOME/verso"
echo 'output = { blank_timeout = 0; };' >"$XDG_CONFIG_HOME/verso/versod.conf"
export LIBSEAT_BACKEND=builtin WLR_BACKENDS=drm WLR_RENDERER=pixman
export WAYLAND_DISPLAY=wayland-0
PROBE=$BIN/tools/present-probe/present-probe
ctl() { "$BIN/tools/versoctl/versoctl" "$@"; }
stat() { ctl stats | sed -n "s/^$1: //p"; }
field() { tr ' ' '\n' <<<"$2" | sed -n "s/^$1=//p"; }
ctxt() {
	cat /proc/$1/task/*/status 2>/dev/null |
		awk '/^(non)?voluntary_ctxt_switches/ { n += $2 } END { print n + 0 }'
}

start_versod() {
	rm -f "$XDG_RUNTIME_DIR"/wayland-0*
	"$BIN/compositor/versod" >>/tmp/versod.log 2>&1 &
	pid=$!
	for _ in $(seq 150); do
		[ -S "$XDG_RUNTIME_DIR/wayland-0" ] && ctl stats >/dev/null 2>&1 && break
		sleep 0.2
	done
	if ! kill -0 $pid 2>/dev/null; then
		echo "drm_error=versod did not start"
		tail -n 20 /tmp/versod.log >&2
		exit 1
	fi
}

start_versod
mode="$(stat output) $(stat mode)"
if [ "$(stat output)" = "" ]; then
	# No rear output (or no stats): nothing below would mean anything.
	echo "drm_error=no rear output lit"
	tail -n 20 /tmp/versod.log >&2
	kill -TERM $pid
	exit 1
fi
echo "drm_mode=$mode"

# Animating fullscreen client (wl_shm): latency and composition counts.
s0=$(stat frames_scanout) k0=$(stat frames_composited) p0=$(stat frames_presented)
line=$(timeout 60 "$PROBE" --duration 5 --warmup 1 --latency)
s1=$(stat frames_scanout) k1=$(stat frames_composited) p1=$(stat frames_presented)
pres=$(grep '^present:' <<<"$line") lat=$(grep '^latency:' <<<"$line")
if [ -z "$lat" ] || [ "$(field n "$lat")" = 0 ]; then
	echo "drm_error=no frame presented to present-probe"
	tail -n 20 /tmp/versod.log >&2
fi
echo "drm_shm_presented=$(field presented "$pres")"
echo "drm_shm_interval_us=$(( $(field mean_interval_ns "$pres") / 1000 ))"
echo "drm_lat_mean_us=$(field mean_us "$lat")"
echo "drm_lat_p50_us=$(field p50_us "$lat")"
echo "drm_lat_p99_us=$(field p99_us "$lat")"
echo "drm_lat_n=$(field n "$lat")"
echo "drm_lat_clock=$(field clock "$lat")"
echo "drm_shm_scanout=$((s1 - s0)) drm_shm_composited=$((k1 - k0)) drm_shm_output_presented=$((p1 - p0))"

# Static client: idle wakeups of versod once it has settled into idle
# refresh (going idle is a commit of its own).
"$PROBE" --static --solid 3366cc --duration $((IDLE + 30)) >/dev/null &
probe=$!
sleep 1
for _ in $(seq 100); do [ "$(stat power)" = idle ] && break; sleep 0.2; done
sleep 0.5
w0=$(stat wakeups) c0=$(stat commits) x0=$(ctxt $pid)
t0=$(date +%s%N)
sleep "$IDLE"
x1=$(ctxt $pid) t1=$(date +%s%N)
w1=$(stat wakeups) c1=$(stat commits)
# Each versoctl call costs versod one or two dispatches: report them apart.
echo "drm_idle_seconds=$(( (t1 - t0) / 1000000000 ))"
echo "drm_idle_wakeups=$((w1 - w0)) drm_idle_commits=$((c1 - c0)) drm_idle_ctxt=$((x1 - x0))"
kill $probe
wait $probe

# Fullscreen dmabuf client: direct scanout share. wlroots offers
# linux-dmabuf only with its GLES2 renderer: Mesa's kms_swrast on card0, as
# in tests/vm/21-versod-scanout.sh (GALLIUM_NOSSE: llvmpipe's AVX code
# crashes under TCG).
kill -TERM $pid
wait $pid
echo "drm_exit=$?"
export WLR_RENDERER=gles2 WLR_RENDERER_ALLOW_SOFTWARE=1 GALLIUM_NOSSE=1
export MESA_LOADER_DRIVER_OVERRIDE=kms_swrast
start_versod
s0=$(stat frames_scanout) k0=$(stat frames_composited)
dline=$(timeout 60 "$PROBE" --dmabuf /dev/dri/card0 --duration 3 2>&1)
drc=$?
s1=$(stat frames_scanout) k1=$(stat frames_composited)
if [ $drc = 0 ]; then
	echo "drm_dmabuf_scanout=$((s1 - s0)) drm_dmabuf_composited=$((k1 - k0))"
	echo "drm_dmabuf_zero_copy=$(field zero_copy "$dline") drm_dmabuf_presented=$(field presented "$dline")"
	# What a scanned-out frame costs in atomic commits (test-only ones
	# included), counted by strace in a second, shorter run so the figures
	# above stay unperturbed.
	if command -v strace >/dev/null; then
		s0=$(stat frames_scanout)
		strace -f -qq -e trace=ioctl -o /tmp/versod.strace -p $pid &
		st=$!
		sleep 1
		timeout 60 "$PROBE" --dmabuf /dev/dri/card0 --duration 2 >/dev/null 2>&1
		kill -INT $st
		wait $st
		s1=$(stat frames_scanout)
		echo "drm_dmabuf_strace_frames=$((s1 - s0))"
		echo "drm_dmabuf_strace_atomic=$(grep -c 'DRM_IOCTL_MODE_ATOMIC' /tmp/versod.strace)"
	fi
else
	echo "drm_dmabuf_error=$(head -n 1 <<<"$dline" | tr ' ' '_')"
fi

kill -TERM $pid
wait $pid
echo "drm_gles_exit=$?"

# versod and the peers as the unprivileged user, on the same output.
[ $# -gt 3 ] && "$(dirname "$0")/vm-peers.sh" "$BIN" "$3" "$4" "$IDLE" "${@:5}"
exit 0
