// Datasets (parkett/dataset.h): directory trees of files written here, read back as one
// table. Expected rows are written out by hand from the files each test writes.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "arrays.h"
#include "dataset_rows.h"
#include "expect_error.h"
#include "parkett/c_data.h"
#include "parkett/dataset.h"
#include "parkett/reader.h"
#include "parkett/writer.h"
#include "temp_dir.h"

namespace parkett {
namespace {

using Id = DataType::Id;
namespace fs = std::filesystem;

using test::field;

using test::cell;
using test::drain;
using test::names_of;
using test::rows_of;

DatasetOptions with(Partitioning p) {
  DatasetOptions o;
  o.partitioning = std::move(p);
  return o;
}

Partitioning of_kind(Partitioning::Kind kind) {
  Partitioning p;
  p.kind = kind;
  return p;
}

class DatasetTest : public test::TempDirTest {
 protected:
  // Writes ids `ids` (int32 "id") and names "n<id>" (string "name") to dir/relative.
  void write(const std::string& relative, const std::vector<int32_t>& ids) {
    std::vector<std::optional<std::string>> names;
    for (int32_t i : ids) names.push_back("n" + std::to_string(i));
    write_table(test::table_of({field("id", DataType(Id::Int32)), field("name", DataType(Id::String))},
                               {test::array_of(DataType(Id::Int32), ids), test::string_array(names)}),
                file(relative));
  }
  std::string root() const { return dir_.string(); }
};

TEST_F(DatasetTest, HivePartitionsBecomeTypedColumnsAfterTheFileColumns) {
  write("year=2024/month=2/b.parquet", {5});
  write("year=2023/month=12/a.parquet", {1, 2});
  write("year=2023/month=12/b.parquet", {3});
  write("year=2024/month=1/a.parquet", {4});
  const Dataset ds = Dataset::open(root(), with(of_kind(Partitioning::Kind::Hive)));
  EXPECT_EQ(names_of(ds.schema()), (std::vector<std::string>{"id:int32", "name:string", "year:int32", "month:int32"}));
  EXPECT_EQ(names_of(ds.partition_schema()), (std::vector<std::string>{"year:int32", "month:int32"}));
  ASSERT_EQ(ds.fragments().size(), 4u);
  EXPECT_EQ(ds.fragment_rows(), (std::vector<int64_t>{2, 1, 1, 1}));  // files in path order
  EXPECT_EQ(rows_of(ds.read_table()), (std::vector<std::string>{"1|n1|2023|12", "2|n2|2023|12", "3|n3|2023|12",
                                                                 "4|n4|2024|1", "5|n5|2024|2"}));
  // Detection finds the same partitions.
  EXPECT_EQ(names_of(Dataset::open(root()).schema()), names_of(ds.schema()));
}

TEST_F(DatasetTest, PartitionFiltersSkipFilesWithoutOpeningThem) {
  write("k=1/a.parquet", {1, 2});
  write("k=2/a.parquet", {3});
  // Not Parquet: any scan that opens it fails, naming it.
  std::ofstream(file("k=3/broken.parquet")) << "not a parquet file at all";
  write("k=3/ok.parquet", {4});
  const Dataset ds = Dataset::open(root());
  ScanOptions o;
  o.filter = col("k") <= 2;
  RecordBatchReader scan = ds.scan(o);
  EXPECT_EQ(rows_of(drain(scan)), (std::vector<std::string>{"1|n1|1", "2|n2|1", "3|n3|2"}));
  EXPECT_EQ(scan.counts().files_skipped, 2);
  EXPECT_EQ(scan.counts().files_read, 2);
  // A filter on partitions and file columns at once: the partition part prunes, the file
  // part filters rows.
  o.filter = col("k") >= 2 && col("id") != 3;
  o.columns = {"id"};
  EXPECT_ERROR(ds.read_table(o), ErrorKind::Corrupt, "broken.parquet");
  o.filter = col("k") == 1 && col("id") > 1;
  EXPECT_EQ(rows_of(ds.read_table(o)), (std::vector<std::string>{"2"}));
  // OR across a partition and a file column is answered row by row.
  o.filter = Expression::parse("k = 2 OR id = 1");
  o.columns = {"name", "k"};
  fs::remove(dir_ / "k=3/broken.parquet");
  EXPECT_EQ(rows_of(Dataset::open(root()).read_table(o)), (std::vector<std::string>{"n1|1", "n3|2"}));
}

// What a distributed scan plans with: the fragments a partition filter leaves, and one
// fragment (or some of its row groups) read as the whole scan reads it.
TEST_F(DatasetTest, FragmentsAreMatchedAndScannedAlone) {
  write("k=1/a.parquet", {1, 2});
  write("k=2/a.parquet", {3});
  std::vector<int32_t> many(100);
  for (int32_t i = 0; i < 100; ++i) many[static_cast<size_t>(i)] = 100 + i;
  WriteOptions small_groups;
  small_groups.row_group_rows = 30;  // 4 row groups: 30, 30, 30, 10
  std::vector<std::optional<std::string>> names;
  for (int32_t i : many) names.push_back("n" + std::to_string(i));
  write_table(test::table_of({field("id", DataType(Id::Int32)), field("name", DataType(Id::String))},
                             {test::array_of(DataType(Id::Int32), many), test::string_array(names)}),
              file("k=3/a.parquet"), small_groups);
  const Dataset ds = Dataset::open(root());
  EXPECT_EQ(ds.fragments_matching(col("k") >= 2), (std::vector<size_t>{1, 2}));
  EXPECT_EQ(ds.fragments_matching(col("id") > 0), (std::vector<size_t>{0, 1, 2}));  // no partition term
  EXPECT_EQ(ds.fragments_matching(Expression::parse("k = 7")), std::vector<size_t>{});
  EXPECT_ERROR(ds.fragments_matching(col("nope") == 1), ErrorKind::InvalidArgument, "nope");

  ScanOptions o;
  RecordBatchReader one = ds.scan_fragment(1, o);
  EXPECT_EQ(rows_of(drain(one)), (std::vector<std::string>{"3|n3|2"}));
  o.row_groups = {1, 3};
  o.columns = {"id", "k"};
  o.filter = col("id") >= 135;
  RecordBatchReader groups = ds.scan_fragment(2, o);
  std::vector<std::string> want;
  for (int32_t i = 135; i < 160; ++i) want.push_back(std::to_string(i) + "|3");
  for (int32_t i = 190; i < 200; ++i) want.push_back(std::to_string(i) + "|3");
  EXPECT_EQ(rows_of(drain(groups)), want);
  // Partition columns alone: the rows of the chosen row groups, no page read.
  o.columns = {"k"};
  o.filter = {};
  EXPECT_EQ(rows_of(drain(*std::make_unique<RecordBatchReader>(ds.scan_fragment(2, o)))).size(), 40u);
  // A fragment the filter's partition part rules out is not opened.
  o.filter = col("k") == 1;
  RecordBatchReader none = ds.scan_fragment(2, o);
  EXPECT_TRUE(rows_of(drain(none)).empty());
  EXPECT_EQ(none.counts().files_skipped, 1);
  EXPECT_ERROR(ds.scan_fragment(3, {}), ErrorKind::InvalidArgument, "fragment 3 is out of range");
  o = {};
  o.row_groups = {4};
  o.columns = {"k"};
  EXPECT_ERROR(drain(*std::make_unique<RecordBatchReader>(ds.scan_fragment(2, o))), ErrorKind::InvalidArgument,
               "row group 4 is out of range");
  // A wrong row group is the caller's mistake, not an unreadable file: never skipped.
  DatasetOptions skipping;
  skipping.skip_unreadable_files = true;
  const Dataset lenient = Dataset::open(root(), skipping);
  EXPECT_ERROR(drain(*std::make_unique<RecordBatchReader>(lenient.scan_fragment(2, o))), ErrorKind::InvalidArgument,
               "row group 4 is out of range");
  o.columns = {"id"};
  EXPECT_ERROR(drain(*std::make_unique<RecordBatchReader>(lenient.scan_fragment(2, o))), ErrorKind::InvalidArgument,
               "no row group 4");
  ScanOptions whole;
  whole.row_groups = {0};
  EXPECT_ERROR(ds.scan(whole), ErrorKind::InvalidArgument, "row_groups must be empty");
}

TEST_F(DatasetTest, PartitionValuesAreUrlDecodedAndNullsAreHiveDefaults) {
  write("s=a%2Fb/x.parquet", {1});
  write("s=__HIVE_DEFAULT_PARTITION__/x.parquet", {2});
  write("s=/x.parquet", {3});
  write("s=%C3%BCn%C3%AF%20c%C3%B6de/x.parquet", {4});
  write("s=x%3Dy%20%25z/x.parquet", {5});
  const Dataset ds = Dataset::open(root());
  ScanOptions o;
  o.columns = {"id", "s"};
  std::vector<std::string> rows = rows_of(ds.read_table(o));
  std::sort(rows.begin(), rows.end());
  EXPECT_EQ(rows, (std::vector<std::string>{"1|a/b", "2|null", "3|", "4|ünï cöde", "5|x=y %z"}));
  o.filter = col("s").is_null();
  EXPECT_EQ(rows_of(ds.read_table(o)), (std::vector<std::string>{"2|null"}));
  o.filter = col("s") == "a/b";
  EXPECT_EQ(rows_of(ds.read_table(o)), (std::vector<std::string>{"1|a/b"}));
}

TEST_F(DatasetTest, PartitionTypesAreInferredOrGiven) {
  write("i=1/l=5000000000/f=1.5/d=2024-01-02/ts=2024-01-02%2003%3A04%3A05/s=007x/a.parquet", {1});
  write("i=-2/l=1/f=2/d=2024-02-29/ts=2024-01-03/s=abc/a.parquet", {2});
  const Dataset ds = Dataset::open(root());
  EXPECT_EQ(names_of(ds.partition_schema()),
            (std::vector<std::string>{"i:int32", "l:int64", "f:double", "d:date32[day]", "ts:timestamp[us]", "s:string"}));
  ScanOptions o;
  o.columns = {"i", "l", "f", "d", "ts", "s"};
  EXPECT_EQ(rows_of(ds.read_table(o)),
            (std::vector<std::string>{"-2|1|2.000000|19782|1704240000000000|abc",
                                      "1|5000000000|1.500000|19724|1704164645000000|007x"}));
  o.filter = Expression::parse("ts < TIMESTAMP '2024-01-02 03:04:06' AND d = DATE '2024-01-02'");
  EXPECT_EQ(rows_of(ds.read_table(o)).size(), 1u);
  // Strings when asked, and given types.
  Partitioning strings;
  strings.infer_types = false;
  EXPECT_EQ(names_of(Dataset::open(root(), with(strings)).partition_schema()),
            (std::vector<std::string>{"i:string", "l:string", "f:string", "d:string", "ts:string", "s:string"}));
  Partitioning given;
  given.types = {field("i", DataType(Id::Int64)), field("d", DataType(Id::String))};
  EXPECT_EQ(names_of(Dataset::open(root(), with(given)).partition_schema()),
            (std::vector<std::string>{"i:int64", "l:int64", "f:double", "d:string", "ts:timestamp[us]", "s:string"}));
  given.types = {field("s", DataType(Id::Int32))};
  EXPECT_ERROR(Dataset::open(root(), with(given)), ErrorKind::InvalidArgument,
               "the value 'abc' of partition column 's' in path '" + root() + "/i=-2/l=1/");
}

TEST_F(DatasetTest, KeysInDifferentOrdersAreRefusedUnlessAllowed) {
  write("a=1/b=2/x.parquet", {1});
  write("b=3/a=4/x.parquet", {2});
  EXPECT_ERROR(Dataset::open(root()), ErrorKind::InvalidArgument, "disagree on the partition columns (a, b against b, a)");
  Partitioning p;
  p.allow_key_order_mismatch = true;
  const Dataset ds = Dataset::open(root(), with(p));
  EXPECT_EQ(rows_of(ds.read_table()), (std::vector<std::string>{"1|n1|1|2", "2|n2|4|3"}));
  write("a=5/x.parquet", {3});
  EXPECT_ERROR(Dataset::open(root(), with(p)), ErrorKind::InvalidArgument, "disagree on the partition columns");
}

TEST_F(DatasetTest, DirectoryPartitioningNamesLevels) {
  write("2023/eu/x.parquet", {1});
  write("2024/x.parquet", {2});
  Partitioning p = of_kind(Partitioning::Kind::Directory);
  p.names = {"year", "region"};
  const Dataset ds = Dataset::open(root(), with(p));
  EXPECT_EQ(names_of(ds.partition_schema()), (std::vector<std::string>{"year:int32", "region:string"}));
  EXPECT_EQ(rows_of(ds.read_table()), (std::vector<std::string>{"1|n1|2023|eu", "2|n2|2024|null"}));
  EXPECT_ERROR(Dataset::open(root(), with(of_kind(Partitioning::Kind::Directory))), ErrorKind::InvalidArgument,
               "needs the names");
}

TEST_F(DatasetTest, HiddenAndOtherFilesAreSkippedAndGlobsSelect) {
  write("p=1/a.parquet", {1});
  write("p=2/b.parquet", {2});
  write("p=2/_tmp/c.parquet", {3});
  write("p=2/.hidden.parquet", {4});
  write("_staging/d.parquet", {5});
  std::ofstream(file("p=1/notes.txt")) << "not data";
  std::ofstream(file("_SUCCESS")).close();
  EXPECT_EQ(rows_of(Dataset::open(root()).read_table()), (std::vector<std::string>{"1|n1|1", "2|n2|2"}));
  EXPECT_EQ(rows_of(Dataset::open(root() + "/**/*.parquet").read_table()), (std::vector<std::string>{"1|n1|1", "2|n2|2"}));
  EXPECT_EQ(rows_of(Dataset::open(root() + "/p=2/*.parquet").read_table()), (std::vector<std::string>{"2|n2"}));
  DatasetOptions based;
  based.base_path = root();
  EXPECT_EQ(rows_of(Dataset::open(root() + "/p=2/*.parquet", based).read_table()),
            (std::vector<std::string>{"2|n2|2"}));
  // A single file, and a list of files (their common directory is the base).
  EXPECT_EQ(rows_of(Dataset::open(file("p=1/a.parquet")).read_table()), (std::vector<std::string>{"1|n1"}));
  EXPECT_EQ(rows_of(Dataset::open(std::vector<std::string>{file("p=2/b.parquet"), file("p=1/a.parquet")}).read_table()),
            (std::vector<std::string>{"2|n2|2", "1|n1|1"}));
  EXPECT_ERROR(Dataset::open(root() + "/missing"), ErrorKind::NotFound, "missing");
  // An empty directory is an empty dataset.
  fs::create_directories(dir_ / "empty");
  const Dataset empty = Dataset::open((dir_ / "empty").string());
  EXPECT_TRUE(empty.schema().fields.empty());
  EXPECT_EQ(empty.read_table().num_rows(), 0);
}

TEST_F(DatasetTest, UnionMergesSchemasByNameAndWidens) {
  write_table(test::table_of({field("a", DataType(Id::Int32)), field("b", DataType(Id::String))},
                             {test::array_of(DataType(Id::Int32), std::vector<int32_t>{1}), test::string_array({"x"})}),
              file("1.parquet"));
  write_table(test::table_of({field("c", DataType(Id::Float64)), field("a", DataType(Id::Int64))},
                             {test::array_of(DataType(Id::Float64), std::vector<double>{2.5}),
                              test::array_of(DataType(Id::Int64), std::vector<int64_t>{int64_t{1} << 40})}),
              file("2.parquet"));
  DatasetOptions merged;
  merged.schema_merge = SchemaMerge::Union;
  const Dataset ds = Dataset::open(root(), merged);
  EXPECT_EQ(names_of(ds.schema()), (std::vector<std::string>{"a:int64", "b:string", "c:double"}));
  EXPECT_EQ(rows_of(ds.read_table()), (std::vector<std::string>{"1|x|null", "1099511627776|null|2.500000"}));
  ScanOptions o;
  o.filter = col("c").is_null() || col("a") > 5;  // `c` is missing from 1.parquet: nulls there
  o.columns = {"a"};
  EXPECT_EQ(rows_of(ds.read_table(o)), (std::vector<std::string>{"1", "1099511627776"}));
  o.filter = col("b") == "x";  // missing from 2.parquet: no row there
  EXPECT_EQ(rows_of(ds.read_table(o)), (std::vector<std::string>{"1"}));
  // Without merging, the first file's schema is the dataset's, and the second does not fit.
  const Dataset first = Dataset::open(root());
  EXPECT_EQ(names_of(first.schema()), (std::vector<std::string>{"a:int32", "b:string"}));
  EXPECT_ERROR(first.read_table(), ErrorKind::InvalidArgument, "has the field 'c'");
  // Types that do not widen name both files.
  write_table(test::table_of({field("a", DataType(Id::String))}, {test::string_array({"s"})}), file("3.parquet"));
  EXPECT_ERROR(Dataset::open(root(), merged), ErrorKind::InvalidArgument,
               "field 'a' is int64 in '" + file("2.parquet") + "' and string in '" + file("3.parquet") + "'");
}

TEST_F(DatasetTest, APartitionKeyAlsoInTheFilesReadsThePartitionValue) {
  write_table(test::table_of({field("id", DataType(Id::Int32)), field("k", DataType(Id::Int32))},
                             {test::array_of(DataType(Id::Int32), std::vector<int32_t>{1}),
                              test::array_of(DataType(Id::Int32), std::vector<int32_t>{99})}),
              file("k=7/x.parquet"));
  const Dataset ds = Dataset::open(root());
  EXPECT_EQ(names_of(ds.schema()), (std::vector<std::string>{"id:int32", "k:int32"}));
  EXPECT_EQ(rows_of(ds.read_table()), (std::vector<std::string>{"1|7"}));
}

// Whole numbers too long for int64 are decimals, as Spark infers them; filters on them
// prune files exactly (a double would take 2^64 and 2^64 + 1 as one value).
TEST_F(DatasetTest, LongWholeNumbersInPathsAreDecimals) {
  write("big=18446744073709551616/a.parquet", {1});
  write("big=18446744073709551617/a.parquet", {2});
  write("big=-5/a.parquet", {3});
  // Each row as "id|unscaled value of big".
  const auto rows = [](RecordBatchReader& scan) {
    std::vector<std::string> out;
    for (RecordBatch b; scan.next(b);) {
      for (int64_t r = 0; r < b.num_rows; ++r) {
        __int128 v;
        std::memcpy(&v, b.columns[1]->buffers[1]->data() + (b.columns[1]->offset + r) * 16, 16);
        std::string digits;
        for (__int128 u = v < 0 ? -v : v; u != 0 || digits.empty(); u /= 10) digits.insert(0, 1, char('0' + int(u % 10)));
        out.push_back(test::render_value(*b.columns[0], r) + "|" + (v < 0 ? "-" : "") + digits);
      }
    }
    return out;
  };
  const Dataset ds = Dataset::open(root());
  EXPECT_EQ(names_of(ds.schema()), (std::vector<std::string>{"id:int32", "name:string", "big:decimal128(20, 0)"}));
  ScanOptions o;
  o.columns = {"id", "big"};
  o.filter = col("big") == Literal::decimal("18446744073709551617");
  RecordBatchReader scan = ds.scan(o);
  EXPECT_EQ(rows(scan), (std::vector<std::string>{"2|18446744073709551617"}));
  EXPECT_EQ(scan.counts().files_skipped, 2);
  // Given as a decimal of another scale, the values are read at it; a finer one is refused.
  DatasetOptions given;
  given.partitioning.types = {field("big", DataType::decimal(22, 2))};
  o.filter = Expression();
  RecordBatchReader all = Dataset::open(root(), given).scan(o);
  EXPECT_EQ(rows(all),
            (std::vector<std::string>{"3|-500", "1|1844674407370955161600", "2|1844674407370955161700"}));
  write("big=1.125/a.parquet", {4});
  EXPECT_ERROR(Dataset::open(root(), given), ErrorKind::InvalidArgument, "1.125");
}

// A filter that mixes partition and file columns is applied to the rows, whether or not
// the partition column is returned (one not returned is still built for the filter).
TEST_F(DatasetTest, FiltersMixingPartitionAndFileColumnsAreAppliedToRows) {
  write("k=1/a.parquet", {1, 2, 3});
  write("k=2/a.parquet", {4, 5});
  ScanOptions o;
  o.columns = {"id"};
  o.filter = col("k") == 2 || col("id") == 1;
  EXPECT_EQ(rows_of(Dataset::open(root()).read_table(o)), (std::vector<std::string>{"1", "4", "5"}));
  o.columns = {"id", "k"};
  o.filter = col("k") == 2 && (col("id") == 5 || col("k") == 1);
  EXPECT_EQ(rows_of(Dataset::open(root()).read_table(o)), (std::vector<std::string>{"5|2"}));
}

TEST_F(DatasetTest, OnlyPartitionColumnsReadNoColumnChunks) {
  write("k=1/a.parquet", {1, 2, 3});
  write("k=2/a.parquet", {4});
  ScanOptions o;
  o.columns = {"k"};
  o.batch_size = 2;
  RecordBatchReader scan = Dataset::open(root()).scan(o);
  std::vector<int64_t> sizes;
  RecordBatch b;
  while (scan.next(b)) sizes.push_back(b.num_rows);
  EXPECT_EQ(sizes, (std::vector<int64_t>{2, 1, 1}));
  EXPECT_EQ(scan.counts().bytes_read, 0);
  o.filter = col("id") >= 2;  // then the filter's column is read, not returned
  EXPECT_EQ(rows_of(Dataset::open(root()).read_table(o)), (std::vector<std::string>{"1", "1", "2"}));
}

// Several threads read the next fragments ahead; the rows and their order are those of one
// thread, also when the scan is left before its end or a file fails on the way.
TEST_F(DatasetTest, ReadingAheadKeepsTheOrderOfOneThread) {
  for (int k = 0; k < 12; ++k) {
    std::vector<int32_t> ids;
    for (int i = 0; i < 50 + k * 7; ++i) ids.push_back(k * 1000 + i);
    write("k=" + std::to_string(k % 4) + "/part-" + std::to_string(k) + ".parquet", ids);
  }
  const Dataset ds = Dataset::open(root());
  ScanOptions o;
  o.batch_size = 16;
  o.filter = col("k") != 2 && col("id") >= 3005;  // skips files, and rows in those it reads
  o.threads = 1;
  const std::vector<std::string> one = rows_of(ds.read_table(o));
  ASSERT_GT(one.size(), 300u);
  for (int threads : {2, 3, 8}) {
    o.threads = threads;
    RecordBatchReader scan = ds.scan(o);
    EXPECT_EQ(rows_of(drain(scan)), one) << threads << " threads";
    EXPECT_EQ(scan.counts().files_skipped, 3);
    EXPECT_EQ(scan.counts().files_read, 9);
    // Left after two batches: the reads ahead end with the scan.
    RecordBatchReader early = ds.scan(o);
    RecordBatch b;
    ASSERT_TRUE(early.next(b));
    ASSERT_TRUE(early.next(b));
  }
  std::ofstream(file("k=3/part-11.parquet"), std::ios::trunc) << "not parquet";
  o.threads = 4;
  EXPECT_ERROR(ds.read_table(o), ErrorKind::Corrupt, "part-11.parquet");
}

// A dataset's scan crosses the C stream interface as a file's does, and a file that fails
// mid-stream reports its error through get_last_error, naming the file.
TEST_F(DatasetTest, ScansExportAsArrowStreams) {
  write("k=1/a.parquet", {1, 2});
  write("k=2/a.parquet", {3});
  ArrowArrayStream stream;
  export_stream(Dataset::open(root()).scan(), &stream);
  ArrowSchema schema;
  ASSERT_EQ(stream.get_schema(&stream, &schema), 0);
  ASSERT_EQ(schema.n_children, 3);
  EXPECT_STREQ(schema.children[2]->name, "k");
  schema.release(&schema);
  int64_t rows = 0;
  while (true) {
    ArrowArray a;
    ASSERT_EQ(stream.get_next(&stream, &a), 0);
    if (!a.release) break;
    EXPECT_EQ(a.n_children, 3);
    rows += a.length;
    a.release(&a);
  }
  EXPECT_EQ(rows, 3);
  stream.release(&stream);

  const Dataset broken = Dataset::open(root());
  std::ofstream(file("k=2/a.parquet"), std::ios::trunc) << "PAR1 but not Parquet";
  export_stream(broken.scan(), &stream);
  ArrowArray first;
  ASSERT_EQ(stream.get_next(&stream, &first), 0);
  first.release(&first);
  ArrowArray second;
  EXPECT_NE(stream.get_next(&stream, &second), 0);
  ASSERT_NE(stream.get_last_error(&stream), nullptr);
  EXPECT_NE(std::string(stream.get_last_error(&stream)).find("k=2/a.parquet"), std::string::npos)
      << stream.get_last_error(&stream);
  stream.release(&stream);
}

TEST_F(DatasetTest, BadScansAreRefused) {
  write("k=1/a.parquet", {1});
  const Dataset ds = Dataset::open(root());
  ScanOptions o;
  o.columns = {"nope"};
  EXPECT_ERROR(ds.read_table(o), ErrorKind::InvalidArgument, "the dataset has no column 'nope'");
  o.columns = {};
  o.filter = col("k") == "x";
  EXPECT_ERROR(ds.read_table(o), ErrorKind::InvalidArgument, "column 'k' of type int32");
  o.filter = {};
  o.row_groups = {0};
  EXPECT_ERROR(ds.read_table(o), ErrorKind::InvalidArgument, "row_groups must be empty");
}

}  // namespace
}  // namespace parkett
