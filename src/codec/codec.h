// Compression codecs (see README.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "parkett/types.h"

namespace parkett::codec {

class Codec {
 public:
  virtual ~Codec() = default;
  virtual Compression id() const = 0;
  /// Decompresses `in` into exactly `out.size()` bytes. Throws Error(Corrupt) when the input
  /// is malformed or holds another amount of data.
  virtual void decompress(std::span<const uint8_t> in, std::span<uint8_t> out) const = 0;
  /// The most bytes `in` can decompress to, known without decompressing (the format's
  /// maximum ratio, or a size the stream states); SIZE_MAX when the codec has no bound. Lets
  /// the page reader refuse a corrupt header before allocating what it claims.
  virtual size_t max_decompressed_size(std::span<const uint8_t> in) const;
  /// Appends the compressed form of `in` to `out`. `level` is the codec's own scale
  /// (ignored by codecs without levels); check it first with check_level.
  virtual void compress(std::span<const uint8_t> in, int level, std::vector<uint8_t>& out) const = 0;
};

/// The level `c` uses when none is given (ZSTD 3, GZIP 6, BROTLI 1; 0 for the others).
int default_level(Compression c);
/// Throws Error(InvalidArgument) unless `level` is valid for `c` (ZSTD 1..22, GZIP 1..12,
/// BROTLI 0..11); codecs without levels accept none other than their default.
void check_level(Compression c, int level);

/// The codec for `c`. Throws Error(Unsupported) for codec ids this version does not know.
const Codec& codec_for(Compression c);

}  // namespace parkett::codec
