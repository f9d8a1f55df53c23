#include "cli/commands.h"

#include <iostream>

namespace opr::cli {

int run_monitor(const GlobalOptions&) {
  std::cerr << "operator-host: the monitor is being built\n";
  return 1;
}

}  // namespace opr::cli
