// Every codec against its reference compressor (liblzo2 only here, as a test oracle), with
// the framings real writers use, and malformed input that must fail cleanly.
#include "codec/codec.h"

#include <brotli/encode.h>
#include <gtest/gtest.h>
#include <libdeflate.h>
#include <lz4.h>
#include <lz4frame.h>
#include <lzo/lzo1x.h>
#include <snappy.h>
#include <zstd.h>

#include <random>
#include <string>
#include <vector>

#include "parkett/error.h"

namespace parkett::codec {
namespace {

using Bytes = std::vector<uint8_t>;

// Compressible but not trivial: words from a small vocabulary with random numbers.
Bytes sample(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  static const char* kWords[] = {"parquet ", "column ", "chunk ", "page ", "dictionary ", "ZZZZ"};
  Bytes out;
  while (out.size() < n) {
    std::string w = kWords[rng() % 6];
    if (rng() % 4 == 0) w = std::to_string(rng() % 100000);
    out.insert(out.end(), w.begin(), w.end());
  }
  out.resize(n);
  return out;
}

Bytes random_bytes(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  Bytes out(n);
  for (auto& b : out) b = static_cast<uint8_t>(rng());
  return out;
}

Bytes decompress(Compression c, const Bytes& in, size_t size) {
  Bytes out(size);
  codec_for(c).decompress(in, out);
  return out;
}

void expect_corrupt(Compression c, const Bytes& in, size_t size) {
  Bytes out(size);
  try {
    codec_for(c).decompress(in, out);
    ADD_FAILURE() << to_string(c) << ": malformed input accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Corrupt) << e.what();
  }
}

void put_be32(Bytes& out, uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<uint8_t>(v >> s));
}

Bytes snappy_compress(const Bytes& in) {
  std::string out;
  snappy::Compress(reinterpret_cast<const char*>(in.data()), in.size(), &out);
  return Bytes(out.begin(), out.end());
}

Bytes gzip_compress(const Bytes& in, bool zlib = false) {
  libdeflate_compressor* c = libdeflate_alloc_compressor(6);
  Bytes out(libdeflate_gzip_compress_bound(c, in.size()) + 64);
  size_t n = zlib ? libdeflate_zlib_compress(c, in.data(), in.size(), out.data(), out.size())
                  : libdeflate_gzip_compress(c, in.data(), in.size(), out.data(), out.size());
  libdeflate_free_compressor(c);
  out.resize(n);
  return out;
}

Bytes lz4_block(const Bytes& in) {
  Bytes out(static_cast<size_t>(LZ4_compressBound(static_cast<int>(in.size()))));
  int n = LZ4_compress_default(reinterpret_cast<const char*>(in.data()),
                               reinterpret_cast<char*>(out.data()), static_cast<int>(in.size()),
                               static_cast<int>(out.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

Bytes lzo_compress(const Bytes& in, bool best) {
  static const bool init = lzo_init() == LZO_E_OK;
  EXPECT_TRUE(init);
  Bytes out(in.size() + in.size() / 16 + 64 + 3);
  std::vector<uint8_t> work(best ? LZO1X_999_MEM_COMPRESS : LZO1X_1_MEM_COMPRESS);
  lzo_uint n = out.size();
  int r = best ? lzo1x_999_compress(in.data(), in.size(), out.data(), &n, work.data())
               : lzo1x_1_compress(in.data(), in.size(), out.data(), &n, work.data());
  EXPECT_EQ(r, LZO_E_OK);
  out.resize(n);
  return out;
}

// Hadoop block framing of `in` cut into blocks of `block` bytes, each compressed by `f`.
template <class F>
Bytes hadoop_frame(const Bytes& in, size_t block, F f) {
  Bytes out;
  for (size_t at = 0; at < in.size(); at += block) {
    Bytes part(in.begin() + static_cast<long>(at),
               in.begin() + static_cast<long>(std::min(in.size(), at + block)));
    Bytes c = f(part);
    put_be32(out, static_cast<uint32_t>(part.size()));
    put_be32(out, static_cast<uint32_t>(c.size()));
    out.insert(out.end(), c.begin(), c.end());
  }
  return out;
}

const std::vector<Bytes>& inputs() {
  static const std::vector<Bytes> kInputs = {
      Bytes{}, Bytes{42}, sample(100, 1), sample(70000, 2), random_bytes(5000, 3),
      Bytes(100000, 0x55),
  };
  return kInputs;
}

TEST(Codec, Uncompressed) {
  for (const auto& in : inputs()) EXPECT_EQ(decompress(Compression::Uncompressed, in, in.size()), in);
  expect_corrupt(Compression::Uncompressed, Bytes(10), 11);
}

TEST(Codec, Snappy) {
  for (const auto& in : inputs()) EXPECT_EQ(decompress(Compression::Snappy, snappy_compress(in), in.size()), in);
  Bytes c = snappy_compress(sample(1000, 4));
  expect_corrupt(Compression::Snappy, c, 999);  // the header says 1000
  c.resize(c.size() / 2);
  expect_corrupt(Compression::Snappy, c, 1000);
  expect_corrupt(Compression::Snappy, Bytes{}, 0);  // an empty buffer is not a Snappy stream
}

TEST(Codec, GzipMembersAndZlib) {
  for (const auto& in : inputs()) {
    EXPECT_EQ(decompress(Compression::Gzip, gzip_compress(in), in.size()), in);
    EXPECT_EQ(decompress(Compression::Gzip, gzip_compress(in, true), in.size()), in);
  }
  Bytes a = sample(3000, 5), b = sample(4000, 6);
  Bytes both = gzip_compress(a), second = gzip_compress(b);
  both.insert(both.end(), second.begin(), second.end());
  Bytes expected = a;
  expected.insert(expected.end(), b.begin(), b.end());
  EXPECT_EQ(decompress(Compression::Gzip, both, expected.size()), expected);
  expect_corrupt(Compression::Gzip, both, expected.size() - 1);
  expect_corrupt(Compression::Gzip, both, expected.size() + 1);
  Bytes broken = gzip_compress(a);
  broken[broken.size() / 2] ^= 0xff;
  expect_corrupt(Compression::Gzip, broken, a.size());
}

TEST(Codec, Brotli) {
  for (const auto& in : inputs()) {
    Bytes out(BrotliEncoderMaxCompressedSize(in.size()) + 16);
    size_t n = out.size();
    ASSERT_TRUE(BrotliEncoderCompress(5, 22, BROTLI_MODE_GENERIC, in.size(), in.data(), &n, out.data()));
    out.resize(n);
    EXPECT_EQ(decompress(Compression::Brotli, out, in.size()), in);
    if (!in.empty()) {
      expect_corrupt(Compression::Brotli, out, in.size() - 1);
    }
  }
}

TEST(Codec, Zstd) {
  for (const auto& in : inputs()) {
    Bytes out(ZSTD_compressBound(in.size()));
    out.resize(ZSTD_compress(out.data(), out.size(), in.data(), in.size(), 3));
    EXPECT_EQ(decompress(Compression::Zstd, out, in.size()), in);
    expect_corrupt(Compression::Zstd, out, in.size() + 1);
  }
  expect_corrupt(Compression::Zstd, random_bytes(100, 7), 100);
}

TEST(Codec, Lz4RawAndHadoop) {
  for (const auto& in : inputs()) {
    EXPECT_EQ(decompress(Compression::Lz4Raw, lz4_block(in), in.size()), in);
    // Hadoop framing with several blocks, a bare block, and an LZ4 frame: all read as LZ4.
    EXPECT_EQ(decompress(Compression::Lz4, hadoop_frame(in, 16384, lz4_block), in.size()), in);
    if (!in.empty()) {
      EXPECT_EQ(decompress(Compression::Lz4, lz4_block(in), in.size()), in);
    }
    Bytes frame(LZ4F_compressFrameBound(in.size(), nullptr));
    frame.resize(LZ4F_compressFrame(frame.data(), frame.size(), in.data(), in.size(), nullptr));
    EXPECT_EQ(decompress(Compression::Lz4, frame, in.size()), in);
  }
  Bytes in = sample(50000, 8);
  expect_corrupt(Compression::Lz4Raw, lz4_block(in), in.size() - 1);
  expect_corrupt(Compression::Lz4, random_bytes(3000, 9), 10000);
}

TEST(Codec, LzoAgainstLiblzo2) {
  for (const auto& in : inputs()) {
    for (bool best : {false, true}) {
      SCOPED_TRACE(std::to_string(in.size()) + (best ? " lzo1x_999" : " lzo1x_1"));
      auto compress = [best](const Bytes& b) { return lzo_compress(b, best); };
      EXPECT_EQ(decompress(Compression::Lzo, hadoop_frame(in, 65536, compress), in.size()), in);
      EXPECT_EQ(decompress(Compression::Lzo, compress(in), in.size()), in);
    }
  }
  Bytes in = sample(20000, 10);
  Bytes c = lzo_compress(in, false);
  expect_corrupt(Compression::Lzo, c, in.size() - 1);
  expect_corrupt(Compression::Lzo, Bytes(c.begin(), c.begin() + static_cast<long>(c.size() / 2)), in.size());
}

TEST(Codec, RandomInputNeverOverruns) {
  // Under ASan this proves the bounds checks: garbage must fail cleanly or decode to
  // exactly the requested size.
  std::mt19937_64 rng(11);
  for (Compression c : {Compression::Snappy, Compression::Gzip, Compression::Brotli,
                        Compression::Zstd, Compression::Lz4, Compression::Lz4Raw,
                        Compression::Lzo}) {
    for (int i = 0; i < 300; ++i) {
      Bytes in = random_bytes(1 + rng() % 200, rng());
      if (c == Compression::Lzo && i % 2 == 0) {
        // Start like a real stream so the decoder gets past its first instructions.
        Bytes real = lzo_compress(sample(500, rng()), false);
        in.insert(in.begin(), real.begin(), real.begin() + static_cast<long>(real.size() / 2));
      }
      Bytes out(rng() % 600);
      try {
        codec_for(c).decompress(in, out);
      } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Corrupt) << e.what();
      }
    }
  }
}

}  // namespace
}  // namespace parkett::codec
