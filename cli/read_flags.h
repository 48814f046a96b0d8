// How Parquet input is read, as flags (cat, head, schema, convert): Spark's read options.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "parkett/reader.h"

namespace parkett::cli {

struct ReadFlags {
  bool binary_as_string = false;
  bool all_nullable = false;
  std::string datetime_rebase;  // EXCEPTION, CORRECTED or LEGACY; empty: the default
  std::string int96_rebase;
};

void add_read_flags(CLI::App* cmd, ReadFlags& flags);

/// Sets what the flags ask for in `options`; Error(InvalidArgument) naming the flag for a
/// mode it does not take.
void apply_read_flags(const ReadFlags& flags, OpenOptions& options);

/// A rebase mode named on the command line (any case); Error(InvalidArgument) naming `flag`.
CalendarRebase calendar_rebase_flag(const std::string& flag, const std::string& value);

}  // namespace parkett::cli
