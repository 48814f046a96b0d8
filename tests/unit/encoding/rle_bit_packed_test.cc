#include "encoding/rle_bit_packed.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "expect_error.h"
#include "parkett/error.h"
#include "varint_writer.h"
#include "util/bit_unpack.h"

namespace parkett::encoding {
namespace {

using test::put_varint;

// A straightforward encoder, for tests: alternates RLE runs and bit-packed groups.

void put_rle(std::vector<uint8_t>& out, uint32_t value, size_t count, int w) {
  put_varint(out, count << 1);
  for (int k = 0; k < (w + 7) / 8; ++k) out.push_back(static_cast<uint8_t>(value >> (8 * k)));
}

void put_packed(std::vector<uint8_t>& out, const std::vector<uint32_t>& values, int w) {
  size_t groups = (values.size() + 7) / 8;
  put_varint(out, (groups << 1) | 1);
  std::vector<uint8_t> bits(groups * static_cast<size_t>(w), 0);
  for (size_t i = 0; i < values.size(); ++i) {
    for (int b = 0; b < w; ++b) {
      size_t bit = i * static_cast<size_t>(w) + static_cast<size_t>(b);
      if ((values[i] >> b) & 1) bits[bit / 8] |= static_cast<uint8_t>(1 << (bit % 8));
    }
  }
  out.insert(out.end(), bits.begin(), bits.end());
}

TEST(BitUnpack, EveryWidthAgainstABitByBitReference) {
  std::mt19937_64 rng(1);
  for (int w = 0; w <= 64; ++w) {
    const size_t n = 77;
    std::vector<uint64_t> values(n);
    std::vector<uint8_t> packed(util::bit_packed_bytes(n, w), 0);
    for (size_t i = 0; i < n; ++i) {
      values[i] = w == 64 ? rng() : rng() & ((uint64_t{1} << w) - 1);
      for (int b = 0; b < w; ++b) {
        size_t bit = i * static_cast<size_t>(w) + static_cast<size_t>(b);
        if ((values[i] >> b) & 1) packed[bit / 8] |= static_cast<uint8_t>(1 << (bit % 8));
      }
    }
    std::vector<uint64_t> out64(n);
    util::unpack64(packed.data(), packed.size(), out64.data(), n, w);
    EXPECT_EQ(out64, values) << "width " << w;
    if (w <= 32) {
      std::vector<uint32_t> out32(n);
      util::unpack32(packed.data(), packed.size(), out32.data(), n, w);
      for (size_t i = 0; i < n; ++i) EXPECT_EQ(out32[i], values[i]) << "width " << w;
    }
  }
}

TEST(RleBitPacked, SpecExample) {
  // Encodings.md: values 0..7 bit-packed with width 3 are 0x88 0xC6 0xFA after header 0x03.
  std::vector<uint8_t> data = {0x03, 0x88, 0xC6, 0xFA};
  RleBitPackedDecoder d(data.data(), data.size(), 3);
  uint32_t out[8];
  ASSERT_EQ(d.get_batch(out, 8), 8u);
  for (uint32_t i = 0; i < 8; ++i) EXPECT_EQ(out[i], i);
  EXPECT_EQ(d.get_batch(out, 8), 0u);
}

TEST(RleBitPacked, MixedRunsInOddBatches) {
  std::mt19937_64 rng(2);
  for (int w : {0, 1, 2, 3, 7, 8, 13, 20, 31, 32}) {
    std::vector<uint8_t> data;
    std::vector<uint32_t> expected;
    const uint32_t mask = w == 32 ? ~0u : (1u << w) - 1;
    for (int run = 0; run < 40; ++run) {
      if (run % 2) {
        size_t count = 1 + rng() % 300;
        uint32_t v = static_cast<uint32_t>(rng()) & mask;
        put_rle(data, v, count, w);
        expected.insert(expected.end(), count, v);
      } else {
        std::vector<uint32_t> values(8 * (1 + rng() % 10));
        for (auto& v : values) v = static_cast<uint32_t>(rng()) & mask;
        put_packed(data, values, w);
        expected.insert(expected.end(), values.begin(), values.end());
      }
    }
    RleBitPackedDecoder d(data.data(), data.size(), w);
    std::vector<uint32_t> got(expected.size());
    size_t at = 0;
    while (at < got.size()) {
      size_t n = std::min<size_t>(1 + rng() % 50, got.size() - at);
      if (rng() % 5 == 0) {
        ASSERT_EQ(d.skip(n), n);
        std::copy(expected.begin() + static_cast<long>(at), expected.begin() + static_cast<long>(at + n),
                  got.begin() + static_cast<long>(at));
      } else {
        ASSERT_EQ(d.get_batch(got.data() + at, n), n) << "width " << w;
      }
      at += n;
    }
    EXPECT_EQ(got, expected) << "width " << w;
  }
}

TEST(RleBitPacked, TruncatedDataAndBadIndices) {
  std::vector<uint8_t> data;
  put_packed(data, {1, 2, 3, 4, 5, 6, 7, 0}, 3);
  data.pop_back();  // the last group loses its final byte: 5 values remain usable
  RleBitPackedDecoder d(data.data(), data.size(), 3);
  uint32_t out[8];
  EXPECT_EQ(d.get_batch(out, 8), 5u);

  std::vector<uint8_t> rle;
  put_rle(rle, 9, 4, 4);
  RleBitPackedDecoder d2(rle.data(), rle.size(), 4);
  EXPECT_ERROR(d2.get_batch_checked(out, 4, 5), ErrorKind::Corrupt,
               "dictionary index 9 out of range for a dictionary of 5 values");

  std::vector<uint8_t> cut = {0x08};  // RLE run of 4 with its value byte missing
  RleBitPackedDecoder d3(cut.data(), cut.size(), 8);
  EXPECT_ERROR(d3.get_batch(out, 4), ErrorKind::Corrupt, "truncated RLE value");
  EXPECT_ERROR(RleBitPackedDecoder(cut.data(), cut.size(), 33), ErrorKind::Corrupt, "bit width 33");

  // A run header claiming 2^62 groups must not allocate or loop forever.
  std::vector<uint8_t> huge;
  put_varint(huge, (uint64_t{1} << 62) | 1);
  huge.push_back(0xff);
  RleBitPackedDecoder d4(huge.data(), huge.size(), 5);
  EXPECT_EQ(d4.get_batch(out, 8), 1u);
}

TEST(BitPackedLevels, MostSignificantBitFirst) {
  // Encodings.md BIT_PACKED example: 0..7 with width 3 -> 0x05 0x39 0x77.
  std::vector<uint8_t> data = {0x05, 0x39, 0x77};
  uint32_t out[8];
  decode_bit_packed_levels(data.data(), data.size(), 3, out, 8);
  for (uint32_t i = 0; i < 8; ++i) EXPECT_EQ(out[i], i);
  EXPECT_ERROR(decode_bit_packed_levels(data.data(), data.size(), 3, out, 9), ErrorKind::Corrupt,
               "BIT_PACKED levels need 4 bytes, the page has 3");
}

}  // namespace
}  // namespace parkett::encoding
