#include "codec/hadoop_framing.h"

#include "parkett/error.h"

namespace parkett::codec {
namespace {

uint32_t load_be32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}

}  // namespace

bool try_decompress_hadoop(std::span<const uint8_t> in, std::span<uint8_t> out,
                           const BlockDecoder& block) {
  size_t in_pos = 0, out_pos = 0;
  while (in.size() - in_pos >= 8) {
    const uint32_t decompressed = load_be32(in.data() + in_pos);
    const uint32_t compressed = load_be32(in.data() + in_pos + 4);
    in_pos += 8;
    if (compressed > in.size() - in_pos || decompressed > out.size() - out_pos) return false;
    try {
      block(in.subspan(in_pos, compressed), out.subspan(out_pos, decompressed));
    } catch (const Error&) {
      return false;
    }
    in_pos += compressed;
    out_pos += decompressed;
  }
  return in_pos == in.size() && out_pos == out.size();
}

}  // namespace parkett::codec
