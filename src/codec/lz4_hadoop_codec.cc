// LZ4 (deprecated codec id 5): Hadoop-framed LZ4 blocks as parquet-java writes them; data
// that is not such framing is tried as an LZ4 frame and then as one raw LZ4 block, which is
// what other writers put under this id (NOTES.md: non_hadoop_lz4_compressed.parquet).
#include <lz4frame.h>

#include "codec/basic_codecs.h"
#include "codec/codec_error.h"
#include "codec/hadoop_framing.h"

namespace parkett::codec {
namespace {

constexpr uint32_t kLz4FrameMagic = 0x184D2204;

bool try_decompress_lz4_frame(std::span<const uint8_t> in, std::span<uint8_t> out) {
  if (in.size() < 4 || (in[0] | (in[1] << 8) | (in[2] << 16) | (uint32_t{in[3]} << 24)) != kLz4FrameMagic) {
    return false;
  }
  LZ4F_dctx* ctx = nullptr;
  if (LZ4F_isError(LZ4F_createDecompressionContext(&ctx, LZ4F_VERSION))) return false;
  size_t in_pos = 0, out_pos = 0;
  bool ok = true;
  while (in_pos < in.size()) {
    size_t src = in.size() - in_pos, dst = out.size() - out_pos;
    size_t hint = LZ4F_decompress(ctx, out.data() + out_pos, &dst, in.data() + in_pos, &src, nullptr);
    if (LZ4F_isError(hint) || (src == 0 && dst == 0)) {
      ok = false;
      break;
    }
    in_pos += src;
    out_pos += dst;
    if (hint == 0 && in_pos < in.size()) continue;  // next frame
  }
  LZ4F_freeDecompressionContext(ctx);
  return ok && out_pos == out.size();
}

}  // namespace

void Lz4HadoopCodec::decompress(std::span<const uint8_t> in, std::span<uint8_t> out) const {
  auto block = [this](std::span<const uint8_t> b, std::span<uint8_t> o) {
    decompress_lz4_block(id(), b, o);
  };
  if (try_decompress_hadoop(in, out, block)) return;
  if (try_decompress_lz4_frame(in, out)) return;
  decompress_lz4_block(id(), in, out);
}

}  // namespace parkett::codec
