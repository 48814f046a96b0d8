// FileWriter behaviour: streaming batches into row groups, schema checks, atomic commits
// (abandoned, failed, killed and out-of-space writes leave no file under the final name),
// option checks at open, and statistics / page index that match the data written.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "temp_dir.h"
#include "arrays.h"
#include "convert/jsonl_writer.h"
#include "corpus.h"
#include "expect_error.h"
#include "format/serde.h"
#include "parkett/error.h"
#include "parkett/reader.h"
#include "parkett/writer.h"

namespace fs = std::filesystem;

namespace parkett {
namespace {

class WriterTest : public test::TempDirTest {
 protected:
  std::vector<std::string> entries() const {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir_)) out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
  }
};

Table read_corpus(const std::string& name, ParquetSchema* schema = nullptr) {
  FileReader r = FileReader::open(test::data_file(name));
  if (schema) *schema = r.metadata().schema();
  return r.read_table();
}

std::string slurp(const std::string& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST_F(WriterTest, ManySmallBatchesBecomeRowGroupsOfTheConfiguredSize) {
  ReadOptions ro;
  ro.batch_size = 1;  // one row per batch
  FileReader src = FileReader::open(test::data_file("lz4_raw_compressed_larger.parquet"), ro);
  WriteOptions o;
  o.row_group_rows = 1000;
  FileWriter w = FileWriter::open(path("t.parquet"), src.arrow_schema(), o);
  RecordBatchReader batches = src.batches();
  RecordBatch b;
  int64_t rows = 0;
  for (int i = 0; i < 2500 && batches.next(b); ++i) {
    w.write(b);
    rows += b.num_rows;
  }
  FileMetadata md = w.close();
  EXPECT_EQ(md.num_rows(), rows);
  EXPECT_EQ(md.num_row_groups(), 3);
  EXPECT_EQ(md.row_group(0).num_rows(), 1000);
  EXPECT_EQ(md.row_group(2).num_rows(), 500);
  // The rows come back in order: compare with the first 2500 rows of the source.
  ReadOptions whole;
  whole.batch_size = 2500;
  RecordBatchReader first = FileReader::open(test::data_file("lz4_raw_compressed_larger.parquet"), whole).batches();
  RecordBatch expected;
  ASSERT_TRUE(first.next(expected));
  FileReader back = FileReader::open(path("t.parquet"));
  Table got = back.read_table();
  Table want{expected.schema, {expected}};
  const FileReader source = FileReader::open(test::data_file("lz4_raw_compressed_larger.parquet"));
  EXPECT_TRUE(convert::to_canonical_jsonl(back.metadata().schema(), got) ==
              convert::to_canonical_jsonl(source.metadata().schema(), want));
  EXPECT_EQ(entries(), std::vector<std::string>{"t.parquet"});
}

TEST_F(WriterTest, BatchWithAnotherSchemaIsRejectedNamingTheField) {
  const Table a = read_corpus("alltypes_plain.parquet");
  Schema other = a.schema;
  other.fields[3].type = DataType(DataType::Id::Int64);
  FileWriter w = FileWriter::open(path("t.parquet"), other);
  try {
    w.write(a);
    FAIL() << "accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::InvalidArgument);
    EXPECT_NE(std::string(e.what()).find(a.schema.fields[3].name), std::string::npos) << e.what();
  }
}

TEST_F(WriterTest, AbandonedOrFailedWritesLeaveTheOldFileUntouched) {
  const Table t = read_corpus("alltypes_plain.parquet");
  {
    std::ofstream(path("t.parquet")) << "old contents";
  }
  {
    FileWriter w = FileWriter::open(path("t.parquet"), t.schema);
    w.write(t);
    // destroyed without close()
  }
  EXPECT_EQ(slurp(path("t.parquet")), "old contents");
  EXPECT_EQ(entries(), std::vector<std::string>{"t.parquet"});

  // A value the schema cannot hold fails the write: the writer removes its temporary file.
  Table nulls = read_corpus("int32_with_null_pages.parquet");
  for (auto& f : nulls.schema.fields) f.nullable = false;
  for (auto& b : nulls.batches) b.schema = nulls.schema;
  WriteOptions small;
  small.row_group_rows = 10;  // the write encodes (and fails) at once
  FileWriter w = FileWriter::open(path("t.parquet"), nulls.schema, small);
  EXPECT_ERROR(w.write(nulls), ErrorKind::InvalidArgument, "is not nullable but holds a null");
  // the writer stays failed
  EXPECT_ERROR(w.close(), ErrorKind::InvalidArgument, "the writer failed earlier and wrote nothing");
  EXPECT_EQ(slurp(path("t.parquet")), "old contents");
  EXPECT_EQ(entries(), std::vector<std::string>{"t.parquet"});
}

TEST_F(WriterTest, ImpossibleOptionsAreRefusedAtOpen) {
  const Table t = read_corpus("alltypes_plain.parquet");
  auto refused = [&](WriteOptions o, const std::string& needle) {
    try {
      FileWriter::open(path("t.parquet"), t.schema, o);
      ADD_FAILURE() << "accepted: " << needle;
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::InvalidArgument) << e.what();
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    }
  };
  WriteOptions o;
  o.column("string_col").encoding = Encoding::DeltaBinaryPacked;
  refused(o, "string_col");
  WriteOptions alp;
  alp.column("id").encoding = Encoding::Alp;
  refused(alp, "id");
  WriteOptions level;
  level.compression = {Compression::Zstd, 40};
  refused(level, "40");
  WriteOptions unknown;
  unknown.column("no_such_column").dictionary = false;
  refused(unknown, "no_such_column");
  WriteOptions version;
  version.data_page_version = 3;
  refused(version, "data_page_version");
  EXPECT_TRUE(entries().empty());
}

