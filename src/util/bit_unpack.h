// Unpacking of little-endian bit-packed integers (the bit order of Parquet's RLE /
// bit-packed hybrid and DELTA_BINARY_PACKED): value i occupies bits [i*w, (i+1)*w) of the
// input, least significant bit first.
#pragma once

#include <cstddef>
#include <cstdint>

namespace parkett::util {

/// Bits needed to hold every value up to `max_value` (0 for 0).
inline int bit_width_of(uint64_t max_value) { return max_value == 0 ? 0 : 64 - __builtin_clzll(max_value); }

/// Bytes needed for `count` values of `bit_width` bits.
inline size_t bit_packed_bytes(size_t count, int bit_width) {
  return (count * static_cast<size_t>(bit_width) + 7) / 8;
}

/// Unpacks `count` values of `bit_width` (0..32) bits from `in` (at least
/// bit_packed_bytes(count, bit_width) bytes; never reads beyond them) into `out`.
void unpack32(const uint8_t* in, size_t in_size, uint32_t* out, size_t count, int bit_width);
/// The same for 0..64 bits into 64-bit values.
void unpack64(const uint8_t* in, size_t in_size, uint64_t* out, size_t count, int bit_width);

}  // namespace parkett::util
