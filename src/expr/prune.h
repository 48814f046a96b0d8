// What a bound filter can evaluate to over a column chunk (a row group), judged from
// statistics alone: a row group where it can never be true is skipped.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>

#include "expr/bound.h"

namespace parkett::expr {

/// What statistics say about one column over some rows, in the column's domain.
struct ColumnFacts {
  int64_t num_values = -1;            // rows (-1: unknown)
  std::optional<int64_t> null_count;  // unknown: nulls are possible
  bool has_min_max = false;
  Key min, max;                       // bounds of the non-null values (NaN excluded)
  bool bounds_exact = false;          // min and max are values (not truncated bounds)
  bool may_have_nan = true;           // floats: NaN values possible
  /// When set (a bloom filter): false if the value is certainly not in the column.
  std::function<bool(const Key&)> might_contain;
};

/// Which results the filter may take on some row: true, false, null.
struct Outcomes {
  bool can_true = true, can_false = true, can_null = true;
};

/// Facts about a bound column, or nothing when the statistics do not say.
using FactsFor = std::function<std::optional<ColumnFacts>(const BoundColumn&)>;

Outcomes outcomes(const Bound& bound, const FactsFor& facts);

}  // namespace parkett::expr
