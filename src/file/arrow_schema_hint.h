// Reading with the Arrow schema a writer stored (ARROW:schema): the Parquet schema decides
// structure and values; the stored schema restores what Parquet cannot say (time zone
// names, large offsets, dictionary encoding, list element names, field metadata), where
// it agrees with what was read. A hint that does not fit is ignored, as Arrow C++ does.
#pragma once

#include <optional>
#include <vector>

#include "parkett/array.h"
#include "parkett/metadata.h"
#include "schema/arrow_ipc.h"

namespace parkett::file {

/// The stored Arrow schema of a file, if it has a readable one whose top-level fields match
/// the Parquet root's by count and name.
std::optional<schema::ArrowSchema> stored_arrow_schema(const FileMetadata& metadata);

/// The field as read (`read`), with what `hint` adds that fits it.
Field restore_field(const Field& read, const schema::ArrowField& hint);

/// `to` with the large (64-bit offset) type wherever `got` has it: a chunk whose values pass
/// 2 GiB is decoded with 64-bit offsets whatever the plan said.
DataType with_large_offsets(const DataType& to, const DataType& got);

/// `type` with every string and binary type, at any depth outside dictionaries, in its large
/// (64-bit offset) form.
DataType with_large_strings(const DataType& type);

/// `array` in the layout of `to`, which differs from its type only by large (64-bit offset)
/// types: offsets widened. Large offsets in `array` are kept (the result then has
/// with_large_offsets(to, array->type)).
ArrayPtr conform(const ArrayPtr& array, const DataType& to);

/// A field some of whose batches needed 64-bit offsets with no sign of it in the metadata
/// (the read plan makes the others large from the start) takes the large type in every
/// batch, so that the table has one schema. The only change made to arrays after assembly.
void widen_large_offsets(Table& table);

}  // namespace parkett::file
