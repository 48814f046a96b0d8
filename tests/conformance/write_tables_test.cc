// write_tables (Deephaven's batch_write): several tables to several files with one schema,
// checked before any file is opened, and all files or none.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "arrays.h"
#include "dataset_rows.h"
#include "expect_error.h"
#include "parkett/reader.h"
#include "parkett/writer.h"
#include "temp_dir.h"

namespace parkett {
namespace {

using Id = DataType::Id;
namespace fs = std::filesystem;

Table ints(const std::string& name, std::vector<int32_t> v) {
  return test::table_of({test::field(name, DataType(Id::Int32))}, {test::array_of(DataType(Id::Int32), v)});
}

class WriteTables : public test::TempDirTest {
 protected:
  std::string contents(const std::string& file) {
    std::ifstream in(file, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
};

TEST_F(WriteTables, WritesEveryTableToItsPath) {
  const auto md = write_tables({ints("v", {1, 2}), ints("v", {3})}, {path("a.parquet"), file("sub/b.parquet")});
  ASSERT_EQ(md.size(), 2u);
  EXPECT_EQ(md[0].num_rows(), 2);
  EXPECT_EQ(md[1].num_rows(), 1);
  EXPECT_EQ(test::rows_of(read_table(path("a.parquet"))), (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(test::rows_of(read_table(path("sub/b.parquet"))), (std::vector<std::string>{"3"}));
}

TEST_F(WriteTables, ChecksComeBeforeAnyFile) {
  EXPECT_ERROR(write_tables({}, {}), ErrorKind::InvalidArgument, "at least one table");
  EXPECT_ERROR(write_tables({ints("v", {1})}, {path("a.parquet"), path("b.parquet")}), ErrorKind::InvalidArgument,
               "got 1 tables and 2 paths");
  EXPECT_ERROR(write_tables({ints("v", {1}), ints("v", {2})}, {path("a.parquet"), path("a.parquet")}),
               ErrorKind::InvalidArgument, "the path '" + path("a.parquet") + "' twice");
  EXPECT_ERROR(write_tables({ints("v", {1}), ints("w", {2})}, {path("a.parquet"), path("b.parquet")}),
               ErrorKind::InvalidArgument, "table 1 (for '" + path("b.parquet") + "') has another schema than the first: field 0 is");
  EXPECT_TRUE(fs::is_empty(dir_));
}

TEST_F(WriteTables, AFailureLeavesNoFileAndTheOldFilesUntouched) {
  // The second table's values do not fit its column (a timestamp that would lose precision
  // in milliseconds): found while writing, after the first file is complete.
  write_table(ints("v", {9}), path("a.parquet"));
  const std::string before = contents(path("a.parquet"));
  const DataType ns = DataType::timestamp(TimeUnit::Nano);
  const auto stamps = [&](int64_t v) {
    return test::table_of({test::field("t", ns)}, {test::array_of(ns, std::vector<int64_t>{v})});
  };
  WriteOptions o;
  o.coerce_timestamps = TimeUnit::Milli;
  EXPECT_ERROR(write_tables({stamps(1000000), stamps(1000001), stamps(2000000)},
                            {path("a.parquet"), path("b.parquet"), path("c.parquet")}, o),
               ErrorKind::InvalidArgument, "would lose precision");
  EXPECT_EQ(contents(path("a.parquet")), before);
  EXPECT_FALSE(fs::exists(path("b.parquet")));
  EXPECT_FALSE(fs::exists(path("c.parquet")));
  // No temporary file is left either: the directory holds a.parquet alone.
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 1);
}

}  // namespace
}  // namespace parkett
