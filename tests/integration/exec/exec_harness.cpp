#include "exec_harness.h"

#include <sys/stat.h>

#include <fstream>
#include <iterator>

namespace opr::test {

std::filesystem::path nagios_plugin(const std::string& name) {
  return std::filesystem::path("/usr/lib/nagios/plugins") / name;
}

ExecHarness::ExecHarness() : HostHarness({packs_dir() / "exec.so"}) {}

std::string ExecHarness::script(const std::string& name, const std::string& body) const {
  const auto path = file(name);
  write_file(path, "#!/bin/sh\n" + body);
  ::chmod(path.c_str(), 0755);
  return path.string();
}

std::string yaml_list(const std::vector<std::string>& command) {
  std::string text = "[";
  for (size_t i = 0; i < command.size(); ++i) {
    std::string quoted;
    for (const char c : command[i]) quoted += c == '\'' ? std::string("''") : std::string(1, c);
    text += (i == 0 ? "'" : ", '") + quoted + "'";
  }
  return text + "]";
}

std::string exec_target(const std::string& name, const std::vector<std::string>& command,
                        const std::string& extra) {
  return "  - name: " + name + "\n    pack: exec\n    command: " + yaml_list(command) + "\n" +
         extra;
}

bool alive(int pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  const std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  const size_t paren = text.rfind(')');
  return paren != std::string::npos && paren + 2 < text.size() && text[paren + 2] != 'Z';
}

int read_pid(const std::filesystem::path& file) {
  int pid = 0;
  wait_until([&] { return (std::ifstream(file) >> pid) && pid > 0; }, std::chrono::seconds(10));
  return pid;
}

}  // namespace opr::test
