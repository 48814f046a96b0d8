// The flags of a partitioned write (convert IN OUT_DIR --partition-by ...): how rows are
// spread over directories and files, and what happens to data already there.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "parkett/dataset.h"

namespace parkett::cli {

struct DatasetWriteFlags {
  std::vector<std::string> partition_by;
  std::string flavor = "hive";
  std::optional<int64_t> max_rows_per_file;
  std::optional<int> max_open_files;
  std::string existing = "error";
  std::string basename_template;
  bool keep_partition_columns = false;
  bool metadata_files = false;

  void add_to(CLI::App& cmd);
  /// Whether a flag of these was given (the output is then a dataset directory).
  bool any_given() const;
  /// The options the flags ask for (file_options left to the caller). Throws
  /// Error(InvalidArgument) naming the flag.
  DatasetWriteOptions options() const;

 private:
  std::vector<CLI::Option*> registered_;
};

}  // namespace parkett::cli
