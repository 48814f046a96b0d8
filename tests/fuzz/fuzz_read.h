// What the whole-file fuzzer does with one input, shared with the regression test that
// replays kept inputs in the ordinary test suite.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "convert/jsonl_writer.h"
#include "parkett/error.h"
#include "parkett/reader.h"

namespace parkett::fuzz {

/// Opens, reads, walks the metadata of and prints `data` as a Parquet file. Returns false
/// when it raised parkett::Error (anything else escapes: the fuzzer reports it).
inline bool read_everything(const uint8_t* data, size_t size) {
  try {
    auto bytes = std::make_shared<const std::string>(reinterpret_cast<const char*>(data), size);
    ReadOptions options;
    options.verify_crc = size % 2 == 0;  // both paths
    options.max_page_size = 16 << 20;    // legit huge pages would exceed the fuzzer's memory
    options.threads = 1;
    options.int96_unit = size % 3 == 0 ? TimeUnit::Micro : TimeUnit::Nano;
    FileReader reader = FileReader::open_buffer(bytes, options, "fuzz.parquet");
    const FileMetadata& md = reader.metadata();
    md.schema().to_string();
    for (int32_t g = 0; g < md.num_row_groups(); ++g) {
      for (int32_t c = 0; c < md.num_columns(); ++c) {
        try {
          ColumnChunkMetadata chunk = md.row_group(g).column(c);
          if (auto s = chunk.statistics(); s && s->has_min_max()) {
            s->min_json();
            s->max_json();
          }
          chunk.encoding_stats();
          reader.bloom_filter(g, c);
        } catch (const Error&) {
        }
      }
    }
    Table table = reader.read_table();
    std::string text = convert::to_canonical_jsonl(md.schema(), table);
    return !text.empty();
  } catch (const Error&) {
    return false;
  }
}

}  // namespace parkett::fuzz
