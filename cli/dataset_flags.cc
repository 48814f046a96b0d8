#include "cli/dataset_flags.h"

#include <filesystem>

#include "parkett/error.h"

namespace parkett::cli {

void add_dataset_flags(CLI::App* cmd, DatasetFlags& flags) {
  cmd->add_option("--partitioning", flags.partitioning,
                  "For a directory or glob: detect (hive key=value directories when present), hive, none, or "
                  "directory:NAME,NAME (one column per directory level)")
      ->capture_default_str();
  cmd->add_option("--schema-merge", flags.schema_merge,
                  "For a directory or glob: union (every column of every file, by name) or none (the first file's)")
      ->capture_default_str();
  cmd->add_flag("--allow-key-order-mismatch", flags.allow_key_order_mismatch,
                "For hive partitioning: accept keys in different orders in different paths (a=1/b=2 and b=3/a=4)");
  cmd->add_flag("--case-insensitive", flags.case_insensitive,
                "For a directory or glob: column and struct field names match across files ignoring case");
  cmd->add_flag("--skip-unreadable", flags.skip_unreadable,
                "For a directory or glob: leave out files that cannot be read (missing, truncated, not Parquet) "
                "instead of failing");
}

bool is_dataset_path(const std::string& path, const FileSystem* remote) {
  // An http(s) URL names one file ('?' starts its query there, as in presigned URLs).
  if (path.starts_with("http://") || path.starts_with("https://")) return false;
  if (path.find_first_of("*?") != std::string::npos) return true;
  // s3://bucket/prefix/ is a directory; s3://bucket/name is one if objects lie below it.
  if (remote) return path.back() == '/' || remote->kind(path) == FileSystem::Kind::Directory;
  std::error_code ec;
  return std::filesystem::is_directory(path, ec);
}

DatasetOptions dataset_options(const DatasetFlags& flags) {
  DatasetOptions o;
  const std::string& p = flags.partitioning;
  if (p == "detect") {
    o.partitioning.kind = Partitioning::Kind::Detect;
  } else if (p == "hive") {
    o.partitioning.kind = Partitioning::Kind::Hive;
  } else if (p == "none") {
    o.partitioning.kind = Partitioning::Kind::None;
  } else if (p.rfind("directory:", 0) == 0 && p.size() > 10) {
    o.partitioning.kind = Partitioning::Kind::Directory;
    std::string names = p.substr(10);
    size_t start = 0;
    while (start <= names.size()) {
      const size_t end = std::min(names.find(',', start), names.size());
      if (end == start) throw Error(ErrorKind::InvalidArgument, "--partitioning directory: names an empty column");
      o.partitioning.names.push_back(names.substr(start, end - start));
      start = end + 1;
    }
  } else {
    throw Error(ErrorKind::InvalidArgument,
                "--partitioning must be detect, hive, none or directory:NAME,NAME, not '" + p + "'");
  }
  if (flags.schema_merge == "union") {
    o.schema_merge = SchemaMerge::Union;
  } else if (flags.schema_merge == "none") {
    o.schema_merge = SchemaMerge::None;
  } else {
    throw Error(ErrorKind::InvalidArgument, "--schema-merge must be union or none, not '" + flags.schema_merge + "'");
  }
  o.partitioning.allow_key_order_mismatch = flags.allow_key_order_mismatch;
  o.case_insensitive = flags.case_insensitive;
  o.skip_unreadable_files = flags.skip_unreadable;
  return o;
}

}  // namespace parkett::cli
