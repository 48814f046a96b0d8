// Reading the page index (PageIndex.md) of a row group's column chunks: the offset and
// column indexes of the columns a scan asks for, fetched in one read where they lie
// together (writers place every index of a row group side by side), checked against the
// chunk they describe.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "parkett/page_index.h"
#include "parkett/reader.h"

namespace parkett::file {

struct RowGroupPageIndex {
  // By leaf column; empty where the writer wrote none or none was asked for.
  std::vector<std::optional<OffsetIndex>> offsets;
  std::vector<std::optional<ColumnIndex>> columns;
};

/// The offset indexes of `offset_columns` and the column indexes of `column_index_columns`
/// of row group `row_group`. Throws Error(Corrupt) naming the chunk for a malformed index.
RowGroupPageIndex read_page_index(const FileReader& reader, int32_t row_group,
                                  const std::vector<int32_t>& offset_columns,
                                  const std::vector<int32_t>& column_index_columns);

}  // namespace parkett::file
