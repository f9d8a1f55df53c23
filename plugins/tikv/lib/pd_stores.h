// PD's store list (GET /pd/api/v1/stores) parsed with simdjson On-Demand:
// one pass over the body, no DOM, only the fields the checks use.
#pragma once

#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "json_body.h"

namespace opr::tikv {

// One store as PD describes it. Strings are copies; sizes stay as PD wrote
// them ("878.9GiB"); parse_byte_size() turns them into bytes.
struct Store {
  uint64_t id = 0;             // may exceed 2^53: never a double
  std::string address;         // gRPC address, host:20160
  std::string status_address;  // status/metrics address, host:20180 (may be empty)
  std::string state_name;      // Up, Disconnected, Down, Offline, Tombstone
  std::string version;
  int64_t last_heartbeat_ns = 0;  // Unix nanoseconds, ~1.7e18 (> 2^53); 0 if absent
  std::string last_heartbeat_ts;  // RFC 3339 in PD's time zone, "" if absent
  std::string capacity;           // status.capacity, e.g. "878.9GiB"
  std::string available;          // status.available
  std::string used_size;          // status.used_size
};

struct StoreList {
  std::vector<Store> stores;  // in PD's order, which changes between calls
};

// Parses the body of /pd/api/v1/stores. Every store must carry an id and a
// state_name, and the list must match PD's `count`. Throws ResponseError
// with a reason otherwise (malformed JSON, a JSON string such as PD's error
// bodies, missing fields). `padding`: see JsonBody. `parser` may be reused
// between calls (never by two threads at once); nothing returned points
// into it.
StoreList parse_pd_stores(simdjson::ondemand::parser& parser, std::string_view body,
                          size_t padding = 0);

// PD answers errors with a body that is a JSON string, e.g.
// "[PD:core:ErrStoreNotFound]store 99 not found". Returns its text, or
// nullopt when the body is anything else.
std::optional<std::string> pd_error_text(std::string_view body);

// True for states in which TiKV serves metrics (Up, Offline); a Down,
// Disconnected or Tombstone store is expected to be silent.
bool expects_metrics(const Store& store);

}  // namespace opr::tikv
