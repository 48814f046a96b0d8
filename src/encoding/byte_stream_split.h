// BYTE_STREAM_SPLIT (Encodings.md): the k-th bytes of all values stored together.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "encoding/plain.h"

namespace parkett::encoding {

/// Appends `n` values of `out.width` bytes. The page must hold exactly n * width bytes.
void decode_byte_stream_split(std::span<const uint8_t> in, size_t n, ValueBuffer& out);

}  // namespace parkett::encoding
