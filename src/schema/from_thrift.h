// Builds the public schema tree from the footer's flattened SchemaElement list.
#pragma once

#include <vector>

#include "format/parquet_types.h"
#include "parkett/schema.h"

namespace parkett::schema {

/// Throws Error(Corrupt) naming the element when the list is not a well-formed tree.
ParquetSchema from_thrift(const std::vector<format::SchemaElement>& elements);

/// The LogicalType a SchemaElement denotes: its logicalType, else the one its legacy
/// ConvertedType implies (LogicalTypes.md, "Deprecated ConvertedType" tables).
LogicalType logical_type_of(const format::SchemaElement& element);

}  // namespace parkett::schema
