# SPDX-License-Identifier: GPL-2.0
# handover: the boot-memory handover series for Linux 6.12.y, its KUnit
# suites, and the tooling that builds, boots and compares it.  "make help".

T ?=
MEM ?=
MACHINE ?=
APPEND ?=
FLAVOUR ?= debug
KERNEL ?= patched
MATRIX ?= configs/compare.matrix
JOBS ?= $(shell nproc)
BENCH ?=
TARGETS := i386-highmem i386-pae i386-nohighmem x86_64
# Known too, built and booted only when named (T=arm-highmem).
EXTRA_TARGETS := arm-highmem mips-malta mips-highmem

S := scripts
# APPEND reaches the scripts through the environment, unexpanded, so that a
# kernel command line such as memmap=8M$0x2f000000 keeps its "$".
export HO_APPEND = $(value APPEND)
# A layout's default memory size: enough for highmem on i386, ZONE_NORMAL on x86_64.
mem_default = $(if $(MEM),$(MEM),$(if $(filter x86_64%,$(1)),6G,3G))
# The machine: MACHINE, else the target's first (scripts/lib.sh: ho_machines).
machine_default = $(if $(MACHINE),$(MACHINE),$(shell bash -c '. $(S)/lib.sh && ho_machine $(1)'))

.PHONY: help deps deps-x86 tree export build baseline boot kunit kunit-plain compare publish bisect xbuild bench docs test clean distclean

help:
	@sed -n 's/^## //p' $(MAKEFILE_LIST)

## deps                 install what every target needs (Debian packages, cross compilers,
##                      foreign BusyBox); idempotent
deps:
	@$(S)/deps.sh all

## deps-x86             only what the x86 targets need (make test, the default compare); the
##                      other targets install their part when they build
deps-x86:
	@$(S)/deps.sh x86

## tree                 unpack linux-source-6.12 into build/linux (tag "base"), git am patches/
tree: deps-x86
	@$(S)/tree.sh

## export               write build/linux base..HEAD into patches/ (with a cover letter)
export: deps
	@$(S)/export.sh

## build [T=] [FLAVOUR=debug|perf]   build the patched kernel (all targets without T)
build: tree
	@for t in $(or $(T),$(TARGETS)); do \
		/usr/bin/time -f ">>> build patched $$t-$(FLAVOUR): %es" $(S)/build.sh patched $$t $(FLAVOUR) || exit 1; done

## baseline [T=] [FLAVOUR=]   the same builds of the unpatched tree (build/baseline/)
baseline: tree
	@for t in $(or $(T),$(TARGETS)); do \
		/usr/bin/time -f ">>> build baseline $$t-$(FLAVOUR): %es" $(S)/build.sh baseline $$t $(FLAVOUR) || exit 1; done

## boot T= [MEM=] [MACHINE=pc|q35|virt] [APPEND=] [KERNEL=patched|baseline] [FLAVOUR=]
##                      boot under QEMU, capture /proc/{zoneinfo,buddyinfo,...} into build/results/
boot: tree
	@test -n "$(T)" || { echo "make boot needs T=<target> ($(TARGETS) $(EXTRA_TARGETS))"; exit 2; }
	@$(S)/build.sh $(KERNEL) $(T) $(FLAVOUR)
	@FLAVOUR=$(FLAVOUR) $(S)/boot.sh $(KERNEL) $(T) $(call mem_default,$(T)) $(call machine_default,$(T)) "$$HO_APPEND"

## kunit [T=]           run the KUnit suites with kunit.py under QEMU (all targets without T)
kunit: tree
	@fail=0; for t in $(or $(T),$(TARGETS)); do \
		/usr/bin/time -f ">>> kunit $$t: %es" $(S)/kunit.sh $$t || fail=1; done; \
		$(S)/kcidb.py write; exit $$fail

## kunit-plain [T=]     the README's kunit.py command on a plain patched tree (x86_64 without T)
kunit-plain: tree
	@fail=0; for t in $(or $(T),x86_64); do $(S)/kunit-plain.sh $$t || fail=1; done; exit $$fail

## compare [MATRIX=file] | [T= MEM= MACHINE= APPEND=] | [BASE=dir PATCHED=dir]
##                      baseline vs patched, side by side; fails when pages are lost
##                      (T may name fragments: T=x86_64+kasan; BASE/PATCHED: two captures
##                      made by scripts/capture-host.sh on a real machine)
# Results stay under build/results/ ("make publish" copies the matrices'
# pages into Documentation/results/).
compare_rst = $(if $(T),,--rst build/results/$(basename $(notdir $(MATRIX))).rst)
compare: $(if $(BASE),,tree)
	@$(if $(BASE),$(S)/compare.py check --json build/results/compare.json "$(BASE)" "$(PATCHED)",\
	$(S)/compare.py run --flavour $(FLAVOUR) --jobs $(JOBS) $(compare_rst) \
		$(if $(T),--layout "$(T) $(call mem_default,$(T)) $(call machine_default,$(T)) $$HO_APPEND",--matrix $(MATRIX))); \
		rc=$$?; $(S)/kcidb.py write; exit $$rc

## publish              copy the last compare and bench pages of build/results/ into Documentation/
publish:
	@$(S)/publish.sh

## bisect [T=]          build every patch of the series in turn (all targets without T)
bisect: tree
	@for t in $(or $(T),$(TARGETS)); do \
		/usr/bin/time -f ">>> bisect $$t: %es" $(S)/bisect-build.sh $$t $(FLAVOUR) || exit 1; done

## docs                 check Documentation/ and README.md, build build/docs/ with Sphinx
docs:
	@$(S)/check-docs.sh

## xbuild [XBUILD_EACH=1] build the series for 32-bit powerpc and sparc32, which nothing
##                      here boots (every patch with XBUILD_EACH=1)
xbuild: tree
	@XBUILD_EACH="$(XBUILD_EACH)" $(S)/xbuild.sh

## bench [BENCH="i386-highmem:1G,3G,3583M x86_64:2G,8G"]
##                      guest instructions of the handover, baseline vs patched (-icount)
bench: tree
	@BENCH="$(BENCH)" $(S)/bench.sh; rc=$$?; $(S)/kcidb.py write; exit $$rc

## test                 everything CI checks; ends with "N passed, N failed"
test: deps-x86
	@$(S)/test.sh

## clean                remove build outputs and results, keep the trees
clean:
	rm -rf build/results build/logs build/initramfs-*.cpio
	rm -rf build/linux/obj-* build/linux-base/obj-* build/linux-bisect/obj-* \
		build/linux-bench-*/obj-* build/*-debug build/*-perf build/baseline \
		build/bisect build/bench

## distclean            remove build/ entirely
distclean:
	rm -rf build
