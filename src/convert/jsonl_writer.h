// Canonical JSON Lines output (shared/peers/CANONICAL.md).
#pragma once

#include <string>
#include <vector>

#include "parkett/array.h"
#include "parkett/schema.h"
#include "schema/field_plan.h"

namespace parkett::convert {

class JsonlWriter {
 public:
  /// `schema`: the file's Parquet schema; `fields`: for each column of the batches to be
  /// written, its plan (the logical types of its leaves decide the rendering).
  JsonlWriter(const ParquetSchema& schema, std::vector<schema::FieldPlan> fields);

  /// {"columns":[{"name":..,"type":..},...]}
  std::string schema_line(const Schema& arrow) const;
  /// Appends rows [offset, offset + count) of `batch`, one line each.
  void write_rows(const RecordBatch& batch, int64_t offset, int64_t count, std::string& out) const;
  /// One value of a column as canonical JSON.
  void write_value(const ArrayData& array, const schema::FieldPlan& plan, int64_t row,
                   std::string& out) const;
  const std::vector<schema::FieldPlan>& fields() const { return fields_; }

 private:
  void write_leaf(const ArrayData& array, const SchemaNode& node, int64_t row, std::string& out) const;

  const ParquetSchema& schema_;
  std::vector<schema::FieldPlan> fields_;
};

/// The plans of the top-level columns of `arrow`, matched by name with the nodes of `schema`;
/// columns it lacks, or named in `not_in_schema` (a dataset's partition columns), get
/// arrow_plan().
std::vector<schema::FieldPlan> top_level_plans(const ParquetSchema& schema, const Schema& arrow,
                                               const std::vector<std::string>& not_in_schema = {});

/// A plan for a column printed by its Arrow type alone (no Parquet node: partition columns,
/// fields of other files of a dataset).
schema::FieldPlan arrow_plan(const Field& field);

/// A whole table as canonical JSON Lines: the schema line, then one line per row.
std::string to_canonical_jsonl(const ParquetSchema& schema, const Table& table);

}  // namespace parkett::convert
