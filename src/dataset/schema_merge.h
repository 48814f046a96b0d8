// One schema for a dataset's files (SchemaMerge), and each file's batches brought to it.
#pragma once

#include <string>
#include <vector>

#include "parkett/array.h"
#include "parkett/dataset.h"

namespace parkett::dataset {

/// The file columns of a dataset whose files have `schemas` (`paths` name them in errors):
/// the first file's (None, after checking the others have the same fields) or the union by
/// name (Union). Throws Error(InvalidArgument) naming the two files and the field that do
/// not agree.
Schema merge_schemas(const std::vector<Schema>& schemas, const std::vector<std::string>& paths, SchemaMerge how);

/// Whether a file's field of type `from` reads into a dataset field of type `to`: the same
/// type, or a lossless widening (signed integers to wider signed integers, unsigned to wider
/// unsigned, float32 to float64).
bool widens(const DataType& from, const DataType& to);

/// `array` (of a type that widens() to `to`) as `to`.
ArrayPtr widen(const ArrayPtr& array, const DataType& to);

}  // namespace parkett::dataset
