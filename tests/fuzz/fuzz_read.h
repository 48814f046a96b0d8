// What the whole-file fuzzer does with one input, shared with the regression test that
// replays kept inputs in the ordinary test suite.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "column/row_selection.h"
#include "convert/jsonl_writer.h"
#include "file/field_reader.h"
#include "file/page_index.h"
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
    // Encrypted inputs (the corpus's, seeded by scripts/fuzz) decrypt with the corpus's
    // keys; plaintext ones read as without them.
    auto keys = std::make_shared<DecryptionProperties>();
    keys->key_retriever = [](const std::string& id) -> std::string {
      if (id == "kf") return "0123456789012345";
      if (id == "kc1") return "1234567890123450";
      if (id == "kc2") return "1234567890123451";
      return {};
    };
    if (size % 5 == 0) keys->aad_prefix = "tester";
    keys->plaintext_files_allowed = true;
    options.decryption = keys;
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
          reader.offset_index(g, c);
          reader.column_index(g, c);
        } catch (const Error&) {
        }
      }
    }
    Table table = reader.read_table();
    std::string text = convert::to_canonical_jsonl(md.schema(), table);
    // Row selections over every field (every third row or so, by a hash of the row), with
    // pages found by their headers and by the offset index.
    const file::ReadPlan plan = file::make_read_plan(md, options, reader.name());
    std::vector<int32_t> leaves;
    for (int32_t c = 0; c < md.num_columns(); ++c) leaves.push_back(c);
    for (int32_t g = 0; g < md.num_row_groups(); ++g) {
      const int64_t rows = md.row_group(g).num_rows();
      if (rows > (int64_t{1} << 20)) continue;
      std::vector<uint8_t> keep(static_cast<size_t>(rows));
      for (int64_t r = 0; r < rows; ++r) keep[static_cast<size_t>(r)] = (static_cast<uint64_t>(r) * 2654435761u + size) % 3 == 0;
      const column::RowSelection selection = column::RowSelection::from_mask(keep);
      try {
        const file::RowGroupPageIndex index = file::read_page_index(reader, g, leaves, {});
        for (const file::ReadField& f : plan.fields) {
          file::ReadTally tally;
          file::read_field(reader, options, f, {g, &selection, nullptr}, tally);
          file::read_field(reader, options, f, {g, &selection, &index}, tally);
        }
      } catch (const Error&) {
      }
    }
    // A filtered scan: the first column compared with itself pruned by every index; and
    // streams of small batches from windows of a few bytes, with and without it, so that
    // decoders stop and resume anywhere.
    ScanOptions stream;
    stream.threads = 1;
    stream.batch_size = static_cast<int64_t>(size % 7) + 1;
    stream.stream_read_size = static_cast<int64_t>(size % 300) + 1;
    for (bool with_filter : {false, true}) {
      if (md.num_rows() > 100000 || (with_filter && table.schema.fields.empty())) break;
      if (with_filter) stream.filter = col(table.schema.fields[0].name).is_not_null();
      try {
        if (with_filter) reader.read_table(stream);
        RecordBatchReader batches = reader.batches(stream);
        for (RecordBatch b; batches.next(b);) {
        }
      } catch (const Error&) {
      }
    }
    return !text.empty();
  } catch (const Error&) {
    return false;
  }
}

}  // namespace parkett::fuzz
