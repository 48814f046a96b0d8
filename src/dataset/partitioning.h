// Partition values from the directories of a dataset's files: hive `key=value` segments or
// positional ones, URL-decoded, with one type per column (given or inferred).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "parkett/array.h"
#include "parkett/dataset.h"

namespace parkett::dataset {

struct PartitionValues {
  Schema schema;  // the partition columns
  // Per file, per column: the decoded text of its value; nullopt for a null.
  std::vector<std::vector<std::optional<std::string>>> values;
};

/// The partitions of files whose directories below the base are `segments` (one list per
/// file; `paths` name the files in errors). Throws Error(InvalidArgument) for paths that do
/// not agree on the partition columns (naming two), for values that do not fit a given type,
/// and for a partitioning that needs names it was not given.
PartitionValues partition_files(const std::vector<std::vector<std::string>>& segments,
                                const std::vector<std::string>& paths, const Partitioning& partitioning);

/// `%XX` escapes decoded (hive's escaping of `/`, `=`, `%`, spaces and non-ASCII bytes).
std::string url_decode(const std::string& text);

/// `length` copies of a partition value (`value` read as `type`; null when nullopt).
ArrayPtr constant_array(const DataType& type, const std::optional<std::string>& value, int64_t length);

}  // namespace parkett::dataset
