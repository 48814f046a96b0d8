// Files parkett writes encrypted: every readable corpus file, written in each encryption
// mode, reads back exactly as its plaintext rewrite does; readers without the keys see only
// what the mode leaves in the clear; filters prune encrypted files as they do plaintext ones.
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <map>
#include <fstream>

#include "arrays.h"
#include "corpus.h"
#include "expect_error.h"
#include "parkett/encryption.h"
#include "parkett/reader.h"
#include "parkett/writer.h"
#include "temp_dir.h"

namespace fs = std::filesystem;

namespace parkett {
namespace {

const std::string kFooterKey = "footer-key-16-by";                  // 16 bytes
const std::string kColumnKeyA = "column-key-a-is-24-bytes";         // 24 bytes
const std::string kColumnKeyB = "column-key-b-is-thirty-two-bytes"; // 32 bytes

struct Mode {
  std::string name;
  EncryptionProperties properties;
  bool column_keys = false;  // every other top-level field gets a column key
  WriteOptions base;
};

std::vector<Mode> modes() {
  std::vector<Mode> out;
  Mode uniform{"uniform-gcm", {}, false, {}};
  uniform.properties.footer_key = kFooterKey;
  uniform.properties.footer_key_metadata = "footer";
  out.push_back(uniform);

  Mode ctr{"uniform-ctr-stored-aad-prefix", {}, false, {}};
  ctr.properties.footer_key = kFooterKey;
  ctr.properties.footer_key_metadata = "footer";
  ctr.properties.algorithm = EncryptionAlgorithm::AesGcmCtrV1;
  ctr.properties.aad_prefix = "round-trip";
  out.push_back(ctr);

  // Small pages and row groups: many page ordinals and row group ordinals in the AADs.
  Mode columns{"column-keys-unstored-aad-prefix-small-pages-v2", {}, true, {}};
  columns.properties.footer_key = kFooterKey;
  columns.properties.footer_key_metadata = "footer";
  columns.properties.aad_prefix = "round-trip";
  columns.properties.store_aad_prefix = false;
  columns.base.data_page_size = 64;
  columns.base.max_rows_per_page = 7;
  columns.base.row_group_rows = 50;
  columns.base.data_page_version = 2;
  columns.base.page_crc = true;
  out.push_back(columns);

  Mode plaintext{"plaintext-footer-column-keys-ctr-bloom-filters", {}, true, {}};
  plaintext.properties.footer_key = kFooterKey;
  plaintext.properties.footer_key_metadata = "footer";
  plaintext.properties.plaintext_footer = true;
  plaintext.properties.algorithm = EncryptionAlgorithm::AesGcmCtrV1;
  plaintext.base.bloom_filter = BloomFilterOptions{};
  plaintext.base.max_rows_per_page = 100;
  out.push_back(plaintext);
  return out;
}

ReadOptions reader_for(const Mode& m) {
  auto d = std::make_shared<DecryptionProperties>();
  d->key_retriever = [](const std::string& metadata) -> std::string {
    if (metadata == "footer") return kFooterKey;
    if (metadata == "a") return kColumnKeyA;
    if (metadata == "b") return kColumnKeyB;
    return {};
  };
  if (!m.properties.store_aad_prefix) d->aad_prefix = m.properties.aad_prefix;
  ReadOptions o;
  o.decryption = d;
  return o;
}

// The properties for `schema`: column keys "a" and "b" alternating over the top-level
// fields with an even index; the odd ones stay plaintext.
WriteOptions writer_for(const Mode& m, const Schema& schema, std::vector<std::string>* plaintext_fields = nullptr) {
  WriteOptions o = m.base;
  auto p = std::make_shared<EncryptionProperties>(m.properties);
  if (m.column_keys) {
    for (size_t f = 0; f < schema.fields.size(); ++f) {
      if (f % 2 == 0) {
        const bool a = f % 4 == 0;
        p->column_keys[schema.fields[f].name] = {a ? kColumnKeyA : kColumnKeyB, a ? "a" : "b"};
      } else if (plaintext_fields) {
        plaintext_fields->push_back(schema.fields[f].name);
      }
    }
  }
  o.encryption = p;
  return o;
}

bool is_encrypted_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char head[4];
  in.read(head, 4);
  return std::string(head, 4) == "PARE";
}

class EncryptedWrite : public test::TempDirTest {};

// Calls fn(name, table) with each readable corpus file of up to 8 MiB decoded that has
// columns; returns how many.
int for_each_corpus_table(const std::function<void(const std::string&, const Table&)>& fn) {
  int files = 0;
  for (const auto& rel : test::corpus_parquet_files()) {
    if (!rel.starts_with("data/") || rel.ends_with(".encrypted")) continue;
    Table original;
    try {
      FileReader r = FileReader::open(test::corpus_dir() + "/" + rel);
      int64_t decoded = 0;
      for (int32_t g = 0; g < r.metadata().num_row_groups(); ++g) decoded += r.metadata().row_group(g).total_byte_size();
      if (decoded > (8 << 20)) continue;
      original = r.read_table();
    } catch (const Error&) {
      continue;  // deliberately unreadable: the reader's tests cover these
    }
    if (original.schema.fields.empty()) continue;
    ++files;
    fn(rel, original);
  }
  return files;
}

TEST_F(EncryptedWrite, EveryReadableCorpusFileReadsBackInEveryMode) {
  const int files = for_each_corpus_table([&](const std::string& rel, const Table& original) {
    const std::string plain_path = path("plain.parquet");
    for (const Mode& m : modes()) {
      SCOPED_TRACE(rel + " in mode " + m.name);
      try {
        write_table(original, plain_path, m.base);
        const Table plain = read_table(plain_path);
        const std::string encrypted = path("encrypted.parquet");
        std::vector<std::string> plaintext_fields;
        write_table(original, encrypted, writer_for(m, original.schema, &plaintext_fields));
        EXPECT_EQ(is_encrypted_file(encrypted), !m.properties.plaintext_footer);
        const Table back = read_table(encrypted, reader_for(m));
        EXPECT_EQ(test::table_difference(plain, back), "");
        if (m.properties.plaintext_footer && !plaintext_fields.empty()) {
          // Without keys: the plaintext fields read, the encrypted ones are refused.
          ReadOptions no_keys;
          no_keys.columns = plaintext_fields;
          ReadOptions plain_columns;
          plain_columns.columns = plaintext_fields;
          EXPECT_EQ(test::table_difference(read_table(plain_path, plain_columns), read_table(encrypted, no_keys)), "");
          ReadOptions first;
          first.columns = {original.schema.fields[0].name};
          if (original.num_rows() > 0) {  // without rows no page is read, and no key needed
            EXPECT_ERROR(read_table(encrypted, first), ErrorKind::Crypto, "key metadata 'a'");
          }
        }
      } catch (const Error& e) {
        ADD_FAILURE() << e.what();
      }
    }
  });
  EXPECT_GT(files, 50);
}

// Through the key management layer: double wrapping with key material in the footer,
// single wrapping with column keys and the key material beside the file, and the same
// after the master keys are rotated. Each file is read by a factory of its own (no cache
// shared with the writer's).
TEST_F(EncryptedWrite, EveryReadableCorpusFileReadsBackThroughTheKms) {
  const std::map<std::string, std::string> v1 = {
      {"kf", "MDEyMzQ1Njc4OTAxMjM0NQ=="}, {"kc1", "MTIzNDU2Nzg5MDEyMzQ1MA=="}, {"kc2", "MTIzNDU2Nzg5MDEyMzQ1MQ=="}};
  const std::map<std::string, std::string> v2 = {
      {"kf", "AAECAwQFBgcICQoLDA0ODw=="}, {"kc1", "EBESExQVFhcYGRobHB0eHw=="}, {"kc2", "ICEiIyQlJicoKSorLC0uLw=="}};
  const auto read_with = [](const std::map<std::string, std::string>& keys, const std::string& file) {
    CryptoFactory factory(InMemoryKms::factory(std::make_shared<InMemoryKms>(keys)));
    ReadOptions r;
    r.decryption = factory.file_decryption_properties({}, {}, file);
    return read_table(file, r);
  };
  const int files = for_each_corpus_table([&](const std::string& rel, const Table& original) {
    const std::string plain_path = path("plain.parquet");
    const std::string file = path("kms.parquet");
    write_table(original, plain_path);
    const Table plain = read_table(plain_path);
    for (const char* mode : {"double-internal-uniform", "single-external-column-keys", "rotated"}) {
      SCOPED_TRACE(rel + " in mode " + mode);
      try {
        const bool uniform = mode == std::string("double-internal-uniform");
        auto kms = std::make_shared<InMemoryKms>(v1);
        CryptoFactory factory(InMemoryKms::factory(kms));
        EncryptionConfiguration config;
        config.footer_key = "kf";
        config.uniform_encryption = uniform;
        config.double_wrapping = uniform || mode == std::string("rotated");
        config.internal_key_material = uniform;
        config.data_key_length_bits = uniform ? 256 : 192;
        for (size_t f = 0; !uniform && f < original.schema.fields.size(); f += 2) {
          config.column_keys[f % 4 == 0 ? "kc1" : "kc2"].push_back(original.schema.fields[f].name);
        }
        WriteOptions w;
        w.encryption = factory.file_encryption_properties({}, config, file);
        write_table(original, file, w);
        if (mode == std::string("rotated")) {
          kms->start_rotation(v2);
          factory.rotate_master_keys({}, file);
          kms->finish_rotation();
          EXPECT_EQ(test::table_difference(plain, read_with(v2, file)), "");
          EXPECT_ERROR(read_with(v1, file), ErrorKind::Crypto, "master key 'kf'");
        } else {
          EXPECT_EQ(test::table_difference(plain, read_with(v1, file)), "");
        }
        fs::remove(path("_KEY_MATERIAL_FOR_kms.parquet.json"));
      } catch (const Error& e) {
        ADD_FAILURE() << e.what();
      }
    }
  });
  EXPECT_GT(files, 50);
}

Table numbers(int64_t rows) {
  std::vector<int64_t> ids(static_cast<size_t>(rows));
  std::vector<std::optional<std::string>> names;
  for (int64_t i = 0; i < rows; ++i) {
    ids[static_cast<size_t>(i)] = i * 3;
    names.push_back("name-" + std::to_string(i % 1000));
  }
  return test::table_of({test::field("id", DataType(DataType::Id::Int64), false), test::field("name", DataType(DataType::Id::String))},
                        {test::array_of(DataType(DataType::Id::Int64), ids), test::string_array(names)});
}

TEST_F(EncryptedWrite, FiltersPruneEncryptedFilesAsTheyPrunePlaintextOnes) {
  const Table t = numbers(20000);
  WriteOptions plain_options;
  plain_options.row_group_rows = 5000;
  plain_options.max_rows_per_page = 500;
  plain_options.bloom_filter = BloomFilterOptions{};
  write_table(t, path("plain.parquet"), plain_options);
  for (const Mode& m : modes()) {
    SCOPED_TRACE(m.name);
    WriteOptions o = writer_for(m, t.schema);
    o.row_group_rows = 5000;
    o.max_rows_per_page = 500;
    o.bloom_filter = BloomFilterOptions{};
    o.data_page_size = plain_options.data_page_size;
    o.data_page_version = 1;
    write_table(t, path("enc.parquet"), o);
    for (const Expression& filter : {col("id") == int64_t{3 * 7777}, col("id") == int64_t{3 * 7777 + 1},
                                     col("id") > int64_t{3 * 19990}, col("name") == std::string("name-5")}) {
      ScanOptions scan;
      scan.filter = filter;
      ScanCounts plain_counts, encrypted_counts;
      const Table want = FileReader::open(path("plain.parquet")).read_table(scan, plain_counts);
      const Table got = FileReader::open(path("enc.parquet"), reader_for(m)).read_table(scan, encrypted_counts);
      EXPECT_EQ(test::table_difference(want, got), "");
      EXPECT_EQ(encrypted_counts.row_groups_skipped, plain_counts.row_groups_skipped);
      EXPECT_EQ(encrypted_counts.row_groups_skipped_by_bloom_filter, plain_counts.row_groups_skipped_by_bloom_filter);
      EXPECT_EQ(encrypted_counts.pages_skipped, plain_counts.pages_skipped);
    }
  }
}

TEST_F(EncryptedWrite, WrongPropertiesAreRefusedBeforeAnythingIsWritten) {
  const Table t = numbers(10);
  auto p = std::make_shared<EncryptionProperties>();
  p->footer_key = "short";
  WriteOptions o;
  o.encryption = p;
  EXPECT_ERROR(write_table(t, path(), o), ErrorKind::InvalidArgument, "16, 24 or 32");
  p->footer_key = kFooterKey;
  p->column_keys["nope"] = {kColumnKeyA, "a"};
  EXPECT_ERROR(write_table(t, path(), o), ErrorKind::InvalidArgument, "'nope'");
  p->column_keys = {{"id", {"0123", "a"}}};
  EXPECT_ERROR(write_table(t, path(), o), ErrorKind::InvalidArgument, "column id");
  EXPECT_FALSE(fs::exists(path()));
}

TEST_F(EncryptedWrite, EachFileHasItsOwnAadAndModulesCannotMoveBetweenFiles) {
  // Two files written with the same properties differ in aad_file_unique: the same key opens
  // both, but a page of one spliced into the other at the same place fails to authenticate.
  const Table t = numbers(100);
  Mode m = modes()[0];
  WriteOptions o = writer_for(m, t.schema);
  o.compression = {Compression::Uncompressed, std::nullopt};
  const FileMetadata a = write_table(t, path("a.parquet"), o);
  write_table(t, path("b.parquet"), o);
  const auto unique_a = FileReader::open(path("a.parquet"), reader_for(m)).metadata().encryption()->aad_file_unique;
  const auto unique_b = FileReader::open(path("b.parquet"), reader_for(m)).metadata().encryption()->aad_file_unique;
  ASSERT_TRUE(unique_a && unique_b);
  EXPECT_EQ(unique_a->size(), 8u);
  EXPECT_NE(*unique_a, *unique_b);
  // The column chunks lie at the same offsets with the same sizes in both files.
  const ColumnChunkMetadata chunk = a.row_group(0).column(0);
  std::string bytes_a, bytes_b;
  {
    std::ifstream fa(path("a.parquet"), std::ios::binary), fb(path("b.parquet"), std::ios::binary);
    bytes_a.assign(std::istreambuf_iterator<char>(fa), {});
    bytes_b.assign(std::istreambuf_iterator<char>(fb), {});
  }
  const auto start = static_cast<size_t>(chunk.file_offset_of_pages());
  const auto size = static_cast<size_t>(chunk.total_compressed_size());
  bytes_b.replace(start, size, bytes_a.substr(start, size));
  {
    std::ofstream out(path("b.parquet"), std::ios::binary | std::ios::trunc);
    out << bytes_b;
  }
  EXPECT_ERROR(read_table(path("b.parquet"), reader_for(m)), ErrorKind::Crypto, "authentication failed");
}

}  // namespace
}  // namespace parkett

