// Column projection (names and nested Parquet paths) and row-group selection give the
// same values as a full read, restricted.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "convert/jsonl_writer.h"
#include "corpus.h"
#include "parkett/error.h"
#include "parkett/reader.h"

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
