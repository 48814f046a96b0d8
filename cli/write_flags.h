// Writer options as command-line flags (shared by the subcommands that write Parquet).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "parkett/writer.h"

namespace parkett::cli {

struct WriteFlags {
  std::string codec;
  std::string data_page_version;
  std::string dictionary, statistics, page_index, crc;
  std::optional<int64_t> row_group_size;
  std::optional<int64_t> page_size;
  std::optional<int64_t> page_rows;
  std::optional<int> threads;
  std::string format_version;
  std::string coerce_timestamps;
  bool allow_truncated_timestamps = false;
  bool int96 = false;
  std::string flavor;
  std::string distinct_count, total_order, bloom;
  std::vector<std::string> sorting;   // PATH[:desc][:nulls_first]
  std::vector<std::string> index_columns;  // A,B: one data index each
  std::vector<std::string> renames;   // FIELD=NAME
  std::vector<std::string> columns;   // PATH:key=value[,key=value]
  std::optional<int64_t> row_group_bytes, write_batch_size, max_dictionary_keys, max_dictionary_bytes;
  std::optional<int32_t> statistics_truncate_length;
  std::string encoding;                // the fallback encoding of every column
  std::string decimals_as_integers;    // on | off
  bool no_arrow_schema = false;
  bool spark_legacy_format = false;
  std::optional<std::string> created_by;
  std::vector<std::string> metadata;   // KEY=VALUE
  std::string datetime_rebase, int96_rebase;  // EXCEPTION | CORRECTED | LEGACY

 private:
  std::vector<CLI::Option*> registered_;
 public:

  void add_to(CLI::App& cmd);
  /// The flags given on the command line ("--codec", ...), for commands that write
  /// Parquet only sometimes.
  std::vector<std::string> given() const;
  /// The options the flags ask for. Throws Error(InvalidArgument) naming the flag.
  WriteOptions options() const;
};

/// "delta_binary_packed" -> Encoding::DeltaBinaryPacked.
Encoding parse_encoding(const std::string& text);

}  // namespace parkett::cli
