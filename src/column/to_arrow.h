// A decoded leaf column as an Arrow array of the type its schema maps to.
#pragma once

#include "column/leaf_reader.h"
#include "parkett/array.h"
#include "parkett/schema.h"

namespace parkett::column {

/// For leaves without repetition whose ancestors are all required groups or the root
/// (definition level 0 or 1): the validity comes from the definition levels. `type` is the
/// leaf's Arrow type (ParquetSchema::to_arrow). Throws Error(Unsupported) for other shapes.
ArrayPtr flat_leaf_to_arrow(const LeafColumn& leaf, const ColumnDescriptor& column,
                            const SchemaNode& node, const DataType& type);

/// The Arrow type of an INT96 column read with `unit` (ReadOptions::int96_unit).
DataType int96_type(TimeUnit unit);

}  // namespace parkett::column
