// Malformed files: the corpus's bad_data and footers the test corrupts on purpose
// (truncated, bit-flipped, lengths broken). Each must open or fail with parkett::Error;
// nothing may crash, hang or allocate without bound (the suite runs under ASan/UBSan).
#include <gtest/gtest.h>

#include <cstring>
#include <random>

#include "corpus.h"
#include "damage.h"
#include "crafted.h"
#include "format/serde.h"
#include "expect_error.h"
#include "parkett/error.h"
#include "parkett/reader.h"

namespace parkett {
namespace {

// Opens a file from memory and touches every piece of metadata.
void open_and_walk(std::shared_ptr<const std::string> bytes, const std::string& name) {
  FileReader r = FileReader::open_buffer(std::move(bytes), {}, name);
  const FileMetadata& md = r.metadata();
  md.schema().to_string();
  md.schema().to_arrow();
  for (int32_t g = 0; g < md.num_row_groups(); ++g) {
    for (int32_t c = 0; c < md.num_columns(); ++c) {
      auto col = md.row_group(g).column(c);
      if (col.metadata_encrypted()) continue;
      col.encodings();
      if (auto s = col.statistics()) {
        s->min_json();
        s->max_json();
      }
    }
  }
}

TEST(BadFooter, BadDataFilesGiveErrorsNotCrashes) {
  for (const auto& rel : test::corpus_parquet_files()) {
    if (!rel.starts_with("bad_data/")) continue;
    SCOPED_TRACE(rel);
    auto bytes = std::make_shared<const std::string>(test::read_file(test::corpus_dir() + "/" + rel));
    try {
      open_and_walk(bytes, rel);
    } catch (const Error& e) {
      EXPECT_TRUE(test::damage_kind(e.kind())) << e.what();
      EXPECT_NE(std::string(e.what()).find(rel), std::string::npos) << e.what();
    }
  }
}

TEST(BadFooter, KnownBadFooterIsReportedWithLocation) {
  // ARROW-GH-41317: a column chunk's encodings list holds i16 instead of i32 values.
  const std::string rel = "bad_data/ARROW-GH-41317.parquet";
  auto bytes = std::make_shared<const std::string>(test::read_file(test::corpus_dir() + "/" + rel));
  try {
    open_and_walk(bytes, rel);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Corrupt);
    EXPECT_EQ(e.context().row_group, 1);
    EXPECT_EQ(e.context().column, "uint8");
  }
}

TEST(BadFooter, TrailerProblemsAreNamed) {
  auto expect = [](std::string bytes, ErrorKind kind, const std::string& needle) {
    try {
      FileReader::open_buffer(std::make_shared<const std::string>(std::move(bytes)), {}, "x.parquet");
      ADD_FAILURE() << "opened";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), kind);
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("x.parquet"), std::string::npos);
    }
  };
  expect("", ErrorKind::Corrupt, "fewer than the 12");
  expect("PAR1xxxxxxxxxxxxPAR2", ErrorKind::Corrupt, "expected magic 'PAR1'");
  std::string huge = "PAR1" + std::string(8, '\0') + std::string("\xff\xff\xff\x7f", 4) + "PAR1";
  expect(huge, ErrorKind::Corrupt, "footer length 2147483647 exceeds");
  std::string zero = "PAR1" + std::string(4, '\0') + "PAR1";
  expect(zero, ErrorKind::Corrupt, "FileMetaData");
}

TEST(BadFooter, TruncatedAndBitFlippedCorpusFooters) {
  std::mt19937_64 rng(20261121);
  int errors = 0, opened = 0;
  for (const char* name : {"alltypes_plain.parquet", "nested_lists.snappy.parquet",
                           "data_index_bloom_encoding_stats.parquet", "nested_maps.snappy.parquet",
                           "binary_truncated_min_max.parquet", "alltypes_tiny_pages.parquet"}) {
    const std::string file = test::read_file(test::data_file(name));
    uint32_t footer_len;
    std::memcpy(&footer_len, file.data() + file.size() - 8, 4);
    const size_t footer_start = file.size() - 8 - footer_len;
    auto attempt = [&](std::string mutated, const std::string& what) {
      SCOPED_TRACE(std::string(name) + ": " + what);
      try {
        open_and_walk(std::make_shared<const std::string>(std::move(mutated)), name);
        ++opened;
      } catch (const Error& e) {
        ++errors;
        EXPECT_TRUE(test::damage_kind(e.kind())) << e.what();
        EXPECT_NE(std::string(e.what()).find(name), std::string::npos);
      }
    };
    // Truncate the footer at many points (keeping a valid trailer that claims less).
    for (int i = 0; i < 40; ++i) {
      size_t keep = std::uniform_int_distribution<size_t>(0, footer_len - 1)(rng);
      std::string m = file.substr(0, footer_start + keep);
      uint32_t len = static_cast<uint32_t>(keep);
      m.append(reinterpret_cast<const char*>(&len), 4);
      m += "PAR1";
      attempt(m, "truncated to " + std::to_string(keep));
    }
    // Flip bits and overwrite bytes inside the footer.
    for (int i = 0; i < 300; ++i) {
      std::string m = file;
      int flips = 1 + static_cast<int>(rng() % 4);
      for (int k = 0; k < flips; ++k) {
        size_t at = footer_start + rng() % footer_len;
        if (rng() % 2) {
          m[at] = static_cast<char>(m[at] ^ (1 << (rng() % 8)));
        } else {
          m[at] = static_cast<char>(rng());
        }
      }
      attempt(m, "mutation " + std::to_string(i));
    }
  }
  EXPECT_GT(errors, 100);  // most mutations must be detected...
  EXPECT_GT(opened, 0);    // ...while some (e.g. in a statistics value) are still valid
}

