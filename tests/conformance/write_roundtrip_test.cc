// Every corpus file parkett reads is written back with several writer configurations and
// read again: the canonical rendering (CANONICAL.md) of what comes back must equal that of
// the original, row for row. This covers every type, nesting and null pattern the corpus has.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <unistd.h>

#include "convert/jsonl_writer.h"
#include "corpus.h"
#include "parkett/error.h"
#include "parkett/reader.h"
#include "parkett/writer.h"

namespace fs = std::filesystem;

namespace parkett {
namespace {

struct Config {
  std::string name;
  WriteOptions options;
};

std::vector<Config> configs() {
  std::vector<Config> out;
  out.push_back({"default", {}});
  WriteOptions v2;
  v2.data_page_version = 2;
  v2.compression = {Compression::Zstd, 5};
  v2.dictionary = false;
  out.push_back({"v2-zstd-plain", v2});
  WriteOptions small;
  small.compression = {Compression::Uncompressed, std::nullopt};
  small.data_page_size = 64;
  small.max_rows_per_page = 7;
  small.row_group_rows = 50;
  small.max_dictionary_keys = 3;
  small.page_crc = true;
  out.push_back({"small-pages-dictionary-fallback", small});
  WriteOptions delta;
  delta.dictionary = false;
  delta.encoding = Encoding::DeltaBinaryPacked;
  delta.compression = {Compression::Gzip, std::nullopt};
  delta.data_page_size = 512;
  out.push_back({"delta-integers-gzip", delta});
  WriteOptions dba;
  dba.dictionary = false;
  dba.encoding = Encoding::DeltaByteArray;
  dba.data_page_version = 2;
  dba.compression = {Compression::Lz4Raw, std::nullopt};
  out.push_back({"delta-byte-array-lz4", dba});
  WriteOptions bss;
  bss.dictionary = false;
  bss.encoding = Encoding::ByteStreamSplit;
  bss.compression = {Compression::Brotli, std::nullopt};
  out.push_back({"byte-stream-split-brotli", bss});
  return out;
}

std::string temp_path(const std::string& name) {
  return (fs::temp_directory_path() / ("parkett-rt-" + std::to_string(::getpid()) + "-" + name + ".parquet")).string();
}

// What may legitimately differ in a rewrite, made equal: list elements are written under the
// standard name "element" (the Arrow schema that would keep "item" is not stored yet), and
// INT96 timestamps come back as INT64 nanoseconds, which CANONICAL.md prints with nine
// digits where INT96 gets six.
std::string normalized(std::string jsonl, bool had_int96) {
  const size_t eol = jsonl.find('\n');
  std::string head = std::regex_replace(jsonl.substr(0, eol), std::regex("list<[^:<>]+:"), "list<element:");
  std::string rows = eol == std::string::npos ? "" : jsonl.substr(eol);
  if (had_int96) rows = std::regex_replace(rows, std::regex("(T[0-9:]{8}\\.[0-9]{6})[0-9]{3}\""), "$1\"");
  return head + rows;
}

TEST(WriteRoundTrip, EveryReadableCorpusFileReadsBackAsWritten) {
  int files = 0;
  for (const auto& rel : test::corpus_parquet_files()) {
    if (!rel.starts_with("data/") && !rel.starts_with("shredded_variant/")) continue;
    const std::string path = test::corpus_dir() + "/" + rel;
    Table original;
    ParquetSchema original_schema;
    try {
      FileReader r = FileReader::open(path);
      int64_t decoded = 0;
      for (int32_t g = 0; g < r.metadata().num_row_groups(); ++g) decoded += r.metadata().row_group(g).total_byte_size();
      if (decoded > (64 << 20)) continue;  // large_string_map and the like: minutes of rendering
      original = r.read_table();
      original_schema = r.metadata().schema();
    } catch (const Error&) {
      continue;  // encrypted or deliberately unreadable: the reader's tests cover these
    }
    bool had_int96 = false;
    for (const auto& c : original_schema.columns()) had_int96 |= c.physical_type == PhysicalType::Int96;
    std::string expected;
    try {
      expected = normalized(convert::to_canonical_jsonl(original_schema, original), false);
    } catch (const std::exception& e) {
      ADD_FAILURE() << rel << ": " << e.what();
      continue;
    }
    ++files;
    for (const Config& c : configs()) {
      SCOPED_TRACE(rel + " with " + c.name);
      const std::string out = temp_path(c.name);
      try {
        write_table(original, out, c.options);
        FileReader back = FileReader::open(out);
        Table t = back.read_table();
        const std::string got = normalized(convert::to_canonical_jsonl(back.metadata().schema(), t), had_int96);
        EXPECT_EQ(got.substr(0, got.find('\n')), expected.substr(0, expected.find('\n')));
        if (got != expected) {
          size_t at = 0;
          while (at < got.size() && at < expected.size() && got[at] == expected[at]) ++at;
          const size_t line = expected.rfind('\n', at) == std::string::npos ? 0 : expected.rfind('\n', at) + 1;
          ADD_FAILURE() << "first difference in the line\n  expected " << expected.substr(line, expected.find('\n', line) - line)
                        << "\n  got      " << got.substr(line, got.find('\n', line) - line);
        }
      } catch (const Error& e) {
        ADD_FAILURE() << e.what();
      }
      fs::remove(out);
    }
  }
  EXPECT_GT(files, 50);
}

}  // namespace
}  // namespace parkett
