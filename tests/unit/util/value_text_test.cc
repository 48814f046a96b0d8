#include "util/value_text.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "util/json_text.h"

namespace parkett::util {
namespace {

TEST(ValueText, NumbersAsEcmaScriptPrintsThem) {
  EXPECT_EQ(format_double(0.1), "0.1");
  EXPECT_EQ(format_double(10.1), "10.1");
  EXPECT_EQ(format_double(1e21), "1e+21");
  EXPECT_EQ(format_double(1.5e-7), "1.5e-7");
  EXPECT_EQ(format_double(-3), "-3");
  EXPECT_EQ(format_double(123000), "123000");
  EXPECT_EQ(format_double(0.001), "0.001");
  EXPECT_EQ(format_double(-0.0), "-0");
  EXPECT_EQ(format_double(std::nan("")), "NaN");
  EXPECT_EQ(format_double(-std::numeric_limits<double>::infinity()), "-Infinity");
  EXPECT_EQ(format_float(1.1f), "1.1");
  EXPECT_EQ(format_double(static_cast<double>(1.1f)), "1.100000023841858");
}

TEST(ValueText, HalfFloats) {
  EXPECT_EQ(half_to_float(0x3c00), 1.0f);
  EXPECT_EQ(half_to_float(0xc000), -2.0f);
  EXPECT_EQ(half_to_float(0x0001), std::ldexp(1.0f, -24));
  EXPECT_TRUE(std::isinf(half_to_float(0x7c00)));
  EXPECT_TRUE(std::isnan(half_to_float(0x7e00)));
}

TEST(ValueText, DatesAndTimestamps) {
  EXPECT_EQ(format_date(0), "1970-01-01");
  EXPECT_EQ(format_date(14304), "2009-03-01");
  EXPECT_EQ(format_date(-1), "1969-12-31");
  EXPECT_EQ(format_date(-719529), "-0001-12-31");
  EXPECT_EQ(format_date(2932897), "+10000-01-01");
  EXPECT_EQ(format_timestamp(1235865660000, TimeUnit::Milli, false), "2009-03-01T00:01:00.000000");
  EXPECT_EQ(format_timestamp(-1, TimeUnit::Micro, true), "1969-12-31T23:59:59.999999Z");
  EXPECT_EQ(format_timestamp(1704110400123456789, TimeUnit::Nano, false),
            "2024-01-01T12:00:00.123456789");
  EXPECT_EQ(format_time(45000000000, TimeUnit::Micro, false), "12:30:00.000000");
  EXPECT_EQ(format_time(1, TimeUnit::Nano, true), "00:00:00.000000001Z");
}

TEST(ValueText, TimesOutsideADayAreSignedElapsedTime) {
  // PostgreSQL-based exporters write such values; printed as Arrow C++ prints them.
  EXPECT_EQ(format_time(-13899000, TimeUnit::Milli, false), "-03:51:39.000000");
  EXPECT_EQ(format_time(-1, TimeUnit::Milli, false), "-00:00:00.001000");
  EXPECT_EQ(format_time(86400000000, TimeUnit::Micro, false), "24:00:00.000000");
  EXPECT_EQ(format_time(90061000001, TimeUnit::Micro, true), "25:01:01.000001Z");
  EXPECT_EQ(format_time(INT64_MIN, TimeUnit::Nano, false), "-2562047:47:16.854775808");
  EXPECT_EQ(format_time(INT32_MIN, TimeUnit::Milli, false), "-596:31:23.648000");
}

TEST(ValueText, Decimals) {
  EXPECT_EQ(format_decimal(1230, 2), "12.30");
  EXPECT_EQ(format_decimal(-5, 2), "-0.05");
  EXPECT_EQ(format_decimal(7, 0), "7");
  EXPECT_EQ(format_decimal(INT64_MIN, 0), "-9223372036854775808");
  EXPECT_EQ(format_decimal_bytes(std::string("\xff\xff", 2), 1), "-0.1");
  EXPECT_EQ(format_decimal_bytes(std::string(""), 3), "0.000");
  // 2^100 as 16 big-endian bytes
  std::string big(16, '\0');
  big[3] = 0x10;
  EXPECT_EQ(format_decimal_bytes(big, 0), "1267650600228229401496703205376");
}

TEST(JsonText, EscapesLikeJsonStringify) {
  EXPECT_EQ(json_string("a\"b\\c/d"), "\"a\\\"b\\\\c/d\"");
  EXPECT_EQ(json_string(std::string("\b\t\n\f\r\x01\x1f", 7)), "\"\\b\\t\\n\\f\\r\\u0001\\u001f\"");
  EXPECT_EQ(json_string("h\xc3\xa9"), "\"h\xc3\xa9\"");
  EXPECT_EQ(json_string("\xff"), "\"\xef\xbf\xbd\"");
  EXPECT_EQ(hex_bytes(std::string("\x00\xab", 2)), "0x00ab");
  EXPECT_EQ(hex_bytes(""), "0x");
}

}  // namespace
}  // namespace parkett::util
