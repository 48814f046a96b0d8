// Canonical JSON Lines output (shared/peers/CANONICAL.md).
#pragma once

#include <string>
#include <vector>

#include "parkett/array.h"
#include "parkett/schema.h"

namespace parkett::convert {

class JsonlWriter {
 public:
  /// `schema`: the file's Parquet schema; `fields`: for each column of the batches to be
  /// written, the index of its node in `schema` (logical types decide the rendering).
  JsonlWriter(const ParquetSchema& schema, std::vector<int32_t> fields);

  /// {"columns":[{"name":..,"type":..},...]}
  std::string schema_line(const Schema& arrow) const;
  /// Appends rows [offset, offset + count) of `batch`, one line each.
  void write_rows(const RecordBatch& batch, int64_t offset, int64_t count, std::string& out) const;
  /// One value of a column as canonical JSON.
  void write_value(const ArrayData& array, const SchemaNode& node, int64_t row,
                   std::string& out) const;

 private:
  const ParquetSchema& schema_;
  std::vector<int32_t> fields_;
};

/// The nodes of `schema` that the top-level columns of `arrow` come from (by name).
std::vector<int32_t> top_level_nodes(const ParquetSchema& schema, const Schema& arrow);

/// A whole table as canonical JSON Lines: the schema line, then one line per row.
std::string to_canonical_jsonl(const ParquetSchema& schema, const Table& table);

}  // namespace parkett::convert
