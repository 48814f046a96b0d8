// Record shredding (the writer's half of Dremel): an Arrow array of one top-level field
// becomes, for each Parquet leaf under it, definition and repetition levels plus the
// positions of the leaf values that are present. The levels follow the same FieldPlan the
// reader assembles from, so what is written reads back as it was.
#pragma once

#include <cstdint>
#include <vector>

#include "column/shredded_leaf.h"
#include "parkett/array.h"
#include "schema/field_plan.h"

namespace parkett::nested {

using column::ShreddedLeaf;

/// Shreds `array` (the values of the top-level field `plan`), returning one ShreddedLeaf per
/// entry of plan.leaves, in that order. `max_def` / `max_rep` give each leaf's maximum
/// levels. Throws Error(InvalidArgument) naming the field when a non-nullable field holds a
/// null or the array's shape does not match its type.
std::vector<ShreddedLeaf> shred(const schema::FieldPlan& plan, const ArrayData& array,
                                const std::vector<int16_t>& max_def, const std::vector<int16_t>& max_rep);

}  // namespace parkett::nested
