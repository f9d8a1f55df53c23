#include "cli/commands.h"

#include <iostream>

namespace opr::cli {

int plugins_command(const GlobalOptions&, const std::vector<std::string>&) {
  std::cerr << "operator-host: the plugins command is being built\n";
  return 1;
}

}  // namespace opr::cli
