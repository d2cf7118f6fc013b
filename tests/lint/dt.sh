#!/bin/bash
# SPDX-License-Identifier: MIT
# Device tree lint: the panel binding, its example and the RK3399 overlay,
# checked with Debian's dt-schema and dtc against the Linux 6.1 bindings.
#
#   (a) dt-doc-validate on every binding under Documentation/devicetree/
#   (b) the binding's example, built like the kernel's dt_binding_check,
#       passes dt-validate and is really matched by the binding
#   (c) the overlay builds with dtc without warnings, applies to the
#       PinePhone Pro tree of Linux 6.1, wires VOPL -> DSI1 -> panel, and
#       the resulting panel node passes dt-validate
#   (d) negative checks: broken examples, an unregistered vendor and an
#       overlay that dtc should warn about are all reported
#
# The schemas are the 6.1 bindings from linux-source-6.1 (extracted into
# build/dt/, never committed) plus the patches in
# Documentation/devicetree/upstream/ plus verso's bindings: the same set
# the kernel's "make dt_binding_check" would use once verso's binding is
# merged. Exit 0 pass, 77 skip (a tool or linux-source is missing), else
# fail.
set -u
cd "$(dirname "$0")/../.."
top=$PWD
out=$top/build/dt
ksrc_tar=${KSRC_TAR:-/usr/src/linux-source-6.1.tar.xz}
ours=$top/Documentation/devicetree/bindings
patches=$top/Documentation/devicetree/upstream
overlay=$top/dts/rk3399-verso-rear-panel.dtso
base_dts=arch/arm64/boot/dts/rockchip/rk3399-pinephone-pro.dts

# dtc flags of the kernel's Documentation/devicetree/bindings/Makefile for
# binding examples.
ex_dtc_flags=(-Wno-avoid_unnecessary_addr_size -Wno-graph_child_address
	-Wno-interrupt_provider -Wno-unique_unit_address
	-Wunique_unit_address_if_enabled)

fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok:   $*"; }
skip() { echo "SKIP: $*"; exit 77; }

for t in dtc fdtoverlay fdtget cpp patch tar xz make sha256sum \
	dt-doc-validate dt-mk-schema dt-validate dt-extract-example \
	dt-check-compatible; do
	command -v "$t" >/dev/null || skip "$t not installed (tools/deps.txt)"
done
[ -r "$ksrc_tar" ] || skip "$ksrc_tar missing (linux-source-6.1, tools/deps.txt)"
mkdir -p "$out"

# Preprocess a .dts/.dtso like the kernel does. $1 in, $2 out, then -I dirs.
dt_cpp() {
	local in=$1 o=$2
	shift 2
	cpp -nostdinc "$@" -undef -D__DTS__ -x assembler-with-cpp -o "$o" "$in"
}

# ---- kernel pieces, extracted once per tarball --------------------------
linux=$out/linux-6.1
kstamp="$(stat -c '%n %s %Y' "$ksrc_tar")"
if [ "$(cat "$linux/.stamp" 2>/dev/null)" != "$kstamp" ]; then
	echo "extracting 6.1 bindings, dt-bindings headers and RK3399 dts from $ksrc_tar"
	rm -rf "$linux" "$linux.tmp"
	mkdir -p "$linux.tmp"
	tar -xJf "$ksrc_tar" -C "$linux.tmp" --strip-components=1 --wildcards \
		'*/Documentation/devicetree/bindings/*' \
		'*/include/dt-bindings/*' \
		'*/include/uapi/linux/input-event-codes.h' \
		'*/arch/arm64/boot/dts/rockchip/rk3399*' ||
		{ echo "FAIL: cannot extract $ksrc_tar"; exit 1; }
	echo "$kstamp" >"$linux.tmp/.stamp"
	mv "$linux.tmp" "$linux"
fi

