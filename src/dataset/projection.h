// Struct fields selected by dotted path in a dataset scan ("address.city"): the part of the
// dataset's type they select, and what to ask each file for.
#pragma once

#include <string>
#include <vector>

#include "parkett/array.h"

namespace parkett::dataset {

/// `type` narrowed to the struct fields `paths` name (dotted paths below the column, in
/// any order; fields keep their order in `type`). Error(InvalidArgument) naming
/// `column.path` for a path that is not a chain of struct fields of `type`.
DataType select_fields(const DataType& type, const std::vector<std::string>& paths, const std::string& column);

/// The dotted paths a file's scan reads for `selected` (what select_fields() made of the
/// dataset's `full` type) from the file's column `file_column` of type `file_type`: the
/// selected struct fields the file holds, in its spelling (names matched ignoring case when
/// asked). Empty when the file holds none of them.
std::vector<std::string> file_paths(const DataType& selected, const DataType& full, const std::string& file_column,
                                    const DataType& file_type, bool case_insensitive);

}  // namespace parkett::dataset
