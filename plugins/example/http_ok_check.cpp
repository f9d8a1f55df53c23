#include <string>
#include <vector>

#include "checks.h"
#include "status_ranges.h"

namespace example {

void HttpOkCheck::run(opr::sdk::NoTarget&, opr::sdk::Run& run) {
  const std::string url = run.params().string("url");
  // Bad parameters mean the check cannot evaluate anything: throwing makes
  // the run fail (never a violation, never healthy).
  const std::vector<std::string> expect_status = run.params().string_list("expect_status");
  const StatusRanges expected = StatusRanges::parse(expect_status);
  const int64_t max_latency_ms = run.params().integer("max_latency_ms");
  if (max_latency_ms <= 0) throw opr::sdk::CheckFailed("max_latency_ms must be positive");

  const opr::sdk::HttpResponse response = run.http_get(url);
  const int64_t latency_ms = response.elapsed().count();
  run.fact(opr::sdk::Fact::integer("latency_ms", latency_ms));

  // An unreachable URL is exactly what this check watches for, so a
  // transport error is a violation, not a failed run.
  if (!response.ok()) {
    run.report(url, "GET " + url + " failed: " + std::string(response.error()),
               {opr::sdk::Fact::text("error", std::string(response.error()))});
    return;
  }
  std::string problem;
  if (!expected.contains(response.status())) {
    std::string wanted;
    for (const auto& item : expect_status) wanted += (wanted.empty() ? "" : ",") + item;
    problem = "answered " + std::to_string(response.status()) + ", expected " + wanted;
  }
  if (latency_ms > max_latency_ms) {
    if (!problem.empty()) problem += " and ";
    problem += "took " + std::to_string(latency_ms) + " ms (max " + std::to_string(max_latency_ms) +
               " ms)";
  }
  if (!problem.empty()) {
    run.report(url, "GET " + url + " " + problem,
               {opr::sdk::Fact::integer("status", response.status()),
                opr::sdk::Fact::integer("latency_ms", latency_ms)});
  }
}

}  // namespace example
