// Rows of an array dealt out to several arrays in one pass (a partitioned write's rows,
// partition by partition): each row goes to the part its index says, keeping its order.
// One sequential read of the input instead of one gather per part.
#pragma once

#include <cstdint>
#include <vector>

#include "parkett/array.h"

namespace parkett::table {

/// `part[r]` (< counts.size()) is the part of row r of `array`; counts[p] the rows of part
/// p. Returns one array per part. Fixed-width, boolean and (large) string and binary arrays
/// are split in one pass; other layouts by table::take per part.
std::vector<ArrayPtr> split(const ArrayData& array, const std::vector<uint32_t>& part,
                            const std::vector<int64_t>& counts);

}  // namespace parkett::table
