#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Lint the driver: checkpatch --strict on every source file, then a W=1
# sparse build (C=2) against each installed Debian kernel (6.1 and 6.12).
# Exits non-zero on any finding.

set -eu

SRC=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$SRC")
SCRIPTS=$TOP/build/linux-source-scripts
TARBALL=${LINUX_SOURCE_TARBALL:-$(ls /usr/src/linux-source-6.1.tar.* 2>/dev/null | head -n 1)}
status=0

# checkpatch.pl and its data files, extracted once from Debian's linux-source.
if [ ! -x "$SCRIPTS/checkpatch.pl" ]; then
	[ -n "$TARBALL" ] || { echo "lint: no /usr/src/linux-source-6.1.tar.*" >&2; exit 1; }
	tmp=$(mktemp -d)
	top=$(tar tf "$TARBALL" | head -n 1 | cut -d/ -f1)
	tar xf "$TARBALL" -C "$tmp" "$top/scripts/checkpatch.pl" \
		"$top/scripts/spelling.txt" "$top/scripts/const_structs.checkpatch"
	mkdir -p "$SCRIPTS"
	mv "$tmp/$top/scripts/"* "$SCRIPTS/"
	rm -rf "$tmp"
fi

# checkpatch looks up DT compatibles under $root/Documentation/devicetree:
# give it this tree's bindings and the vendor prefix list with "verso"
# added as Documentation/devicetree/upstream/ submits it.
DT=$SCRIPTS/Documentation/devicetree/bindings
if [ ! -e "$DT/vendor-prefixes.yaml" ]; then
	tmp=$(mktemp -d)
	top=$(tar tf "$TARBALL" | head -n 1 | cut -d/ -f1)
	tar xf "$TARBALL" -C "$tmp" \
		"$top/Documentation/devicetree/bindings/vendor-prefixes.yaml"
	mkdir -p "$DT"
	{
		cat "$tmp/$top/Documentation/devicetree/bindings/vendor-prefixes.yaml"
		sed -n 's/^+\(  .*\)/\1/p' \
			"$TOP"/Documentation/devicetree/upstream/*vendor-prefixes*.patch
	} > "$DT/vendor-prefixes.yaml"
	rm -rf "$tmp"
fi
# A copy, not a link: checkpatch's grep -r does not follow links.
rm -rf "$DT/display"
cp -R "$TOP/Documentation/devicetree/bindings/display" "$DT/display"

echo "lint: checkpatch --strict"
# An empty include/ keeps the CamelCase scan (and its cache file) in SCRIPTS.
mkdir -p "$SCRIPTS/include"
checkpatch() {
	(cd "$SCRIPTS" && ./checkpatch.pl --strict --no-tree --root="$SCRIPTS" \
		--quiet --terse --show-types "$@")
}
for f in "$SRC"/*.c "$SRC"/*.h; do
	case $f in
	# Comparing kernel versions is what the compat header is for.
	*/verso_compat.h)
		checkpatch --ignore LINUX_VERSION_CODE,CONSTANT_COMPARISON -f "$f" ;;
	*)
		checkpatch -f "$f" ;;
	esac || status=1
done

command -v sparse >/dev/null || { echo "lint: sparse is not installed" >&2; exit 1; }

kdirs=$(ls -d /usr/src/linux-headers-6.1.0-*-amd64 2>/dev/null | sort -V | tail -n 1)
kdirs="$kdirs $(ls -d /usr/src/linux-headers-6.12.*-amd64 2>/dev/null | sort -V | tail -n 1)"
for kdir in $kdirs; do
	echo "lint: sparse and W=1 against $(basename "$kdir")"
	out=$TOP/build/kernel-lint/$(basename "$kdir")
	log=$out.log
	mkdir -p "$out"
	if ! make -s -C "$SRC" KDIR="$kdir" OUT="$out" W=1 C=2 >"$log" 2>&1; then
		cat "$log"
		status=1
		continue
	fi
	# Kbuild notes (such as skipped BTF) are not findings.
	if grep -E 'warning:|error:|sparse:' "$log"; then
		status=1
	fi
done

[ $status -eq 0 ] && echo "lint: clean"
exit $status
