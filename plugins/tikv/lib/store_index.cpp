#include "store_index.h"

namespace opr::tikv {

std::vector<StoreKind> store_kinds(const StoreList& list) {
  std::vector<StoreKind> kinds;
  kinds.reserve(list.stores.size());
  for (const Store& store : list.stores) {
    kinds.push_back(expects_metrics(store)            ? StoreKind::kRunning
                    : store.state_name == "Tombstone" ? StoreKind::kTombstone
                                                      : StoreKind::kStopped);
  }
  return kinds;
}

StoreIndex::StoreIndex(const StoreList& list) : kinds_(store_kinds(list)) {
  size_t slots = 16;
  while (slots * 3 < list.stores.size() * 4) slots *= 2;  // at most 3/4 full
  slots_.assign(slots, Slot{});
  size_t bytes = 0;
  for (const Store& store : list.stores) bytes += store.status_address.size();
  addresses_.reserve(bytes);
  for (uint32_t i = 0; i < list.stores.size(); ++i) {
    const std::string& address = list.stores[i].status_address;
    if (address.empty()) continue;
    const uint32_t hash = hash_of(address);
    Slot& slot = slots_[slot_for(address, hash)];
    if (slot.position == kEmpty) {
      slot = {hash, i, static_cast<uint32_t>(addresses_.size()),
              static_cast<uint32_t>(address.size())};
      addresses_ += address;
    } else if (kinds_[slot.position] == StoreKind::kTombstone) {
      slot.position = i;
    }
  }
}

}  // namespace opr::tikv
