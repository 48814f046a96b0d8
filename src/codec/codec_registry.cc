#include "codec/basic_codecs.h"
#include "parkett/error.h"

#include <lz4.h>
#include <snappy.h>
#include <zstd.h>

#include <cstdint>

namespace parkett::codec {

size_t Codec::max_decompressed_size(std::span<const uint8_t>) const { return SIZE_MAX; }

namespace {

size_t times_plus(size_t n, size_t ratio, size_t extra) {
  return n > (SIZE_MAX - extra) / ratio ? SIZE_MAX : n * ratio + extra;
}

}  // namespace

size_t UncompressedCodec::max_decompressed_size(std::span<const uint8_t> in) const {
  return in.size();
}

size_t SnappyCodec::max_decompressed_size(std::span<const uint8_t> in) const {
  size_t n = 0;
  if (!snappy::GetUncompressedLength(reinterpret_cast<const char*>(in.data()), in.size(), &n)) return 0;
  return n;
}

// Deflate's longest match is 258 bytes for a 1-bit code pair: at most ~1032 bytes per byte.
size_t GzipCodec::max_decompressed_size(std::span<const uint8_t> in) const {
  return times_plus(in.size(), 1032, 1024);
}

// An LZ4 sequence of n bytes expands to at most 255 * n bytes (LZ4 block format).
size_t Lz4RawCodec::max_decompressed_size(std::span<const uint8_t> in) const {
  return times_plus(in.size(), 255, 64);
}

// A single frame that states its content size bounds the output exactly; several frames, or
// a frame without the size, are not bounded here.
size_t ZstdCodec::max_decompressed_size(std::span<const uint8_t> in) const {
  size_t frame = ZSTD_findFrameCompressedSize(in.data(), in.size());
  if (ZSTD_isError(frame) || frame != in.size()) return SIZE_MAX;
  unsigned long long n = ZSTD_getFrameContentSize(in.data(), in.size());
  if (n == ZSTD_CONTENTSIZE_ERROR || n == ZSTD_CONTENTSIZE_UNKNOWN) return SIZE_MAX;
  return static_cast<size_t>(n);
}

const Codec& codec_for(Compression c) {
  static const UncompressedCodec uncompressed;
  static const SnappyCodec snappy;
  static const GzipCodec gzip;
  static const LzoCodec lzo;
  static const BrotliCodec brotli;
  static const Lz4HadoopCodec lz4;
  static const ZstdCodec zstd;
  static const Lz4RawCodec lz4_raw;
  switch (c) {
    case Compression::Uncompressed: return uncompressed;
    case Compression::Snappy: return snappy;
    case Compression::Gzip: return gzip;
    case Compression::Lzo: return lzo;
    case Compression::Brotli: return brotli;
    case Compression::Lz4: return lz4;
    case Compression::Zstd: return zstd;
    case Compression::Lz4Raw: return lz4_raw;
  }
  throw Error(ErrorKind::Unsupported, "compression codec " + to_string(c) + " is not known");
}

}  // namespace parkett::codec
