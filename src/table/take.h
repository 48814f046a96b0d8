// Rows of an array picked by index (a filter's selected rows), for every layout: validity,
// fixed-width values, bits, offsets and bytes, list children through their offsets, struct
// children, dictionary indices (the dictionary is shared).
#pragma once

#include <cstdint>
#include <vector>

#include "parkett/array.h"

namespace parkett::table {

/// Rows `rows` (ascending or not, logical indices into `array`) as a new array.
ArrayPtr take(const ArrayData& array, const std::vector<int64_t>& rows);

/// The indices of the non-zero entries of `keep`.
std::vector<int64_t> selected_rows(const std::vector<uint8_t>& keep);

}  // namespace parkett::table
