// PD's store list as the host streams it: the same bytes parsed whole and
// fed in pieces split at points the input chooses must give the same list
// or the same error. Input: one byte k, then k bytes giving piece lengths
// (each byte + 1, used in turn until the body is fed), then the body.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pd_stores.h"

namespace {

using opr::tikv::PdStoreListParser;
using opr::tikv::ResponseError;
using opr::tikv::StoreList;

struct Outcome {
  std::optional<StoreList> list;
  std::string error;
};

bool same(const StoreList& a, const StoreList& b) {
  if (a.stores.size() != b.stores.size()) return false;
  for (size_t i = 0; i < a.stores.size(); ++i) {
    const auto& x = a.stores[i];
    const auto& y = b.stores[i];
    if (x.id != y.id || x.address != y.address || x.status_address != y.status_address ||
        x.state_name != y.state_name || x.version != y.version ||
        x.last_heartbeat_ns != y.last_heartbeat_ns || x.last_heartbeat_ts != y.last_heartbeat_ts ||
        x.capacity != y.capacity || x.available != y.available || x.used_size != y.used_size) {
      return false;
    }
  }
  return true;
}

Outcome whole(PdStoreListParser& parser, std::string_view body) {
  Outcome outcome;
  try {
    outcome.list = opr::tikv::parse_pd_stores(parser, body);
  } catch (const ResponseError& e) {
    outcome.error = e.what();
  }
  return outcome;
}

Outcome in_pieces(PdStoreListParser& parser, std::string_view body,
                  const std::vector<size_t>& lengths) {
  Outcome outcome;
  try {
    size_t at = 0;
    for (size_t turn = 0; at < body.size(); ++turn) {
      const size_t length = lengths.empty() ? body.size() : lengths[turn % lengths.size()];
      const size_t n = std::min(length, body.size() - at);
      // Each piece in a buffer of its own, as the host hands them over:
      // nothing readable after its end.
      const std::vector<char> piece(body.begin() + at, body.begin() + at + n);
      parser.feed(std::string_view(piece.data(), piece.size()));
      at += n;
    }
    outcome.list = parser.finish();
  } catch (const ResponseError& e) {
    parser.reset();
    outcome.error = e.what();
  }
  return outcome;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const size_t k = std::min<size_t>(data[0], size - 1);
  std::vector<size_t> lengths;
  for (size_t i = 0; i < k; ++i) lengths.push_back(size_t{data[1 + i]} + 1);
  const std::string_view body(reinterpret_cast<const char*>(data) + 1 + k, size - 1 - k);

  // One parser for both, as the pack reuses its parser from run to run.
  static PdStoreListParser* parser = new PdStoreListParser();
  const Outcome a = whole(*parser, body);
  const Outcome b = in_pieces(*parser, body, lengths);
  const bool agree = a.list.has_value() == b.list.has_value() &&
                     (!a.list || same(*a.list, *b.list)) && a.error == b.error;
  if (!agree) {
    std::fprintf(stderr, "whole: %s (%zu stores)\nin pieces: %s (%zu stores)\n", a.error.c_str(),
                 a.list ? a.list->stores.size() : 0, b.error.c_str(),
                 b.list ? b.list->stores.size() : 0);
    std::abort();
  }
  if (!a.list && a.error.empty()) std::abort();
  // PD's error bodies are read on their own too.
  (void)opr::tikv::pd_error_text(body);
  return 0;
}
