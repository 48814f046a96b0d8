// PLAIN decoding (Encodings.md "Plain"): fixed-width little-endian values, bit-packed
// booleans, and length-prefixed byte arrays.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "table/growable_buffer.h"

namespace parkett::encoding {

/// Dense values of one physical type while a column chunk is decoded: fixed-width values
/// (booleans as one byte each) in `fixed`, byte arrays as `offsets` (count + 1 entries)
/// into `data`.
struct ValueBuffer {
  size_t width = 0;  // bytes per fixed-width value; 0 for byte arrays
  size_t count = 0;
  table::GrowableBuffer fixed;
  std::vector<int64_t> offsets{0};
  table::GrowableBuffer data;
  // Byte arrays used as a dictionary: the longest entry (SIZE_MAX until measured).
  size_t max_length = SIZE_MAX;

  bool is_binary() const { return width == 0; }
  void clear() {
    count = 0;
    fixed.clear();
    offsets.assign(1, 0);
    data.clear();
  }
};

/// Appends `n` PLAIN values from `in` to `out`; returns the bytes consumed. Throws
/// Error(Corrupt) if `in` holds fewer than `n` values.
size_t decode_plain(std::span<const uint8_t> in, size_t n, bool boolean, ValueBuffer& out);

}  // namespace parkett::encoding
