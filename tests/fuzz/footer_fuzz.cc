// libFuzzer target: the input is a serialized FileMetaData (a footer without trailer).
// Every input must either decode or raise parkett::Error; all metadata is then walked.
#include <cstddef>
#include <cstdint>
#include <string>

#include "parkett/error.h"
#include "parkett/metadata.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  for (bool lazy : {true, false}) {
    try {
      parkett::FooterOptions opts;
      opts.lazy = lazy;
      auto md = parkett::FileMetadata::parse(std::string(reinterpret_cast<const char*>(data), size), opts);
      md.schema().to_string();
      md.schema().to_arrow();
      for (int32_t g = 0; g < md.num_row_groups(); ++g) {
        auto rg = md.row_group(g);
        rg.sorting_columns();
        for (int32_t c = 0; c < rg.num_columns(); ++c) {
          auto col = rg.column(c);
          if (col.metadata_encrypted()) continue;
          col.encodings();
          if (auto s = col.statistics()) {
            s->min_json();
            s->max_json();
          }
        }
      }
    } catch (const parkett::Error&) {
    }
  }
  return 0;
}
