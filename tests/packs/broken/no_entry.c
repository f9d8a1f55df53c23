/* A library that is no pack: it exports no op_pack_entry. */
#include "fixture_stubs.h"

static const op_check_def checks[] = {FIXTURE_CHECK("check")};
FIXTURE_DESCRIPTOR(descriptor, OP_ABI_MAJOR, OP_ABI_MINOR, "no_entry", checks, 1);

/* Misspelt entry point: the host must say the real one is missing. */
OP_EXPORT const op_pack_descriptor* op_pack_entry_point(void) { return &descriptor; }
