#include "test_packs.h"

#include <operator/plugin.h>

#include <memory>
#include <stdexcept>

#include "plugins/pack_loader.h"
#include "test_support.h"

namespace opr::config::test {
namespace {

ParamDeclaration param(const char* name, op_param_type type, const char* default_value,
                       bool required = false, const char* doc = "") {
  ParamDeclaration p;
  p.name = name;
  p.type = type;
  if (default_value != nullptr) p.default_value = default_value;
  p.required = required;
  p.doc = doc;
  return p;
}

ParamDeclaration bounded(ParamDeclaration p, const char* min, bool min_exclusive, const char* max) {
  if (min != nullptr) p.bounds.min = parse_param_text(p.type, min);
  if (max != nullptr) p.bounds.max = parse_param_text(p.type, max);
  p.bounds.min_exclusive = min_exclusive;
  return p;
}

CheckDeclaration check(const char* name, op_severity severity, int64_t interval_ms,
                       int64_t grace_ms, std::vector<ParamDeclaration> params) {
  CheckDeclaration c;
  c.name = name;
  c.default_severity = severity;
  c.default_interval = std::chrono::milliseconds(interval_ms);
  c.default_grace = std::chrono::milliseconds(grace_ms);
  c.params = std::move(params);
  return c;
}

PackDeclaration make_files_pack() {
  PackDeclaration pack;
  pack.name = "files";
  pack.version = "1.0.0";
  pack.abi_major = OP_ABI_MAJOR;
  pack.abi_minor = OP_ABI_MINOR;
  pack.params = {param("root", OP_PARAM_STRING, nullptr, true, "the folder every path is under"),
                 param("tags", OP_PARAM_STRING_LIST, "a,b"),
                 param("api_token", OP_PARAM_STRING, nullptr)};
  pack.checks = {check("fresh", OP_SEVERITY_WARNING, 15'000, 0,
                       {param("path", OP_PARAM_STRING, nullptr, true, "the file to watch"),
                        bounded(param("max_age", OP_PARAM_DURATION, "1h"), "0s", true, nullptr),
                        param("strict", OP_PARAM_BOOL, "false"),
                        bounded(param("weight", OP_PARAM_FLOAT, "0.5"), "0", false, "10"),
                        bounded(param("retries", OP_PARAM_INT, "3"), nullptr, false, "100")}),
                 check("exists", OP_SEVERITY_INFO, 0, 5'000, {})};
  return pack;
}

std::unique_ptr<opr::test::TempDir> g_dir;

}  // namespace

const PackDeclaration& tikv_pack() {
  static const plugins::LoadedPack* pack = [] {
    auto* loaded = new plugins::LoadedPack(plugins::load_pack(opr::test::packs_dir() / "tikv.so"));
    if (!loaded->ok())
      throw std::runtime_error("the built tikv pack did not load: " + loaded->error);
    return loaded;
  }();
  return *pack->declaration;
}

const PackDeclaration& files_pack() {
  static const PackDeclaration pack = make_files_pack();
  return pack;
}

PackCatalog test_catalog() { return PackCatalog{{"tikv", &tikv_pack()}, {"files", &files_pack()}}; }

std::filesystem::path last_config_path() { return g_dir->path() / "operator.yaml"; }

std::filesystem::path write_text(const std::string& yaml) {
  g_dir = std::make_unique<opr::test::TempDir>();
  opr::test::write_file(last_config_path(), yaml);
  return last_config_path();
}

Config load_text(const std::string& yaml) { return load_config(write_text(yaml), test_catalog()); }

}  // namespace opr::config::test
