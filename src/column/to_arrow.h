// A decoded leaf column as an Arrow array of the type its schema maps to.
#pragma once

#include "column/leaf_reader.h"
#include "parkett/array.h"
#include "parkett/schema.h"

namespace parkett::column {

/// The leaf's values at level entries `entries` (one array slot each, in increasing order;
/// null means every entry, as for a top-level column): a slot is valid where its definition
/// level is the column's maximum. `type` is the leaf's Arrow type. The leaf's value storage
/// may be moved into the array.
ArrayPtr leaf_to_arrow(LeafColumn& leaf, const std::vector<int64_t>* entries,
                       const ColumnDescriptor& column, const SchemaNode& node, const DataType& type);

/// The Arrow type of an INT96 column read with `unit` (ReadOptions::int96_unit).
DataType int96_type(TimeUnit unit);

}  // namespace parkett::column
