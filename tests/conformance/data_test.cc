// Every corpus file that has an expected canonical dump (shared/parquet-testing-expected,
// written by DuckDB and cross-checked by the other peers) is read and compared row by row.
// Files parkett cannot read yet are listed with the reason; one that starts to read fails
// the test until it is taken off the list.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "convert/jsonl_writer.h"
#include "parkett/c_data.h"
#include "corpus.h"
#include "parkett/error.h"
#include "parkett/reader.h"

namespace fs = std::filesystem;

namespace parkett {
namespace {

const std::map<std::string, std::string>& not_yet_readable() {
  static const std::map<std::string, std::string> kList = {
  };
  return kList;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) out.push_back(line);
  return out;
}

std::vector<std::string> column_names(const std::string& schema_line) {
  std::vector<std::string> out;
  const nlohmann::json parsed = nlohmann::json::parse(schema_line);
  for (const auto& c : parsed["columns"]) out.push_back(c["name"]);
  return out;
}

TEST(DataConformance, EveryExpectedDumpMatches) {
  std::map<std::string, std::string> sources;  // basename -> path
  for (const auto& rel : test::corpus_parquet_files()) {
    sources[fs::path(rel).filename().string()] = test::corpus_dir() + "/" + rel;
  }
  int matched = 0, listed = 0, files = 0;
  for (const auto& e : fs::directory_iterator(PARKETT_TESTING_EXPECTED_DIR)) {
    const std::string name = e.path().filename().string();
    if (!name.ends_with(".jsonl")) continue;
    const std::string file = name.substr(0, name.size() - 6);
    ++files;
    SCOPED_TRACE(file);
    ASSERT_TRUE(sources.count(file)) << "expected dump without a corpus file";
    const auto known = not_yet_readable().find(file);
    std::string ours;
    try {
      ReadOptions options;
      options.int96_unit = TimeUnit::Micro;  // CANONICAL.md prints INT96 in microseconds
      FileReader reader = FileReader::open(sources[file], options);
      ours = convert::to_canonical_jsonl(reader.metadata().schema(), reader.read_table());
    } catch (const Error& err) {
      if (known != not_yet_readable().end()) {
        EXPECT_EQ(err.kind(), ErrorKind::Unsupported) << err.what();
        ++listed;
        continue;
      }
      ADD_FAILURE() << err.what();
      continue;
    }
    const auto expected = lines_of(test::read_file(e.path().string()));
    const auto got = lines_of(ours);
    ASSERT_FALSE(expected.empty());
    EXPECT_EQ(column_names(got[0]), column_names(expected[0]));
    EXPECT_EQ(got.size(), expected.size());
    size_t diffs = 0;
    for (size_t i = 1; i < std::min(got.size(), expected.size()) && diffs < 3; ++i) {
      if (got[i] != expected[i]) {
        ++diffs;
        ADD_FAILURE() << "row " << i - 1 << "\n  ours:     " << got[i] << "\n  expected: " << expected[i];
      }
    }
    if (known != not_yet_readable().end()) {
      ADD_FAILURE() << "now readable: take it off the not-yet-readable list (" << known->second << ")";
    }
    matched += diffs == 0 && got.size() == expected.size();
  }
  EXPECT_GT(files, 60);
  EXPECT_EQ(listed, static_cast<int>(not_yet_readable().size()));
  EXPECT_EQ(matched + listed, files) << matched << " of " << files << " dumps match";
}

}  // namespace
}  // namespace parkett

