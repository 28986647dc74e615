UNIT_TESTS += policy_blob_test
policy_blob_test_SRCS := tests/common/policy/blob_test.c common/policy/blob.c common/lib/names.c \
                         $(HOSTB)/gen/policy/test_blobs.c

# The compiler's blobs of six golden policies, as C arrays (the tool's
# rule is in mk/policy.mk).
$(HOSTB)/gen/policy/test_blobs.c: tests/common/policy/blobs2c.sh tests/common/policy/unit.mk \
                                  $(HOSTB)/bulkhead-policy \
                                  tests/policy/golden/full.policy \
                                  tests/policy/golden/default.policy \
                                  tests/policy/golden/empty.policy \
                                  tests/policy/golden/linux.policy \
                                  tests/policy/golden/devices.policy \
                                  tests/policy/golden/cpus.policy
	@mkdir -p $(dir $@)
	tests/common/policy/blobs2c.sh $(HOSTB)/bulkhead-policy $@ \
	    full=tests/policy/golden/full.policy default=tests/policy/golden/default.policy \
	    empty=tests/policy/golden/empty.policy linux=tests/policy/golden/linux.policy \
	    devices=tests/policy/golden/devices.policy cpus=tests/policy/golden/cpus.policy
