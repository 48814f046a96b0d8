// Deephaven data indexes (WriteOptions::index_columns): the sidecar files and footer keys
// as Deephaven lays them out, their row sets in Deephaven's bytes (worked out by hand from
// its algorithm), and scans that use them to skip row groups and pages.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "arrays.h"
#include "dataset_rows.h"
#include "expect_error.h"
#include "hex_text.h"
#include "parkett/dataset.h"
#include "parkett/reader.h"
#include "parkett/version.h"
#include "parkett/writer.h"
#include "temp_dir.h"

namespace parkett {
namespace {

using Id = DataType::Id;
namespace fs = std::filesystem;

// The value of `key` in a file's footer.
std::string footer_value(const std::string& file, const std::string& key) {
  const FileReader reader = FileReader::open(file);
  for (const auto& [k, v] : reader.metadata().key_value_metadata()) {
    if (k == key) return v.value_or("");
  }
  return "<none>";
}

// A key as text: test::cell's, decimals (small ones) as their unscaled integer.
std::string key_text(const ArrayData& a, int64_t r) {
  if (a.type.id() == Id::Decimal128 && a.is_valid(r)) return std::to_string(a.buffers[1]->as<int64_t>()[2 * (a.offset + r)]);
  return test::cell(a, r);
}

// Each row of an index file as "keys|row set bytes in hex".
std::vector<std::string> index_rows(const std::string& file, size_t num_keys) {
  const Table t = read_table(file);
  std::vector<std::string> out;
  for (const RecordBatch& b : t.batches) {
    for (int64_t r = 0; r < b.num_rows; ++r) {
      std::string row;
      for (size_t k = 0; k < num_keys; ++k) row += key_text(*b.columns[k], r) + "|";
      const ArrayData& rs = *b.columns[num_keys];
      const int32_t* o = rs.buffers[1]->as<int32_t>() + rs.offset;
      row += test::spaced_hex({reinterpret_cast<const char*>(rs.buffers[2]->data()) + o[r], static_cast<size_t>(o[r + 1] - o[r])});
      out.push_back(row);
    }
  }
  return out;
}

const std::string kVersion = std::string("parkett ") + version();

class DataIndex : public test::TempDirTest {
 protected:
  // 10 rows: sym B A B null A B C null A A, exch x y x x y z x x y x, n 0..9.
  static Table trades() {
    return test::table_of(
        {test::field("sym", DataType(Id::String)), test::field("exch", DataType(Id::String)),
         test::field("n", DataType(Id::Int64))},
        {test::string_array({"B", "A", "B", std::nullopt, "A", "B", "C", std::nullopt, "A", "A"}),
         test::string_array({"x", "y", "x", "x", "y", "z", "x", "x", "y", "x"}),
         test::array_of(DataType(Id::Int64), std::vector<int64_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9})});
  }

  // `rows` rows in row groups of 1000: sym is "A" and "Z" in every group (so that no
  // statistics rule a group out) and "K<g>" for 10 rows of group g; k is the row number.
  Table clustered(int64_t rows) {
    std::vector<std::optional<std::string>> sym;
    std::vector<int64_t> k;
    for (int64_t r = 0; r < rows; ++r) {
      const int64_t in_group = r % 1000;
      sym.push_back(in_group == 0 ? "A" : in_group == 999 ? "Z" : in_group >= 500 && in_group < 510 ? "K" + std::to_string(r / 1000) : "M");
      k.push_back(r);
    }
    return test::table_of({test::field("sym", DataType(Id::String)), test::field("k", DataType(Id::Int64))},
                          {test::string_array(sym), test::array_of(DataType(Id::Int64), k)});
  }

