# SPDX-License-Identifier: MIT
# Sourced by the tests/vm/*-guest.sh scripts, which run inside the VM as
# SCRIPT BINDIR (BINDIR: the meson build dir): a private session bus and
# runtime dir, the test's own versod.conf, versod's DRM environment, and
# the helpers every guest test uses. The script ends with `exit $status`.
set -u
self=$(realpath "$0")
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BIN=${1:?usage: $0 BINDIR}
if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
	# dbus-daemon cannot raise its fd limit in the guest and says so.
	dbus-run-session -- "$self" "$@" 2>&1 | grep --line-buffered -v "fd limit"
	exit "${PIPESTATUS[0]}"
fi
OUT=${VM_OUT:-$(mktemp -d)}
DATA=$TOP/tests/data/touch
DRI=/sys/kernel/debug/dri/0
PROBE=$BIN/tools/present-probe/present-probe
PNGCHECK=$BIN/tools/verso-capture/verso-pngcheck
XDG_RUNTIME_DIR=$(mktemp -d) XDG_CONFIG_HOME=$(mktemp -d)
export XDG_RUNTIME_DIR XDG_CONFIG_HOME
chmod 700 "$XDG_RUNTIME_DIR"
# Only the test's own config, and no blanking unless the test asks for it:
# a loaded CI guest can take longer than the 15 s default between two
# steps (blanking has its own test, 22).
mkdir -p "$XDG_CONFIG_HOME/verso"
versod_conf() { printf '%s\n' "$1" >"$XDG_CONFIG_HOME/verso/versod.conf"; }
versod_conf 'output = { blank_timeout = 0; };'
export LIBSEAT_BACKEND=builtin WLR_BACKENDS=drm WLR_RENDERER=pixman
export WAYLAND_DISPLAY=wayland-0
# GLES2 on llvmpipe, which composites only a few frames a second under
# TCG, and whose AVX code crashes there (GALLIUM_NOSSE keeps it to plain
# x86-64).
use_gles2() { export WLR_RENDERER=gles2 WLR_RENDERER_ALLOW_SOFTWARE=1 GALLIUM_NOSSE=1; }

status=0
fail() { echo "FAIL: $*"; status=1; }
ctl() { "$BIN/tools/versoctl/versoctl" "$@"; }
stat() { ctl stats | sed -n "s/^$1: //p"; }
power_is() { [ "$(stat power)" = "$1" ]; }
# The value of KEY in a "present: k=v k=v" line.
field() { printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
# Whatever rate a client reaches under TCG, each of its presents must land
# on the display's 120 Hz vblank grid: present-probe's time over refresh
# count is 8.333 ms (within 0.2%), and no present is 0.5 ms off that grid.
on_120hz_grid() { # "present: ..." line
	local period grid_err
	period=$(field "$1" seq_period_ns) grid_err=$(field "$1" grid_err_max_ns)
	[ "${period:-0}" -ge 8316667 ] && [ "$period" -le 8350000 ] ||
		fail "presents are ${period:-?} ns apart per refresh, want 8333333 (120 Hz)"
	[ "${grid_err:-1000000000}" -le 500000 ] ||
		fail "a present is ${grid_err:-?} ns off the 120 Hz grid"
}
wait_for() { # seconds command...
	local n=$(($1 * 5)); shift
	for _ in $(seq $n); do "$@" && return 0; sleep 0.2; done
	return 1
}

# On failure: the tail of versod's log (without lines matching $LOG_SKIP),
# then of each file in MORE_LOGS.
LOG_SKIP='^$'
MORE_LOGS=()
: >"$OUT/versod.log"
show_logs() {
	local rc=$? f
	[ $rc = 0 ] && return
	echo "--- versod log"
	grep -v -e "$LOG_SKIP" "$OUT/versod.log" | tail -n 40
	for f in "${MORE_LOGS[@]}"; do
		[ -e "$f" ] && { echo "--- $(basename "$f")"; tail -n 20 "$f"; }
	done
}
trap show_logs EXIT

# Starts versod (ARGS...), its log appended to $OUT/versod.log, and waits
# up to 60 s for it to answer on D-Bus. Sets pid.
start_versod() {
	# A killed versod leaves its socket behind.
	rm -f "$XDG_RUNTIME_DIR"/wayland-0*
	"$BIN/compositor/versod" "$@" >>"$OUT/versod.log" 2>&1 &
	pid=$!
	wait_for 60 versod_settled
	kill -0 $pid 2>/dev/null || { fail "versod died at start"; return 1; }
}
# True once versod answers, or once it is gone.
versod_settled() {
	kill -0 $pid 2>/dev/null || return 0
	[ -S "$XDG_RUNTIME_DIR/wayland-0" ] && ctl stats >/dev/null 2>&1
}
stop_versod() {
	kill -TERM $pid
	wait $pid || fail "versod exited with status $?"
}

# Screenshots until the rear display is all COLOUR (or "quadrants"), up to
# SECONDS (5); further arguments go to verso-pngcheck. Prints the checker's
# verdict on the last one if it never matches. Sets shot to versoctl's
# "PATH: METHOD".
expect_screen() { # name colour [seconds [pngcheck options]]
	local png=$OUT/$1.png what=$2 end=$((SECONDS + ${3:-5}))
	shift $(($# < 3 ? $# : 3))
	shot=
	# A deadline, not a count: a slow screenshot must not stretch it.
	while [ $SECONDS -lt $end ]; do
		shot=$(ctl screenshot "$png" 2>/dev/null) &&
			"$PNGCHECK" -s 976x596 "$@" "$what" "$png" >/dev/null 2>&1 &&
			return 0
		kill -0 $pid 2>/dev/null || break
		sleep 0.2
	done
	[ -e "$png" ] && "$PNGCHECK" -s 976x596 "$@" "$what" "$png"
	return 1
}

# A uinput touchscreen that replays the traces (tests/data/touch) named
# through a fifo on fd 3; its log is $OUT/touch.log.
start_touchscreen() {
	local fifo=$XDG_RUNTIME_DIR/touch.fifo
	mkfifo "$fifo"
	"$BIN/tests/touch/uinput-touch" <"$fifo" >"$OUT/touch.log" 2>&1 &
	exec 3>"$fifo"
	wait_for 5 grep -q ready "$OUT/touch.log"
	udevadm settle
}
replays_done() { grep -c "^done" "$OUT/touch.log"; }
replays_past() { [ "$(replays_done)" -gt "$1" ]; }
# Touch lines a client's --log-touch LOG got after its first N lines.
since() { tail -n +"$(($2 + 1))" "$1" | grep "^touch"; } # log, lines before
# Waits up to 10 s for a line matching RE among them: a replayed touch
# reaches the client's log late on a slow TCG guest.
await_since() { # log, lines before, RE
	wait_for 10 sh -c "tail -n +$(($2 + 1)) '$1' | grep -q '$3'"
}
replay() { # trace: waits up to 10 s for it to end
	local n; n=$(replays_done)
	echo "$DATA/$1" >&3
	wait_for 10 replays_past "$n" || fail "replay of $1 did not finish"
}
