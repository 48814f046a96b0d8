// LZO as parquet-java writes it (hadoop-lzo's LzoCodec): LZO1X blocks in Hadoop framing.
// A page that is not such framing is tried as one bare LZO1X stream.
#include "codec/basic_codecs.h"
#include "codec/codec_error.h"
#include "codec/hadoop_framing.h"
#include "codec/lzo1x.h"

namespace parkett::codec {

void LzoCodec::decompress(std::span<const uint8_t> in, std::span<uint8_t> out) const {
  auto block = [this](std::span<const uint8_t> b, std::span<uint8_t> o) {
    size_t written = lzo1x_decompress(b, o);
    if (written != o.size()) wrong_size(id(), written, o.size());
  };
  if (try_decompress_hadoop(in, out, block)) return;
  block(in, out);
}

}  // namespace parkett::codec
