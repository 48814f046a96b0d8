#include "encoding/delta.h"

#include <gtest/gtest.h>

#include <random>

#include "encoding/byte_stream_split.h"
#include "expect_error.h"
#include "parkett/error.h"
#include "varint_writer.h"

namespace parkett::encoding {
namespace {

using test::put_varint;
using test::put_zigzag;


// A reference DELTA_BINARY_PACKED encoder (block 128, 4 miniblocks of 32), for tests.
std::vector<uint8_t> encode_dbp(const std::vector<int64_t>& values) {
  std::vector<uint8_t> out;
  put_varint(out, 128);
  put_varint(out, 4);
  put_varint(out, values.size());
  put_zigzag(out, values.empty() ? 0 : values[0]);
  for (size_t b = 1; b < values.size(); b += 128) {
    std::vector<uint64_t> deltas;
    for (size_t i = b; i < std::min(values.size(), b + 128); ++i) {
      deltas.push_back(static_cast<uint64_t>(values[i]) - static_cast<uint64_t>(values[i - 1]));
    }
    int64_t min_delta = INT64_MAX;
    for (auto d : deltas) min_delta = std::min(min_delta, static_cast<int64_t>(d));
    put_zigzag(out, min_delta);
    std::vector<std::vector<uint64_t>> minis(4);
    std::vector<uint8_t> widths(4, 0);
    for (size_t i = 0; i < deltas.size(); ++i) {
      uint64_t v = deltas[i] - static_cast<uint64_t>(min_delta);
      minis[i / 32].push_back(v);
      widths[i / 32] = std::max<uint8_t>(widths[i / 32], static_cast<uint8_t>(64 - __builtin_clzll(v | 1) - (v == 0)));
    }
    out.insert(out.end(), widths.begin(), widths.end());
    for (size_t m = 0; m < 4 && !minis[m].empty(); ++m) {
      minis[m].resize(32, 0);
      std::vector<uint8_t> bits(32 * widths[m] / 8, 0);
      for (size_t i = 0; i < 32; ++i) {
        for (int k = 0; k < widths[m]; ++k) {
          size_t bit = i * widths[m] + static_cast<size_t>(k);
          if ((minis[m][i] >> k) & 1) bits[bit / 8] |= static_cast<uint8_t>(1 << (bit % 8));
        }
      }
      out.insert(out.end(), bits.begin(), bits.end());
    }
  }
  return out;
}

TEST(DeltaBinaryPacked, RoundTripsEveryWidthAndExtremes) {
  std::mt19937_64 rng(3);
  for (int trial = 0; trial < 50; ++trial) {
    std::vector<int64_t> values(1 + rng() % 600);
    const int bits = static_cast<int>(rng() % 65);
    for (auto& v : values) {
      v = bits == 64 ? static_cast<int64_t>(rng()) : static_cast<int64_t>(rng() % (uint64_t{1} << bits));
    }
    if (trial == 0) values = {INT64_MIN, INT64_MAX, 0, -1, INT64_MIN, 5};
    std::vector<uint8_t> data = encode_dbp(values);
    data.push_back(0xAB);  // whatever follows the stream is not consumed
    std::vector<uint64_t> got;
    size_t used = decode_delta_binary_packed(data, values.size(), got);
    EXPECT_EQ(used, data.size() - 1);
    ASSERT_EQ(got.size(), values.size());
    for (size_t i = 0; i < values.size(); ++i) ASSERT_EQ(static_cast<int64_t>(got[i]), values[i]) << i;
  }
}

TEST(DeltaBinaryPacked, MalformedHeadersAndTruncation) {
  std::vector<uint64_t> out;
  std::vector<uint8_t> bad_block = {100, 4, 5, 2};  // block size not a multiple of 128
  EXPECT_ERROR(decode_delta_binary_packed(bad_block, 5, out), ErrorKind::Corrupt, "block size 100");
  std::vector<uint8_t> data = encode_dbp({1, 5, 9, 100, -3, 7});
  EXPECT_ERROR(decode_delta_binary_packed(data, 7, out), ErrorKind::Corrupt,
               "the stream holds 6 values, 7 are needed");
  data.resize(data.size() - 3);
  EXPECT_ERROR(decode_delta_binary_packed(data, 6, out), ErrorKind::Corrupt, "truncated miniblock");
}

TEST(DeltaByteArray, PrefixesAndSuffixes) {
  // "Hello", "World", "Foobar", "ABCDEF" as in Encodings.md: prefixes 0,0,0,0... use shared ones.
  std::vector<std::string> values = {"axis", "axle", "babble", "babymetal", "", "b"};
  std::vector<int64_t> prefixes = {0, 2, 0, 3, 0, 0}, suffix_lengths;
  std::string suffixes;
  for (size_t i = 0; i < values.size(); ++i) {
    suffixes += values[i].substr(static_cast<size_t>(prefixes[i]));
    suffix_lengths.push_back(static_cast<int64_t>(values[i].size()) - prefixes[i]);
  }
  std::vector<uint8_t> data = encode_dbp(prefixes), more = encode_dbp(suffix_lengths);
  data.insert(data.end(), more.begin(), more.end());
  data.insert(data.end(), suffixes.begin(), suffixes.end());
  ValueBuffer out;
  EXPECT_EQ(decode_delta_byte_array(data, values.size(), out), data.size());
  ASSERT_EQ(out.count, values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    EXPECT_EQ(std::string(reinterpret_cast<const char*>(out.data.data()) + out.offsets[i],
                          static_cast<size_t>(out.offsets[i + 1] - out.offsets[i])),
              values[i]);
  }
  // A prefix longer than the previous value is corrupt.
  std::vector<uint8_t> bad = encode_dbp({3}), one = encode_dbp({1});
  bad.insert(bad.end(), one.begin(), one.end());
  bad.push_back('x');
  ValueBuffer b;
  EXPECT_ERROR(decode_delta_byte_array(bad, 1, b), ErrorKind::Corrupt,
               "prefix of 3 bytes, the previous value has 0");
}

TEST(DeltaLengthByteArray, LengthsThenData) {
  std::vector<uint8_t> data = encode_dbp({5, 0, 3});
  std::string bytes = "HelloFoo";
  data.insert(data.end(), bytes.begin(), bytes.end());
  ValueBuffer out;
  decode_delta_length_byte_array(data, 3, out);
  EXPECT_EQ(std::vector<int64_t>(out.offsets.begin(), out.offsets.end()), (std::vector<int64_t>{0, 5, 5, 8}));
  std::vector<uint8_t> negative = encode_dbp({-1});
  ValueBuffer b;
  EXPECT_ERROR(decode_delta_length_byte_array(negative, 1, b), ErrorKind::Corrupt, "negative length -1");
}

TEST(ByteStreamSplit, InterleavesBytes) {
  ValueBuffer out;
  out.width = 4;
  std::vector<uint8_t> data = {1, 5, 2, 6, 3, 7, 4, 8};  // two 4-byte values
  decode_byte_stream_split(data, 2, out);
  EXPECT_EQ(std::vector<uint8_t>(out.fixed.data(), out.fixed.data() + out.fixed.size()),
            (std::vector<uint8_t>{1, 2, 3, 4, 5, 6, 7, 8}));
  EXPECT_ERROR(decode_byte_stream_split(data, 3, out), ErrorKind::Corrupt,
               "BYTE_STREAM_SPLIT page of 8 bytes for 3 values of 4 bytes");
}

}  // namespace
}  // namespace parkett::encoding
