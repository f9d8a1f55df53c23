#include "plugins/call_timeout.h"

#include "common/duration.h"

namespace opr::plugins {

std::string did_not_return(std::string_view call, std::string_view pack, std::string_view target,
                           std::chrono::milliseconds within) {
  return "pack '" + std::string(pack) + "' did not return from " + std::string(call) +
         " for target '" + std::string(target) + "' within " + format_duration(within);
}

}  // namespace opr::plugins
