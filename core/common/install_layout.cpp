#include "common/install_layout.h"

namespace opr::install_layout {

namespace fs = std::filesystem;

std::optional<fs::path> running_prefix() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return std::nullopt;
  return exe.parent_path().parent_path();
}

fs::path packs_dir(const fs::path& prefix) { return prefix / OPERATOR_PACK_INSTALL_DIR; }

fs::path config_file(const fs::path& prefix) {
  const fs::path etc = prefix == "/usr" ? fs::path("/etc") : prefix / "etc";
  return etc / "operator" / "operator.yaml";
}

}  // namespace opr::install_layout
