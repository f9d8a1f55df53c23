#include "json_value_end.h"

#include <algorithm>
#include <cstddef>
#include <cstring>

#ifdef __SSE2__
#include <emmintrin.h>
#endif
// x86-64 machines without AVX2 exist: an AVX2 build of the block loop is
// chosen at run time, next to the SSE2 one every x86-64 has.
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define OPR_JSON_AVX2 1
#endif

namespace opr::tikv {
namespace {

// Inside a container the body is read 64 bytes at a time, as bit masks (bit
// i for byte i), the way simdjson's first stage does: no branch per string.
constexpr size_t kBlock = 64;

struct BlockMasks {
  uint64_t quote = 0;
  uint64_t backslash = 0;
  uint64_t open = 0;   // '{' or '['
  uint64_t close = 0;  // '}' or ']'
};

// '[' and ']' are '{' and '}' with bit 0x20 clear; no other byte is.
// Backslashes are rare in PD's answers: their mask is only built when
// there is one.
inline BlockMasks classify(const char* block) {
  BlockMasks m;
#ifdef __SSE2__
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i open = _mm_set1_epi8('{');
  const __m128i close = _mm_set1_epi8('}');
  const __m128i bit5 = _mm_set1_epi8(0x20);
  __m128i bytes[4];
  __m128i any_backslash = _mm_setzero_si128();
  for (int i = 0; i < 4; ++i) {
    bytes[i] = _mm_loadu_si128(reinterpret_cast<const __m128i*>(block + 16 * i));
    const __m128i folded = _mm_or_si128(bytes[i], bit5);
    const auto bits = [&](__m128i hits) {
      return static_cast<uint64_t>(static_cast<uint16_t>(_mm_movemask_epi8(hits))) << (16 * i);
    };
    m.quote |= bits(_mm_cmpeq_epi8(bytes[i], quote));
    m.open |= bits(_mm_cmpeq_epi8(folded, open));
    m.close |= bits(_mm_cmpeq_epi8(folded, close));
    any_backslash = _mm_or_si128(any_backslash, _mm_cmpeq_epi8(bytes[i], backslash));
  }
  if (_mm_movemask_epi8(any_backslash) != 0) {
    for (int i = 0; i < 4; ++i) {
      const int bits = _mm_movemask_epi8(_mm_cmpeq_epi8(bytes[i], backslash));
      m.backslash |= static_cast<uint64_t>(static_cast<uint16_t>(bits)) << (16 * i);
    }
  }
#else
  for (size_t i = 0; i < kBlock; ++i) {
    const char c = block[i];
    const uint64_t bit = uint64_t{1} << i;
    if (c == '"') m.quote |= bit;
    if (c == '\\') m.backslash |= bit;
    if ((c | 0x20) == '{') m.open |= bit;
    if ((c | 0x20) == '}') m.close |= bit;
  }
#endif
  return m;
}

#ifdef OPR_JSON_AVX2
__attribute__((target("avx2"))) inline BlockMasks classify_avx2(const char* block) {
  const __m256i quote = _mm256_set1_epi8('"');
  const __m256i backslash = _mm256_set1_epi8('\\');
  const __m256i open = _mm256_set1_epi8('{');
  const __m256i close = _mm256_set1_epi8('}');
  const __m256i bit5 = _mm256_set1_epi8(0x20);
  const __m256i low = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(block));
  const __m256i high = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(block + 32));
  const __m256i low_folded = _mm256_or_si256(low, bit5);
  const __m256i high_folded = _mm256_or_si256(high, bit5);
  // Bit i of a mask for byte i; the high half's bits above the low half's.
  const auto mask = [](int low_bits, int high_bits) {
    return static_cast<uint64_t>(static_cast<uint32_t>(low_bits)) |
           static_cast<uint64_t>(static_cast<uint32_t>(high_bits)) << 32;
  };
  BlockMasks m;
  m.quote = mask(_mm256_movemask_epi8(_mm256_cmpeq_epi8(low, quote)),
                 _mm256_movemask_epi8(_mm256_cmpeq_epi8(high, quote)));
  m.open = mask(_mm256_movemask_epi8(_mm256_cmpeq_epi8(low_folded, open)),
                _mm256_movemask_epi8(_mm256_cmpeq_epi8(high_folded, open)));
  m.close = mask(_mm256_movemask_epi8(_mm256_cmpeq_epi8(low_folded, close)),
                 _mm256_movemask_epi8(_mm256_cmpeq_epi8(high_folded, close)));
  const __m256i low_backslash = _mm256_cmpeq_epi8(low, backslash);
  const __m256i high_backslash = _mm256_cmpeq_epi8(high, backslash);
  const __m256i any_backslash = _mm256_or_si256(low_backslash, high_backslash);
  if (!_mm256_testz_si256(any_backslash, any_backslash)) {
    m.backslash = mask(_mm256_movemask_epi8(low_backslash), _mm256_movemask_epi8(high_backslash));
  }
  return m;
}
#endif

