# kernels: 6.1 6.12
# A truncated, a corrupted and a missing rear panel firmware: the panel
# probe fails with the parser's message, DSI-2 stays disconnected, nothing
# crashes or warns, and verso.ko unloads.
. "$(dirname "$0")/lib.sh"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
ref=$BIN/firmware/verso/rear-panel.bin
[ -s "$ref" ] || die "$ref missing: build with meson"
mkdir -p "$out/verso"
head -c 100 "$ref" > "$out/verso/truncated.bin"
cp "$ref" "$out/verso/corrupted.bin"
cp "$ref" "$out/verso/good.bin"
# One byte of the panel name: only the CRC can tell.
printf 'X' | dd of="$out/verso/corrupted.bin" bs=1 seek=$((0x34)) conv=notrunc status=none
export VM_APPEND="firmware_class.path=$out ${VM_APPEND:-}"
vm -W -m drm_kms_helper -m drm_shmem_helper -o "$out" -t 240 -- bash -c '
set -euo pipefail
BIN=$1
KO=$PWD/build/kernel/linux-headers-$VM_KVER/verso.ko
die() { echo "FAIL: $*" >&2; dmesg | tail -n 20 >&2; exit 1; }
check() { # firmware expected-message
	dmesg -C
	insmod "$KO" rear_panel="$1"
	D=$(dirname "$(grep -l "^verso " /sys/kernel/debug/dri/*/name | head -n 1)")
	dmesg | grep -F "verso-rear-amoled" || true
	dmesg | grep -qF "$2" || die "$1: no \"$2\" in dmesg"
	grep -q "^panel: none" "$D/rear_panel_state" || die "$1: panel bound"
	dmesg | grep -qF "DSI-2 stays disconnected" || die "$1: no disconnect message"
	echo detect > /sys/class/drm/card*-DSI-2/status
	status=$(cat /sys/class/drm/card*-DSI-2/status)
	[ "$status" = disconnected ] || die "$1: DSI-2 is $status"
	# The main display still works.
	echo detect > /sys/class/drm/card*-DSI-1/status
	[ "$(cat /sys/class/drm/card*-DSI-1/status)" = connected ] || die "DSI-1"
	rmmod verso || die "$1: rmmod"
	echo "ok: $1"
}
check verso/truncated.bin "panel firmware verso/truncated.bin: offset 0x000c: total size 364 does not match the blob size 100"
check verso/corrupted.bin "panel firmware verso/corrupted.bin: offset 0x0010: CRC32 mismatch"
check verso/missing.bin "panel firmware verso/missing.bin: cannot load"
# Control: the reference blob, from the same path, binds.
insmod "$KO" rear_panel=verso/good.bin
D=$(dirname "$(grep -l "^verso " /sys/kernel/debug/dri/*/name | head -n 1)")
grep -q "^panel: verso-rear-amoled, firmware verso/good.bin" "$D/rear_panel_state" ||
	die "good.bin did not bind"
echo detect > /sys/class/drm/card*-DSI-2/status
[ "$(cat /sys/class/drm/card*-DSI-2/status)" = connected ] || die "DSI-2 with good.bin"
rmmod verso
echo "ok: verso/good.bin binds"
' _ "$BIN"
