// One field of one row group: the column chunks of its leaves (or, for a row selection, the
// pages of them holding selected rows), decoded and assembled into an Arrow array of the
// plan's type.
#pragma once

#include <cstdint>

#include "column/row_selection.h"
#include "file/page_index.h"
#include "file/read_plan.h"
#include "parkett/array.h"
#include "parkett/reader.h"

namespace parkett::file {

/// What reads did, summed over the fields and row groups of a scan.
struct ReadTally {
  int64_t pages_read = 0;     // data and dictionary pages decompressed
  int64_t pages_skipped = 0;  // data pages without a selected row, not decompressed
  int64_t bytes_read = 0;     // column chunk bytes fetched from storage
  void add(const ReadTally& o) {
    pages_read += o.pages_read;
    pages_skipped += o.pages_skipped;
    bytes_read += o.bytes_read;
  }
};

struct FieldRequest {
  int32_t row_group = 0;
  /// Only these rows (null: all): the array has their count of rows.
  const column::RowSelection* selection = nullptr;
  /// The row group's offset indexes (null or missing entries: pages found by their headers).
  const RowGroupPageIndex* page_index = nullptr;
};

/// Throws Error naming the file, row group and column on malformed data.
ArrayPtr read_field(const FileReader& reader, const ReadOptions& options, const ReadField& field,
                    const FieldRequest& request, ReadTally& tally);

}  // namespace parkett::file
