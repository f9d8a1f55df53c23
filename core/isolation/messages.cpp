#include "isolation/messages.h"

#include <cstring>
#include <map>
#include <type_traits>
#include <variant>

namespace opr::isolation {
namespace {

using std::chrono::milliseconds;

class Writer {
 public:
  void u64(uint64_t value) {
    while (value >= 0x80) {
      out_ += static_cast<char>((value & 0x7f) | 0x80);
      value >>= 7;
    }
    out_ += static_cast<char>(value);
  }
  void i64(int64_t value) {
    u64((static_cast<uint64_t>(value) << 1) ^ static_cast<uint64_t>(value >> 63));
  }
  void boolean(bool value) { out_ += value ? '\1' : '\0'; }
  void f64(double value) {
    uint64_t bits = 0;
    std::memcpy(&bits, &value, sizeof bits);
    for (int shift = 0; shift < 64; shift += 8) out_ += static_cast<char>((bits >> shift) & 0xff);
  }
  void text(std::string_view value) {
    u64(value.size());
    out_.append(value);
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

// Reads one payload. What it builds is charged against a budget of a few
// times the payload's size, so that a payload of zeros (a million empty
// violations) costs no more memory than a real outcome of that size.
class Reader {
 public:
  explicit Reader(std::string_view bytes)
      : rest_(bytes), budget_(kBudgetPerByte * bytes.size() + kBudgetBase) {}

  uint64_t u64() {
    uint64_t value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      const auto byte = static_cast<uint8_t>(take(1)[0]);
      value |= uint64_t{byte & 0x7fu} << shift;
      if ((byte & 0x80) == 0) return value;
    }
    throw ProtocolError("a number longer than 64 bits");
  }
  int64_t i64() {
    const uint64_t raw = u64();
    return static_cast<int64_t>((raw >> 1) ^ (~(raw & 1) + 1));
  }
  uint32_t u32() {
    const uint64_t value = u64();
    if (value > UINT32_MAX) throw ProtocolError("a number past 32 bits");
    return static_cast<uint32_t>(value);
  }
  int32_t i32() {
    const int64_t value = i64();
    if (value < INT32_MIN || value > INT32_MAX) throw ProtocolError("a number past 32 bits");
    return static_cast<int32_t>(value);
  }
  bool boolean() {
    const char byte = take(1)[0];
    if (byte != 0 && byte != 1) throw ProtocolError("a flag that is neither 0 nor 1");
    return byte == 1;
  }
  double f64() {
    const std::string_view bytes = take(8);
    uint64_t bits = 0;
    for (int i = 0; i < 8; ++i) bits |= uint64_t{static_cast<uint8_t>(bytes[i])} << (8 * i);
    double value = 0;
    std::memcpy(&value, &bits, sizeof value);
    return value;
  }
  std::string text() { return std::string(take(count<char>())); }
  // A count of items that each take at least one byte, never more than the
  // bytes left, with their memory charged to the budget.
  template <typename Item>
  size_t count() {
    const uint64_t n = u64();
    if (n > rest_.size()) throw ProtocolError("a count larger than the message");
    const uint64_t cost = n * sizeof(Item);
    if (cost > budget_) throw ProtocolError("a message that would take too much memory");
    budget_ -= cost;
    return static_cast<size_t>(n);
  }
  void finish() const {
    if (!rest_.empty()) throw ProtocolError("bytes left over after the message");
  }

 private:
  std::string_view take(size_t n) {
    if (n > rest_.size()) throw ProtocolError("a message cut short");
    const std::string_view bytes = rest_.substr(0, n);
    rest_.remove_prefix(n);
    return bytes;
  }
  static constexpr uint64_t kBudgetPerByte = 8;
  static constexpr uint64_t kBudgetBase = 64 * 1024;
  std::string_view rest_;
  uint64_t budget_;
};

// ---- shared pieces ----

void put(Writer& w, const ParamValue& value) {
  w.u64(value.index());
  std::visit(
      [&w](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::string>) {
          w.text(v);
        } else if constexpr (std::is_same_v<T, int64_t>) {
          w.i64(v);
        } else if constexpr (std::is_same_v<T, double>) {
          w.f64(v);
        } else if constexpr (std::is_same_v<T, bool>) {
          w.boolean(v);
        } else if constexpr (std::is_same_v<T, milliseconds>) {
          w.i64(v.count());
        } else {
          w.u64(v.size());
          for (const auto& item : v) w.text(item);
        }
      },
      value);
}

ParamValue get_value(Reader& r) {
  switch (r.u64()) {
    case 0:
      return r.text();
    case 1:
      return r.i64();
    case 2:
      return r.f64();
    case 3:
      return r.boolean();
    case 4:
      return milliseconds(r.i64());
    case 5: {
      std::vector<std::string> items(r.count<std::string>());
      for (auto& item : items) item = r.text();
      return items;
    }
    default:
      throw ProtocolError("a parameter value of unknown type");
  }
}

void put(Writer& w, const ParamMap& params) {
  w.u64(params.size());
  for (const auto& [name, value] : params) {
    w.text(name);
    put(w, value);
  }
}

ParamMap get_params(Reader& r) {
  ParamMap params;
  for (size_t n = r.count<ParamMap::value_type>(); n > 0; --n) {
    std::string name = r.text();
    params.insert_or_assign(std::move(name), get_value(r));
  }
  return params;
}

void put_optional(Writer& w, const std::optional<std::string>& text) {
  w.boolean(text.has_value());
  if (text) w.text(*text);
}

std::optional<std::string> get_optional(Reader& r) {
  if (!r.boolean()) return std::nullopt;
  return r.text();
}

void put_optional(Writer& w, const std::optional<ParamValue>& value) {
  w.boolean(value.has_value());
  if (value) put(w, *value);
}

std::optional<ParamValue> get_optional_value(Reader& r) {
  if (!r.boolean()) return std::nullopt;
  return get_value(r);
}

void put(Writer& w, const std::vector<LogLine>& logs) {
  w.u64(logs.size());
  for (const auto& line : logs) {
    w.i64(line.level);
    w.text(line.message);
  }
}

std::vector<LogLine> get_logs(Reader& r) {
  std::vector<LogLine> logs(r.count<LogLine>());
  for (auto& line : logs) {
    line.level = r.i32();
    line.message = r.text();
  }
  return logs;
}

void put(Writer& w, const std::vector<http::Exchange>& exchanges) {
  w.u64(exchanges.size());
  for (const auto& exchange : exchanges) {
    w.text(exchange.method);
    w.text(exchange.url);
    put_optional(w, exchange.error);
    w.i64(exchange.status);
    w.u64(exchange.headers.size());
    for (const auto& [name, value] : exchange.headers) {
      w.text(name);
      w.text(value);
    }
    w.text(exchange.body);
  }
}

std::vector<http::Exchange> get_exchanges(Reader& r) {
  std::vector<http::Exchange> exchanges(r.count<http::Exchange>());
  for (auto& exchange : exchanges) {
    exchange.method = r.text();
    exchange.url = r.text();
    exchange.error = get_optional(r);
    exchange.status = r.i32();
    exchange.headers.resize(r.count<http::Headers::value_type>());
    for (auto& [name, value] : exchange.headers) {
      name = r.text();
      value = r.text();
    }
    exchange.body = r.text();
  }
  return exchanges;
}

void put(Writer& w, const std::vector<ParamDeclaration>& params) {
  w.u64(params.size());
  for (const auto& p : params) {
    w.text(p.name);
    w.i64(p.type);
    put_optional(w, p.default_value);
    w.boolean(p.required);
    w.text(p.doc);
    put_optional(w, p.bounds.min);
    put_optional(w, p.bounds.max);
    w.boolean(p.bounds.min_exclusive);
    w.boolean(p.bounds.max_exclusive);
  }
}

std::vector<ParamDeclaration> get_param_declarations(Reader& r) {
  std::vector<ParamDeclaration> params(r.count<ParamDeclaration>());
  for (auto& p : params) {
    p.name = r.text();
    p.type = r.i32();
    p.default_value = get_optional(r);
    p.required = r.boolean();
    p.doc = r.text();
    p.bounds.min = get_optional_value(r);
    p.bounds.max = get_optional_value(r);
    p.bounds.min_exclusive = r.boolean();
    p.bounds.max_exclusive = r.boolean();
  }
  return params;
}

void put(Writer& w, const PackDeclaration& pack) {
  w.text(pack.name);
  w.text(pack.version);
  w.text(pack.description);
  w.u64(pack.abi_major);
  w.u64(pack.abi_minor);
  put(w, pack.params);
  w.u64(pack.checks.size());
  for (const auto& check : pack.checks) {
    w.text(check.name);
    w.text(check.description);
    w.i64(check.default_severity);
    w.i64(check.default_interval.count());
    w.i64(check.default_grace.count());
    put(w, check.params);
  }
}

PackDeclaration get_declaration(Reader& r) {
  PackDeclaration pack;
  pack.name = r.text();
  pack.version = r.text();
  pack.description = r.text();
  const uint32_t major = r.u32();
  const uint32_t minor = r.u32();
  if (major > UINT16_MAX || minor > UINT16_MAX) throw ProtocolError("an ABI version past 16 bits");
  pack.abi_major = static_cast<uint16_t>(major);
  pack.abi_minor = static_cast<uint16_t>(minor);
  pack.params = get_param_declarations(r);
  pack.checks.resize(r.count<CheckDeclaration>());
  for (auto& check : pack.checks) {
    check.name = r.text();
    check.description = r.text();
    check.default_severity = r.i32();
    check.default_interval = milliseconds(r.i64());
    check.default_grace = milliseconds(r.i64());
    check.params = get_param_declarations(r);
  }
  return pack;
}

// Facts of a whole run share one table of keys, written first.
class FactKeys {
 public:
  explicit FactKeys(const plugins::RunResult& result) {
    for (const auto& fact : result.facts) add(fact.key);
    for (const auto& violation : result.violations) {
      for (const auto& fact : violation.facts) add(fact.key);
    }
  }
  void write_table(Writer& w) const {
    w.u64(keys_.size());
    for (const auto* key : keys_) w.text(*key);
  }
  void write(Writer& w, const std::vector<plugins::Fact>& facts) const {
    w.u64(facts.size());
    for (const auto& fact : facts) {
      w.u64(uint64_t{index_.find(fact.key)->second} << 1 | (fact.is_number ? 1 : 0));
      w.text(fact.value);
    }
  }

