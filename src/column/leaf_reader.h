// Decoding one column chunk into levels and dense values (see README.md).
#pragma once

#include <cstdint>
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
  int64_t file_offset = 0;  // where `chunk` starts in the file
  bool keep_dictionary = false;  // BYTE_ARRAY only: see LeafColumn::dictionary
  // A top-level column (no repetition) read for its values only: its definition levels go
  // straight into LeafColumn::validity instead of def_levels.
  bool levels_as_validity = false;
  // Only these rows are read (null: every row); the output holds their levels and values
  // alone, in order. Pages without a selected row are not decompressed where their row
  // count is known before (flat columns, v2 pages, the offset index).
  const RowSelection* selection = nullptr;
  // The offset index's page locations, if the file has one: with a selection, pages are
  // found by location, and those without a selected row are not even read (their bytes in
  // `chunk` may be left unfilled).
  std::span<const format::PageLocation> page_locations;
  int64_t num_rows = 0;  // rows of the row group (the last page's end, with page_locations)
};

/// Decodes the pages of a column chunk (those holding selected rows). Throws Error naming the page on malformed data.
LeafColumn read_leaf(std::span<const uint8_t> chunk, const ChunkInfo& info,
                     const page::PageReaderOptions& options = {});

}  // namespace parkett::column
