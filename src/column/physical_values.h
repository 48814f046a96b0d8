// The writer's dense column values in their Parquet physical form: what the encoders take.
// Arrow arrays become these through append_physical (timestamps coerced, narrow integers
// widened, decimals laid out big-endian, dictionaries resolved).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "column/shredded_leaf.h"
#include "parkett/schema.h"
#include "table/growable_buffer.h"

namespace parkett::column {

struct PhysicalValues {
  PhysicalType type = PhysicalType::Int32;
  // Bytes per fixed-width value: BOOLEAN 1 (one byte per value), INT32 4, INT64 8, INT96 12,
  // FLOAT 4, DOUBLE 8, FIXED_LEN_BYTE_ARRAY its length; 0 for BYTE_ARRAY.
  int32_t width = 4;
  table::GrowableBuffer fixed;
  // BYTE_ARRAY values, pointing into the Arrow arrays (which outlive these).
  std::vector<std::string_view> binary;

  int64_t count() const {
    return width == 0 ? static_cast<int64_t>(binary.size()) : static_cast<int64_t>(fixed.size() / static_cast<size_t>(width));
  }
  const uint8_t* value(int64_t i) const { return fixed.data() + static_cast<size_t>(i) * static_cast<size_t>(width); }
};

/// Appends the values `leaf` marks present in its array, converted to the physical type of
/// `node`. Throws Error(InvalidArgument) naming `path` for values the column cannot hold
/// exactly (a timestamp overflowing the column's unit, or losing precision in it unless
/// `allow_truncated_timestamps`; an interval with sub-millisecond parts, a decimal wider
/// than its precision allows).
void append_physical(const ShreddedLeaf& leaf, const SchemaNode& node, const std::string& path,
                     PhysicalValues& out, bool allow_truncated_timestamps = false);

}  // namespace parkett::column
