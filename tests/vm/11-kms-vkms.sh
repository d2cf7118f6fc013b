# kernels: 6.1
# The same listing and flip checks on vkms, the reference virtual driver.
. "$(dirname "$0")/lib.sh"
vm -W -m vkms -t 180 -e KMS_DRIVER=vkms -- "$BIN/tests/kms/kms-basic"
