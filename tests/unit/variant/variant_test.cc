// The Variant binary encoding: reading metadata and values, writing them back, and
// refusing malformed bytes.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "expect_error.h"
#include "parkett/error.h"
#include "variant/variant.h"

namespace parkett::variant {
namespace {

Bytes bytes(const std::string& s) { return {reinterpret_cast<const uint8_t*>(s.data()), s.size()}; }

// Metadata with `keys` (1-byte offsets), sorted flag as given.
std::string metadata(const std::vector<std::string>& keys, bool sorted) {
  std::string out(1, static_cast<char>(0x01 | (sorted ? 0x10 : 0)));
  out += static_cast<char>(keys.size());
  size_t at = 0;
  out += '\0';
  for (const auto& k : keys) out += static_cast<char>(at += k.size());
  for (const auto& k : keys) out += k;
  return out;
}

TEST(VariantMetadata, KeysAndLookupSortedOrNot) {
  for (bool sorted : {true, false}) {
    const std::vector<std::string> keys = sorted ? std::vector<std::string>{"a", "bb", "c"}
                                                 : std::vector<std::string>{"zeta", "a", "mid"};
    const std::string m = metadata(keys, sorted) + "trailing value bytes";
    const Metadata md(bytes(m));
    ASSERT_EQ(md.size(), 3u);
    for (uint32_t i = 0; i < 3; ++i) {
      EXPECT_EQ(md.key(i), keys[i]);
      EXPECT_EQ(md.find(keys[i]), i);
    }
    EXPECT_EQ(md.find("nope"), -1);
    EXPECT_EQ(md.encoded_size(), m.size() - std::string("trailing value bytes").size());
    EXPECT_ERROR(md.key(3), ErrorKind::Corrupt, "field id 3 beyond the dictionary");
  }
}

TEST(VariantMetadata, MalformedIsCorrupt) {
  for (const std::string& bad : {std::string(), std::string("\x02\x00\x00", 3), std::string("\x01\x05\x00", 3),
                                std::string("\x01\x01\x00\x09" "ab", 6), std::string("\x01\x02\x00\x02\x01" "ab", 7),
                                std::string("\xc1\xff\xff\xff\xff", 5)}) {
    try {
      Metadata m(bytes(bad));
      ADD_FAILURE() << "accepted " << bad.size() << " bytes";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::Corrupt);
    }
  }
}

TEST(VariantValue, WriterOutputReadsBack) {
  std::string s;
  Writer w(s);
  w.int32(-7);
  const Value v(bytes(s));
  EXPECT_EQ(v.basic_type(), BasicType::Primitive);
  EXPECT_EQ(v.primitive(), Primitive::Int32);
  EXPECT_EQ(v.encoded().size(), 5u);

  std::string shortstr, longstr;
  Writer(shortstr).string("hi");
  Writer(longstr).string(std::string(64, 'x'));
  EXPECT_EQ(shortstr, std::string("\x09hi"));  // (2 << 2) | 1
  EXPECT_EQ(Value(bytes(shortstr)).text(), "hi");
  EXPECT_EQ(static_cast<uint8_t>(longstr[0]), 16u << 2);
  EXPECT_EQ(Value(bytes(longstr)).text(), std::string(64, 'x'));

  // An array of 300 elements needs a 4-byte count; its elements come back in order.
  std::vector<std::string> items(300);
  std::vector<std::string_view> views;
  for (size_t i = 0; i < items.size(); ++i) {
    Writer(items[i]).int16(static_cast<int16_t>(i));
    views.push_back(items[i]);
  }
  std::string arr;
  Writer(arr).array(views);
  const Value a(bytes(arr));
  ASSERT_EQ(a.basic_type(), BasicType::Array);
  ASSERT_EQ(a.count(), 300u);
  EXPECT_EQ((static_cast<uint8_t>(arr[0]) >> 4) & 1, 1);  // is_large
  EXPECT_EQ(a.encoded().size(), arr.size());
  for (size_t i = 0; i < 300; i += 37) {
    const Value e = a.element(i);
    EXPECT_EQ(e.primitive(), Primitive::Int16);
    EXPECT_EQ(e.payload()[0] | (e.payload()[1] << 8), static_cast<int>(i));
  }

  // An object: ids in the order given (sorted by name by the caller), values by offset.
  std::string one, two;
  Writer(one).boolean(true);
  Writer(two).null();
  std::string obj;
  Writer(obj).object({{2, one}, {0, two}}, 3);
  const Value o(bytes(obj));
  ASSERT_EQ(o.count(), 2u);
  EXPECT_EQ(o.field_id(0), 2u);
  EXPECT_EQ(o.field_id(1), 0u);
  EXPECT_EQ(o.element(0).primitive(), Primitive::True);
  EXPECT_EQ(o.element(1).primitive(), Primitive::Null);
}

TEST(VariantValue, TruncatedOrOverlongValuesAreCorrupt) {
  std::string arr;
  std::vector<std::string> items(3, std::string(1, '\0'));
  Writer(arr).array({items[0], items[1], items[2]});
  for (size_t cut = 0; cut < arr.size(); ++cut) {
    SCOPED_TRACE(cut);
    EXPECT_ERROR(Value(bytes(arr.substr(0, cut))), ErrorKind::Corrupt);
  }
  // A count far beyond the bytes, an offset past the values, an unknown primitive.
  EXPECT_ERROR(Value(bytes(std::string("\x13\xff\xff\xff\x7f\x00", 6))), ErrorKind::Corrupt,
               "element count larger than the value");
  std::string bad_offset = arr;
  bad_offset[3] = 9;  // second element offset
  EXPECT_ERROR(Value(bytes(bad_offset)).element(1), ErrorKind::Corrupt, "element offset 9 past the values");
  EXPECT_ERROR(Value(bytes(std::string(1, static_cast<char>(40 << 2)))), ErrorKind::Corrupt,
               "primitive type id 40 is not known");
  // A string whose length field is cut short.
  EXPECT_ERROR(Value(bytes(std::string("\x40\x05\x00", 3))), ErrorKind::Corrupt, "shorter than its length");
}

}  // namespace
}  // namespace parkett::variant
