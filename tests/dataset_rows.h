// Rows of dataset scans as plain text, for tests to compare with rows written out by hand.
#pragma once

#include <string>
#include <vector>

#include "parkett/array.h"
#include "parkett/reader.h"

namespace parkett::test {

/// A cell as plain text: numbers as std::to_string prints them (timestamps and dates as
/// their stored integer), strings as they are, structs as {a,b}, lists as [a,b], "null".
std::string cell(const ArrayData& a, int64_t row);

/// Every row as "a|b|c", in order.
std::vector<std::string> rows_of(const Table& t);

/// Every batch of `scan`, as a table (its counts stay on `scan`).
Table drain(RecordBatchReader& scan);

/// "name:type" of each field.
std::vector<std::string> names_of(const Schema& s);

}  // namespace parkett::test
