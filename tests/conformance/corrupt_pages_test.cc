// Corpus files with bytes of their pages overwritten: reading must end in a parkett::Error
// or in a table, never in a crash, a hang or a huge allocation (the suite runs under
// ASan/UBSan). Covers every codec and encoding the corpus has.
#include <gtest/gtest.h>

#include <cstring>
#include <random>

#include "corpus.h"
#include "damage.h"
#include "parkett/error.h"
#include "parkett/reader.h"

namespace parkett {
namespace {

TEST(CorruptPages, MutatedPagesFailCleanly) {
  std::mt19937_64 rng(20261121);
  int errors = 0, reads = 0;
  for (const char* name :
       {"alltypes_plain.parquet", "alltypes_plain.snappy.parquet", "alltypes_dictionary.parquet",
        "datapage_v2.snappy.parquet", "delta_binary_packed.parquet", "delta_byte_array.parquet",
        "delta_length_byte_array.parquet", "byte_stream_split.zstd.parquet",
        "nested_lists.snappy.parquet", "nested_maps.snappy.parquet", "nullable.impala.parquet",
        "lz4_raw_compressed.parquet", "hadoop_lz4_compressed.parquet",
        "non_hadoop_lz4_compressed.parquet", "concatenated_gzip_members.parquet",
        "rle_boolean_encoding.parquet", "fixed_length_decimal.parquet",
        "int96_from_spark.parquet", "repeated_no_annotation.parquet"}) {
    const std::string file = test::read_file(test::data_file(name));
    uint32_t footer_len;
    std::memcpy(&footer_len, file.data() + file.size() - 8, 4);
    const size_t data_end = file.size() - 8 - footer_len;
    for (int i = 0; i < 60; ++i) {
      auto m = std::make_shared<std::string>(file);
      const int flips = 1 + static_cast<int>(rng() % 3);
      for (int k = 0; k < flips; ++k) {
        size_t at = 4 + rng() % (data_end - 4);
        (*m)[at] = static_cast<char>(rng() % 3 == 0 ? (*m)[at] ^ (1 << (rng() % 8)) : rng());
      }
      SCOPED_TRACE(std::string(name) + " mutation " + std::to_string(i));
      try {
        FileReader::open_buffer(m, {}, name).read_table();
        ++reads;
      } catch (const Error& e) {
        ++errors;
        EXPECT_TRUE(test::damage_kind(e.kind())) << e.what();
        EXPECT_NE(std::string(e.what()).find(name), std::string::npos) << e.what();
      }
    }
  }
  EXPECT_GT(errors, 200);  // most mutations are caught...
  EXPECT_GT(reads, 10);    // ...while some only change values
}

}  // namespace
}  // namespace parkett
