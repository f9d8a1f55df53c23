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
    } else if (key == "slow_score") {
      // Only store_slow reads it: a value of another type makes that check
      // see no score, and leaves the list (store_up's) readable.
      uint64_t score = 0;
      if (field.value().get_uint64().get(score) == simdjson::SUCCESS) store.slow_score = score;
    }
  }
}

// Fills `store`, which the caller placed in the list already: no Store is
// moved or copied per store of a 10,000-store list.
void read_store_info(ondemand::object info, size_t index, Store& store) {
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
  const auto where = [index] { return "stores[" + std::to_string(index) + "]"; };
  if (!has_meta) throw ResponseError(where() + " has no \"store\" object");
  if (!has_id) throw ResponseError(where() + " has no store id");
  if (store.state_name.empty()) {
    throw ResponseError(where() + " (store " + std::to_string(store.id) + ") has no state_name");
  }
}

std::string quoted_excerpt(std::string_view text) {
  constexpr size_t kMax = 200;
  std::string out = "\"" + std::string(text.substr(0, kMax));
  if (text.size() > kMax) out += "...";
  return out + "\"";
}

bool is_space(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }
// What ends a number or a literal.
bool is_scalar_end(char c) { return is_space(c) || c == ',' || c == '}' || c == ']'; }
// What a number or true/false/null is made of.
bool is_scalar_byte(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' ||
         c == '+' || c == '.';
}

const char* skip_space(const char* p, const char* end) {
  while (p < end && is_space(*p)) ++p;
  return p;
}

// The first byte simdjson sees after a value it reads (see scan_value).
constexpr char kAfterValue = ',';

ResponseError malformed(simdjson::error_code code) {
  return ResponseError(describe_json_error(code));
}

}  // namespace

// Where the scanner is in PD's outer object. Values (a store, "count", a
// skipped field, a string document) are scanned in kValue.
enum class PdStoreListParser::State : uint8_t {
  kDocumentStart,  // before the first byte of the document
  kArrayStart,     // after a top-level '[': only ']' may follow (an empty list)
  kObjectStart,    // after the top-level '{'
  kKey,            // inside a top-level key
  kColon,          // after a key
  kFieldValue,     // after a key's ':'
  kValue,          // inside a value, see purpose_
  kAfterField,     // after a field's value: ',' or '}'
  kNextKey,        // after a top-level ',': a key
  kStoresStart,    // after "stores": '['
  kAfterStore,     // after a store: ',' or ']'
  kNextStore,      // after a ',' in "stores": '{'
  kDocumentEnd,    // after the top-level '}': only whitespace may follow
};

// What a value in kValue is, and so what is done with its bytes.
enum class PdStoreListParser::Purpose : uint8_t {
  kSkip,            // another top-level field's value: scanned, not kept
  kCount,           // "count"
  kStoresNull,      // "stores": null (an empty cluster)
  kNullDocument,    // the whole body is null (no stores)
  kStore,           // one element of "stores"
  kStringDocument,  // the whole body is a JSON string: PD's error answer
};

void PdStoreListParser::feed(std::string_view piece) {
  if (!error_.empty()) throw ResponseError(error_);
  const char* p = piece.data();
  const char* const end = p + piece.size();
  try {
    while (p < end) p = state_ == State::kValue ? scan_value(p, end) : step(p, end);
  } catch (const simdjson::simdjson_error& e) {
    fail(describe_json_error(e.error()));
  } catch (const ResponseError& e) {
    fail(e.what());
  }
}

void PdStoreListParser::fail(std::string reason) {
  error_ = std::move(reason);
  throw ResponseError(error_);
}

