// The messages of the host <-> pack-runner protocol, each the payload of one
// frame (isolation/frame.h), and their binary encoding: integers as LEB128
// varints (signed ones zigzagged), doubles as their 8 IEEE bytes, strings
// and lists as a count and their items.
//
// A run's outcome is one `ran` frame however much it holds; its facts
// name their keys through a table at the front of the frame, so a key
// repeated on every one of 10,000 violations travels once.
//
// Every decode_* reads only inside its payload and throws ProtocolError
// for anything that does not fit: a count larger than the bytes left, an
// unknown tag, bytes left over at the end.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/pack_declaration.h"
#include "common/param_value.h"
#include "http/exchange.h"
#include "isolation/frame.h"
#include "plugins/pack_instance.h"

namespace opr::isolation {

// A line the pack (or the runner) logged, forwarded to the host's log.
struct LogLine {
  int32_t level = 0;  // an op_log_level
  std::string message;
};

struct LoadRequest {
  std::string file;
};

struct LoadReply {
  std::string error;                           // "FILE: cause; fix" when the pack did not load
  std::optional<PackDeclaration> declaration;  // when it did
};

struct CreateRequest {
  std::string target;
  ParamMap params;  // pack-level, defaults applied
};

struct CreateReply {
  bool ok = false;
  std::string error;                 // the InstanceError's text when !ok
  std::optional<std::string> param;  // the parameter the pack blamed
  std::vector<LogLine> logs;
};

struct RunRequest {
  uint32_t check_index = 0;
  int64_t timeout_ms = 0;  // from when the runner reads the request; <= 0: none
  ParamMap params;
  bool record = false;  // keep the run's HTTP exchanges for the reply
};

struct RunReply {
  plugins::RunResult result;
  std::vector<LogLine> logs;  // in the order the run logged them
  // When the request said `record`: the run's HTTP exchanges, made in the
  // runner, for the host to write.
  std::vector<http::Exchange> exchanges;
  // Why the exchanges were left out ("" when they were not): with them the
  // outcome would not fit in one frame, and a recording must not fail a run.
  std::string exchanges_dropped;
};

struct DestroyReply {
  std::vector<LogLine> logs;
};

std::string encode(const LoadRequest& message);
std::string encode(const LoadReply& message);
std::string encode(const CreateRequest& message);
std::string encode(const CreateReply& message);
std::string encode(const RunRequest& message);
std::string encode(const RunReply& message);
std::string encode(const DestroyReply& message);

LoadRequest decode_load_request(std::string_view payload);
LoadReply decode_load_reply(std::string_view payload);
CreateRequest decode_create_request(std::string_view payload);
CreateReply decode_create_reply(std::string_view payload);
RunRequest decode_run_request(std::string_view payload);
RunReply decode_run_reply(std::string_view payload);
DestroyReply decode_destroy_reply(std::string_view payload);

}  // namespace opr::isolation
