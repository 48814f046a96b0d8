// Data indexes in a filtered scan (ScanOptions::use_data_index): when the filter's
// top-level AND holds `=`, `IN` or `IS NULL` on every column of an index the file's
// `deephaven` key lists (data_index_layout.h), the index file is read with those terms
// (itself sorted and page-indexed, so only its pages of those keys) and the union of the
// matching keys' row sets is the rows the scan may keep. Deephaven's older grouping files
// (dh_key, dh_begin_pos, dh_end_pos) answer one-column terms the same way.
#pragma once

#include <optional>
#include <vector>

#include "column/row_selection.h"
#include "parkett/reader.h"

namespace parkett::file {

/// Per row group of `reader`'s file, the rows an index leaves possible for `filter`;
/// nullopt when no index applies: the file was not opened by path (FileReader::open(path)),
/// lists no index of the filter's columns, or the index file is missing (as Deephaven, the
/// scan then reads without). The index with the most columns is used. An index that cannot
/// be read as one, or names rows past the file's end, is Error(Corrupt) naming it.
std::optional<std::vector<column::RowSelection>> rows_by_data_index(const FileReader& reader,
                                                                   const Expression& filter);

}  // namespace parkett::file