 private:
  void add(const std::string& key) {
    if (index_.emplace(key, keys_.size()).second) keys_.push_back(&key);
  }
  std::map<std::string_view, size_t> index_;
  std::vector<const std::string*> keys_;
};

std::vector<plugins::Fact> get_facts(Reader& r, const std::vector<std::string>& keys) {
  std::vector<plugins::Fact> facts(r.count<plugins::Fact>());
  for (auto& fact : facts) {
    const uint64_t tag = r.u64();
    if ((tag >> 1) >= keys.size()) throw ProtocolError("a fact naming a key not in the table");
    fact.key = keys[tag >> 1];
    fact.is_number = (tag & 1) != 0;
    fact.value = r.text();
  }
  return facts;
}

template <typename T, typename Fn>
T decode_whole(std::string_view payload, Fn read) {
  Reader r(payload);
  T message = read(r);
  r.finish();
  return message;
}

}  // namespace

std::string encode(const LoadRequest& message) {
  Writer w;
  w.text(message.file);
  return w.take();
}

std::string encode(const LoadReply& message) {
  Writer w;
  w.text(message.error);
  w.boolean(message.declaration.has_value());
  if (message.declaration) put(w, *message.declaration);
  return w.take();
}

std::string encode(const CreateRequest& message) {
  Writer w;
  w.text(message.target);
  put(w, message.params);
  return w.take();
}

std::string encode(const CreateReply& message) {
  Writer w;
  w.boolean(message.ok);
  w.text(message.error);
  put_optional(w, message.param);
  put(w, message.logs);
  return w.take();
}

std::string encode(const RunRequest& message) {
  Writer w;
  w.u64(message.check_index);
  w.i64(message.timeout_ms);
  put(w, message.params);
  w.boolean(message.record);
  return w.take();
}

std::string encode(const RunReply& message) {
  const plugins::RunResult& result = message.result;
  Writer w;
  w.boolean(result.ok);
  w.text(result.error);
  w.text(result.cause);
  w.i64(result.duration.count());
  const FactKeys keys(result);
  keys.write_table(w);
  keys.write(w, result.facts);
  w.u64(result.violations.size());
  for (const auto& v : result.violations) {
    w.text(v.subject);
    w.text(v.message);
    w.i64(v.severity);
    keys.write(w, v.facts);
  }
  w.u64(result.unknown.size());
  for (const auto& u : result.unknown) {
    w.text(u.subject);
    w.text(u.reason);
  }
  put(w, message.logs);
  put(w, message.exchanges);
  w.text(message.exchanges_dropped);
  return w.take();
}

std::string encode(const DestroyReply& message) {
  Writer w;
  put(w, message.logs);
  return w.take();
}

LoadRequest decode_load_request(std::string_view payload) {
  return decode_whole<LoadRequest>(payload, [](Reader& r) { return LoadRequest{r.text()}; });
}

LoadReply decode_load_reply(std::string_view payload) {
  return decode_whole<LoadReply>(payload, [](Reader& r) {
    LoadReply reply;
    reply.error = r.text();
    if (r.boolean()) reply.declaration = get_declaration(r);
    if (reply.error.empty() == !reply.declaration) {
      throw ProtocolError("a load reply with both or neither of an error and a declaration");
    }
    return reply;
  });
}

CreateRequest decode_create_request(std::string_view payload) {
  return decode_whole<CreateRequest>(payload, [](Reader& r) {
    CreateRequest request;
    request.target = r.text();
    request.params = get_params(r);
    return request;
  });
}

CreateReply decode_create_reply(std::string_view payload) {
  return decode_whole<CreateReply>(payload, [](Reader& r) {
    CreateReply reply;
    reply.ok = r.boolean();
    reply.error = r.text();
    reply.param = get_optional(r);
    reply.logs = get_logs(r);
    return reply;
  });
}

RunRequest decode_run_request(std::string_view payload) {
  return decode_whole<RunRequest>(payload, [](Reader& r) {
    RunRequest request;
    request.check_index = r.u32();
    request.timeout_ms = r.i64();
    request.params = get_params(r);
    request.record = r.boolean();
    return request;
  });
}

RunReply decode_run_reply(std::string_view payload) {
  return decode_whole<RunReply>(payload, [](Reader& r) {
    RunReply reply;
    plugins::RunResult& result = reply.result;
    result.ok = r.boolean();
    result.error = r.text();
    result.cause = r.text();
    result.duration = milliseconds(r.i64());
    std::vector<std::string> keys(r.count<std::string>());
    for (auto& key : keys) key = r.text();
    result.facts = get_facts(r, keys);
    result.violations.resize(r.count<plugins::ReportedViolation>());
    for (auto& v : result.violations) {
      v.subject = r.text();
      v.message = r.text();
      v.severity = r.i32();
      v.facts = get_facts(r, keys);
    }
    result.unknown.resize(r.count<plugins::UnknownSubject>());
    for (auto& u : result.unknown) {
      u.subject = r.text();
      u.reason = r.text();
    }
    reply.logs = get_logs(r);
    reply.exchanges = get_exchanges(r);
    reply.exchanges_dropped = r.text();
    return reply;
  });
}

DestroyReply decode_destroy_reply(std::string_view payload) {
  return decode_whole<DestroyReply>(payload, [](Reader& r) { return DestroyReply{get_logs(r)}; });
}

}  // namespace opr::isolation
