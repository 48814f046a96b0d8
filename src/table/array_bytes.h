// How much memory rows of an array take: what a writer's row group size and a dataset
// scan's read-ahead bound count.
#pragma once

#include <cstdint>

#include "parkett/array.h"

namespace parkett::table {

/// About the bytes rows [start, start + length) of `a` hold: values and offsets of that
/// range, children followed through list offsets (a dictionary counts its indices).
int64_t estimated_bytes(const ArrayData& a, int64_t start, int64_t length);

}  // namespace parkett::table
