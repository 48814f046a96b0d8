// The compression side of every codec. Hadoop-framed codecs (LZ4, LZO) write blocks of
// 256 KiB each, as parquet-java's codecs do.
#include <brotli/encode.h>
#include <libdeflate.h>
#include <lz4.h>
#include <snappy.h>
#include <zstd.h>

#include <climits>
#include <cstring>
#include <memory>
#include <string>

#include "codec/basic_codecs.h"
#include "codec/lzo1x.h"
#include "parkett/error.h"

namespace parkett::codec {
namespace {

[[noreturn]] void failed(Compression c, const std::string& why) {
  throw Error(ErrorKind::Internal, to_string(c) + " compression failed: " + why);
}

// Grows `out` by `bound` bytes for a compressor to write into; returns where it starts.
uint8_t* reserve_tail(std::vector<uint8_t>& out, size_t bound, size_t& at) {
  at = out.size();
  out.resize(at + bound);
  return out.data() + at;
}

void put_be32(std::vector<uint8_t>& out, size_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<uint8_t>(v >> shift));
}

// Hadoop framing: per block, the uncompressed and compressed sizes (big-endian), then the
// compressed block.
template <class Block>
void hadoop_frames(std::span<const uint8_t> in, std::vector<uint8_t>& out, Block&& block) {
  constexpr size_t kBlock = 256 * 1024;
  size_t pos = 0;
  do {
    const size_t n = std::min(kBlock, in.size() - pos);
    put_be32(out, n);
    const size_t size_at = out.size();
    put_be32(out, 0);
    block(in.subspan(pos, n), out);
    const size_t written = out.size() - size_at - 4;
    for (int k = 0; k < 4; ++k) out[size_at + static_cast<size_t>(k)] = static_cast<uint8_t>(written >> (24 - 8 * k));
    pos += n;
  } while (pos < in.size());
}

void lz4_block(std::span<const uint8_t> in, std::vector<uint8_t>& out) {
  if (in.size() > static_cast<size_t>(LZ4_MAX_INPUT_SIZE)) failed(Compression::Lz4Raw, "input over LZ4's limit");
  const int bound = LZ4_compressBound(static_cast<int>(in.size()));
  size_t at;
  uint8_t* dst = reserve_tail(out, static_cast<size_t>(bound), at);
  const int n = LZ4_compress_default(reinterpret_cast<const char*>(in.data()), reinterpret_cast<char*>(dst),
                                     static_cast<int>(in.size()), bound);
  if (n <= 0 && !in.empty()) failed(Compression::Lz4Raw, "LZ4_compress_default");
  out.resize(at + static_cast<size_t>(n));
}

struct CompressorDeleter {
  void operator()(libdeflate_compressor* c) const { libdeflate_free_compressor(c); }
};

}  // namespace

int default_level(Compression c) {
  switch (c) {
    case Compression::Zstd: return 3;
    case Compression::Gzip: return 6;
    case Compression::Brotli: return 1;
    default: return 0;
  }
}

void check_level(Compression c, int level) {
  int lo = 0, hi = 0;
  switch (c) {
    case Compression::Zstd: lo = 1, hi = 22; break;
    case Compression::Gzip: lo = 1, hi = 12; break;
    case Compression::Brotli: lo = 0, hi = 11; break;
    default:
      if (level != 0) throw Error(ErrorKind::InvalidArgument, to_string(c) + " has no compression levels");
      return;
  }
  if (level < lo || level > hi) {
    throw Error(ErrorKind::InvalidArgument, to_string(c) + " level " + std::to_string(level) + " is outside " +
                                                std::to_string(lo) + ".." + std::to_string(hi));
  }
}

void UncompressedCodec::compress(std::span<const uint8_t> in, int, std::vector<uint8_t>& out) const {
  out.insert(out.end(), in.begin(), in.end());
}

void SnappyCodec::compress(std::span<const uint8_t> in, int, std::vector<uint8_t>& out) const {
  size_t at;
  char* dst = reinterpret_cast<char*>(reserve_tail(out, snappy::MaxCompressedLength(in.size()), at));
  size_t n = 0;
  snappy::RawCompress(reinterpret_cast<const char*>(in.data()), in.size(), dst, &n);
  out.resize(at + n);
}

void GzipCodec::compress(std::span<const uint8_t> in, int level, std::vector<uint8_t>& out) const {
  // One compressor per thread and level: allocating one costs more than a small page.
  thread_local int cached_level = -1;
  thread_local std::unique_ptr<libdeflate_compressor, CompressorDeleter> c;
  if (!c || cached_level != level) {
    c.reset(libdeflate_alloc_compressor(level));
    cached_level = level;
    if (!c) throw Error(ErrorKind::ResourceLimit, "cannot allocate a deflate compressor");
  }
  size_t at;
  uint8_t* dst = reserve_tail(out, libdeflate_gzip_compress_bound(c.get(), in.size()), at);
  const size_t n = libdeflate_gzip_compress(c.get(), in.data(), in.size(), dst, out.size() - at);
  if (n == 0) failed(id(), "libdeflate_gzip_compress");
  out.resize(at + n);
}

void BrotliCodec::compress(std::span<const uint8_t> in, int level, std::vector<uint8_t>& out) const {
  size_t at;
  uint8_t* dst = reserve_tail(out, BrotliEncoderMaxCompressedSize(in.size()) + 16, at);
  size_t n = out.size() - at;
  if (!BrotliEncoderCompress(level, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_GENERIC, in.size(), in.data(), &n, dst)) {
    failed(id(), "BrotliEncoderCompress");
  }
  out.resize(at + n);
}

void ZstdCodec::compress(std::span<const uint8_t> in, int level, std::vector<uint8_t>& out) const {
  // One context per thread: ZSTD_compress would allocate one per page.
  struct CtxDeleter {
    void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
  };
  thread_local std::unique_ptr<ZSTD_CCtx, CtxDeleter> ctx(ZSTD_createCCtx());
  if (!ctx) throw Error(ErrorKind::ResourceLimit, "cannot allocate a ZSTD context");
  size_t at;
  uint8_t* dst = reserve_tail(out, ZSTD_compressBound(in.size()), at);
  const size_t n = ZSTD_compressCCtx(ctx.get(), dst, out.size() - at, in.data(), in.size(), level);
  if (ZSTD_isError(n)) failed(id(), ZSTD_getErrorName(n));
  out.resize(at + n);
}

void Lz4RawCodec::compress(std::span<const uint8_t> in, int, std::vector<uint8_t>& out) const { lz4_block(in, out); }

void Lz4HadoopCodec::compress(std::span<const uint8_t> in, int, std::vector<uint8_t>& out) const {
  hadoop_frames(in, out, lz4_block);
}

void LzoCodec::compress(std::span<const uint8_t> in, int, std::vector<uint8_t>& out) const {
  hadoop_frames(in, out, [](std::span<const uint8_t> b, std::vector<uint8_t>& o) { lzo1x_compress(b, o); });
}

}  // namespace parkett::codec
