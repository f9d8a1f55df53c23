// The example pack: declares its checks and their parameters, once. The host
// validates users' config against these declarations, fills in defaults and
// prints them in `operator-host plugins list`.
#include <operator/plugin.hpp>

#include <chrono>

#include "checks.h"

namespace example {
namespace {

using namespace std::chrono_literals;
using opr::sdk::NoTarget;

const opr::sdk::Pack<NoTarget>& pack() {
  static const opr::sdk::Pack<NoTarget> pack =
      opr::sdk::PackBuilder<NoTarget>("example", "1.0.0",
                                      "Is a URL serving? Is a heartbeat file fresh?")
          .check<HttpOkCheck>({
              .name = "http_ok",
              .description = "a URL answers, with an expected status, quickly enough",
              .severity = OP_SEVERITY_CRITICAL,
              .interval = 30s,
              .grace = 1min,  // one slow or lost request is not an outage
              .params = {{.name = "url",
                          .type = OP_PARAM_STRING,
                          .required = true,
                          .doc = "the URL to GET (http or https)"},
                         {.name = "expect_status",
                          .type = OP_PARAM_STRING_LIST,
                          .default_value = "200-399",
                          .doc = "up statuses: 200 or 200-299"},
                         {.name = "max_latency_ms",
                          .type = OP_PARAM_INT,
                          .default_value = "1000",
                          .doc = "slowest acceptable response"}},
          })
          .check<FileFreshCheck>({
              .name = "file_fresh",
              .description = "a file (a heartbeat, a backup) exists and is recent",
              .severity = OP_SEVERITY_WARNING,
              .interval = 1min,
              .grace = 0s,
              .params = {{.name = "path",
                          .type = OP_PARAM_STRING,
                          .required = true,
                          .doc = "the file to watch"},
                         {.name = "max_age",
                          .type = OP_PARAM_DURATION,
                          .default_value = "1h",
                          .doc = "oldest acceptable modification time"}},
          })
          .build();
  return pack;
}

}  // namespace
}  // namespace example

OPR_EXPORT_PACK(example::pack)
