// Every corpus file that has an expected canonical dump (shared/parquet-testing-expected,
// written by DuckDB and cross-checked by the other peers) is read and compared row by row.
// Files parkett cannot read yet are listed with the reason; one that starts to read fails
// the test until it is taken off the list.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "convert/jsonl_writer.h"
#include "corpus.h"
#include "parkett/error.h"
#include "parkett/reader.h"

namespace fs = std::filesystem;

namespace parkett {
namespace {

const std::map<std::string, std::string>& not_yet_readable() {
  static const std::map<std::string, std::string> kList = {
  };
  return kList;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) out.push_back(line);
  return out;
}

std::vector<std::string> column_names(const std::string& schema_line) {
  std::vector<std::string> out;
  for (const auto& c : nlohmann::json::parse(schema_line)["columns"]) out.push_back(c["name"]);
  return out;
}

TEST(DataConformance, EveryExpectedDumpMatches) {
  std::map<std::string, std::string> sources;  // basename -> path
  for (const auto& rel : test::corpus_parquet_files()) {
    sources[fs::path(rel).filename().string()] = test::corpus_dir() + "/" + rel;
  }
  int matched = 0, listed = 0, files = 0;
  for (const auto& e : fs::directory_iterator(PARKETT_TESTING_EXPECTED_DIR)) {
    const std::string name = e.path().filename().string();
    if (!name.ends_with(".jsonl")) continue;
    const std::string file = name.substr(0, name.size() - 6);
    ++files;
    SCOPED_TRACE(file);
    ASSERT_TRUE(sources.count(file)) << "expected dump without a corpus file";
    const auto known = not_yet_readable().find(file);
    std::string ours;
    try {
      ReadOptions options;
      options.int96_unit = TimeUnit::Micro;  // CANONICAL.md prints INT96 in microseconds
      FileReader reader = FileReader::open(sources[file], options);
      ours = convert::to_canonical_jsonl(reader.metadata().schema(), reader.read_table());
    } catch (const Error& err) {
      if (known != not_yet_readable().end()) {
        EXPECT_EQ(err.kind(), ErrorKind::Unsupported) << err.what();
        ++listed;
        continue;
      }
      ADD_FAILURE() << err.what();
      continue;
    }
    const auto expected = lines_of(test::read_file(e.path().string()));
    const auto got = lines_of(ours);
    ASSERT_FALSE(expected.empty());
    EXPECT_EQ(column_names(got[0]), column_names(expected[0]));
    EXPECT_EQ(got.size(), expected.size());
    size_t diffs = 0;
    for (size_t i = 1; i < std::min(got.size(), expected.size()) && diffs < 3; ++i) {
      if (got[i] != expected[i]) {
        ++diffs;
        ADD_FAILURE() << "row " << i - 1 << "\n  ours:     " << got[i] << "\n  expected: " << expected[i];
      }
    }
    if (known != not_yet_readable().end()) {
      ADD_FAILURE() << "now readable: take it off the not-yet-readable list (" << known->second << ")";
    }
    matched += diffs == 0 && got.size() == expected.size();
  }
  EXPECT_GT(files, 60);
  EXPECT_EQ(listed, static_cast<int>(not_yet_readable().size()));
  EXPECT_EQ(matched + listed, files) << matched << " of " << files << " dumps match";
}

}  // namespace
}  // namespace parkett
