#include "common/child_spawn.h"

#include <signal.h>

namespace opr {

ChildSpawnAttributes::ChildSpawnAttributes() {
  posix_spawnattr_init(&attributes_);
  posix_spawnattr_setflags(&attributes_,
                           POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attributes_, &none);
  sigset_t all;
  sigfillset(&all);
  posix_spawnattr_setsigdefault(&attributes_, &all);
  posix_spawnattr_setpgroup(&attributes_, 0);
}

ChildSpawnAttributes::~ChildSpawnAttributes() { posix_spawnattr_destroy(&attributes_); }

}  // namespace opr
