// Directory operations a dataset write needs on local storage: create a partition's
// directories, find whether a root already holds files, empty a partition before it is
// replaced. Failures are Error(Io) naming the path and the operating system's reason.
#pragma once

#include <optional>
#include <string>

namespace parkett::io {

/// Creates `dir` and its missing parents (nothing to do when it exists). Error(Io) when a
/// part of it is a file or cannot be created.
void create_directories(const std::string& dir);

/// A file below `dir` (recursively, hidden ones too), or nullopt when there is none or
/// `dir` does not exist.
std::optional<std::string> any_file_below(const std::string& dir);

/// Removes everything inside `dir`, keeping `dir` (nothing to do when it does not exist).
void remove_contents(const std::string& dir);

/// Removes the file `path` (nothing to do when there is none).
void remove_file(const std::string& path);

}  // namespace parkett::io
