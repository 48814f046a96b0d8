#include "thrift/compact_protocol.h"

#include <gtest/gtest.h>

#include "expect_error.h"
#include "parkett/error.h"

namespace parkett::thrift {
namespace {

std::string bytes(std::initializer_list<int> b) {
  std::string s;
  for (int x : b) s.push_back(static_cast<char>(x));
  return s;
}

// The reader does not own its bytes: callers keep `s` alive while reading.
CompactReader reader_of(const std::string& s) {
  return CompactReader(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

TEST(CompactProtocol, VarintAndZigzagRoundTrip) {
  for (int64_t v : {int64_t{0}, int64_t{1}, int64_t{-1}, int64_t{63}, int64_t{-64}, int64_t{300},
                    INT64_MAX, INT64_MIN, int64_t{INT32_MIN}, int64_t{INT32_MAX}}) {
    std::string out;
    CompactWriter w(out);
    w.write_i64(v);
    auto r = reader_of(out);
    EXPECT_EQ(r.read_i64(), v);
    EXPECT_EQ(r.remaining(), 0u);
  }
  std::string out;
  CompactWriter(out).write_i32(-3);
  EXPECT_EQ(out, bytes({5}));  // zigzag(-3) = 5
}

TEST(CompactProtocol, FieldHeadersShortAndLongForm) {
  std::string out;
  CompactWriter w(out);
  int16_t last = 0;
  w.write_field_header(1, kI32, last);
  w.write_field_header(17, kBinary, last);   // delta 16: long form
  w.write_field_header(3, kI64, last);       // negative delta: long form
  w.write_field_header(4, kBoolTrue, last);  // delta 1
  EXPECT_EQ(out, bytes({0x15, 0x08, 0x22, 0x06, 0x06, 0x11}));
  auto r = reader_of(out);
  int16_t l = 0;
  EXPECT_EQ(r.read_field_header(l).id, 1);
  auto h = r.read_field_header(l);
  EXPECT_EQ(h.id, 17);
  EXPECT_EQ(h.type, kBinary);
  EXPECT_EQ(r.read_field_header(l).id, 3);
  h = r.read_field_header(l);
  EXPECT_EQ(h.id, 4);
  EXPECT_EQ(h.type, kBoolTrue);
}

TEST(CompactProtocol, ListHeaderLongForm) {
  std::string out;
  CompactWriter w(out);
  w.write_list_header(kI32, 20);
  for (int i = 0; i < 20; ++i) w.write_i32(i);
  auto r = reader_of(out);
  auto h = r.read_list_header();
  EXPECT_EQ(h.size, 20u);
  EXPECT_EQ(h.elem_type, kI32);
}

TEST(CompactProtocol, EmptyContainersMayNameAnyElementType) {
  // fastparquet 2024.5 writes an empty list as the single byte 0x00 (size 0, element type 0,
  // which is no type at all); Thrift readers ignore the element type of an empty list.
  for (int header : {0x00, 0x0d, 0x0e, 0x0f}) {
    const std::string empty = bytes({header});
    auto r = reader_of(empty);
    ListHeader h = r.read_list_header();
    EXPECT_EQ(h.size, 0u);
    EXPECT_TRUE(h.holds(kI32));
    EXPECT_TRUE(h.holds(kStruct));
  }
  // struct { 1: list (empty, type 0), 2: set (empty, type 0), 3: map (empty) } stop, then a
  // trailing byte that skipping must not consume.
  const std::string s = bytes({0x19, 0x00, 0x1a, 0x00, 0x1b, 0x00, 0x00, 0x7f});
  auto r = reader_of(s);
  r.skip(kStruct);
  EXPECT_EQ(r.remaining(), 1u);
}

TEST(CompactProtocol, NonEmptyListWithInvalidElementTypeIsRefused) {
  for (int header : {0x10, 0x1d, 0x1e, 0x1f}) {  // one element of type 0, 13, 14, 15
    const std::string one = bytes({header, 0x02});
    auto r = reader_of(one);
    EXPECT_ERROR(r.read_list_header(), ErrorKind::Corrupt, "unknown list element type");
    const std::string in_struct = bytes({0x19, header, 0x02, 0x00});  // the reader does not own its bytes
    auto r2 = reader_of(in_struct);
    EXPECT_ERROR(r2.skip(kStruct), ErrorKind::Corrupt, "unknown list element type");
  }
  ListHeader h{kI32, 3};
  EXPECT_TRUE(h.holds(kI32));
  EXPECT_FALSE(h.holds(kBinary));
}

TEST(CompactProtocol, SkipsEveryTypeIncludingMapsAndNestedStructs) {
  // struct { 1: map<string,bool> = {"a": true}, 2: list<struct{1: double}> [ {1.5} ],
  //          3: set<i16> {7}, 4: bool false, 5: byte 9 } then a trailing byte
  std::string out;
  CompactWriter w(out);
  int16_t last = 0;
  w.write_field_header(1, kMap, last);
  w.write_varint(1);
  w.write_byte(static_cast<uint8_t>((kBinary << 4) | kBoolTrue));
  w.write_binary("a");
  w.write_byte(1);
  w.write_field_header(2, kList, last);
  w.write_list_header(kStruct, 1);
  int16_t inner = 0;
  w.write_field_header(1, kDouble, inner);
  w.write_double(1.5);
  w.write_stop();
  w.write_field_header(3, kSet, last);
  w.write_list_header(kI16, 1);
  w.write_i16(7);
  w.write_field_header(4, kBoolFalse, last);
  w.write_field_header(5, kByte, last);
  w.write_byte(9);
  w.write_stop();
  out.push_back('X');
  auto r = reader_of(out);
  r.skip(kStruct);
  EXPECT_EQ(r.remaining(), 1u);
}

TEST(CompactProtocol, RejectsLengthsBeyondTheInput) {
  const std::string short_binary = bytes({0x7f, 'a'});  // binary of 127 bytes, 1 present
  auto r = reader_of(short_binary);
  EXPECT_ERROR(r.read_binary(), ErrorKind::Corrupt, "binary length 127 exceeds the 1 bytes remaining");
  const std::string huge_list = bytes({0xf5, 0xff, 0xff, 0xff, 0x0f});  // 2^32-1 i32
  auto r2 = reader_of(huge_list);
  try {
    r2.read_list_header();
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Corrupt);
    EXPECT_NE(std::string(e.what()).find("exceeds"), std::string::npos);
  }
}

TEST(CompactProtocol, RejectsOverlongVarintsAndTruncation) {
  const std::string overlong(11, '\xff');
  auto r = reader_of(overlong);
  EXPECT_ERROR(r.read_varint(), ErrorKind::Corrupt, "varint longer than 10 bytes");
  const std::string cut = bytes({0x80});
  auto r2 = reader_of(cut);
  EXPECT_ERROR(r2.read_varint(), ErrorKind::Corrupt, "unexpected end of data inside a varint");
  const std::string three = bytes({1, 2, 3});
  auto r3 = reader_of(three);
  EXPECT_ERROR(r3.read_double(), ErrorKind::Corrupt, "unexpected end of data inside a double");
}

TEST(CompactProtocol, NestingDepthIsLimited) {
  // 100 nested structs: field 1 of type struct, repeatedly.
  std::string deep(100, static_cast<char>(0x1c));
  auto r = reader_of(deep);
  try {
    r.skip(kStruct);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::ResourceLimit);
  }
}

TEST(CompactProtocol, AllocationBudgetIsEnforced) {
  std::string s = bytes({0x05, 'h', 'e', 'l', 'l', 'o'});
  ThriftLimits limits;
  limits.max_decoded_bytes = 3;
  CompactReader r(reinterpret_cast<const uint8_t*>(s.data()), s.size(), limits);
  try {
    r.read_binary();
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::ResourceLimit);
  }
}

TEST(CompactProtocol, I32OutOfRangeIsCorrupt) {
  std::string out;
  CompactWriter(out).write_i64(int64_t{1} << 40);
  auto r = reader_of(out);
  EXPECT_ERROR(r.read_i32(), ErrorKind::Corrupt, "i32 value 1099511627776 out of range");
}

}  // namespace
}  // namespace parkett::thrift
