// Encrypted files that were changed: every byte of a small encrypted file flipped in turn
// gives an error (a Crypto error naming the module when the byte lies in one) or, where no
// reader looks, the same data, never other values; valid modules moved elsewhere in the file
// fail to authenticate.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <map>
#include <set>

#include "arrays.h"
#include "expect_error.h"
#include "parkett/encryption.h"
#include "parkett/reader.h"
#include "parkett/writer.h"
#include "temp_dir.h"

namespace parkett {
namespace {

const std::string kFooterKey = "footer-key-16-by";
const std::string kKeyA = "column-key-a-is-24-bytes";
const std::string kKeyB = "column-key-b-16b";

Table sample() {
  std::vector<int64_t> ids;
  std::vector<std::optional<std::string>> names;
  for (int64_t i = 0; i < 300; ++i) {
    ids.push_back(i * 7);
    names.push_back(i % 5 == 0 ? std::nullopt : std::optional<std::string>("n" + std::to_string(i % 4)));
  }
  return test::table_of({test::field("id", DataType(DataType::Id::Int64), false), test::field("name", DataType(DataType::Id::String))},
                        {test::array_of(DataType(DataType::Id::Int64), ids), test::string_array(names)});
}

WriteOptions options(bool plaintext_footer) {
  auto p = std::make_shared<EncryptionProperties>();
  p->footer_key = kFooterKey;
  p->footer_key_metadata = "footer";
  p->column_keys["id"] = {kKeyA, "a"};
  p->column_keys["name"] = {kKeyB, "b"};
  p->plaintext_footer = plaintext_footer;
  WriteOptions o;
  o.encryption = p;
  o.compression = {Compression::Uncompressed, std::nullopt};
  o.row_group_rows = 150;
  o.max_rows_per_page = 50;
  o.bloom_filter = BloomFilterOptions{};
  o.column("id").dictionary = false;  // equal pages of PLAIN values (the swap test)
  return o;
}

ReadOptions keys() {
  auto d = std::make_shared<DecryptionProperties>();
  d->footer_key = kFooterKey;
  d->column_keys = {{"id", kKeyA}, {"name", kKeyB}};
  ReadOptions o;
  o.decryption = d;
  return o;
}

// Everything a reader can read of the file: the table, and each chunk's page index and
// bloom filter, rendered.
std::string read_everything(std::shared_ptr<const std::string> bytes) {
  FileReader r = FileReader::open_buffer(std::move(bytes), keys(), "tampered.parquet");
  std::string out = test::table_difference(Table{}, r.read_table());
  for (int32_t g = 0; g < r.metadata().num_row_groups(); ++g) {
    for (int32_t c = 0; c < r.metadata().num_columns(); ++c) {
      const auto offsets = r.offset_index(g, c);
      for (const auto& p : offsets->pages) out += " " + std::to_string(p.offset) + ":" + std::to_string(p.first_row_index);
      const auto index = r.column_index(g, c);
      for (bool n : index->null_pages) out += n ? "n" : "v";
      out += r.bloom_filter(g, c)->bitset();
    }
  }
  return out;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

class EncryptionTamper : public test::TempDirTest {};

TEST_F(EncryptionTamper, EveryFlippedByteIsAnErrorOrUnread) {
  for (bool plaintext_footer : {false, true}) {
    SCOPED_TRACE(plaintext_footer ? "plaintext footer" : "encrypted footer");
    write_table(sample(), path(), options(plaintext_footer));
    const std::string original = slurp(path());
    const std::string expected = read_everything(std::make_shared<const std::string>(original));
    std::map<std::string, int> modules;  // Crypto errors by the module they name
    int unread = 0, corrupt = 0;
    for (size_t at = 0; at < original.size(); ++at) {
      auto changed = std::make_shared<std::string>(original);
      (*changed)[at] = static_cast<char>((*changed)[at] ^ 0x10);
      try {
        const std::string got = read_everything(changed);
        ASSERT_EQ(got, expected) << "byte " << at << " changed the data without an error";
        ++unread;
      } catch (const Error& e) {
        const std::string what = e.what();
        if (e.kind() == ErrorKind::Corrupt || (plaintext_footer && e.kind() == ErrorKind::Unsupported)) {
          // A module's length, or plaintext Thrift (FileCryptoMetaData; a plaintext footer,
          // which is decoded before its signature can be checked: the signature's key is
          // named in it) that no longer decodes.
          ++corrupt;
          continue;
        }
        ASSERT_EQ(e.kind(), ErrorKind::Crypto) << "byte " << at << ": " << what;
        for (const char* m : {"signature", "footer", "data page header", "dictionary page header", "data page (",
                              "dictionary page:", "column index", "offset index", "bloom filter header",
                              "bloom filter bitset"}) {
          if (what.find(m) != std::string::npos) {
            ++modules[m];
            break;
          }
        }
        if (what.find("data page") != std::string::npos) {
          // Located: file, row group, column, the page's offset and ordinal.
          EXPECT_TRUE(e.context().row_group.has_value()) << what;
          EXPECT_FALSE(e.context().column.empty()) << what;
          EXPECT_TRUE(e.context().page_offset.has_value()) << what;
          EXPECT_NE(what.find("page ordinal"), std::string::npos) << what;
          EXPECT_NE(what.find("tampered.parquet"), std::string::npos) << what;
        }
      }
    }
    // (Column metadata modules lie inside the footer, which fails first; a wrong column key
    // shows their check: EncryptionCorpus.WrongOrMissingKeysAndPrefixesAreCryptoErrors.)
    std::set<std::string> wanted = {"data page header", "dictionary page header", "data page (",
                                    "dictionary page:", "column index", "offset index", "bloom filter header",
                                    "bloom filter bitset"};
    wanted.insert(plaintext_footer ? "signature" : "footer");
    for (const std::string& m : wanted) EXPECT_GT(modules[m], 0) << "no flipped byte was reported in the " << m;
    EXPECT_LT(unread, 16);  // the leading magic and little else goes unread
    EXPECT_GT(corrupt, 0);
  }
}

TEST_F(EncryptionTamper, ValidModulesMovedElsewhereFailToAuthenticate) {
  write_table(sample(), path(), options(false));
  const std::string bytes = slurp(path());
  FileReader r = FileReader::open_buffer(std::make_shared<const std::string>(bytes), keys(), "f");
  const auto pages = r.offset_index(0, 0)->pages;
  ASSERT_EQ(pages.size(), 3u);
  ASSERT_EQ(pages[0].compressed_page_size, pages[1].compressed_page_size);
  auto swapped = [&](int64_t a, int64_t b, int64_t size) {
    auto out = std::make_shared<std::string>(bytes);
    const std::string first = bytes.substr(static_cast<size_t>(a), static_cast<size_t>(size));
    out->replace(static_cast<size_t>(a), static_cast<size_t>(size), bytes.substr(static_cast<size_t>(b), static_cast<size_t>(size)));
    out->replace(static_cast<size_t>(b), static_cast<size_t>(size), first);
    return std::shared_ptr<const std::string>(out);
  };
  // Two pages of one chunk swapped: each sits at the other's ordinal.
  EXPECT_ERROR(FileReader::open_buffer(swapped(pages[0].offset, pages[1].offset, pages[0].compressed_page_size), keys(), "f")
                   .read_table(),
               ErrorKind::Crypto, "page ordinal 0");
  // The same column's chunks of two row groups swapped: each sits in the other row group.
  const auto other = r.offset_index(1, 0)->pages;
  const int64_t chunk = r.metadata().row_group(0).column(0).total_compressed_size();
  ASSERT_EQ(chunk, r.metadata().row_group(1).column(0).total_compressed_size());
  EXPECT_ERROR(FileReader::open_buffer(swapped(pages[0].offset, other[0].offset, chunk), keys(), "f").read_table(),
               ErrorKind::Crypto, "authentication failed");
  // A truncated file: the footer cannot be read.
  auto cut = std::make_shared<const std::string>(bytes.substr(0, bytes.size() - 20));
  EXPECT_ERROR(FileReader::open_buffer(cut, keys(), "f"), ErrorKind::Corrupt);
}

}  // namespace
}  // namespace parkett
