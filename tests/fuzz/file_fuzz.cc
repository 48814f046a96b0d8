// libFuzzer target: the input is a whole Parquet file. Opening and reading every column
// must either work or raise parkett::Error.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "parkett/error.h"
#include "parkett/reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    auto bytes = std::make_shared<const std::string>(reinterpret_cast<const char*>(data), size);
    parkett::ReadOptions options;
    options.verify_crc = size % 2 == 0;  // both paths
    options.max_page_size = 16 << 20;    // legit huge pages would exceed the fuzzer's memory
    parkett::FileReader::open_buffer(bytes, options, "fuzz.parquet").read_table();
  } catch (const parkett::Error&) {
  }
  return 0;
}
