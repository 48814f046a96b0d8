// The width of one value of a physical type, as both the reader and the writer lay values
// out densely: BOOLEAN 1 (a byte per value), INT32 and FLOAT 4, INT64 and DOUBLE 8, INT96 12,
// FIXED_LEN_BYTE_ARRAY its length, BYTE_ARRAY 0 (variable).
#pragma once

#include <cstddef>
#include <cstdint>

#include "parkett/types.h"

namespace parkett::column {

/// Throws Error(Corrupt) for a FIXED_LEN_BYTE_ARRAY without a positive length or a negative
/// type, Error(Unsupported) for a type this version does not know.
size_t physical_width(PhysicalType type, int32_t type_length);

}  // namespace parkett::column
