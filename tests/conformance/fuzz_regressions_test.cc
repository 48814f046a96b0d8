// Inputs the fuzzers found crashes, hangs or sanitizer reports with
// (tests/fuzz/regressions/TARGET/), replayed through what each fuzzer checks: files and
// footers must read or raise parkett::Error; filter texts that parse must print as text that
// parses to the same expression.
#include <gtest/gtest.h>

#include <filesystem>

#include "corpus.h"
#include "fuzz/fuzz_read.h"
#include "parkett/expression.h"
#include "parkett/metadata.h"

namespace fs = std::filesystem;

namespace {

// The inputs kept for one fuzz target.
std::vector<fs::path> kept(const std::string& target) {
  const fs::path dir = fs::path(PARKETT_SOURCE_DIR) / "tests" / "fuzz" / "regressions" / target;
  std::vector<fs::path> out;
  if (!fs::is_directory(dir)) return out;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.is_regular_file()) out.push_back(e.path());
  }
  return out;
}

TEST(FuzzRegressions, KeptFilesAndFootersReadOrFailCleanly) {
  for (const fs::path& p : kept("file")) {
    SCOPED_TRACE(p.filename().string());
    const std::string bytes = parkett::test::read_file(p.string());
    parkett::fuzz::read_everything(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  }
  for (const fs::path& p : kept("footer")) {
    SCOPED_TRACE(p.filename().string());
    try {
      parkett::FileMetadata::parse(parkett::test::read_file(p.string()), {}).schema().to_arrow();
    } catch (const parkett::Error&) {
    }
  }
}

TEST(FuzzRegressions, KeptFiltersPrintAsTextThatParsesBack) {
  const std::vector<fs::path> filters = kept("filter");
  EXPECT_GT(filters.size(), 0u);
  for (const fs::path& p : filters) {
    SCOPED_TRACE(p.filename().string());
    std::string printed;
    try {
      printed = parkett::Expression::parse(parkett::test::read_file(p.string())).to_string();
    } catch (const parkett::Error&) {
      continue;
    }
    EXPECT_EQ(parkett::Expression::parse(printed).to_string(), printed);
  }
}

}  // namespace
