#!/bin/bash
# SPDX-License-Identifier: MIT
# Runs inside the VM as root, after vm-guest.sh's root measurements: versod
# and the Debian peers (cage, sway, phoc) on the DRM backend, each as the
# unprivileged user verso-bench with its seat from seatd, the pixman renderer
# and the same tick-client loads as the headless part of run.sh. With
# pixman a wl_shm buffer cannot be scanned out, so every compositor really
# composites every frame. Rounds are interleaved, the order rotated.
# Prints "drmrec COMP METRIC VALUE" lines (one per round) for table.awk,
# "drmfloor VARIANT US" lines (flip-floor, once a round), and
# "drmnote=WORDS" for a compositor that did not start or whose client drew
# nothing (skipped; run.sh fails the run only when it is versod).
# Usage: vm-peers.sh BINDIR ROUNDS SECONDS IDLE_SECONDS COMPOSITOR...
set -u
. "$(dirname "$0")/lib.sh"
BIN=$1 ROUNDS=$2 SECS=$3 IDLE=$4
shift 4
USERNAME=verso-bench
TICK=$BIN/bench/compositor/tick-client
FLOOR=$BIN/bench/kms/flip-floor
PROBE=$BIN/tools/present-probe/present-probe
# The rear connector (vkms fallback: Virtual-1); every other one is
# switched off in the peers' configs so that they composite one output,
# like versod.
OUT=${VERSOD_OUTPUT:-DSI-2}
others=()
for c in /sys/class/drm/card0-*; do
	n=${c##*/card0-}
	case $n in "$OUT" | Writeback-*) ;; *) others+=("$n") ;; esac
done

id $USERNAME >/dev/null 2>&1 || { echo "drm_peers_error=no user $USERNAME"; exit 1; }
WORK=$(mktemp -d /tmp/verso-bench.XXXXXX)
chmod 755 "$WORK"
chown $USERNAME "$WORK"
RUN=$WORK/run

# wlroots' DRM dumb allocator reopens the card node by path (wlroots 0.15),
# so the user needs the device group a desktop user has; devtmpfs without
# udev leaves the node root-only.
chgrp video /dev/dri/card0 && chmod 660 /dev/dri/card0
VIDEO_GID=$(getent group video | cut -d: -f3)
USER_GID=$(id -g $USERNAME)

# seatd hands the DRM fd to the unprivileged compositors (libseat).
seatd -u $USERNAME -l error 2>"$WORK/seatd.log" &
SEATD=$!
PID=
trap 'stop; kill $SEATD 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 100); do [ -S /run/seatd.sock ] && break; sleep 0.1; done
if [ ! -S /run/seatd.sock ]; then
	echo "drm_peers_error=seatd did not start"
	cat "$WORK/seatd.log" >&2
	exit 1
fi

