// libFuzzer target: the input is a whole Parquet file. Opening it, reading every column,
// walking its metadata and printing its rows as canonical JSON Lines must either work or
// raise parkett::Error (tests/conformance/fuzz_regressions_test.cc replays the kept inputs
// through the same function).
#include <cstddef>
#include <cstdint>

#include "fuzz_read.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  parkett::fuzz::read_everything(data, size);
  return 0;
}
