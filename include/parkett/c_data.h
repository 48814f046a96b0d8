// The Arrow C Data Interface (arrow.apache.org/docs/format/CDataInterface.html): hand
// parkett's arrays to any Arrow implementation, and take theirs, without copying data.
// Ownership follows the specification: an exported structure belongs to the consumer, who
// calls its release callback once; imported structures are moved from (their release is
// taken over). Nothing throws across the C callbacks.
#pragma once

#include <cstdint>
#include <functional>

#include "parkett/export.h"
#include "parkett/array.h"

#ifndef ARROW_C_DATA_INTERFACE
#define ARROW_C_DATA_INTERFACE

#define ARROW_FLAG_DICTIONARY_ORDERED 1
#define ARROW_FLAG_NULLABLE 2
#define ARROW_FLAG_MAP_KEYS_SORTED 4

extern "C" {
struct ArrowSchema {
  const char* format;
  const char* name;
  const char* metadata;
  int64_t flags;
  int64_t n_children;
  struct ArrowSchema** children;
  struct ArrowSchema* dictionary;
  void (*release)(struct ArrowSchema*);
  void* private_data;
};

struct ArrowArray {
  int64_t length;
  int64_t null_count;
  int64_t offset;
  int64_t n_buffers;
  int64_t n_children;
  const void** buffers;
  struct ArrowArray** children;
  struct ArrowArray* dictionary;
  void (*release)(struct ArrowArray*);
  void* private_data;
};
}
#endif  // ARROW_C_DATA_INTERFACE

#ifndef ARROW_C_STREAM_INTERFACE
#define ARROW_C_STREAM_INTERFACE
extern "C" {
struct ArrowArrayStream {
  int (*get_schema)(struct ArrowArrayStream*, struct ArrowSchema* out);
  int (*get_next)(struct ArrowArrayStream*, struct ArrowArray* out);
  const char* (*get_last_error)(struct ArrowArrayStream*);
  void (*release)(struct ArrowArrayStream*);
  void* private_data;
};
}
#endif  // ARROW_C_STREAM_INTERFACE

namespace parkett {

/// Exports a field's type (name, nullability, metadata) as an ArrowSchema.
PARKETT_EXPORT void export_field(const Field& field, ArrowSchema* out);
/// Exports a schema as the ArrowSchema of a struct.
PARKETT_EXPORT void export_schema(const Schema& schema, ArrowSchema* out);
/// Exports an array; its buffers stay alive until the consumer releases `out`.
PARKETT_EXPORT void export_array(const ArrayPtr& array, ArrowArray* out);
/// Exports a record batch as a struct array.
PARKETT_EXPORT void export_record_batch(const RecordBatch& batch, ArrowArray* out);
/// Exports a table as a stream of its record batches.
PARKETT_EXPORT void export_stream(Table table, ArrowArrayStream* out);
/// Exports any source of batches: `next` fills its argument and returns true, or returns
/// false at the end; exceptions it throws become the stream's error (get_last_error).
PARKETT_EXPORT void export_stream(Schema schema, std::function<bool(RecordBatch&)> next, ArrowArrayStream* out);

/// Imports a field from an ArrowSchema (the schema is released). Throws Error(Unsupported)
/// for formats parkett has no type for, Error(InvalidArgument) for malformed ones.
PARKETT_EXPORT Field import_field(ArrowSchema* schema);
/// Imports an array of type `type` (the array's release is taken over: its memory stays
/// alive as long as the returned array).
PARKETT_EXPORT ArrayPtr import_array(ArrowArray* array, const DataType& type);

}  // namespace parkett
