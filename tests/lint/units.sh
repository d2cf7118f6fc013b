#!/bin/bash
# SPDX-License-Identifier: MIT
# The systemd user unit as installed: `meson install` into a scratch root,
# then
#   (a) systemd-analyze verify finds nothing wrong with versod.service, the
#       programs in its ExecStart included (rewritten into the scratch root);
#   (b) versod accepts the unit's command line: with no shell at the
#       display it fails for that reason, not for an option, and an
#       unset WAYLAND_DISPLAY gets a clear error;
#   (c) negative check: a broken copy of the unit is reported.
# Exit 0 pass, 77 skip (no systemd-analyze), else fail.
set -u
cd "$(dirname "$0")/../.."
top=$PWD
build=${VERSO_BUILD:-$top/build/meson}
command -v systemd-analyze >/dev/null || { echo "no systemd-analyze"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
fail() { echo "FAIL: $*"; status=1; }

meson install -C "$build" --destdir "$tmp/root" --no-rebuild --quiet ||
	{ echo "FAIL: meson install"; exit 1; }
unit=$(find "$tmp/root" -path '*/systemd/user/versod.service' | head -n 1)
[ -n "$unit" ] || { echo "FAIL: versod.service is not installed"; exit 1; }
echo "installed: ${unit#"$tmp/root"}"
exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
bin=$(dirname "$(echo "$exec_start" | cut -d' ' -f1)")

# (a) Paths into the scratch root, so that verify checks installed files.
mkdir -p "$tmp/units" "$tmp/run"
sed "s|$bin/|$tmp/root$bin/|g" "$unit" >"$tmp/units/versod.service"
verify() { # unit file: prints what systemd-analyze reports
	XDG_RUNTIME_DIR=$tmp/run systemd-analyze --user verify "$1" 2>&1
}
out=$(verify "$tmp/units/versod.service")
[ -z "$out" ] || fail "systemd-analyze verify: $out"
grep -q '^Restart=on-failure' "$unit" ||
	fail "versod exits 1 on a lost lease: the unit must restart on failure"

# (b) The unit's command line, with a display nobody serves.
args=$(echo "$exec_start" | cut -d' ' -f2- |
	sed "s|\${WAYLAND_DISPLAY}|wayland-verso-none|; s|$bin/|$tmp/root$bin/|g")
# shellcheck disable=SC2086
out=$(XDG_RUNTIME_DIR=$tmp/run timeout 30 "$tmp/root$bin/versod" $args 2>&1)
rc=$?
[ $rc = 1 ] || fail "versod with the unit's options exited $rc, want 1"
echo "$out" | grep -q "Cannot connect to the main compositor at 'wayland-verso-none'" ||
	fail "versod did not take the unit's options: $(echo "$out" | tail -n 2)"

# An unset WAYLAND_DISPLAY reaches versod as an empty name.
out=$(XDG_RUNTIME_DIR=$tmp/run timeout 30 "$tmp/root$bin/versod" --lease-from "" 2>&1)
echo "$out" | grep -q "is WAYLAND_DISPLAY set" ||
	fail "no clear error for an empty display name: $out"

# (c) The check above can fail.
sed 's/^Restart=on-failure/Restart=sometimes/' "$tmp/units/versod.service" \
	>"$tmp/units/broken.service"
out=$(verify "$tmp/units/broken.service")
echo "$out" | grep -q "restart specifier" || fail "a broken unit was not reported"

[ $status = 0 ] && echo "PASS: versod.service"
exit $status
