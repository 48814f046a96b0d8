// Value encoders of the writer (Encodings.md): each appends the encoded form of dense,
// non-null values to a byte vector. Fixed-width values come as raw little-endian bytes
// (`width` bytes each; booleans one byte each, 0 or 1), byte arrays as ByteArrays.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "encoding/value_buffer.h"

namespace parkett::encoding {

void encode_plain_fixed(const uint8_t* values, size_t n, size_t width, std::vector<uint8_t>& out);
/// PLAIN booleans: bit-packed, least significant bit first.
void encode_plain_booleans(const uint8_t* values, size_t n, std::vector<uint8_t>& out);
/// PLAIN byte arrays: a 4-byte little-endian length before each value.
void encode_plain_binary(const ByteArrays& values, std::vector<uint8_t>& out);

/// RLE booleans (data pages): a 4-byte length, then the hybrid encoding with bit width 1.
void encode_rle_booleans(const uint8_t* values, size_t n, std::vector<uint8_t>& out);

/// DELTA_BINARY_PACKED of INT32 (width 4) or INT64 (width 8) values, with deltas wrapping
/// in the values' own width so that INT32 miniblocks never need more than 32 bits.
void encode_delta_binary_packed(const uint8_t* values, size_t n, size_t width, std::vector<uint8_t>& out);
void encode_delta_length_byte_array(const ByteArrays& values, std::vector<uint8_t>& out);
/// DELTA_BYTE_ARRAY (incremental encoding): prefix lengths shared with the previous value,
/// then the suffixes as DELTA_LENGTH_BYTE_ARRAY.
void encode_delta_byte_array(const ByteArrays& values, std::vector<uint8_t>& out);

void encode_byte_stream_split(const uint8_t* values, size_t n, size_t width, std::vector<uint8_t>& out);

}  // namespace parkett::encoding
