// A decoded leaf column as an Arrow array of the type its schema maps to.
#pragma once

#include "column/leaf_reader.h"
#include "parkett/array.h"
#include "parkett/schema.h"

namespace parkett::column {

/// Where a leaf's dense values go in its array: `length` slots, the valid ones in order
/// (`validity` has one bit per slot; null when no slot is null). Record assembly works them
/// out from the levels.
struct LeafSlots {
  int64_t length = 0;
  std::shared_ptr<Buffer> validity;
  int64_t null_count = 0;
};

/// The leaf's values spread over `slots`, as an array of the leaf's Arrow type `type`. The
/// leaf's value storage may be moved into the array.
ArrayPtr leaf_to_arrow(LeafColumn& leaf, const LeafSlots& slots, const ColumnDescriptor& column,
                       const SchemaNode& node, const DataType& type);

/// The Arrow type of an INT96 column read with `unit` (ReadOptions::int96_unit).
DataType int96_type(TimeUnit unit);

}  // namespace parkett::column
