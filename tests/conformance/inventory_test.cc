// The corpus inventory. Every file test::corpus_parquet_files() returns is listed below,
// once, sorted by path, with what reading it must give; each entry is its own test, named
// after the file:
//   Exact  the file reads (all columns, all row groups) to exactly the canonical dump in
//          shared/parquet-testing-expected/<path below data/>.jsonl;
//   Reads  there is no dump (the reason says why); the file opens and reads without error,
//          to `rows` rows where given. `opens` entries are only opened (metadata), never read.
//          An encrypted file must instead be refused with Crypto (parkett has no keys): at
//          open where the footer is encrypted, else when the encrypted columns are read;
//   Fails  opening or reading throws parkett::Error of exactly this kind, whose message names
//          the file and contains the needle.
// Inventory.* fails, by name, on a corpus file missing from the table, a table entry without
// a file, an expected dump without a corpus file, and a dump whose file is not `Exact`.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "convert/jsonl_writer.h"
#include "corpus.h"
#include "parkett/error.h"
#include "parkett/reader.h"

namespace fs = std::filesystem;

namespace parkett {
namespace {

enum class Outcome { Exact, Reads, Fails };

struct Entry {
  const char* path;
  Outcome outcome;
  const char* reason = "";               // Reads: why there is no dump
  ErrorKind kind = ErrorKind::Internal;  // Fails
  const char* needle = "";               // Fails: part of the message
  int64_t rows = -1;                     // Reads: the row count, where known
  bool open_only = false;                // Reads: too big to read in a unit test
  bool footer_encrypted = false;         // Reads, *.encrypted: open fails, not read
};

void PrintTo(const Entry& e, std::ostream* os) { *os << e.path; }

constexpr Entry exact(const char* path) { return {path, Outcome::Exact}; }
constexpr Entry reads(const char* path, const char* reason, int64_t rows = -1) {
  return {path, Outcome::Reads, reason, ErrorKind::Internal, "", rows};
}
constexpr Entry opens(const char* path, const char* reason, int64_t rows) {
  return {path, Outcome::Reads, reason, ErrorKind::Internal, "", rows, true};
}
// Encrypted files (parkett has no keys): the footer, or else the columns, need keys.
constexpr Entry encrypted_footer(const char* path) {
  return {path, Outcome::Reads, "encrypted footer: open needs keys (message: footer_test.cc)",
          ErrorKind::Internal, "", -1, false, true};
}
constexpr Entry plaintext_footer(const char* path) {
  return {path, Outcome::Reads, "plaintext footer: metadata opens, encrypted columns need keys"};
}
constexpr Entry fails(const char* path, ErrorKind kind, const char* needle) {
  return {path, Outcome::Fails, "", kind, needle};
}

constexpr const char* kVariant = "Variant: bytes checked against *.variant.bin by variant_test.cc";
constexpr const char* kVariantInvalid =
    "spec-invalid shredding that cases.json lets readers read; bytes checked by variant_test.cc";

// bad_data/ (bad_data/README.md): 41317 columns of unequal length, 41321 fewer levels than
// num_values, 45185 repetition levels starting with 1, 47662 nulls in a required column,
// 6229-DICTHEADER a negative dictionary count, 6229-LEVELS too few repetition levels,
// PARQUET-1481 a corrupt schema Thrift value. 43605 is valid: RLE indices of bit width 0.
// shredded_variant/: the cases.json entries with an error_message fail.
constexpr Entry kInventory[] = {
    fails("bad_data/ARROW-GH-41317.parquet", ErrorKind::Corrupt, "pages hold 0 values"),
    fails("bad_data/ARROW-GH-41321.parquet", ErrorKind::Corrupt, "RLE/bit-packed"),
    reads("bad_data/ARROW-GH-43605.parquet", "an Arrow C++ bug's reproducer; DuckDB reads it", 21186),
    fails("bad_data/ARROW-GH-45185.parquet", ErrorKind::Corrupt, "starts inside a row"),
    fails("bad_data/ARROW-GH-47662.parquet", ErrorKind::Corrupt, "expected 100, the page holds 91"),
    fails("bad_data/ARROW-RS-GH-6229-DICTHEADER.parquet", ErrorKind::Corrupt, "num_values"),
    fails("bad_data/ARROW-RS-GH-6229-LEVELS.parquet", ErrorKind::Corrupt, "pages hold more values"),
    fails("bad_data/PARQUET-1481.parquet", ErrorKind::Corrupt, "physical type UNKNOWN(-7)"),
    encrypted_footer("data/aes256/encrypt_columns_and_footer.parquet.encrypted"),
    encrypted_footer("data/aes256/encrypt_columns_and_footer_ctr.parquet.encrypted"),
    encrypted_footer("data/aes256/encrypt_columns_and_footer_disable_aad_storage.parquet.encrypted"),
    plaintext_footer("data/aes256/encrypt_columns_plaintext_footer.parquet.encrypted"),
    encrypted_footer("data/aes256/uniform_encryption.parquet.encrypted"),
    exact("data/alltypes_dictionary.parquet"),
    exact("data/alltypes_plain.parquet"),
    exact("data/alltypes_plain.snappy.parquet"),
    exact("data/alltypes_tiny_pages.parquet"),
    exact("data/alltypes_tiny_pages_plain.parquet"),
    exact("data/binary.parquet"),
    exact("data/binary_truncated_min_max.parquet"),
    exact("data/byte_array_decimal.parquet"),
    exact("data/byte_stream_split.zstd.parquet"),
    exact("data/byte_stream_split_extended.gzip.parquet"),
    exact("data/column_chunk_key_value_metadata.parquet"),
    exact("data/concatenated_gzip_members.parquet"),
    exact("data/data_index_bloom_encoding_stats.parquet"),
    exact("data/data_index_bloom_encoding_with_length.parquet"),
    exact("data/datapage_v1-corrupt-checksum.parquet"),
    exact("data/datapage_v1-snappy-compressed-checksum.parquet"),
    exact("data/datapage_v1-uncompressed-checksum.parquet"),
    exact("data/datapage_v2.snappy.parquet"),
    exact("data/datapage_v2_empty_datapage.snappy.parquet"),
    exact("data/delta_binary_packed.parquet"),
    exact("data/delta_byte_array.parquet"),
    exact("data/delta_encoding_optional_column.parquet"),
    exact("data/delta_encoding_required_column.parquet"),
    exact("data/delta_length_byte_array.parquet"),
    exact("data/dict-page-offset-zero.parquet"),
    encrypted_footer("data/encrypt_columns_and_footer.parquet.encrypted"),
    encrypted_footer("data/encrypt_columns_and_footer_aad.parquet.encrypted"),
    encrypted_footer("data/encrypt_columns_and_footer_bloom_filter.parquet.encrypted"),
    encrypted_footer("data/encrypt_columns_and_footer_ctr.parquet.encrypted"),
    encrypted_footer("data/encrypt_columns_and_footer_disable_aad_storage.parquet.encrypted"),
    plaintext_footer("data/encrypt_columns_plaintext_footer.parquet.encrypted"),
    encrypted_footer("data/external_key_material_java.parquet.encrypted"),
    exact("data/fixed_length_byte_array.parquet"),
    exact("data/fixed_length_decimal.parquet"),
    exact("data/fixed_length_decimal_legacy.parquet"),
    exact("data/float16_nonzeros_and_nans.parquet"),
    exact("data/float16_zeros_and_nans.parquet"),
    exact("data/floating_orders_nan_count.parquet"),
    exact("data/geospatial/crs-arbitrary-value.parquet"),
    exact("data/geospatial/crs-default.parquet"),
    exact("data/geospatial/crs-geography.parquet"),
    exact("data/geospatial/crs-projjson.parquet"),
    exact("data/geospatial/crs-srid.parquet"),
    exact("data/geospatial/geography-lines.parquet"),
    exact("data/geospatial/geography-points.parquet"),
    exact("data/geospatial/geography-polygons.parquet"),
    exact("data/geospatial/geospatial-with-nan.parquet"),
    exact("data/geospatial/geospatial.parquet"),
    exact("data/hadoop_lz4_compressed.parquet"),
    exact("data/hadoop_lz4_compressed_larger.parquet"),
    exact("data/incorrect_map_schema.parquet"),
    exact("data/int32_decimal.parquet"),
    exact("data/int32_with_null_pages.parquet"),
    exact("data/int64_decimal.parquet"),
    exact("data/int96_from_spark.parquet"),
    opens("data/large_string_map.brotli.parquet", "2 GiB string chunk decompressed: only opened", 2),
    exact("data/list_columns.parquet"),
    exact("data/lz4_raw_compressed.parquet"),
    exact("data/lz4_raw_compressed_larger.parquet"),
    reads("data/map_no_value.parquet", "MAP without values: peers disagree; null values", 3),
    exact("data/nan_in_stats.parquet"),
    exact("data/nation.dict-malformed.parquet"),
    exact("data/nested_lists.snappy.parquet"),
    exact("data/nested_maps.snappy.parquet"),
    exact("data/nested_structs.rust.parquet"),
    exact("data/non_hadoop_lz4_compressed.parquet"),
    exact("data/nonnullable.impala.parquet"),
    exact("data/null_list.parquet"),
    exact("data/nullable.impala.parquet"),
    exact("data/nulls.snappy.parquet"),
    exact("data/old_list_structure.parquet"),
    exact("data/overflow_i16_page_cnt.parquet"),
    exact("data/page_v2_empty_compressed.parquet"),
    exact("data/plain-dict-uncompressed-checksum.parquet"),
    exact("data/repeated_no_annotation.parquet"),
    exact("data/repeated_primitive_no_list.parquet"),
    exact("data/rle-dict-snappy-checksum.parquet"),
    exact("data/rle-dict-uncompressed-corrupt-checksum.parquet"),
    exact("data/rle_boolean_encoding.parquet"),
    exact("data/single_nan.parquet"),
    exact("data/sort_columns.parquet"),
    encrypted_footer("data/uniform_encryption.parquet.encrypted"),
    exact("data/unknown-logical-type.parquet"),
    reads("shredded_variant/case-001.parquet", kVariant),
    reads("shredded_variant/case-002.parquet", kVariant),
    reads("shredded_variant/case-004.parquet", kVariant),
    reads("shredded_variant/case-005.parquet", kVariant),
    reads("shredded_variant/case-006.parquet", kVariant),
    reads("shredded_variant/case-007.parquet", kVariant),
    reads("shredded_variant/case-008.parquet", kVariant),
    reads("shredded_variant/case-009.parquet", kVariant),
    reads("shredded_variant/case-010.parquet", kVariant),
    reads("shredded_variant/case-011.parquet", kVariant),
    reads("shredded_variant/case-012.parquet", kVariant),
    reads("shredded_variant/case-013.parquet", kVariant),
    reads("shredded_variant/case-014.parquet", kVariant),
    reads("shredded_variant/case-015.parquet", kVariant),
    reads("shredded_variant/case-016.parquet", kVariant),
    reads("shredded_variant/case-017.parquet", kVariant),
    reads("shredded_variant/case-018.parquet", kVariant),
    reads("shredded_variant/case-019.parquet", kVariant),
    reads("shredded_variant/case-020.parquet", kVariant),
    reads("shredded_variant/case-021.parquet", kVariant),
    reads("shredded_variant/case-022.parquet", kVariant),
    reads("shredded_variant/case-023.parquet", kVariant),
    reads("shredded_variant/case-024.parquet", kVariant),
    reads("shredded_variant/case-025.parquet", kVariant),
    reads("shredded_variant/case-026.parquet", kVariant),
    reads("shredded_variant/case-027.parquet", kVariant),
    reads("shredded_variant/case-028.parquet", kVariant),
    reads("shredded_variant/case-029.parquet", kVariant),
    reads("shredded_variant/case-030.parquet", kVariant),
    reads("shredded_variant/case-031.parquet", kVariant),
    reads("shredded_variant/case-032.parquet", kVariant),
    reads("shredded_variant/case-033.parquet", kVariant),
    reads("shredded_variant/case-034.parquet", kVariant),
    reads("shredded_variant/case-035.parquet", kVariant),
    reads("shredded_variant/case-036.parquet", kVariant),
    reads("shredded_variant/case-037.parquet", kVariant),
    reads("shredded_variant/case-038.parquet", kVariant),
    reads("shredded_variant/case-039.parquet", kVariant),
    fails("shredded_variant/case-040.parquet", ErrorKind::Corrupt, "invalid variant"),
    reads("shredded_variant/case-041.parquet", kVariant),
    fails("shredded_variant/case-042.parquet", ErrorKind::Corrupt, "invalid variant"),
    reads("shredded_variant/case-043-INVALID.parquet", kVariantInvalid),
    reads("shredded_variant/case-044.parquet", kVariant),
    reads("shredded_variant/case-045.parquet", kVariant),
    reads("shredded_variant/case-046.parquet", kVariant),
    reads("shredded_variant/case-047.parquet", kVariant),
    reads("shredded_variant/case-048.parquet", kVariant),
    reads("shredded_variant/case-049.parquet", kVariant),
    reads("shredded_variant/case-050.parquet", kVariant),
    reads("shredded_variant/case-051.parquet", kVariant),
    reads("shredded_variant/case-052.parquet", kVariant),
    reads("shredded_variant/case-053.parquet", kVariant),
    reads("shredded_variant/case-054.parquet", kVariant),
    reads("shredded_variant/case-055.parquet", kVariant),
    reads("shredded_variant/case-056.parquet", kVariant),
    reads("shredded_variant/case-057.parquet", kVariant),
    reads("shredded_variant/case-058.parquet", kVariant),
    reads("shredded_variant/case-059.parquet", kVariant),
    reads("shredded_variant/case-060.parquet", kVariant),
    reads("shredded_variant/case-061.parquet", kVariant),
    reads("shredded_variant/case-062.parquet", kVariant),
    reads("shredded_variant/case-063.parquet", kVariant),
    reads("shredded_variant/case-064.parquet", kVariant),
    reads("shredded_variant/case-065.parquet", kVariant),
    reads("shredded_variant/case-066.parquet", kVariant),
    reads("shredded_variant/case-067.parquet", kVariant),
    reads("shredded_variant/case-068.parquet", kVariant),
    reads("shredded_variant/case-069.parquet", kVariant),
    reads("shredded_variant/case-070.parquet", kVariant),
    reads("shredded_variant/case-071.parquet", kVariant),
    reads("shredded_variant/case-072.parquet", kVariant),
    reads("shredded_variant/case-073.parquet", kVariant),
    reads("shredded_variant/case-074.parquet", kVariant),
    reads("shredded_variant/case-075.parquet", kVariant),
    reads("shredded_variant/case-076.parquet", kVariant),
    reads("shredded_variant/case-077.parquet", kVariant),
    reads("shredded_variant/case-078.parquet", kVariant),
    reads("shredded_variant/case-079.parquet", kVariant),
    reads("shredded_variant/case-080.parquet", kVariant),
    reads("shredded_variant/case-081.parquet", kVariant),
    reads("shredded_variant/case-082.parquet", kVariant),
    reads("shredded_variant/case-083.parquet", kVariant),
    reads("shredded_variant/case-084-INVALID.parquet", kVariantInvalid),
    reads("shredded_variant/case-085.parquet", kVariant),
    reads("shredded_variant/case-086.parquet", kVariant),
    fails("shredded_variant/case-087.parquet", ErrorKind::Corrupt, "invalid variant"),
    reads("shredded_variant/case-088.parquet", kVariant),
    reads("shredded_variant/case-089.parquet", kVariant),
    reads("shredded_variant/case-090.parquet", kVariant),
    reads("shredded_variant/case-091.parquet", kVariant),
    reads("shredded_variant/case-092.parquet", kVariant),
    reads("shredded_variant/case-093.parquet", kVariant),
    reads("shredded_variant/case-094.parquet", kVariant),
    reads("shredded_variant/case-095.parquet", kVariant),
    reads("shredded_variant/case-096.parquet", kVariant),
    reads("shredded_variant/case-097.parquet", kVariant),
    reads("shredded_variant/case-098.parquet", kVariant),
    reads("shredded_variant/case-099.parquet", kVariant),
    reads("shredded_variant/case-100.parquet", kVariant),
    reads("shredded_variant/case-101.parquet", kVariant),
    reads("shredded_variant/case-102.parquet", kVariant),
    reads("shredded_variant/case-103.parquet", kVariant),
    reads("shredded_variant/case-104.parquet", kVariant),
    reads("shredded_variant/case-105.parquet", kVariant),
    reads("shredded_variant/case-106.parquet", kVariant),
    reads("shredded_variant/case-107.parquet", kVariant),
    reads("shredded_variant/case-108.parquet", kVariant),
    reads("shredded_variant/case-109.parquet", kVariant),
    reads("shredded_variant/case-110.parquet", kVariant),
    reads("shredded_variant/case-111.parquet", kVariant),
    reads("shredded_variant/case-112.parquet", kVariant),
    reads("shredded_variant/case-113.parquet", kVariant),
    reads("shredded_variant/case-114.parquet", kVariant),
    reads("shredded_variant/case-115.parquet", kVariant),
    reads("shredded_variant/case-116.parquet", kVariant),
    reads("shredded_variant/case-117.parquet", kVariant),
    reads("shredded_variant/case-118.parquet", kVariant),
    reads("shredded_variant/case-119.parquet", kVariant),
    reads("shredded_variant/case-120.parquet", kVariant),
    reads("shredded_variant/case-121.parquet", kVariant),
    reads("shredded_variant/case-122.parquet", kVariant),
    reads("shredded_variant/case-123.parquet", kVariant),
    reads("shredded_variant/case-124.parquet", kVariant),
    reads("shredded_variant/case-125-INVALID.parquet", kVariantInvalid),
    reads("shredded_variant/case-126.parquet", kVariant),
    fails("shredded_variant/case-127.parquet", ErrorKind::Corrupt, "invalid variant"),
    fails("shredded_variant/case-128.parquet", ErrorKind::Corrupt, "invalid variant"),
    reads("shredded_variant/case-129.parquet", kVariant),
    reads("shredded_variant/case-130.parquet", kVariant),
    reads("shredded_variant/case-131.parquet", kVariant),
    reads("shredded_variant/case-132.parquet", kVariant),
    reads("shredded_variant/case-133.parquet", kVariant),
    reads("shredded_variant/case-134.parquet", kVariant),
    reads("shredded_variant/case-135.parquet", kVariant),
    reads("shredded_variant/case-136.parquet", kVariant),
    fails("shredded_variant/case-137.parquet", ErrorKind::Corrupt, "invalid variant"),
    reads("shredded_variant/case-138.parquet", kVariant),
};

std::string path_of(const Entry& e) { return test::corpus_dir() + "/" + e.path; }

// shared/parquet-testing-expected mirrors data/: data/a/b.parquet -> a/b.parquet.jsonl.
std::string dump_of(const std::string& rel) {
  return std::string(PARKETT_TESTING_EXPECTED_DIR) + "/" + rel.substr(5) + ".jsonl";
}

ReadOptions options() {
  ReadOptions o;
  o.int96_unit = TimeUnit::Micro;  // CANONICAL.md prints INT96 in microseconds, as DuckDB reads
  return o;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// The schema line's "type" strings are each dumper's own type names: only names must agree.
std::vector<std::string> column_names(const std::string& schema_line) {
  std::vector<std::string> out;
  const nlohmann::json parsed = nlohmann::json::parse(schema_line);  // outlives the loop
  for (const auto& c : parsed["columns"]) out.push_back(c["name"]);
  return out;
}

void expect_exact(const Entry& e) {
  const std::string dump = dump_of(e.path);
  ASSERT_TRUE(fs::exists(dump)) << "no expected dump " << dump;
  const auto expected = lines_of(test::read_file(dump));
  FileReader reader = FileReader::open(path_of(e), options());
  const Table table = reader.read_table();
  const auto got = lines_of(convert::to_canonical_jsonl(reader.metadata().schema(), table));
  ASSERT_FALSE(expected.empty() || got.empty());
  EXPECT_EQ(column_names(got[0]), column_names(expected[0]));
  EXPECT_EQ(got.size(), expected.size()) << "rows (plus the schema line)";
  int shown = 0;
  for (size_t i = 1; i < std::min(got.size(), expected.size()) && shown < 3; ++i) {
    if (got[i] == expected[i]) continue;
    ++shown;
    ADD_FAILURE() << "row " << i - 1 << "\n  ours:     " << got[i]
                  << "\n  expected: " << expected[i];
  }
}

// Without keys, an encrypted part must be refused as such, never decoded as garbage.
template <typename F>
void expect_crypto(F&& step) {
  try {
    step();
    ADD_FAILURE() << "read without keys";
  } catch (const Error& err) {
    EXPECT_STREQ(to_string(err.kind()), to_string(ErrorKind::Crypto)) << err.what();
  }
}

void expect_reads(const Entry& e) {
  ASSERT_STRNE(e.reason, "") << "a file without a dump needs a reason";
  if (e.footer_encrypted) {
    expect_crypto([&] { FileReader::open(path_of(e), options()); });
    return;
  }
  FileReader reader = FileReader::open(path_of(e), options());
  if (std::string(e.path).ends_with(".encrypted")) {
    expect_crypto([&] { reader.read_table(); });
    return;
  }
  const int64_t rows = e.open_only ? reader.metadata().num_rows() : reader.read_table().num_rows();
  if (e.rows >= 0) {
    EXPECT_EQ(rows, e.rows);
  }
}

void expect_fails(const Entry& e) {
  try {
    FileReader::open(path_of(e), options()).read_table();
    ADD_FAILURE() << "read without an error; expected " << to_string(e.kind);
  } catch (const Error& err) {
    EXPECT_STREQ(to_string(err.kind()), to_string(e.kind)) << err.what();
    EXPECT_NE(std::string(err.what()).find(e.needle), std::string::npos) << err.what();
    EXPECT_NE(std::string(err.what()).find(e.path), std::string::npos) << "file unnamed";
  }
}

class CorpusFile : public ::testing::TestWithParam<Entry> {};

TEST_P(CorpusFile, ReadsAsTheInventorySays) {
  const Entry& e = GetParam();
  switch (e.outcome) {
    case Outcome::Exact: return expect_exact(e);
    case Outcome::Reads: return expect_reads(e);
    case Outcome::Fails: return expect_fails(e);
  }
}

std::string test_name(const ::testing::TestParamInfo<Entry>& info) {
  std::string name = info.param.path;
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Inventory, CorpusFile, ::testing::ValuesIn(kInventory), test_name);

TEST(Inventory, ListsEveryCorpusFileExactlyOnce) {
  std::vector<std::string> listed;
  for (const Entry& e : kInventory) listed.emplace_back(e.path);
  EXPECT_TRUE(std::is_sorted(listed.begin(), listed.end())) << "keep the table sorted by path";
  const std::set<std::string> table(listed.begin(), listed.end());
  EXPECT_EQ(table.size(), listed.size()) << "a path is listed twice";
  const auto files = test::corpus_parquet_files();
  const std::set<std::string> on_disk(files.begin(), files.end());
  for (const auto& f : on_disk) EXPECT_TRUE(table.count(f)) << "corpus file not listed: " << f;
  for (const auto& f : table) EXPECT_TRUE(on_disk.count(f)) << "listed, but no such file: " << f;
}

TEST(Inventory, EveryExpectedDumpBelongsToAnExactEntry) {
  std::set<std::string> exact;
  for (const Entry& e : kInventory) {
    if (e.outcome == Outcome::Exact) exact.insert(e.path);
  }
  int dumps = 0;
  for (const auto& d : fs::recursive_directory_iterator(PARKETT_TESTING_EXPECTED_DIR)) {
    const std::string rel = fs::relative(d.path(), PARKETT_TESTING_EXPECTED_DIR).string();
    if (!d.is_regular_file() || !rel.ends_with(".jsonl")) continue;
    ++dumps;
    const std::string file = "data/" + rel.substr(0, rel.size() - std::string(".jsonl").size());
    if (!fs::exists(test::corpus_dir() + "/" + file)) {
      ADD_FAILURE() << "expected dump without a corpus file: " << rel;
    } else {
      EXPECT_TRUE(exact.count(file)) << "has a dump, so must be Exact: " << file;
    }
  }
  EXPECT_EQ(dumps, static_cast<int>(exact.size()));
}

}  // namespace
}  // namespace parkett
