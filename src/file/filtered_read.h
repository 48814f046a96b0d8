// A read with a filter (ReadOptions::filter): row groups pruned by their statistics, bloom
// filters and dictionaries, pages by the column index, then the rows of the others
// filtered exactly (the filter's columns first, the other columns at the rows it keeps).
#pragma once

#include <optional>
#include <vector>

#include "column/row_selection.h"
#include "expr/bound.h"
#include "file/page_index.h"
#include "file/read_plan.h"
#include "parkett/reader.h"

namespace parkett::file {

/// The plan of a filtered scan of one file, made once.
struct FilterScan {
  ReadOptions plain;              // the options without the filter
  expr::Bound on_file;            // the filter bound to the file's whole schema (for pruning)
  ReadPlan output;                // the fields returned
  ReadPlan filter;                // the filter's fields (strings as dictionaries)
  expr::Bound bound;              // the filter bound to filter.schema() (for evaluation)
  std::vector<int> from_filter;   // per output field: the filter field that equals it, or -1
  std::vector<int32_t> compared;  // leaves the filter compares
  std::vector<int32_t> located;   // leaves of both plans (their offset indexes are read)
  // Per row group, the rows a data index leaves possible (use_data_index, data_index_scan.h).
  std::optional<std::vector<column::RowSelection>> indexed;
};

/// Throws Error(InvalidArgument) for a filter that does not fit the file's columns.
FilterScan plan_filter_scan(const FileReader& reader, const ReadOptions& options);

/// Whether row group `g` may hold a row the filter keeps, by a data index, its statistics,
/// bloom filters and dictionaries as the options allow; a skipped group is counted in `counts`.
bool may_match(const FileReader& reader, const FilterScan& scan, const ReadOptions& options, int32_t g,
               ScanCounts& counts);

/// The rows of row group `g` its column index and a data index leave possible (every row
/// without them, or without options.use_page_index); `index` receives the offset indexes read.
column::RowSelection possible_rows(const FileReader& reader, const FilterScan& scan, const ReadOptions& options,
                                   int32_t g, RowGroupPageIndex& index);

/// FileReader::read_table for options with a filter. `counts`, if given, receives what the
/// scan skipped.
Table read_filtered(const FileReader& reader, const ReadOptions& options, ScanCounts* counts = nullptr);

}  // namespace parkett::file
