// Column projection (names and nested Parquet paths) and row-group selection give the
// same values as a full read, restricted.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "arrays.h"
#include "convert/jsonl_writer.h"
#include "corpus.h"
#include "expect_error.h"
#include "parkett/error.h"
#include "parkett/reader.h"
#include "parkett/writer.h"
#include "temp_dir.h"

namespace parkett {
namespace {

std::vector<nlohmann::json> rows(const std::string& path, const ReadOptions& options) {
  FileReader r = FileReader::open(path, options);
  std::istringstream in(convert::to_canonical_jsonl(r.metadata().schema(), r.read_table()));
  std::vector<nlohmann::json> out;
  std::string line;
  while (std::getline(in, line)) out.push_back(nlohmann::json::parse(line));
  return out;
}

TEST(Projection, NestedPathsKeepOnlyTheirLeaves) {
  const std::string path = std::string(PARKETT_SOURCE_DIR) + "/examples/sample.parquet";
  auto full = rows(path, {});
  ReadOptions some;
  some.columns = {"address.city", "item_ids", "order_id"};
  auto part = rows(path, some);
  ASSERT_EQ(part.size(), full.size());
  EXPECT_EQ(part[0]["columns"].size(), 3u);
  EXPECT_EQ(part[0]["columns"][0]["type"], "struct<city: string>");
  for (size_t i = 1; i < full.size(); ++i) {
    EXPECT_EQ(part[i]["address"]["city"], full[i]["address"]["city"]);
    EXPECT_FALSE(part[i]["address"].contains("zip"));
    EXPECT_EQ(part[i]["item_ids"], full[i]["item_ids"]);
    EXPECT_EQ(part[i]["order_id"], full[i]["order_id"]);
  }
  // Into a list of structs, by the Parquet path of the leaf.
  ReadOptions inner;
  inner.columns = {"a.list.element.list.element"};
  auto nested = rows(test::data_file("nested_lists.snappy.parquet"), inner);
  EXPECT_EQ(nested[1]["a"], nlohmann::json::parse(R"([[["a","b"],["c"]],[null,["d"]]])"));
}

class DottedNames : public test::TempDirTest {};

// A top-level column named with a dot (pandas and Spark allow "a.b") is selected, and
// filtered on, by its whole name; a dotted name that is no top-level field is still a path.
TEST_F(DottedNames, WholeNamesComeBeforePaths) {
  using Id = DataType::Id;
  Field ab{"a.b", DataType(Id::Int64), true, {}};
  Field s{"s", DataType::structure({Field{"x", DataType(Id::Int64), true, {}}}), true, {}};
  auto x = test::array_of<int64_t>(DataType(Id::Int64), {7, 8, 9});
  auto st = std::make_shared<ArrayData>();
  st->type = s.type;
  st->length = 3;
  st->buffers = {nullptr};
  st->children = {x};
  write_table(test::table_of({ab, s}, {test::array_of<int64_t>(DataType(Id::Int64), {1, 2, 3}), st}), path());
  ReadOptions o;
  o.columns = {"a.b"};
  Table t = read_table(path(), o);
  ASSERT_EQ(t.schema.fields.size(), 1u);
  EXPECT_EQ(t.schema.fields[0].name, "a.b");
  o.columns = {"s.x"};
  EXPECT_EQ(read_table(path(), o).schema.fields[0].name, "s");
  o.columns = {};
  o.filter = Expression::parse("\"a.b\" >= 2 AND s.x < 9");
  EXPECT_EQ(read_table(path(), o).num_rows(), 1);
  o.filter = {};
  o.columns = {"a.c"};
  EXPECT_ERROR(read_table(path(), o), ErrorKind::InvalidArgument, "no column named 'a.c'");
}

TEST(Projection, UnknownColumnsAreNamed) {
  ReadOptions bad;
  bad.columns = {"address.nope"};
  try {
    read_table(std::string(PARKETT_SOURCE_DIR) + "/examples/sample.parquet", bad);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::InvalidArgument);
    EXPECT_NE(std::string(e.what()).find("no column named 'address.nope'"), std::string::npos);
  }
}

TEST(Projection, RowGroupSelection) {
  const std::string path = test::data_file("floating_orders_nan_count.parquet");
  auto full = rows(path, {});
  ReadOptions second;
  second.row_groups = {1, 3};
  Table t = FileReader::open(path).read_table(second);
  ASSERT_EQ(t.batches.size(), 2u);
  auto part = rows(path, second);
  // Row groups of this file hold 10 rows each.
  ASSERT_EQ(part.size(), 21u);
  for (size_t i = 0; i < 10; ++i) {
    EXPECT_EQ(part[1 + i], full[1 + 10 + i]);
    EXPECT_EQ(part[11 + i], full[1 + 30 + i]);
  }
}

}  // namespace
}  // namespace parkett