namespace parkett {
namespace {

TEST_F(EncryptedWrite, APlaintextFooterRevealsNoStatisticsOfEncryptedColumns) {
  const Table t = numbers(1000);
  WriteOptions o = writer_for(modes()[3], t.schema);  // plaintext footer, "id" with key a
  o.statistics = StatisticsLevel::Page;
  write_table(t, path(), o);
  const FileReader no_keys = FileReader::open(path());
  const ColumnChunkMetadata id = no_keys.metadata().row_group(0).column(0);
  ASSERT_TRUE(id.encryption().has_value());
  EXPECT_FALSE(id.statistics().has_value());
  EXPECT_FALSE(id.encoding_stats().has_value());
  EXPECT_FALSE(id.size_statistics().has_value());
  // The plaintext column keeps its statistics; with the keys, the encrypted one has them too.
  EXPECT_TRUE(no_keys.metadata().row_group(0).column(1).statistics().has_value());
  const FileReader with_keys = FileReader::open(path(), reader_for(modes()[3]));
  EXPECT_TRUE(with_keys.metadata().row_group(0).column(0).statistics().has_value());
  // Its page index and bloom filter are encrypted: without keys they are refused.
  EXPECT_ERROR(no_keys.column_index(0, 0), ErrorKind::Crypto, "key metadata 'a'");
  EXPECT_ERROR(no_keys.bloom_filter(0, 0), ErrorKind::Crypto, "key metadata 'a'");
}

TEST_F(EncryptedWrite, AKeyGivenForAColumnTheFileStoresInTheClearIsRefused) {
  // Someone who can change a plaintext footer (read without its key) could declare an
  // encrypted column plaintext: a reader holding that column's key does not accept it.
  const Table t = numbers(100);
  WriteOptions o = writer_for(modes()[3], t.schema);
  write_table(t, path(), o);
  auto d = std::make_shared<DecryptionProperties>();
  d->column_keys = {{"name", kColumnKeyA}};  // "name" is plaintext in this file
  ReadOptions r;
  r.decryption = d;
  r.columns = {"name"};
  EXPECT_ERROR(read_table(path(), r), ErrorKind::Crypto, "stores it unencrypted");
}

}  // namespace
}  // namespace parkett