  static WriteOptions indexed(std::vector<std::vector<std::string>> columns) {
    WriteOptions o;
    o.index_columns = std::move(columns);
    return o;
  }
};

TEST_F(DataIndex, WritesDeephavensLayout) {
  WriteOptions o = indexed({{"sym"}, {"sym", "exch"}});
  o.row_group_rows = 3;
  write_table(trades(), path("t.parquet"), o);
  const std::string one = path(".dh_metadata/indexes/sym/index_sym_t.parquet");
  const std::string two = path(".dh_metadata/indexes/sym,exch/index_sym,exch_t.parquet");
  ASSERT_TRUE(fs::exists(one));
  ASSERT_TRUE(fs::exists(two));
  EXPECT_EQ(footer_value(path("t.parquet"), "deephaven"),
            "{\"version\":\"" + kVersion +
                "\",\"dataIndexes\":[{\"columns\":[\"sym\"],\"indexTablePath\":\".dh_metadata/indexes/sym/"
                "index_sym_t.parquet\"},{\"columns\":[\"sym\",\"exch\"],\"indexTablePath\":\".dh_metadata/indexes/"
                "sym,exch/index_sym,exch_t.parquet\"}]}");
  EXPECT_EQ(footer_value(one, "deephaven"),
            "{\"version\":\"" + kVersion +
                "\",\"columnTypes\":[{\"columnName\":\"dh_row_set\",\"codec\":{\"codecName\":\"io.deephaven.engine."
                "table.impl.dataindex.RowSetCodec\",\"dataType\":\"io.deephaven.engine.rowset.RowSet\"}}],"
                "\"sortingColumns\":[{\"columnName\":\"sym\",\"sortDirection\":\"Ascending\"}]}");
  // Keys sorted, nulls first; row sets as Deephaven encodes them: null {3,7}: deltas 3 and
  // 4 as a byte array; A {1,4,8..9}: 1, 3, 4 and the range's end -1; B {0,2,5}; C {6}
  // alone: an int8 offset.
  EXPECT_EQ(index_rows(one, 1), (std::vector<std::string>{"null|1c 02 03 04 20", "A|1c 04 01 03 04 ff 20",
                                                          "B|1c 03 00 02 03 20", "C|0c 06 20"}));
  EXPECT_EQ(index_rows(two, 2),
            (std::vector<std::string>{"null|x|1c 02 03 04 20", "A|x|0c 09 20", "A|y|1c 03 01 03 04 20",
                                      "B|x|1c 02 00 02 20", "B|z|0c 05 20", "C|x|0c 06 20"}));
  const FileMetadata index_md = FileReader::open(two).metadata();
  EXPECT_EQ(index_md.num_row_groups(), 1);
  const Schema index_schema = FileReader::open(two).arrow_schema();
  EXPECT_EQ(test::names_of(index_schema), (std::vector<std::string>{"sym:string", "exch:string", "dh_row_set:binary"}));
  for (const Field& f : index_schema.fields) EXPECT_TRUE(f.nullable) << f.name;  // as Deephaven declares them
}

TEST_F(DataIndex, KeysOfEveryPrimitiveTypeSortAsValues) {
  // Negative before positive, by value and not by bytes; NaN last; nulls first.
  const Table t = test::table_of(
      {test::field("i", DataType(Id::Int32)), test::field("d", DataType(Id::Float64)),
       test::field("dec", DataType::decimal(10, 2)), test::field("b", DataType(Id::Boolean))},
      {test::array_of(DataType(Id::Int32), std::vector<int32_t>{5, -1, 300, 0}, {true, true, true, false}),
       test::array_of(DataType(Id::Float64), std::vector<double>{2.5, -0.5, std::nan(""), -7}),
       test::array_of(DataType::decimal(10, 2), std::vector<__int128>{-100, 100, 5, -3}),
       test::array_of(DataType(Id::Boolean), std::vector<uint8_t>{1, 0, 1, 0})});
  write_table(t, path(), indexed({{"i"}, {"d"}, {"dec"}}));
  const auto keys = [&](const std::string& c) {
    std::vector<std::string> out;
    for (const std::string& row : index_rows(path(".dh_metadata/indexes/" + c + "/index_" + c + "_t.parquet"), 1)) {
      out.push_back(row.substr(0, row.find('|')));
    }
    return out;
  };
  EXPECT_EQ(keys("i"), (std::vector<std::string>{"null", "-1", "5", "300"}));
  EXPECT_EQ(keys("d"), (std::vector<std::string>{"-7.000000", "-0.500000", "2.500000", "nan"}));
  EXPECT_EQ(keys("dec"), (std::vector<std::string>{"-100", "-3", "5", "100"}));
}

TEST_F(DataIndex, ScansSkipRowGroupsAndPagesOfOtherKeys) {
  const Table t = clustered(20000);
  WriteOptions o = indexed({{"sym"}});
  o.row_group_rows = 1000;
  o.max_rows_per_page = 100;
  write_table(t, path(), o);
  for (const Expression& filter : {col("sym") == "K7", col("sym").is_in({"K7", "K12"}) && col("k") >= 0}) {
    ScanOptions with, without;
    with.filter = without.filter = filter;
    without.use_data_index = false;
    ScanCounts c_with, c_without;
    const FileReader f = FileReader::open(path());
    const Table got = f.read_table(with, c_with);
    const Table expected = f.read_table(without, c_without);
    EXPECT_EQ(test::rows_of(got), test::rows_of(expected)) << filter.to_string();
    const size_t keys = filter.op() == Expression::Op::Equal ? 1 : 2;
    EXPECT_EQ(got.num_rows(), static_cast<int64_t>(10 * keys));
    EXPECT_EQ(test::rows_of(got).front(), "K7|7500");
    // Every group holds "A" to "Z": statistics skip none, the index all but the keys' groups.
    EXPECT_EQ(c_without.row_groups_skipped, 0);
    EXPECT_EQ(c_with.row_groups_skipped_by_data_index, static_cast<int64_t>(20 - keys));
    EXPECT_EQ(c_with.row_groups_read, static_cast<int64_t>(keys));
    // In those groups, only the page of the key's rows (100-row pages) is read, per column.
    EXPECT_LT(c_with.pages_read, c_without.pages_read);
    // The batch reader (what datasets use) gets the same.
    RecordBatchReader batches = f.batches(with);
    EXPECT_EQ(test::rows_of(test::drain(batches)), test::rows_of(expected));
    EXPECT_EQ(batches.counts().row_groups_skipped_by_data_index, static_cast<int64_t>(20 - keys));
  }
  // Terms the index does not answer: no index used.
  ScanOptions other;
  other.filter = col("k") == 7505 || col("sym") == "K7";
  ScanCounts c;
  EXPECT_EQ(FileReader::open(path()).read_table(other, c).num_rows(), 10);
  EXPECT_EQ(c.row_groups_skipped_by_data_index, 0);
  // A key no row has: nothing read.
  ScanOptions none;
  none.filter = col("sym") == "K99";
  EXPECT_EQ(FileReader::open(path()).read_table(none, c).num_rows(), 0);
  EXPECT_EQ(c.row_groups_skipped_by_data_index, 20);
  EXPECT_EQ(c.pages_read, 0);
}

TEST_F(DataIndex, NullKeysAnswerIsNull) {
  write_table(trades(), path(), indexed({{"sym"}}));
  ScanOptions o;
  o.filter = col("sym").is_null();
  EXPECT_EQ(test::rows_of(FileReader::open(path()).read_table(o)), (std::vector<std::string>{"null|x|3", "null|x|7"}));
}

TEST_F(DataIndex, AMissingIndexFileIsNotUsed) {
  WriteOptions o = indexed({{"sym"}});
  o.row_group_rows = 3;
  write_table(trades(), path(), o);
  fs::remove(path(".dh_metadata/indexes/sym/index_sym_t.parquet"));
  ScanOptions s;
  s.filter = col("sym") == "C";
  ScanCounts c;
  EXPECT_EQ(test::rows_of(FileReader::open(path()).read_table(s, c)), (std::vector<std::string>{"C|x|6"}));
  EXPECT_EQ(c.row_groups_skipped_by_data_index, 0);
}

TEST_F(DataIndex, ACorruptIndexIsAnError) {
  write_table(trades(), path(), indexed({{"sym"}}));
  const std::string index = path(".dh_metadata/indexes/sym/index_sym_t.parquet");
  // Index files made by hand, with the data file's token (else they are not its index).
  WriteOptions same_write;
  same_write.key_value_metadata = {{"parkett.data_index_token", footer_value(path(), "parkett.data_index_token")}};
  ASSERT_EQ(same_write.key_value_metadata[0].second.size(), 32u);
  ScanOptions s;
  s.filter = col("sym") == "A";
  // A row set naming row 1000000 (an int32 offset) of a file of 10 rows.
  const Table past_end = test::table_of(
      {test::field("sym", DataType(Id::String)), test::field("dh_row_set", DataType(Id::Binary))},
      {test::string_array({"A"}), test::string_array({std::string("\x0a\x00\x0f\x42\x40\x20", 6)}, DataType(Id::Binary))});
  write_table(past_end, index, same_write);
  EXPECT_ERROR(FileReader::open(path()).read_table(s), ErrorKind::Corrupt, "row 1000000 is past the file's 10 rows");
  // Bytes that are no row set.
  const Table garbage = test::table_of(
      {test::field("sym", DataType(Id::String)), test::field("dh_row_set", DataType(Id::Binary))},
      {test::string_array({"A"}), test::string_array({std::string("\x3f", 1)}, DataType(Id::Binary))});
  write_table(garbage, index, same_write);
  EXPECT_ERROR(FileReader::open(path()).read_table(s), ErrorKind::Corrupt, "unknown command byte 63");
  // An index file without the key column.
  write_table(test::table_of({test::field("other", DataType(Id::String))}, {test::string_array({"A"})}), index, same_write);
  EXPECT_ERROR(FileReader::open(path()).read_table(s), ErrorKind::Corrupt, "index_sym_t.parquet' cannot be used");
  // Scanning without the index still works.
  s.use_data_index = false;
  EXPECT_EQ(FileReader::open(path()).read_table(s).num_rows(), 4);
}

TEST_F(DataIndex, TheIndexOfAnEarlierWriteIsNotUsed) {
  // The file written again (other rows, same name): an index file left from the first write
  // (as a failed or concurrent write may leave it) does not describe it.
  WriteOptions o = indexed({{"sym"}});
  o.row_group_rows = 3;
  write_table(trades(), path(), o);
  const std::string index = path(".dh_metadata/indexes/sym/index_sym_t.parquet");
  fs::copy_file(index, path("old-index.parquet"));
  const Table reversed = test::table_of(
      {test::field("sym", DataType(Id::String)), test::field("exch", DataType(Id::String)), test::field("n", DataType(Id::Int64))},
      {test::string_array({"A", "A", std::nullopt, "C", "B", "A", std::nullopt, "B", "A", "B"}),
       test::string_array({"x", "y", "x", "x", "z", "y", "x", "x", "y", "x"}),
       test::array_of(DataType(Id::Int64), std::vector<int64_t>{9, 8, 7, 6, 5, 4, 3, 2, 1, 0})});
  write_table(reversed, path(), o);
  fs::copy_file(path("old-index.parquet"), index, fs::copy_options::overwrite_existing);
  ScanOptions s;
  s.filter = col("sym") == "C";
  ScanCounts c;
  EXPECT_EQ(test::rows_of(FileReader::open(path()).read_table(s, c)), (std::vector<std::string>{"C|x|6"}));
  EXPECT_EQ(c.row_groups_skipped_by_data_index, 0);
}

TEST_F(DataIndex, DatasetsPlannedFromMetadataUseEachFilesIndex) {
  // Files in one directory (no partitioning) with _metadata: each file's own `deephaven`
  // value is kept in it under Deephaven's per-file key, and each file's scan uses its index.
  DatasetWriteOptions o;
  o.max_rows_per_file = 4;
  o.write_metadata_files = true;
  o.file_options.index_columns = {{"sym"}};
  o.file_options.row_group_rows = 2;
  const std::vector<WrittenFile> written = write_dataset(trades(), dir_.string(), o);
  ASSERT_EQ(written.size(), 3u);
  const FileReader summary = FileReader::open(path("_metadata"));
  int per_file = 0;
  for (const auto& [k, v] : summary.metadata().key_value_metadata()) {
    if (k.rfind("deephaven_per_file_", 0) == 0) ++per_file;
    if (k == "deephaven") {
      EXPECT_EQ(*v, "{\"version\":\"" + kVersion + "\"}");
    }
  }
  EXPECT_EQ(per_file, 3);
  const Dataset d = Dataset::open(dir_.string());
  for (const char* sym : {"A", "B", "C"}) {
    ScanOptions with, without;
    with.filter = without.filter = col("sym") == sym;
    without.use_data_index = false;
    RecordBatchReader scan = d.scan(with);
    EXPECT_EQ(test::rows_of(test::drain(scan)), test::rows_of(d.read_table(without))) << sym;
    EXPECT_GT(scan.counts().row_groups_skipped_by_data_index, 0) << sym;
  }
}

TEST_F(DataIndex, ReadsDeephavensOlderGroupingFiles) {
  // Before data indexes, Deephaven wrote one-column groupings: dh_key and the half-open
  // range [dh_begin_pos, dh_end_pos) of its rows (the data sorted by the column).
  WriteOptions o;
  o.row_group_rows = 3;
  o.key_value_metadata = {{"deephaven", "{\"version\":\"0.30.0\",\"groupingColumns\":[{\"columnName\":\"sym\","
                                        "\"groupingTablePath\":\"t_sym_grouping.parquet\"}]}"}};
  const Table sorted = test::table_of(
      {test::field("sym", DataType(Id::String)), test::field("n", DataType(Id::Int64))},
      {test::string_array({"A", "A", "A", "B", "B", "C"}), test::array_of(DataType(Id::Int64), std::vector<int64_t>{0, 1, 2, 3, 4, 5})});
  write_table(sorted, path(), o);
  write_table(test::table_of({test::field("dh_key", DataType(Id::String)), test::field("dh_begin_pos", DataType(Id::Int64)),
                              test::field("dh_end_pos", DataType(Id::Int64))},
                             {test::string_array({"A", "B", "C"}), test::array_of(DataType(Id::Int64), std::vector<int64_t>{0, 3, 5}),
                              test::array_of(DataType(Id::Int64), std::vector<int64_t>{3, 5, 6})}),
              path("t_sym_grouping.parquet"));
  ScanOptions s;
  s.filter = col("sym") == "B";
  ScanCounts c;
  EXPECT_EQ(test::rows_of(FileReader::open(path()).read_table(s, c)), (std::vector<std::string>{"B|3", "B|4"}));
  // Rows [0,3) hold no B by the grouping (by their statistics too: the index is asked first).
  EXPECT_EQ(c.row_groups_skipped_by_data_index, 1);
  EXPECT_EQ(c.row_groups_skipped, 0);
}

TEST_F(DataIndex, EveryFileOfADatasetWriteHasItsIndexes) {
  DatasetWriteOptions o;
  o.partition_by = {"exch"};
  o.file_options.index_columns = {{"sym"}};
  const std::vector<WrittenFile> written = write_dataset(trades(), dir_.string(), o);
  ASSERT_EQ(written.size(), 3u);
  for (const WrittenFile& w : written) {
    const fs::path p(w.path);
    EXPECT_TRUE(fs::exists(p.parent_path() / ".dh_metadata/indexes/sym" / ("index_sym_" + p.filename().string())))
        << w.path;
  }
  // The sidecars are not data: the dataset has the 10 rows.
  const Dataset d = Dataset::open(dir_.string());
  EXPECT_EQ(d.fragments().size(), 3u);
  ScanOptions s;
  s.filter = col("sym") == "C";
  RecordBatchReader scan = d.scan(s);
  EXPECT_EQ(test::rows_of(test::drain(scan)), (std::vector<std::string>{"C|6|x"}));
  EXPECT_GT(scan.counts().row_groups_skipped_by_data_index, 0);
  // An index on a partition column: the files do not have it.
  o.file_options.index_columns = {{"exch"}};
  EXPECT_ERROR(write_dataset(trades(), path("other"), o), ErrorKind::InvalidArgument,
               "index column 'exch' is not a top-level column of the file");
}

TEST_F(DataIndex, WriteTablesWritesIndexesAllOrNothing) {
  WriteOptions o = indexed({{"sym"}});
  write_tables({trades(), trades()}, {path("a.parquet"), path("b.parquet")}, o);
  EXPECT_TRUE(fs::exists(path(".dh_metadata/indexes/sym/index_sym_a.parquet")));
  EXPECT_TRUE(fs::exists(path(".dh_metadata/indexes/sym/index_sym_b.parquet")));
  fs::remove_all(dir_);
  fs::create_directories(dir_);
  // The second table fails (a timestamp that would lose precision) after the first file
  // and its index are complete: neither is left.
  const DataType ns = DataType::timestamp(TimeUnit::Nano);
  const auto stamps = [&](int64_t v) {
    return test::table_of({test::field("t", ns)}, {test::array_of(ns, std::vector<int64_t>{v})});
  };
  o.index_columns = {{"t"}};
  o.coerce_timestamps = TimeUnit::Milli;
  EXPECT_ERROR(write_tables({stamps(1000000), stamps(1000001)}, {path("a.parquet"), path("b.parquet")}, o),
               ErrorKind::InvalidArgument, "would lose precision");
  for (const auto& entry : fs::recursive_directory_iterator(dir_)) EXPECT_FALSE(entry.is_regular_file()) << entry.path();
}

TEST_F(DataIndex, ListsItsOwnIndexesNotThoseOfTheSchemasSource) {
  write_table(trades(), path(), indexed({{"sym"}}));
  // A file read back does not carry its `deephaven` key into a copy.
  write_table(read_table(path()), path("copy.parquet"));
  EXPECT_EQ(footer_value(path("copy.parquet"), "deephaven"), "<none>");
  // A schema that carries one (a Deephaven table's): what it says of the columns stays;
  // the writer's version and the indexes (beside another file) are this file's.
  Table t = trades();
  t.schema.metadata = {{"deephaven", "{\"version\":\"0.40.0\",\"dataIndexes\":[{\"columns\":[\"n\"],"
                                     "\"indexTablePath\":\"elsewhere.parquet\"}],\"sortingColumns\":[{\"columnName\":"
                                     "\"n\",\"sortDirection\":\"Ascending\"}]}"}};
  write_table(t, path("copy1.parquet"));
  EXPECT_EQ(footer_value(path("copy1.parquet"), "deephaven"),
            "{\"version\":\"" + kVersion + "\",\"sortingColumns\":[{\"columnName\":\"n\",\"sortDirection\":\"Ascending\"}]}");
  write_table(t, path("copy2.parquet"), indexed({{"exch"}}));
  EXPECT_EQ(footer_value(path("copy2.parquet"), "deephaven"),
            "{\"version\":\"" + kVersion + "\",\"dataIndexes\":[{\"columns\":[\"exch\"],\"indexTablePath\":\".dh_metadata/"
            "indexes/exch/index_exch_copy2.parquet\"}],\"sortingColumns\":[{\"columnName\":\"n\",\"sortDirection\":"
            "\"Ascending\"}]}");
}

TEST_F(DataIndex, RefusesWhatCannotBeIndexed) {
  EXPECT_ERROR(write_table(trades(), path(), indexed({{"nope"}})), ErrorKind::InvalidArgument,
               "index column 'nope' is not a top-level column");
  EXPECT_ERROR(write_table(trades(), path(), indexed({{"sym", "sym"}})), ErrorKind::InvalidArgument, "named twice");
  EXPECT_ERROR(write_table(trades(), path(), indexed({{"sym"}, {"sym"}})), ErrorKind::InvalidArgument,
               "names one index twice");
  EXPECT_ERROR(write_table(trades(), path(), indexed({{}})), ErrorKind::InvalidArgument, "names no column");
  const DataType list = DataType::list(test::field("element", DataType(Id::Int32)));
  std::mt19937_64 rng(1);
  const Table nested = test::table_of({test::field("l", list)}, {test::random_array(list, true, 3, 0.1, rng)});
  EXPECT_ERROR(write_table(nested, path(), indexed({{"l"}})), ErrorKind::Unsupported, "only columns of primitive types");
  WriteOptions encrypted = indexed({{"sym"}});
  auto keys = std::make_shared<EncryptionProperties>();
  keys->footer_key = std::string(16, 'k');
  encrypted.encryption = keys;
  EXPECT_ERROR(write_table(trades(), path(), encrypted), ErrorKind::Unsupported, "of an encrypted file are not written");
  EXPECT_ERROR(FileWriter::open(local_filesystem()->open_output(path()), trades().schema, indexed({{"sym"}})),
               ErrorKind::InvalidArgument, "beside a file opened by its path");
  EXPECT_TRUE(fs::is_empty(dir_));
}

}  // namespace
}  // namespace parkett
