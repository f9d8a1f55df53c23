#include "pd_stores.h"

#include <algorithm>
#include <utility>

namespace opr::tikv {
namespace ondemand = simdjson::ondemand;

namespace {

std::string copy_string(ondemand::value value) { return std::string(std::string_view(value)); }

void read_meta(ondemand::object meta, Store& store, bool& has_id) {
  for (ondemand::field field : meta) {
    const ondemand::raw_json_string key = field.key();
    if (key == "id") {
      store.id = field.value().get_uint64();
      has_id = true;
    } else if (key == "address") {
      store.address = copy_string(field.value());
    } else if (key == "status_address") {
      store.status_address = copy_string(field.value());
    } else if (key == "state_name") {
      store.state_name = copy_string(field.value());
    } else if (key == "version") {
      store.version = copy_string(field.value());
    } else if (key == "last_heartbeat") {
      store.last_heartbeat_ns = field.value().get_int64();
    }
  }
}

void read_status(ondemand::object status, Store& store) {
  for (ondemand::field field : status) {
    const ondemand::raw_json_string key = field.key();
    if (key == "capacity") {
      store.capacity = copy_string(field.value());
    } else if (key == "available") {
      store.available = copy_string(field.value());
    } else if (key == "used_size") {
      store.used_size = copy_string(field.value());
    } else if (key == "last_heartbeat_ts") {
      store.last_heartbeat_ts = copy_string(field.value());
    }
  }
}

Store read_store_info(ondemand::object info, size_t index) {
  Store store;
  bool has_id = false;
  bool has_meta = false;
  for (ondemand::field field : info) {
    const ondemand::raw_json_string key = field.key();
    if (key == "store") {
      read_meta(field.value().get_object(), store, has_id);
      has_meta = true;
    } else if (key == "status") {
      read_status(field.value().get_object(), store);
    }
  }
  const std::string where = "stores[" + std::to_string(index) + "]";
  if (!has_meta) throw ResponseError(where + " has no \"store\" object");
  if (!has_id) throw ResponseError(where + " has no store id");
  if (store.state_name.empty()) {
    throw ResponseError(where + " (store " + std::to_string(store.id) + ") has no state_name");
  }
  return store;
}

std::string quoted_excerpt(std::string_view text) {
  constexpr size_t kMax = 200;
  std::string out = "\"" + std::string(text.substr(0, kMax));
  if (text.size() > kMax) out += "...";
  return out + "\"";
}

}  // namespace

StoreList parse_pd_stores(ondemand::parser& parser, std::string_view body, size_t padding) {
  const JsonBody json(body, padding);
  StoreList list;
  try {
    ondemand::document doc = parser.iterate(json.view());
    if (doc.type() == ondemand::json_type::string) {
      throw ResponseError("expected PD's store list, got a JSON string: " +
                          quoted_excerpt(std::string_view(doc.get_string())));
    }
    std::optional<int64_t> count;
    bool has_stores = false;
    for (ondemand::field field : doc.get_object()) {
      const ondemand::raw_json_string key = field.key();
      if (key == "count") {
        count = field.value().get_int64();
        // PD writes count first: size the list once (capped against nonsense).
        if (*count > 0)
          list.stores.reserve(static_cast<size_t>(std::min<int64_t>(*count, 1'000'000)));
      } else if (key == "stores") {
        has_stores = true;
        ondemand::value stores = field.value();
        // PD writes "stores": null for an empty cluster (a nil Go slice).
        if (stores.is_null()) continue;
        for (ondemand::value item : stores.get_array()) {
          list.stores.push_back(read_store_info(item.get_object(), list.stores.size()));
        }
      }
    }
    if (!at_document_end(doc)) throw ResponseError("unexpected content after PD's store list");
    // PD always writes "stores" (null when empty); without it this is some
    // other document, e.g. one store's /store/{id} answer.
    if (!has_stores) throw ResponseError("PD's answer has no \"stores\" field");
    if (count && *count != static_cast<int64_t>(list.stores.size())) {
      throw ResponseError("PD's count says " + std::to_string(*count) + " stores but it listed " +
                          std::to_string(list.stores.size()));
    }
  } catch (const simdjson::simdjson_error& e) {
    throw ResponseError(describe_json_error(e.error()));
  }
  return list;
}

std::optional<std::string> pd_error_text(std::string_view body) {
  simdjson::ondemand::parser parser;
  const JsonBody json(body, 0);
  std::string_view text;
  ondemand::document doc;
  if (parser.iterate(json.view()).get(doc) != simdjson::SUCCESS) return std::nullopt;
  if (doc.get_string().get(text) != simdjson::SUCCESS) return std::nullopt;
  if (!at_document_end(doc)) return std::nullopt;
  return std::string(text);
}

bool expects_metrics(const Store& store) {
  return store.state_name == "Up" || store.state_name == "Offline";
}

}  // namespace opr::tikv
