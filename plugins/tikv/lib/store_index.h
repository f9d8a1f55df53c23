// PD's stores by status address, for joining Prometheus' series (whose
// `instance` is TiKV's status address) to stores. Built once per store
// list and shared by every check and row that joins to that list within a
// cycle (TikvTarget::store_index()): at 10,000 stores building it costs
// about as much as one row's whole join.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pd_stores.h"

namespace opr::tikv {

// What a store's state means to the checks that read its metrics, one byte
// per store: judging a row then reads these instead of each Store's
// state_name (a Store is ~300 bytes, cold in cache after a 1 MB answer, and
// a row walks all 10,000 of them).
enum class StoreKind : uint8_t {
  kRunning,    // Up or Offline: serves metrics (expects_metrics())
  kStopped,    // Disconnected, Down or any other state: unknown to a metric check
  kTombstone,  // removed: no subject at all
};

// The kind of each store of `list`, by position.
std::vector<StoreKind> store_kinds(const StoreList& list);

// An open-addressing table whose slots carry each address's hash and where
// its bytes lie in one packed buffer. A lookup then touches neither a Store
// (~300 bytes each, cold in cache by the time Prometheus has answered) nor a
// node of its own; std::unordered_map made this join the costliest part of
// a check at 10,000 stores. When two stores share an address (a new store
// reusing a removed one's host), the one that is not Tombstone wins.
// Holds positions in the list it was built from, not the list: use it only
// with that list.
class StoreIndex {
 public:
  explicit StoreIndex(const StoreList& list);

  // The position in the list of the store whose status_address is
  // `address`, or nullopt.
  std::optional<size_t> find(std::string_view address) const {
    const Slot& slot = slots_[slot_for(address, hash_of(address))];
    if (slot.position == kEmpty) return std::nullopt;
    return slot.position;
  }

  // How many stores the list held when the index was built.
  size_t stores() const { return kinds_.size(); }
  // store_kinds() of the list, built with the index.
  const std::vector<StoreKind>& kinds() const { return kinds_; }

 private:
  static constexpr uint32_t kEmpty = UINT32_MAX;

  struct Slot {
    uint32_t hash = 0;
    uint32_t position = kEmpty;  // in the list's stores
    uint32_t offset = 0;         // of the address in addresses_
    uint32_t size = 0;
  };

  static uint32_t hash_of(std::string_view address) {
    return static_cast<uint32_t>(std::hash<std::string_view>{}(address));
  }

  // The slot holding `address`, or the empty slot where it belongs.
  size_t slot_for(std::string_view address, uint32_t hash) const {
    const size_t mask = slots_.size() - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
      const Slot& slot = slots_[i];
      if (slot.position == kEmpty) return i;
      if (slot.hash == hash &&
          std::string_view(addresses_).substr(slot.offset, slot.size) == address)
        return i;
    }
  }

  std::vector<Slot> slots_;
  std::string addresses_;  // every distinct status address, end to end
  std::vector<StoreKind> kinds_;
};

}  // namespace opr::tikv
