/* A pack whose op_pack_entry crashes (SIGSEGV): loading it must cost the
 * host nothing but that pack. */
#include <operator/plugin.h>
#include <stddef.h>

OP_EXPORT const op_pack_descriptor* op_pack_entry(void) {
  volatile int* nowhere = NULL;
  *nowhere = 14; /* SIGSEGV */
  return NULL;
}
