// write_dataset (parkett/dataset.h): partitioned writes, checked by the directories and
// files they leave (names written out by hand) and by reading them back as datasets.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

#include <nlohmann/json.hpp>

#include "arrays.h"
#include "dataset_rows.h"
#include "expect_error.h"
#include "parkett/dataset.h"
#include "parkett/encryption.h"
#include "parkett/reader.h"
#include "parkett/writer.h"
#include "temp_dir.h"

namespace parkett {
namespace {

using Id = DataType::Id;
namespace fs = std::filesystem;
using test::field;

// Every file below `root`, relative to it, sorted (hidden ones too: none may be left).
std::vector<std::string> files_below(const fs::path& root) {
  std::vector<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (e.is_regular_file()) out.push_back(fs::relative(e.path(), root).string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Every row of `t` as "v|v|v" (test::render_value), sorted.
std::vector<std::string> sorted_rows(const Table& t) {
  std::vector<std::string> out;
  for (const RecordBatch& b : t.batches) {
    for (int64_t r = 0; r < b.num_rows; ++r) {
      std::string line;
      for (size_t c = 0; c < b.columns.size(); ++c) line += (c ? "|" : "") + test::render_value(*b.columns[c], r);
      out.push_back(line);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The columns of `t` named `names`, in that order.
Table columns(const Table& t, const std::vector<std::string>& names) {
  Table out;
  for (const std::string& n : names) out.schema.fields.push_back(t.schema.fields.at(static_cast<size_t>(t.schema.field_index(n))));
  for (const RecordBatch& b : t.batches) {
    RecordBatch o;
    o.schema = out.schema;
    o.num_rows = b.num_rows;
    for (const std::string& n : names) o.columns.push_back(b.columns.at(static_cast<size_t>(b.schema.field_index(n))));
    out.batches.push_back(o);
  }
  return out;
}

Table read_back(const std::string& root, Partitioning::Kind kind = Partitioning::Kind::Hive,
                std::vector<std::string> names = {}) {
  DatasetOptions o;
  o.partitioning.kind = kind;
  o.partitioning.names = std::move(names);
  return Dataset::open(root, o).read_table();
}

// ids 0..n-1, "city" cycling through `cities`.
Table cities_table(int32_t n, const std::vector<std::optional<std::string>>& cities) {
  std::vector<int32_t> ids;
  std::vector<std::optional<std::string>> c;
  for (int32_t i = 0; i < n; ++i) {
    ids.push_back(i);
    c.push_back(cities[static_cast<size_t>(i) % cities.size()]);
  }
  return test::table_of({field("id", DataType(Id::Int32)), field("city", DataType(Id::String))},
                        {test::array_of(DataType(Id::Int32), ids), test::string_array(c)});
}

class DatasetWriteTest : public test::TempDirTest {
 protected:
  std::string root() const { return (dir_ / "out").string(); }
};

TEST_F(DatasetWriteTest, HivePartitionsEscapeValuesAndReadBack) {
  const Table t = cities_table(9, {"Paris", "a/b", "x=y", "50%", "two words", "Zürich", "", std::nullopt,
                                   "__HIVE_DEFAULT_PARTITION__"});
  DatasetWriteOptions o;
  o.partition_by = {"city"};
  const std::vector<WrittenFile> written = write_dataset(t, root(), o);
  EXPECT_EQ(files_below(root()), (std::vector<std::string>{
                                     "city=%5F_HIVE_DEFAULT_PARTITION__/part-0.parquet",
                                     "city=/part-0.parquet",
                                     "city=50%25/part-0.parquet",
                                     "city=Paris/part-0.parquet",
                                     "city=Zürich/part-0.parquet",
                                     "city=__HIVE_DEFAULT_PARTITION__/part-0.parquet",
                                     "city=a%2Fb/part-0.parquet",
                                     "city=two words/part-0.parquet",
                                     "city=x%3Dy/part-0.parquet",
                                 }));
  ASSERT_EQ(written.size(), 9u);
  for (const WrittenFile& w : written) {
    EXPECT_EQ(w.metadata.num_rows(), 1);
    ASSERT_EQ(w.partition_values.size(), 1u);
  }
  // The files hold only "id"; the path holds the city.
  const Schema one = FileReader::open(root() + "/city=Paris/part-0.parquet").arrow_schema();
  ASSERT_EQ(one.fields.size(), 1u);
  EXPECT_EQ(one.fields[0].name, "id");
  const Table back = read_back(root());
  EXPECT_EQ(sorted_rows(back), sorted_rows(t));
}

TEST_F(DatasetWriteTest, TypedValuesNameDirectoriesAndInferBack) {
  const std::vector<int32_t> days = {19723, 19723, -1};                            // 2024-01-01, 1969-12-31
  const std::vector<int64_t> micros = {1704067200000000, 1704110400123400, 0};       // 2024-01-01 00:00 / 12:00:00.1234
  const std::vector<double> ratios = {0.5, 0.5, -2.0};
  const std::vector<int64_t> big = {5000000000, 7, 7};
  const Table t = test::table_of(
      {field("v", DataType(Id::Int32)), field("day", DataType(Id::Date32)),
       field("at", DataType::timestamp(TimeUnit::Micro)), field("ratio", DataType(Id::Float64)),
       field("big", DataType(Id::Int64))},
      {test::array_of(DataType(Id::Int32), std::vector<int32_t>{1, 2, 3}), test::array_of(DataType(Id::Date32), days),
       test::array_of(DataType::timestamp(TimeUnit::Micro), micros), test::array_of(DataType(Id::Float64), ratios),
       test::array_of(DataType(Id::Int64), big)});
  DatasetWriteOptions o;
  o.partition_by = {"day", "at", "ratio", "big"};
  write_dataset(t, root(), o);
  EXPECT_EQ(files_below(root()),
            (std::vector<std::string>{
                "day=1969-12-31/at=1970-01-01 00%3A00%3A00/ratio=-2.0/big=7/part-0.parquet",
                "day=2024-01-01/at=2024-01-01 00%3A00%3A00/ratio=0.5/big=5000000000/part-0.parquet",
                "day=2024-01-01/at=2024-01-01 12%3A00%3A00.1234/ratio=0.5/big=7/part-0.parquet",
            }));
  const Dataset ds = Dataset::open(root());
  std::vector<std::string> types;
  for (const Field& f : ds.partition_schema().fields) types.push_back(f.name + ":" + f.type.to_string());
  EXPECT_EQ(types, (std::vector<std::string>{"day:date32[day]", "at:timestamp[us]", "ratio:double", "big:int64"}));
  EXPECT_EQ(sorted_rows(columns(ds.read_table(), {"v", "day", "at", "ratio", "big"})), sorted_rows(t));
}

TEST_F(DatasetWriteTest, DirectoryFlavorWritesValuesOnly) {
  const Table t = cities_table(4, {"Oslo", std::nullopt, ".hidden"});
  DatasetWriteOptions o;
  o.partition_by = {"city"};
  o.flavor = Partitioning::Kind::Directory;
  write_dataset(t, root(), o);
  EXPECT_EQ(files_below(root()), (std::vector<std::string>{"%2Ehidden/part-0.parquet", "Oslo/part-0.parquet",
                                                           "__HIVE_DEFAULT_PARTITION__/part-0.parquet"}));
  EXPECT_EQ(sorted_rows(read_back(root(), Partitioning::Kind::Directory, {"city"})), sorted_rows(t));
  // An empty string names no directory.
  EXPECT_ERROR(write_dataset(cities_table(2, {"a", ""}), (dir_ / "other").string(), o), ErrorKind::InvalidArgument,
               "empty string");
}

TEST_F(DatasetWriteTest, MaxRowsPerFileStartsNewFilesNumberedPerDirectory) {
  DatasetWriteOptions o;
  o.partition_by = {"city"};
  o.max_rows_per_file = 3;
  o.file_options.row_group_rows = 2;
  std::vector<std::string> visited;
  o.file_visitor = [&](const WrittenFile& w) { visited.push_back(fs::relative(w.path, root()).string()); };
  const Table t = cities_table(11, {"a", "a", "b"});  // a: 8 rows, b: 3
  const std::vector<WrittenFile> written = write_dataset(t, root(), o);
  EXPECT_EQ(files_below(root()), (std::vector<std::string>{"city=a/part-0.parquet", "city=a/part-1.parquet",
                                                           "city=a/part-2.parquet", "city=b/part-0.parquet"}));
  std::vector<std::string> sorted = visited;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(sorted, files_below(root()));
  for (const WrittenFile& w : written) {
    const int64_t expected = w.path.find("city=a/part-2") != std::string::npos ? 2 : 3;
    EXPECT_EQ(w.metadata.num_rows(), expected) << w.path;
    EXPECT_EQ(w.metadata.num_row_groups(), expected == 3 ? 2 : 1) << w.path;  // row groups of at most 2 rows
  }
  EXPECT_EQ(sorted_rows(read_back(root())), sorted_rows(t));
}

// A stream of `table`'s batches, each `batch_rows` long (slices).
class SlicedSource final : public RecordBatchReader::Source {
 public:
  SlicedSource(Table t, int64_t batch_rows, int64_t fail_after = -1)
      : table_(std::move(t)), rows_(batch_rows), fail_after_(fail_after) {}
  const Schema& schema() const override { return table_.schema; }
  bool next(RecordBatch& out) override {
    const RecordBatch& all = table_.batches.at(0);
    if (at_ >= all.num_rows) return false;
    if (fail_after_ >= 0 && at_ >= fail_after_) throw Error(ErrorKind::Io, "the input broke off");
    out.schema = all.schema;
    out.num_rows = std::min(rows_, all.num_rows - at_);
    out.columns.clear();
    for (const ArrayPtr& c : all.columns) out.columns.push_back(slice(c, at_, out.num_rows));
    at_ += out.num_rows;
    return true;
  }
  const ScanCounts& counts() const override { return counts_; }

 private:
  Table table_;
  int64_t rows_, fail_after_, at_ = 0;
  ScanCounts counts_;
};

TEST_F(DatasetWriteTest, OpeningMoreThanMaxOpenFilesClosesTheLeastRecentlyWritten) {
  // Batches of 2 rows alternate a,b,c,d,...: with two files open at most, every partition's
  // file is closed before its next rows come, so each batch of rows gets a new file.
  const Table t = cities_table(12, {"a", "b", "c"});
  DatasetWriteOptions o;
  o.partition_by = {"city"};
  o.max_open_files = 2;
  RecordBatchReader in(std::make_unique<SlicedSource>(t, 1));
  write_dataset(in, root(), o);
  EXPECT_EQ(files_below(root()).size(), 12u);  // one file per row: each partition's file was closed
  EXPECT_EQ(files_below(root()).front(), "city=a/part-0.parquet");
  EXPECT_EQ(files_below(root()).back(), "city=c/part-3.parquet");
  EXPECT_EQ(sorted_rows(read_back(root())), sorted_rows(t));
}

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

// The process's resident bytes of `field` in /proc/self/status (VmRSS now, VmHWM its peak).
int64_t resident_bytes(const std::string& field) {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind(field + ":", 0) == 0) return std::stoll(line.substr(field.size() + 1)) * 1024;
  }
  return -1;
}

// Makes VmHWM the current resident size (Linux: "5" to clear_refs).
void reset_peak_resident() { std::ofstream("/proc/self/clear_refs") << "5"; }

TEST_F(DatasetWriteTest, AThousandPartitionsStayWithinTheMemoryBound) {
  // 1,000 partitions in random order, 400 rows each, with a buffer bound of 256 KiB: the
  // buffers are written out as row groups long before a partition's rows are all there.
  const int32_t n = 400000;
  std::mt19937_64 rng(7);
  std::vector<int32_t> ids, keys;
  for (int32_t i = 0; i < n; ++i) {
    ids.push_back(i);
    keys.push_back(static_cast<int32_t>(rng() % 1000));
  }
  const Table t = test::table_of({field("id", DataType(Id::Int32)), field("key", DataType(Id::Int32))},
                                 {test::array_of(DataType(Id::Int32), ids), test::array_of(DataType(Id::Int32), keys)});
  DatasetWriteOptions o;
  o.partition_by = {"key"};
  o.max_buffered_bytes = 256 << 10;
  o.max_open_files = 1000;  // one file per partition (more where descriptors are fewer)
  RecordBatchReader in(std::make_unique<SlicedSource>(t, 8192));
  const int64_t before = resident_bytes("VmRSS");
  reset_peak_resident();
  const std::vector<WrittenFile> written = write_dataset(in, root(), o);
  const int64_t growth = resident_bytes("VmHWM") - before;
  // write_dataset's documented bound: max_buffered_bytes, 64 KiB per open file, one input
  // batch and its copy dealt out (64 KiB here), the encoding scratch (16 MiB is ample).
  // (26 MiB measured; sanitizers keep freed memory, so the bound is not theirs.)
  if (!kSanitized) {
    EXPECT_LT(growth, o.max_buffered_bytes + 1000 * (int64_t{64} << 10) + (int64_t{16} << 20))
        << "peak resident growth " << (growth >> 20) << " MiB";
  }
  int64_t rows = 0, largest_group = 0, groups = 0;
  std::set<std::string> dirs;
  for (const WrittenFile& w : written) {
    dirs.insert(fs::path(w.path).parent_path().string());
    rows += w.metadata.num_rows();
    groups += w.metadata.num_row_groups();
    for (int g = 0; g < w.metadata.num_row_groups(); ++g) {
      largest_group = std::max(largest_group, w.metadata.row_group(g).num_rows());
    }
  }
  EXPECT_EQ(dirs.size(), 1000u);
  EXPECT_GE(written.size(), 1000u);
  EXPECT_EQ(rows, n);
  // 256 KiB of buffers hold about 64,000 4-byte ids in all, 64 per partition: flushed at
  // the bound, none reaches 200 rows, and there are several row groups per file.
  EXPECT_LT(largest_group, 200);
  EXPECT_GT(groups, 3000);
  EXPECT_EQ(sorted_rows(read_back(root())), sorted_rows(t));
}

TEST_F(DatasetWriteTest, ExistingDataIsRefusedReplacedOrDeleted) {
  DatasetWriteOptions o;
  o.partition_by = {"city"};
  write_dataset(cities_table(4, {"a", "b"}), root(), o);
  // Error (the default): nothing written, the old files stay.
  EXPECT_ERROR(write_dataset(cities_table(2, {"c"}), root(), o), ErrorKind::InvalidArgument, "already holds data");
  EXPECT_EQ(files_below(root()), (std::vector<std::string>{"city=a/part-0.parquet", "city=b/part-0.parquet"}));
  // OverwriteOrIgnore: part-0 of a is replaced, b stays, c is added.
  o.existing_data = ExistingData::OverwriteOrIgnore;
  write_dataset(cities_table(3, {"a", "c", "c"}), root(), o);
  EXPECT_EQ(files_below(root()),
            (std::vector<std::string>{"city=a/part-0.parquet", "city=b/part-0.parquet", "city=c/part-0.parquet"}));
  EXPECT_EQ(FileReader::open(root() + "/city=a/part-0.parquet").metadata().num_rows(), 1);
  // A template with {uuid} appends beside what is there.
  o.basename_template = "part-{uuid}.parquet";
  write_dataset(cities_table(1, {"b"}), root(), o);
  const std::vector<std::string> now = files_below(root());
  ASSERT_EQ(now.size(), 4u);
  EXPECT_TRUE(std::regex_match(now[2], std::regex("city=b/part-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\\.parquet")))
      << now[2];
  // DeleteMatching: b's directory is emptied before its new file; a and c stay.
  o.existing_data = ExistingData::DeleteMatching;
  o.basename_template = "new-{i}.parquet";
  write_dataset(cities_table(1, {"b"}), root(), o);
  EXPECT_EQ(files_below(root()), (std::vector<std::string>{"city=a/part-0.parquet", "city=b/new-0.parquet",
                                                           "city=c/part-0.parquet"}));
  EXPECT_EQ(read_back(root()).num_rows(), 1 + 1 + 2);
}

TEST_F(DatasetWriteTest, AFailedWriteLeavesOnlyCompleteFilesAndCountsThem) {
  const Table t = cities_table(40, {"a", "b"});
  DatasetWriteOptions o;
  o.partition_by = {"city"};
  o.max_rows_per_file = 5;
  std::vector<std::string> completed;
  o.file_visitor = [&](const WrittenFile& w) { completed.push_back(fs::relative(w.path, root()).string()); };
  // Batches of 4 rows; the input fails at row 24: a and b have 12 rows each, in two
  // complete files of 5 and a third of 2 rows that is not complete.
  RecordBatchReader in(std::make_unique<SlicedSource>(t, 4, 24));
  EXPECT_ERROR(write_dataset(in, root(), o), ErrorKind::Io, "4 files were completed before the failure");
  std::sort(completed.begin(), completed.end());
  EXPECT_EQ(completed, (std::vector<std::string>{"city=a/part-0.parquet", "city=a/part-1.parquet",
                                                 "city=b/part-0.parquet", "city=b/part-1.parquet"}));
  EXPECT_EQ(files_below(root()), completed);  // no temporary file is left
  for (const std::string& f : completed) EXPECT_EQ(FileReader::open(root() + "/" + f).metadata().num_rows(), 5);
}

TEST_F(DatasetWriteTest, PartitionColumnsAreKeptInFilesWhenAsked) {
  DatasetWriteOptions o;
  o.partition_by = {"city"};
  o.keep_partition_columns = true;
  write_dataset(cities_table(4, {"a", "b"}), root(), o);
  const Schema s = FileReader::open(root() + "/city=a/part-0.parquet").arrow_schema();
  ASSERT_EQ(s.fields.size(), 2u);
  EXPECT_EQ(s.fields[1].name, "city");
  // Read as a dataset, the partition value and the column agree.
  EXPECT_EQ(sorted_rows(read_back(root())), sorted_rows(cities_table(4, {"a", "b"})));
}

TEST_F(DatasetWriteTest, WithoutPartitionsTheRootHoldsNumberedFiles) {
  DatasetWriteOptions o;
  o.max_rows_per_file = 4;
  write_dataset(cities_table(10, {"a"}), root(), o);
  EXPECT_EQ(files_below(root()), (std::vector<std::string>{"part-0.parquet", "part-1.parquet", "part-2.parquet"}));
  EXPECT_EQ(sorted_rows(read_back(root(), Partitioning::Kind::None)), sorted_rows(cities_table(10, {"a"})));
}

// Overwrites the last 4 bytes of `path` (the "PAR1" after the footer) with `magic`.
void set_trailer(const std::string& path, const char* magic) {
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  f.seekp(-4, std::ios::end);
  f.write(magic, 4);
}

TEST_F(DatasetWriteTest, MetadataFilesPlanScansWithoutReadingFooters) {
  const Table t = cities_table(30, {"a", "b", "c"});
  DatasetWriteOptions o;
  o.partition_by = {"city"};
  o.max_rows_per_file = 4;  // 10 rows per city: 3 files each
  o.file_options.row_group_rows = 3;
  o.write_metadata_files = true;
  const std::vector<WrittenFile> written = write_dataset(t, root(), o);
  ASSERT_EQ(written.size(), 9u);
  // _metadata: every file's row groups, file paths relative to the root, in path order.
  const FileMetadata summary = FileReader::open(root() + "/_metadata").metadata();
  EXPECT_EQ(summary.num_rows(), 30);
  ASSERT_EQ(summary.num_row_groups(), 3 * (2 + 2 + 1));  // files of 4, 4 and 2 rows in groups of 3
  EXPECT_EQ(summary.row_group(0).column(0).file_path(), "city=a/part-0.parquet");
  EXPECT_EQ(summary.row_group(1).column(0).file_path(), "city=a/part-0.parquet");
  EXPECT_EQ(summary.row_group(2).column(0).file_path(), "city=a/part-1.parquet");
  EXPECT_EQ(summary.row_group(14).column(0).file_path(), "city=c/part-2.parquet");
  EXPECT_EQ(summary.schema().to_string(), written[0].metadata.schema().to_string());
  const FileMetadata common = FileReader::open(root() + "/_common_metadata").metadata();
  EXPECT_EQ(common.num_row_groups(), 0);
  EXPECT_EQ(common.schema().to_string(), summary.schema().to_string());

  // With every data file's trailer broken, reading a footer fails: the dataset still reads,
  // planned from _metadata alone (row groups, statistics, partitions).
  std::vector<std::string> files;
  for (const WrittenFile& w : written) {
    files.push_back(w.path);
    set_trailer(w.path, "XXXX");
  }
  const Dataset ds = Dataset::open(root());
  EXPECT_EQ(ds.fragments().size(), 9u);
  EXPECT_EQ(ds.fragment_rows(), (std::vector<int64_t>{4, 4, 2, 4, 4, 2, 4, 4, 2}));
  EXPECT_EQ(sorted_rows(ds.read_table()), sorted_rows(t));
  ScanOptions scan;
  scan.filter = col("city") == "b" && col("id") >= 20;  // b holds 1, 4, ..., 28
  RecordBatchReader filtered = ds.scan(scan);
  int64_t rows = 0;
  for (RecordBatch b; filtered.next(b);) rows += b.num_rows;
  EXPECT_EQ(rows, 3);  // 22, 25, 28
  EXPECT_EQ(filtered.counts().files_skipped, 6);
  DatasetOptions ignore;
  ignore.metadata_file = MetadataFile::Ignore;
  EXPECT_ERROR(Dataset::open(root(), ignore), ErrorKind::Corrupt, "not a Parquet file");
  for (const std::string& f : files) set_trailer(f, "PAR1");

  // A _metadata that does not match the files: trusted (Use: its files alone are read, a
  // missing or short one refused as a scan opens it), or checked and passed over.
  DatasetOptions if_valid;
  if_valid.metadata_file = MetadataFile::UseIfValid;
  fs::copy_file(files[0], root() + "/city=a/extra.parquet");
  EXPECT_EQ(Dataset::open(root()).read_table().num_rows(), 30);
  EXPECT_EQ(Dataset::open(root(), if_valid).read_table().num_rows(), 34);
  fs::remove(root() + "/city=a/extra.parquet");
  fs::resize_file(files[3], 40);  // the first chunk starts at byte 4 and is longer
  EXPECT_ERROR(Dataset::open(root()).read_table(), ErrorKind::Corrupt, "past the file's");
  fs::remove(files[3]);
  EXPECT_ERROR(Dataset::open(root()).read_table(), ErrorKind::Corrupt, "which does not exist");
  EXPECT_EQ(Dataset::open(root(), if_valid).read_table().num_rows(), 26);
}

// Without `_metadata`, `_common_metadata` gives the schema (Spark reads it first without
// mergeSchema): no data file is opened for it, and every file must agree with it.
TEST_F(DatasetWriteTest, CommonMetadataGivesTheSchemaWithoutOpeningAFile) {
  const Table t = cities_table(12, {"a", "b"});
  DatasetWriteOptions o;
  o.partition_by = {"city"};
  o.write_metadata_files = true;
  const std::vector<WrittenFile> written = write_dataset(t, root(), o);
  fs::remove(root() + "/_metadata");
  for (const WrittenFile& w : written) set_trailer(w.path, "XXXX");
  const Dataset ds = Dataset::open(root());
  ASSERT_EQ(ds.schema().fields.size(), 2u);
  EXPECT_EQ(ds.schema().fields[0].name, "id");
  EXPECT_EQ(ds.schema().fields[0].type.id(), Id::Int32);
  EXPECT_EQ(ds.schema().fields[1].name, "city");
  EXPECT_ERROR(ds.read_table(), ErrorKind::Corrupt, "not a Parquet file");  // the files are read only now
  DatasetOptions ignore;
  ignore.metadata_file = MetadataFile::Ignore;
  EXPECT_ERROR(Dataset::open(root(), ignore), ErrorKind::Corrupt, "not a Parquet file");
  for (const WrittenFile& w : written) set_trailer(w.path, "PAR1");
  EXPECT_EQ(sorted_rows(Dataset::open(root()).read_table()), sorted_rows(t));

  // A `_common_metadata` of other columns (id and name) than the files' (id): the dataset
  // has its columns, and a file without `name` is refused by name as the scan opens it.
  const std::string other = (dir_ / "other").string();
  DatasetWriteOptions plain;
  plain.write_metadata_files = true;
  Table renamed = cities_table(2, {"x"});
  renamed.schema.fields[1].name = "name";
  for (RecordBatch& b : renamed.batches) b.schema = renamed.schema;
  write_dataset(renamed, other, plain);
  fs::copy_file(other + "/_common_metadata", root() + "/_common_metadata", fs::copy_options::overwrite_existing);
  const Dataset given = Dataset::open(root());
  ASSERT_EQ(given.schema().fields.size(), 3u);
  EXPECT_EQ(given.schema().fields[1].name, "name");
  EXPECT_ERROR(given.read_table(), ErrorKind::InvalidArgument, "city=a/part-0.parquet");
  EXPECT_EQ(Dataset::open(root(), ignore).schema().fields.size(), 2u);  // the first file's: id, city
  // A corrupt one is an error naming it, or passed over with UseIfValid.
  { std::ofstream(root() + "/_common_metadata", std::ios::trunc) << "not parquet"; }
  EXPECT_ERROR(Dataset::open(root()), ErrorKind::Corrupt, "_common_metadata");
  DatasetOptions if_valid;
  if_valid.metadata_file = MetadataFile::UseIfValid;
  EXPECT_EQ(sorted_rows(Dataset::open(root(), if_valid).read_table()), sorted_rows(t));
}

TEST_F(DatasetWriteTest, WritingWhereDataIsKeepsTheSummariesTrue) {
  DatasetWriteOptions o;
  o.partition_by = {"city"};
  o.write_metadata_files = true;
  write_dataset(cities_table(4, {"a", "b"}), root(), o);
  // An append without summaries removes the old ones (a reader would trust them and miss
  // the new rows).
  DatasetWriteOptions append = o;
  append.write_metadata_files = false;
  append.existing_data = ExistingData::OverwriteOrIgnore;
  append.basename_template = "more-{i}.parquet";
  write_dataset(cities_table(2, {"c"}), root(), append);
  EXPECT_FALSE(fs::exists(root() + "/_metadata"));
  EXPECT_FALSE(fs::exists(root() + "/_common_metadata"));
  EXPECT_EQ(Dataset::open(root()).read_table().num_rows(), 6);
  // An append with summaries describes every file below the root, old and new.
  append.write_metadata_files = true;
  append.basename_template = "last-{i}.parquet";
  write_dataset(cities_table(3, {"a"}), root(), append);
  const FileMetadata summary = FileReader::open(root() + "/_metadata").metadata();
  EXPECT_EQ(summary.num_rows(), 9);
  EXPECT_EQ(summary.row_group(0).column(0).file_path(), "city=a/last-0.parquet");
  EXPECT_EQ(summary.row_group(1).column(0).file_path(), "city=a/part-0.parquet");
  EXPECT_EQ(Dataset::open(root()).read_table().num_rows(), 9);
}

TEST_F(DatasetWriteTest, MetadataCollectorRefusesFilesOfAnotherSchema) {
  const FileMetadata a = write_table(cities_table(2, {"x"}), path("a.parquet"));
  const FileMetadata b = write_table(test::table_of({field("id", DataType(Id::Int64))},
                                                    {test::array_of(DataType(Id::Int64), std::vector<int64_t>{1})}),
                                     path("b.parquet"));
  MetadataCollector c;
  EXPECT_ERROR(c.write_metadata_file(path("_metadata")), ErrorKind::InvalidArgument, "no file was added");
  c.add("a.parquet", a);
  EXPECT_ERROR(c.add("b.parquet", b), ErrorKind::InvalidArgument, "'b.parquet' does not have the schema of 'a.parquet'");
  EXPECT_ERROR(c.add("/abs/a.parquet", a), ErrorKind::InvalidArgument, "relative to the dataset's root");
  EXPECT_ERROR(c.add("x/../../a.parquet", a), ErrorKind::InvalidArgument, "relative to the dataset's root");
  c.add("again/a.parquet", a);
  EXPECT_EQ(c.num_files(), 2);
  EXPECT_EQ(c.metadata().num_rows(), 4);
  EXPECT_EQ(c.metadata().row_group(1).column(1).file_path(), "again/a.parquet");
}

TEST_F(DatasetWriteTest, BadOptionsAreRefusedBeforeAnythingIsWritten) {
  const Table t = cities_table(2, {"a"});
  DatasetWriteOptions o;
  o.partition_by = {"nope"};
  EXPECT_ERROR(write_dataset(t, root(), o), ErrorKind::InvalidArgument, "no column 'nope'");
  o.partition_by = {"city", "city"};
  EXPECT_ERROR(write_dataset(t, root(), o), ErrorKind::InvalidArgument, "twice");
  o.partition_by = {"city", "id"};
  EXPECT_ERROR(write_dataset(t, root(), o), ErrorKind::InvalidArgument, "every column is a partition column");
  o.partition_by = {"city"};
  o.basename_template = "part.parquet";
  EXPECT_ERROR(write_dataset(t, root(), o), ErrorKind::InvalidArgument, "neither {i} nor {uuid}");
  o.basename_template = "_part-{i}.parquet";
  EXPECT_ERROR(write_dataset(t, root(), o), ErrorKind::InvalidArgument, "readers do not skip");
  o.basename_template = "part-{i}.parquet";
  o.max_open_files = 0;
  EXPECT_ERROR(write_dataset(t, root(), o), ErrorKind::InvalidArgument, "max_open_files");
  o.max_open_files = 4;
  o.flavor = Partitioning::Kind::Detect;
  EXPECT_ERROR(write_dataset(t, root(), o), ErrorKind::InvalidArgument, "Hive or Directory");
  std::mt19937_64 rng(1);
  const Table nested = test::table_of(
      {field("id", DataType(Id::Int32)), field("l", DataType::list(field("element", DataType(Id::Int32))))},
      {test::array_of(DataType(Id::Int32), std::vector<int32_t>{1}),
       test::random_array(DataType::list(field("element", DataType(Id::Int32))), true, 1, 0.0, rng)});
  DatasetWriteOptions n;
  n.partition_by = {"l"};
  EXPECT_ERROR(write_dataset(nested, root(), n), ErrorKind::Unsupported, "column 'l' is list");
  EXPECT_FALSE(fs::exists(root()));
}

// ---------------------------------------------------------------------------------------
// Encrypted datasets, keys from a KMS (parquet-java's test master keys: the ASCII digits).

const std::map<std::string, std::string> kMasterKeys = {{"kf", "MDEyMzQ1Njc4OTAxMjM0NQ=="},
                                                        {"kc", "MTIzNDU2Nzg5MDEyMzQ1MA=="}};

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

// Footer key kf; the id column with kc (city is the partition: not in the files).
DatasetEncryptionConfig kms_encryption(std::shared_ptr<InMemoryKms> kms, bool internal, bool double_wrapping) {
  DatasetEncryptionConfig c;
  c.crypto_factory = std::make_shared<CryptoFactory>(InMemoryKms::factory(std::move(kms)));
  c.encryption_config.footer_key = "kf";
  c.encryption_config.column_keys = {{"kc", {"id"}}};
  c.encryption_config.internal_key_material = internal;
  c.encryption_config.double_wrapping = double_wrapping;
  return c;
}

// A reader's own factory: it shares no cache with the writer's.
DatasetOptions kms_decryption() {
  DatasetOptions o;
  o.decryption_config = DatasetDecryptionConfig{
      std::make_shared<CryptoFactory>(InMemoryKms::factory(std::make_shared<InMemoryKms>(kMasterKeys))), {}, {}};
  return o;
}

TEST_F(DatasetWriteTest, EncryptedThroughAKmsEachFileHasDataKeysOfItsOwn) {
  // 40 rows in two cities, 5 rows a file: 8 files, each with its key material beside it.
  // Single wrapping, so that the test can unwrap each file's data keys with the KMS.
  const Table t = cities_table(40, {"a", "b"});
  auto kms = std::make_shared<InMemoryKms>(kMasterKeys);
  DatasetWriteOptions o;
  o.partition_by = {"city"};
  o.max_rows_per_file = 5;
  o.encryption_config = kms_encryption(kms, false, false);
  write_dataset(t, root(), o);
  std::vector<std::string> expected;
  for (const char* city : {"a", "b"}) {
    for (int i = 0; i < 4; ++i) {
      const std::string dir = std::string("city=") + city + "/";
      const std::string name = "part-" + std::to_string(i) + ".parquet";
      expected.push_back(dir + "_KEY_MATERIAL_FOR_" + name + ".json");
      expected.push_back(dir + name);
    }
  }
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(files_below(root()), expected);
  std::set<std::string> footer_keys, column_keys;
  for (const std::string& f : expected) {
    if (f.find("_KEY_MATERIAL_FOR_") == std::string::npos) continue;
    const auto store = nlohmann::json::parse(slurp(root() + "/" + f));
    ASSERT_EQ(store.size(), 2u) << f;  // the footer key and the id column's
    const auto footer = nlohmann::json::parse(store["footerKey"].get<std::string>());
    const auto column = nlohmann::json::parse(store["columnKey0"].get<std::string>());
    EXPECT_EQ(footer["masterKeyID"], "kf");
    EXPECT_EQ(column["masterKeyID"], "kc");
    footer_keys.insert(kms->unwrap_key(footer["wrappedDEK"], "kf"));
    column_keys.insert(kms->unwrap_key(column["wrappedDEK"], "kc"));
  }
  EXPECT_EQ(footer_keys.size(), 8u);
  EXPECT_EQ(column_keys.size(), 8u);
  for (const std::string& k : footer_keys) EXPECT_FALSE(column_keys.count(k));

  // Read back, each file through its own key material; the key material files are not
  // data files. A filter prunes partitions and then row groups by the decrypted statistics.
  const Dataset ds = Dataset::open(root(), kms_decryption());
  EXPECT_EQ(ds.fragments().size(), 8u);
  EXPECT_EQ(sorted_rows(ds.read_table()), sorted_rows(t));
  ScanOptions scan;
  scan.filter = col("city") == "b" && col("id") >= 30;  // b holds 1, 3, ..., 39: files of 5
  RecordBatchReader r = ds.scan(scan);
  const Table expected_rows =
      test::table_of({field("id", DataType(Id::Int32)), field("city", DataType(Id::String))},
                     {test::array_of(DataType(Id::Int32), std::vector<int32_t>{31, 33, 35, 37, 39}),
                      test::string_array({"b", "b", "b", "b", "b"})});
  EXPECT_EQ(sorted_rows(test::drain(r)), sorted_rows(expected_rows));
  EXPECT_EQ(r.counts().files_skipped, 4);
  EXPECT_EQ(r.counts().row_groups_skipped, 3);
  // One set of decryption properties for every file cannot find their key material; no
  // keys at all leave the files unreadable.
  DatasetOptions shared;
  shared.file_options.decryption = kms_decryption().decryption_config->crypto_factory->file_decryption_properties({}, {});
  EXPECT_ERROR(Dataset::open(root(), shared).read_table(), ErrorKind::Crypto, "give its path");
  EXPECT_ERROR(Dataset::open(root()).read_table(), ErrorKind::Crypto, "part-0.parquet");
}

TEST_F(DatasetWriteTest, EncryptedWithInternalKeyMaterialReadsWithOnePropertiesForAll) {
  const Table t = cities_table(30, {"a", "b", "c"});
  DatasetWriteOptions o;
  o.partition_by = {"city"};
  o.encryption_config = kms_encryption(std::make_shared<InMemoryKms>(kMasterKeys), true, true);
  write_dataset(t, root(), o);
  EXPECT_EQ(files_below(root()), (std::vector<std::string>{"city=a/part-0.parquet", "city=b/part-0.parquet",
                                                           "city=c/part-0.parquet"}));
  EXPECT_EQ(sorted_rows(Dataset::open(root(), kms_decryption()).read_table()), sorted_rows(t));
  // The key material is in each footer: one retriever serves every file.
  DatasetOptions shared;
  shared.file_options.decryption = kms_decryption().decryption_config->crypto_factory->file_decryption_properties({}, {});
  EXPECT_EQ(sorted_rows(Dataset::open(root(), shared).read_table()), sorted_rows(t));
  for (const std::string& f : files_below(root())) {
    EXPECT_EQ(slurp(root() + "/" + f).substr(0, 4), "PARE") << f;
  }
}

TEST_F(DatasetWriteTest, AFailedEncryptedWriteLeavesNoKeyMaterialForIncompleteFiles) {
  const Table t = cities_table(40, {"a", "b"});
  DatasetWriteOptions o;
  o.partition_by = {"city"};
  o.max_rows_per_file = 5;
  o.encryption_config = kms_encryption(std::make_shared<InMemoryKms>(kMasterKeys), false, true);
  // As in AFailedWriteLeavesOnlyCompleteFilesAndCountsThem: two files of each city are
  // complete when the input fails, the third of each is not.
  RecordBatchReader in(std::make_unique<SlicedSource>(t, 4, 24));
  EXPECT_ERROR(write_dataset(in, root(), o), ErrorKind::Io, "4 files were completed before the failure");
  EXPECT_EQ(files_below(root()),
            (std::vector<std::string>{"city=a/_KEY_MATERIAL_FOR_part-0.parquet.json", "city=a/_KEY_MATERIAL_FOR_part-1.parquet.json",
                                      "city=a/part-0.parquet", "city=a/part-1.parquet",
                                      "city=b/_KEY_MATERIAL_FOR_part-0.parquet.json", "city=b/_KEY_MATERIAL_FOR_part-1.parquet.json",
                                      "city=b/part-0.parquet", "city=b/part-1.parquet"}));
  EXPECT_EQ(Dataset::open(root(), kms_decryption()).read_table().num_rows(), 20);

  // Replacing those files (same names) and failing: the files stay, and so does their key
  // material, which the new files' had overwritten.
  const std::string before = slurp(root() + "/city=a/_KEY_MATERIAL_FOR_part-0.parquet.json");
  o.existing_data = ExistingData::OverwriteOrIgnore;
  RecordBatchReader again(std::make_unique<SlicedSource>(t, 4, 4));
  EXPECT_ERROR(write_dataset(again, root(), o), ErrorKind::Io, "0 files were completed before the failure");
  EXPECT_EQ(slurp(root() + "/city=a/_KEY_MATERIAL_FOR_part-0.parquet.json"), before);
  // Rows 0-19 were completed by the first write (two files of 5 rows in each city).
  EXPECT_EQ(sorted_rows(Dataset::open(root(), kms_decryption()).read_table()), sorted_rows(cities_table(20, {"a", "b"})));
}

TEST_F(DatasetWriteTest, EncryptionOptionsThatConflictAreRefused) {
  const Table t = cities_table(4, {"a"});
  DatasetWriteOptions o;
  o.encryption_config = kms_encryption(std::make_shared<InMemoryKms>(kMasterKeys), true, true);
  o.write_metadata_files = true;  // `_metadata` would show encrypted columns' statistics
  EXPECT_ERROR(write_dataset(t, root(), o), ErrorKind::InvalidArgument, "write_metadata_files");
  o.write_metadata_files = false;
  EncryptionProperties key;
  key.footer_key = "0123456789012345";
  o.file_options.encryption = std::make_shared<EncryptionProperties>(key);
  EXPECT_ERROR(write_dataset(t, root(), o), ErrorKind::InvalidArgument, "not both");
  o.file_options.encryption.reset();
  o.encryption_config->crypto_factory.reset();
  EXPECT_ERROR(write_dataset(t, root(), o), ErrorKind::InvalidArgument, "no crypto_factory");
  EXPECT_FALSE(fs::exists(root()));
  write_dataset(t, root(), DatasetWriteOptions{});
  DatasetOptions r = kms_decryption();
  r.file_options.decryption = std::make_shared<DecryptionProperties>();
  EXPECT_ERROR(Dataset::open(root(), r), ErrorKind::InvalidArgument, "not both");
  r.file_options.decryption.reset();
  r.decryption_config->crypto_factory.reset();
  EXPECT_ERROR(Dataset::open(root(), r), ErrorKind::InvalidArgument, "no crypto_factory");
}

}  // namespace
}  // namespace parkett
