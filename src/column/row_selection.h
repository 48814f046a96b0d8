// Rows of a row group chosen for reading: sorted, disjoint, non-empty ranges. A scan builds
// one from the page index and the filter; the column reader reads only these rows (pages
// outside them are not decompressed, values outside them are skipped, not converted).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace parkett::column {

struct RowRange {
  int64_t begin = 0, end = 0;  // [begin, end)
  bool operator==(const RowRange&) const = default;
};

class RowSelection {
 public:
  RowSelection() = default;
  /// Every row of [0, num_rows).
  static RowSelection all(int64_t num_rows);
  /// Ranges in any order, possibly overlapping or empty: sorted and merged.
  static RowSelection of(std::vector<RowRange> ranges);
  /// The rows where `keep[i]` is non-zero, numbered from 0.
  static RowSelection from_mask(std::span<const uint8_t> keep);

  const std::vector<RowRange>& ranges() const { return ranges_; }
  bool empty() const { return ranges_.empty(); }
  int64_t row_count() const;
  /// Selected rows in [begin, end).
  int64_t count_in(int64_t begin, int64_t end) const;
  /// Whether any row of [begin, end) is selected.
  bool intersects(int64_t begin, int64_t end) const;

  RowSelection intersect(const RowSelection& other) const;
  RowSelection unite(const RowSelection& other) const;
  /// The selection of rows of `inner`, where inner's rows are numbered by their position in
  /// this selection (the k-th selected row is row k): maps a filter's result over the rows
  /// read back to row numbers of the row group.
  RowSelection compose(const RowSelection& inner) const;
  /// Positions within this selection's rows of the rows `subset` selects (which must be a
  /// subset): the rows to take from columns read for this selection.
  std::vector<int64_t> positions_of(const RowSelection& subset) const;

  /// Whether `subset` of these rows is better read by decoding all of these rows and taking
  /// it (positions_of) than by skipping the rest value by value: when its runs are short,
  /// a value decoder that stops and skips every few values costs more than decoding them.
  bool better_taken(const RowSelection& subset) const;

 private:
  std::vector<RowRange> ranges_;
};

}  // namespace parkett::column
