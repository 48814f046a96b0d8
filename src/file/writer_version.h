// Which writer made a file, for the workarounds readers apply to known writer bugs.
#pragma once

#include <optional>
#include <string>

namespace parkett::file {

/// created_by is "<application> version <major.minor.patch...> (build ...)". True when the
/// application is parquet-mr at a version below 1.2.9, or parquet-mr without a version:
/// those left the dictionary page header out of column chunk sizes (PARQUET-816).
bool chunk_sizes_miss_dictionary_header(const std::optional<std::string>& created_by);

}  // namespace parkett::file
