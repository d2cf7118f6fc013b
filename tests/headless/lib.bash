# SPDX-License-Identifier: MIT
# Sourced by the headless tests: a private session bus and runtime dir,
# versod's headless environment, and the helpers every test uses.
set -u
self=$(realpath "$0")
cd "$(dirname "$self")/../.."
BIN=${VERSO_BUILD:-$PWD/build/meson}
if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
	exec dbus-run-session -- "$self" "$@"
fi
OUT=$(mktemp -d)
export XDG_RUNTIME_DIR=$OUT/run
mkdir -m 700 "$XDG_RUNTIME_DIR"
# Never the developer's own versod.conf.
export XDG_CONFIG_HOME=$OUT/config
export WLR_BACKENDS=headless WLR_RENDERER=pixman WAYLAND_DISPLAY=wayland-0
status=0
fail() { echo "FAIL: $*"; status=1; }
ctl() { "$BIN/tools/versoctl/versoctl" "$@"; }
stat() { ctl stats | sed -n "s/^$1: //p"; }
PROBE=$BIN/tools/present-probe/present-probe
PNGCHECK=$BIN/tools/verso-capture/verso-pngcheck
