// COUNT, MIN and MAX from statistics alone (aggregate_statistics, Spark's aggregate
// pushdown): checked against values written out by hand and against the canonical dump of
// a corpus file, and where the statistics cannot answer exactly, that it says so.
#include <gtest/gtest.h>

#include <cmath>

#include "arrays.h"
#include "corpus.h"
#include "expect_error.h"
#include "parkett/reader.h"
#include "parkett/writer.h"
#include "temp_dir.h"

namespace parkett {
namespace {

using Id = DataType::Id;

class AggregateStatistics : public test::TempDirTest {
 protected:
  FileMetadata footer(const std::string& file) { return FileReader::open(file).metadata(); }
};

TEST_F(AggregateStatistics, OverRowGroupsWithNullsAndAnAllNullGroup) {
  // Three row groups of three rows: {5, null, -3}, {7, 2, null}, {null, null, null}.
  WriteOptions o;
  o.row_group_rows = 3;
  write_table(test::table_of({test::field("v", DataType(Id::Int32))},
                             {test::array_of(DataType(Id::Int32), std::vector<int32_t>{5, 0, -3, 7, 2, 0, 0, 0, 0},
                                             {true, false, true, true, true, false, false, false, false})}),
              path(), o);
  const auto a = aggregate_statistics({footer(path())});
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].column, "v");
  EXPECT_EQ(a[0].rows, 9);
  EXPECT_EQ(a[0].values, 9);
  EXPECT_EQ(a[0].null_count, 5);
  EXPECT_EQ(a[0].min, StatValue(int32_t{-3}));
  EXPECT_EQ(a[0].max, StatValue(int32_t{7}));
  EXPECT_EQ(a[0].min_json, "-3");
  EXPECT_TRUE(a[0].exact);
  EXPECT_EQ(a[0].note, "");
  // Two copies as a dataset, with a file that lacks the column: its rows count as nulls.
  write_table(test::table_of({test::field("w", DataType(Id::Int32))}, {test::array_of(DataType(Id::Int32), std::vector<int32_t>{1, 2})}),
              path("other.parquet"));
  const auto both = aggregate_statistics({footer(path()), footer(path()), footer(path("other.parquet"))}, {"v"});
  EXPECT_EQ(both[0].rows, 20);
  EXPECT_EQ(both[0].null_count, 12);
  EXPECT_EQ(both[0].max, StatValue(int32_t{7}));
  EXPECT_ERROR(aggregate_statistics({footer(path())}, {"nope"}), ErrorKind::InvalidArgument, "no leaf column 'nope'");
}

TEST_F(AggregateStatistics, SaysWhereTheStatisticsDoNotAnswerExactly) {
  // Truncated string bounds: the max is not a value of the column.
  WriteOptions o;
  o.statistics_truncate_length = 4;
  write_table(test::table_of({test::field("s", DataType(Id::String))}, {test::string_array({"abcdefgh", "zzzzzzzzz"})}),
              path("trunc.parquet"), o);
  auto a = aggregate_statistics({footer(path("trunc.parquet"))});
  EXPECT_FALSE(a[0].exact);
  EXPECT_EQ(a[0].min_json, "\"abcd\"");
  EXPECT_EQ(a[0].note, "row group 0 has truncated bounds");
  // A NaN is left out of a float column's bounds: answered, but not exactly.
  write_table(test::table_of({test::field("f", DataType(Id::Float64))},
                             {test::array_of(DataType(Id::Float64), std::vector<double>{1.5, std::nan(""), -2.0})}),
              path("nan.parquet"));
  a = aggregate_statistics({footer(path("nan.parquet"))});
  EXPECT_EQ(a[0].min, StatValue(-2.0));
  EXPECT_EQ(a[0].max, StatValue(1.5));
  EXPECT_FALSE(a[0].exact);
  EXPECT_NE(a[0].note.find("may hold NaN"), std::string::npos) << a[0].note;
  // Without NaN, exact (parkett writes nan_count = 0).
  write_table(test::table_of({test::field("f", DataType(Id::Float64))}, {test::array_of(DataType(Id::Float64), std::vector<double>{1.5, -2.0})}),
              path("floats.parquet"));
  EXPECT_TRUE(aggregate_statistics({footer(path("floats.parquet"))})[0].exact);
  // No statistics at all: counts only.
  WriteOptions none;
  none.statistics = StatisticsLevel::None;
  write_table(test::table_of({test::field("v", DataType(Id::Int32))}, {test::array_of(DataType(Id::Int32), std::vector<int32_t>{1})}),
              path("none.parquet"), none);
  a = aggregate_statistics({footer(path("none.parquet"))});
  EXPECT_EQ(a[0].rows, 1);
  EXPECT_EQ(a[0].null_count, std::nullopt);
  EXPECT_EQ(a[0].min, std::nullopt);
  EXPECT_FALSE(a[0].exact);
  EXPECT_EQ(a[0].note, "row group 0 has no statistics");
}

TEST_F(AggregateStatistics, CorpusFileAgreesWithItsCanonicalDump) {
  // The min and max of alltypes_tiny_pages' columns in parquet-testing-expected (the peers'
  // canonical dump of its 7,300 rows): id 0..7299, tinyint_col 0..9, bigint_col 0..90,
  // date_string_col "01/01/09".."12/31/10", no nulls.
  const auto a = aggregate_statistics({FileReader::open(test::data_file("alltypes_tiny_pages.parquet")).metadata()},
                                      {"id", "tinyint_col", "bigint_col", "date_string_col"});
  ASSERT_EQ(a.size(), 4u);
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"0", "7299"}, {"0", "9"}, {"0", "90"}, {"\"01/01/09\"", "\"12/31/10\""}};
  for (size_t c = 0; c < a.size(); ++c) {
    EXPECT_EQ(a[c].rows, 7300) << a[c].column;
    EXPECT_EQ(a[c].null_count, 0) << a[c].column;
    EXPECT_EQ(a[c].min_json, expected[c].first) << a[c].column;
    EXPECT_EQ(a[c].max_json, expected[c].second) << a[c].column;
  }
}

}  // namespace
}  // namespace parkett
