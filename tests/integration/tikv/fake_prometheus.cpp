#include "fake_prometheus.h"

#include <httplib.h>

#include <utility>

#include "test_support.h"

namespace opr::test {

FakePrometheus::FakePrometheus() {
  server_.server().Get("/api/v1/query", [this](const httplib::Request& request,
                                               httplib::Response& response) {
    std::lock_guard lock(mutex_);
    seen_authorization_.push_back(request.get_header_value("Authorization"));
    for (const auto& header : request.headers) seen_header_names_.push_back(header.first);
    if (!authorization_.empty() && request.get_header_value("Authorization") != authorization_) {
      response.status = 401;
      response.set_content("Unauthorized\n", "text/plain");
      return;
    }
    if (!body_.empty()) {
      response.status = status_;
      response.set_content(body_, "application/json");
      return;
    }
    const bool latency = contains(request.get_param_value("query"), "histogram_quantile");
    std::string result;
    for (int id = 1; id <= 3; ++id) {
      const std::string instance = "10.0.1.1" + std::to_string(id) + ":20180";
      if (!result.empty()) result += ",";
      if (latency) {
        result += R"({"metric":{"instance":")" + instance + R"("},"value":[1,"0.002"]})";
      } else {
        result += R"({"metric":{"instance":")" + instance +
                  R"(","type":"capacity"},"value":[1,"100"]},)" + R"({"metric":{"instance":")" +
                  instance + R"(","type":"available"},"value":[1,"90"]})";
      }
    }
    response.set_content(
        R"({"status":"success","data":{"resultType":"vector","result":[)" + result + "]}}",
        "application/json");
  });
  server_.start();
}

void FakePrometheus::require(std::string authorization) {
  std::lock_guard lock(mutex_);
  authorization_ = std::move(authorization);
}

void FakePrometheus::answer(int status, std::string body) {
  std::lock_guard lock(mutex_);
  status_ = status;
  body_ = std::move(body);
}

std::vector<std::string> FakePrometheus::seen_authorization() {
  std::lock_guard lock(mutex_);
  return seen_authorization_;
}

std::vector<std::string> FakePrometheus::seen_header_names() {
  std::lock_guard lock(mutex_);
  return seen_header_names_;
}

}  // namespace opr::test
