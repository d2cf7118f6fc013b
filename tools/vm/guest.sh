#!/bin/bash
# SPDX-License-Identifier: MIT
# Runs inside the vm-run guest as PID 1 (started by init), on the overlay of
# the host root, with stdout/stderr on the serial lines that vm-run streams
# to its own. Reads the job from the control share /run/verso-vm (written by
# vm-run), loads modules, runs the command, leaves its exit status (rc) and
# the kernel log (dmesg) in the share and powers off.
# Every host binary started here is read over 9p, which is slow under TCG:
# init did the mounting with busybox, and this script sticks to builtins.
set -u
ctl=/run/verso-vm
bb=/run/verso-vm-bin/busybox
# shellcheck source=/dev/null
. $ctl/job
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

# Progress markers on the console, so a timeout's console tail tells how
# far the guest got.
mark() { read -r up _ </proc/uptime; echo "[$up] vm-run: $*" >/dev/ttyS0; }

# Setup failures are the harness's, not the command's: vm-run reports them
# with their own exit status.
setup_fail() {
	echo "vm-run: $*" >&2
	echo "vm-run: kernel log tail:" >&2
	$bb dmesg | $bb tail -n 25 >&2
	echo "$*" >$ctl/setup-failed
	exit 1
}

load_modules() {
	local i m ko deps p args
	for i in "${!VM_MODS[@]}"; do
		m=${VM_MODS[$i]} ko=${VM_KOS[$i]}
		mark "loading module $m"
		if [ -z "$ko" ]; then
			modprobe "$m" || setup_fail "cannot load module $m"
			continue
		fi
		# A module built out of tree: load its dependencies from the
		# Debian tree first, then insmod it with its parameters.
		deps=$(modinfo -F depends "$ko") || setup_fail "cannot read $ko"
		deps=${deps//,/ }
		if [ -n "$deps" ]; then
			# shellcheck disable=SC2086 # one word per module
			modprobe -a $deps || setup_fail "cannot load $deps (needed by $m)"
		fi
		args=()
		for p in "${VM_PARAMS[@]}"; do
			[ "${p%%.*}" = "$m" ] && args+=("${p#*.}")
		done
		insmod "$ko" "${args[@]}" || setup_fail "cannot load module $m ($ko)"
	done
}

start_udev() {
	mark "starting systemd-udevd"
	/lib/systemd/systemd-udevd --daemon 2>/dev/ttyS0 || setup_fail "systemd-udevd did not start"
	udevadm trigger --type=subsystems --action=add
	udevadm trigger --type=devices --action=add
	udevadm settle --timeout=30 || echo "vm-run: warning: udevadm settle timed out" >&2
}

run_command() {
	local rt=/run/user/0 rc out_pid err_pid
	cd "$VM_CWD" 2>/dev/null || cd /
	# The command sees pipes (init made the FIFOs), not the serial ttys,
	# as on a CI host. Output written by processes it leaves behind is
	# cut off shortly after it exits.
	$bb cat /run/verso-vm-stdout & out_pid=$!
	$bb cat /run/verso-vm-stderr >&2 & err_pid=$!
	mark "running: ${VM_ARGV[*]}"
	env -i PATH="$PATH" HOME=/root USER=root LOGNAME=root SHELL=/bin/bash \
		LANG=C.UTF-8 XDG_RUNTIME_DIR=$rt VM_OUT="$VM_OUT" VM_KVER="$VM_KVER" \
		"${VM_ENV[@]}" "${VM_ARGV[@]}" \
		</dev/null >/run/verso-vm-stdout 2>/run/verso-vm-stderr
	rc=$?
	mark "command exited with status $rc"
	for _ in {1..30}; do
		kill -0 $out_pid 2>/dev/null || kill -0 $err_pid 2>/dev/null || break
		$bb usleep 100000
	done
	kill $out_pid $err_pid 2>/dev/null
	echo $rc >$ctl/rc
}

# A subshell, so that whatever happens PID 1 survives to power off.
(
	mark "guest.sh started"
	load_modules
	[ "$VM_UDEV" = 1 ] && start_udev
	run_command
)
$bb dmesg >$ctl/dmesg 2>/dev/null
$bb poweroff -f
# Not reached unless busybox is broken.
echo o >/proc/sysrq-trigger
