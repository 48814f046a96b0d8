// Test helpers: Arrow arrays built from values, random arrays of any type (with the edge
// cases writers get wrong), and a rendering of single values that is equal exactly when the
// values are (so tables can be compared across type changes a Parquet round trip makes:
// large_string vs string, timestamp[s] vs timestamp[ms], dictionary vs its values).
#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "parkett/array.h"
#include "parkett/datatype.h"

namespace parkett::test {

/// A fixed-width array of `type` from raw little-endian values (`width` bytes each); null
/// where `valid` (if given) is false.
ArrayPtr fixed_array(const DataType& type, const void* values, int64_t length, const std::vector<bool>& valid = {});

template <class T>
ArrayPtr array_of(const DataType& type, const std::vector<T>& values, const std::vector<bool>& valid = {}) {
  return fixed_array(type, values.data(), static_cast<int64_t>(values.size()), valid);
}

/// A string (or binary, large_string, large_binary) array; nullopt is null.
ArrayPtr string_array(const std::vector<std::optional<std::string>>& values, DataType type = DataType(DataType::Id::String));

/// A table of one batch.
/// A field named `name` of `type`.
Field field(std::string name, DataType type, bool nullable = true);

Table table_of(std::vector<Field> fields, std::vector<ArrayPtr> columns);

/// Random values of `type` (nested types included), null with probability `null_rate` where
/// `nullable`. Covers edge cases: NaN with payloads, -0.0, infinities, integer extremes, empty
/// and very long strings, empty lists, null structs with values below.
ArrayPtr random_array(const DataType& type, bool nullable, int64_t length, double null_rate, std::mt19937_64& rng);

/// One value of `a` at `row` as text that is equal for equal values whatever the Arrow
/// type's width or unit (see the file comment).
std::string render_value(const ArrayData& a, int64_t row);

/// The first row and column where two tables' values differ, as text; empty when equal.
std::string table_difference(const Table& expected, const Table& got);

}  // namespace parkett::test
