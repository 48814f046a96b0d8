// Reading some rows of a row group (column::RowSelection): pages without a selected row
// are skipped (found by the offset index, or passed by their headers), values outside the
// selection are skipped within pages, and what comes back is exactly the selected rows of
// the full read, for every file of the corpus that reads, and for files written here with
// every encoding, v1 and v2 pages, nested columns and pages of a few rows.
#include <gtest/gtest.h>

#include <random>

#include "arrays.h"
#include "column/row_selection.h"
#include "corpus.h"
#include "file/field_reader.h"
#include "parkett/error.h"
#include "parkett/reader.h"
#include "parkett/writer.h"
#include "table/take.h"
#include "format/parquet_types.h"
#include "stored_struct.h"
#include "temp_dir.h"
#include "expect_error.h"
#include "parkett/expression.h"

namespace parkett {
namespace {

using column::RowRange;
using column::RowSelection;

// A few ranges: single rows, runs, sometimes nothing or everything.
RowSelection random_selection(int64_t n, std::mt19937_64& rng) {
  const int shape = static_cast<int>(rng() % 6);
  if (n == 0 || shape == 0) return RowSelection::all(n);
  if (shape == 1) return {};
  std::vector<RowRange> ranges;
  const int count = 1 + static_cast<int>(rng() % 6);
  for (int i = 0; i < count; ++i) {
    const int64_t begin = static_cast<int64_t>(rng() % static_cast<uint64_t>(n));
    const int64_t length = shape == 2 ? 1 : 1 + static_cast<int64_t>(rng() % static_cast<uint64_t>(std::max<int64_t>(1, n / 4)));
    ranges.push_back({begin, std::min(n, begin + length)});
  }
  return RowSelection::of(std::move(ranges));
}

struct Checked {
  int selections = 0;
  int windows = 0;
  int64_t pages_skipped = 0;
};

// The field read a window of rows at a time (file::FieldStream, as batch scans read), each
// window with its own random selection, its bytes fetched a few at a time so that decoders
// run out of them anywhere: the windows together are the full read at the selected rows.
void check_windows(const FileReader& r, const ReadOptions& options, const file::ReadField& field, int32_t g,
                   const file::RowGroupPageIndex& index, const ArrayPtr& full, std::mt19937_64& rng, Checked& checked) {
  const int64_t n = r.metadata().row_group(g).num_rows();
  for (bool located : {false, true}) {
    const int64_t window_bytes = 1 + static_cast<int64_t>(rng() % 3000);
    SCOPED_TRACE("windows of " + std::to_string(window_bytes) + " bytes" + (located ? ", pages by the offset index" : ""));
    file::FieldStream stream(r, options, field, g, located ? &index : nullptr, window_bytes);
    Table expected, got;
    expected.schema = got.schema = test::table_of({field.output}, {full}).schema;
    int64_t begin = 0;
    do {
      const int64_t end = std::min(n, begin + 1 + static_cast<int64_t>(rng() % static_cast<uint64_t>(std::max<int64_t>(1, n / 3))));
      const RowSelection local = random_selection(end - begin, rng);
      std::vector<RowRange> shifted;
      for (const RowRange& x : local.ranges()) shifted.push_back({x.begin + begin, x.end + begin});
      const RowSelection sel = RowSelection::of(std::move(shifted));
      const bool every = rng() % 4 == 0;
      file::ReadTally t;
      const ArrayPtr part = stream.read(end, every ? nullptr : &sel, t);
      std::vector<int64_t> rows;
      if (every) {
        for (int64_t i = begin; i < end; ++i) rows.push_back(i);
      } else {
        rows = RowSelection::all(n).positions_of(sel);
      }
      ASSERT_EQ(part->length, static_cast<int64_t>(rows.size()));
      got.batches.push_back(test::table_of({field.output}, {part}).batches.at(0));
      expected.batches.push_back(test::table_of({field.output}, {table::take(*full, rows)}).batches.at(0));
      checked.pages_skipped += t.pages_skipped;
      begin = end;
    } while (begin < n);
    EXPECT_EQ(test::table_difference(expected, got), "");
    ++checked.windows;
  }
}

// Every field of every row group of `path`, under random selections, with and without the
// offset index, against the full read; then in windows, with strings as dictionaries too.
void check_selections(const std::string& path, std::mt19937_64& rng, Checked& checked) {
  FileReader r = FileReader::open(path);
  const ReadOptions options;
  const file::ReadPlan plan = file::make_read_plan(r.metadata(), options, path);
  std::vector<int32_t> all_leaves;
  for (int32_t c = 0; c < r.metadata().num_columns(); ++c) all_leaves.push_back(c);
  for (int32_t g = 0; g < r.metadata().num_row_groups(); ++g) {
    const int64_t n = r.metadata().row_group(g).num_rows();
    const file::RowGroupPageIndex index = file::read_page_index(r, g, all_leaves, {});
    for (const file::ReadField& field : plan.fields) {
      SCOPED_TRACE("row group " + std::to_string(g) + ", field " + field.output.name);
      file::ReadTally tally;
      const ArrayPtr full = file::read_field(r, options, field, {g, nullptr, nullptr}, tally);
      for (int trial = 0; trial < 4; ++trial) {
        const RowSelection sel = random_selection(n, rng);
        const std::vector<int64_t> rows = RowSelection::all(n).positions_of(sel);
        const Table expected = test::table_of({field.output}, {table::take(*full, rows)});
        for (bool located : {false, true}) {
          file::ReadTally t;
          const ArrayPtr got = file::read_field(r, options, field, {g, &sel, located ? &index : nullptr}, t);
          ASSERT_EQ(got->length, sel.row_count());
          EXPECT_EQ(test::table_difference(expected, test::table_of({field.output}, {got})), "")
              << (located ? "pages by the offset index" : "pages by their headers");
          checked.pages_skipped += t.pages_skipped;
          ++checked.selections;
        }
      }
      check_windows(r, options, field, g, index, full, rng, checked);
    }
    ReadOptions dictionaries;
    for (const Field& f : r.arrow_schema().fields) dictionaries.read_dictionary.push_back(f.name);
    const file::ReadPlan with_dictionaries = file::make_read_plan(r.metadata(), dictionaries, path);
    for (const file::ReadField& field : with_dictionaries.fields) {
      if (field.dictionary_leaves.empty()) continue;
      SCOPED_TRACE("row group " + std::to_string(g) + ", field " + field.output.name + " as a dictionary");
      file::ReadTally tally;
      const ArrayPtr full = file::read_field(r, dictionaries, field, {g, nullptr, nullptr}, tally);
      check_windows(r, dictionaries, field, g, index, full, rng, checked);
    }
  }
}

TEST(RowSelectionCorpus, SelectedRowsEqualTheFullReadSliced) {
  std::mt19937_64 rng(7);
  Checked checked;
  int files = 0;
  for (const std::string& name : test::corpus_parquet_files()) {
    if (!name.starts_with("data/")) continue;
    const std::string path = test::corpus_dir() + "/" + name;
    try {
      const FileReader r = FileReader::open(path);
      int64_t bytes = 0;
      for (int32_t g = 0; g < r.metadata().num_row_groups(); ++g) bytes += r.metadata().row_group(g).total_byte_size();
      if (bytes > (int64_t{64} << 20)) continue;  // the files of gigabytes of strings: too slow to compare here
      r.read_table();
    } catch (const Error&) {
      continue;  // files the reader refuses (encrypted, unsupported) have their own tests
    }
    SCOPED_TRACE(name);
    check_selections(path, rng, checked);
    ++files;
  }
  EXPECT_GT(files, 60);
  EXPECT_GT(checked.selections, 5000);
  EXPECT_GT(checked.windows, 1000);
  EXPECT_GT(checked.pages_skipped, 100);
}

// Files written with each encoding, v1 and v2 pages, pages of at most 7 rows, flat and
// nested columns with nulls.
class RowSelectionWritten : public test::TempDirTest {};

TEST_F(RowSelectionWritten, EveryEncodingAndPageVersion) {
  std::mt19937_64 rng(11);
  const std::vector<Field> fields = {
      {"i32", DataType(DataType::Id::Int32), true, {}},
      {"i64", DataType(DataType::Id::Int64), true, {}},
      {"f64", DataType(DataType::Id::Float64), true, {}},
      {"flag", DataType(DataType::Id::Boolean), true, {}},
      {"s", DataType(DataType::Id::String), true, {}},
      {"fixed", DataType::fixed_size_binary(5), true, {}},
      {"list", DataType::list(Field{"element", DataType(DataType::Id::Int32), true, {}}), true, {}},
      {"st", DataType::structure({Field{"a", DataType(DataType::Id::Int64), true, {}},
                                  Field{"b", DataType::list(Field{"element", DataType(DataType::Id::String), true, {}}), true, {}}}),
       true, {}},
  };
  std::vector<ArrayPtr> columns;
  for (const Field& f : fields) columns.push_back(test::random_array(f.type, true, 300, 0.2, rng));
  const Table table = test::table_of(fields, columns);
  struct Config {
    std::string name;
    std::optional<Encoding> encoding;
    bool dictionary;
    int page_version;
  };
  const std::vector<Config> configs = {
      {"plain_v1", Encoding::Plain, false, 1},
      {"dictionary_v2", std::nullopt, true, 2},
      {"delta_v2", std::nullopt, false, 2},  // the per-type delta encodings below
      {"byte_stream_split_v1", std::nullopt, false, 1},
      {"rle_booleans_v1", std::nullopt, false, 1},
      {"dictionary_fallback_v1", std::nullopt, true, 1},  // dictionaries of 40 keys, then plain pages
  };
  Checked checked;
  for (const Config& c : configs) {
    SCOPED_TRACE(c.name);
    WriteOptions o;
    o.max_rows_per_page = 7;
    o.row_group_rows = 128;
    o.data_page_version = c.page_version;
    o.dictionary = c.dictionary;
    o.encoding = c.encoding;
    if (c.name == "delta_v2") {
      o.column("i32").encoding = Encoding::DeltaBinaryPacked;
      o.column("i64").encoding = Encoding::DeltaBinaryPacked;
      o.column("s").encoding = Encoding::DeltaByteArray;
      o.column("fixed").encoding = Encoding::DeltaByteArray;
      o.column("list.list.element").encoding = Encoding::DeltaBinaryPacked;
      o.column("st.b.list.element").encoding = Encoding::DeltaLengthByteArray;
    }
    if (c.name == "byte_stream_split_v1") {
      o.column("f64").encoding = Encoding::ByteStreamSplit;
      o.column("i32").encoding = Encoding::ByteStreamSplit;
      o.column("fixed").encoding = Encoding::ByteStreamSplit;
    }
    if (c.name == "rle_booleans_v1") o.column("flag").encoding = Encoding::Rle;
    if (c.name == "dictionary_fallback_v1") o.max_dictionary_keys = 40;
    const std::string file = path("t_" + c.name + ".parquet");
    write_table(table, file, o);
    check_selections(file, rng, checked);
  }
  EXPECT_GT(checked.selections, 500);
  EXPECT_GT(checked.pages_skipped, 500);
}

// Pages without a selected row are not decompressed: one selected row of a flat column
// costs its page (and the dictionary page), whichever way pages are found.
TEST_F(RowSelectionWritten, SkippedPagesAreNotDecompressed) {
  std::mt19937_64 rng(3);
  const std::vector<Field> fields = {{"x", DataType(DataType::Id::Int64), true, {}}};
  const Table table = test::table_of(fields, {test::random_array(fields[0].type, true, 100000, 0.1, rng)});
  WriteOptions o;
  o.max_rows_per_page = 1000;  // 100 pages of about 8 kB
  o.dictionary = false;
  const std::string file = path("pages.parquet");
  write_table(table, file, o);
  FileReader r = FileReader::open(file);
  const file::ReadPlan plan = file::make_read_plan(r.metadata(), {}, file);
  const file::RowGroupPageIndex index = file::read_page_index(r, 0, {0}, {});
  ASSERT_TRUE(index.offsets[0].has_value());
  ASSERT_EQ(index.offsets[0]->pages.size(), 100u);
  const RowSelection sel = RowSelection::of({{55555, 55556}});
  for (bool located : {false, true}) {
    file::ReadTally t;
    const ArrayPtr got = file::read_field(r, {}, plan.fields[0], {0, &sel, located ? &index : nullptr}, t);
    EXPECT_EQ(got->length, 1);
    EXPECT_EQ(t.pages_skipped, 99);
    EXPECT_LE(t.pages_read, 2);  // the page of row 55555, and the dictionary page if any
    if (located) {
      // Only that page's bytes and the ranges merged with it (gaps under 64 kB) were read.
      EXPECT_LT(t.bytes_read, r.metadata().row_group(0).column(0).total_compressed_size() / 4);
    }
  }
}

// An offset index that gives a page fewer bytes than it has: the reader reads only the
// bytes the index names, so the page cannot be read whole, and that is an error naming the
// page, not a read of bytes that were never fetched.
TEST_F(RowSelectionWritten, AnOffsetIndexUnderstatingAPageIsCorrupt) {
  std::mt19937_64 rng(5);
  const std::vector<Field> fields = {{"x", DataType(DataType::Id::Int64), false, {}}};
  std::vector<int64_t> values(100000);
  for (size_t i = 0; i < values.size(); ++i) values[i] = static_cast<int64_t>(i);
  const Table table = test::table_of(fields, {test::array_of(DataType(DataType::Id::Int64), values)});
  WriteOptions o;
  o.max_rows_per_page = 1000;
  o.dictionary = false;
  o.compression = CodecOptions{Compression::Uncompressed, std::nullopt};
  const std::string file = path("lying.parquet");
  write_table(table, file, o);
  const ColumnChunkMetadata chunk = FileReader::open(file).metadata().row_group(0).column(0);
  auto index = test::StoredStruct<format::OffsetIndex>::read(file, *chunk.offset_index_offset(),
                                                              *chunk.offset_index_length());
  ASSERT_EQ(index.value.page_locations.size(), 100u);
  index.value.page_locations[50].compressed_page_size -= 1;  // 8000-odd bytes: its varint keeps its length
  ASSERT_TRUE(index.write());
  ReadOptions r;
  r.filter = col("x") == 50500;
  EXPECT_ERROR(FileReader::open(file).read_table(r), ErrorKind::Corrupt, "offset index gives the page");
  r.use_page_index = false;  // pages found by their headers: the file reads
  EXPECT_EQ(FileReader::open(file).read_table(r).num_rows(), 1);
}

}  // namespace
}  // namespace parkett
