// Arrays whose every slot is null, of any type: what a dataset reads for a column a file
// does not have.
#pragma once

#include <cstdint>

#include "parkett/array.h"

namespace parkett::table {

/// `length` nulls of `type`, with every buffer its layout needs (zeroed values, zero
/// offsets, empty children of lists, null children of structs, an empty dictionary).
ArrayPtr null_array(const DataType& type, int64_t length);

}  // namespace parkett::table
