// The codecs that wrap one library call each (basic_codecs.cc).
#pragma once

#include "codec/codec.h"

namespace parkett::codec {

#define PARKETT_CODEC(Name, Id, ...)                                                      \
  class Name final : public Codec {                                                      \
   public:                                                                               \
    Compression id() const override { return Compression::Id; }                          \
    void decompress(std::span<const uint8_t> in, std::span<uint8_t> out) const override; \
    void compress(std::span<const uint8_t> in, int level, std::vector<uint8_t>& out) const override; \
    __VA_ARGS__                                                                          \
  };
#define PARKETT_BOUNDED size_t max_decompressed_size(std::span<const uint8_t> in) const override;

PARKETT_CODEC(UncompressedCodec, Uncompressed, PARKETT_BOUNDED)
PARKETT_CODEC(SnappyCodec, Snappy, PARKETT_BOUNDED)
PARKETT_CODEC(GzipCodec, Gzip, PARKETT_BOUNDED)
PARKETT_CODEC(BrotliCodec, Brotli)
PARKETT_CODEC(ZstdCodec, Zstd, PARKETT_BOUNDED)
PARKETT_CODEC(Lz4RawCodec, Lz4Raw, PARKETT_BOUNDED)
PARKETT_CODEC(Lz4HadoopCodec, Lz4)
PARKETT_CODEC(LzoCodec, Lzo)
#undef PARKETT_CODEC
#undef PARKETT_BOUNDED

/// One raw LZ4 block filling `out` exactly (LZ4_RAW, and the blocks of Hadoop LZ4).
void decompress_lz4_block(Compression id, std::span<const uint8_t> in, std::span<uint8_t> out);

}  // namespace parkett::codec
