// Compression codecs (see README.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

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
};

/// The codec for `c`. Throws Error(Unsupported) for codec ids this version does not know.
const Codec& codec_for(Compression c);

}  // namespace parkett::codec
