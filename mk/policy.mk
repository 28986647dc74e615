# SPDX-License-Identifier: GPL-2.0-only
# The policy compiler (policy/, docs/policy.md), the system's policy blob,
# and the policy tests. Included by the top-level Makefile after mk/unit.mk.
#
#   POLICY_TOOL    the compiler, build/host/bulkhead-policy
#   POLICY_SRC     the policy text: $(POLICY) if given, else the default system
#   POLICY_BIN     its blob, build/policy.bin: the bundle file "policy.bin"
#   policy-tool    builds POLICY_TOOL
#   policy-blob    builds POLICY_BIN
#   policy-tests   builds what the policy tests need and installs their two
#                  runners in $(HOSTB)/tests/, where tests/run.py finds them:
#                    policy_golden  golden dumps and the bad-policy corpus
#                    policy_fuzz    each fuzzer for FUZZ_SHORT_TIME seconds
#   policy-golden  runs the golden and bad-policy tests now
#   fuzz-short     runs each fuzzer for FUZZ_SHORT_TIME (30) seconds
#   fuzz           runs each fuzzer for FUZZ_TIME (600) seconds

B        ?= build
HOSTB    ?= $(B)/host
HOSTCC   ?= gcc
POLICY   ?=

POLICY_TOOL := $(HOSTB)/bulkhead-policy
POLICY_SRC  := $(or $(POLICY),policy/examples/default.policy)
POLICY_BIN  := $(B)/policy.bin

# The compiler, and the kernel's blob reader it checks its output with and
# dumps through (one source, no copy to drift).
POLICY_MAIN     := policy/compiler/main.c
POLICY_LIB_SRCS := $(filter-out $(POLICY_MAIN),$(sort $(wildcard policy/compiler/*.c))) \
                   common/policy/blob.c common/lib/names.c common/lib/hex.c
POLICY_HDRS     := $(wildcard policy/compiler/*.h) common/policy/blob.h \
                   common/lib/names.h common/lib/hex.h \
                   common/lib/string.h include/bulkhead/policy_blob.h \
                   include/bulkhead/guest_abi.h include/bulkhead/errno.h
POLICY_CFLAGS   := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Iinclude -Icommon \
                   -Ipolicy/compiler

$(POLICY_TOOL): $(POLICY_MAIN) $(POLICY_LIB_SRCS) $(POLICY_HDRS)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(POLICY_CFLAGS) $(POLICY_MAIN) $(POLICY_LIB_SRCS) -o $@

# The blob is rebuilt when the text, the compiler or the choice of text
# (POLICY=) changes; $(B)/policy.src records the choice.
$(B)/policy.src: policy-force
	@mkdir -p $(dir $@)
	@echo '$(POLICY_SRC)' > $@.tmp
	@cmp -s $@.tmp $@ 2>/dev/null && rm -f $@.tmp || mv -f $@.tmp $@

# No stale blob survives a policy with errors.
$(POLICY_BIN): $(POLICY_TOOL) $(POLICY_SRC) $(B)/policy.src
	@rm -f $@
	$(POLICY_TOOL) compile $(POLICY_SRC) -o $@

# ---- Tests -----------------------------------------------------------------

FUZZ_CC          ?= clang
FUZZ_SHORT_TIME  ?= 30
FUZZ_TIME        ?= 600
FUZZB            := $(HOSTB)/fuzz
FUZZ_CFLAGS      := -std=gnu11 -g -O1 -Wall -Wextra -Werror \
                    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
                    -Iinclude -Icommon -Ipolicy/compiler
FUZZERS          := $(FUZZB)/fuzz_parse $(FUZZB)/fuzz_blob
POLICY_GOLDEN    := $(sort $(wildcard tests/policy/golden/*.policy))
# Blob seeds for fuzz_blob: every golden policy, compiled.
FUZZ_BLOB_SEEDS  := $(patsubst tests/policy/golden/%.policy,$(FUZZB)/seed/blob/%.bin,$(POLICY_GOLDEN))

$(FUZZB)/fuzz_%: tests/policy/fuzz/fuzz_%.c $(POLICY_LIB_SRCS) $(POLICY_HDRS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $< $(POLICY_LIB_SRCS) -o $@

$(FUZZB)/seed/blob/%.bin: tests/policy/golden/%.policy $(POLICY_TOOL)
	@mkdir -p $(dir $@)
	@$(POLICY_TOOL) compile $< -o $@ 2>/dev/null

# Runners for tests/run.py: it runs every executable in $(HOSTB)/tests/
# from the repository root, with an optional filter argument.
$(HOSTB)/tests/policy_golden: tests/policy/run.sh $(POLICY_TOOL)
	@mkdir -p $(dir $@)
	@printf '#!/bin/sh\nexec %s %s "$$@"\n' '$(abspath tests/policy/run.sh)' \
	        '$(abspath $(POLICY_TOOL))' > $@
	@chmod +x $@

$(HOSTB)/tests/policy_fuzz: tests/policy/fuzz/run.sh $(FUZZERS) $(FUZZ_BLOB_SEEDS)
	@mkdir -p $(dir $@)
	@printf '#!/bin/sh\nexec %s %s %s "$$@"\n' '$(abspath tests/policy/fuzz/run.sh)' \
	        '$(abspath $(FUZZB))' '$(FUZZ_SHORT_TIME)' > $@
	@chmod +x $@

.PHONY: policy-tool policy-blob policy-tests policy-golden fuzz-short fuzz policy-force
policy-tool: $(POLICY_TOOL)
policy-blob: $(POLICY_BIN)
policy-tests: $(HOSTB)/tests/policy_golden $(HOSTB)/tests/policy_fuzz

policy-golden: $(POLICY_TOOL)
	@tests/policy/run.sh $(POLICY_TOOL)

fuzz-short: $(FUZZERS) $(FUZZ_BLOB_SEEDS)
	@tests/policy/fuzz/run.sh $(FUZZB) $(FUZZ_SHORT_TIME)

fuzz: $(FUZZERS) $(FUZZ_BLOB_SEEDS)
	@tests/policy/fuzz/run.sh $(FUZZB) $(FUZZ_TIME)

policy-force:
