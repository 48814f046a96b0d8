// Hadoop's block framing, used by parquet-java's LZ4 and LZO codecs: a sequence of blocks,
// each a big-endian u32 decompressed size, a big-endian u32 compressed size, then that many
// compressed bytes.
#pragma once

#include <cstdint>
#include <functional>
#include <span>

namespace parkett::codec {

using BlockDecoder = std::function<void(std::span<const uint8_t> in, std::span<uint8_t> out)>;

/// Decodes `in` as Hadoop-framed blocks filling `out` exactly. Returns false, with `out`
/// in an unspecified state, when `in` is not such framing (sizes that do not add up, or a
/// block that does not decode); errors of the block decoder count as "not such framing".
bool try_decompress_hadoop(std::span<const uint8_t> in, std::span<uint8_t> out,
                           const BlockDecoder& block);

}  // namespace parkett::codec
