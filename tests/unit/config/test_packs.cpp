#include "test_packs.h"

#include <operator/plugin.h>

#include <memory>
#include <stdexcept>

#include "pack_declarations.h"
#include "plugins/pack_loader.h"
#include "test_support.h"

namespace opr::config::test {
namespace {

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
  static const PackDeclaration pack = opr::test::files_pack_declaration();
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
