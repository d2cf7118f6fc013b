# SPDX-License-Identifier: MIT
# verso: the single entry point. See README.md.

# Debian kernels the module is built and tested against. KDIR overrides the
# 6.1 headers for a single build, e.g. a BSP tree.
KVER_61  ?= $(shell ls -d /usr/src/linux-headers-6.1.0-*-amd64 2>/dev/null | sed 's,.*/linux-headers-,,' | sort -V | tail -n 1)
KVER_612 ?= $(shell ls -d /usr/src/linux-headers-6.12.*-amd64 2>/dev/null | sed 's,.*/linux-headers-,,' | sort -V | tail -n 1)
KDIR     ?= /usr/src/linux-headers-$(KVER_61)
BUILD    ?= build

.PHONY: all kernel kernel-612 test-modules userspace asan deps check check-unit check-asan check-vm demo clean lint vkms

all: kernel userspace

kernel:
	$(MAKE) -C kernel KDIR=$(KDIR) OUT=$(CURDIR)/$(BUILD)/kernel/$(notdir $(KDIR))

kernel-612:
	$(MAKE) -C kernel KDIR=/usr/src/linux-headers-$(KVER_612) \
		OUT=$(CURDIR)/$(BUILD)/kernel/linux-headers-$(KVER_612)

# Test-only modules (tests/iio) for the VM tests, both kernels.
test-modules:
	$(MAKE) -C tests/iio KDIR=/usr/src/linux-headers-$(KVER_61) \
		OUT=$(CURDIR)/$(BUILD)/iio/linux-headers-$(KVER_61)
	$(MAKE) -C tests/iio KDIR=/usr/src/linux-headers-$(KVER_612) \
		OUT=$(CURDIR)/$(BUILD)/iio/linux-headers-$(KVER_612)

$(BUILD)/meson/build.ninja:
	meson setup --wipe $(BUILD)/meson >/dev/null 2>&1 || meson setup $(BUILD)/meson

userspace: $(BUILD)/meson/build.ninja
	ninja -C $(BUILD)/meson

# versod, the tools and the unit tests with ASan and UBSan (tests/asan).
$(BUILD)/asan/build.ninja:
	meson setup $(BUILD)/asan -Db_sanitize=address,undefined \
		-Db_lundef=false -Dbuildtype=debug

asan: $(BUILD)/asan/build.ninja
	ninja -C $(BUILD)/asan

deps:
	@tools/deps.sh

check: all kernel-612 test-modules asan
	@tests/run-all

check-unit: userspace
	@tests/run-all unit

check-asan: userspace asan
	@tests/run-all asan

check-vm: all kernel-612 test-modules
	@tests/run-all vm

demo: all
	@tools/demo.sh

lint:
	@kernel/lint.sh

clean:
	rm -rf $(BUILD) out
	$(MAKE) -C kernel clean
