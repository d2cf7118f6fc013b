#!/bin/bash
# SPDX-License-Identifier: MIT
# Compositor benchmark: versod against cage, sway and phoc, interleaved in
# one run, on wlroots' headless backend with the pixman renderer; then on
# the DRM backend of verso.ko in the VM: versod alone as root (latency, idle
# wakeups, scanout), and versod and the peers again, interleaved, as an
# unprivileged user. Prints a table and writes it to
# build/bench/compositor.txt. Method: bench/README.md.
#
# Environment: BENCH_ROUNDS (5), BENCH_SECONDS (5, per load), BENCH_IDLE (10),
# BENCH_COMPOSITORS ("versod cage sway phoc"; both parts), BENCH_VM (1; 0
# skips the VM), BENCH_VM_ROUNDS (5), BENCH_VM_SECONDS (4, per load in the
# VM), BENCH_CALLGRIND (1; 0 skips the instruction counts under callgrind).
# Exit status: 0 when every run produced its figures, 1 when a run failed
# outright (a compositor that would not start, a client that failed), 2 on
# bad setup. Targets are printed, never enforced.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/bench/compositor/lib.sh"
BIN=${BIN:-$TOP/build/meson}
OUTDIR=$TOP/build/bench
ROUNDS=${BENCH_ROUNDS:-5}
SECS=${BENCH_SECONDS:-5}
IDLE=${BENCH_IDLE:-10}
COMPS=${BENCH_COMPOSITORS:-versod cage sway phoc}
USERNAME=verso-bench
TICK=$BIN/bench/compositor/tick-client
status=0
warn() { echo "bench/compositor: $*" >&2; }
failrun() { warn "$*"; status=1; }

if [ "$(id -u)" != 0 ]; then
	warn "run as root (compositors run as the unprivileged user $USERNAME)"
	exit 2
fi
if [ -f "$BIN/build.ninja" ]; then
	ninja -C "$BIN" bench/compositor/tick-client compositor/versod \
		tools/present-probe/present-probe tools/versoctl/versoctl \
		>/dev/null || { warn "build failed"; exit 2; }
fi
for f in "$TICK" "$BIN/compositor/versod"; do
	[ -x "$f" ] || { warn "missing $f (build first)"; exit 2; }
done
avail=
for c in $COMPS; do
	case $c in
	versod) avail="$avail $c" ;;
	*) if command -v "$c" >/dev/null; then avail="$avail $c"
	   else warn "$c not installed (apt-get install $c): skipped"; fi ;;
	esac