// One token of the outer structure (after any whitespace before it).
const char* PdStoreListParser::step(const char* p, const char* end) {
  if (state_ == State::kKey) {
    for (; p < end; ++p) {
      const char c = *p;
      if (key_escaped_) {
        key_escaped_ = false;
      } else if (c == '\\') {
        key_escaped_ = true;
      } else if (c == '"') {
        state_ = State::kColon;
        return p + 1;
      }
      // Compared raw, as simdjson compares keys: an escaped key matches nothing.
      if (key_size_ < sizeof key_) key_[key_size_] = c;
      ++key_size_;
    }
    return p;
  }
  p = skip_space(p, end);
  if (p == end) return p;
  const char c = *p;
  switch (state_) {
    case State::kDocumentStart:
      if (c == '{') {
        state_ = State::kObjectStart;
        return p + 1;
      }
      if (c == '"') return start_value(p, Purpose::kStringDocument);
      // A bare [] or null lists no stores; finish() returns the empty list.
      if (c == '[') {
        state_ = State::kArrayStart;
        return p + 1;
      }
      if (c == 'n') return start_value(p, Purpose::kNullDocument);
      throw malformed(is_scalar_byte(c) ? simdjson::INCORRECT_TYPE : simdjson::TAPE_ERROR);
    case State::kArrayStart:
      if (c != ']') throw ResponseError("expected PD's store list, got a JSON array of values");
      has_stores_ = true;
      state_ = State::kDocumentEnd;
      return p + 1;
    case State::kObjectStart:
    case State::kNextKey:
      if (c == '"') {
        state_ = State::kKey;
        key_size_ = 0;
        return p + 1;
      }
      if (c == '}' && state_ == State::kObjectStart) {
        state_ = State::kDocumentEnd;
        return p + 1;
      }
      throw malformed(simdjson::TAPE_ERROR);
    case State::kColon:
      if (c != ':') throw malformed(simdjson::TAPE_ERROR);
      state_ = State::kFieldValue;
      return p + 1;
    case State::kFieldValue: {
      const std::string_view key(key_, std::min(key_size_, sizeof key_));
      if (key_size_ == 5 && key == "count") return start_value(p, Purpose::kCount);
      if (key_size_ == 6 && key == "stores") {
        has_stores_ = true;
        if (c == '[') {
          state_ = State::kStoresStart;
          return p + 1;
        }
        // PD writes "stores": null for an empty cluster (a nil Go slice).
        if (c == 'n') return start_value(p, Purpose::kStoresNull);
        throw malformed(simdjson::INCORRECT_TYPE);
      }
      return start_value(p, Purpose::kSkip);
    }
    case State::kAfterField:
      if (c == ',') {
        state_ = State::kNextKey;
      } else if (c == '}') {
        state_ = State::kDocumentEnd;
      } else {
        throw malformed(simdjson::TAPE_ERROR);
      }
      return p + 1;
    case State::kStoresStart:
    case State::kNextStore:
      if (c == '{') return start_value(p, Purpose::kStore);
      if (c == ']' && state_ == State::kStoresStart) {
        state_ = State::kAfterField;
        return p + 1;
      }
      throw malformed(c == '[' || c == '"' || is_scalar_byte(c) ? simdjson::INCORRECT_TYPE
                                                                : simdjson::TAPE_ERROR);
    case State::kAfterStore:
      if (c == ',') {
        state_ = State::kNextStore;
      } else if (c == ']') {
        state_ = State::kAfterField;
      } else {
        throw malformed(simdjson::TAPE_ERROR);
      }
      return p + 1;
    case State::kDocumentEnd:
      throw ResponseError("unexpected content after PD's store list");
    case State::kKey:
    case State::kValue:
      break;
  }
  return p;  // not reached: kKey and kValue are handled by the callers
}

// `p` is the value's first byte; scan_value() reads it.
const char* PdStoreListParser::start_value(const char* p, Purpose purpose) {
  const char c = *p;
  scalar_ = c != '{' && c != '[' && c != '"';
  if (scalar_ && !is_scalar_byte(c)) throw malformed(simdjson::TAPE_ERROR);
  purpose_ = purpose;
  value_end_.reset();
  value_bytes_ = 0;
  scratch_size_ = 0;
  state_ = State::kValue;
  return p;
}

const char* PdStoreListParser::scan_value(const char* p, const char* end) {
  const char* stop = end;
  bool done = false;
  if (scalar_) {
    stop = p;
    while (stop < end && !is_scalar_end(*stop)) ++stop;
    done = stop < end;  // the byte that ends a scalar belongs to what follows
    if (purpose_ == Purpose::kSkip && !std::all_of(p, stop, is_scalar_byte)) {
      throw malformed(simdjson::TAPE_ERROR);
    }
  } else if (const char* value_end = value_end_.scan(p, end)) {
    stop = value_end;
    done = true;
  } else if (value_end_.too_deep()) {
    throw ResponseError(value_name() + " nests objects and arrays deeper than " +
                        std::to_string(kMaxDepth) + " levels");
  }
  value_bytes_ += static_cast<size_t>(stop - p);
  if (purpose_ != Purpose::kSkip && value_bytes_ > kMaxValueBytes) {
    throw ResponseError(value_name() + " is larger than " + std::to_string(kMaxValueBytes) +
                        " bytes, the most one value may be");
  }
  // On-Demand validates only what it reads: in a malformed value it may
  // run past the last byte and take the first padding byte for a token.
  // That byte must be the same whether the value is read in place or from
  // the copy, or a broken store's outcome would depend on how the body was
  // split: the copy puts kAfterValue there, and a value is read in place
  // only when the body has that byte after it (every store but the last,
  // as PD writes the list).
  if (done && scratch_size_ == 0 && static_cast<size_t>(end - stop) >= simdjson::SIMDJSON_PADDING &&
      *stop == kAfterValue) {
    // All of it in this piece, and the piece's bytes after it serve as
    // simdjson's padding: read it where it is, no copy.
    value_done(simdjson::padded_string_view(p, static_cast<size_t>(stop - p),
                                            static_cast<size_t>(end - p)));
    return stop;
  }
  if (purpose_ != Purpose::kSkip) capture(p, stop);
  if (done) {
    if (purpose_ != Purpose::kSkip) scratch_[scratch_size_] = kAfterValue;
    value_done(captured());
  }
  return stop;
}

