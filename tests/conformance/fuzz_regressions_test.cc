// Inputs the fuzzers found crashes, hangs or sanitizer reports with (tests/fuzz/regressions),
// replayed through what the whole-file fuzzer does: each must now read or raise parkett::Error.
#include <gtest/gtest.h>

#include <filesystem>

#include "corpus.h"
#include "fuzz/fuzz_read.h"

namespace fs = std::filesystem;

namespace {

TEST(FuzzRegressions, KeptInputsReadOrFailCleanly) {
  const fs::path dir = fs::path(PARKETT_SOURCE_DIR) / "tests" / "fuzz" / "regressions";
  int replayed = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (!e.is_regular_file() || e.path().filename() == "README.md") continue;
    SCOPED_TRACE(e.path().filename().string());
    const std::string bytes = parkett::test::read_file(e.path().string());
    parkett::fuzz::read_everything(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
    ++replayed;
  }
  EXPECT_GT(replayed, 0);
}

}  // namespace
