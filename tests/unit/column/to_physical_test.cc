// Gathering a leaf's strings into the writer's ValueBuffer: the first dense run borrows the
// Arrow array's bytes, what follows (dense or with gaps, 32- or 64-bit offsets) is copied
// after them, and every value reads back as it was.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "arrays.h"
#include "column/to_physical.h"

namespace parkett::column {
namespace {

using encoding::ValueBuffer;

std::vector<std::string> strings_of(const ValueBuffer& v) {
  std::vector<std::string> out;
  for (size_t i = 0; i < v.count; ++i) out.emplace_back(v.binary(i));
  return out;
}

ShreddedLeaf dense(const ArrayData& a, int64_t first, int64_t count) {
  ShreddedLeaf leaf;
  leaf.array = &a;
  leaf.dense = true;
  leaf.first = first;
  leaf.count = count;
  return leaf;
}

SchemaNode byte_array_node() {
  SchemaNode node;
  node.physical_type = PhysicalType::ByteArray;
  return node;
}

TEST(ToPhysical, FirstDenseRunIsBorrowedThenCopied) {
  const SchemaNode node = byte_array_node();
  ArrayPtr first = test::string_array({"skip", "alpha", "", "gamma"});
  ArrayPtr second = test::string_array({"delta", "epsilon"}, DataType(DataType::Id::LargeBinary));
  ValueBuffer v;
  append_physical(dense(*first, 1, 3), node, "s", v);
  // Borrowed: no bytes of its own, pointing at "alpha" in the array.
  EXPECT_TRUE(v.data.empty());
  EXPECT_EQ(v.borrowed, first->buffers[2]->data() + 4);
  EXPECT_EQ(strings_of(v), (std::vector<std::string>{"alpha", "", "gamma"}));
  append_physical(dense(*second, 0, 2), node, "s", v);
  EXPECT_EQ(v.borrowed, nullptr);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(v.data.data()), v.data.size()), "alphagammadeltaepsilon");
  EXPECT_EQ(std::vector<int64_t>(v.offsets.begin(), v.offsets.end()), (std::vector<int64_t>{0, 5, 5, 10, 15, 22}));
  EXPECT_EQ(strings_of(v), (std::vector<std::string>{"alpha", "", "gamma", "delta", "epsilon"}));
}

TEST(ToPhysical, ValuesWithGapsAreCopied) {
  const SchemaNode node = byte_array_node();
  ArrayPtr a = test::string_array({"a", std::nullopt, "bcd", std::nullopt, "", "ef"});
  ShreddedLeaf leaf;
  leaf.array = a.get();
  leaf.positions = {0, 2, 4, 5};
  ValueBuffer v;
  append_physical(leaf, node, "s", v);
  EXPECT_EQ(v.borrowed, nullptr);
  EXPECT_EQ(v.count, 4u);
  EXPECT_EQ(std::vector<int64_t>(v.offsets.begin(), v.offsets.end()), (std::vector<int64_t>{0, 1, 4, 4, 6}));
  // A dense run after them is copied too: the buffer owns bytes already.
  append_physical(dense(*a, 0, 1), node, "s", v);
  EXPECT_EQ(strings_of(v), (std::vector<std::string>{"a", "bcd", "", "ef", "a"}));
}

TEST(ToPhysical, AnEmptyShareBorrowsNothing) {
  const SchemaNode node = byte_array_node();
  ArrayPtr a = test::string_array({"x", "yz"});
  ValueBuffer v;
  append_physical(dense(*a, 0, 0), node, "s", v);
  EXPECT_EQ(v.count, 0u);
  EXPECT_EQ(v.borrowed, nullptr);
  append_physical(dense(*a, 0, 2), node, "s", v);  // the first values: borrowed
  EXPECT_EQ(v.borrowed, a->buffers[2]->data());
  EXPECT_EQ(strings_of(v), (std::vector<std::string>{"x", "yz"}));
  // own() turns borrowed bytes into owned ones, offsets unchanged.
  v.own();
  EXPECT_EQ(v.borrowed, nullptr);
  EXPECT_EQ(strings_of(v), (std::vector<std::string>{"x", "yz"}));
}

}  // namespace
}  // namespace parkett::column
