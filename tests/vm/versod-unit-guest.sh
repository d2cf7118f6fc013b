#!/bin/bash
# SPDX-License-Identifier: MIT
# Guest half of 25-versod-unit.sh. Usage: versod-unit-guest.sh BINDIR
# $VM_OUT/root holds `meson install --destdir`. The user manager runs as
# root here; the shell (sway) runs unprivileged as in 24.
. "$(dirname "$0")/guest-lib.bash"
. "$(dirname "$0")/sway-lessor.bash"
unset LIBSEAT_BACKEND
cp -a "$OUT/root/usr/." /usr/ || fail "cannot install into /usr"
UNIT=versod.service
sysctl_u() { systemctl --user "$@"; }
prop() { sysctl_u show -p "$1" --value $UNIT; }
result_is() { [ "$(prop Result)" = "$1" ]; }
state_is() { [ "$(prop ActiveState)" = "$1" ]; }
clock_shown() { ctl cards 2>/dev/null | grep -q ' Clock$'; }
pipe_dark() { ! pipe_lit "$1"; }

# systemd runs a user manager only on a system booted with it (it checks
# /run/systemd/system) and needs a cgroup2 tree to put units in.
mkdir -p /run/systemd/system
mountpoint -q /sys/fs/cgroup || mount -t cgroup2 none /sys/fs/cgroup ||
	fail "no cgroup2"
# The rear touchscreen's seat goes in a drop-in, as
# Documentation/compositor.md tells integrators; so does the log, since no
# journald runs in the guest.
dropin=$XDG_CONFIG_HOME/systemd/user/$UNIT.d
mkdir -p "$dropin"
printf '[Service]\nEnvironment=VERSOD_INPUT_SEAT=seat-rear\n' >"$dropin/seat.conf"
printf '[Service]\nStandardOutput=append:%s\nStandardError=inherit\n' \
	"$OUT/versod.log" >"$dropin/log.conf"
# The manager passes its environment on to units. Its session bus is the
# user bus it serves itself (dbus.socket), as in a real session; the
# default target would also start the host's desktop services.
unset DBUS_SESSION_BUS_ADDRESS
# As in a real session (user@.service), the manager gets a cgroup of its
# own to hand out to its units. In the root cgroup it would take over the
# machine's: enable cpu, memory and pids for all of it and move into
# /init.scope. No controllers are delegated: the unit sets no limits.
cg=user.slice/user-0.slice/user@0.service
mkdir -p "/sys/fs/cgroup/$cg"
# It logs to the kernel log here (no journald), where its start limit
# message is looked for.
(echo "$BASHPID" >"/sys/fs/cgroup/$cg/cgroup.procs" &&
	exec /lib/systemd/systemd --user --unit=basic.target --log-target=kmsg \
		--log-level=notice) >/dev/null 2>&1 &
manager=$!
export DBUS_SESSION_BUS_ADDRESS=unix:path=$XDG_RUNTIME_DIR/bus
manager_up() {
	[ -S "$XDG_RUNTIME_DIR/systemd/private" ] &&
		sysctl_u is-system-running 2>/dev/null | grep -qx -e running -e degraded
}
wait_for 60 manager_up || fail "the user manager did not start"
unit_file=$(prop FragmentPath)
[ "$unit_file" = /usr/local/lib/systemd/user/$UNIT ] ||
	fail "the manager loads $UNIT from '$unit_file', not the installed one"
[ "$(prop DropInPaths | wc -w)" = 2 ] || fail "drop-ins not loaded: $(prop DropInPaths)"
[ -z "$(cat /sys/fs/cgroup/cgroup.subtree_control)" ] ||
	fail "the manager enabled controllers for the whole machine"

start_sway
# What a sway session does: export the display, then start the service
# (graphical-session.target itself refuses a manual start).
sysctl_u set-environment WAYLAND_DISPLAY=wayland-1
up() { # n: the unit runs its nth versod, which answers on D-Bus
	[ "$(prop ActiveState)" = active ] &&
		[ "$(grep -c "Leased DSI-2 from 'wayland-1'" "$OUT/versod.log")" = "$1" ] &&
		ctl stats >/dev/null 2>&1
}
sysctl_u start $UNIT || fail "systemctl start $UNIT failed"
wait_for 60 up 1 || fail "the unit did not lease DSI-2"
pid=$(prop MainPID)
[ "$(cat /proc/"$pid"/comm 2>/dev/null)" = versod ] || fail "MainPID $pid is not versod"
[ "$(prop ControlGroup)" = "/$cg/app.slice/$UNIT" ] ||
	fail "versod runs in '$(prop ControlGroup)', not under the manager's cgroup"
[ "$(stat output)" = DSI-2 ] || fail "output is '$(stat output)'"
wait_for 30 clock_shown || fail "the unit's --startup did not show the clock: $(ctl cards)"
pipe_lit pipe-1 || fail "DSI-2 is not lit"
# The clients versod starts get none of its fds of the card: a leased
# master fd would let them drive the rear display.
clock=$(pgrep -x verso-clock) || fail "no verso-clock running"
! ls -l /proc/"$clock"/fd | grep -q /dev/dri/ ||
	fail "verso-clock inherited a DRM fd: $(ls -l /proc/"$clock"/fd | grep /dev/dri/)"
grep -q "No rear touchscreen on seat 'seat-rear'" "$OUT/versod.log" ||
	fail "the drop-in's VERSOD_INPUT_SEAT did not reach versod"

# A crash: the unit starts versod again, which leases DSI-2 again.
kill -SEGV "$pid"
wait_for 60 up 2 || fail "versod was not restarted after a crash"
[ "$(prop NRestarts)" = 1 ] || fail "NRestarts is $(prop NRestarts), want 1"
[ "$(prop MainPID)" != "$pid" ] || fail "the crashed versod is still the main pid"
wait_for 30 clock_shown || fail "no clock after the restart"
pipe_lit pipe-1 || fail "DSI-2 is not lit after the restart"
echo "restarted after a crash: pid $pid -> $(prop MainPID)"

# A stop is clean: status 0, and the shell gets DSI-2 back (dark).
sysctl_u stop $UNIT
result_is success || fail "stop: Result=$(prop Result)"
[ "$(prop ExecMainStatus)" = 0 ] || fail "stop: versod exited $(prop ExecMainStatus)"
wait_for 10 pipe_dark pipe-1 || fail "DSI-2 still lit after the stop"

# The shell goes away: versod exits 1, and the unit restarts it until its
# start limit, since nothing offers a lease any more.
sysctl_u start $UNIT
wait_for 60 up 3 || fail "the unit did not start again"
kill -TERM "$sway_pid"
wait "$sway_pid" 2>/dev/null
# The unit's Result stays that of the first failure: versod's status 1.
wait_for 60 state_is failed || fail "the unit did not give up: $(prop ActiveState)"
result_is exit-code && [ "$(prop ExecMainStatus)" = 1 ] ||
	fail "Result=$(prop Result), status $(prop ExecMainStatus): want exit-code, 1"
dmesg | grep -q "$UNIT: Start request repeated too quickly" ||
	fail "the unit did not stop at its start limit"
grep -q "The lease of DSI-2 ended" "$OUT/versod.log" ||
	fail "versod did not say its lease ended"
grep -q "Cannot connect to the main compositor at 'wayland-1'" "$OUT/versod.log" ||
	fail "the restarts did not fail for the missing shell"
echo "without a shell: $(prop NRestarts) restarts, then $(prop ActiveState)"

kill -TERM "$manager"
wait "$manager" 2>/dev/null
stop_seatd
exit $status
