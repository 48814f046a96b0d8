// A Variant value as canonical JSON: the value it holds, rendered as its Parquet
// counterpart would be (objects as JSON objects in stored order, arrays, scalars).
#pragma once

#include <string>
#include <string_view>

namespace parkett::convert {

/// Appends the Variant (`metadata`, `value` bytes) to `out`. Throws Error(Corrupt) on
/// malformed bytes.
void write_variant_json(std::string_view metadata, std::string_view value, std::string& out);

}  // namespace parkett::convert