{
	echo "xwayland disable"
	echo "default_border none"
	for n in "${others[@]}"; do echo "output $n disable"; done
	echo "output $OUT scale 1"
} >"$WORK/sway.cfg"
{
	printf '[core]\nxwayland=false\n'
	for n in "${others[@]}"; do printf '[output:%s]\nenable=false\n' "$n"; done
} >"$WORK/phoc.ini"
echo 'output = { blank_timeout = 0; };' >"$WORK/versod.conf"
chmod 644 "$WORK"/*.cfg "$WORK"/*.ini "$WORK"/*.conf

as_user() { # VAR=VALUE... -- COMMAND...
	local envs=()
	while [ "$1" != -- ]; do envs+=("$1"); shift; done
	shift
	${AS_EXEC:+exec} setpriv --reuid=$USERNAME --regid=$USER_GID \
		--groups=$VIDEO_GID env -i PATH=/usr/local/bin:/usr/bin:/bin \
		HOME="$WORK" XDG_RUNTIME_DIR="$RUN" LIBSEAT_BACKEND=seatd \
		WLR_BACKENDS=drm WLR_RENDERER=pixman LANG=C.UTF-8 "${envs[@]}" "$@"
}

start() { # COMP: sets PID and SOCK
	local comp=$1 argv s
	rm -rf "$RUN"
	mkdir -m 700 "$RUN"
	chown $USERNAME "$RUN"
	case $comp in
	versod) argv=("$BIN/compositor/versod" -c "$WORK/versod.conf") ;;
	# cage 0.1.4 spans every connected output unless told to use the
	# last one; it cannot be given a name.
	cage) argv=(cage -m last -- sleep 100000) ;;
	sway) argv=(sway -c "$WORK/sway.cfg") ;;
	phoc) argv=(phoc -C "$WORK/phoc.ini") ;;
	*) echo "unknown compositor $comp" >>"$WORK/$comp.log"; return 1 ;;
	esac
	AS_EXEC=1 as_user VERSOD_OUTPUT="$OUT" -- "${argv[@]}" \
		>>"$WORK/$comp.log" 2>&1 &
	PID=$!
	SOCK=
	# Under TCG a first start reads every library over 9p: up to 60 s.
	for _ in $(seq 600); do
		for s in "$RUN"/wayland-[0-9]*; do
			[[ $s =~ /wayland-[0-9]+$ ]] && SOCK=${s##*/} && break
		done
		[ -n "$SOCK" ] && break
		kill -0 $PID 2>/dev/null || break
		sleep 0.1
	done
	[ -n "$SOCK" ] || return 1
	# phoc derives a scale from the panel's size (1.5 on DSI-2: the client
	# would draw 650x397). phoc 0.24 cannot take it from phoc.ini on DRM
	# (an output section sets the mode before enabling the output, which
	# fails), so it is set through wlr-output-management once running.
	[ "$comp" = phoc ] && unscale
	return 0
}
randr() { as_user WAYLAND_DISPLAY=$SOCK -- wlr-randr "$@" 2>>"$WORK/phoc.log"; }
unscale() {
	local i
	if ! command -v wlr-randr >/dev/null; then
		echo "drmnote=phoc: no wlr-randr (apt-get install wlr-randr): phoc keeps its own scale"
		return
	fi
	# The socket comes before the output: wait for it to be enabled.
	for i in $(seq 100); do
		randr | grep -A 12 "^$OUT " | grep -q 'Enabled: yes' && break
		sleep 0.2
	done
	randr --output "$OUT" --scale 1
	randr | grep -A 20 "^$OUT " | grep -q 'Scale: 1.000000' ||
		echo "drmnote=phoc: wlr-randr could not set scale 1: phoc keeps its own scale"
}
STOP_TRIES=100 # under TCG a compositor takes longer to exit
# The same counters as run.sh, read without forking (every process costs
# tens of ms under TCG), per thread: snap PID sets S to one line
# "TID CPU CTX UT ST" per live thread (scheduler runtime in ns, voluntary
# plus involuntary context switches, user and system ticks).
snap() {
	local f a b st cpu ctx
	S=''
	for f in /proc/$1/task/*; do
		cpu=0 ctx=0
		{
			read -r cpu a <"$f/schedstat"
			while read -r a b; do
				case $a in
				voluntary_ctxt_switches: | nonvoluntary_ctxt_switches:)
					ctx=$((ctx + b)) ;;
				esac
			done <"$f/status"
			read -r st <"$f/stat"
		} 2>/dev/null || continue
		set -- ${st##*) }
		S+="${f##*/} $cpu $ctx ${12} ${13}"$'\n'
	done
}
# What happened between snapshots $1 and $2, summed over the threads alive
# at the second (a thread started meanwhile counts from zero): D_CPU,
# D_CTX, D_UT, D_ST. A thread that ended meanwhile takes its share with it
# (a plain sum would even go negative): D_GONE counts those.
delta() {
	local -A before
	local tid cpu ctx ut st b
	D_CPU=0 D_CTX=0 D_UT=0 D_ST=0
	while read -r tid cpu ctx ut st; do
		[ -n "$tid" ] && before[$tid]="$cpu $ctx $ut $st"
	done <<<"$1"
	while read -r tid cpu ctx ut st; do
		[ -n "$tid" ] || continue
		b=(0 0 0 0)
		if [ -n "${before[$tid]:-}" ]; then
			read -r -a b <<<"${before[$tid]}"
			unset "before[$tid]"
		fi
		D_CPU=$((D_CPU + cpu - b[0])) D_CTX=$((D_CTX + ctx - b[1]))
		D_UT=$((D_UT + ut - b[2])) D_ST=$((D_ST + st - b[3]))
	done <<<"$2"
	D_GONE=${#before[@]}
}
div() { # NUM DEN DECIMALS: NUM / DEN, rounded down
	local q=$(($1 * 10 ** $3 / $2))
	if [ "$3" = 0 ]; then echo $q; else printf '%d.%0*d\n' $((q / 10 ** $3)) $3 $((q % 10 ** $3)); fi
}
rec() { echo "drmrec $1 $2 $3"; }
tick_result() { # FILE: sets T_FRAMES, T_FPS, T_W, T_H from tick-client's line
	local line w
	T_FRAMES='' T_FPS='' T_W='' T_H=''
	read -r line <"$1" 2>/dev/null || return 1
	for w in $line; do
		case $w in
		frames=*) T_FRAMES=${w#*=} ;;
		fps=*) T_FPS=${w#*=} ;;
		width=*) T_W=${w#*=} ;;
		height=*) T_H=${w#*=} ;;
		esac
	done
}

load() { # comp name args...
	local comp=$1 name=$2
	shift 2
	local out=$WORK/tick.out s0
	rm -f "$out"
	snap $PID
	s0=$S
	as_user WAYLAND_DISPLAY=$SOCK -- "$TICK" --duration "$SECS" "$@" \
		--out "$out" 2>>"$WORK/client.log"
	snap $PID
	delta "$s0" "$S"
	if ! kill -0 $PID 2>/dev/null; then
		echo "drmnote=$comp: $name: the compositor exited"
		return 1
	fi
	tick_result "$out"
	if [ -z "$T_FRAMES" ] || [ "$T_FRAMES" -lt 2 ]; then
		echo "drmnote=$comp: $name: the client drew no frames"
		return 1
	fi
	[ $D_GONE = 0 ] ||
		echo "drmnote=$comp: $name: $D_GONE thread(s) ended during a load; their share is missing"
	rec "$comp" "cpu_$name" "$(div $D_CPU $((T_FRAMES * 1000000)) 4)"
	rec "$comp" "ctx_$name" "$(div $D_CTX $T_FRAMES 2)"
	local ticks=$((D_UT + D_ST))
	[ $ticks -gt 0 ] && rec "$comp" "sys_$name" "$(div $((100 * D_ST)) $ticks 0)"
	rec "$comp" "fps_$name" "$T_FPS"
	rec "$comp" "frames_$name" "$T_FRAMES"
	[ "$name" = full ] && rec "$comp" mode "${T_W}x$T_H@${T_FPS%.*}"
	return 0
}

# Commit-to-present latency of a fullscreen wl_shm client, from
# wp_presentation (present-probe); cage 0.1.4 offers no wp_presentation.
latency() { # comp
	local comp=$1 out=$WORK/probe.out rc=0 line w
	as_user WAYLAND_DISPLAY=$SOCK -- "$PROBE" --duration "$SECS" --warmup 1 \
		--latency >"$out" 2>>"$WORK/client.log" || rc=$?
	if [ $rc = 2 ]; then
		echo "drmnote=$comp offers no wp_presentation: no latency"
		return 0
	fi
	while read -r line; do
		case $line in latency:*) ;; *) continue ;; esac
		for w in $line; do
			case $w in
			n=0) echo "drmnote=$comp: no frame presented to present-probe"; return 0 ;;
			mean_us=*) rec "$comp" lat_mean "${w#*=}" ;;
			p99_us=*) rec "$comp" lat_p99 "${w#*=}" ;;
			esac
		done
	done <"$out"
	return 0
}

