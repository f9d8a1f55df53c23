#include "cli/commands.h"

#include <iostream>

namespace opr::cli {

int config_command(const GlobalOptions&, const std::vector<std::string>&) {
  std::cerr << "operator-host: the config command is being built\n";
  return 1;
}

}  // namespace opr::cli
