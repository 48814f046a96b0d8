// The footer of every file in the conformance corpus: opens (or fails as documented),
// re-serialises byte for byte, and reads the same lazily and eagerly.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>

#include "corpus.h"
#include "format/serde.h"
#include "parkett/error.h"
#include "parkett/reader.h"

namespace parkett {
namespace {

using test::corpus_dir;

bool encrypted_footer(const std::string& rel) {
  // Encrypted files whose footer is encrypted too (plaintext-footer ones are listed apart).
  static const std::set<std::string> kPlaintextFooter = {
      "data/encrypt_columns_plaintext_footer.parquet.encrypted",
      "data/aes256/encrypt_columns_plaintext_footer.parquet.encrypted"};
  return rel.ends_with(".encrypted") && !kPlaintextFooter.count(rel);
}

// Every accessor of the metadata, rendered; lazy and eager must agree on all of it.
std::string describe(const FileMetadata& md) {
  std::string out = std::to_string(md.version()) + "|" + std::to_string(md.num_rows()) + "|" +
                    md.created_by().value_or("-") + "|" + md.schema().to_string() + "|" +
                    md.schema().to_arrow().to_string();
  for (const auto& [k, v] : md.key_value_metadata()) out += k + "=" + v.value_or("(null)") + ";";
  for (int32_t r = 0; r < md.num_row_groups(); ++r) {
    RowGroupMetadata rg = md.row_group(r);
    out += "\nrg " + std::to_string(rg.num_rows()) + " " + std::to_string(rg.total_byte_size());
    for (int32_t c = 0; c < rg.num_columns(); ++c) {
      ColumnChunkMetadata col = rg.column(c);
      out += "\n " + col.path_in_schema() + " " + to_string(col.physical_type());
      if (col.metadata_encrypted()) continue;
      out += " " + to_string(col.compression()) + " " + std::to_string(col.num_values()) + " " +
             std::to_string(col.total_compressed_size()) + " " +
             std::to_string(col.data_page_offset()) + " " +
             std::to_string(col.dictionary_page_offset().value_or(-1));
      for (auto e : col.encodings()) out += " " + to_string(e);
      if (auto s = col.statistics()) {
        out += " stats " + s->min_json() + " " + s->max_json() + " " +
               std::to_string(s->null_count().value_or(-1));
      }
    }
  }
  return out;
}

TEST(FooterConformance, EveryCorpusFooterOpensRoundTripsAndIsLazyEqualsEager) {
  int opened = 0, byte_identical = 0;
  for (const auto& rel : test::corpus_parquet_files()) {
    SCOPED_TRACE(rel);
    const std::string path = corpus_dir() + "/" + rel;
    if (encrypted_footer(rel)) {
      try {
        FileReader::open(path);
        ADD_FAILURE() << "an encrypted footer opened without keys";
      } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Crypto);
        EXPECT_NE(std::string(e.what()).find("encrypted footer: keys required"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find(rel), std::string::npos) << "error names the file";
      }
      continue;
    }
    if (rel.starts_with("bad_data/")) continue;  // bad_footer_test.cc covers these
    ReadOptions lazy_opts;
    ReadOptions eager_opts;
    eager_opts.footer.lazy = false;
    FileReader lazy = FileReader::open(path, lazy_opts);
    FileReader eager = FileReader::open(path, eager_opts);
    ++opened;
    EXPECT_EQ(lazy.metadata().decoded_column_chunks(), 0);
    EXPECT_EQ(describe(lazy.metadata()), describe(eager.metadata()));

    // Byte-identical re-serialisation of what was parsed.
    std::string footer = lazy.metadata().serialized();
    format::FileMetaData md;
    auto info = format::deserialize(reinterpret_cast<const uint8_t*>(footer.data()),
                                    footer.size(), md);
    if (md.encryption_algorithm) {
      // Plaintext-footer encryption signs the footer: a 12-byte nonce and 16-byte GCM tag
      // follow the FileMetaData (Encryption.md, "Plaintext footer mode").
      EXPECT_EQ(footer.size() - info.bytes_read, 28u);
      footer.resize(info.bytes_read);
    }
    EXPECT_EQ(info.bytes_read, footer.size());
    std::string again;
    format::serialize(md, again);
    if (info.unknown_fields == 0) {
      EXPECT_EQ(again.size(), footer.size());
      EXPECT_TRUE(again == footer) << "re-serialised footer differs";
      byte_identical += again == footer;
    } else {
      // Unknown fields are dropped; what remains must parse to the same structs.
      format::FileMetaData md2;
      format::deserialize(reinterpret_cast<const uint8_t*>(again.data()), again.size(), md2);
      EXPECT_TRUE(md2 == md);
    }
  }
  EXPECT_GT(opened, 100);
  EXPECT_GT(byte_identical, 100);
}

// The one-pass chunk summary and the generic decoder must agree on every corpus chunk.
TEST(FooterConformance, ChunkSummaryAgreesWithFullDecode) {
  int chunks = 0;
  for (const auto& rel : test::corpus_parquet_files()) {
    if (encrypted_footer(rel) || rel.starts_with("bad_data/")) continue;
    SCOPED_TRACE(rel);
    FileReader r = FileReader::open(corpus_dir() + "/" + rel);
    const std::string& footer = r.metadata().serialized();
    const auto* data = reinterpret_cast<const uint8_t*>(footer.data());
    format::FileMetaData full;
    format::FooterSummary summary;
    format::deserialize(data, footer.size(), full);
    format::deserialize(data, footer.size(), summary);
    ASSERT_EQ(full.row_groups.size(), summary.row_groups.size());
    for (size_t g = 0; g < full.row_groups.size(); ++g) {
      for (size_t c = 0; c < full.row_groups[g].columns.size(); ++c) {
        const format::ColumnChunk& f = full.row_groups[g].columns[c];
        const format::ChunkSummary& s = summary.row_groups[g].columns[c];
        using CS = format::ChunkSummary;
        ++chunks;
        EXPECT_EQ(s.file_offset, f.file_offset);
        EXPECT_EQ(s.has(CS::kHasFilePath), f.file_path.has_value());
        EXPECT_EQ(s.has(CS::kHasCryptoMetaData), f.crypto_metadata.has_value());
        EXPECT_EQ(s.has(CS::kHasOffsetIndexOffset), f.offset_index_offset.has_value());
        if (f.offset_index_offset) {
          EXPECT_EQ(s.offset_index_offset, *f.offset_index_offset);
        }
        if (f.column_index_length) {
          EXPECT_EQ(s.column_index_length, *f.column_index_length);
        }
        ASSERT_EQ(s.has(CS::kHasMetaData), f.meta_data.has_value());
        if (!f.meta_data) continue;
        const format::ColumnMetaData& m = *f.meta_data;
        EXPECT_EQ(s.type, m.type);
        EXPECT_EQ(s.codec, m.codec);
        EXPECT_EQ(s.num_values, m.num_values);
        EXPECT_EQ(s.total_compressed_size, m.total_compressed_size);
        EXPECT_EQ(s.total_uncompressed_size, m.total_uncompressed_size);
        EXPECT_EQ(s.data_page_offset, m.data_page_offset);
        EXPECT_EQ(s.has(CS::kHasDictionaryPageOffset), m.dictionary_page_offset.has_value());
        EXPECT_EQ(s.has(CS::kHasEncodingStats), m.encoding_stats.has_value());
        EXPECT_EQ(s.has(CS::kHasKeyValueMetadata), m.key_value_metadata.has_value());
        EXPECT_EQ(s.has(CS::kHasSizeStatistics), m.size_statistics.has_value());
        EXPECT_EQ(s.has(CS::kHasBloomFilterOffset), m.bloom_filter_offset.has_value());
        ASSERT_EQ(s.num_encodings, m.encodings.size());
        for (size_t e = 0; e < m.encodings.size(); ++e) {
          EXPECT_EQ(s.encodings[e], static_cast<int>(m.encodings[e]));
        }
        uint64_t h = format::path_hash_begin();
        for (const auto& p : m.path_in_schema) h = format::path_hash_add(h, p);
        EXPECT_EQ(s.path_hash, h);
        ASSERT_EQ(s.has(CS::kHasStatistics), m.statistics.has_value());
        if (!m.statistics) continue;
        const format::Statistics& fs = *m.statistics;
        const format::StatisticsSummary& ss = s.statistics;
        using SS = format::StatisticsSummary;
        auto view = [&](format::ByteView v) { return std::string(v.in(footer.data())); };
        EXPECT_EQ(ss.has(SS::kMinValue), fs.min_value.has_value());
        if (fs.min_value) {
          EXPECT_EQ(view(ss.min_value), *fs.min_value);
        }
        if (fs.max_value) {
          EXPECT_EQ(view(ss.max_value), *fs.max_value);
        }
        if (fs.min) {
          EXPECT_EQ(view(ss.min), *fs.min);
        }
        if (fs.max) {
          EXPECT_EQ(view(ss.max), *fs.max);
        }
        EXPECT_EQ(ss.has(SS::kNullCount), fs.null_count.has_value());
        if (fs.null_count) {
          EXPECT_EQ(ss.null_count, *fs.null_count);
        }
        if (fs.distinct_count) {
          EXPECT_EQ(ss.distinct_count, *fs.distinct_count);
        }
        if (fs.is_max_value_exact) {
          EXPECT_EQ(ss.is_max_value_exact, *fs.is_max_value_exact);
        }
      }
    }
  }
  EXPECT_GT(chunks, 1000);
}

TEST(FooterConformance, FactsOfAlltypesPlain) {
  FileReader r = FileReader::open(test::data_file("alltypes_plain.parquet"));
  const FileMetadata& md = r.metadata();
  EXPECT_EQ(md.num_rows(), 8);
  EXPECT_EQ(md.num_row_groups(), 1);
  EXPECT_EQ(md.num_columns(), 11);
  EXPECT_EQ(md.created_by().value(),
            "impala version 1.3.0-INTERNAL (build 8a48ddb1eff84592b3fc06bc6f51ec120e1fffc9)");
  EXPECT_EQ(md.format_version(), "1.0");
  const ParquetSchema& s = md.schema();
  EXPECT_EQ(s.column(0).dotted_path, "id");
  EXPECT_EQ(s.column(10).physical_type, PhysicalType::Int96);
  EXPECT_EQ(s.node(s.column(0).node).repetition, Repetition::Optional);
  ColumnChunkMetadata id = md.row_group(0).column(0);
  EXPECT_EQ(id.compression(), Compression::Uncompressed);
  EXPECT_EQ(id.num_values(), 8);
  EXPECT_EQ(id.dictionary_page_offset().value(), 4);
  EXPECT_EQ(id.data_page_offset(), 49);
  EXPECT_EQ(id.encodings(), (std::vector<Encoding>{Encoding::Rle, Encoding::PlainDictionary,
                                                   Encoding::Plain}));
  EXPECT_EQ(s.to_arrow().fields[10].type.to_string(), "timestamp[ns]");

  FileReader snappy = FileReader::open(test::data_file("alltypes_plain.snappy.parquet"));
  EXPECT_EQ(snappy.metadata().row_group(0).column(0).compression(), Compression::Snappy);
  EXPECT_EQ(snappy.metadata().num_rows(), 2);
}

TEST(FooterConformance, StatisticsDecodedByLogicalType) {
  // int32_decimal.parquet: DECIMAL(4,2) values 1.00 .. 24.00 (see the expected JSONL).
  FileReader dec = FileReader::open(test::data_file("int32_decimal.parquet"));
  auto stats = dec.metadata().row_group(0).column(0).statistics().value();
  ASSERT_TRUE(stats.has_min_max());
  EXPECT_EQ(stats.min_json(), "\"1.00\"");
  EXPECT_EQ(stats.max_json(), "\"24.00\"");
  EXPECT_EQ(std::get<int32_t>(stats.min()), 100);
  EXPECT_EQ(stats.null_count().value(), 0);

  // Truncated binary statistics: exact flags say the bounds are not values of the column.
  FileReader trunc = FileReader::open(test::data_file("binary_truncated_min_max.parquet"));
  auto ts = trunc.metadata().row_group(0).column(0).statistics().value();
  EXPECT_EQ(ts.is_min_value_exact(), false);
  EXPECT_EQ(ts.is_max_value_exact(), false);
  EXPECT_EQ(ts.min_json(), "\"Al\"");
  EXPECT_EQ(ts.max_json(), "\"Kf\"");

  FileReader strings = FileReader::open(test::data_file("data_index_bloom_encoding_stats.parquet"));
  const FileMetadata& md = strings.metadata();
  auto col = md.row_group(0).column(0);
  EXPECT_EQ(col.compression(), Compression::Gzip);
  EXPECT_EQ(md.num_rows(), 14);
  auto s = col.statistics().value();
  EXPECT_EQ(s.min_json(), "\"Hello\"");
  EXPECT_EQ(s.max_json(), "\"today\"");
  ASSERT_EQ(md.key_value_metadata().size(), 2u);
  EXPECT_EQ(md.key_value_metadata()[1].first, "writer.model.name");
  EXPECT_EQ(md.key_value_metadata()[1].second.value(), "avro");
}

TEST(FooterConformance, DeprecatedStatisticsOfStringsAreNotTrusted) {
  // Files from writers that predate column_orders store signed-order min/max only; for a
  // string column they may be wrong, so has_min_max() must be false unless min == max.
  int checked = 0;
  for (const auto& rel : test::corpus_parquet_files()) {
    if (encrypted_footer(rel)) continue;
    FileReader r = FileReader::open(corpus_dir() + "/" + rel);
    const FileMetadata& md = r.metadata();
    if (md.has_column_orders()) continue;
    for (int32_t g = 0; g < md.num_row_groups(); ++g) {
      for (int32_t c = 0; c < md.num_columns(); ++c) {
        auto col = md.row_group(g).column(c);
        if (col.metadata_encrypted() || col.physical_type() != PhysicalType::ByteArray) continue;
        auto s = col.statistics();
        if (!s || !s->has_min_max()) continue;
        if (s->from_deprecated_fields()) {
          EXPECT_EQ(s->encoded_min(), s->encoded_max()) << rel;
          ++checked;
        }
      }
    }
  }
  SUCCEED() << checked;
}

TEST(FooterConformance, PlaintextFooterEncryptedFileShowsMetadata) {
  FileReader r = FileReader::open(test::data_file("encrypt_columns_plaintext_footer.parquet.encrypted"));
  const FileMetadata& md = r.metadata();
  ASSERT_TRUE(md.encryption().has_value());
  EXPECT_EQ(md.encryption()->algorithm, FileEncryption::Algorithm::AesGcmV1);
  EXPECT_GT(md.num_rows(), 0);
  int encrypted_columns = 0;
  for (int32_t c = 0; c < md.num_columns(); ++c) {
    auto col = md.row_group(0).column(c);
    if (auto e = col.encryption()) {
      ++encrypted_columns;
      if (col.metadata_encrypted()) {
        try {
          col.num_values();
          ADD_FAILURE() << "encrypted column metadata read without keys";
        } catch (const Error& err) {
          EXPECT_EQ(err.kind(), ErrorKind::Crypto);
        }
      }
    }
  }
  EXPECT_GT(encrypted_columns, 0);
}

TEST(FooterConformance, LazyFooterDecodesOnlyWhatIsAsked) {
  FileReader r = FileReader::open(test::data_file("alltypes_plain.parquet"));
  const FileMetadata& md = r.metadata();
  EXPECT_EQ(md.decoded_column_chunks(), 0);
  md.row_group(0).column(3).num_values();
  md.row_group(0).column(3).statistics();
  EXPECT_EQ(md.decoded_column_chunks(), 1);
  md.row_group(0).column(7);
  EXPECT_EQ(md.decoded_column_chunks(), 2);
}

}  // namespace
}  // namespace parkett
