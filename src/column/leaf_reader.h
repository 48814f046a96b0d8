// Decoding one column chunk into levels and dense values (see README.md).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "column/row_selection.h"
#include "encoding/plain.h"
#include "format/parquet_types.h"
#include "page/page_reader.h"
#include "parkett/schema.h"

namespace parkett::column {

struct LeafColumn {
  std::vector<int16_t> def_levels;  // empty when the column's max definition level is 0
                                    // or the levels went to `validity`
  std::vector<int16_t> rep_levels;  // empty when its max repetition level is 0
  encoding::ValueBuffer values;     // non-null values only
  int64_t num_levels = 0;           // level entries (values + nulls + empty lists)
  // With ChunkInfo::keep_dictionary: the dictionary (extended by the values of any
  // non-dictionary pages) and one int32 index per non-null value, instead of `values`.
  bool dictionary_encoded = false;
  encoding::ValueBuffer dictionary;
  table::GrowableBuffer indices;
  // With ChunkInfo::levels_as_validity: the definition levels as an Arrow validity bitmap
  // (one bit per level entry, set where the value is present) and the count of unset bits.
  bool has_validity = false;
  table::GrowableBuffer validity;
  int64_t null_count = 0;
  // Data pages passed over without being decompressed (a row selection excluded them), and
  // data and dictionary pages decompressed.
  int64_t pages_skipped = 0;
  int64_t pages_decompressed = 0;
};

struct ChunkInfo {
  const ColumnDescriptor* column = nullptr;
  int32_t type_length = 0;  // FIXED_LEN_BYTE_ARRAY width
  Compression codec = Compression::Uncompressed;
  int64_t num_values = 0;   // from the chunk metadata
  int64_t uncompressed_size = 0;  // from the chunk metadata: a hint to size BYTE_ARRAY data
  int64_t file_offset = 0;  // where the chunk starts in the file
  int64_t size = 0;         // its bytes
  bool keep_dictionary = false;  // BYTE_ARRAY only: see LeafColumn::dictionary
  // A top-level column (no repetition) read for its values only: its definition levels go
  // straight into LeafColumn::validity instead of def_levels.
  bool levels_as_validity = false;
  // The offset index's page locations, if the file has one and the column is flat: pages
  // are then found by location, and those without a selected row are not even read.
  std::span<const format::PageLocation> page_locations;
  int64_t num_rows = 0;  // rows of the row group (the last page's end, with page_locations)
};

/// Decodes a column chunk a window of rows at a time, from bytes it is given: it names the
/// byte ranges it needs (the caller fetches them: sans-IO) and keeps its place (the current
/// page, its levels and values decoder) between calls. Pages without a selected row are
/// passed without being decompressed where their row count is known before (flat columns,
/// the offset index).
class LeafDecoder {
 public:
  using ByteRange = page::PageReader::ByteRange;
  /// `info` is copied; what its page_locations point to must outlive the decoder.
  LeafDecoder(const ChunkInfo& info, const page::PageReaderOptions& options);
  ~LeafDecoder();
  LeafDecoder(const LeafDecoder&) = delete;
  LeafDecoder& operator=(const LeafDecoder&) = delete;

  /// Bytes of the chunk from file offset `file_offset` on, replacing those given before;
  /// they must stay valid until the next supply().
  void supply(std::span<const uint8_t> bytes, int64_t file_offset);
  /// Appends to `out` the levels and values of the rows before `end` (a row number of the
  /// row group; num_rows or more: to the chunk's end) that `selection` holds (null: every
  /// row), continuing where the last call stopped. Returns the byte range it needs to go on
  /// (supply it and call again with the same arguments), or nullopt when done. Throws Error
  /// naming the page on malformed data.
  std::optional<ByteRange> read(int64_t end, const RowSelection* selection, LeafColumn& out);
  /// After the read to the chunk's end: checks the chunk's value count, and with
  /// keep_dictionary moves the dictionary into `out`.
  void finish(LeafColumn& out);
  /// With keep_dictionary, after a read before the last: the dictionary of its rows into
  /// `out` (a copy of the chunk's, and the values of pages that fell back from it).
  void window_dictionary(LeafColumn& out);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

/// Decodes the pages of a whole column chunk in `chunk` (only those holding rows of
/// `selection`, if given). Throws Error naming the page on malformed data.
LeafColumn read_leaf(std::span<const uint8_t> chunk, const ChunkInfo& info, const RowSelection* selection,
                     const page::PageReaderOptions& options = {});

}  // namespace parkett::column
