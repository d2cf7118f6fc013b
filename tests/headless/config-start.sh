#!/bin/bash
# SPDX-License-Identifier: MIT
# The config keys versod reads at start: output.name chooses the output
# (one that is missing lights nothing), renderer the renderer and dbus the
# bus; --output and WLR_RENDERER win over the file.
. "$(dirname "$0")/lib.bash"
stop_versod() {
	kill -TERM "$pid"
	wait "$pid" || fail "versod exited with status $?"
}
logged() { grep -q "$1" "$OUT/versod.log"; }

unset WLR_RENDERER
versod_conf 'output = { name = "HEADLESS-1"; }; renderer = "pixman";'
start_versod
logged "Chose HEADLESS-1 (configured name)" || fail "output.name was not used"
logged "Renderer: pixman, as the config asks" || fail "renderer = pixman was not used"
[ "$(stat output)" = HEADLESS-1 ] || fail "output '$(stat output)'"
stop_versod

# An explicit name never falls back to a guess; --output wins over it.
versod_conf 'output = { name = "DSI-7"; };'
start_versod
logged "Output DSI-7 not found" || fail "a missing output.name was not reported"
[ -z "$(stat output)" ] || fail "lit '$(stat output)' instead of nothing"
stop_versod
start_versod --output HEADLESS-1
[ "$(stat output)" = HEADLESS-1 ] || fail "--output did not win over output.name"
stop_versod

# gles2 is tried even where wlroots would pick pixman by itself (no GPU
# here), and WLR_RENDERER wins over the file.
versod_conf 'renderer = "gles2";'
start_versod
logged "falling back to pixman" || fail "renderer = gles2 was not tried"
stop_versod
WLR_RENDERER=pixman start_versod
logged "falling back to pixman" && fail "WLR_RENDERER did not win over the file"
stop_versod

# dbus = "system": the interface is on the system bus, here a private one.
sysbus=$(dbus-daemon --session --fork --print-address=1 --print-pid=1) ||
	{ fail "no bus daemon"; finish; }
export DBUS_SYSTEM_BUS_ADDRESS=$(echo "$sysbus" | head -n 1)
bus_pid=$(echo "$sysbus" | sed -n 2p)
trap 'kill "$bus_pid"' EXIT
versod_conf 'dbus = "system";'
"$BIN/compositor/versod" >"$OUT/versod.log" 2>&1 &
pid=$!
on_system() { ctl --system stats >/dev/null 2>&1; }
for _ in $(seq 50); do on_system && break; sleep 0.1; done
on_system || fail "dbus = system: not on the system bus"
ctl stats >/dev/null 2>&1 && fail "dbus = system: still on the session bus"
finish