// Writes row groups of the corpus table again and again (a long write) until killed.
[[noreturn]] void write_forever(const std::string& target, const Table& t) {
  WriteOptions o;
  o.row_group_rows = 100;
  FileWriter w = FileWriter::open(target, t.schema, o);
  for (;;) w.write(t);
}

TEST_F(WriterTest, KilledWriterLeavesNothingUnderTheFinalName) {
  const Table t = read_corpus("alltypes_tiny_pages.parquet");
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) write_forever(path("t.parquet"), t);
  // Wait until the temporary file has grown, then kill the writer mid-file.
  for (int i = 0; i < 500; ++i) {
    bool grown = false;
    for (const auto& e : fs::directory_iterator(dir_)) grown |= fs::file_size(e.path()) > (1 << 20);
    if (grown) break;
    ::usleep(10000);
  }
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  EXPECT_FALSE(fs::exists(path("t.parquet")));
  for (const std::string& e : entries()) EXPECT_TRUE(e.starts_with(".t.parquet.parkett-tmp-")) << e;
}

TEST_F(WriterTest, FailingStorageGivesAnIoErrorAndNoFile) {
  const Table t = read_corpus("alltypes_tiny_pages.parquet");
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // The file size limit makes write(2) fail with EFBIG, as a full disk fails with ENOSPC.
    ::signal(SIGXFSZ, SIG_IGN);
    rlimit limit{20000, 20000};
    ::setrlimit(RLIMIT_FSIZE, &limit);
    int code = 3;
    try {
      write_table(t, path("t.parquet"));
      code = 1;
    } catch (const Error& e) {
      const bool named = std::string(e.what()).find("t.parquet") != std::string::npos;
      code = e.kind() == ErrorKind::Io && named ? 0 : 2;
    }
    ::_exit(code);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "1: the write succeeded, 2: another error, 3: crash";
  EXPECT_TRUE(entries().empty());
}

// A chunk's column index and offset index, read from the written file.
struct PageIndex {
  format::ColumnIndex columns;
  format::OffsetIndex offsets;
  // The rows of page p: from its first row to the next page's (or the chunk's end).
  int64_t end_of(size_t p, int64_t rows) const {
    return p + 1 < offsets.page_locations.size() ? offsets.page_locations[p + 1].first_row_index : rows;
  }
};

