// The plan of a read, made once from the file schema, the projection, the options and the
// stored Arrow schema: for each output field the shape to assemble (projection, INT96 unit
// and dictionaries applied), the Arrow field it becomes and the leaves it reads.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "parkett/reader.h"
#include "schema/field_plan.h"

namespace parkett::file {

struct ReadField {
  int32_t field_index = 0;  // among the root's children
  bool whole = false;       // every leaf of the top-level field is read
  schema::FieldPlan plan;
  Field output;                       // the Arrow field returned (stored Arrow schema applied)
  std::set<int32_t> dictionary_leaves;  // leaves read as dictionary arrays
};

struct ReadPlan {
  std::vector<ReadField> fields;
  Schema schema() const;
};

/// The plan for `options.columns` (every field when empty) of `metadata`. Throws
/// Error(InvalidArgument) naming `file` for a column the file does not have.
ReadPlan make_read_plan(const FileMetadata& metadata, const ReadOptions& options, const std::string& file);

}  // namespace parkett::file
