// The delta encodings (Encodings.md): DELTA_BINARY_PACKED for integers, and the two byte
// array encodings built on it, DELTA_LENGTH_BYTE_ARRAY and DELTA_BYTE_ARRAY.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "encoding/plain.h"

namespace parkett::encoding {

/// Decodes the first `n` values of a DELTA_BINARY_PACKED stream as 64-bit integers
/// (wrapping arithmetic; callers of INT32 columns keep the low 32 bits). Returns the bytes
/// the stream occupies, up to the end of the last miniblock holding one of its values.
/// `n` must not exceed the stream's value count.
size_t decode_delta_binary_packed(std::span<const uint8_t> in, size_t n, std::vector<uint64_t>& out);

/// Appends `n` DELTA_BINARY_PACKED values of `width` bytes (4 or 8) to `out.fixed`.
size_t decode_delta_integers(std::span<const uint8_t> in, size_t n, ValueBuffer& out);

/// Appends `n` DELTA_LENGTH_BYTE_ARRAY values to `out`.
size_t decode_delta_length_byte_array(std::span<const uint8_t> in, size_t n, ValueBuffer& out);

/// Appends `n` DELTA_BYTE_ARRAY values to `out` (fixed-width outputs check each length).
size_t decode_delta_byte_array(std::span<const uint8_t> in, size_t n, ValueBuffer& out);

}  // namespace parkett::encoding
