#!/bin/sh
# SPDX-License-Identifier: MIT
# Proves that the shared panel firmware parser is kernel code: builds
# kernel/verso_panel_fw.c into a throwaway module with W=1 (and sparse, C=1,
# when installed) against each Debian kernel's headers, fails on any warning,
# then runs checkpatch.pl --strict from the linux-source tarball on it.
#
#   tools/panelc/check-kbuild.sh [KDIR...]   default: the 6.1 and 6.12 headers
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d /tmp/verso-panel-fw-kbuild.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

kdirs=${*:-$(ls -d /usr/src/linux-headers-6.1.0-*-amd64 /usr/src/linux-headers-6.12.*-amd64 2>/dev/null || true)}
[ -n "$kdirs" ] || { echo "check-kbuild: no kernel headers found" >&2; exit 77; }
sparse=
command -v sparse >/dev/null 2>&1 && sparse="C=1"

cp "$top/kernel/verso_panel_fw.c" "$top/kernel/verso_panel_fw.h" "$tmp/"
cat >"$tmp/fwcheck.c" <<'C'
// SPDX-License-Identifier: GPL-2.0-only
#include <linux/module.h>
#include <linux/slab.h>

#include "verso_panel_fw.h"

static int __init fwcheck_init(void)
{
	static const u8 blob[VERSO_PANEL_FW_HEADER_SIZE] = VERSO_PANEL_FW_MAGIC;
	struct verso_panel_fw *fw = kzalloc(sizeof(*fw), GFP_KERNEL);
	char err[128];
	int ret;

	if (!fw)
		return -ENOMEM;
	ret = verso_panel_fw_parse(blob, sizeof(blob), fw, err, sizeof(err));
	pr_info("fwcheck: %d %s\n", ret, err);
	kfree(fw);
	return 0;
}
module_init(fwcheck_init);
MODULE_DESCRIPTION("verso panel firmware parser build check");
MODULE_LICENSE("GPL");
C
printf 'obj-m := fwcheck_mod.o\nfwcheck_mod-y := fwcheck.o verso_panel_fw.o\n' >"$tmp/Kbuild"

rc=0
for k in $kdirs; do
	make -C "$k" M="$tmp" clean >/dev/null 2>&1 || true
	if ! make -C "$k" M="$tmp" W=1 $sparse modules >"$tmp/build.log" 2>&1; then
		cat "$tmp/build.log" >&2
		echo "check-kbuild: $(basename "$k"): build FAILED" >&2
		rc=1
		continue
	fi
	if grep -E 'warning:|error:' "$tmp/build.log" | grep -v 'Skipping BTF' >&2; then
		echo "check-kbuild: $(basename "$k"): warnings" >&2
		rc=1
		continue
	fi
	echo "check-kbuild: $(basename "$k"): W=1 ${sparse:-(no sparse)} clean"
done

src=/usr/src/linux-source-6.1.tar.xz
if [ -e "$src" ]; then
	tar -C "$tmp" -xJf "$src" --wildcards --strip-components=1 \
		'*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
		'*/scripts/const_structs.checkpatch'
	if perl "$tmp/scripts/checkpatch.pl" --strict --no-tree --terse -f \
		"$top/kernel/verso_panel_fw.c" "$top/kernel/verso_panel_fw.h" \
		2>/dev/null >"$tmp/cp.log"; then
		echo "check-kbuild: checkpatch --strict clean"
	else
		cat "$tmp/cp.log" >&2
		rc=1
	fi
else
	echo "check-kbuild: $src missing, checkpatch skipped"
fi
exit $rc
