// A file's arrays brought to a dataset's types (dataset/conform.h): sliced arrays, structs
// of sliced parents, maps and lists whose writers named their parts differently, null
// columns; checked cell by cell against values written out by hand.
#include <gtest/gtest.h>

#include "arrays.h"
#include "dataset/conform.h"
#include "dataset_rows.h"
#include "expect_error.h"

namespace parkett::dataset {
namespace {

using Id = DataType::Id;
using test::field;

std::vector<std::string> cells(const ArrayPtr& a) {
  std::vector<std::string> out;
  for (int64_t r = 0; r < a->length; ++r) out.push_back(test::cell(*a, r));
  return out;
}

ArrayPtr struct_of(std::vector<Field> fields, std::vector<ArrayPtr> children, std::vector<bool> valid = {}) {
  auto a = std::make_shared<ArrayData>();
  a->type = DataType::structure(std::move(fields));
  a->length = children.at(0)->length;
  a->buffers = {valid.empty() ? nullptr : test::array_of(DataType(Id::Int32), std::vector<int32_t>(valid.size()), valid)->buffers[0]};
  for (bool v : valid) a->null_count += v ? 0 : 1;
  a->children = std::move(children);
  return a;
}

ArrayPtr ints(std::vector<int32_t> v, std::vector<bool> valid = {}) {
  return test::array_of(DataType(Id::Int32), v, valid);
}

TEST(Conform, SlicedValuesWidenWithTheirNulls) {
  const ArrayPtr a = slice(ints({1, 2, 3, 4, 5}, {true, false, true, true, false}), 1, 4);
  const ArrayPtr wide = conform(a, DataType(Id::Int64), false, "x", "f");
  EXPECT_EQ(wide->type, DataType(Id::Int64));
  EXPECT_EQ(cells(wide), (std::vector<std::string>{"null", "3", "4", "null"}));
  EXPECT_EQ(cells(conform(a, DataType(Id::Float64), false, "x", "f")),
            (std::vector<std::string>{"null", "3.000000", "4.000000", "null"}));
  const DataType ms = DataType::timestamp(TimeUnit::Milli), us = DataType::timestamp(TimeUnit::Micro);
  const ArrayPtr t = slice(test::array_of(ms, std::vector<int64_t>{7, -3, INT64_MAX}, {true, true, false}), 1, 2);
  EXPECT_EQ(cells(conform(t, us, false, "t", "f")), (std::vector<std::string>{"-3000", "null"}));  // a null may hold anything
  const ArrayPtr big = test::array_of(ms, std::vector<int64_t>{INT64_MAX / 10});
  EXPECT_ERROR(conform(big, us, false, "t", "f.parquet"), ErrorKind::InvalidArgument,
               "column 't' of 'f.parquet': the value 922337203685477580 of timestamp[ms] does not fit timestamp[us]");
}

TEST(Conform, StructsOfSlicedParentsMatchFieldsByName) {
  // A struct sliced at row 1: its children are read at the parent's offset.
  const Field a = field("a", DataType(Id::Int32)), b = field("b", DataType(Id::Int32));
  const ArrayPtr s = slice(struct_of({a, b}, {ints({1, 2, 3}), ints({10, 20, 30})}, {true, true, false}), 1, 2);
  const DataType to = DataType::structure({field("B", DataType(Id::Int64)), field("c", DataType(Id::Int32)),
                                           field("a", DataType(Id::Int32))});
  EXPECT_EQ(cells(conform(s, to, true, "s", "f")), (std::vector<std::string>{"{20,null,2}", "null"}));
  // A null column with an offset reads as nulls of any type.
  auto nulls = std::make_shared<ArrayData>();
  nulls->type = DataType(Id::Null);
  nulls->length = 2;
  nulls->offset = 3;
  nulls->null_count = 2;
  const ArrayPtr n = conform(nulls, to, false, "s", "f");
  EXPECT_EQ(n->type, to);
  EXPECT_EQ(cells(n), (std::vector<std::string>{"null", "null"}));
  std::string where;
  EXPECT_TRUE(reads_as(DataType(Id::Null), to, Fit{}, where));
  EXPECT_FALSE(reads_as(DataType::structure({field("a", DataType(Id::String))}), to, Fit{}, where));
  EXPECT_EQ(where, "a");
  EXPECT_FALSE(reads_as(DataType::structure({a}), to, Fit{false, false}, where));  // strict: B and c missing
}

TEST(Conform, ListsAndMapsMatchTheirPartsByPosition) {
  // list<item: int32> (pyarrow's name) read as list<element: int64>.
  auto list = std::make_shared<ArrayData>();
  list->type = DataType::list(field("item", DataType(Id::Int32)));
  list->length = 2;
  list->buffers = {nullptr, test::array_of(DataType(Id::Int32), std::vector<int32_t>{0, 2, 3})->buffers[1]};
  list->children = {ints({4, 5, 6})};
  const DataType to = DataType::list(field("element", DataType(Id::Int64)));
  std::string where;
  ASSERT_TRUE(reads_as(list->type, to, Fit{}, where));
  const ArrayPtr l = conform(list, to, false, "l", "f");
  EXPECT_EQ(l->type, to);
  EXPECT_EQ(cells(l), (std::vector<std::string>{"[4,5]", "[6]"}));
  // map<key_value<key, value>> read as map<entries<k, v: int64>>.
  auto entries = struct_of({field("key", DataType(Id::Int32), false), field("value", DataType(Id::Int32))},
                           {ints({1, 2}), ints({7, 8})});
  auto map = std::make_shared<ArrayData>();
  map->type = DataType::map(field("key", DataType(Id::Int32), false), field("value", DataType(Id::Int32)));
  map->length = 1;
  map->buffers = {nullptr, test::array_of(DataType(Id::Int32), std::vector<int32_t>{0, 2})->buffers[1]};
  map->children = {entries};
  const DataType to_map = DataType::map(field("k", DataType(Id::Int32), false), field("v", DataType(Id::Int64)));
  ASSERT_TRUE(reads_as(map->type, to_map, Fit{}, where));
  const ArrayPtr m = conform(map, to_map, false, "m", "f");
  EXPECT_EQ(m->type, to_map);
  EXPECT_EQ(test::cell(*m->children[0], 0) + test::cell(*m->children[0], 1), "{1,7}{2,8}");
  EXPECT_EQ(m->children[0]->children[1]->type, DataType(Id::Int64));
  EXPECT_FALSE(reads_as(map->type, DataType::map(field("k", DataType(Id::String), false), field("v", DataType(Id::Int64))),
                        Fit{}, where));
}

}  // namespace
}  // namespace parkett::dataset
