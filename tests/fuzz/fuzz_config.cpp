// The config loader as the monitor runs it: YAML text -> a validated config
// or a ConfigError, against a fixed catalog of packs declared here (no pack
// is loaded). Anything else thrown, any crash, leak or hang is a bug.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "common/pack_declaration.h"
#include "config/config.h"
#include "config/raw_config.h"
#include "pack_declarations.h"

namespace {

using opr::test::bounded;
using opr::test::declared_check;
using opr::test::declared_pack;
using opr::test::declared_param;

// Shaped like the tikv pack (its parameters and checks), and the config
// tests' "files" pack with every parameter type, required parameters and
// bounds.
const opr::config::PackCatalog& catalog() {
  using opr::PackDeclaration;
  static const PackDeclaration* tikv = new PackDeclaration(declared_pack(
      "tikv",
      {declared_param("pd_endpoint", OP_PARAM_STRING, nullptr),
       declared_param("prometheus_url", OP_PARAM_STRING, nullptr),
       declared_param("prometheus_bearer_token_file", OP_PARAM_STRING, nullptr),
       declared_param("prometheus_username", OP_PARAM_STRING, nullptr),
       declared_param("prometheus_password_file", OP_PARAM_STRING, nullptr),
       bounded(declared_param("store_list_max_age", OP_PARAM_DURATION, "30s"), "0s", false,
               nullptr)},
      {declared_check("store_up", OP_SEVERITY_CRITICAL, 0, 0,
                      {declared_param("include_tombstone", OP_PARAM_BOOL, "false")}),
       declared_check(
           "latency", OP_SEVERITY_WARNING, 0, 60'000,
           {bounded(declared_param("quantile", OP_PARAM_FLOAT, "0.99"), "0", true, "1", true),
            bounded(declared_param("rate_window", OP_PARAM_DURATION, "1m"), "0s", true, nullptr),
            bounded(declared_param("threshold_ms", OP_PARAM_FLOAT, "100"), "0", false, nullptr)}),
       declared_check("disk_space", OP_SEVERITY_WARNING, 0, 0,
                      {bounded(declared_param("threshold_percent", OP_PARAM_FLOAT, "70"), "0",
                               false, "100")})}));
  static const PackDeclaration* files = new PackDeclaration(opr::test::files_pack_declaration());
  static const opr::config::PackCatalog* packs =
      new opr::config::PackCatalog{{"tikv", tikv}, {"files", files}};
  return *packs;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const std::string file = "/fuzz/operator.yaml";
  try {
    const auto raw = opr::config::read_config_text(text, file);
    const opr::config::Config config = opr::config::resolve_config(*raw, catalog());
    for (const auto& target : config.targets) {
      if (target.name.empty() || target.checks.empty()) std::abort();
    }
  } catch (const opr::config::ConfigError& e) {
    // Every refusal names the file and says something.
    if (e.message().empty() || e.mark().file != file) std::abort();
  }
  return 0;
}
