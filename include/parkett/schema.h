// The Parquet schema of a file: a tree of groups and primitive leaves (column chunks).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "parkett/export.h"
#include "parkett/datatype.h"
#include "parkett/types.h"

namespace parkett {


/// One element of the schema tree. Leaves have a physical type; groups have children.
struct PARKETT_EXPORT SchemaNode {
  std::string name;
  Repetition repetition = Repetition::Required;
  std::optional<PhysicalType> physical_type;  // set on leaves only
  int32_t type_length = 0;                    // FIXED_LEN_BYTE_ARRAY width
  std::optional<ConvertedType> converted_type;
  LogicalType logical_type;
  std::optional<int32_t> field_id;
  int32_t precision = 0;  // from the deprecated SchemaElement fields or the logical type
  int32_t scale = 0;
  std::optional<int32_t> vector_length;  // Repetition::Vector only

  // Tree links, filled in by ParquetSchema.
  int32_t parent = -1;                // index into ParquetSchema::nodes(); -1 for the root
  std::vector<int32_t> children;      // indices into nodes()
  int32_t column_index = -1;          // leaves: index of the column chunk; groups: -1
  int16_t max_definition_level = 0;
  int16_t max_repetition_level = 0;

  bool is_leaf() const { return physical_type.has_value(); }
};

/// A leaf column: what a column chunk in every row group holds.
struct PARKETT_EXPORT ColumnDescriptor {
  int32_t node = -1;                 // index into ParquetSchema::nodes()
  std::vector<std::string> path;     // names from below the root to the leaf
  std::string dotted_path;           // path joined with '.'
  PhysicalType physical_type = PhysicalType::Int32;
  int16_t max_definition_level = 0;
  int16_t max_repetition_level = 0;
};

class PARKETT_EXPORT ParquetSchema {
 public:
  ParquetSchema() = default;
  /// Builds the tree from nodes in depth-first order whose `children` hold child counts
  /// (as in parquet.thrift's flattened SchemaElement list: nodes[i].children.size() ==
  /// num_children). Validates the shape and computes links, levels and columns.
  /// Throws Error(Corrupt) on a malformed tree.
  static ParquetSchema from_flat(std::vector<SchemaNode> nodes,
                                 const std::vector<int32_t>& num_children);

  const std::vector<SchemaNode>& nodes() const { return nodes_; }
  const SchemaNode& node(int32_t i) const { return nodes_.at(static_cast<size_t>(i)); }
  const SchemaNode& root() const { return nodes_.front(); }

  int32_t num_columns() const { return static_cast<int32_t>(columns_.size()); }
  const ColumnDescriptor& column(int32_t i) const { return columns_.at(static_cast<size_t>(i)); }
  const std::vector<ColumnDescriptor>& columns() const { return columns_; }

  /// Index of the leaf column with this dotted path ("a.b.c"), or -1.
  int32_t find_column(const std::string& dotted_path) const;
  /// Indices of the leaf columns selected by a name or path: a leaf path selects itself; a
  /// group path ("address" or "a.list") selects every leaf below it. Empty if none.
  std::vector<int32_t> columns_under(const std::string& dotted_path) const;

  /// The schema as the Arrow-layout types parkett reads it into (LogicalTypes.md rules for
  /// lists and maps, backward-compatibility rules included).
  Schema to_arrow() const;

  /// A readable tree in the style of parquet-cpp / pyarrow:
  ///   required group field_id=-1 schema {
  ///     optional int32 field_id=-1 id;
  ///     optional binary field_id=-1 name (String);
  ///   }
  std::string to_string() const;

 private:
  std::vector<SchemaNode> nodes_;
  std::vector<ColumnDescriptor> columns_;
};

}  // namespace parkett
