// LZO1X decompression (the format of LZO1X-1 .. LZO1X-999 streams), written for parkett:
// every read and write is bounds-checked, so hostile input cannot overrun either buffer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace parkett::codec {

/// Decompresses one LZO1X stream (ending with its end-of-stream marker) into `out`.
/// Returns the number of bytes written; throws Error(Corrupt) for malformed input, for
/// output that would not fit `out`, and for bytes left after the end marker.
size_t lzo1x_decompress(std::span<const uint8_t> in, std::span<uint8_t> out);

/// Appends one LZO1X stream holding `in` (lzo1x_compress.cc).
void lzo1x_compress(std::span<const uint8_t> in, std::vector<uint8_t>& out);

}  // namespace parkett::codec
