#include "json_value_end.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace opr::tikv {
namespace {

// '[' and ']' are '{' and '}' with bit 0x20 clear; no other byte is.
bool is_structural(char c) { return c == '"' || (c | 0x20) == '{' || (c | 0x20) == '}'; }
bool is_string_special(char c) { return c == '"' || c == '\\'; }

// The next '"', '{', '}', '[' or ']' at or after p, or end. Most of a PD
// body is indentation, keys and numbers: skip it 16 bytes at a time.
const char* find_structural(const char* p, const char* end) {
#ifdef __SSE2__
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i open = _mm_set1_epi8('{');
  const __m128i close = _mm_set1_epi8('}');
  const __m128i bit5 = _mm_set1_epi8(0x20);
  for (; end - p >= 16; p += 16) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i folded = _mm_or_si128(bytes, bit5);
    const __m128i hits =
        _mm_or_si128(_mm_cmpeq_epi8(bytes, quote),
                     _mm_or_si128(_mm_cmpeq_epi8(folded, open), _mm_cmpeq_epi8(folded, close)));
    const int mask = _mm_movemask_epi8(hits);
    if (mask != 0) return p + __builtin_ctz(static_cast<unsigned>(mask));
  }
#endif
  while (p < end && !is_structural(*p)) ++p;
  return p;
}

// The next '"' or '\\' at or after p, or end.
const char* find_string_special(const char* p, const char* end) {
#ifdef __SSE2__
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  for (; end - p >= 16; p += 16) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i hits =
        _mm_or_si128(_mm_cmpeq_epi8(bytes, quote), _mm_cmpeq_epi8(bytes, backslash));
    const int mask = _mm_movemask_epi8(hits);
    if (mask != 0) return p + __builtin_ctz(static_cast<unsigned>(mask));
  }
#endif
  while (p < end && !is_string_special(*p)) ++p;
  return p;
}

}  // namespace

const char* JsonValueEnd::scan(const char* p, const char* end) {
  while (p < end) {
    if (in_string_) {
      if (escaped_) {
        escaped_ = false;
        ++p;
        continue;
      }
      p = find_string_special(p, end);
      if (p == end) return nullptr;
      if (*p++ == '\\') {
        escaped_ = true;
        continue;
      }
      in_string_ = false;
      if (depth_ == 0) return p;
    } else {
      p = find_structural(p, end);
      if (p == end) return nullptr;
      const char c = *p++;
      if (c == '"') {
        in_string_ = true;
      } else if ((c | 0x20) == '{') {
        ++depth_;
      } else if (--depth_ == 0) {
        return p;
      }
    }
  }
  return nullptr;
}

}  // namespace opr::tikv
