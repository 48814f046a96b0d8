// The flags that read a directory or a glob as a dataset (cat, head): how partitions are
// found in the paths and how the files' schemas merge.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "parkett/dataset.h"
#include "parkett/filesystem.h"

namespace parkett::cli {

struct DatasetFlags {
  std::string partitioning = "detect";  // detect, hive, none, directory:NAME,NAME
  std::string schema_merge = "union";   // none, union
  bool allow_key_order_mismatch = false;
  bool case_insensitive = false;
  bool skip_unreadable = false;
};

void add_dataset_flags(CLI::App* cmd, DatasetFlags& flags);

/// Whether `path` is read as a dataset: a directory or a glob. `remote` is the store of a
/// remote path (null for local paths).
bool is_dataset_path(const std::string& path, const FileSystem* remote);

/// The options the flags ask for; Error(InvalidArgument) for values they do not take.
DatasetOptions dataset_options(const DatasetFlags& flags);

}  // namespace parkett::cli
