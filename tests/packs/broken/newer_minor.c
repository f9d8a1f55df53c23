/* A pack built against a newer minor ABI than the host's. */
#include "fixture_stubs.h"

static const op_check_def checks[] = {FIXTURE_CHECK("check")};
FIXTURE_DESCRIPTOR(descriptor, OP_ABI_MAJOR, OP_ABI_MINOR + 1, "newer_minor", checks, 1);

OP_EXPORT const op_pack_descriptor* op_pack_entry(void) { return &descriptor; }