namespace parkett {
namespace {

TEST(DataConformance, BadDataFilesFailWithClearErrors) {
  int failed = 0;
  for (const auto& rel : test::corpus_parquet_files()) {
    if (!rel.starts_with("bad_data/")) continue;
    SCOPED_TRACE(rel);
    const std::string path = test::corpus_dir() + "/" + rel;
    if (rel == "bad_data/ARROW-GH-43605.parquet") {
      // An Arrow C++ bug's reproducer, not a broken file: DuckDB reads the same values.
      EXPECT_EQ(read_table(path).num_rows(), 21186);
      continue;
    }
    try {
      read_table(path);
      ADD_FAILURE() << "read without an error";
    } catch (const Error& e) {
      ++failed;
      EXPECT_TRUE(e.kind() == ErrorKind::Corrupt || e.kind() == ErrorKind::Unsupported) << e.what();
      EXPECT_NE(std::string(e.what()).find(rel), std::string::npos) << e.what();
    }
  }
  EXPECT_GE(failed, 7);
}

TEST(DataConformance, PageChecksums) {
  ReadOptions verify;
  verify.verify_crc = true;
  for (const char* good : {"datapage_v1-snappy-compressed-checksum.parquet",
                           "datapage_v1-uncompressed-checksum.parquet",
                           "plain-dict-uncompressed-checksum.parquet",
                           "rle-dict-snappy-checksum.parquet"}) {
    SCOPED_TRACE(good);
    EXPECT_GT(read_table(test::data_file(good), verify).num_rows(), 0);
  }
  for (const char* bad : {"datapage_v1-corrupt-checksum.parquet",
                          "rle-dict-uncompressed-corrupt-checksum.parquet"}) {
    SCOPED_TRACE(bad);
    EXPECT_NO_THROW(read_table(test::data_file(bad)));  // not checked unless asked
    try {
      read_table(test::data_file(bad), verify);
      ADD_FAILURE() << "corrupt page not reported";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::Corrupt);
      EXPECT_TRUE(e.context().page_offset.has_value());
      EXPECT_TRUE(e.context().row_group.has_value());
      EXPECT_FALSE(e.context().column.empty());
      EXPECT_NE(std::string(e.what()).find("CRC mismatch"), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace parkett

namespace parkett {
namespace {

// read_dictionary for every column: string and binary leaves come back as dictionary arrays
// whose values render exactly as the expected dumps, and they cross the C Data Interface.
TEST(DataConformance, DictionaryArraysMatchTheDumps) {
  std::map<std::string, std::string> sources;
  for (const auto& rel : test::corpus_parquet_files()) {
    sources[fs::path(rel).filename().string()] = test::corpus_dir() + "/" + rel;
  }
  int dictionary_columns = 0;
  for (const auto& e : fs::directory_iterator(PARKETT_TESTING_EXPECTED_DIR)) {
    const std::string name = e.path().filename().string();
    if (!name.ends_with(".jsonl") || name.starts_with("large_string_map")) continue;
    const std::string file = name.substr(0, name.size() - 6);
    SCOPED_TRACE(file);
    FileReader probe = FileReader::open(sources[file]);
    ReadOptions options;
    options.int96_unit = TimeUnit::Micro;
    for (int32_t c : probe.metadata().schema().root().children) {
      options.read_dictionary.push_back(probe.metadata().schema().node(c).name);
    }
    FileReader reader = FileReader::open(sources[file], options);
    Table t = reader.read_table();
    for (const auto& f : t.schema.fields) dictionary_columns += f.type.id() == DataType::Id::Dictionary;
    const auto got = lines_of(convert::to_canonical_jsonl(reader.metadata().schema(), t));
    const auto expected = lines_of(test::read_file(e.path().string()));
    ASSERT_EQ(got.size(), expected.size());
    for (size_t i = 1; i < got.size(); ++i) ASSERT_EQ(got[i], expected[i]) << "row " << i - 1;
    // Through the C Data Interface and back.
    for (const auto& batch : t.batches) {
      ArrowSchema s;
      export_schema(t.schema, &s);
      Field f = import_field(&s);
      ArrowArray a;
      export_record_batch(batch, &a);
      ArrayPtr back = import_array(&a, f.type);
      ASSERT_EQ(back->children.size(), batch.columns.size());
      for (size_t c = 0; c < batch.columns.size(); ++c) {
        if (batch.columns[c]->type.id() == DataType::Id::Dictionary) {
          ASSERT_TRUE(back->children[c]->dictionary);
          EXPECT_EQ(back->children[c]->dictionary->length, batch.columns[c]->dictionary->length);
        }
      }
    }
  }
  EXPECT_GT(dictionary_columns, 20);
}

}  // namespace
}  // namespace parkett