PageIndex read_page_index(const std::string& file, const ColumnChunkMetadata& chunk) {
  PageIndex out;
  const auto* bytes = reinterpret_cast<const uint8_t*>(file.data());
  format::deserialize(bytes + *chunk.column_index_offset(), static_cast<size_t>(*chunk.column_index_length()), out.columns);
  format::deserialize(bytes + *chunk.offset_index_offset(), static_cast<size_t>(*chunk.offset_index_length()), out.offsets);
  return out;
}

// A string column's chunk and page bounds against its values (pages by the offset index).
void check_string_page_bounds(const ArrayData& a, const ColumnChunkMetadata& chunk, const std::string& file) {
  auto value = [&](int64_t i) {
    const int32_t* o = a.buffers[1]->as<int32_t>() + a.offset;
    return std::string(reinterpret_cast<const char*>(a.buffers[2]->data()) + o[i], static_cast<size_t>(o[i + 1] - o[i]));
  };
  auto bounds = [&](int64_t begin, int64_t end) {
    std::string lo = value(begin), hi = lo;
    for (int64_t i = begin; i < end; ++i) lo = std::min(lo, value(i)), hi = std::max(hi, value(i));
    return std::pair(lo, hi);
  };
  ASSERT_TRUE(chunk.statistics() && chunk.statistics()->has_min_max());
  EXPECT_EQ(std::pair(chunk.statistics()->encoded_min(), chunk.statistics()->encoded_max()), bounds(0, a.length));
  const PageIndex index = read_page_index(file, chunk);
  const auto& pages = index.offsets.page_locations;
  ASSERT_GT(pages.size(), 1u);
  for (size_t p = 0; p < pages.size(); ++p) {
    EXPECT_EQ(std::pair(index.columns.min_values[p], index.columns.max_values[p]),
              bounds(pages[p].first_row_index, index.end_of(p, a.length)))
        << "page " << p;
  }
}

// Statistics and the column index of written files match the values of each page.
TEST_F(WriterTest, StatisticsAndPageIndexMatchTheData) {
  const Table t = read_corpus("alltypes_tiny_pages.parquet");
  WriteOptions o;
  o.data_page_size = 2000;
  o.write_batch_size = 100;  // many small pages
  o.row_group_rows = 3000;
  FileMetadata md = write_table(t, path("t.parquet"), o);
  const std::string file = slurp(path("t.parquet"));
  FileReader back = FileReader::open(path("t.parquet"));
  const Table got = back.read_table();
  int checked_pages = 0;
  for (int32_t g = 0; g < md.num_row_groups(); ++g) {
    const RecordBatch& batch = got.batches[static_cast<size_t>(g)];
    for (int32_t c = 0; c < md.num_columns(); ++c) {
      const ArrayData& a = *batch.columns[static_cast<size_t>(c)];
      const auto id = a.type.id();
      SCOPED_TRACE(batch.schema.fields[static_cast<size_t>(c)].name);
      if (id == DataType::Id::String) {
        check_string_page_bounds(a, md.row_group(g).column(c), file);
        continue;
      }
      if (id != DataType::Id::Int32 && id != DataType::Id::Int64 && id != DataType::Id::Float64) continue;
      auto value = [&](int64_t i) -> double {
        if (id == DataType::Id::Int32) return a.buffers[1]->as<int32_t>()[a.offset + i];
        if (id == DataType::Id::Int64) return static_cast<double>(a.buffers[1]->as<int64_t>()[a.offset + i]);
        return a.buffers[1]->as<double>()[a.offset + i];
      };
      auto decode = [&](const std::string& bytes) -> double {
        if (id == DataType::Id::Int32) { int32_t v; std::memcpy(&v, bytes.data(), 4); return v; }
        if (id == DataType::Id::Int64) { int64_t v; std::memcpy(&v, bytes.data(), 8); return static_cast<double>(v); }
        double v; std::memcpy(&v, bytes.data(), 8); return v;
      };
      auto chunk = md.row_group(g).column(c);
      ASSERT_TRUE(chunk.statistics() && chunk.statistics()->has_min_max());
      double lo = value(0), hi = value(0);
      for (int64_t i = 0; i < a.length; ++i) lo = std::min(lo, value(i)), hi = std::max(hi, value(i));
      EXPECT_EQ(decode(chunk.statistics()->encoded_min()), lo);
      EXPECT_EQ(decode(chunk.statistics()->encoded_max()), hi);
      EXPECT_EQ(chunk.statistics()->null_count(), 0);
      // The page index: each page's min/max against the rows the offset index gives it.
      ASSERT_TRUE(chunk.column_index_offset() && chunk.offset_index_offset());
      const PageIndex index = read_page_index(file, chunk);
      const format::ColumnIndex& ci = index.columns;
      const format::OffsetIndex& oi = index.offsets;
      ASSERT_EQ(ci.min_values.size(), oi.page_locations.size());
      ASSERT_GT(oi.page_locations.size(), 1u);
      for (size_t p = 0; p < oi.page_locations.size(); ++p) {
        const int64_t begin = oi.page_locations[p].first_row_index;
        const int64_t end = index.end_of(p, a.length);
        double plo = value(begin), phi = value(begin);
        for (int64_t i = begin; i < end; ++i) plo = std::min(plo, value(i)), phi = std::max(phi, value(i));
        EXPECT_EQ(decode(ci.min_values[p]), plo) << "page " << p;
        EXPECT_EQ(decode(ci.max_values[p]), phi) << "page " << p;
        EXPECT_FALSE(ci.null_pages[p]);
        // The page really starts there: its header parses at the recorded offset.
        format::PageHeader h;
        format::deserialize(reinterpret_cast<const uint8_t*>(file.data()) + oi.page_locations[p].offset,
                            file.size() - static_cast<size_t>(oi.page_locations[p].offset), h);
        ASSERT_TRUE(h.data_page_header.has_value());
        EXPECT_EQ(h.data_page_header->num_values, end - begin);
        EXPECT_LT(h.compressed_page_size, oi.page_locations[p].compressed_page_size);  // the location counts the header too
        ++checked_pages;
      }
    }
  }
  EXPECT_GT(checked_pages, 50);
}

