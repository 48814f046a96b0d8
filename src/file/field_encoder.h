// One top-level field of a row group, shredded (nested/) and each of its leaves encoded
// into a chunk (column/). The writer runs one per field as a task on any thread; what it
// shares with the others is read-only but the dictionary size hints (atomic) and its own
// column of the row group's batches.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <vector>

#include "column/calendar_rebase.h"
#include "column/chunk_writer.h"
#include "file/file_encryptor.h"
#include "parkett/array.h"
#include "parkett/schema.h"
#include "schema/field_plan.h"

namespace parkett::file {

struct FieldEncoder {
  const ParquetSchema& parquet;
  const std::vector<column::ChunkOptions>& leaf_options;  // per leaf column
  bool allow_truncated_timestamps;
  column::PageBufferPool& page_buffers;
  std::atomic<int64_t>* dictionary_sizes;  // per leaf: entries of its last dictionary (a sizing hint)
  const FileEncryptor* encryptor = nullptr;  // encrypted files: the leaves' keys
  int32_t row_group = 0;                     // the row group's ordinal (in encrypted modules' AADs)
  const std::map<int32_t, column::CalendarRule>* calendar_rules = nullptr;  // by leaf column: rebased or checked

  /// Encodes field `field` (planned as `plan`) of `batches` with this thread's `scratch`,
  /// storing each leaf's chunk at its column index in `chunks`. Lets go of the field's
  /// column in `batches` (nothing else of them is touched, so tasks of other fields may run
  /// at once). Throws Error naming the column for values it cannot hold.
  void encode(const schema::FieldPlan& plan, size_t field, std::vector<RecordBatch>& batches,
              column::ChunkScratch& scratch, std::vector<column::EncodedChunk>& chunks) const;
};

}  // namespace parkett::file
