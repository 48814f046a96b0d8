// PLAIN byte arrays decoded over their own page (large dictionaries): the values end up at
// the front of the page's storage, which the ValueBuffer then owns; bad lengths are Corrupt.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "encoding/plain.h"
#include "expect_error.h"

namespace parkett::encoding {
namespace {

// A page of `prefix` filler bytes, then the PLAIN encoding of `values` written by hand.
table::GrowableBuffer page_of(const std::string& prefix, const std::vector<std::string>& values) {
  std::string bytes = prefix;
  for (const std::string& v : values) {
    const auto n = static_cast<uint32_t>(v.size());
    bytes.append(reinterpret_cast<const char*>(&n), 4);
    bytes += v;
  }
  table::GrowableBuffer page;
  page.append(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  return page;
}

TEST(PlainInPlace, ValuesMoveToTheFrontOfTheirPage) {
  table::GrowableBuffer page = page_of("LEVELS", {"apple", "", "kiwi", std::string(40, 'z')});
  const uint8_t* storage = page.data();
  const size_t size = page.size() - 6;
  ValueBuffer out;
  EXPECT_EQ(decode_plain_in_place(std::move(page), 6, size, 4, out), size);
  EXPECT_EQ(out.data.data(), storage);  // the page's own memory, not a copy
  EXPECT_EQ(out.count, 4u);
  EXPECT_EQ(std::vector<int64_t>(out.offsets.begin(), out.offsets.end()), (std::vector<int64_t>{0, 5, 5, 9, 49}));
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(out.data.data()), out.data.size()),
            "applekiwi" + std::string(40, 'z'));
  EXPECT_EQ(out.binary(3), std::string(40, 'z'));
}

TEST(PlainInPlace, LengthsPastThePageAreCorrupt) {
  // The second value claims 100 bytes where 3 remain.
  table::GrowableBuffer page = page_of("", {"ab"});
  const uint32_t lie = 100;
  page.append(reinterpret_cast<const uint8_t*>(&lie), 4);
  page.append(reinterpret_cast<const uint8_t*>("xyz"), 3);
  const size_t size = page.size();
  ValueBuffer out;
  EXPECT_ERROR(decode_plain_in_place(std::move(page), 0, size, 2, out), ErrorKind::Corrupt, "100 bytes");
  // More values than 4-byte lengths fit.
  ValueBuffer more;
  EXPECT_ERROR(decode_plain_in_place(page_of("", {"ab"}), 0, 6, 2, more), ErrorKind::Corrupt, "byte arrays");
}

}  // namespace
}  // namespace parkett::encoding
