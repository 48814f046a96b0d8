// Dictionary filtering: a column chunk whose data pages are all dictionary-encoded holds no
// value outside its dictionary, so an `=` or `IN` none of whose values is in the dictionary
// cannot be true in the row group (parquet-mr's DictionaryFilter, DuckDB's dictionary
// pruning). Whether every page is dictionary-encoded comes from the encoding statistics, or
// from the chunk's encodings where they leave no doubt.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "parkett/reader.h"

namespace parkett::file {

/// Whether every data page of chunk (row_group, column) is dictionary-encoded, as far as the
/// metadata shows (false when it cannot tell).
bool fully_dictionary_encoded(const ColumnChunkMetadata& chunk);

/// The entries of the chunk's dictionary page, typed as statistics values are (int32,
/// int64, float, double, bytes; booleans and INT96 give nullopt); nullopt when the chunk has
/// no dictionary page or it is larger than 64 MiB. Throws Error(Corrupt) naming the chunk
/// for a malformed dictionary page.
std::optional<std::vector<StatValue>> read_dictionary_values(const FileReader& reader, int32_t row_group, int32_t column);

}  // namespace parkett::file
