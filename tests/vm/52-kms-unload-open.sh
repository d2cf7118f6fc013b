# kernels: 6.1 6.12
# Unload and reload with a client still open. While a process holds
# /dev/dri/card0 (a lit pipe, mapped dumb buffers, flips in flight), the open
# file pins the module (its fops owner): rmmod must refuse ("in use"), the
# module must stay and the client must keep working. Once the client is gone
# (cleanly, then killed with -9 mid-flip), rmmod succeeds, the device node
# goes away, insmod brings it back and KMS works again. -W: no warnings.
. "$(dirname "$0")/lib.sh"
export VM_APPEND="${VM_APPEND:+$VM_APPEND }firmware_class.path=$BIN/firmware"
vm -W -m verso -t 300 -- sh -c '
	set -u
	BIN=$1
	ko=$2/build/kernel/linux-headers-$VM_KVER/verso.ko
	fail() { echo "FAIL: $*"; exit 1; }
	hold() { # starts kms-hold in the background and waits for "ready"
		rm -f /tmp/hold.out
		"$BIN/tests/kms/kms-hold" >/tmp/hold.out 2>&1 &
		hold_pid=$!
		for i in $(seq 50); do
			grep -q ready /tmp/hold.out && return 0
			sleep 0.1
		done
		cat /tmp/hold.out
		fail "kms-hold did not start"
	}

	hold
	refs=$(cat /sys/module/verso/refcnt)
	[ "$refs" -ge 1 ] || fail "open client holds no module reference ($refs)"
	if rmmod verso 2>/tmp/rmmod.err; then
		fail "rmmod verso succeeded with a client open"
	fi
	grep -q "in use" /tmp/rmmod.err || { cat /tmp/rmmod.err; fail "unexpected rmmod error"; }
	[ -e /sys/module/verso ] || fail "module gone after a refused rmmod"
	[ -e /dev/dri/card0 ] || fail "device node gone after a refused rmmod"
	# The kernel itself refuses too (delete_module, bypassing kmod checks).
	python3 -c "import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
r = libc.delete_module(b\"verso\", os.O_NONBLOCK)
sys.exit(0 if r != 0 and ctypes.get_errno() in (11, 16) else 1)" ||
		fail "delete_module did not fail with EAGAIN/EBUSY"
	sleep 0.5
	kill -0 $hold_pid || fail "client died after the refused rmmod"
	kill -TERM $hold_pid
	wait $hold_pid || { cat /tmp/hold.out; fail "client failed while the module was held"; }
	cat /tmp/hold.out

	# Killed mid-flip, with the pipe lit and buffers mapped.
	hold
	sleep 0.3
	kill -KILL $hold_pid
	wait $hold_pid 2>/dev/null
	for i in $(seq 50); do
		[ "$(cat /sys/module/verso/refcnt)" = 0 ] && break
		sleep 0.1
	done
	rmmod verso || fail "rmmod verso failed after the client exited"
	[ ! -e /sys/module/verso ] || fail "verso still loaded"
	[ ! -e /dev/dri/card0 ] || fail "/dev/dri/card0 still there"

	insmod "$ko" || fail "insmod after rmmod failed"
	for i in $(seq 50); do
		[ -e /dev/dri/card0 ] && break
		sleep 0.1
	done
	"$BIN/tests/kms/kms-basic" >/tmp/basic.out 2>&1 || { cat /tmp/basic.out; fail "kms-basic after reload"; }
	echo "reload: kms-basic passed"
	rmmod verso || fail "second rmmod failed"
	echo "PASS: unload refused while open, clean unload and reload after"
' sh "$BIN" "$TOP"