// A footer that claims far more rows than the pages hold must be refused by the check
// against the decoded levels, before the claim sizes any allocation.
TEST(BadFooter, RowCountFarAboveThePagesIsRefusedForNestedColumns) {
  const std::string rel = "data/nested_lists.snappy.parquet";
  std::string file = test::read_file(test::corpus_dir() + "/" + rel);
  uint32_t footer_len;
  std::memcpy(&footer_len, file.data() + file.size() - 8, 4);
  const size_t footer_start = file.size() - 8 - footer_len;
  format::FileMetaData md;
  format::deserialize(reinterpret_cast<const uint8_t*>(file.data()) + footer_start, footer_len, md);
  md.row_groups.at(0).num_rows = int64_t{1} << 40;
  std::string footer;
  format::serialize(md, footer);
  std::string patched = file.substr(0, footer_start) + footer;
  const uint32_t len = static_cast<uint32_t>(footer.size());
  patched.append(reinterpret_cast<const char*>(&len), 4);
  patched += "PAR1";
  FileReader r = FileReader::open_buffer(std::make_shared<const std::string>(patched), {}, rel);
  try {
    r.read_table();
    FAIL() << "read a row group whose pages hold fewer rows than the footer says";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Corrupt) << e.what();
    EXPECT_NE(std::string(e.what()).find("rows"), std::string::npos) << e.what();
  }
}


// A file whose footer is `footer` (no data pages).
std::shared_ptr<const std::string> file_with_footer(const std::string& footer) {
  return std::make_shared<const std::string>(test::with_trailer("PAR1", footer));
}

format::SchemaElement leaf(const std::string& name) {
  format::SchemaElement e;
  e.name = name;
  e.type = format::Type::INT32;
  e.repetition_type = format::FieldRepetitionType::OPTIONAL;
  return e;
}

TEST(BadFooter, RowGroupCountsTheFooterCannotHoldAreRefusedBeforeAllocating) {
  // 100,000 columns and a row_groups list that claims 300,000 row groups: 3 * 10^10 chunk
  // slots from a 1.5 MB footer.
  format::FileMetaData md = test::metadata_with_root(100000);
  for (int i = 0; i < 100000; ++i) md.schema.push_back(leaf("c" + std::to_string(i)));
  md.num_rows = 1;
  std::string footer;
  format::serialize(md, footer);
  ASSERT_EQ(footer.substr(footer.size() - 3), std::string("\x19\x0c\x00", 3));  // row_groups: empty, then stop
  footer.resize(footer.size() - 2);
  footer += "\xfc" + test::varint(300000);  // a list of structs, long form: the count follows
  footer += std::string(300000, '\0');
  EXPECT_ERROR(FileReader::open_buffer(file_with_footer(footer), {}, "claims.parquet"), ErrorKind::Corrupt,
               "300000 row groups of 100000 columns cannot fit");
}

TEST(BadFooter, LongGroupNamesAboveManyLeavesAreRefused) {
  // One group named with a megabyte above 300,000 leaves: 300 GB of column paths.
  format::FileMetaData md = test::metadata_with_root(1);
  format::SchemaElement group;
  group.name = std::string(1 << 20, 'g');
  group.repetition_type = format::FieldRepetitionType::OPTIONAL;
  group.num_children = 300000;
  md.schema.push_back(group);
  for (int i = 0; i < 300000; ++i) md.schema.push_back(leaf("c"));
  md.num_rows = 0;
  std::string footer;
  format::serialize(md, footer);
  EXPECT_ERROR(FileReader::open_buffer(file_with_footer(footer), {}, "paths.parquet"), ErrorKind::ResourceLimit,
               "the column paths would take");
}

}  // namespace
}  // namespace parkett
