/* Two checks with one name. */
#include "fixture_stubs.h"

static const op_check_def checks[] = {FIXTURE_CHECK("same"), FIXTURE_CHECK("same")};
FIXTURE_DESCRIPTOR(descriptor, OP_ABI_MAJOR, OP_ABI_MINOR, "duplicate_check", checks, 2);

OP_EXPORT const op_pack_descriptor* op_pack_entry(void) { return &descriptor; }
