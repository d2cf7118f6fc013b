# kernels: 6.1 6.12
# Rear panel over the virtual DSI host: the DCS order of power-on and
# power-off, DCS brightness from the backlight class device, and the idle
# (self-refresh) path, all read back from the host's DCS log.
. "$(dirname "$0")/lib.sh"
export VM_APPEND="firmware_class.path=$BIN/firmware ${VM_APPEND:-}"
vm -W -m verso -p verso.idle_frames=0 -t 240 -- bash -c '
set -euo pipefail
BIN=$1
D=$(dirname "$(grep -l "^verso " /sys/kernel/debug/dri/*/name | head -n 1)")
LOG=$D/rear_dcs_log
PARAM=/sys/module/verso/parameters/idle_frames
die() { echo "FAIL: $*" >&2; echo "--- rear_dcs_log" >&2; cat "$LOG" >&2; exit 1; }
# "data" fields of the log, space-separated.
seq_of() { sed -n "s/.* data=\([0-9a-f:]*\) .*/\1/p" "$LOG" | tr "\n" " "; }
# t_us of the first line whose data is $1.
t_of() { sed -n "s/^t_us=\([0-9]*\) .* data=$1 .*/\1/p" "$LOG" | head -n 1; }

grep -q "^panel: verso-rear-amoled" "$D/rear_panel_state" || die "panel not bound"

# 1. Power-on through a real client that checks the pixels, then power-off.
echo > "$LOG"
"$BIN/tools/verso-capture/verso-capture" --test-pattern -c DSI-2
"$BIN/tests/panel/panel-client" off
cat "$LOG"
got=$(seq_of)
want="35:00 53:20 51:03:ff 11 29 51:03:ff 28 10 "
[ "$got" = "$want" ] || die "DCS order: got \"$got\", want \"$want\""
grep -q "rejected" "$LOG" && die "the panel rejected a command"
gap=$(( $(t_of 29) - $(t_of 11) ))
[ "$gap" -ge 120000 ] || die "display-on ${gap} us after sleep-out, want >= 120 ms"
echo "power sequence ok: $got(sleep-out to display-on ${gap} us)"

# 2. Backlight class device: brightness goes out as DCS 0x51, MSB first.
BL=$(ls -d /sys/class/backlight/* | head -n 1)
[ "$(cat "$BL/max_brightness")" = 2047 ] || die "max_brightness $(cat "$BL/max_brightness")"
echo > "$LOG"
# Brightness goes in once the panel is on: wait for the client to say so
# (a fixed wait is too short on a slow TCG guest), well inside its sleep.
"$BIN/tests/panel/panel-client" on sleep:5000 off >"$VM_OUT/bl-client.log" &
client=$!
for i in $(seq 200); do
	grep -q "^panel-client: on ok" "$VM_OUT/bl-client.log" && break
	sleep 0.1
done
grep -q "^panel-client: on ok" "$VM_OUT/bl-client.log" || die "panel-client never turned the panel on"
echo 2047 > "$BL/brightness"
echo 291 > "$BL/brightness"
wait $client
cat "$LOG"
got=$(seq_of)
want="35:00 53:20 51:03:ff 11 29 51:03:ff 51:07:ff 51:01:23 28 10 "
[ "$got" = "$want" ] || die "backlight: got \"$got\", want \"$want\""
grep -q "brightness: 291" "$D/rear_panel_state" || die "panel brightness not 291"
# Asleep, the level is kept for the next power-on.
echo > "$LOG"
echo 100 > "$BL/brightness"
[ -z "$(seq_of)" ] || die "brightness sent to a sleeping panel"
echo "backlight ok"

# 3. Idle: 30 frames (250 ms at 120 Hz) without a commit enter idle mode,
# the next commit leaves it before anything else.
echo 30 > "$PARAM"
echo > "$LOG"
"$BIN/tests/panel/panel-client" on sleep:800 flip off | tee "$VM_OUT/client.log"
cat "$LOG"
cat "$D/rear_panel_state"
got=$(seq_of)
# A slow guest may idle again between the flip and the power-off.
want="35:00 53:20 51:03:ff 11 29 51:00:64 39 38 (39 38 )*28 10 "
[[ "$got" =~ ^${want}$ ]] || die "idle: got \"$got\", want \"$want\""
grep -q "rejected" "$LOG" && die "the panel rejected a command"
n=$(grep -c "data=39 " "$LOG")
grep -q "^idle: off, entered $n times, exited $n times" "$D/rear_panel_state" ||
	die "idle counters"
idle_after=$(( $(t_of 39) - $(t_of 51:00:64) ))
[ "$idle_after" -ge 240000 ] || die "idle entered ${idle_after} us after the commit"
flip_at=$(sed -n "s/^panel-client: sleep:800 ok t_us=//p" "$VM_OUT/client.log")
[ "$(t_of 38)" -ge "$flip_at" ] || die "idle left before the next commit"
echo "idle ok: entered ${idle_after} us after the last commit, left on the next"

# 4. idle_frames=0 disables the idle path.
echo 0 > "$PARAM"
echo > "$LOG"
"$BIN/tests/panel/panel-client" on sleep:600 off
grep -q "data=39 " "$LOG" && die "idle entered with idle_frames=0"

# 5. The model rejects what a real panel would not take.
echo > "$LOG"
echo 29 > "$D/rear_dcs_inject" 2>/dev/null && die "display-on while asleep accepted"
echo 2c > "$D/rear_dcs_inject" 2>/dev/null && die "memory write while asleep accepted"
echo 11 > "$D/rear_dcs_inject"
echo 10 > "$D/rear_dcs_inject" 2>/dev/null && die "sleep-in right after sleep-out accepted"
echo 29 > "$D/rear_dcs_inject" 2>/dev/null && die "display-on right after sleep-out accepted"
echo 51 08 00 > "$D/rear_dcs_inject" 2>/dev/null && die "brightness 2048 accepted"
echo 51 07 > "$D/rear_dcs_inject" 2>/dev/null && die "1-byte brightness accepted"
echo 07 > "$D/rear_dcs_inject" 2>/dev/null && die "unknown DCS command accepted"
cat "$LOG"
[ "$(grep -c "rejected: " "$LOG")" = 7 ] || die "want 7 rejections"
echo "model rejections ok"
' _ "$BIN"
