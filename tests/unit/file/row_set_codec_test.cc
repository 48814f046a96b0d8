// Deephaven's RowSet bytes: the encodings Deephaven's writer gives (worked through its
// algorithm by hand: deltas, negated range ends, int8 runs of 4 or more as byte arrays),
// and corrupt input refused.
#include <gtest/gtest.h>

#include <limits>

#include "expect_error.h"
#include "hex_text.h"
#include "file/row_set_codec.h"

namespace parkett::file {
namespace {

constexpr int64_t kNoLimit = std::numeric_limits<int64_t>::max();

std::vector<uint8_t> bytes_of(std::initializer_list<int> v) {
  std::vector<uint8_t> out;
  for (int b : v) out.push_back(static_cast<uint8_t>(b));
  return out;
}

TEST(RowSetCodec, EncodesAsDeephavenDoes) {
  // {0..3}: deltas 0 and -3 (a range's end negated), two int8s: a byte array of 2 at the end.
  EXPECT_EQ(test::spaced_hex(encode_row_set(std::vector<column::RowRange>{{0, 4}})), "1c 02 00 fd 20");
  // {5}: one delta, an int8 offset.
  EXPECT_EQ(test::spaced_hex(encode_row_set(std::vector<column::RowRange>{{5, 6}})), "0c 05 20");
  // {0..99999}: the end's delta passes int16: written alone, as an int32 (-99999).
  EXPECT_EQ(test::spaced_hex(encode_row_set(std::vector<column::RowRange>{{0, 100000}})), "0c 00 0a ff fe 79 61 20");
  EXPECT_EQ(test::spaced_hex(encode_row_set(std::vector<column::RowRange>{})), "20");
  // {0,2,4,6,8,1000}: five int8 deltas (a byte array), then 992 as an int16 offset.
  EXPECT_EQ(test::spaced_hex(encode_row_set(std::vector<column::RowRange>{{0, 1}, {2, 3}, {4, 5}, {6, 7}, {8, 9}, {1000, 1001}})),
            "1c 05 00 02 02 02 02 09 03 e0 20");
  // {1000, 1002, 1004, 2000}: fewer than 4 int8 deltas between int16 ones ride with them in
  // one short array (count 4 as an int8: 0x10 | 0x04).
  EXPECT_EQ(test::spaced_hex(encode_row_set(std::vector<column::RowRange>{{1000, 1001}, {1002, 1003}, {1004, 1005}, {2000, 2001}})),
            "14 04 03 e8 00 02 00 02 03 e4 20");
  // {1000, 1002, 1004}: at the end the int8s are written as bytes whatever their number.
  EXPECT_EQ(test::spaced_hex(encode_row_set(std::vector<column::RowRange>{{1000, 1001}, {1002, 1003}, {1004, 1005}})),
            "09 03 e8 1c 02 02 02 20");
}

TEST(RowSetCodec, DecodesWhatItEncodes) {
  const std::vector<std::vector<column::RowRange>> sets = {
      {}, {{0, 1}}, {{0, 4}}, {{7, 8}, {9, 21}, {40000, 40001}, {40002, 5000000001}, {5000000005, 5000000006}},
      {{1, 3}, {4, 131}, {300, 301}, {301, 303}}};
  for (const auto& s : sets) {
    const std::string b = encode_row_set(s);
    EXPECT_EQ(decode_row_set({reinterpret_cast<const uint8_t*>(b.data()), b.size()}, kNoLimit), s) << test::spaced_hex(b);
  }
}

TEST(RowSetCodec, RefusesCorruptBytes) {
  EXPECT_ERROR(decode_row_set(bytes_of({}), kNoLimit), ErrorKind::Corrupt, "ends inside a command");
  EXPECT_ERROR(decode_row_set(bytes_of({0x0c, 0x05}), kNoLimit), ErrorKind::Corrupt, "ends inside a command");
  EXPECT_ERROR(decode_row_set(bytes_of({0x0a, 0x00, 0x01}), kNoLimit), ErrorKind::Corrupt, "ends inside a value");
  EXPECT_ERROR(decode_row_set(bytes_of({0x38, 0x20}), kNoLimit), ErrorKind::Corrupt, "unknown command byte 56");
  EXPECT_ERROR(decode_row_set(bytes_of({0x0d, 0x20}), kNoLimit), ErrorKind::Corrupt, "unknown value width 5");
  EXPECT_ERROR(decode_row_set(bytes_of({0x0c, 0xfd, 0x20}), kNoLimit), ErrorKind::Corrupt, "range end without its start");
  EXPECT_ERROR(decode_row_set(bytes_of({0x0c, 0x05, 0x0c, 0x00, 0x20}), kNoLimit), ErrorKind::Corrupt, "does not increase");
  EXPECT_ERROR(decode_row_set(bytes_of({0x1c, 0x7f, 0x00, 0x20}), kNoLimit), ErrorKind::Corrupt, "array count of 127");
  EXPECT_ERROR(decode_row_set(bytes_of({0x20, 0x00}), kNoLimit), ErrorKind::Corrupt, "1 bytes after the end command");
  // The largest position there is, as an int64 offset: past any file.
  EXPECT_ERROR(decode_row_set(bytes_of({0x0b, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x20}), kNoLimit),
               ErrorKind::Corrupt, "is past the file's");
}

TEST(RowSetCodec, PositionsStayBelowTheLimit) {
  // {0..3}: the range's end, 3, is the last row of a file of 4 rows, not of 3.
  EXPECT_EQ(decode_row_set(bytes_of({0x1c, 0x02, 0x00, 0xfd, 0x20}), 4), (std::vector<column::RowRange>{{0, 4}}));
  EXPECT_ERROR(decode_row_set(bytes_of({0x1c, 0x02, 0x00, 0xfd, 0x20}), 3), ErrorKind::Corrupt,
               "row 3 is past the file's 3 rows");
}

}  // namespace
}  // namespace parkett::file