# ---- schema tree and processed schema, rebuilt when an input changes ----
tree=$out/schema/Documentation/devicetree/bindings
schema=$out/processed-schema.json
sstamp=$( {
	echo "$kstamp"
	dt-mk-schema --version
	cd "$top" && find Documentation/devicetree/bindings \
		Documentation/devicetree/upstream -type f | sort | xargs sha256sum
} | sha256sum)
if [ "$(cat "$out/schema.stamp" 2>/dev/null)" != "$sstamp" ] || [ ! -s "$schema" ]; then
	echo "building schema tree: 6.1 bindings + upstream patches + verso bindings"
	rm -rf "$out/schema" "$schema" "$out/schema.stamp"
	mkdir -p "$tree"
	cp -a "$linux/Documentation/devicetree/bindings/." "$tree/"
	for p in "$patches"/*.patch; do
		[ -e "$p" ] || continue
		patch -s -p1 -d "$out/schema" <"$p" ||
			{ echo "FAIL: $p does not apply to the 6.1 bindings"; exit 1; }
	done
	(cd "$ours" && find . -type f -name '*.yaml') | while read -r f; do
		if [ -e "$tree/$f" ]; then
			echo "FAIL: $f would replace a kernel binding"
			exit 1
		fi
		mkdir -p "$(dirname "$tree/$f")"
		cp "$ours/$f" "$tree/$f"
	done || exit 1
	echo "dt-mk-schema over $(find "$tree" -name '*.yaml' | wc -l) schemas"
	find "$tree" -name '*.yaml' >"$out/schema.list"
	if ! dt-mk-schema -j @"$out/schema.list" >"$schema.tmp" 2>"$out/mk-schema.log"; then
		cat "$out/mk-schema.log"
		echo "FAIL: dt-mk-schema"
		exit 1
	fi
	if grep -i verso "$out/mk-schema.log"; then
		echo "FAIL: dt-mk-schema complains about a verso binding"
		exit 1
	fi
	mv "$schema.tmp" "$schema"
	echo "$sstamp" >"$out/schema.stamp"
fi

# ---- (a) dt-doc-validate ------------------------------------------------
mapfile -t bindings < <(cd "$ours" && find . -type f -name '*.yaml' | sed 's,^\./,,' | sort)
[ ${#bindings[@]} -gt 0 ] || fail "no binding under $ours"
for b in "${bindings[@]}"; do
	# dt-doc-validate exits 0 after some errors (e.g. unresolvable $ref or
	# a $id that does not match the path), so any output is a failure.
	msg=$(dt-doc-validate -u "$tree" "$tree/$b" 2>&1)
	rc=$?
	if [ $rc -ne 0 ] || [ -n "$msg" ]; then
		echo "$msg"
		fail "dt-doc-validate $b (rc $rc)"
	else
		ok "dt-doc-validate $b"
	fi
	if command -v yamllint >/dev/null; then
		if yamllint -f parsable -c "$tree/.yamllint" "$tree/$b"; then
			ok "yamllint $b"
		else
			fail "yamllint $b"
		fi
	fi
done

# ---- (b) examples -------------------------------------------------------
# build_example <binding.yaml> <example.dts> <out.dtb>: dtc output on stdout.
build_example() {
	dt_cpp "$2" "$3.pre" -I "$linux/include" 2>&1 &&
		dtc "${ex_dtc_flags[@]}" -I dts -O dtb -o "$3" "$3.pre" 2>&1
}
# validate <dtb>: dt-validate's report on stdout (it exits 0 on errors).
validate() {
	dt-validate -s "$schema" "$@" 2>&1
}
# matched <dtb> <node-name> <schema $id> [dt-validate args]: the node was
# checked by the schema.
matched() {
	dt-validate -M -s "$schema" "${@:4}" "$1" 2>&1 |
		awk -v n="/$2: matched on" -v id="$3" '
			index($0, n) { m = 1; next }
			/matched on schema/ { m = 0 }
			m && index($0, id) { found = 1 }
			END { exit !found }'
}

mkdir -p "$out/ex"
for b in "${bindings[@]}"; do
	name=$(basename "$b" .yaml)
	id=$(sed -n 's/^\$id: *//p' "$ours/$b")
	ex=$out/ex/$name.example.dts
	dt-extract-example "$ours/$b" >"$ex" || { fail "dt-extract-example $b"; continue; }
	msg=$(build_example "$b" "$ex" "$out/ex/$name.example.dtb")
	if [ $? -ne 0 ] || [ -n "$msg" ]; then
		echo "$msg"
		fail "example of $b does not build cleanly with dtc"
		continue
	fi
	msg=$(validate "$out/ex/$name.example.dtb")
	if [ -n "$msg" ]; then
		echo "$msg"
		fail "dt-validate example of $b"
	else
		ok "dt-validate example of $b: no errors"
	fi
	# Silence alone proves nothing: a node that no schema selects is not
	# checked at all. Each panel node of the example must be matched.
	nodes=$(grep -o '^ *panel@[0-9a-f]*' "$ex" | tr -d ' ' | sort -u)
	[ -n "$nodes" ] || fail "example of $b has no panel node"
	for n in $nodes; do
		if matched "$out/ex/$name.example.dtb" "$n" "${id%#}"; then
			ok "example node $n matched by ${id%#}"
		else
			fail "example node $n not matched by $id"
		fi
	done
done