done
COMPS=${avail# }

# An unprivileged user: sway and cage refuse root; versod runs the same way.
id $USERNAME >/dev/null 2>&1 || useradd --system --no-create-home \
	--home-dir /nonexistent --shell /usr/sbin/nologin $USERNAME ||
	{ warn "cannot create user $USERNAME"; exit 2; }
WORK=$(mktemp -d /tmp/verso-bench.XXXXXX)
chmod 755 "$WORK"
chown $USERNAME "$WORK"
trap 'stop; rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM
PID=
RAW=$WORK/raw
: >"$RAW"
mkdir -p "$OUTDIR"

# Peer configuration: the rear panel's 976x596@120 mode where the peer can
# set a custom mode (sway, phoc); cage 0.1.4 cannot and stays at 1280x720@60.
cat >"$WORK/sway.cfg" <<EOF
xwayland disable
default_border none
output HEADLESS-1 mode --custom 976x596@120Hz
EOF
cat >"$WORK/phoc.ini" <<EOF
[core]
xwayland=false
[output:HEADLESS-1]
mode=976x596@120Hz
EOF
# versod blanks the display 15 s after the last touch by default, and
# stops drawing then on headless; the peers run no idle daemon. A run is
# longer than 15 s, so versod's blanking is off, like theirs.
cat >"$WORK/versod.conf" <<EOF
output = { blank_timeout = 0; };
EOF
chmod 644 "$WORK"/sway.cfg "$WORK"/phoc.ini "$WORK"/versod.conf

RUN=$WORK/run
as_user() { # VAR=VALUE... -- COMMAND...
	local envs=()
	while [ "$1" != -- ]; do envs+=("$1"); shift; done
	shift
	${AS_EXEC:+exec} setpriv --reuid=$USERNAME --regid=$(id -g $USERNAME) --clear-groups \
		env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$WORK" \
		XDG_RUNTIME_DIR="$RUN" WLR_BACKENDS=headless WLR_RENDERER=pixman \
		LANG=C.UTF-8 "${envs[@]}" "$@"
}

# Starts compositor $1 in the background ($2: startup command or empty),
# under the command in WRAP if set (callgrind). Sets PID and SOCK.
WRAP=()
START_TRIES=200
start() {
	local comp=$1 cmd=$2 log=$WORK/$1.log t0=${3:-}
	rm -rf "$RUN"
	mkdir -m 700 "$RUN"
	chown $USERNAME "$RUN"
	local argv
	case $comp in
	versod) argv=("$BIN/compositor/versod" -c "$WORK/versod.conf" ${cmd:+-s "$cmd"}) ;;
	cage) argv=(cage -- sh -c "${cmd:-exec sleep 100000}") ;;
	sway) cp "$WORK/sway.cfg" "$WORK/sway-run.cfg"
	      [ -n "$cmd" ] && echo "exec $cmd" >>"$WORK/sway-run.cfg"
	      chmod 644 "$WORK/sway-run.cfg"
	      argv=(sway -c "$WORK/sway-run.cfg") ;;
	phoc) argv=(phoc -C "$WORK/phoc.ini" ${cmd:+-E "$cmd"}) ;;
	esac
	# AS_EXEC: the background subshell execs, so $! is the compositor.
	AS_EXEC=1 as_user ${t0:+VERSO_BENCH_T0_NS=$t0} -- "${WRAP[@]}" \
		"${argv[@]}" >>"$log" 2>&1 &
	PID=$!
	SOCK=
	for _ in $(seq $START_TRIES); do
		SOCK=$(cd "$RUN" && ls 2>/dev/null | grep -E '^wayland-[0-9]+$' | head -n 1)
		[ -n "$SOCK" ] && return 0
		kill -0 $PID 2>/dev/null || break
		sleep 0.05
	done
	[ -n "$SOCK" ]
}

