// PLAIN decoding (Encodings.md "Plain"): fixed-width little-endian values, bit-packed
// booleans, and length-prefixed byte arrays.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "encoding/value_buffer.h"

namespace parkett::encoding {

/// Appends `n` PLAIN values from `in` to `out`; returns the bytes consumed. Throws
/// Error(Corrupt) if `in` holds fewer than `n` values.
size_t decode_plain(std::span<const uint8_t> in, size_t n, bool boolean, ValueBuffer& out);

}  // namespace parkett::encoding
