#include "cli/read_flags.h"

#include "parkett/error.h"

namespace parkett::cli {

void add_read_flags(CLI::App* cmd, ReadFlags& flags) {
  const std::string group = "Parquet input (Spark's read options)";
  cmd->add_flag("--binary-as-string", flags.binary_as_string,
                "Read BYTE_ARRAY columns without an annotation as strings (Spark's binaryAsString)")
      ->group(group);
  cmd->add_flag("--all-nullable", flags.all_nullable, "Read every field as nullable, as Spark does")->group(group);
  cmd->add_option("--datetime-rebase-in-read", flags.datetime_rebase,
                  "EXCEPTION, CORRECTED (default) or LEGACY: dates and timestamps before 1582-10-15 / 1900 in files "
                  "that do not say their calendar (Spark-written files are read by what they say)")
      ->group(group);
  cmd->add_option("--int96-rebase-in-read", flags.int96_rebase, "The same for INT96 timestamps")->group(group);
}

CalendarRebase calendar_rebase_flag(const std::string& flag, const std::string& value) {
  if (const auto mode = parse_calendar_rebase(value)) return *mode;
  throw Error(ErrorKind::InvalidArgument, flag + " '" + value + "': expected EXCEPTION, CORRECTED or LEGACY");
}

void apply_read_flags(const ReadFlags& flags, OpenOptions& options) {
  options.binary_as_string = flags.binary_as_string;
  options.all_nullable = flags.all_nullable;
  if (!flags.datetime_rebase.empty()) {
    options.datetime_rebase = calendar_rebase_flag("--datetime-rebase-in-read", flags.datetime_rebase);
  }
  if (!flags.int96_rebase.empty()) options.int96_rebase = calendar_rebase_flag("--int96-rebase-in-read", flags.int96_rebase);
}

}  // namespace parkett::cli
