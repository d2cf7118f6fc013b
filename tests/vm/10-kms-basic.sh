# kernels: 6.1 6.12
# verso.ko: connectors, modes, non-desktop, pipes and flip timestamps.
. "$(dirname "$0")/lib.sh"
vm -W -m verso -t 180 -- "$BIN/tests/kms/kms-basic"
