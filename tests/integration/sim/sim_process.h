// A tikv-sim process on a port it chose itself, and HTTP helpers for tests.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "test_support.h"

namespace opr::test {

using OrderedJson = nlohmann::ordered_json;

struct HttpAnswer {
  int status = 0;  // 0: no answer
  std::string content_type;
  std::string body;
};

class SimProcess {
 public:
  // Starts `tikv-sim --stores N --listen 127.0.0.1:0 <extra>` and waits for
  // its ready line; fails the test if it does not come.
  explicit SimProcess(std::size_t stores = 3, const std::vector<std::string>& extra = {});

  int port() const { return port_; }
  Process& process() { return *process_; }
  HttpAnswer get(const std::string& path,
                 std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;
  HttpAnswer post(const std::string& path, const std::string& body) const;
  // POSTs to /sim/stores/{id} and expects 200.
  void change_store(int id, const std::string& body) const;
  void set_pd_mode(const std::string& mode) const;

 private:
  std::unique_ptr<Process> process_;
  int port_ = 0;
};

OrderedJson parse_json(const std::string& text);
OrderedJson read_fixture_json(const std::string& relative_path);

}  // namespace opr::test