// A flat column without nulls writes its definition levels as one run without listing them;
// batches with and without nulls in one row group must still give every row its level.
TEST_F(WriterTest, BatchesWithAndWithoutNullsShareARowGroup) {
  Schema schema;
  schema.fields = {Field{"i", DataType(DataType::Id::Int64), true, {}}, Field{"s", DataType(DataType::Id::String), true, {}}};
  auto batch = [&](int64_t first, bool with_nulls) {
    std::vector<int64_t> ints;
    std::vector<bool> valid;
    std::vector<std::optional<std::string>> strings;
    for (int64_t i = first; i < first + 700; ++i) {
      const bool null = with_nulls && i % 3 == 0;
      ints.push_back(i);
      valid.push_back(!null);
      strings.push_back(null ? std::nullopt : std::optional<std::string>("v" + std::to_string(i % 50)));
    }
    RecordBatch b;
    b.schema = schema;
    b.num_rows = 700;
    b.columns = {test::array_of(DataType(DataType::Id::Int64), ints, with_nulls ? valid : std::vector<bool>{}),
                 test::string_array(strings)};
    return b;
  };
  for (int version : {1, 2}) {
    for (const std::vector<bool>& pattern : {std::vector<bool>{false, true, false}, std::vector<bool>{true, false, false},
                                             std::vector<bool>{false, false, true}}) {
      Table t;
      t.schema = schema;
      for (size_t k = 0; k < pattern.size(); ++k) t.batches.push_back(batch(static_cast<int64_t>(k) * 700, pattern[k]));
      WriteOptions o;
      o.data_page_version = version;
      o.write_batch_size = 64;
      o.data_page_size = 1000;  // pages that start inside each batch
      write_table(t, path("t.parquet"), o);
      FileReader r = FileReader::open(path("t.parquet"));
      EXPECT_EQ(test::table_difference(t, r.read_table()), "") << "v" << version;
      const int64_t nulls = pattern[0] * 234 + pattern[1] * 233 + pattern[2] * 233;
      EXPECT_EQ(r.metadata().row_group(0).column(0).statistics()->null_count(), nulls);
    }
  }
}

}  // namespace
}  // namespace parkett
