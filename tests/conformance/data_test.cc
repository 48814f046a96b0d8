// Reading beyond the inventory (inventory_test.cc compares every dump): page checksums, and
// dictionary arrays that render as the expected dumps.
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

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) out.push_back(line);
  return out;
}

}  // namespace
}  // namespace parkett

namespace parkett {
namespace {

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
