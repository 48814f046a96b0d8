// The encrypted files of the corpus (parquet-testing NOTES.md: keys, key ids, AAD prefixes)
// read to the values their writers generated, through explicit keys and a key retriever;
// and every way of reading them wrongly fails with Error(Crypto) saying why.
//
// The values follow the rules Parquet C++'s encryption tests generate them by (row i of 50):
// boolean_field i even; int32_field i (TIME_MILLIS); int64_field [2i·10¹², (2i+1)·10¹²];
// int96_field the words (i, i+1, i+2); float_field i·1.1f; double_field i·1.1111111;
// ba_field "parquet" + i in three digits for even i, else null; flba_field ten bytes i.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <map>

#include "corpus.h"
#include "expect_error.h"
#include "parkett/encryption.h"
#include "parkett/reader.h"

namespace parkett {
namespace {

// Keys as NOTES.md gives them: the ASCII digits.
const std::map<std::string, std::string> kKeys128 = {
    {"kf", "0123456789012345"}, {"kc1", "1234567890123450"}, {"kc2", "1234567890123451"}};
std::map<std::string, std::string> keys256() {
  const std::string prefix = "123456789012345678901234567890";
  std::map<std::string, std::string> keys = {{"kf", "01234567890123456789012345678901"}};
  for (int n = 1; n <= 8; ++n) keys["kc" + std::to_string(n)] = prefix + "1" + std::to_string(n + 1);
  return keys;
}
// The columns the 256-bit files encrypt with each key id.
const std::map<std::string, std::string> kColumns256 = {
    {"kc1", "double_field"}, {"kc2", "float_field"},  {"kc3", "boolean_field"},
    {"kc4", "int32_field"},  {"kc5", "ba_field"},     {"kc6", "flba_field"},
    {"kc7", "int64_field.list.element"}, {"kc8", "int96_field"}};

std::string path_of(bool aes256, const std::string& name) {
  return test::data_file((aes256 ? "aes256/" : "") + name);
}

ReadOptions with_retriever(const std::map<std::string, std::string>& keys, std::optional<std::string> aad = {}) {
  auto d = std::make_shared<DecryptionProperties>();
  d->key_retriever = [keys](const std::string& id) {
    const auto k = keys.find(id);
    return k == keys.end() ? std::string() : k->second;
  };
  d->aad_prefix = std::move(aad);
  ReadOptions o;
  o.decryption = d;
  o.int96_unit = TimeUnit::Micro;  // the generated INT96 values lie before year 1677
  return o;
}

ReadOptions with_explicit_keys(bool aes256, std::optional<std::string> aad = {}) {
  auto d = std::make_shared<DecryptionProperties>();
  if (aes256) {
    const auto keys = keys256();
    d->footer_key = keys.at("kf");
    for (const auto& [id, column] : kColumns256) d->column_keys[column] = keys.at(id);
  } else {
    d->footer_key = kKeys128.at("kf");
    d->column_keys["double_field"] = kKeys128.at("kc1");
    d->column_keys["float_field"] = kKeys128.at("kc2");
  }
  d->aad_prefix = std::move(aad);
  ReadOptions o;
  o.decryption = d;
  o.int96_unit = TimeUnit::Micro;
  return o;
}

const ArrayData& column(const RecordBatch& b, const std::string& name) {
  for (size_t i = 0; i < b.columns.size(); ++i) {
    if (b.schema.fields[i].name == name) return *b.columns[i];
  }
  throw std::runtime_error("no column " + name);
}

template <class T>
T value(const ArrayData& a, int64_t row) {
  T v;
  std::memcpy(&v, a.buffers[1]->data() + (a.offset + row) * static_cast<int64_t>(sizeof(T)), sizeof(T));
  return v;
}

// Checks every value of the generated columns present in `t`.
void expect_generated_values(const Table& t) {
  ASSERT_EQ(t.num_rows(), 50);
  int64_t i = 0;
  for (const RecordBatch& b : t.batches) {
    for (int64_t r = 0; r < b.num_rows; ++r, ++i) {
      SCOPED_TRACE("row " + std::to_string(i));
      for (size_t c = 0; c < b.columns.size(); ++c) {
        const std::string& name = b.schema.fields[c].name;
        const ArrayData& a = *b.columns[c];
        if (name == "boolean_field") {
          const int64_t bit = a.offset + r;
          EXPECT_EQ(((a.buffers[1]->data()[bit >> 3] >> (bit & 7)) & 1) != 0, i % 2 == 0);
        } else if (name == "int32_field") {
          EXPECT_EQ(value<int32_t>(a, r), i);
        } else if (name == "int64_field") {
          const ArrayData& child = *a.children[0];
          const int32_t at = value<int32_t>(a, r);
          ASSERT_EQ(value<int32_t>(a, r + 1) - at, 2);
          EXPECT_EQ(value<int64_t>(child, at), 2 * i * 1000000000000);
          EXPECT_EQ(value<int64_t>(child, at + 1), (2 * i + 1) * 1000000000000);
        } else if (name == "int96_field") {
          // Words (i, i+1, i+2): nanoseconds of the day i + (i+1)·2³², Julian day i + 2.
          const int64_t nanos = i + ((i + 1) << 32);
          const int64_t micros = (i + 2 - 2440588) * 86400 * 1000000 + nanos / 1000;
          EXPECT_EQ(value<int64_t>(a, r), micros);
        } else if (name == "float_field") {
          EXPECT_EQ(value<float>(a, r), static_cast<float>(i) * 1.1f);
        } else if (name == "double_field") {
          EXPECT_EQ(value<double>(a, r), static_cast<double>(i) * 1.1111111);
        } else if (name == "ba_field") {
          ASSERT_EQ(a.is_valid(r), i % 2 == 0);
          if (i % 2 != 0) continue;
          const auto* offsets = a.buffers[1]->as<int32_t>() + a.offset;
          const std::string got(reinterpret_cast<const char*>(a.buffers[2]->data()) + offsets[r],
                                static_cast<size_t>(offsets[r + 1] - offsets[r]));
          std::string want = "parquet";
          want += static_cast<char>('0' + i / 100);
          want += static_cast<char>('0' + (i / 10) % 10);
          want += static_cast<char>('0' + i % 10);
          EXPECT_EQ(got, want);
        } else if (name == "flba_field") {
          const uint8_t* v = a.buffers[1]->data() + (a.offset + r) * 10;
          for (int k = 0; k < 10; ++k) EXPECT_EQ(v[k], i);
        } else {
          ADD_FAILURE() << "unexpected column " << name;
        }
      }
    }
  }
  ASSERT_FALSE(::testing::Test::HasFailure());
}

struct CorpusFile {
  std::string name;
  std::optional<std::string> aad;  // the prefix a reader supplies
};
const std::vector<CorpusFile> kFiles = {
    {"uniform_encryption.parquet.encrypted", {}},
    {"encrypt_columns_and_footer.parquet.encrypted", {}},
    {"encrypt_columns_plaintext_footer.parquet.encrypted", {}},
    {"encrypt_columns_and_footer_ctr.parquet.encrypted", {}},
    {"encrypt_columns_and_footer_aad.parquet.encrypted", "tester"},
    {"encrypt_columns_and_footer_disable_aad_storage.parquet.encrypted", "tester"}};

TEST(EncryptionCorpus, EveryFileReadsToItsGeneratedValuesThroughARetrieverAndExplicitKeys) {
  for (bool aes256 : {false, true}) {
    for (const CorpusFile& f : kFiles) {
      if (aes256 && f.name == "encrypt_columns_and_footer_aad.parquet.encrypted") continue;  // none in aes256/
      SCOPED_TRACE((aes256 ? "aes256/" : "") + f.name);
      const std::string path = path_of(aes256, f.name);
      expect_generated_values(read_table(path, with_retriever(aes256 ? keys256() : kKeys128, f.aad)));
      expect_generated_values(read_table(path, with_explicit_keys(aes256, f.aad)));
      // The stream reader and small batches go through the same modules one page at a time.
      ReadOptions batches = with_retriever(aes256 ? keys256() : kKeys128, f.aad);
      batches.batch_size = 7;
      FileReader reader = FileReader::open(path, batches);
      Table streamed;
      RecordBatchReader rb = reader.batches(batches);
      streamed.schema = rb.schema();
      for (RecordBatch b; rb.next(b);) streamed.batches.push_back(b);
      expect_generated_values(streamed);
    }
  }
}

TEST(EncryptionCorpus, FilteredScansUseDecryptedStatisticsAndPageIndexes) {
  for (const char* name : {"encrypt_columns_and_footer.parquet.encrypted", "encrypt_columns_plaintext_footer.parquet.encrypted"}) {
    SCOPED_TRACE(name);
    ReadOptions o = with_retriever(kKeys128);
    FileReader r = FileReader::open(test::data_file(name), o);
    // Statistics of the encrypted double_field (max 49 * 1.1111111) rule the row group out.
    ScanOptions scan;
    scan.filter = col("double_field") > 1000.0;
    ScanCounts counts;
    EXPECT_EQ(r.read_table(scan, counts).num_rows(), 0);
    EXPECT_EQ(counts.row_groups_skipped, 1);
    scan.filter = col("float_field") == static_cast<float>(7) * 1.1f;
    const Table hit = r.read_table(scan, counts);
    ASSERT_EQ(hit.num_rows(), 1);
    EXPECT_EQ(value<int32_t>(column(hit.batches[0], "int32_field"), 0), 7);
    // The encrypted column's page index decrypts: one page of 50 rows.
    const std::optional<OffsetIndex> pages = r.offset_index(0, 5);
    ASSERT_TRUE(pages.has_value());
    ASSERT_EQ(pages->pages.size(), 1u);
    EXPECT_EQ(pages->pages[0].first_row_index, 0);
    ASSERT_TRUE(r.column_index(0, 5).has_value());
  }
}

TEST(EncryptionCorpus, BloomFiltersOfEncryptedColumnsDecryptAndPrune) {
  // parquet-mr's file: 2000 rows, double_field i + 0.5 (3 pages), float_field i + 0.25,
  // int32_field i, name "name_i"; bloom filters on the two encrypted columns.
  const std::string path = test::data_file("encrypt_columns_and_footer_bloom_filter.parquet.encrypted");
  FileReader r = FileReader::open(path, with_retriever(kKeys128));
  const Table t = r.read_table();
  ASSERT_EQ(t.num_rows(), 2000);
  int64_t i = 0;
  for (const RecordBatch& b : t.batches) {
    for (int64_t row = 0; row < b.num_rows; ++row, ++i) {
      ASSERT_EQ(value<double>(column(b, "double_field"), row), static_cast<double>(i) + 0.5);
      ASSERT_EQ(value<float>(column(b, "float_field"), row), static_cast<float>(i) + 0.25f);
      ASSERT_EQ(value<int32_t>(column(b, "int32_field"), row), i);
    }
  }
  const std::optional<BloomFilter> bloom = r.bloom_filter(0, 0);
  ASSERT_TRUE(bloom.has_value());
  for (int v = 0; v < 2000; ++v) ASSERT_TRUE(bloom->might_contain_value(StatValue(v + 0.5)));
  int false_positives = 0;
  for (int v = 0; v < 2000; ++v) false_positives += bloom->might_contain_value(StatValue(v + 0.75)) ? 1 : 0;
  EXPECT_LT(false_positives, 100);
  // 3 data pages in double_field: their AADs carry page ordinals 0, 1, 2.
  const std::optional<OffsetIndex> pages = r.offset_index(0, 0);
  ASSERT_TRUE(pages.has_value());
  EXPECT_EQ(pages->pages.size(), 3u);
  // A value between the statistics' bounds that the bloom filter rules out.
  ScanOptions scan;
  scan.filter = col("double_field") == 100.75;
  scan.use_page_index = false;
  ScanCounts counts;
  EXPECT_EQ(r.read_table(scan, counts).num_rows(), 0);
  EXPECT_EQ(counts.row_groups_skipped_by_bloom_filter, 1);
  // And a page-index scan reads only the page holding row 1500.
  scan.filter = col("double_field") == 1500.5;
  scan.use_page_index = true;
  scan.use_bloom_filter = false;
  const Table one = r.read_table(scan, counts);
  ASSERT_EQ(one.num_rows(), 1);
  EXPECT_EQ(value<int32_t>(column(one.batches[0], "int32_field"), 0), 1500);
  EXPECT_GT(counts.pages_skipped, 0);
}

TEST(EncryptionCorpus, PlaintextFooterReadsWithoutKeysExceptTheEncryptedColumns) {
  for (bool aes256 : {false, true}) {
    const std::string path = path_of(aes256, "encrypt_columns_plaintext_footer.parquet.encrypted");
    FileReader r = FileReader::open(path);  // no keys at all
    ASSERT_TRUE(r.metadata().encryption().has_value());
    if (!aes256) {
      ReadOptions o;
      o.columns = {"boolean_field", "int32_field", "int64_field", "int96_field", "ba_field", "flba_field"};
      o.int96_unit = TimeUnit::Micro;
      expect_generated_values(read_table(path, o));
    }
    ScanOptions doubles;
    doubles.columns = {"double_field"};
    EXPECT_ERROR(r.read_table(doubles), ErrorKind::Crypto, "key metadata 'kc1'");
  }
  // With the footer key only, the signature is verified and plaintext columns read; the
  // column keys' columns say which key they need.
  ReadOptions footer_only = with_retriever({{"kf", kKeys128.at("kf")}});
  FileReader r = FileReader::open(test::data_file("encrypt_columns_plaintext_footer.parquet.encrypted"), footer_only);
  ScanOptions floats;
  floats.columns = {"float_field"};
  EXPECT_ERROR(r.read_table(floats), ErrorKind::Crypto, "kc2");
  ScanOptions plain;
  plain.columns = {"int32_field"};
  EXPECT_EQ(r.read_table(plain).num_rows(), 50);
}

TEST(EncryptionCorpus, AColumnWithoutItsKeyIsRefusedOnlyWhenRead) {
  const std::string path = test::data_file("encrypt_columns_and_footer.parquet.encrypted");
  ReadOptions o = with_retriever({{"kf", kKeys128.at("kf")}, {"kc2", kKeys128.at("kc2")}});
  FileReader r = FileReader::open(path, o);
  EXPECT_ERROR(r.read_table(), ErrorKind::Crypto, "key metadata 'kc1'");
  ScanOptions others;
  others.columns = {"float_field", "int32_field", "ba_field"};
  EXPECT_EQ(r.read_table(others).num_rows(), 50);
  // Its metadata stays encrypted: the accessors that need it say so.
  EXPECT_TRUE(r.metadata().row_group(0).column(5).metadata_encrypted());
  EXPECT_ERROR(r.metadata().row_group(0).column(5).statistics(), ErrorKind::Crypto);
  EXPECT_FALSE(r.metadata().row_group(0).column(4).metadata_encrypted());
}

TEST(EncryptionCorpus, WrongOrMissingKeysAndPrefixesAreCryptoErrors) {
  const std::string footer = test::data_file("encrypt_columns_and_footer.parquet.encrypted");
  EXPECT_ERROR(FileReader::open(footer), ErrorKind::Crypto, "encrypted footer: keys required");
  EXPECT_ERROR(FileReader::open(footer, with_retriever({})), ErrorKind::Crypto, "key metadata 'kf'");
  auto wrong = with_retriever({{"kf", "0123456789012346"}});
  EXPECT_ERROR(FileReader::open(footer, wrong), ErrorKind::Crypto, "footer: authentication failed");
  auto short_key = with_retriever({{"kf", "0123456789"}});
  EXPECT_ERROR(FileReader::open(footer, short_key), ErrorKind::Crypto, "16, 24 or 32");
  // A wrong column key fails on the column metadata, naming the column.
  auto wrong_column = with_retriever({{"kf", kKeys128.at("kf")}, {"kc1", "1234567890123459"}, {"kc2", kKeys128.at("kc2")}});
  FileReader r = FileReader::open(footer, wrong_column);
  EXPECT_ERROR(r.read_table(), ErrorKind::Crypto, "column double_field: cannot decrypt the column metadata");

  // AAD prefixes: required when not stored, checked against a stored one, and part of every
  // module's AAD (a wrong one supplied for a file that does not store it fails to decrypt).
  const std::string unstored = test::data_file("encrypt_columns_and_footer_disable_aad_storage.parquet.encrypted");
  EXPECT_ERROR(FileReader::open(unstored, with_retriever(kKeys128)), ErrorKind::Crypto, "AAD prefix");
  EXPECT_ERROR(FileReader::open(unstored, with_retriever(kKeys128, "tester2")), ErrorKind::Crypto, "authentication failed");
  const std::string stored = test::data_file("encrypt_columns_and_footer_aad.parquet.encrypted");
  EXPECT_ERROR(FileReader::open(stored, with_retriever(kKeys128, "other")), ErrorKind::Crypto, "differs");
  // A prefix given for a file written without one makes every AAD wrong.
  EXPECT_ERROR(FileReader::open(footer, with_retriever(kKeys128, "tester")), ErrorKind::Crypto, "authentication failed");
  // A plaintext footer signed with another key (or prefix) does not verify.
  const std::string signed_footer = test::data_file("encrypt_columns_plaintext_footer.parquet.encrypted");
  EXPECT_ERROR(FileReader::open(signed_footer, with_retriever({{"kf", "0123456789012346"}})), ErrorKind::Crypto,
               "signature");
  auto unchecked = std::make_shared<DecryptionProperties>(*with_retriever({{"kf", "0123456789012346"}}).decryption);
  unchecked->check_footer_integrity = false;
  ReadOptions o;
  o.decryption = unchecked;
  EXPECT_NO_THROW(FileReader::open(signed_footer, o));

  // Decryption properties on a plaintext file: refused unless allowed.
  const std::string plain = test::data_file("alltypes_plain.parquet");
  EXPECT_ERROR(FileReader::open(plain, with_retriever(kKeys128)), ErrorKind::Crypto, "not encrypted");
  auto allowed = std::make_shared<DecryptionProperties>();
  allowed->plaintext_files_allowed = true;
  o.decryption = allowed;
  EXPECT_EQ(read_table(plain, o).num_rows(), 8);
}

}  // namespace
}  // namespace parkett
