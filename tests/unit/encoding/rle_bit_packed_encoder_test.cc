// The hybrid encoder: whatever the mix of runs and noise, the decoder gives the values back;
// long runs cost a few bytes.
#include "encoding/rle_bit_packed_encoder.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "encoding/rle_bit_packed.h"

namespace parkett::encoding {
namespace {

std::vector<uint32_t> round_trip(const std::vector<uint32_t>& values, int width, size_t* bytes = nullptr) {
  std::vector<uint8_t> out;
  encode_rle_bit_packed(std::span<const uint32_t>(values), width, out);
  if (bytes) *bytes = out.size();
  RleBitPackedDecoder d(out.data(), out.size(), width);
  std::vector<uint32_t> back(values.size());
  EXPECT_EQ(d.get_batch(back.data(), back.size()), values.size());
  return back;
}

TEST(RleBitPackedEncoder, RunsAndNoiseOfEveryWidthRoundTrip) {
  std::mt19937 rng(11);
  for (int width = 0; width <= 32; ++width) {
    const uint64_t limit = width == 32 ? 0xffffffffULL : (uint64_t{1} << width) - 1;
    for (size_t n : {0, 1, 7, 8, 9, 15, 16, 17, 100, 1000, 4099}) {
      std::vector<uint32_t> v;
      while (v.size() < n) {
        const uint32_t x = static_cast<uint32_t>(rng() & limit);
        const size_t len = rng() % 3 == 0 ? 1 + rng() % 40 : 1;  // runs of any length among noise
        for (size_t k = 0; k < len && v.size() < n; ++k) v.push_back(x);
      }
      EXPECT_EQ(round_trip(v, width), v) << "width " << width << " n " << n;
    }
  }
}

TEST(RleBitPackedEncoder, LongRunsAreCompact) {
  std::vector<uint32_t> v(1000000, 1);
  v[3] = 0;  // a bit-packed group, then one long run
  size_t bytes = 0;
  EXPECT_EQ(round_trip(v, 1, &bytes), v);
  EXPECT_LT(bytes, 16u);
  std::vector<int16_t> levels(5000, 2);
  std::vector<uint8_t> out;
  encode_rle_bit_packed(std::span<const int16_t>(levels), 2, out);
  EXPECT_EQ(out.size(), 3u);  // header varint (2 bytes) + value (1 byte)
}

}  // namespace
}  // namespace parkett::encoding
