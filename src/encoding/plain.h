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

/// PLAIN byte arrays decoded where they lie: the `size` bytes at `offset` in `page` hold `n`
/// values, which are moved over their length prefixes, and `page` becomes `out.data` (which
/// must hold no values yet). Saves a copy of a large dictionary page. Returns the bytes
/// consumed; throws Error(Corrupt) as decode_plain does.
size_t decode_plain_in_place(table::GrowableBuffer page, size_t offset, size_t size, size_t n, ValueBuffer& out);

}  // namespace parkett::encoding
