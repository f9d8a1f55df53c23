/* A pack built against a future, incompatible ABI (major + 1). */
#include "fixture_stubs.h"

static const op_check_def checks[] = {FIXTURE_CHECK("check")};
FIXTURE_DESCRIPTOR(descriptor, OP_ABI_MAJOR + 1, 0, "abi_major", checks, 1);

OP_EXPORT const op_pack_descriptor* op_pack_entry(void) { return &descriptor; }
