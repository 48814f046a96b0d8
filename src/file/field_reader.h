// One field of one row group: the column chunks of its leaves (or, for a row selection, the
// pages of them holding selected rows), decoded and assembled into Arrow arrays of the
// plan's type, all rows at once (read_field) or a window of rows at a time (FieldStream).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "column/row_selection.h"
#include "file/byte_requests.h"
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

/// The leaves of a field in one row group, decoded a window of rows at a time. The decoders
/// name the bytes they need; a driver fetches them (file/byte_requests.h) and supplies them
/// (read() is the driver for one field alone). A leaf is given its chunk whole (the pages a
/// selection needs, where the offset index locates them) or about `window_bytes` of it at a
/// time as its pages are decoded: memory then holds a window and a page per leaf, not the
/// chunk.
class FieldStream {
 public:
  /// `page_index`: the row group's offset indexes (null: pages found by their headers);
  /// `window_bytes`: 0 fetches chunks whole.
  FieldStream(const FileReader& reader, const ReadOptions& options, const ReadField& field, int32_t row_group,
              const RowGroupPageIndex* page_index, int64_t window_bytes);
  ~FieldStream();
  FieldStream(FieldStream&&) noexcept;

  /// Decodes the rows before `end` (num_rows or more: to the end) that `selection` holds
  /// (null: every row), after those of the last window, as far as the bytes at hand go.
  /// True when every leaf has them (then take()); otherwise `needs` receives what the leaves
  /// wait for, tagged `stream`: supply it and call again with the same arguments. Throws
  /// Error naming the file, row group and column on malformed data.
  bool decode(int64_t end, const column::RowSelection* selection, ReadTally& tally, std::vector<ByteRequest>& needs,
              size_t stream = 0);
  /// The bytes of one of the requests decode() made.
  void supply(const ByteRequest& request, const FetchedBytes& bytes);
  /// After decode() returned true: the window's rows as one array.
  ArrayPtr take();
  /// The field's name, for errors.
  const std::string& name() const { return field_->plan.field.name; }
  /// decode(), fetching from the file (or what `ahead` read) until done, then take().
  ArrayPtr read(int64_t end, const column::RowSelection* selection, ReadTally& tally, const Prefetch* ahead = nullptr);

 private:
  struct Leaf;
  ByteRequest request_for(Leaf& leaf, size_t index, int64_t offset, int64_t size);

  const FileReader* reader_;
  const ReadField* field_;
  int32_t row_group_;
  int64_t num_rows_;
  int64_t window_bytes_;
  CoalesceOptions coalesce_;
  int64_t next_row_ = 0;  // the first row of the window
  int64_t end_ = 0;       // the window decode() works on
  const column::RowSelection* selection_ = nullptr;
  std::vector<std::unique_ptr<Leaf>> leaves_;
};

struct FieldRequest {
  int32_t row_group = 0;
  /// Only these rows (null: all): the array has their count of rows.
  const column::RowSelection* selection = nullptr;
  /// The row group's offset indexes (null or missing entries: pages found by their headers).
  const RowGroupPageIndex* page_index = nullptr;
  /// Chunks read ahead (file/prefetch.h), or null.
  const Prefetch* ahead = nullptr;
};

/// The bytes of a column chunk in the file: from its first page for its compressed size
/// (with parquet-mr's missing dictionary header allowed for). Throws Error(Corrupt) when
/// they lie outside the file.
ByteRange chunk_range(const FileReader& reader, const RowGroupMetadata& row_group, int32_t column);

/// Every row of the request at once, each chunk fetched whole. Throws Error naming the
/// file, row group and column on malformed data.
ArrayPtr read_field(const FileReader& reader, const ReadOptions& options, const ReadField& field,
                    const FieldRequest& request, ReadTally& tally);

}  // namespace parkett::file
