# SPDX-License-Identifier: MIT
# Shared helpers for VM tests. Each test is run as: bash tests/vm/NN-name.sh SERIES
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
TOP=$PWD
KSERIES=${1:-6.1}
BIN=$TOP/build/meson

vm() {
	"$TOP/tools/vm/vm-run" -k "$KSERIES" "$@"
}

die() {
	echo "FAIL: $*" >&2
	exit 1
}

# Prints the value of key=value from a "tag: k=v k=v" line.
field() { # line key
	printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"
}
