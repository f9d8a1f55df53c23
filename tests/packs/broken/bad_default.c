/* An int parameter whose default is not an int. */
#include "fixture_stubs.h"

static const op_param_def params[] = {
    FIXTURE_PARAM("limit", OP_PARAM_INT, "lots", 0, "not a number")};
static const op_check_def checks[] = {
    {sizeof(op_check_def), "check", "a fixture check", OP_SEVERITY_WARNING, 0, 0, params, 1}};
FIXTURE_DESCRIPTOR(descriptor, OP_ABI_MAJOR, OP_ABI_MINOR, "bad_default", checks, 1);

OP_EXPORT const op_pack_descriptor* op_pack_entry(void) { return &descriptor; }
