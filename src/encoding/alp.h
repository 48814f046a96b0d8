// ALP, "adaptive lossless floating-point" encoding (AlpEncoding.md): FLOAT and DOUBLE values
// as decimal integers (value = enc * 10^f * 10^-e) in frame-of-reference bit-packed vectors,
// with the values that do not round-trip stored raw as exceptions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "encoding/plain.h"

namespace parkett::encoding {

/// Appends the `n` values of an ALP page section to `out` (width 4: FLOAT, 8: DOUBLE).
/// Throws Error(Corrupt) naming the vector on malformed input.
void decode_alp(std::span<const uint8_t> in, size_t n, ValueBuffer& out);

/// ALP-encodes `values` (vectors of 2^log_vector_size values) and appends the section.
void encode_alp(std::span<const float> values, std::vector<uint8_t>& out, int log_vector_size = 10);
void encode_alp(std::span<const double> values, std::vector<uint8_t>& out, int log_vector_size = 10);

}  // namespace parkett::encoding
