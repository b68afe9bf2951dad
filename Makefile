# SPDX-License-Identifier: GPL-2.0
# handover: the boot-memory handover series for Linux, one per base (patches/),
# its KUnit suites, and the tooling that builds, boots and compares it.
# "make help".

# The base: a folder of patches/ (its series, and the Debian version it was
# made on); the scripts read it from the environment.
BASE ?= 6.12
export BASE
WORK := build/$(BASE)
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

.PHONY: help deps deps-x86 tree watch export build baseline boot kunit kunit-plain compare publish bisect xbuild bench docs memblock-sim test test-full clean distclean

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

## Every target takes BASE= (default 6.12), a folder of patches/: patches/BASE/ is the
## series, build/BASE/ its trees, builds and results.
##
## tree [FALLBACK=1]    unpack the Debian kernel source patches/BASE/made-on names, exactly
##                      that version, into build/BASE/linux (tag "base"), git am the series;
##                      where no suite has it any more (or FALLBACK=1), the newest, with git am -3
tree: deps-x86
	@$(S)/tree.sh

## watch                the newest version Debian offers of the base, and whether the series
##                      applies to it (as is, with a 3-way merge, or where it conflicts); the
##                      README's git am and patch commands on the version it was made on
watch:
	@$(S)/watch.sh

## export               write base..HEAD of build/BASE/linux into patches/BASE/ (with a cover
##                      letter, made-on and the blobs a 3-way merge needs)
export: deps
	@$(S)/export.sh

## build [T=] [FLAVOUR=debug|perf]   build the patched kernel (all targets without T)
build: tree
	@for t in $(or $(T),$(TARGETS)); do \
		/usr/bin/time -f ">>> build patched $$t-$(FLAVOUR): %es" $(S)/build.sh patched $$t $(FLAVOUR) || exit 1; done

## baseline [T=] [FLAVOUR=]   the same builds of the unpatched tree (build/BASE/baseline/)
baseline: tree
	@for t in $(or $(T),$(TARGETS)); do \
		/usr/bin/time -f ">>> build baseline $$t-$(FLAVOUR): %es" $(S)/build.sh baseline $$t $(FLAVOUR) || exit 1; done

## boot T= [MEM=] [MACHINE=pc|q35|virt] [APPEND=] [KERNEL=patched|baseline] [FLAVOUR=]
##                      boot under QEMU, capture /proc/{zoneinfo,buddyinfo,...} into build/BASE/results/
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

## compare [MATRIX=file] | [T= MEM= MACHINE= APPEND=] | [BASELINE=dir PATCHED=dir]
##                      baseline vs patched, side by side; fails when pages are lost
##                      (T may name fragments: T=x86_64+kasan; BASELINE/PATCHED: two captures
##                      made by scripts/capture-host.sh on a real machine)
# Results stay under build/BASE/results/ ("make publish" copies the matrices'
# pages into Documentation/results/).
compare_rst = $(if $(T),,--rst $(WORK)/results/$(basename $(notdir $(MATRIX))).rst)
compare: $(if $(BASELINE),,tree)
	@$(if $(BASELINE),$(S)/compare.py check --json $(WORK)/results/compare.json "$(BASELINE)" "$(PATCHED)",\
	$(S)/compare.py run --flavour $(FLAVOUR) --jobs $(JOBS) $(compare_rst) \
		$(if $(T),--layout "$(T) $(call mem_default,$(T)) $(call machine_default,$(T)) $$HO_APPEND",--matrix $(MATRIX))); \
		rc=$$?; $(S)/kcidb.py write; exit $$rc

## publish              copy the last compare and bench pages of build/BASE/results/ into Documentation/
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

## memblock-sim [REV=]   memblock's userspace test suite, tools/testing/memblock, built from
##                      REV (default HEAD; REV=series: each patch that changes it) of
##                      build/BASE/linux and run, with and without NUMA
memblock-sim: tree
	@$(S)/memblock-sim.sh $(if $(REV),$(REV),HEAD)

## test                 everything CI checks; ends with "N passed, N failed"
test: deps-x86
	@$(S)/test.sh

## test-full            make test, and every patch built for all four x86 targets, the
##                      modular KUnit kernel, the suites without debug options (nodebug),
##                      the README's kunit.py command on a plain tree
test-full: deps-x86
	@FULL=1 $(S)/test.sh

## clean                remove the base's build outputs and results, keep the trees
clean:
	rm -rf $(WORK)/results $(WORK)/logs build/initramfs-*.cpio
	rm -rf $(WORK)/linux/obj-* $(WORK)/linux-base/obj-* $(WORK)/linux-bisect/obj-* \
		$(WORK)/linux-bench-*/obj-* $(WORK)/*-debug $(WORK)/*-perf $(WORK)/baseline \
		$(WORK)/bisect $(WORK)/bench

## distclean            remove build/ entirely
distclean:
	rm -rf build
