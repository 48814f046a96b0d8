// The Arrow PyCapsule interface (arrow.apache.org/docs/format/CDataInterface/
// PyCapsuleInterface.html): parkett's schemas, arrays and streams exported as capsules named
// "arrow_schema", "arrow_array" and "arrow_array_stream", and capsules of other libraries
// imported. A capsule nobody consumed releases its structure when it is collected; a
// consumer moves the structure out and leaves its release null.
#pragma once

#include <functional>

#include "bindings.h"
#include "parkett/c_data.h"
#include "parkett/reader.h"

namespace parkett::python {

py::capsule schema_capsule(const Schema& schema);
py::capsule field_capsule(const Field& field);
py::capsule array_capsule(const ArrayPtr& array);
py::capsule record_batch_capsule(const RecordBatch& batch);
py::capsule stream_capsule(Table table);
py::capsule stream_capsule(RecordBatchReader reader);

/// Moves the structure out of a consumer's capsule (checked by name); the capsule's copy is
/// left released.
ArrowSchema take_schema(const py::handle& capsule);
ArrowArray take_array(const py::handle& capsule);
ArrowArrayStream take_stream(const py::handle& capsule);

/// Refuses a requested_schema that is not the schema parkett exports (the interface allows
/// a producer to ignore requests it cannot meet, but a different shape is an error).
void check_requested_schema(const py::object& requested, const Schema& schema);

}  // namespace parkett::python
