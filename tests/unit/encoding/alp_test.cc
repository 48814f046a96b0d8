// ALP (AlpEncoding.md): the specification's worked example decodes as it says, encoded pages
// round-trip bit for bit (NaN payloads, -0.0, infinities included) and compress decimal data,
// and malformed sections are refused.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "encoding/alp.h"
#include "expect_error.h"
#include "parkett/error.h"

namespace parkett::encoding {
namespace {

template <class U>
void put(std::vector<uint8_t>& out, U v) {
  const size_t at = out.size();
  out.resize(at + sizeof(U));
  std::memcpy(out.data() + at, &v, sizeof(U));
}

template <class T>
std::vector<T> decoded(const std::vector<uint8_t>& bytes, size_t n) {
  ValueBuffer out;
  out.width = sizeof(T);
  decode_alp(bytes, n, out);
  EXPECT_EQ(out.count, n);
  std::vector<T> v(n);
  if (n) std::memcpy(v.data(), out.fixed.data(), n * sizeof(T));
  return v;
}

template <class T>
void expect_same_bits(const std::vector<T>& a, const std::vector<T>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(std::memcmp(&a[i], &b[i], sizeof(T)), 0) << "value " << i << ": " << a[i] << " vs " << b[i];
  }
}

// The example of AlpEncoding.md, laid out by hand: {1500.0, NaN, 2500.0, 333.5}, e=4, f=3.
TEST(Alp, SpecificationExampleDecodes) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<uint8_t> page = {0, 0, 10};
  put<int32_t>(page, 4);
  put<uint32_t>(page, 4);  // offset of vector 0, from the start of the offsets
  page.push_back(4);       // e
  page.push_back(3);       // f
  put<uint16_t>(page, 1);  // exceptions
  put<int64_t>(page, 3335);
  page.push_back(15);  // bit width
  // Deltas 11665, 11665, 21665, 0 in 15 bits each, least significant bit first.
  const uint64_t deltas[] = {11665, 11665, 21665, 0};
  std::vector<uint8_t> packed(8, 0);
  for (size_t i = 0, bit = 0; i < 4; ++i) {
    for (int k = 0; k < 15; ++k, ++bit) packed[bit / 8] |= static_cast<uint8_t>(((deltas[i] >> k) & 1) << (bit % 8));
  }
  page.insert(page.end(), packed.begin(), packed.end());
  put<uint16_t>(page, 1);  // exception position
  put<double>(page, nan);
  EXPECT_EQ(page.size(), 7u + 4u + 31u);
  const auto v = decoded<double>(page, 4);
  EXPECT_EQ(v[0], 1500.0);
  EXPECT_TRUE(std::isnan(v[1]));
  EXPECT_EQ(v[2], 2500.0);
  EXPECT_EQ(v[3], 333.5);
}

template <class T>
std::vector<T> interesting_values(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> cents(-1000000, 1000000);
  std::vector<T> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<T>(cents(rng)) / static_cast<T>(100);
  const T specials[] = {std::numeric_limits<T>::quiet_NaN(), -std::numeric_limits<T>::quiet_NaN(),
                        std::numeric_limits<T>::infinity(), -std::numeric_limits<T>::infinity(),
                        static_cast<T>(-0.0), static_cast<T>(0.0), std::numeric_limits<T>::denorm_min(),
                        std::numeric_limits<T>::max(), std::numeric_limits<T>::lowest(),
                        static_cast<T>(0.1), static_cast<T>(1e30), static_cast<T>(-123456789.125)};
  for (size_t i = 0; i < n && i < 12 * 37; i += 37) v[i] = specials[(i / 37) % 12];
  // A signalling NaN with a payload: its bits must survive.
  if (n > 5) {
    if constexpr (sizeof(T) == 8) {
      const uint64_t bits = 0x7ff0000000000123ULL;
      std::memcpy(&v[5], &bits, 8);
    } else {
      const uint32_t bits = 0x7f800123u;
      std::memcpy(&v[5], &bits, 4);
    }
  }
  return v;
}

template <class T>
void round_trips() {
  for (int log : {3, 10, 15}) {
    for (size_t n : {0, 1, 7, 8, 1023, 1024, 1025, 5000}) {
      SCOPED_TRACE("n=" + std::to_string(n) + " log=" + std::to_string(log));
      const auto values = interesting_values<T>(n, static_cast<uint32_t>(n + static_cast<size_t>(log)));
      std::vector<uint8_t> page;
      encode_alp(std::span<const T>(values), page, log);
      expect_same_bits(decoded<T>(page, n), values);
    }
  }
}

TEST(Alp, DoublesRoundTripBitForBit) { round_trips<double>(); }
TEST(Alp, FloatsRoundTripBitForBit) { round_trips<float>(); }

TEST(Alp, DecimalDataCompresses) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> cents(0, 99999);
  std::vector<double> prices(100000);
  for (auto& p : prices) p = cents(rng) / 100.0;
  std::vector<uint8_t> page;
  encode_alp(std::span<const double>(prices), page);
  // 17 bits per value instead of 64.
  EXPECT_LT(page.size(), prices.size() * 8 / 3);
  expect_same_bits(decoded<double>(page, prices.size()), prices);
}

TEST(Alp, MalformedSectionsAreRefused) {
  const auto values = interesting_values<double>(1500, 3);
  std::vector<uint8_t> page;
  encode_alp(std::span<const double>(values), page);
  for (size_t cut = 0; cut < page.size(); cut += 13) {
    std::vector<uint8_t> part(page.begin(), page.begin() + static_cast<std::ptrdiff_t>(cut));
    SCOPED_TRACE(cut);
    EXPECT_ERROR(decoded<double>(part, values.size()), ErrorKind::Corrupt);
  }
  auto expect_corrupt = [&](std::vector<uint8_t> bytes, size_t n, const char* needle) {
    EXPECT_ERROR(decoded<double>(bytes, n), ErrorKind::Corrupt, needle);
  };
  // count differs from the levels
  expect_corrupt(page, values.size() - 1, "page section holds 1500 values, its levels say 1499");
  auto bad = page;
  bad[0] = 1;  // compression mode other than ALP
  EXPECT_ERROR(decoded<double>(bad, values.size()), ErrorKind::Unsupported, "ALP compression mode 1");
  bad = page;
  bad[2] = 2;  // vector size 4
  expect_corrupt(bad, values.size(), "vector size 2^2");
  const size_t vector0 = 7 + 4 * 2;
  bad = page;
  bad[vector0] = 19;  // exponent beyond 18
  expect_corrupt(bad, values.size(), "vector 0: exponent 19 and factor");
  bad = page;
  bad[vector0 + 1] = static_cast<uint8_t>(bad[vector0] + 1);  // factor above exponent
  expect_corrupt(bad, values.size(), "vector 0: exponent");
  bad = page;
  bad[vector0 + 12] = 65;  // bit width
  expect_corrupt(bad, values.size(), "vector 0: bit width 65");
  bad = page;
  bad[7] = 0xff;  // first offset
  bad[8] = 0xff;
  expect_corrupt(bad, values.size(), "vector 0: starts past the page");
  // A column that is not FLOAT or DOUBLE.
  ValueBuffer ints;
  ints.width = 12;
  EXPECT_ERROR(decode_alp(page, values.size(), ints), ErrorKind::Corrupt, "neither FLOAT nor DOUBLE");
}

}  // namespace
}  // namespace parkett::encoding
