// The writer's side of to_arrow.h: a leaf's Arrow values in their Parquet physical form,
// gathered into the ValueBuffer the encoders take (timestamps coerced, narrow integers
// widened, decimals laid out big-endian, dictionaries resolved).
#pragma once

#include <string>

#include "column/shredded_leaf.h"
#include "encoding/value_buffer.h"
#include "parkett/schema.h"

namespace parkett::column {

/// Appends the values `leaf` marks present in its array to `out`, converted to the physical
/// type of `node` (`out.width` must be that type's: 1 for BOOLEAN, one byte per value; 0 for
/// BYTE_ARRAY). Throws Error(InvalidArgument) naming `path` for values the column cannot
/// hold exactly (a timestamp overflowing the column's unit, or losing precision in it unless
/// `allow_truncated_timestamps`; an interval with sub-millisecond parts, a decimal wider
/// than its precision allows).
void append_physical(const ShreddedLeaf& leaf, const SchemaNode& node, const std::string& path,
                     encoding::ValueBuffer& out, bool allow_truncated_timestamps = false);

/// The bytes of the values of `array` if it is a string or binary array (the bytes of nulls
/// included, which are usually none), else 0.
size_t binary_bytes(const ArrayData& array);

}  // namespace parkett::column
