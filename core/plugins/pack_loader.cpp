#include "plugins/pack_loader.h"

#include <dlfcn.h>

#include <boost/dll/shared_library.hpp>

#include <algorithm>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <map>
#include <string_view>
#include <variant>

#include "common/install_layout.h"
#include "plugins/descriptor_validation.h"
#include "plugins/pack_file_safety.h"

namespace opr::plugins {
namespace fs = std::filesystem;
namespace {

bool has_elf_header(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  char magic[4] = {};
  return in.read(magic, sizeof magic) && magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' &&
         magic[3] == 'F';
}

// Boost.DLL clears dlerror(); ask the dynamic loader once more for its reason.
std::string dlopen_reason(const fs::path& file) {
  void* handle = ::dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle != nullptr) {
    ::dlclose(handle);
    return "the dynamic loader refused it";
  }
  const char* reason = ::dlerror();
  return reason != nullptr ? reason : "the dynamic loader refused it";
}

LoadedPack load_or_throw(const fs::path& file) {
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) return failed_pack(file, "not a regular file");
  if (auto unsafe = check_pack_file_safety(file)) return failed_pack(file, "refused: " + *unsafe);
  if (!has_elf_header(file)) {
    return failed_pack(file,
                       "not a shared library (no ELF header); remove it from the plugin folder");
  }

  auto library = std::make_shared<boost::dll::shared_library>();
  boost::dll::fs::error_code load_error;
  library->load(file, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local,
                load_error);
  if (load_error || !library->is_loaded()) {
    return failed_pack(file, "cannot be loaded as a shared library: " + dlopen_reason(file));
  }
  if (!library->has(OP_PACK_ENTRY_SYMBOL)) {
    return failed_pack(file, std::string("no entry symbol ") + OP_PACK_ENTRY_SYMBOL +
                                 "; is it an operator pack? Build packs with the SDK's "
                                 "operator_add_pack() and OPR_EXPORT_PACK");
  }
  auto entry = library->get<std::remove_pointer_t<op_pack_entry_fn>>(OP_PACK_ENTRY_SYMBOL);
  const op_pack_descriptor* descriptor = entry();
  if (descriptor == nullptr) return failed_pack(file, "op_pack_entry returned NULL");
  if (auto wrong = check_abi_version(descriptor->abi_major, descriptor->abi_minor)) {
    return failed_pack(file, *wrong);
  }
  auto declaration = read_descriptor(*descriptor);
  if (const auto* invalid = std::get_if<std::string>(&declaration)) {
    return failed_pack(file, "invalid pack descriptor: " + *invalid);
  }
  LoadedPack pack;
  pack.file = file;
  pack.descriptor = descriptor;
  pack.declaration =
      std::make_shared<const PackDeclaration>(std::move(std::get<PackDeclaration>(declaration)));
  pack.library = library;
  return pack;
}

}  // namespace

LoadedPack failed_pack(const fs::path& file, const std::string& cause) {
  LoadedPack pack;
  pack.file = file;
  pack.error = file.string() + ": " + cause;
  return pack;
}

LoadedPack load_pack(const fs::path& file) {
  try {
    return load_or_throw(file);
  } catch (const std::exception& e) {
    return failed_pack(file, std::string("cannot be loaded: ") + e.what());
  } catch (...) {
    return failed_pack(file, "cannot be loaded: unknown error");
  }
}

std::vector<fs::path> pack_files(const fs::path& dir, std::error_code& ec) {
  std::vector<fs::path> files;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() == ".so") files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<LoadedPack> load_packs(const std::vector<fs::path>& dirs,
                                   const PackFileLoader& loader) {
  std::vector<LoadedPack> packs;
  std::map<std::string, fs::path, std::less<>> owners;  // pack name -> file
  for (const auto& dir : dirs) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
      packs.push_back(failed_pack(dir, "plugin folder does not exist or is not a folder"));
      continue;
    }
    const std::vector<fs::path> files = pack_files(dir, ec);
    if (ec) {
      packs.push_back(failed_pack(dir, "cannot read the plugin folder: " + ec.message()));
      continue;
    }
    for (const auto& file : files) {
      LoadedPack pack = loader(file);
      if (pack.ok()) {
        const auto [owner, inserted] = owners.emplace(pack.name(), file);
        if (!inserted) {
          pack = failed_pack(file, "pack name '" + pack.name() + "' is already taken by " +
                                       owner->second.string() + "; remove one of the two files");
        }
      }
      packs.push_back(std::move(pack));
    }
  }
  return packs;
}

std::vector<fs::path> default_plugin_dirs() {
  if (const char* path = std::getenv("OPERATOR_PLUGIN_PATH"); path != nullptr && *path != '\0') {
    std::vector<fs::path> dirs;
    std::string_view rest = path;
    while (!rest.empty()) {
      const size_t colon = rest.find(':');
      const auto item = rest.substr(0, colon);
      if (!item.empty()) dirs.emplace_back(item);
      if (colon == std::string_view::npos) break;
      rest.remove_prefix(colon + 1);
    }
    if (!dirs.empty()) return dirs;
  }
  // An installed operator-host finds its packs beside it (bin/../lib/...),
  // wherever the tree was installed or moved to.
  std::error_code ec;
  if (const auto prefix = install_layout::running_prefix()) {
    const fs::path beside = install_layout::packs_dir(*prefix);
    if (fs::is_directory(beside, ec)) return {beside};
  }
  return {install_layout::packs_dir(OPERATOR_INSTALL_PREFIX)};
}

}  // namespace opr::plugins
