// Min/max in each column order, and the truncation of binary statistics.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "column/value_statistics.h"
#include "schema/to_parquet.h"

namespace parkett::column {
namespace {

using encoding::ValueBuffer;

template <class T>
ValueBuffer fixed(std::vector<T> v) {
  ValueBuffer p;
  p.width = sizeof(T);
  for (const T& x : v) p.append_fixed(reinterpret_cast<const uint8_t*>(&x));
  return p;
}

template <class T>
T as(const std::string& s) {
  T v;
  std::memcpy(&v, s.data(), sizeof(T));
  return v;
}

TEST(ValueStatistics, SignedAndUnsignedIntegers) {
  auto v = fixed<int32_t>({5, -3, 7, -1});
  MinMax s = min_max(v, 0, 4, SortOrder::Signed32);
  EXPECT_EQ(as<int32_t>(s.min), -3);
  EXPECT_EQ(as<int32_t>(s.max), 7);
  MinMax u = min_max(v, 0, 4, SortOrder::Unsigned32);  // -1 is 0xFFFFFFFF unsigned
  EXPECT_EQ(as<int32_t>(u.min), 5);
  EXPECT_EQ(as<int32_t>(u.max), -1);
}

TEST(ValueStatistics, FloatsSkipNaNAndSignZeros) {
  auto v = fixed<double>({NAN, 0.0, 2.5, NAN});
  MinMax s = min_max(v, 0, 4, SortOrder::Double);
  EXPECT_TRUE(s.present);
  EXPECT_EQ(s.nan_count, 2);
  EXPECT_TRUE(std::signbit(as<double>(s.min)));  // a zero min is written as -0.0
  EXPECT_EQ(as<double>(s.max), 2.5);
  auto z = fixed<double>({-0.0, 0.0});
  MinMax zs = min_max(z, 0, 2, SortOrder::Double);
  EXPECT_TRUE(std::signbit(as<double>(zs.min)));
  EXPECT_FALSE(std::signbit(as<double>(zs.max)));  // a zero max as +0.0
  auto all_nan = fixed<float>({NAN, NAN});
  EXPECT_FALSE(min_max(all_nan, 0, 2, SortOrder::Float).present);
}

TEST(ValueStatistics, BytesCompareUnsignedAndDecimalsSigned) {
  ValueBuffer b;
  b.width = 0;
  const std::string hi("\xff", 1);
  for (const std::string& x : {std::string("b"), hi, std::string("a"), std::string()}) {
    b.append_binary(reinterpret_cast<const uint8_t*>(x.data()), x.size());
  }
  MinMax s = min_max(b, 0, 4, SortOrder::Bytes);
  EXPECT_EQ(s.min, "");
  EXPECT_EQ(s.max, hi);
  // Big-endian two's complement: 0xFF01 (-255) < 0x0001 (1) < 0x7F00.
  ValueBuffer d;
  d.width = 2;
  const uint8_t raw[] = {0x00, 0x01, 0xFF, 0x01, 0x7F, 0x00};
  for (size_t i = 0; i < sizeof raw; i += 2) d.append_fixed(raw + i);
  MinMax ds = min_max(d, 0, 3, SortOrder::SignedBigEndian);
  EXPECT_EQ(ds.min, std::string("\xff\x01", 2));
  EXPECT_EQ(ds.max, std::string("\x7f\x00", 2));
}

TEST(ValueStatistics, TruncationKeepsBounds) {
  std::string min = "abcdef", max = "abcdef";
  EXPECT_FALSE(truncate_min(min, 3));
  EXPECT_EQ(min, "abc");
  EXPECT_FALSE(truncate_max(max, 3));
  EXPECT_EQ(max, "abd");  // still >= every value with the prefix "abc"
  std::string ff("ab\xff\xff\xff", 5);
  EXPECT_FALSE(truncate_max(ff, 3));
  EXPECT_EQ(ff, "ac");
  std::string all(5, '\xff');
  EXPECT_TRUE(truncate_max(all, 3));  // nothing shorter bounds it: kept whole
  EXPECT_EQ(all.size(), 5u);
  std::string shorter = "ab";
  EXPECT_TRUE(truncate_min(shorter, 3));
}

TEST(DecimalWidth, FewestBytesForEachPrecision) {
  const int expected[] = {0, 1, 1, 2, 2, 3, 3, 4, 4, 4, 5, 5, 6, 6, 6, 7, 7, 8, 8, 9, 9, 9, 10, 10, 11, 11, 11,
                          12, 12, 13, 13, 13, 14, 14, 15, 15, 16, 16, 16};
  for (int p = 1; p <= 38; ++p) EXPECT_EQ(schema::decimal_byte_width(p), expected[p]) << p;
  EXPECT_EQ(schema::decimal_byte_width(76), 32);
}

}  // namespace
}  // namespace parkett::column
