# SPDX-License-Identifier: GPL-2.0-only
# Host tests of the Python scripts in tools/ (tests/tools/*_test.py, each
# run through tests/tools/cases.py): installed beside the unit-test
# binaries as one-line wrappers, so tests/run.py runs them with the unit
# tests (they print "ok - X" lines too).
TOOL_TESTS := $(patsubst tests/tools/%.py,$(HOSTB)/tests/%,$(wildcard tests/tools/*_test.py))

$(TOOL_TESTS): $(HOSTB)/tests/%: tests/tools/%.py
	@mkdir -p $(dir $@)
	printf '#!/bin/sh\nexec python3 %s "$$@"\n' '$(CURDIR)/$<' > $@
	chmod +x $@

unit-tests: $(TOOL_TESTS)
