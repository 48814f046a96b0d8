// One leaf's share of a shredded array (nested/shred.h makes them): its levels and where its
// present values are. The chunk writer encodes from it.
#pragma once

#include <cstdint>
#include <vector>

#include "parkett/array.h"

namespace parkett::column {

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

}  // namespace parkett::column
