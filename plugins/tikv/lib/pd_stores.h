// PD's store list (GET /pd/api/v1/stores), read as it streams in: one pass,
// no DOM, only the fields the checks use, one store's JSON held at a time.
#pragma once

#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "json_body.h"
#include "json_value_end.h"

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
  // status.slow_score, PD's slow-store signal: 1 is healthy, PD counts a
  // store as slow from 80 (slowStoreThreshold). 0 when absent: PD omits a
  // zero (omitempty), so an old PD, a store that never reported one or a
  // value that is not a whole number all read as "no score".
  uint64_t slow_score = 0;
};

struct StoreList {
  std::vector<Store> stores;  // in PD's order, which changes between calls
};

// Reads the body of /pd/api/v1/stores piece by piece as it arrives, holding
// no more than one store's JSON at a time: a small scanner follows the outer
// object ("count", "stores", any other key skipped) across piece boundaries,
// and each store object is read with simdjson On-Demand, where it lies when
// a piece holds all of it, else from a reused padded copy. Every store must
// carry an id and a state_name, and the list must match PD's `count`.
// A list without stores reads as an empty list in each shape it comes in:
// {"count": 0, "stores": null} (what PD writes), "stores": [] with or
// without a count, a bare [] or null; whoever reads the list decides what
// no stores means (no_stores_failure()).
// Any bytes at all, whole or in pieces, give a list or a ResponseError:
// one value of the body (a store, "count", any other field) may hold at
// most kMaxValueBytes and nest at most kMaxDepth objects and arrays, and the
// list at most kMaxStores stores, so whatever answers as PD costs no more
// than that.
// Reusable across bodies, keeping its buffers (sized to the largest store
// seen, whatever the number of stores); never used by two threads at once.
class PdStoreListParser {
 public:
  // A real store is 1 to 2 KiB and nests 4 levels; 4 MiB leaves room for
  // tens of thousands of labels.
  static constexpr size_t kMaxValueBytes = size_t{4} << 20;
  static constexpr uint64_t kMaxDepth = 64;
  // Ten times the largest clusters the pack is measured with (bench/).
  static constexpr size_t kMaxStores = 100'000;

  PdStoreListParser() = default;
  PdStoreListParser(const PdStoreListParser&) = delete;
  PdStoreListParser& operator=(const PdStoreListParser&) = delete;

  // The next bytes of the body; pieces may be split anywhere. Throws
  // ResponseError as soon as the body is known to be unusable (malformed
  // JSON, a JSON string such as PD's error bodies, a store without its
  // fields, content after the list); later calls throw it again.
  void feed(std::string_view piece);

  // The list, once the whole body was fed. Throws ResponseError when the
  // body was unusable or is incomplete, "stores" is missing or `count`
  // disagrees. Either way the parser is then ready for the next body.
  StoreList finish();

  // Drops a body part-way (e.g. its transfer failed).
  void reset();

 private:
  enum class State : uint8_t;
  enum class Purpose : uint8_t;

  const char* step(const char* p, const char* end);
  const char* start_value(const char* p, Purpose purpose);
  const char* scan_value(const char* p, const char* end);
  void value_done(simdjson::padded_string_view value);
  void capture(const char* from, const char* to);
  simdjson::padded_string_view captured() const;
  [[noreturn]] void fail(std::string reason);
  std::string value_name() const;

  State state_{};
  Purpose purpose_{};
  bool scalar_ = false;  // the value being scanned is a number or literal
  JsonValueEnd value_end_{kMaxDepth};
  size_t value_bytes_ = 0;  // of the value being scanned, so far
  char key_[8] = {};        // the current top-level key's first bytes, raw
  size_t key_size_ = 0;
  bool key_escaped_ = false;
  std::optional<int64_t> count_;
  bool has_stores_ = false;
  std::string error_;  // set once the body is known unusable
  StoreList list_;
  std::vector<char> scratch_;  // the captured value, then >= SIMDJSON_PADDING bytes
  size_t scratch_size_ = 0;
  simdjson::ondemand::parser json_;
};

// A whole body: feed() once, then finish(). No padding is needed after it.
StoreList parse_pd_stores(PdStoreListParser& parser, std::string_view body);

// PD answers errors with a body that is a JSON string, e.g.
// "[PD:core:ErrStoreNotFound]store 99 not found". Returns its text, or
// nullopt when the body is anything else.
std::optional<std::string> pd_error_text(std::string_view body);

// PD listing no stores (any shape above) is not a cluster the pack
// monitors: it is the wrong PD, or one restored or bootstrapped anew, and
// reading it as "every store is well" would resolve every open ticket.
// The reason the run fails, naming `url` (redacted by the caller); nullopt
// when the list has stores.
std::optional<std::string> no_stores_failure(const StoreList& list, std::string_view url);

// True for states in which TiKV serves metrics (Up, Offline); a Down,
// Disconnected or Tombstone store is expected to be silent.
bool expects_metrics(const Store& store);

}  // namespace opr::tikv
