// Opening Parquet files.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "parkett/metadata.h"

namespace parkett {

struct ReadOptions {
  FooterOptions footer;
  /// Bytes read from the end of the file on open; a footer that fits needs one read.
  int64_t footer_read_size = 64 * 1024;
  /// Footers larger than this are refused (Error(ResourceLimit)) instead of read.
  int64_t max_footer_size = int64_t{1} << 30;
};

class FileReader {
 public:
  FileReader() = default;

  /// Opens a local file. Throws Error(NotFound / Io) if it cannot be read, Error(Corrupt)
  /// if it is not Parquet, Error(Crypto) if its footer is encrypted and no keys are given.
  static FileReader open(const std::string& path, const ReadOptions& options = {});
  /// Opens a Parquet file held in memory; `name` is used in error messages.
  static FileReader open_buffer(std::shared_ptr<const std::string> bytes,
                                const ReadOptions& options = {},
                                std::string name = "<memory>");

  const FileMetadata& metadata() const { return metadata_; }
  const std::string& name() const { return name_; }

 private:
  friend class FileReaderAccess;
  std::string name_;
  FileMetadata metadata_;
  std::shared_ptr<void> file_;  // the storage the data pages are read from
};

}  // namespace parkett
