// A chunk's statistics and page index, gathered page by page while the chunk writer encodes:
// the chunk's min/max and null count, the ColumnIndex (each page's min/max, null pages and
// counts, NaN counts, boundary order) and the OffsetIndex (where each page lies).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "column/value_statistics.h"
#include "format/parquet_types.h"
#include "parkett/types.h"

namespace parkett::column {

class ChunkIndexBuilder {
 public:
  /// `order`: the column's sort order (None: no min/max); `level`: what statistics to write;
  /// `truncate`: the length binary min/max are cut to.
  ChunkIndexBuilder(SortOrder order, StatisticsLevel level, int32_t truncate);

  /// Whether min/max are gathered (statistics asked for and the column has a sort order).
  bool min_max() const { return min_max_; }
  /// A data page with min/max `mm` (unused without min_max()), `nulls` nulls, `values`
  /// present values and `rows` rows, `size` bytes in the file. Returns the statistics its
  /// header carries, if pages carry them.
  std::optional<format::Statistics> page_statistics(const MinMax& mm, int64_t nulls, int64_t values) const;
  void add_page(const MinMax& mm, int64_t nulls, int64_t values, int64_t rows, int64_t size);

  /// The chunk's statistics (ColumnMetaData.statistics), if any are written.
  std::optional<format::Statistics> chunk_statistics() const;
  /// The offset index, pages located from `data_start` (the first data page's offset in the chunk).
  format::OffsetIndex offset_index(int64_t data_start) const;
  /// The column index, when pages carry statistics and every page with values has min/max.
  std::optional<format::ColumnIndex> column_index() const;

 private:
  format::BoundaryOrder boundary_order(const format::ColumnIndex& ci) const;

  SortOrder order_;
  StatisticsLevel level_;
  int32_t truncate_;
  bool min_max_;
  MinMax chunk_;
  int64_t chunk_nulls_ = 0;
  bool pages_complete_ = true;  // every page with values has min/max (not all NaN)
  std::vector<MinMax> page_min_max_;
  std::vector<int64_t> page_nulls_, page_values_, page_rows_, page_sizes_;
};

/// Thrift statistics of `mm` with `null_count` nulls; binary min/max truncated to `truncate`.
format::Statistics to_thrift(const MinMax& mm, int64_t null_count, SortOrder order, int32_t truncate);

}  // namespace parkett::column
