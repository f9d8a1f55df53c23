// posix_spawn attributes for a child of the host (a pack runner, a
// notification's program): no signal blocked, every signal at its default
// action, in a process group of its own (so it can be killed as a whole).
#pragma once

#include <spawn.h>

namespace opr {

class ChildSpawnAttributes {
 public:
  ChildSpawnAttributes();
  ~ChildSpawnAttributes();
  ChildSpawnAttributes(const ChildSpawnAttributes&) = delete;
  ChildSpawnAttributes& operator=(const ChildSpawnAttributes&) = delete;

  const posix_spawnattr_t* get() const { return &attributes_; }

 private:
  posix_spawnattr_t attributes_;
};

}  // namespace opr
