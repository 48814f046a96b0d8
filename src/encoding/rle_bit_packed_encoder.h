// Encoding side of the RLE / bit-packed hybrid (Encodings.md): runs of eight or more equal
// values become RLE runs, everything else bit-packed groups of eight.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace parkett::encoding {

/// Appends `values` (each < 2^bit_width, bit_width 0..32) in the hybrid encoding to `out`,
/// without a length prefix.
void encode_rle_bit_packed(std::span<const uint32_t> values, int bit_width, std::vector<uint8_t>& out);

/// The same for levels held as int16.
void encode_rle_bit_packed(std::span<const int16_t> values, int bit_width, std::vector<uint8_t>& out);

/// Appends `v` as an unsigned LEB128 varint (run headers here, the delta encodings' headers).
void put_varint(uint64_t v, std::vector<uint8_t>& out);

}  // namespace parkett::encoding
