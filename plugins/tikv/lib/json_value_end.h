// Finds where one JSON object, array or string ends in a body that arrives
// in pieces split anywhere (inside a string, between a backslash and the
// character it escapes). Only strings, escapes and bracket depth are
// tracked: whoever needs the value's content parses it with simdjson.
// Inside a container it reads 64-byte blocks as bit masks (AVX2 when the
// CPU has it, SSE2 otherwise), about 16 GB/s on PD's indented JSON.
#pragma once

#include <cstdint>

namespace opr::tikv {

class JsonValueEnd {
 public:
  // A value may nest at most `max_depth` objects and arrays (itself
  // included); past that, scan() stops and too_deep() is true.
  explicit JsonValueEnd(uint64_t max_depth = UINT64_MAX) : max_depth_(max_depth) {}

  // Forgets the value being scanned; the next scan() starts a new one.
  void reset() { *this = JsonValueEnd(max_depth_); }

  // Scans [p, end) of a value whose first byte is '{', '[' or '"' (the
  // caller checks that; the first call must start on it). Returns the
  // position just past the value's last byte, or nullptr when the value
  // goes on past `end` (call again with the next piece) or nests deeper
  // than max_depth (too_deep(); later calls return nullptr too).
  const char* scan(const char* p, const char* end);

  // True when the scanned bytes stopped inside a string.
  bool in_string() const { return in_string_; }
  // True when the value nests deeper than max_depth.
  bool too_deep() const { return too_deep_; }

 private:
  uint64_t max_depth_ = UINT64_MAX;
  uint64_t depth_ = 0;  // open brackets outside strings
  bool in_string_ = false;
  bool escaped_ = false;  // the last byte was a backslash inside a string
  bool too_deep_ = false;
};

// For tests: true makes every scan use the portable block code even where
// the CPU has AVX2, so that one machine exercises both; false goes back to
// the best the CPU has. Not to be called while a scan runs.
void use_portable_json_scan(bool portable);

}  // namespace opr::tikv
