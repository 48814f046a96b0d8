// Min/max statistics of written values in the column's sort order (parquet.thrift
// ColumnOrder / LogicalTypes.md "Sort order"): signed or unsigned integers, floats without
// NaN (-0.0 as min and +0.0 as max), byte arrays unsigned lexicographically, decimals in
// FIXED_LEN_BYTE_ARRAY as signed big-endian numbers, FLOAT16 as half floats. INT96 and
// INTERVAL have no defined order and get no min/max.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "encoding/value_buffer.h"
#include "parkett/schema.h"

namespace parkett::column {

// FloatTotal, DoubleTotal and Float16Total: IEEE 754 totalOrder (ColumnOrder
// IEEE_754_TOTAL_ORDER): -NaN < -inf < ... < -0 < +0 < ... < +inf < +NaN, by the bits.
enum class SortOrder { None, Boolean, Signed32, Unsigned32, Signed64, Unsigned64, Float, Double, Bytes, SignedBigEndian, Float16,
                       FloatTotal, DoubleTotal, Float16Total };

/// The order min/max statistics of `node` follow; floating-point columns use totalOrder
/// when `total_order`.
SortOrder sort_order_of(const SchemaNode& node, bool total_order = false);
/// True for the orders of FLOAT, DOUBLE and FLOAT16 columns (which count NaNs).
bool is_floating(SortOrder order);

/// Min and max as PLAIN-encoded bytes (without the length prefix of byte arrays).
struct MinMax {
  bool present = false;  // false: no value to bound (in the type-defined order: no non-NaN value)
  std::string min, max;
  int64_t nan_count = 0;
  bool nan_bounds = false;  // totalOrder only: every value was NaN, so min/max are NaNs
};

/// Min/max of values[begin, end).
MinMax min_max(const encoding::ValueBuffer& values, int64_t begin, int64_t end, SortOrder order);
/// Folds `page` into `chunk`.
void merge(MinMax& chunk, const MinMax& page, SortOrder order);
/// a < b in `order` (both PLAIN-encoded values of that order).
bool less(const std::string& a, const std::string& b, SortOrder order);

/// Byte-array min/max cut to `length` bytes: the min to its prefix, the max to the shortest
/// prefix that is still at least the max (last byte incremented). Returns whether `value`
/// stayed exact.
bool truncate_min(std::string& value, int32_t length);
bool truncate_max(std::string& value, int32_t length);

}  // namespace parkett::column