// The value being scanned, for an error message.
std::string PdStoreListParser::value_name() const {
  switch (purpose_) {
    case Purpose::kStore:
      return "stores[" + std::to_string(list_.stores.size()) + "]";
    case Purpose::kCount:
      return "\"count\"";
    case Purpose::kStoresNull:
      return "\"stores\"";
    case Purpose::kSkip:
      return "a field of PD's answer";
    case Purpose::kNullDocument:
    case Purpose::kStringDocument:
      break;
  }
  return "PD's answer";
}

void PdStoreListParser::capture(const char* from, const char* to) {
  const size_t size = static_cast<size_t>(to - from);
  const size_t needed = scratch_size_ + size + simdjson::SIMDJSON_PADDING;
  if (needed > scratch_.size()) scratch_.resize(std::max(needed, 2 * scratch_.size()));
  std::copy(from, to, scratch_.data() + scratch_size_);
  scratch_size_ += size;
}

simdjson::padded_string_view PdStoreListParser::captured() const {
  return simdjson::padded_string_view(scratch_.data(), scratch_size_, scratch_.size());
}

void PdStoreListParser::value_done(simdjson::padded_string_view value) {
  switch (purpose_) {
    case Purpose::kSkip:
      break;
    case Purpose::kCount: {
      ondemand::document doc = json_.iterate(value);
      count_ = doc.get_int64().value();
      // PD writes count first: size the list once, up to the largest
      // clusters; past that a lying count costs nothing until stores come.
      if (*count_ > 0) {
        list_.stores.reserve(static_cast<size_t>(std::min<int64_t>(*count_, 20'000)));
      }
      break;
    }
    case Purpose::kStoresNull:
      if (std::string_view(value) != "null") {
        throw malformed(simdjson::INCORRECT_TYPE);
      }
      break;
    case Purpose::kNullDocument:
      if (std::string_view(value) != "null") {
        throw malformed(simdjson::INCORRECT_TYPE);
      }
      has_stores_ = true;
      state_ = State::kDocumentEnd;
      return;
    case Purpose::kStore: {
      const size_t index = list_.stores.size();
      if (index == kMaxStores) {
        throw ResponseError("PD lists more than " + std::to_string(kMaxStores) +
                            " stores, the most the pack reads");
      }
      ondemand::document doc = json_.iterate(value);
      read_store_info(doc.get_object(), index, list_.stores.emplace_back());
      if (!at_document_end(doc)) throw malformed(simdjson::TAPE_ERROR);
      state_ = State::kAfterStore;
      return;
    }
    case Purpose::kStringDocument: {
      ondemand::document doc = json_.iterate(value);
      throw ResponseError("expected PD's store list, got a JSON string: " +
                          quoted_excerpt(std::string_view(doc.get_string())));
    }
  }
  state_ = State::kAfterField;
}

StoreList PdStoreListParser::finish() {
  // A bare null ends with the body: nothing after it ended the scalar.
  if (error_.empty() && state_ == State::kValue && scalar_ && purpose_ == Purpose::kNullDocument) {
    try {
      value_done(captured());
    } catch (const ResponseError& e) {
      error_ = e.what();
    }
  }
  const State state = state_;
  const bool in_string =
      state == State::kKey || (state == State::kValue && !scalar_ && value_end_.in_string());
  const std::string error = error_;
  const bool has_stores = has_stores_;
  const std::optional<int64_t> count = count_;
  StoreList list = std::move(list_);
  reset();
  if (!error.empty()) throw ResponseError(error);
  if (state == State::kDocumentStart) throw malformed(simdjson::EMPTY);
  if (state != State::kDocumentEnd) {
    throw malformed(in_string ? simdjson::UNCLOSED_STRING : simdjson::INCOMPLETE_ARRAY_OR_OBJECT);
  }
  // PD always writes "stores" (null when empty); without it this is some
  // other document, e.g. one store's /store/{id} answer.
  if (!has_stores) throw ResponseError("PD's answer has no \"stores\" field");
  if (count && *count != static_cast<int64_t>(list.stores.size())) {
    throw ResponseError("PD's count says " + std::to_string(*count) + " stores but it listed " +
                        std::to_string(list.stores.size()));
  }
  return list;
}

void PdStoreListParser::reset() {
  state_ = State::kDocumentStart;
  purpose_ = Purpose::kSkip;
  scalar_ = false;
  value_end_.reset();
  value_bytes_ = 0;
  key_size_ = 0;
  key_escaped_ = false;
  count_.reset();
  has_stores_ = false;
  error_.clear();
  list_ = StoreList();
  scratch_size_ = 0;
}

StoreList parse_pd_stores(PdStoreListParser& parser, std::string_view body) {
  parser.reset();
  try {
    parser.feed(body);
  } catch (const ResponseError&) {
    parser.reset();  // not the partial list kept until the next body
    throw;
  }
  return parser.finish();
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

std::optional<std::string> no_stores_failure(const StoreList& list, std::string_view url) {
  if (!list.stores.empty()) return std::nullopt;
  return "PD GET " + std::string(url) +
         " lists no stores; a cluster without stores is not monitored (is this the right PD?)";
}

bool expects_metrics(const Store& store) {
  return store.state_name == "Up" || store.state_name == "Offline";
}

}  // namespace opr::tikv
