#!/bin/bash
# SPDX-License-Identifier: MIT
# versod sees config changes by itself (inotify) where people keep the file:
# behind a dotfiles symlink (edited at the target, or the link re-pointed),
# in a directory that is removed and made again (seen again after the next
# reload), and when the inotify queue overflowed and dropped the change.
. "$(dirname "$0")/lib.bash"
logcount() { grep -c -- "$1" "$OUT/versod.log"; }
# Waits up to 5 s for a new line matching the pattern.
expect_log() { # count-before pattern
	for _ in $(seq 50); do
		[ "$(logcount "$2")" -gt "$1" ] && return 0
		sleep 0.1
	done
	return 1
}
# Saves a file the way editors do: write a temporary, rename it over.
save() { # path text
	printf '%s\n' "$2" >"$1.tmp" && mv "$1.tmp" "$1"
}
reloaded() { # count-before what
	expect_log "$1" "Config reloaded" || fail "$2: not reloaded"
}

mkdir "$OUT/conf" "$OUT/dotfiles"
conf=$OUT/conf/versod.conf
save "$OUT/dotfiles/versod.conf" 'cards = { wrap = false; };'
ln -s "$OUT/dotfiles/versod.conf" "$conf"
start_versod --config "$conf"

echo "# the symlink's target is edited"
n=$(logcount "Config reloaded")
save "$OUT/dotfiles/versod.conf" 'cards = { wrap = true; };'
reloaded "$n" "edit at the symlink target"

echo "# the symlink is re-pointed"
save "$OUT/dotfiles/other.conf" 'cards = { wrap = false; };'
n=$(logcount "Config reloaded")
ln -sfn "$OUT/dotfiles/other.conf" "$conf"
reloaded "$n" "re-pointed symlink"
n=$(logcount "Config reloaded")
save "$OUT/dotfiles/other.conf" 'cards = { wrap = true; };'
reloaded "$n" "edit at the new target"
# The old target is no longer the config: its changes are not reloads.
n=$(logcount "Config reloaded")
save "$OUT/dotfiles/versod.conf" 'cards = { wrap = false; };'
sleep 1
[ "$(logcount "Config reloaded")" = "$n" ] ||
	fail "a change to the old target reloaded"

echo "# the config directory is removed and made again"
n=$(logcount "went away")
rm -rf "$OUT/conf"
expect_log "$n" "went away" || fail "a removed directory not reported"
grep -- "went away" "$OUT/versod.log" | tail -n 1
mkdir "$OUT/conf"
save "$conf" 'cards = { wrap = true; };'
ctl reload || fail "versoctl reload in the new directory"
n=$(logcount "Config reloaded")
save "$conf" 'cards = { wrap = false; };'
reloaded "$n" "edit in the new directory"

echo "# the inotify queue overflows"
# While versod is stopped, more events than the queue holds pile up; the
# config's own change comes after the queue is full and is dropped.
max=$(cat /proc/sys/fs/inotify/max_queued_events)
kill -STOP "$pid"
python3 - "$OUT/conf" "$max" <<'PY'
import os, sys
d, n = sys.argv[1], int(sys.argv[2]) + 16
for i in range(n):
	with open(os.path.join(d, f"f{i}"), "w"):
		pass
PY
n=$(logcount "Config reloaded")
save "$conf" 'cards = { wrap = true; };'
kill -CONT "$pid"
reloaded "$n" "change lost in an overflow"
grep -q "inotify queue overflowed" "$OUT/versod.log" ||
	fail "overflow not logged"

finish
