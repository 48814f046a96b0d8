#include "column/chunk_index.h"

namespace parkett::column {

format::Statistics to_thrift(const MinMax& mm, int64_t null_count, SortOrder order, int32_t truncate) {
  format::Statistics s;
  s.null_count = null_count;
  if (is_floating(order)) s.nan_count = mm.nan_count;  // parquet.thrift ColumnOrder: mandatory for floats
  if (mm.present) {
    std::string lo = mm.min, hi = mm.max;
    if (order == SortOrder::Bytes) {
      s.is_min_value_exact = truncate_min(lo, truncate);
      s.is_max_value_exact = truncate_max(hi, truncate);
    }
    s.min_value = std::move(lo);
    s.max_value = std::move(hi);
  }
  return s;
}

ChunkIndexBuilder::ChunkIndexBuilder(SortOrder order, StatisticsLevel level, int32_t truncate)
    : order_(order), level_(level), truncate_(truncate), min_max_(level != StatisticsLevel::None && order != SortOrder::None) {}

std::optional<format::Statistics> ChunkIndexBuilder::page_statistics(const MinMax& mm, int64_t nulls, int64_t) const {
  if (!min_max_ || level_ != StatisticsLevel::Page) return std::nullopt;
  return to_thrift(mm, nulls, order_, truncate_);
}

void ChunkIndexBuilder::add_page(const MinMax& mm, int64_t nulls, int64_t values, int64_t rows, int64_t size) {
  chunk_nulls_ += nulls;
  if (min_max_) {
    merge(chunk_, mm, order_);
    if (!mm.present && values > 0) pages_complete_ = false;  // all NaN
  }
  page_min_max_.push_back(mm);
  page_nulls_.push_back(nulls);
  page_values_.push_back(values);
  page_rows_.push_back(rows);
  page_sizes_.push_back(size);
}

std::optional<format::Statistics> ChunkIndexBuilder::chunk_statistics() const {
  if (level_ == StatisticsLevel::None) return std::nullopt;
  if (min_max_) return to_thrift(chunk_, chunk_nulls_, order_, truncate_);
  format::Statistics s;
  s.null_count = chunk_nulls_;
  return s;
}

format::OffsetIndex ChunkIndexBuilder::offset_index(int64_t data_start) const {
  format::OffsetIndex oi;
  int64_t offset = data_start, first_row = 0;
  for (size_t i = 0; i < page_sizes_.size(); ++i) {
    format::PageLocation loc;
    loc.offset = offset;
    loc.compressed_page_size = static_cast<int32_t>(page_sizes_[i]);
    loc.first_row_index = first_row;
    offset += page_sizes_[i];
    first_row += page_rows_[i];
    oi.page_locations.push_back(loc);
  }
  return oi;
}

std::optional<format::ColumnIndex> ChunkIndexBuilder::column_index() const {
  if (!min_max_ || level_ != StatisticsLevel::Page || !pages_complete_) return std::nullopt;
  format::ColumnIndex ci;
  ci.null_counts.emplace();
  if (is_floating(order_)) ci.nan_counts.emplace();
  for (size_t i = 0; i < page_min_max_.size(); ++i) {
    ci.null_pages.push_back(page_values_[i] == 0);
    ci.null_counts->push_back(page_nulls_[i]);
    if (ci.nan_counts) ci.nan_counts->push_back(page_min_max_[i].nan_count);
    format::Statistics s = to_thrift(page_min_max_[i], 0, order_, truncate_);
    ci.min_values.push_back(s.min_value.value_or(""));
    ci.max_values.push_back(s.max_value.value_or(""));
  }
  ci.boundary_order = boundary_order(ci);
  return ci;
}

format::BoundaryOrder ChunkIndexBuilder::boundary_order(const format::ColumnIndex& ci) const {
  bool ascending = true, descending = true;
  int64_t prev = -1;
  for (size_t i = 0; i < ci.null_pages.size(); ++i) {
    if (ci.null_pages[i]) continue;
    if (prev >= 0) {
      const auto p = static_cast<size_t>(prev);
      if (less(ci.min_values[i], ci.min_values[p], order_) || less(ci.max_values[i], ci.max_values[p], order_)) ascending = false;
      if (less(ci.min_values[p], ci.min_values[i], order_) || less(ci.max_values[p], ci.max_values[i], order_)) descending = false;
    }
    prev = static_cast<int64_t>(i);
  }
  if (ascending) return format::BoundaryOrder::ASCENDING;
  if (descending) return format::BoundaryOrder::DESCENDING;
  return format::BoundaryOrder::UNORDERED;
}

}  // namespace parkett::column
