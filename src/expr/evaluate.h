// A bound filter evaluated on the rows of a record batch, in SQL's three-valued logic.
#pragma once

#include <cstdint>
#include <vector>

#include "expr/bound.h"
#include "parkett/array.h"

namespace parkett::expr {

/// Per row of `batch` (whose columns follow the schema the filter was bound to): 1 where
/// `bound` is true, 0 where it is false or null.
std::vector<uint8_t> evaluate(const Bound& bound, const RecordBatch& batch);

}  // namespace parkett::expr
