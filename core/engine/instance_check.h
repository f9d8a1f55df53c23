// What `config check` adds to reading a config: every target's pack
// instance is created and destroyed once, so that what a pack refuses in
// create() (a malformed endpoint, an unreadable credentials file) is known
// before the monitor starts, at the line of the config that caused it.
#pragma once

#include <memory>
#include <vector>

#include "config/config.h"
#include "engine/setup.h"

namespace opr::http {
class Client;
}

namespace opr::engine {

struct InstanceCheck {
  // One per refused target, in config order, at the value of the parameter
  // the pack blamed (ABI 1.2 param_invalid), else at the target.
  std::vector<config::ConfigError> errors;
  // A create() or destroy() did not return within the target's timeout. Its
  // thread still runs inside the pack: the process must end with
  // std::_Exit, so that no static destructor races it.
  bool abandoned = false;
};

// Creates and destroys an instance of each target that has an enabled
// check, each on a thread of its own, waiting at most the target's timeout
// for each call. Packs are told nothing of the network: create() must not
// use it (plugin.h).
InstanceCheck check_instances(const Setup& setup, const std::shared_ptr<http::Client>& http);

}  // namespace opr::engine
