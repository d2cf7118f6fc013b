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
# Waits up to 5 s for versod's D-Bus interface.
wait_versod() {
	for _ in $(seq 50); do ctl stats >/dev/null 2>&1 && return 0; sleep 0.1; done
	return 1
}
# Writes this test's versod.conf (where versod looks: XDG_CONFIG_HOME).
versod_conf() { # text
	mkdir -p "$XDG_CONFIG_HOME/verso"
	printf '%s\n' "$1" >"$XDG_CONFIG_HOME/verso/versod.conf"
}
# Starts versod [ARGS] as $pid and waits for its D-Bus interface.
start_versod() {
	"$BIN/compositor/versod" "$@" >"$OUT/versod.log" 2>&1 &
	pid=$!
	wait_versod || fail "versod did not start"
}
# Ends the test: versod must have survived and exit cleanly; its log
# tail is printed on failure.
finish() {
	kill -0 "$pid" 2>/dev/null || fail "versod died"
	kill -TERM "$pid"
	wait "$pid" || fail "versod exited with status $?"
	[ $status = 0 ] || { echo "--- versod log"; tail -n 30 "$OUT/versod.log"; }
	rm -rf "$OUT"
	exit $status
}
# Reads an 8-bit RGB(A) PNG (grim, versoctl screenshot):
#   png FILE size                     WxH
#   png FILE px X Y [X Y]...          RRGGBB of each point
#   png FILE region X0 Y0 X1 Y1...    per region: RRGGBB if [X0,X1)x[Y0,Y1) is one
#                                     colour, else mixed
#   png FILE bbox RRGGBB              X0 Y0 X1 Y1 around the pixels of another colour, or none
png() {
	python3 - "$@" <<'PY'
import sys, zlib, struct
path, cmd, args = sys.argv[1], sys.argv[2], sys.argv[3:]
data = open(path, 'rb').read()
pos, idat = 8, []
while pos < len(data):
	n, t = struct.unpack('>I4s', data[pos:pos + 8])
	body = data[pos + 8:pos + 8 + n]
	if t == b'IHDR':
		w, h, depth, ctype, _, _, lace = struct.unpack('>IIBBBBB', body)
		if depth != 8 or ctype not in (2, 6) or lace:
			sys.exit(f"png: {path}: not 8-bit RGB(A)")
	elif t == b'IDAT':
		idat.append(body)
	pos += 12 + n
if cmd == 'size':
	print(f"{w}x{h}")
	sys.exit(0)
raw = zlib.decompress(b''.join(idat))
bpp = 4 if ctype == 6 else 3
stride = w * bpp
rows, prev = [], bytes(stride)
for y in range(h):
	f = raw[y * (stride + 1)]
	line = raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)]
	if f == 0:
		cur = line
	elif f == 2:
		cur = bytes([(a + b) & 255 for a, b in zip(line, prev)])
	else:
		cur = bytearray(line)
		for i in range(stride):
			a = cur[i - bpp] if i >= bpp else 0
			if f == 1:
				cur[i] = (cur[i] + a) & 255
				continue
			b = prev[i]
			if f == 3:
				cur[i] = (cur[i] + ((a + b) >> 1)) & 255
				continue
			c = prev[i - bpp] if i >= bpp else 0
			p = a + b - c
			pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
			cur[i] = (cur[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
		cur = bytes(cur)
	rows.append(cur)
	prev = cur
# Per row, the R, G and B planes.
planes = [(r[0::bpp], r[1::bpp], r[2::bpp]) for r in rows]
def same(y, x0, x1, rgb):
	return all(planes[y][i][x0:x1] == bytes([rgb[i]]) * (x1 - x0) for i in range(3))
if cmd == 'px':
	v = list(map(int, args))
	print(' '.join(bytes(planes[y][i][x] for i in range(3)).hex()
		for x, y in zip(v[0::2], v[1::2])))
elif cmd == 'region':
	out = []
	v = list(map(int, args))
	for x0, y0, x1, y1 in zip(v[0::4], v[1::4], v[2::4], v[3::4]):
		rgb = bytes(planes[y0][i][x0] for i in range(3))
		out.append(rgb.hex() if all(same(y, x0, x1, rgb)
			for y in range(y0, y1)) else "mixed")
	print(' '.join(out))
elif cmd == 'bbox':
	rgb = bytes.fromhex(args[0])
	box = None
	for y in range(h):
		if same(y, 0, w, rgb):
			continue
		xs = [x for x in range(w) if bytes(planes[y][i][x] for i in range(3)) != rgb]
		b = (xs[0], y, xs[-1] + 1, y + 1)
		box = b if box is None else (min(box[0], b[0]), box[1], max(box[2], b[2]), b[3])
	print(' '.join(map(str, box)) if box else "none")
else:
	sys.exit(f"png: unknown command {cmd}")
PY
}
