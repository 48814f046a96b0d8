// The page index of a column chunk (PageIndex.md): where each page lies and which rows it
// holds (OffsetIndex), and each page's min/max and null count (ColumnIndex). Readers use it
// to skip pages a filter excludes; FileReader::offset_index / column_index return it.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "parkett/export.h"
#include "parkett/metadata.h"

namespace parkett {

struct PARKETT_EXPORT PageLocation {
  int64_t offset = 0;                // of the page header in the file
  int32_t compressed_page_size = 0;  // header included
  int64_t first_row_index = 0;       // within the row group
};

struct PARKETT_EXPORT OffsetIndex {
  std::vector<PageLocation> pages;  // data pages, in order
  /// Per page, the bytes of BYTE_ARRAY values before encoding, if the writer gave them.
  std::optional<std::vector<int64_t>> unencoded_byte_array_data_bytes;
};

enum class BoundaryOrder : int32_t { Unordered, Ascending, Descending };

/// Per-page statistics. min/max follow the column's sort order as chunk statistics do
/// (Statistics): a page's bounds are usable only where has_min_max says so (not for a null
/// page, an order parkett does not know, or NaN bounds without IEEE 754 total order).
struct PARKETT_EXPORT ColumnIndex {
  std::vector<bool> null_pages;  // pages holding only nulls
  std::vector<bool> has_min_max;
  std::vector<StatValue> min_values, max_values;
  BoundaryOrder boundary_order = BoundaryOrder::Unordered;
  std::optional<std::vector<int64_t>> null_counts;
  std::optional<std::vector<int64_t>> nan_counts;
  size_t num_pages() const { return null_pages.size(); }
};

}  // namespace parkett