# Every compatible in our examples and in the overlay must be documented
# by a schema and use a registered vendor prefix (what checkpatch.pl checks
# in the kernel tree).
vendor_registered() {
	grep -q "^  \"\\^${1},\\.\\*\":" "$tree/vendor-prefixes.yaml"
}
check_compatibles() { # compat...
	local c undoc bad=0
	undoc=$(dt-check-compatible -v -s "$schema" "$@" 2>&1)
	[ -z "$undoc" ] || { echo "undocumented compatible: $undoc"; bad=1; }
	for c in "$@"; do
		case $c in
		*,*) vendor_registered "${c%%,*}" ||
			{ echo "unregistered vendor prefix: ${c%%,*} ($c)"; bad=1; } ;;
		esac
	done
	return $bad
}
mapfile -t compats < <(cat "$ours"/display/panel/*.yaml "$overlay" |
	grep -o 'compatible = "[^;]*' | grep -o '"[^"]*"' | tr -d '"' | sort -u)
if msg=$(check_compatibles "${compats[@]}"); then
	ok "compatibles documented, vendors registered: ${compats[*]}"
else
	echo "$msg"
	fail "compatible check"
fi

# ---- (c) overlay ---------------------------------------------------------
rm -rf "$out/dts"
msg=$(make -s -C "$top/dts" OUT="$out/dts" DT_INCLUDE="$linux/include" 2>&1)
rc=$?
dtbo=$out/dts/$(basename "$overlay" .dtso).dtbo
if [ $rc -ne 0 ] || [ -n "$msg" ] || [ ! -s "$dtbo" ]; then
	echo "$msg"
	fail "overlay build (dtc -@) not clean (rc $rc)"
else
	ok "overlay $(basename "$dtbo") built by dts/Makefile, dtc silent"
fi

# Base: the PinePhone Pro tree of 6.1, with symbols, as a BSP would ship it.
base=$out/dts/rk3399-pinephone-pro.dtb
merged=$out/dts/rk3399-pinephone-pro+verso-rear-panel.dtb
if dt_cpp "$linux/$base_dts" "$base.pre" -I "$linux/include" \
		-I "$linux/$(dirname "$base_dts")" &&
	dtc -q -@ -I dts -O dtb -o "$base" "$base.pre"; then
	if fdtoverlay -i "$base" -o "$merged" "$dtbo"; then
		ok "overlay applies to 6.1 rk3399-pinephone-pro.dtb (fdtoverlay)"
	else
		fail "fdtoverlay could not apply the overlay to the PinePhone Pro tree"
	fi
else
	fail "cannot build the 6.1 PinePhone Pro base tree"
fi

sym() { fdtget -t s "$merged" /__symbols__ "$1"; }
prop() { fdtget -t "$1" "$merged" "$2" "$3" 2>/dev/null; }
phandle() { prop x "$(sym "$1")" phandle; }
links() { # <endpoint label> <remote endpoint label>
	[ -n "$(phandle "$2")" ] && [ "$(prop x "$(sym "$1")" remote-endpoint)" = "$(phandle "$2")" ]
}
if [ -s "$merged" ]; then
	for l in vopl vopl_mmu mipi_dsi1; do
		if [ "$(prop s "$(sym $l)" status)" = okay ]; then
			ok "$l ($(sym $l)) enabled"
		else
			fail "$l not enabled by the overlay"
		fi
	done
	panel=$(sym rear_panel)
	case $panel in
	"$(sym mipi_dsi1)"/panel@0) ok "rear panel at $panel" ;;
	*) fail "rear panel is at '$panel', not under mipi_dsi1 as panel@0" ;;
	esac
	if links vopl_out_mipi1 mipi1_in_vopl && links mipi1_in_vopl vopl_out_mipi1 &&
		[ "$(prop u "$(sym mipi1_in_vopl)" reg)" = 1 ]; then
		ok "VOPL -> DSI1 input endpoint@1 (lcdsel: VOPL)"
	else
		fail "VOPL is not linked to DSI1 input endpoint@1"
	fi
	if links mipi1_out_panel rear_panel_in && links rear_panel_in mipi1_out_panel &&
		[ "$(sym mipi1_out)" = "$(sym mipi_dsi1)/ports/port@1" ]; then
		ok "DSI1 port@1 <-> panel port linked both ways"
	else
		fail "DSI1 port@1 and the panel port are not linked both ways"
	fi

	# dtc's own checks (graph, reg, phandles) over the merged tree: the
	# overlay must not add a warning to those the 6.1 base already has.
	dtc -I dtb -O dtb -o /dev/null "$base" 2>&1 | sed 's/^[^:]*: //' | sort >"$out/dts/base.warn"
	dtc -I dtb -O dtb -o /dev/null "$merged" 2>&1 | sed 's/^[^:]*: //' | sort >"$out/dts/merged.warn"
	new=$(comm -13 "$out/dts/base.warn" "$out/dts/merged.warn")
	if [ -z "$new" ]; then
		ok "merged tree: no dtc warning beyond the base's ($(wc -l <"$out/dts/base.warn") in base)"
	else
		echo "$new"
		fail "the overlay adds dtc warnings to the merged tree"
	fi

	msg=$(validate -l verso,rear-amoled "$merged")
	if [ -n "$msg" ]; then
		echo "$msg"
		fail "dt-validate of the panel node in the merged tree"
	elif matched "$merged" panel@0 display/panel/verso,rear-amoled.yaml -l verso,rear-amoled; then
		ok "dt-validate: merged panel node matched by verso,rear-amoled.yaml, no errors"
	else
		fail "merged panel node not matched by verso,rear-amoled.yaml"
	fi
fi

# ---- (d) negative checks --------------------------------------------------
ex=$out/ex/verso,rear-amoled.example.dts
# Each case mutates the valid example once; all are validated in one
# dt-validate run (loading the processed schema dominates its run time).
neg_cases=(
	"no-reset|'reset-gpios' is a required property|/reset-gpios =/d"
	"no-vci|'vci-supply' is a required property|/vci-supply =/d"
	"no-reg|'reg' is a required property|/reg = <0>;/d"
	"generic-only|is too short|s/\"verso,rear-amoled-ref\", \"verso,rear-amoled\"/\"verso,rear-amoled\"/"
	"backlight|'backlight' does not match|/reg = <0>;/a backlight = <\\&bl>;"
	"timing|'panel-timing' does not match|/^ *port {/i panel-timing { };"
	"rotation|45 is not one of|s/rotation = <[0-9]*>/rotation = <45>/"
	"fw-type|firmware-name|s/firmware-name = \"[^\"]*\"/firmware-name = <1>/"
)
if [ -s "$ex" ]; then
	rm -rf "$out/neg"
	mkdir -p "$out/neg"
	dtbs=()
	for c in "${neg_cases[@]}"; do
		IFS='|' read -r n want script <<<"$c"
		sed -e "$script" "$ex" >"$out/neg/$n.dts"
		if cmp -s "$ex" "$out/neg/$n.dts"; then
			fail "negative '$n': the mutation did not change the example"
		elif ! build_example x "$out/neg/$n.dts" "$out/neg/$n.dtb" >/dev/null; then
			fail "negative '$n': does not build"
		else
			dtbs+=("$out/neg/$n.dtb")
		fi
	done
	report=$(validate "${dtbs[@]}")
	for c in "${neg_cases[@]}"; do
		IFS='|' read -r n want script <<<"$c"
		[ -s "$out/neg/$n.dtb" ] || continue
		# dt-validate prints "<dtb>: <node>: <message>" then "From schema: ...".
		msg=$(grep -A1 -F -- "$out/neg/$n.dtb: " <<<"$report")
		if grep -qF -- "$want" <<<"$msg" && grep -q 'verso,rear-amoled.yaml' <<<"$msg"; then
			ok "negative '$n' rejected: $(grep -F -- "$want" <<<"$msg" | head -n 1 | sed 's/^.*panel@0: //')"
		else
			echo "$msg"
			fail "negative '$n' was not reported as \"$want\""
		fi
	done
else
	fail "no extracted example for the negative checks"
fi

if msg=$(check_compatibles nosuchvendor,panel); then
	fail "negative: an unregistered, undocumented compatible was accepted"
else
	ok "negative: unknown compatible rejected: $(echo "$msg" | tr '\n' ' ')"
fi

# An overlay with an error dtc catches (port@1 without the #address-cells
# of its parent) must make dtc warn, or (c) could not catch it either.
sed '/^\tports {/,/^\t};/{/#address-cells\|#size-cells/d}' "$overlay" >"$out/neg/overlay.dtso"
dt_cpp "$out/neg/overlay.dtso" "$out/neg/overlay.pre" -I "$linux/include"
if cmp -s "$overlay" "$out/neg/overlay.dtso"; then
	fail "negative overlay: the mutation did not change the overlay"
elif [ -n "$(dtc -@ -I dts -O dtb -o /dev/null "$out/neg/overlay.pre" 2>&1)" ]; then
	ok "negative: dtc warns about a broken overlay"
else
	fail "negative: dtc silent on a broken overlay"
fi

echo
if [ $fails -ne 0 ]; then
	echo "dt: $fails check(s) failed"
	exit 1
fi
echo "dt: all checks passed"
