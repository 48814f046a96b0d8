// Record assembly for one top-level field (see README.md).
#pragma once

#include <cstdint>
#include <map>

#include "column/leaf_reader.h"
#include "parkett/array.h"
#include "parkett/schema.h"
#include "schema/field_plan.h"

namespace parkett::nested {

/// Builds the Arrow array of a top-level field from its decoded leaves (by leaf column
/// index). Throws Error(Corrupt) when the leaves disagree or levels are inconsistent.
ArrayPtr assemble(const schema::FieldPlan& plan, const ParquetSchema& schema,
                  const std::map<int32_t, column::LeafColumn*>& leaves, int64_t num_rows);

/// A struct whose schema group has no leaf columns (parquet-go writes such empty groups):
/// `length` slots, null where `validity` (the enclosing struct's, may be null) says, with
/// columnless children alike. Throws Error(Unsupported) for a list or map without columns,
/// whose lengths the file cannot hold.
ArrayPtr columnless(const schema::FieldPlan& plan, int64_t length, std::shared_ptr<Buffer> validity,
                    int64_t null_count);

}  // namespace parkett::nested
