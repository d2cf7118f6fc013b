# SPDX-License-Identifier: MIT
# shellcheck shell=sh
# Shared helpers for the tools/vm scripts (sourced, not executed).

VM_TOOLS=$(cd "$(dirname "$0")" && pwd)
VM_ROOT=$(cd "$VM_TOOLS/../.." && pwd)
# All caches live here; VM_BUILD_DIR moves them (e.g. for a second checkout).
VM_DIR=${VM_BUILD_DIR:-$VM_ROOT/build/vm}
mkdir -p "$VM_DIR"

vm_die() {
	echo "$(basename "$0"): error: $*" >&2
	exit 1
}

# Kernel release for a series, discovered from the installed headers so no
# version number is written down anywhere.
vm_kver() {
	case $1 in
	6.1)  pat='linux-headers-6.1.0-*-amd64' ;;
	6.12) pat='linux-headers-6.12.*-amd64' ;;
	*)    vm_die "unknown kernel series '$1' (use 6.1 or 6.12)" ;;
	esac
	k=$(cd /usr/src && ls -d $pat 2>/dev/null | sed 's/^linux-headers-//' | sort -V | tail -n 1)
	[ -n "$k" ] || vm_die "no /usr/src/$pat installed (run make deps)"
	echo "$k"
}

# Run "$@" holding an exclusive lock, so parallel vm-run calls don't build
# the same cache twice.
vm_locked() {
	lock=$1; shift
	flock "$VM_DIR/.$lock.lock" "$@"
}
