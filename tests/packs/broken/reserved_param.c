/* A check declaring a parameter named like an engine setting. */
#include "fixture_stubs.h"

static const op_param_def params[] = {
    FIXTURE_PARAM("interval", OP_PARAM_DURATION, "1m", 0, "clashes with the engine")};
static const op_check_def checks[] = {
    {sizeof(op_check_def), "check", "a fixture check", OP_SEVERITY_WARNING, 0, 0, params, 1}};
FIXTURE_DESCRIPTOR(descriptor, OP_ABI_MAJOR, OP_ABI_MINOR, "reserved_param", checks, 1);

OP_EXPORT const op_pack_descriptor* op_pack_entry(void) { return &descriptor; }
