#include "codec/basic_codecs.h"
#include "parkett/error.h"

namespace parkett::codec {

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
