// One schema for a dataset's files (SchemaMerge).
#pragma once

#include <string>
#include <vector>

#include "parkett/array.h"
#include "parkett/dataset.h"

namespace parkett::dataset {

/// The file columns of a dataset whose files have `schemas` (`paths` name them in errors):
/// the first file's, after checking that the others have the same fields with types that
/// read as its own (None), or the union by name, recursively into structs, lists and maps,
/// with types widened where that is lossless (Union; conform.h says which). Names compare
/// ignoring ASCII case when asked, the first spelling kept (a file with two fields of one
/// name but for case is refused). Throws Error(InvalidArgument) naming the two files and
/// the (dotted) field that do not agree.
Schema merge_schemas(const std::vector<Schema>& schemas, const std::vector<std::string>& paths, SchemaMerge how,
                     bool case_insensitive);

}  // namespace parkett::dataset
