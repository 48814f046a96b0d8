// Where commands read and write: the S3 flags (over the AWS environment and profiles), and
// the stores of remote paths (s3://, http(s)://).
#pragma once

#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "parkett/filesystem.h"

namespace parkett::cli {

struct StorageFlags {
  std::string s3_region;
  std::string s3_endpoint;
  std::string s3_profile;
  bool s3_anonymous = false;
};

void add_storage_flags(CLI::App* cmd, StorageFlags& flags);

/// The S3 settings the flags give; what they leave open comes from the environment.
S3Options s3_options(const StorageFlags& flags);

/// The store of a remote path, with the flags' settings, the sizes of the files it reads
/// kept for the progress line (cli/progress.h); null for a local path (read and written
/// directly).
std::shared_ptr<FileSystem> remote_store(const std::string& path, const StorageFlags& flags);

}  // namespace parkett::cli
