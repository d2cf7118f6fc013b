# SPDX-License-Identifier: MIT
# checkpatch --strict, sparse and W=1 on the kernel code, both kernels.
exec "$(dirname "$0")/../../kernel/lint.sh"