// Bit i set when an odd number of bits at or below i are set.
inline uint64_t prefix_xor(uint64_t x) {
  x ^= x << 1;
  x ^= x << 2;
  x ^= x << 4;
  x ^= x << 8;
  x ^= x << 16;
  x ^= x << 32;
  return x;
}

#ifdef OPR_JSON_AVX2
// The same with one carry-less multiplication by all ones.
__attribute__((target("pclmul"))) inline uint64_t prefix_xor_clmul(uint64_t x) {
  const __m128i product = _mm_clmulepi64_si128(_mm_set_epi64x(0, static_cast<int64_t>(x)),
                                               _mm_set1_epi8(static_cast<char>(0xFF)), 0);
  return static_cast<uint64_t>(_mm_cvtsi128_si64(product));
}
#endif

// The bytes escaped by a backslash (simdjson's algorithm: a run of
// backslashes escapes the byte after it when its length is odd).
// `carry` in: the block's first byte is escaped; out: the next block's is.
inline uint64_t escaped_bytes(uint64_t backslash, uint64_t& carry) {
  constexpr uint64_t kEvenBits = 0x5555555555555555ULL;
  backslash &= ~carry;
  const uint64_t follows_escape = backslash << 1 | carry;
  const uint64_t odd_starts = backslash & ~kEvenBits & ~follows_escape;
  uint64_t even_starts_sum = 0;
  carry = __builtin_add_overflow(odd_starts, backslash, &even_starts_sum) ? 1 : 0;
  const uint64_t invert = even_starts_sum << 1;
  return (kEvenBits ^ invert) & follows_escape;
}

// What a scan carries from one block to the next.
struct ScanState {
  uint64_t depth = 0;
  uint64_t max_depth = UINT64_MAX;
  bool in_string = false;
  bool escaped = false;
  bool too_deep = false;  // out: the value nests deeper than max_depth
};

constexpr int kNoEnd = -1;
constexpr int kTooDeep = -2;

// The first bracket at which `depth` falls to 0, walking `opens` and
// `closes` in order; kNoEnd if none (then `depth` is where the block leaves
// it), kTooDeep when `depth` passes `max_depth` first.
inline int value_end_in_block(uint64_t opens, uint64_t closes, uint64_t& depth,
                              uint64_t max_depth) {
  for (uint64_t brackets = opens | closes; brackets != 0; brackets &= brackets - 1) {
    const int i = __builtin_ctzll(brackets);
    if ((opens >> i) & 1) {
      if (++depth > max_depth) return kTooDeep;
    } else if (--depth == 0) {
      return i;
    }
  }
  return kNoEnd;
}