# CPU time of the compositor (all live threads) in ns, from the scheduler's
# exact runtime; /proc/PID/stat's utime + stime, in 10 ms ticks, is the
# fallback when schedstat is missing.
cpu_ns() {
	local n
	n=$(cat /proc/$1/task/*/schedstat 2>/dev/null | awk '{ n += $1 } END { printf "%.0f\n", n }')
	if [ "${n:-0}" = 0 ]; then
		n=$(sed 's/.*) //' /proc/$1/stat | awk -v hz=$HZ '{ printf "%.0f", ($12 + $13) * 1e9 / hz }')
	fi
	echo "$n"
}
ctxt() {
	cat /proc/$1/task/*/status 2>/dev/null |
		awk '/^(non)?voluntary_ctxt_switches/ { n += $2 } END { print n + 0 }'
}
HZ=$(getconf CLK_TCK)
rec() { echo "$1 $2 $3" >>"$RAW"; }
field() { tr ' ' '\n' <"$2" | sed -n "s/^$1=//p"; }

# One load: tick-client ARGS against the running compositor; records
# compositor CPU ms per client frame and the client's frame rate.
load() { # comp name args...
	local comp=$1 name=$2
	shift 2
	local out=$WORK/tick.out c0 c1 x0 x1 frames
	rm -f "$out"
	c0=$(cpu_ns $PID) x0=$(ctxt $PID)
	as_user WAYLAND_DISPLAY=$SOCK -- "$TICK" --duration "$SECS" "$@" \
		--out "$out" 2>>"$WORK/client.log"
	c1=$(cpu_ns $PID) x1=$(ctxt $PID)
	frames=$(field frames "$out" 2>/dev/null)
	if [ -z "$frames" ] || [ "$frames" -lt 2 ]; then
		failrun "$comp: $name: the client drew no frames"
		return
	fi
	rec "$comp" "cpu_$name" "$(awk -v t=$((c1 - c0)) -v f=$frames \
		'BEGIN { printf "%.4f", t / 1e6 / f }')"
	rec "$comp" "ctx_$name" "$(awk -v x=$((x1 - x0)) -v f=$frames \
		'BEGIN { printf "%.2f", x / f }')"
	rec "$comp" "fps_$name" "$(field fps "$out")"
	[ "$name" = full ] &&
		rec "$comp" mode "$(field width "$out")x$(field height "$out")@$(field fps "$out" | cut -d. -f1)"
}

# Startup to first frame: the compositor starts the client itself.
startup() {
	local comp=$1 ff=$WORK/ff.out t0
	rm -f "$ff"
	t0=$(date +%s%N)
	# cage and phoc exit with their startup client: no socket check here.
	start "$comp" "$TICK --first-frame --out $ff" "$t0"
	for _ in $(seq 200); do
		[ -s "$ff" ] && break
		sleep 0.05
	done
	stop
	local ms
	ms=$(field first_frame_ms "$ff" 2>/dev/null)
	if [ -z "$ms" ] || [ "$ms" = -1.0 ]; then
		failrun "$comp: no first frame within 10 s (log: $(tail -n 3 "$WORK/$comp.log" | tr '\n' ' '))"
		return
	fi
	rec "$comp" startup_ms "$ms"
}

session() {
	local comp=$1
	if ! start "$comp" ""; then
		failrun "$comp did not start (log: $(tail -n 3 "$WORK/$comp.log" | tr '\n' ' '))"
		stop
		return
	fi
	sleep 0.5
	load "$comp" full                  # fullscreen, whole buffer damaged
	load "$comp" window --size 250x250 # weston-simple-shm-like window
	load "$comp" region --region 32    # fullscreen, 32x32 damaged
	# Idle: a static fullscreen client, after its first frame.
	as_user WAYLAND_DISPLAY=$SOCK -- "$TICK" --static \
		--duration $((IDLE + 3)) --out /dev/null 2>>"$WORK/client.log" &
	local cl=$! c0 c1 x0 x1 t0 t1
	sleep 1.5
	c0=$(cpu_ns $PID) x0=$(ctxt $PID) t0=$(date +%s%N)
	sleep "$IDLE"
	c1=$(cpu_ns $PID) x1=$(ctxt $PID) t1=$(date +%s%N)
	wait $cl
	rec "$comp" idle_cpu "$(awk -v t=$((c1 - c0)) -v ns=$((t1 - t0)) \
		'BEGIN { printf "%.2f", t / 1e6 / (ns / 1e9) }')"
	rec "$comp" idle_wakeups "$(awk -v x=$((x1 - x0)) -v ns=$((t1 - t0)) \
		'BEGIN { printf "%.1f", x / (ns / 1e9) }')"
	rec "$comp" rss_mib "$(awk '/^VmHWM/ { printf "%.1f", $2 / 1024 }' /proc/$PID/status)"
	stop
}

# Instructions per frame under callgrind: deterministic where CPU time on a
# shared host is not, but user space only (the context switches per frame
# carry most of the kernel's share). The counters are zeroed before a load
# and dumped after it, so start-up and the client's connection stay out.
CG=$WORK/cg
CG_SECS=${BENCH_CALLGRIND_SECONDS:-3}
cg_load() { # comp name args...
	local comp=$1 name=$2
	shift 2
	local out=$WORK/tick.out frames dump ir
	rm -f "$out" "$CG"/cg.*.*.[0-9]*
	as_user -- callgrind_control -z $PID >/dev/null 2>&1 ||
		{ failrun "$comp: callgrind_control failed"; return; }
	as_user WAYLAND_DISPLAY=$SOCK -- "$TICK" --duration "$CG_SECS" "$@" \
		--out "$out" 2>>"$WORK/client.log"
	as_user -- callgrind_control -d $PID >/dev/null 2>&1
	frames=$(field frames "$out" 2>/dev/null)
	dump=$(ls "$CG"/cg.*.*.[0-9]* 2>/dev/null | head -n 1)
	ir=$( [ -n "$dump" ] && sed -n 's/^\(totals\|summary\): *\([0-9]*\).*/\2/p' "$dump" | head -n 1)
	if [ -z "$frames" ] || [ "$frames" -lt 2 ] || [ -z "$ir" ]; then
		failrun "$comp: $name under callgrind: no frames or no counts"
		return
	fi
	rec "$comp" "ir_$name" "$((ir / frames))"
}
cg_session() {
	local comp=$1
	rm -rf "$CG"
	mkdir -p "$CG"
	chown $USERNAME "$CG"
	WRAP=(valgrind --tool=callgrind "--callgrind-out-file=$CG/cg.$comp.%p")
	START_TRIES=1200
	if ! start "$comp" ""; then
		failrun "$comp did not start under callgrind (log: $(tail -n 3 "$WORK/$comp.log" | tr '\n' ' '))"
	else
		sleep 1
		# One short run first: the first client's one-time costs stay out.
		as_user WAYLAND_DISPLAY=$SOCK -- "$TICK" --duration 1 \
			--out /dev/null 2>>"$WORK/client.log"
		cg_load "$comp" full
		cg_load "$comp" window --size 250x250
		cg_load "$comp" region --region 32
	fi
	stop
	WRAP=()
	START_TRIES=200
}

echo "bench/compositor: $ROUNDS rounds of {$COMPS}, ${SECS} s per load, ${IDLE} s idle" >&2
set -- $COMPS
n=$#
for r in $(seq "$ROUNDS"); do
	# Rotate the order every round so no compositor always goes first.
	order=()
	for i in $(seq 0 $((n - 1))); do
		j=$(( (i + r - 1) % n + 1 ))
		order+=("${!j}")
	done
	for comp in "${order[@]}"; do
		echo "bench/compositor: round $r/$ROUNDS: $comp" >&2
		startup "$comp"
		session "$comp"
	done
done

if [ "${BENCH_CALLGRIND:-1}" != 0 ]; then
	if command -v valgrind >/dev/null && command -v callgrind_control >/dev/null; then
		for comp in $COMPS; do
			echo "bench/compositor: callgrind: $comp" >&2
			cg_session "$comp"
		done
	else
		warn "valgrind not installed (apt-get install valgrind): no instruction counts"
	fi
fi

# DRM in the VM (verso.ko), if it can boot. DSI-2 is flagged non-desktop by
# default, and desktop compositors (sway, cage, phoc) leave such a connector
# alone: the module parameter makes it an ordinary output for every one,
# and versod still picks it by name.
VMRAW=$WORK/vm.txt
: >"$VMRAW"
VM_ROUNDS=${BENCH_VM_ROUNDS:-5}
VM_SECS=${BENCH_VM_SECONDS:-4}
if [ "${BENCH_VM:-1}" != 0 ] && [ -x "$TOP/tools/vm/vm-run" ]; then
	echo "bench/compositor: DRM in the VM: versod as root, then $VM_ROUNDS rounds of {$COMPS} unprivileged" >&2
	# verso.ko's DSI-2 first; vkms's Virtual-1 when verso.ko lights nothing.
	for drv in verso vkms; do
		extra=(-p verso.rear_non_desktop=0)
		[ $drv = vkms ] && extra=(-e VERSOD_OUTPUT=Virtual-1)
		(cd "$TOP" && tools/vm/vm-run -m $drv -t 900 "${extra[@]}" -- \
			"$TOP/bench/compositor/vm-guest.sh" "$BIN" "$IDLE" \
			"$VM_ROUNDS" "$VM_SECS" $COMPS) \
			>"$VMRAW" 2>"$WORK/vm.err"
		vmrc=$?
		echo "drm_driver=$drv" >>"$VMRAW"
		grep -q '^drm_error=no rear output' "$VMRAW" || break
		warn "versod lit no output on $drv in the VM: $(tail -n 2 "$WORK/vm.err" | tr '\n' ' ')"
	done
	if [ $vmrc != 0 ] || ! grep -q '^drm_exit=0$' "$VMRAW" ||
			grep -q '^drm_error=' "$VMRAW"; then
		failrun "VM run failed or incomplete (status $vmrc): $(tail -n 3 "$WORK/vm.err" | tr '\n' ' ')"
		cp "$VMRAW" "$OUTDIR/compositor-vm-partial.txt"
		: >"$VMRAW"
	elif ! grep -q '^drm_peers_exit=0$' "$VMRAW"; then
		failrun "VM: the unprivileged DRM part did not finish: $(grep -h '^drm_peers_error=' "$VMRAW") $(tail -n 3 "$WORK/vm.err" | tr '\n' ' ')"
	elif grep -q '^drmnote=versod' "$VMRAW"; then
		# A peer that fails is skipped with a note; versod may not fail.
		failrun "VM: $(grep -h '^drmnote=versod' "$VMRAW" | head -n 1)"
	fi
	cp "$WORK/vm.err" "$OUTDIR/compositor-vm.log"
fi

"$TOP/bench/compositor/table.awk" -v comps="$COMPS" -v rounds="$ROUNDS" \
	-v secs="$SECS" -v idle="$IDLE" "$RAW" "$VMRAW" | tee "$OUTDIR/compositor.txt"
cp "$RAW" "$OUTDIR/compositor-raw.txt"
exit $status
