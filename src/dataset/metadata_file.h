// A dataset's `_metadata` (pyarrow's write_metadata, Spark's and Dask's summary file): the
// footers of its data files in one footer, each column chunk's file_path naming its file
// relative to the root. Read, it gives every file's footer without reading the files'.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "format/parquet_types.h"
#include "parkett/array.h"
#include "parkett/reader.h"

namespace parkett::dataset {

class MetadataFooters {
 public:
  /// Reads `_metadata` at `path`, whose file paths are relative to `root`. Error(Corrupt)
  /// for row groups that name no file, or files not below the root.
  MetadataFooters(const std::string& path, const std::string& root, const OpenOptions& options);

  /// The files it names (below the root), sorted by path.
  const std::vector<std::string>& files() const { return files_; }
  /// The files' Arrow schema (one for all).
  const Schema& schema() const { return schema_; }
  int64_t num_rows(size_t file) const { return rows_[file]; }
  /// File `file`'s own footer: the summary's schema and metadata with its row groups. Built
  /// on first use; thread-safe.
  FileMetadata footer(size_t file) const;
  /// Opens file `file` with its footer. Error(Corrupt) when it is missing or does not hold
  /// its chunks' bytes (a summary of an earlier write).
  FileReader open(size_t file, const OpenOptions& options) const;

  /// Error(Corrupt) unless `listed` (the data files found below the root) are exactly the
  /// files named, each holding its chunks' bytes. `options`: how each file opens.
  void check_matches(const std::vector<std::string>& listed,
                     const std::function<OpenOptions(const std::string&)>& options) const;

 private:
  [[noreturn]] void mismatch(const std::string& why) const;

  std::string path_;
  format::FileMetaData summary_;  // without its row groups (they are in groups_)
  std::vector<std::string> files_;
  std::vector<std::string> relative_;  // per file: its path below the root, as _metadata names it
  std::vector<std::vector<format::RowGroup>> groups_;  // per file
  std::vector<int64_t> rows_;
  Schema schema_;
  FooterOptions footer_options_;
  mutable std::mutex mutex_;
  mutable std::vector<std::optional<FileMetadata>> footers_;
};

}  // namespace parkett::dataset