session() {
	local comp=$1
	if ! start "$comp"; then
		echo "drmnote=$comp did not start: $(tail -n 2 "$WORK/$comp.log" | tr '\n=' '  ')"
		tail -n 20 "$WORK/$comp.log" >&2
		stop
		return
	fi
	sleep 1
	load "$comp" full &&                  # fullscreen, whole buffer damaged
	load "$comp" window --size 250x250 && # composited with the background
	load "$comp" region --region 32 || {  # fullscreen, 32x32 damaged
		tail -n 20 "$WORK/$comp.log" "$WORK/client.log" >&2
		stop
		return
	}
	latency "$comp"
	# Idle: a static fullscreen client, after its first frame; it is
	# stopped (SIGTERM) once the window is over.
	AS_EXEC=1 as_user WAYLAND_DISPLAY=$SOCK -- "$TICK" --static \
		--duration $((IDLE + 10)) --out /dev/null 2>>"$WORK/client.log" &
	local cl=$! s0 t0 t1
	sleep 1.5
	snap $PID
	s0=$S t0=$(date +%s%N)
	sleep "$IDLE"
	snap $PID
	t1=$(date +%s%N)
	delta "$s0" "$S"
	kill -TERM $cl
	wait $cl
	rec "$comp" idle_cpu "$(div $((D_CPU * 1000)) $((t1 - t0)) 2)"
	rec "$comp" idle_wakeups "$(div $((D_CTX * 1000000000)) $((t1 - t0)) 2)"
	stop
}

# The floor of any compositor on this pipe, in the same rounds: what a
# flip and the client's round trip cost with nothing composited
# (bench/kms/flip-floor, as root, between two compositors). Prints
# "drmfloor VARIANT US" lines.
floor() {
	local driver=verso k v
	[ "$OUT" = Virtual-1 ] && driver=vkms
	if ! "$FLOOR" -d $driver -c "$OUT" -n $((SECS * 60)) >"$WORK/floor.out" \
			2>"$WORK/floor.log"; then
		echo "drmnote=flip-floor failed: $(tail -n 1 "$WORK/floor.log")"
		return
	fi
	while read -r k v; do
		case $k in floor_*_us) echo "drmfloor ${k%_us} $v" ;; esac
	done <"$WORK/floor.out"
}

comps=()
for c in "$@"; do
	case $c in
	versod) comps+=("$c") ;;
	*) if command -v "$c" >/dev/null; then comps+=("$c")
	   else echo "drmnote=$c not installed"; fi ;;
	esac
done
n=${#comps[@]}
echo "drm_peers_output=$OUT drm_peers_rounds=$ROUNDS drm_peers_secs=$SECS"
for r in $(seq "$ROUNDS"); do
	for i in $(seq 0 $((n - 1))); do
		comp=${comps[$(( (i + r - 1) % n ))]}
		echo "vm-peers: ${SECONDS}s: round $r/$ROUNDS: $comp" >&2
		session "$comp"
	done
	echo "vm-peers: ${SECONDS}s: round $r/$ROUNDS: flip-floor" >&2
	floor
done
echo "drm_peers_exit=0"
