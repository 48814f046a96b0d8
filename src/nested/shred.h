// Record shredding (the writer's half of Dremel): an Arrow array of one top-level field
// becomes, for each Parquet leaf under it, definition and repetition levels plus the
// positions of the leaf values that are present. The levels follow the same FieldPlan the
// reader assembles from, so what is written reads back as it was.
#pragma once

#include <cstdint>
#include <vector>

#include "parkett/array.h"
#include "schema/field_plan.h"

namespace parkett::nested {

/// One leaf's share of one array.
struct ShreddedLeaf {
  // One entry per level; empty when the max level is 0. A flat leaf without nulls also
  // leaves `def` empty: every level is then the max definition level.
  std::vector<int16_t> def, rep;
  int64_t num_levels = 0;
  // The leaf's Arrow array and the values present in it: positions[i] are physical indices
  // (the array's offset included), or, when `dense`, the range [first, first + count).
  const ArrayData* array = nullptr;
  std::vector<int64_t> positions;
  bool dense = false;
  int64_t first = 0;
  int64_t count = 0;

  int64_t num_values() const { return dense ? count : static_cast<int64_t>(positions.size()); }
};

/// Shreds `array` (the values of the top-level field `plan`), returning one ShreddedLeaf per
/// entry of plan.leaves, in that order. `max_def` / `max_rep` give each leaf's maximum
/// levels. Throws Error(InvalidArgument) naming the field when a non-nullable field holds a
/// null or the array's shape does not match its type.
std::vector<ShreddedLeaf> shred(const schema::FieldPlan& plan, const ArrayData& array,
                                const std::vector<int16_t>& max_def, const std::vector<int16_t>& max_rep);

}  // namespace parkett::nested