// Scans by blocks from inside a container (depth >= 1) to its end. The
// state lives in locals: through a reference every block would wait on a
// store and a reload.
template <BlockMasks (*kClassify)(const char*), uint64_t (*kPrefixXor)(uint64_t)>
inline const char* scan_blocks(ScanState& state, const char* p, const char* end) {
  uint64_t depth = state.depth;
  const uint64_t max_depth = state.max_depth;
  uint64_t in_string_carry = state.in_string ? ~uint64_t{0} : 0;  // all ones inside a string
  uint64_t escape_carry = state.escaped ? 1 : 0;
  while (p < end) {
    const size_t n = std::min<size_t>(kBlock, static_cast<size_t>(end - p));
    BlockMasks m;
    if (n == kBlock) {
      m = kClassify(p);
    } else {
      char tail[kBlock];
      std::memset(tail, ' ', kBlock);  // spaces change nothing
      std::memcpy(tail, p, n);
      m = kClassify(tail);
    }
    uint64_t escaped = 0;
    if ((m.backslash | escape_carry) != 0) {
      escaped = escaped_bytes(m.backslash, escape_carry);
      // A short block ends in spaces: whether the next byte is escaped is
      // then the bit just past its end.
      if (n < kBlock) escape_carry = (escaped >> n) & 1;
    }
    // Bit i set for bytes from an opening quote up to its closing quote.
    const uint64_t in_string = kPrefixXor(m.quote & ~escaped) ^ in_string_carry;
    const uint64_t opens = m.open & ~in_string;
    const uint64_t closes = m.close & ~in_string;
    const auto close_count = static_cast<uint64_t>(__builtin_popcountll(closes));
    const auto open_count = static_cast<uint64_t>(__builtin_popcountll(opens));
    if (close_count >= depth || depth + open_count > max_depth) {
      // The value may end here, or nest too deep: walk its brackets in order.
      const int i = value_end_in_block(opens, closes, depth, max_depth);
      if (i == kTooDeep) {
        state.too_deep = true;
        return nullptr;
      }
      if (i >= 0) {
        state = ScanState{};
        return p + i + 1;
      }
    } else {
      depth += open_count - close_count;
    }
    in_string_carry = 0 - ((in_string >> (n - 1)) & 1);
    p += n;
  }
  state = ScanState{depth, max_depth, in_string_carry != 0, escape_carry != 0};
  return nullptr;
}

const char* scan_blocks_baseline(ScanState& s, const char* p, const char* end) {
  return scan_blocks<classify, prefix_xor>(s, p, end);
}

using ScanBlocks = const char* (*)(ScanState&, const char*, const char*);

#ifdef OPR_JSON_AVX2
__attribute__((target("avx2,popcnt,pclmul"), flatten)) const char* scan_blocks_avx2(
    ScanState& s, const char* p, const char* end) {
  return scan_blocks<classify_avx2, prefix_xor_clmul>(s, p, end);
}

ScanBlocks best_scan_blocks() {
  __builtin_cpu_init();  // may run before libgcc's own constructor has
  const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt") &&
                    __builtin_cpu_supports("pclmul");
  return avx2 ? scan_blocks_avx2 : scan_blocks_baseline;
}
#else
ScanBlocks best_scan_blocks() { return scan_blocks_baseline; }
#endif

ScanBlocks scan_blocks_here = best_scan_blocks();

}  // namespace

void use_portable_json_scan(bool portable) {
  scan_blocks_here = portable ? scan_blocks_baseline : best_scan_blocks();
}

const char* JsonValueEnd::scan(const char* p, const char* end) {
  if (too_deep_) return nullptr;
  // Until the first bracket (or through a string value) byte by byte:
  // that is one byte, or a string at the top of the document.
  while (depth_ == 0 && p < end) {
    const char c = *p++;
    if (!in_string_) {
      if (c == '"') {
        in_string_ = true;
      } else {
        depth_ = 1;  // '{' or '[': the caller checked
      }
    } else if (escaped_) {
      escaped_ = false;
    } else if (c == '\\') {
      escaped_ = true;
    } else if (c == '"') {
      in_string_ = false;
      return p;
    }
  }
  if (p == end) return nullptr;
  ScanState state{depth_, max_depth_, in_string_, escaped_};
  const char* value_end = scan_blocks_here(state, p, end);
  depth_ = state.depth;
  in_string_ = state.in_string;
  escaped_ = state.escaped;
  too_deep_ = state.too_deep;
  return value_end;
}

}  // namespace opr::tikv
