// Variant values printed as JSON: malformed bytes are refused, never printed forever.
#include "convert/variant_json.h"

#include <gtest/gtest.h>

#include "expect_error.h"

namespace parkett::convert {
namespace {

const std::string kEmptyMetadata("\x01\x00\x00", 3);  // version 1, no keys

TEST(VariantJson, NestedArraysPrint) {
  // [[null], null]: arrays of 1-byte offsets (header 0x03), elements after the offsets.
  const std::string inner("\x03\x01\x00\x01\x00", 5);
  const std::string outer = std::string("\x03\x02\x00\x05\x06", 5) + inner + std::string(1, '\0');
  std::string out;
  write_variant_json(kEmptyMetadata, outer, out);
  EXPECT_EQ(out, "[[null],null]");
}

TEST(VariantJson, ElementsSharingBytesAreRefusedNotPrintedForever) {
  // 64 levels of two-element arrays whose elements both start at offset 0: 321 bytes that
  // would print 2^64 nulls.
  std::string value(1, '\0');  // null
  for (int level = 0; level < 64; ++level) {
    std::string array("\x03\x02\x00\x00", 4);
    array.push_back(static_cast<char>(value.size()));
    value = array + value;
    if (value.size() > 250) break;  // 1-byte offsets
  }
  std::string out;
  EXPECT_ERROR(write_variant_json(kEmptyMetadata, value, out), ErrorKind::Corrupt, "elements share bytes");
}

}  // namespace
}  // namespace parkett::convert
