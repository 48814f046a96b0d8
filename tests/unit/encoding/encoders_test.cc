// The writer's encoders against the reader's decoders: random and extreme values round-trip
// exactly for every encoding, with the sizes the formats promise.
#include <gtest/gtest.h>

#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

#include "encoding/byte_stream_split.h"
#include "encoding/delta.h"
#include "encoding/encoders.h"
#include "encoding/plain.h"

namespace parkett::encoding {
namespace {

template <class T>
std::vector<T> extremes_and_random(size_t n, uint32_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<T> v = {std::numeric_limits<T>::min(), std::numeric_limits<T>::max(), 0, -1, 1,
                      std::numeric_limits<T>::min(), std::numeric_limits<T>::max()};
  while (v.size() < n) {
    switch (rng() % 3) {
      case 0: v.push_back(static_cast<T>(rng())); break;                       // anything
      case 1: {  // sorted runs (wrapping at the top)
        using U = std::make_unsigned_t<T>;
        v.push_back(static_cast<T>(static_cast<U>(static_cast<U>(v.back()) + static_cast<U>(rng() % 5))));
        break;
      }
      default: v.push_back(static_cast<T>(rng() % 100)); break;                // small
    }
  }
  v.resize(n);
  return v;
}

template <class T>
void delta_round_trip(size_t n) {
  const std::vector<T> v = extremes_and_random<T>(n, static_cast<uint32_t>(n));
  std::vector<uint8_t> bytes;
  encode_delta_binary_packed(reinterpret_cast<const uint8_t*>(v.data()), v.size(), sizeof(T), bytes);
  ValueBuffer out;
  out.width = sizeof(T);
  EXPECT_EQ(decode_delta_integers(bytes, n, out), bytes.size());
  ASSERT_EQ(out.count, n);
  EXPECT_EQ(std::memcmp(out.fixed.data(), v.data(), n * sizeof(T)), 0);
}

TEST(DeltaBinaryPackedEncoder, RoundTripsExtremesForEveryLength) {
  for (size_t n : {0, 1, 2, 31, 32, 33, 127, 128, 129, 1000, 4097}) {
    SCOPED_TRACE(n);
    delta_round_trip<int32_t>(n);
    delta_round_trip<int64_t>(n);
  }
}

TEST(DeltaBinaryPackedEncoder, Int32DeltasNeverNeedMoreThan32Bits) {
  // Alternating INT32_MIN / INT32_MAX: 33-bit deltas unless they wrap at 32 bits, which
  // Arrow C++ requires (it refuses miniblock widths above 32 for INT32).
  std::vector<int32_t> v;
  for (int i = 0; i < 256; ++i) v.push_back(i % 2 ? INT32_MAX : INT32_MIN);
  std::vector<uint8_t> bytes;
  encode_delta_binary_packed(reinterpret_cast<const uint8_t*>(v.data()), v.size(), 4, bytes);
  // Header, then per block: min delta, 4 widths, 4 miniblocks of 32 values of <= 32 bits.
  EXPECT_LE(bytes.size(), 16 + 2 * (10 + 4 + 4 * 32 * 4));
  ValueBuffer out;
  out.width = 4;
  decode_delta_integers(bytes, v.size(), out);
  EXPECT_EQ(std::memcmp(out.fixed.data(), v.data(), v.size() * 4), 0);
}

TEST(DeltaBinaryPackedEncoder, SortedValuesPackTightly) {
  std::vector<int64_t> v(10000);
  for (size_t i = 0; i < v.size(); ++i) v[i] = 1'000'000'000'000 + static_cast<int64_t>(i) * 3;
  std::vector<uint8_t> bytes;
  encode_delta_binary_packed(reinterpret_cast<const uint8_t*>(v.data()), v.size(), 8, bytes);
  EXPECT_LT(bytes.size(), 1000u);  // constant deltas: miniblocks of width 0
}

std::vector<std::string> sample_strings() {
  std::vector<std::string> s = {"", "a", "ab", "abc", "abd", std::string(300, 'x'), std::string(300, 'x') + "y",
                                std::string("\0\xff", 2), "", "zzz"};
  std::mt19937 rng(7);
  for (int i = 0; i < 500; ++i) {
    std::string x = "prefix/" + std::to_string(rng() % 50) + "/";
    x += std::string(rng() % 20, static_cast<char>('a' + rng() % 26));
    s.push_back(x);
  }
  return s;
}

ValueBuffer buffer_of(const std::vector<std::string>& s) {
  ValueBuffer b;
  for (const std::string& x : s) b.append_binary(reinterpret_cast<const uint8_t*>(x.data()), x.size());
  return b;
}

std::vector<std::string> strings_of(const ValueBuffer& out) {
  std::vector<std::string> r;
  for (size_t i = 0; i < out.count; ++i) r.emplace_back(out.binary(i));
  return r;
}

TEST(ByteArrayEncoders, PlainDeltaLengthAndDeltaRoundTrip) {
  const auto s = sample_strings();
  const ValueBuffer buffer = buffer_of(s);
  const ByteArrays v = buffer.byte_arrays(0, buffer.count);
  {
    std::vector<uint8_t> bytes;
    encode_plain_binary(v, bytes);
    ValueBuffer out;
    EXPECT_EQ(decode_plain(bytes, s.size(), false, out), bytes.size());
    EXPECT_EQ(strings_of(out), s);
  }
  {
    std::vector<uint8_t> bytes;
    encode_delta_length_byte_array(v, bytes);
    ValueBuffer out;
    EXPECT_EQ(decode_delta_length_byte_array(bytes, s.size(), out), bytes.size());
    EXPECT_EQ(strings_of(out), s);
  }
  {
    std::vector<uint8_t> bytes;
    encode_delta_byte_array(v, bytes);
    ValueBuffer out;
    EXPECT_EQ(decode_delta_byte_array(bytes, s.size(), out), bytes.size());
    EXPECT_EQ(strings_of(out), s);
    std::vector<uint8_t> plain;
    encode_plain_binary(v, plain);
    EXPECT_LT(bytes.size(), plain.size());  // the shared prefixes are stored once
  }
}

TEST(ByteArrayEncoders, ARangeOfTheValuesAndFixedWidthValues) {
  // Values [3, 9) of a buffer: the encoders see those six and no others.
  const auto s = sample_strings();
  const ValueBuffer buffer = buffer_of(s);
  std::vector<uint8_t> bytes;
  encode_delta_byte_array(buffer.byte_arrays(3, 9), bytes);
  ValueBuffer out;
  EXPECT_EQ(decode_delta_byte_array(bytes, 6, out), bytes.size());
  EXPECT_EQ(strings_of(out), std::vector<std::string>(s.begin() + 3, s.begin() + 9));
  // FIXED_LEN_BYTE_ARRAY values as byte arrays: "abc", "abd", "xyz" share 2 then 0 bytes.
  ValueBuffer fixed;
  fixed.width = 3;
  for (const char* x : {"abc", "abd", "xyz"}) fixed.append_fixed(reinterpret_cast<const uint8_t*>(x));
  bytes.clear();
  encode_delta_byte_array(fixed.byte_arrays(0, 3), bytes);
  out.clear();
  EXPECT_EQ(decode_delta_byte_array(bytes, 3, out), bytes.size());
  EXPECT_EQ(strings_of(out), (std::vector<std::string>{"abc", "abd", "xyz"}));
  bytes.clear();
  encode_plain_binary(fixed.byte_arrays(1, 3), bytes);
  const uint8_t expected[] = {3, 0, 0, 0, 'a', 'b', 'd', 3, 0, 0, 0, 'x', 'y', 'z'};
  EXPECT_EQ(bytes, std::vector<uint8_t>(expected, expected + sizeof expected));
}

TEST(FixedEncoders, PlainBooleansAndByteStreamSplitRoundTrip) {
  std::vector<uint8_t> bools;
  for (int i = 0; i < 77; ++i) bools.push_back((i * 7 % 3) == 0);
  std::vector<uint8_t> bytes;
  encode_plain_booleans(bools.data(), bools.size(), bytes);
  EXPECT_EQ(bytes.size(), 10u);
  ValueBuffer b;
  b.width = 1;
  decode_plain(bytes, bools.size(), true, b);
  EXPECT_EQ(std::vector<uint8_t>(b.fixed.data(), b.fixed.data() + b.fixed.size()), bools);

  const std::vector<double> d = {1.5, -0.0, std::numeric_limits<double>::infinity(), 3e300, -7.25};
  bytes.clear();
  encode_byte_stream_split(reinterpret_cast<const uint8_t*>(d.data()), d.size(), 8, bytes);
  ValueBuffer out;
  out.width = 8;
  decode_byte_stream_split(bytes, d.size(), out);
  EXPECT_EQ(std::memcmp(out.fixed.data(), d.data(), d.size() * 8), 0);
}

}  // namespace
}  // namespace parkett::encoding
