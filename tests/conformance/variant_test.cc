// VARIANT columns: every case of the shredded_variant corpus reads to exactly the Variant
// bytes its .variant.bin holds (metadata then value), or fails as cases.json says it must.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "corpus.h"
#include "parkett/error.h"
#include "parkett/reader.h"
#include "util/json_text.h"

namespace parkett {
namespace {

std::string dir() { return test::corpus_dir() + "/shredded_variant/"; }

// Row `row` of struct<metadata, value> column `var` as metadata bytes followed by value bytes,
// or nullopt where the variant is null.
std::optional<std::string> variant_bytes(const Table& t, int64_t row) {
  const int col = t.schema.field_index("var");
  for (const auto& batch : t.batches) {
    if (row >= batch.num_rows) {
      row -= batch.num_rows;
      continue;
    }
    const ArrayData& a = *batch.columns[static_cast<size_t>(col)];
    if (!a.is_valid(row)) return std::nullopt;
    std::string out;
    for (int c = 0; c < 2; ++c) {
      const ArrayData& b = *a.children[static_cast<size_t>(c)];
      const int64_t i = a.offset + b.offset + row;
      const int32_t* off = b.buffers[1]->as<int32_t>();
      out.append(reinterpret_cast<const char*>(b.buffers[2]->data()) + off[i], static_cast<size_t>(off[i + 1] - off[i]));
    }
    return out;
  }
  ADD_FAILURE() << "no row " << row;
  return std::nullopt;
}

TEST(ShreddedVariant, EveryCaseGivesTheExpectedVariantBytesOrFails) {
  const auto cases = nlohmann::json::parse(test::read_file(dir() + "cases.json"));
  int checked_rows = 0, failures_expected = 0;
  for (const auto& c : cases) {
    if (!c.contains("parquet_file")) continue;  // a numbered gap in the corpus
    const std::string file = c["parquet_file"];
    SCOPED_TRACE(file);
    if (c.contains("error_message")) {
      ++failures_expected;
      try {
        read_table(dir() + file);
        ADD_FAILURE() << "read without error; expected: " << c["error_message"];
      } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Corrupt) << e.what();
        EXPECT_NE(std::string(e.what()).find(file), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("column var"), std::string::npos) << e.what();
      }
      continue;
    }
    std::vector<nlohmann::json> expected;
    if (c.contains("variant_file")) {
      expected.push_back(c["variant_file"]);
    } else {
      for (const auto& f : c["variant_files"]) expected.push_back(f);
    }
    Table t;
    try {
      t = read_table(dir() + file);
    } catch (const Error& e) {
      ADD_FAILURE() << e.what();
      continue;
    }
    ASSERT_EQ(t.num_rows(), static_cast<int64_t>(expected.size()));
    for (size_t r = 0; r < expected.size(); ++r) {
      const auto got = variant_bytes(t, static_cast<int64_t>(r));
      if (expected[r].is_null()) {
        EXPECT_FALSE(got.has_value()) << "row " << r << " should be null";
        continue;
      }
      const std::string want = test::read_file(dir() + expected[r].get<std::string>());
      ASSERT_TRUE(got.has_value()) << "row " << r << " is null";
      EXPECT_EQ(util::hex_bytes(*got), util::hex_bytes(want)) << "row " << r << ": " << c["variant"];
      ++checked_rows;
    }
  }
  EXPECT_EQ(failures_expected, 6);
  EXPECT_GE(checked_rows, 137);
}

TEST(ShreddedVariant, ArrowFieldIsTheVariantExtensionStruct) {
  FileReader r = FileReader::open(dir() + "case-045.parquet");
  const Schema s = r.arrow_schema();
  const Field& var = s.fields[static_cast<size_t>(s.field_index("var"))];
  EXPECT_EQ(var.type.to_string(), "struct<metadata: binary not null, value: binary not null>");
  bool extension = false;
  for (const auto& [k, v] : var.metadata) extension |= k == "ARROW:extension:name" && v == "arrow.parquet.variant";
  EXPECT_TRUE(extension);
  // The table's schema says the same as the arrays.
  const Table t = r.read_table();
  EXPECT_EQ(t.schema.fields[1].type, var.type);
  EXPECT_EQ(t.batches[0].columns[1]->type, var.type);
}

TEST(ShreddedVariant, ProjectingIntoAVariantReadsItWhole) {
  ReadOptions options;
  options.columns = {"var.typed_value"};
  const Table part = read_table(dir() + "case-134.parquet", options);
  const Table full = read_table(dir() + "case-134.parquet");
  ASSERT_EQ(part.schema.fields.size(), 1u);
  EXPECT_EQ(variant_bytes(part, 0), variant_bytes(full, 0));
}

}  // namespace
}  // namespace parkett
