// Finding a dataset's files: below a directory, by a glob, or as listed; which names are
// data files, and where partition directories start.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "parkett/filesystem.h"

namespace parkett::dataset {

struct Discovered {
  std::vector<std::string> files;  // data files, sorted by path (as listed for a list)
  std::string base;                // the directory partition segments are relative to ("" for none)
  std::optional<std::string> metadata_file;         // <base>/_metadata
  std::optional<std::string> common_metadata_file;  // <base>/_common_metadata
};

/// A directory (every data file below it, recursively), a single file, or a glob (`*` and
/// `?` within a name, `**` for any number of directories). Names starting with `_` or `.`
/// (but the null directory `__HIVE_DEFAULT_PARTITION__`)
/// are skipped, files and directories alike, but `_metadata` and `_common_metadata` at the
/// base are noted; other files count when they end with one of `extensions`, or are named
/// exactly by `source`. Directories are listed on up to `threads` threads (0: every core).
/// Throws Error(NotFound) when `source` names nothing that exists.
Discovered discover(const std::string& source, const std::vector<std::string>& extensions, int threads = 0);

/// The same on a store that lists by prefix (S3, a user's FileSystem): one listing of the
/// directory (or of the glob's directories before its first wildcard), then the same rules.
Discovered discover(const FileSystem& store, const std::string& source, const std::vector<std::string>& extensions);

/// Listed files: their common directory is the base.
Discovered listed(const std::vector<std::string>& files);

/// Whether `path` matches the glob `pattern` (both '/'-separated).
bool glob_match(const std::string& pattern, const std::string& path);

/// The directories of `file` below `base`, outermost first ({} when `file` is not below it).
std::vector<std::string> segments_below(const std::string& base, const std::string& file);

}  // namespace parkett::dataset
