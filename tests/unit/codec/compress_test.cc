// Compression: every codec's output decompresses to the input (LZO's also through liblzo2,
// the reference), compressible data shrinks, and levels are checked.
#include <gtest/gtest.h>

#include <lzo/lzo1x.h>

#include <random>
#include <vector>

#include "codec/codec.h"
#include "codec/lzo1x.h"
#include "expect_error.h"
#include "parkett/error.h"

namespace parkett::codec {
namespace {

std::vector<uint8_t> sample(size_t n, bool compressible, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<uint8_t> v(n);
  const char* words[] = {"parquet ", "column ", "page ", "row group ", "dictionary ", "x"};
  size_t i = 0;
  while (i < n) {
    if (compressible) {
      for (const char* c = words[rng() % 6]; *c && i < n; ++c) v[i++] = static_cast<uint8_t>(*c);
    } else {
      v[i++] = static_cast<uint8_t>(rng());
    }
  }
  return v;
}

TEST(Compress, EveryCodecRoundTrips) {
  for (Compression c : {Compression::Uncompressed, Compression::Snappy, Compression::Gzip, Compression::Brotli,
                        Compression::Zstd, Compression::Lz4Raw, Compression::Lz4, Compression::Lzo}) {
    for (size_t n : {0, 1, 3, 17, 1000, 300000, 1100000}) {
      for (bool compressible : {true, false}) {
        SCOPED_TRACE(to_string(c) + " n=" + std::to_string(n) + (compressible ? " text" : " noise"));
        const auto in = sample(n, compressible, static_cast<uint32_t>(n));
        std::vector<uint8_t> packed;
        codec_for(c).compress(in, default_level(c), packed);
        std::vector<uint8_t> back(n);
        codec_for(c).decompress(packed, back);
        EXPECT_EQ(back, in);
        if (compressible && n >= 1000 && c != Compression::Uncompressed) {
          EXPECT_LT(packed.size(), n / 2);
        }
      }
    }
  }
}

TEST(Compress, LzoStreamsDecodeWithTheReferenceLibrary) {
  ASSERT_EQ(lzo_init(), LZO_E_OK);
  for (size_t n : {0, 1, 2, 3, 4, 5, 9, 18, 19, 238, 239, 240, 5000, 70000, 200000}) {
    for (bool compressible : {true, false}) {
      const auto in = sample(n, compressible, static_cast<uint32_t>(n) + 5);
      std::vector<uint8_t> packed;
      lzo1x_compress(in, packed);
      std::vector<uint8_t> back(n + 16);
      lzo_uint out_len = back.size();
      ASSERT_EQ(lzo1x_decompress_safe(packed.data(), packed.size(), back.data(), &out_len, nullptr), LZO_E_OK)
          << n << (compressible ? " text" : " noise");
      back.resize(out_len);
      EXPECT_EQ(back, in);
    }
  }
  // Long matches and runs need the extension bytes of each match form.
  std::vector<uint8_t> runs(100000, 'a');
  for (size_t i = 0; i < runs.size(); i += 20000) runs[i] = 'b';
  std::vector<uint8_t> packed;
  lzo1x_compress(runs, packed);
  std::vector<uint8_t> back(runs.size());
  lzo_uint out_len = back.size();
  ASSERT_EQ(lzo1x_decompress_safe(packed.data(), packed.size(), back.data(), &out_len, nullptr), LZO_E_OK);
  EXPECT_EQ(back, runs);
  EXPECT_LT(packed.size(), 2000u);
}

TEST(Compress, LevelsAreChecked) {
  EXPECT_NO_THROW(check_level(Compression::Zstd, 22));
  EXPECT_ERROR(check_level(Compression::Zstd, 23), ErrorKind::InvalidArgument, "level 23 is outside 1..22");
  EXPECT_ERROR(check_level(Compression::Gzip, 0), ErrorKind::InvalidArgument, "level 0 is outside 1..12");
  EXPECT_NO_THROW(check_level(Compression::Brotli, 0));
  EXPECT_ERROR(check_level(Compression::Snappy, 3), ErrorKind::InvalidArgument, "has no compression levels");
  EXPECT_EQ(default_level(Compression::Zstd), 3);
}

}  // namespace
}  // namespace parkett::codec
