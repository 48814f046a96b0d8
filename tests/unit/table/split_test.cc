// table::split against the rows it was given: every part holds exactly the rows assigned
// to it, in order, for every layout (one-pass paths and the gather fallback), with nulls,
// sliced inputs, empty parts and long and short strings.
#include <gtest/gtest.h>

#include <random>

#include "arrays.h"
#include "table/split.h"

namespace parkett {
namespace {

using Id = DataType::Id;
using test::field;

void check_split(const DataType& type, int64_t offset, uint64_t seed) {
  SCOPED_TRACE(type.to_string() + " offset " + std::to_string(offset));
  std::mt19937_64 rng(seed);
  const int64_t n = 3000;
  const ArrayPtr whole = test::random_array(type, true, n + offset, 0.2, rng);
  const ArrayPtr a = slice(whole, offset, n);
  const size_t parts = 5;  // part 4 stays empty
  std::vector<uint32_t> part(static_cast<size_t>(n));
  std::vector<int64_t> counts(parts, 0);
  std::vector<std::vector<int64_t>> rows(parts);
  for (int64_t r = 0; r < n; ++r) {
    const auto p = static_cast<uint32_t>(rng() % 4);
    part[static_cast<size_t>(r)] = p;
    ++counts[p];
    rows[p].push_back(r);
  }
  // An unknown null count (-1, as arrays imported from Arrow may have) reads the bitmap.
  ArrayData unknown = *a;
  if (unknown.null_count > 0) unknown.null_count = -1;
  const std::vector<ArrayPtr> out = table::split(seed % 2 ? unknown : *a, part, counts);
  ASSERT_EQ(out.size(), parts);
  for (size_t p = 0; p < parts; ++p) {
    ASSERT_EQ(out[p]->length, counts[p]);
    int64_t nulls = 0;
    for (int64_t i = 0; i < counts[p]; ++i) {
      const int64_t r = rows[p][static_cast<size_t>(i)];
      ASSERT_EQ(test::render_value(*out[p], i), test::render_value(*a, r)) << "part " << p << " row " << r;
      nulls += out[p]->is_valid(i) ? 0 : 1;
    }
    EXPECT_EQ(out[p]->null_count, nulls) << "part " << p;
  }
}

TEST(Split, EveryPartHoldsItsRowsInOrder) {
  const std::vector<DataType> types = {
      DataType(Id::Int8), DataType(Id::Int16), DataType(Id::Int32), DataType(Id::Int64), DataType(Id::Float64),
      DataType::decimal(30, 4), DataType::fixed_size_binary(16), DataType::fixed_size_binary(3), DataType(Id::Boolean),
      DataType(Id::String), DataType(Id::LargeString), DataType(Id::Binary), DataType::timestamp(TimeUnit::Micro),
      DataType::list(field("element", DataType(Id::Int32))),
      DataType::structure({field("a", DataType(Id::Int32)), field("b", DataType(Id::String))}),
      DataType::dictionary(DataType(Id::String))};
  uint64_t seed = 1;
  for (const DataType& t : types) {
    for (int64_t offset : {0, 13}) check_split(t, offset, seed++);
  }
}

}  // namespace
}  // namespace parkett
