// Portable unpacking: each value is read with one unaligned 8-byte load while the input has
// 8 bytes left at its position, and byte by byte after that. Widths are compile-time
// constants inside the loops (one instantiation per width), so the shifts and masks fold.
#include "util/bit_unpack.h"

#include <cstring>
#include <utility>

namespace parkett::util {
namespace {

inline uint64_t load64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

// Value `i` when fewer than 8 (or 16) bytes remain: assemble from single bytes.
inline uint64_t value_at_tail(const uint8_t* in, size_t in_size, size_t bit, int w) {
  uint64_t v = 0;
  size_t first = bit / 8;
  int shift = static_cast<int>(bit % 8);
  int needed = (shift + w + 7) / 8;
  for (int k = 0; k < needed && first + static_cast<size_t>(k) < in_size; ++k) {
    uint64_t byte = in[first + static_cast<size_t>(k)];
    int pos = k * 8 - shift;
    if (pos >= 0) {
      if (pos < 64) v |= byte << pos;
    } else {
      v |= byte >> -pos;
    }
  }
  return w == 64 ? v : v & ((uint64_t{1} << w) - 1);
}

template <int W, class Out>
void unpack_fixed(const uint8_t* in, size_t in_size, Out* out, size_t count) {
  if constexpr (W == 0) {
    for (size_t i = 0; i < count; ++i) out[i] = 0;
  } else {
    constexpr uint64_t kMask = W == 64 ? ~uint64_t{0} : (uint64_t{1} << W) - 1;
    size_t i = 0;
    // Fast part: widths up to 56 bits fit one 8-byte load at any bit offset.
    if constexpr (W <= 56) {
      size_t fast = in_size >= 8 ? ((in_size - 8) * 8) / W + 1 : 0;  // values whose load fits
      if (fast > count) fast = count;
      for (; i < fast; ++i) {
        size_t bit = i * W;
        out[i] = static_cast<Out>((load64(in + bit / 8) >> (bit % 8)) & kMask);
      }
    }
    for (; i < count; ++i) out[i] = static_cast<Out>(value_at_tail(in, in_size, i * W, W));
  }
}

template <class Out, size_t... Ws>
void dispatch(const uint8_t* in, size_t in_size, Out* out, size_t count, int w,
              std::index_sequence<Ws...>) {
  using Fn = void (*)(const uint8_t*, size_t, Out*, size_t);
  static constexpr Fn kTable[] = {&unpack_fixed<static_cast<int>(Ws), Out>...};
  kTable[w](in, in_size, out, count);
}

}  // namespace

void unpack32(const uint8_t* in, size_t in_size, uint32_t* out, size_t count, int bit_width) {
  dispatch(in, in_size, out, count, bit_width, std::make_index_sequence<33>{});
}

void unpack64(const uint8_t* in, size_t in_size, uint64_t* out, size_t count, int bit_width) {
  dispatch(in, in_size, out, count, bit_width, std::make_index_sequence<65>{});
}

}  // namespace parkett::util
